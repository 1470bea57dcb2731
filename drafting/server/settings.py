"""Which model the workspace drafts and revises with: the CLI's settings (``DRAFTING_*``,
config.toml), under the choice saved in the workspace, under the flags given to ``serve``.

A choice made on the settings page is kept in the workspace folder (``SETTINGS_FILE``: the model,
the endpoint's address and the *name* of the key's variable, never a key) and used again the next
time ``drafting serve`` opens the folder; flags given to ``serve`` win over it for that run, until
the page changes the choice again.

The page is told the model, the endpoint's address (without any user:password or query) and the
name of the key's variable, and whether that variable is set. The key never leaves the
environment: it is not read here at all.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from ..errors import DraftingError, InputError

SETTINGS_FILE = ".drafting-serve.json"
_FIELDS = ("model", "base_url", "api_key_env")

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
    "saved": "",
}


class ModelChoice:
    def __init__(
        self,
        model: str | None = None,
        base_url: str | None = None,
        api_key_env: str | None = None,
        *,
        store: Path | None = None,
    ):
        self._lock = threading.Lock()
        self.store = store
        given = {"model": model, "base_url": base_url, "api_key_env": api_key_env}
        # Flags given to serve are the choice for this run; without any, the workspace's saved one.
        saved = {} if any(v is not None for v in given.values()) else self._read()
        self._flags: dict[str, str | None] = {
            k: given[k] if given[k] is not None else saved.get(k) for k in _FIELDS
        }
        self._saved = bool(saved)

    def settings(self) -> Any:
        from ..config import load_settings

        with self._lock:
            flags = dict(self._flags)
        return load_settings(**flags)

    def change(self, model: str, base_url: str, api_key_env: str) -> None:
        """A new choice, refused (with the library's message) unless the CLI would accept it, and
        kept in the workspace for the next run."""
        from ..backends.resolve import model_kind, resolve_model
        from ..config import OFFLINE, load_settings

        flags = {
            "model": model.strip() or OFFLINE,
            "base_url": _address(base_url),
            "api_key_env": _variable(api_key_env),
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
            self._write(flags)

    def describe(self) -> dict[str, Any]:
        """What the page shows: never the key, only whether its variable is set."""
        saved = str(self.store) if self.store is not None and self._saved else ""
        return {**_BLANK, **self._describe(), "saved": saved}

    def _describe(self) -> dict[str, Any]:
        from ..backends.endpoints import resolve_endpoint
        from ..backends.resolve import model_kind
        from ..config import OFFLINE

        try:
            settings = self.settings()
        except DraftingError as exc:
            return {"offline": True, "model": "", "problem": exc.message, "hint": exc.hint}
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

    # --- the workspace's saved choice ------------------------------------------------------------

    def _read(self) -> dict[str, str]:
        """The saved choice; a file that cannot be used is ignored (the page then shows the CLI's
        settings, and saving a choice writes it afresh)."""
        if self.store is None:
            return {}
        try:
            values = json.loads(self.store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(values, dict):
            return {}
        return {k: v for k in _FIELDS if isinstance(v := values.get(k), str) and v.strip()}

    def _write(self, flags: dict[str, str | None]) -> None:
        if self.store is None:
            return
        from ..files import atomic_write

        values = {k: v for k, v in flags.items() if v}
        atomic_write(self.store, json.dumps(values, ensure_ascii=False, indent=2) + "\n")
        self._saved = True


def _address(text: str) -> str | None:
    """An endpoint's address as the page may save it: no user:password and no query, which could
    carry a key into the workspace's file."""
    from urllib.parse import urlsplit

    text = text.strip()
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError("接口地址应以 http:// 或 https:// 开头，如 http://127.0.0.1:8000/v1。")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise InputError(
            "接口地址中不能含有用户名、密码或“?”后的参数：其中可能有密钥，而设置会保存在工作区文件夹中。",
            hint="密钥请放在环境变量中，在“密钥环境变量名”一栏填写该变量的名字。",
        )
    return text


def _variable(text: str) -> str | None:
    """The key's variable: a name, never a key pasted by mistake (refused without repeating it)."""
    from ..backends.endpoints import check_env_name

    return check_env_name(text) if text.strip() else None
