"""The one resolver of model specs: ``offline``, ``openai:<model>``, presets, ``replay:<file>``.

Draft, revise and eval name a model with one string and call :func:`resolve_model`, which checks
what a run needs before its first request: a known preset and a model name, the key's variable
set, the replay file readable and valid. :func:`get_backend` opens the chat backend of a resolved
(or named) model. The offline rules are not a chat backend (they write from the data, not from a
rendered prompt): a resolved ``offline`` opens none, and the section writer for it is
``narrative.OfflineWriter``. The SDK and the replay models are imported only when a spec needs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..config import OFFLINE, Settings, load_settings
from ..errors import InputError
from .base import Backend

if TYPE_CHECKING:
    from .endpoints import Endpoint
    from .replay import Replay

# Everything but the offline path imports its modules when it runs: ``drafting draft`` offline is
# run many times a day and should not pay for presets, replays or the SDK.

Kind = Literal["offline", "chat", "replay"]


def model_kind(spec: str) -> Kind:
    """Which kind of model a spec names, from its form alone (nothing is read or checked)."""
    spec = spec.strip().lower()
    if spec == OFFLINE:
        return "offline"
    from .endpoints import REPLAY_PREFIX

    return "replay" if spec.startswith(REPLAY_PREFIX) else "chat"


@dataclass(frozen=True)
class ModelChoice:
    """A model spec, resolved: its endpoint for a chat model, its answers for a replay."""

    spec: str  # as the user (or the suite) wrote it: records and reports name the model so
    kind: Kind
    endpoint: Endpoint | None = None
    replay: Replay | None = None


def resolve_model(
    spec: str | None = None, settings: Settings | None = None, *, base: Path | None = None, **flags: Any
) -> ModelChoice:
    """The model ``spec`` names (``settings.model`` when None), checked before any request.

    ``flags`` are settings as command-line options give them, used when ``settings`` is None;
    ``base`` is the folder a relative replay path is read from (a suite's own folder)."""
    if settings is None:
        settings = load_settings(model=spec, **flags)
    spec = (spec or settings.model).strip()
    kind = model_kind(spec)
    if kind == "offline":
        return ModelChoice(OFFLINE, "offline")
    if kind == "replay":
        from .replay import load_replay, replay_path

        return ModelChoice(spec, "replay", replay=load_replay(replay_path(spec, base)))
    from .endpoints import resolve_endpoint

    endpoint = resolve_endpoint(spec, settings)
    endpoint.read_key()  # a missing key is a setting to fix, before any request
    return ModelChoice(spec, "chat", endpoint=endpoint)


def get_backend(
    spec: str | Endpoint | ModelChoice, *, case: str | None = None, repeat: int = 1, **flags: Any
) -> Backend:
    """The chat backend a model names: a spec (``openai:<model>``, a preset such as ``deepseek`` or
    ``qwen:qwen-max``, ``replay:<file>``), a resolved :class:`ModelChoice` or an :class:`Endpoint`.
    ``flags`` are settings overrides for a spec (``base_url``, ``api_key_env``, ``timeout`` …), as
    options give them. A replay answers the drafts of ``case`` and ``repeat`` (an eval's; a draft
    has neither). No response cache here: see ``cached.cached``."""
    from .endpoints import MODEL_HELP, Endpoint

    if isinstance(spec, Endpoint):
        choice = ModelChoice(spec.name, "chat", endpoint=spec)
    elif isinstance(spec, ModelChoice):
        choice = spec
    else:
        choice = resolve_model(spec, **flags)
    if choice.replay is not None:
        from .replay import replay_backend

        return replay_backend(choice.replay, choice.spec, case, repeat)
    if choice.endpoint is None:
        raise InputError(
            "离线起草（offline）不使用模型接口。", hint=f"使用模型时，--model 可以写作：{MODEL_HELP}。"
        )
    from .openai_compat import OpenAICompatBackend

    return OpenAICompatBackend(choice.endpoint)
