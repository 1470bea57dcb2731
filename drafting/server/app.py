"""The Starlette application: the workspace, its pages and its JSON calls, behind the guard.

Routes only translate HTTP to library calls (through ``reports``, ``desk`` and ``views``) and back;
the one error boundary of the web front end is ``_error`` below, which turns our errors into a
Chinese message and a status code, and anything else into a plain "internal error" with no
traceback and no detail that could carry a secret.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..backends.base import BackendError
from ..errors import DataError, DraftingError, InputError
from ..locks import FileBusy
from . import api, pages
from .desk import Busy, DraftStale, NeedsConfirm, error_json, internal
from .reports import Stale
from .security import Guard, allowed_hosts
from .settings import SETTINGS_FILE, ModelChoice
from .state import ServerOptions, State
from .workspace import NotInWorkspace, Workspace

HERE = Path(__file__).parent
__all__ = ["ServerOptions", "create_app"]


def create_app(root: Path, options: ServerOptions | None = None) -> Starlette:
    options = options or ServerOptions()
    ws = Workspace(root)
    st = State(
        ws,
        options,
        secrets.token_urlsafe(24),
        ModelChoice(options.model, options.base_url, options.api_key_env, store=ws.root / SETTINGS_FILE),
    )
    routes = [
        *pages.routes,
        *api.routes,
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(
                Guard,
                hosts=allowed_hosts(options.host, options.port),
                csrf=st.csrf,
                token=options.token,
                max_body=options.max_upload,
            )
        ],
        exception_handlers={DraftingError: _error, HTTPException: _http, Exception: _internal},
    )
    app.state.drafting = st
    return app


_STATUS: tuple[tuple[type[DraftingError], int], ...] = (
    (FileBusy, 409),
    (Stale, 412),
    (DraftStale, 412),
    (Busy, 409),
    (NeedsConfirm, 409),
    (NotInWorkspace, 404),
    (DataError, 422),
    (BackendError, 502),
    (InputError, 400),
)


async def _error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DraftingError)
    status = next((code for kind, code in _STATUS if isinstance(exc, kind)), 400)
    ws: Workspace = request.app.state.drafting.ws
    body = error_json(exc, ws)
    if isinstance(exc, Stale):
        body["etag"] = exc.etag
    if _wants_html(request):
        return pages.error_page(request, status, body["message"], body["hint"])
    return JSONResponse(body, status_code=status)


_HTTP_TEXT = {
    400: "请求内容无法识别。",
    404: "找不到这个页面。",
    405: "不支持这种请求方式。",
}


async def _http(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (unknown address, malformed upload), in Chinese: its English
    detail is kept only where it is ours (the upload cap's message)."""
    assert isinstance(exc, HTTPException)
    text = _HTTP_TEXT.get(exc.status_code) or (exc.detail if exc.status_code == 413 else "请求无法处理。")
    if _wants_html(request):
        return pages.error_page(request, exc.status_code, text, "请回到首页重试。")
    return JSONResponse({"message": text, "hint": ""}, status_code=exc.status_code)


async def _internal(request: Request, exc: Exception) -> Response:
    body = internal(exc)
    if _wants_html(request):
        return pages.error_page(request, 500, body["message"], body["hint"])
    return JSONResponse(body, status_code=500)


def _wants_html(request: Request) -> bool:
    return request.method == "GET" and not request.url.path.startswith("/api/")
