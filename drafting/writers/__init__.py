"""Rendering a draft into the documents an office publishes, and writing files atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, OutputError

if TYPE_CHECKING:
    from ..document import Draft

FORMATS = ("md", "txt")


def render(draft: Draft, fmt: str) -> str:
    renderers: dict[str, Callable[[Draft], str]]
    from . import markdown, text

    renderers = {"md": markdown.render, "txt": text.render}
    if fmt not in renderers:
        raise InputError(
            f"不支持的输出格式“{fmt}”。",
            hint=f"可用的格式：{'、'.join(FORMATS)}（用逗号分隔，如 --format md,txt）。",
        )
    return renderers[fmt](draft)


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place: a reader sees the old
    file or the new one, never half of one, even if the process is killed mid-write."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"无法在 {path.parent} 写入文件：{exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}：{exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
