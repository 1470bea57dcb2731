"""Files as offices hand them to us and as we hand them back: text in the encodings Chinese
offices save in, and writes that never leave half a file.

Every file we read — data files, drafts, eval suites, replays, published reports — goes through
``read_bytes`` and ``decode`` here, so a missing file, a folder, a permission problem or an unknown
encoding is said the same way everywhere, in Chinese. Every file we write goes through
``atomic_write`` / ``atomic_write_all``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import InputError, OutputError, os_reason

# UTF-8 first (a BOM, as Notepad writes it, is dropped), then GB18030: a superset of GBK and
# GB2312, which is what Excel and WPS on a Chinese Windows save "plain text" as.
ENCODINGS = ("utf-8-sig", "gb18030")
SAVE_AS_UTF8 = "请用 UTF-8 编码另存该文件（记事本“另存为”时选择 UTF-8）。"


def read_bytes(path: Path, what: str = "文件", *, hint: str = "") -> bytes:
    """The file's bytes, or an ``InputError`` naming ``what`` (数据文件, 评测集, …) and why not."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到{what} {path}。", hint="请检查文件路径是否正确。") from None
    except IsADirectoryError:
        raise InputError(f"{path} 是一个文件夹，不是{what}。", hint=hint) from None
    except OSError as exc:
        raise InputError(f"无法读取{what} {path}：{os_reason(exc)}。") from None


def decode(raw: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else GB18030; bytes that are not text in either are refused."""
    if b"\x00" in raw[:4096]:  # a binary file, or text in UTF-16 (which we do not read)
        raise InputError(
            f"{source}：这不是文本文件（含有二进制内容），或者文件编码无法识别。", hint=SAVE_AS_UTF8
        )
    for encoding in ENCODINGS:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            return text
    raise InputError(f"{source}：无法识别文件编码，或文件不是文本。", hint=SAVE_AS_UTF8)


def decode_utf8(raw: bytes, source: str, what: str = "文件") -> str:
    """UTF-8 only, for files we wrote ourselves (drafts, eval records): another encoding means the
    file was changed by hand and is not ours any more."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"无法读取{what} {source}：{os_reason(exc)}。", hint=SAVE_AS_UTF8) from None


def read_text(path: Path, what: str = "文件", *, utf8_only: bool = False) -> str:
    """The text of a file a person gave us; ``utf8_only`` for the files this tool writes."""
    raw = read_bytes(path, what)
    return decode_utf8(raw, str(path), what) if utf8_only else decode(raw, str(path))


def looks_like_text(text: str) -> bool:
    """Random bytes often decode as GB18030; real text has few control characters."""
    sample = text[:20000]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\f\v")
    odd = sum(1 for c in sample if 0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd")
    return (control + odd) <= max(2, len(sample) // 200)


# --- atomic writes ---------------------------------------------------------------------------


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


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file written in pieces (a dashboard of thousands of reports, a long list) that appears at
    ``path`` only when complete: written to a temporary file beside it and renamed into place when
    the block ends; if the block fails, the temporary file is removed and the old file stays."""
    with _temp_beside(path) as (f, tmp):
        yield f
    try:
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}：{os_reason(exc)}。") from None


def write_text(path: Path, text: str) -> None:
    """Atomically, its folder made first: a reader never sees half a record or half a report."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建文件夹 {path.parent}：{os_reason(exc)}") from None
    atomic_write(path, text)


def _write_temp(path: Path, content: str | bytes) -> str:
    data = content.encode("utf-8") if isinstance(content, str) else content
    with _temp_beside(path) as (f, tmp):
        f.write(data)
    return tmp


@contextmanager
def _temp_beside(path: Path) -> Iterator[tuple[BinaryIO, str]]:
    """A new temporary file beside ``path``, open for writing; flushed to disk when the block ends,
    removed if it fails. Its name is the caller's to rename into place."""
    import tempfile  # here: reading a file (validate, check) should not pay for the writing side

    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"无法在 {path.parent} 写入文件：{os_reason(exc)}。") from None
    try:
        # mkstemp makes the file private (0600); give it the mode any new file would get, or keep
        # the mode of the file it replaces, so a web server can still serve the portal page.
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "wb") as f:
            yield f, tmp
            f.flush()
            os.fsync(f.fileno())
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}：{os_reason(exc)}。") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _backup(path: Path) -> str:
    """A hard link to the current file (no copy, same disk), to restore it on rollback."""
    import shutil
    import tempfile

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
