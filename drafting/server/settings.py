"""Which model the workspace drafts and revises with: the CLI's settings (flags given to ``serve``,
``DRAFTING_*``, config.toml), which the settings page may change for this server's lifetime.

The page is told the model, the endpoint's address (without any user:password or query) and the
*name* of the key's environment variable, and whether that variable is set. The key never leaves
the environment: it is not read here at all.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from ..errors import DraftingError, InputError

_BLANK: dict[str, Any] = {
    "offline": True,
    "model": "",
    "label": "",
    "url": "",
    "key_env": "",
    "key_set": False,
    "key_required": False,
    "usable": False,
    "base_url": "",
    "api_key_env": "",
    "problem": "",
    "hint": "",
}


class ModelChoice:
    def __init__(self, model: str | None = None, base_url: str | None = None, api_key_env: str | None = None):
        self._lock = threading.Lock()
        self._flags: dict[str, str | None] = {
            "model": model,
            "base_url": base_url,
            "api_key_env": api_key_env,
        }

    def settings(self) -> Any:
        from ..config import load_settings

        with self._lock:
            flags = dict(self._flags)
        return load_settings(**flags)

    def change(self, model: str, base_url: str, api_key_env: str) -> None:
        """A new choice, refused (with the library's message) unless the CLI would accept it."""
        from ..backends.resolve import model_kind, resolve_model
        from ..config import OFFLINE, load_settings

        flags = {
            "model": model.strip() or OFFLINE,
            "base_url": base_url.strip() or None,
            "api_key_env": api_key_env.strip() or None,
        }
        settings = load_settings(**flags)
        kind = model_kind(settings.model)
        if kind == "chat":  # the key may be set later: the page says whether it is
            from ..backends.endpoints import resolve_endpoint

            resolve_endpoint(settings=settings)
        elif kind == "replay":
            resolve_model(settings=settings)
        with self._lock:
            self._flags = flags

    def describe(self) -> dict[str, Any]:
        """What the page shows: never the key, only whether its variable is set."""
        return {**_BLANK, **self._describe()}

    def _describe(self) -> dict[str, Any]:
        from ..backends.endpoints import resolve_endpoint
        from ..backends.resolve import model_kind
        from ..config import OFFLINE

        try:
            settings = self.settings()
        except DraftingError as exc:
            return {"offline": True, "model": "", "problem": exc.message}
        kind = model_kind(settings.model)
        if kind == "offline":
            return {"offline": True, "model": OFFLINE, "label": "离线起草（不使用模型）"}
        if kind == "replay":
            return {"offline": False, "model": settings.model, "label": settings.model, "usable": True}
        try:
            endpoint = resolve_endpoint(settings=settings)
        except InputError as exc:
            return {"offline": False, "model": settings.model, "problem": exc.message, "hint": exc.hint}
        key_set = bool(os.environ.get(endpoint.api_key_env, "").strip())
        return {
            "offline": False,
            "model": settings.model,
            "label": endpoint.name,
            "url": endpoint.display_url,
            "key_env": endpoint.api_key_env,
            "key_set": key_set,
            "key_required": endpoint.key_required,
            "usable": key_set or not endpoint.key_required,
            "base_url": settings.base_url or "",
            "api_key_env": settings.api_key_env or "",
        }
