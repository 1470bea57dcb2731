"""What the server holds while it runs: its options, the workspace, the CSRF token, the model
choice, and one desk per report. Routes reach it through ``state(request)``."""

from __future__ import annotations

from dataclasses import dataclass, field

from starlette.requests import Request

from .desk import Desk
from .settings import ModelChoice
from .workspace import Workspace

MAX_UPLOAD = 20 * 1024 * 1024


@dataclass
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    max_upload: int = MAX_UPLOAD
    model: str | None = None
    base_url: str | None = None
    api_key_env: str | None = None


@dataclass
class State:
    ws: Workspace
    options: ServerOptions
    csrf: str
    models: ModelChoice
    desks: dict[str, Desk] = field(default_factory=dict)

    def desk(self, name: str) -> Desk:
        path = self.ws.data_path(name)
        desk = self.desks.get(path.name)
        if desk is None:
            desk = self.desks[path.name] = Desk(self.ws, path)
        return desk


def state(request: Request) -> State:
    s: State = request.app.state.drafting
    return s
