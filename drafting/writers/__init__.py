"""Rendering a draft into the documents an office publishes, and writing files atomically."""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, OutputError, os_reason

if TYPE_CHECKING:
    from ..document import Draft


# The module of each format's writer. Only the one a format needs is imported: each pulls in its
# own library (python-docx, jinja2, LibreOffice's helpers), and the offline md draft needs none.
_MODULES = {"md": "markdown", "txt": "text", "docx": "docx", "html": "html", "pdf": "pdf"}
FORMATS = tuple(_MODULES)
DEFAULT_FORMATS = ("md", "docx")


def render(draft: Draft, fmt: str) -> str | bytes:
    """The draft as one document: ``str`` for text formats, ``bytes`` for docx and pdf. Either goes
    straight to ``atomic_write``."""
    if fmt not in _MODULES:
        raise InputError(
            f"不支持的输出格式“{fmt}”。",
            hint=f"可用的格式：{'、'.join(FORMATS)}（用逗号分隔，如 --format md,docx）。",
        )
    module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
    writer: Callable[[Draft], str | bytes] = module.render
    return writer(draft)


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place: a reader sees the old
    file or the new one, never half of one, even if the process is killed mid-write."""
    atomic_write_all({path: content})


def atomic_write_all(outputs: Mapping[Path, str | bytes]) -> None:
    """Write several files that belong together (a draft and its documents) so that they change
    together: every new file is written out in full before the first one replaces its old self,
    and if a replacement fails, the files already replaced get their old content back."""
    temps: dict[Path, str] = {}
    try:
        for path, content in outputs.items():
            temps[path] = _write_temp(path, content)
    except BaseException:
        _remove(temps.values())
        raise
    backups: dict[Path, str] = {}
    replaced: list[Path] = []
    try:
        for path, tmp in temps.items():
            if len(temps) > 1 and path.exists():
                backups[path] = _backup(path)
            os.replace(tmp, path)
            replaced.append(path)
    except OSError as exc:
        failed = path
        for done in replaced:  # roll back: the set stays as it was
            if done in backups:
                os.replace(backups.pop(done), done)
            else:
                done.unlink(missing_ok=True)
        raise OutputError(f"无法写入 {failed}：{os_reason(exc)}。同一批的其他文件已恢复原样。") from None
    finally:
        _remove(tmp for p, tmp in temps.items() if p not in replaced)
        _remove(backups.values())


def _write_temp(path: Path, content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"无法在 {path.parent} 写入文件：{os_reason(exc)}。") from None
    try:
        # mkstemp makes the file private (0600); give it the mode any new file would get, or keep
        # the mode of the file it replaces, so a web server can still serve the portal page.
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}：{os_reason(exc)}。") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _backup(path: Path) -> str:
    """A hard link to the current file (no copy, same disk), to restore it on rollback."""
    fd, backup = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".bak")
    os.close(fd)
    os.unlink(backup)
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links
        shutil.copy2(path, backup)
    return backup


def _remove(paths: Iterable[str]) -> None:
    for p in list(paths):
        Path(p).unlink(missing_ok=True)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
