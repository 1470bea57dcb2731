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

FORMATS = ("md", "txt", "docx", "html", "pdf")
DEFAULT_FORMATS = ("md", "docx")


def _renderers() -> dict[str, Callable[[Draft], str | bytes]]:
    # Each writer imports its library (python-docx, jinja2, LibreOffice) only when it runs.
    from . import docx, html, markdown, pdf, text

    return {
        "md": markdown.render,
        "txt": text.render,
        "docx": docx.render,
        "html": html.render,
        "pdf": pdf.render,
    }


def render(draft: Draft, fmt: str) -> str | bytes:
    """The draft as one document: ``str`` for text formats, ``bytes`` for docx and pdf. Either goes
    straight to ``atomic_write``."""
    renderers = _renderers()
    if fmt not in renderers:
        raise InputError(
            f"不支持的输出格式“{fmt}”。",
            hint=f"可用的格式：{'、'.join(FORMATS)}（用逗号分隔，如 --format md,docx）。",
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
        # mkstemp makes the file private (0600); give it the mode any new file would get, or keep
        # the mode of the file it replaces, so a web server can still serve the portal page.
        os.chmod(tmp, _mode_for(path))
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


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
