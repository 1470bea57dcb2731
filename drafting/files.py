"""Files as offices hand them to us and as we hand them back: text in the encodings Chinese
offices save in, and writes that never leave half a file.

Every file we read — data files, drafts, eval suites, replays, published reports — goes through
``read_bytes`` and ``decode`` here, so a missing file, a folder, a permission problem or an unknown
encoding is said the same way everywhere, in Chinese. Every file we write goes through
``atomic_write`` / ``atomic_write_all``.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Final

from .errors import InputError, OutputError, os_reason
from .limits import Kind, check_size

# UTF-8 first (a BOM, as Notepad writes it, is dropped), then GB18030: a superset of GBK and
# GB2312, which is what Excel and WPS on a Chinese Windows save "plain text" as.
ENCODINGS = ("utf-8-sig", "gb18030")
SAVE_AS_UTF8 = "请用 UTF-8 编码另存该文件（记事本“另存为”时选择 UTF-8）。"


def read_bytes(path: Path, what: str = "文件", *, hint: str = "", limit: Kind | None = None) -> bytes:
    """The file's bytes, or an ``InputError`` naming ``what`` (数据文件, 评测集, …) and why not.
    A file larger than the ``limit`` of its kind (``limits.MAX_BYTES``) is refused unread."""
    try:
        if limit is not None and path.is_file():
            check_size(path.stat().st_size, str(path), limit)
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
            garbled = "".join(c for c in mojibake(text, gb=encoding == "gb18030") if c.isprintable())
            if garbled:
                raise InputError(
                    f"{source}：读出来的文字像乱码（如“{garbled}”），文件可能是其他编码保存的。"
                    "本工具读取 UTF-8 和 GBK/GB18030 编码的文件。",
                    hint="繁体中文 Big5、日文 Shift-JIS 等编码的文件，请用记事本或 WPS 打开后“另存为”UTF-8 编码，再试。",
                )
            return text
    raise InputError(f"{source}：无法识别文件编码，或文件不是文本。", hint=SAVE_AS_UTF8)


def decode_utf8(raw: bytes, source: str, what: str = "文件") -> str:
    """UTF-8 only, for files we wrote ourselves (drafts, eval records): another encoding means the
    file was changed by hand and is not ours any more."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"无法读取{what} {source}：{os_reason(exc)}。", hint=SAVE_AS_UTF8) from None


def read_text(path: Path, what: str = "文件", *, utf8_only: bool = False, limit: Kind = "data") -> str:
    """The text of a file a person gave us; ``utf8_only`` for the files this tool writes. Data
    files, suites, replays and texts are held to the data file's size limit unless ``limit`` says
    otherwise."""
    raw = read_bytes(path, what, limit=limit)
    return decode_utf8(raw, str(path), what) if utf8_only else decode(raw, str(path))


def mojibake(text: str, *, gb: bool) -> str:
    """A sample of the text if it reads as nonsense (mojibake), else "".

    Two ways a file goes wrong without failing to decode. Big5 (traditional Chinese) and
    Shift-JIS (Japanese) bytes are nearly all valid GB18030 too, but decode to characters outside
    GB2312, the 6,763 common simplified characters that make up almost all of a Chinese office's
    text (a few rare names outside it are normal; a tenth of the characters is not). And UTF-8 text
    that was once read as Latin-1 and saved again shows runs such as “å¤§å…´”."""
    sample = text[:200_000]
    if gb:
        chinese = [c for c in sample if ord(c) >= 0x80 and not c.isspace()]
        if len(chinese) >= 8:
            rare = [c for c in chinese if not _in_gb2312(c)]
            if len(rare) * 10 > len(chinese):
                return "".join(rare[:8])
        return ""
    for match in _LATIN_RUN.finditer(sample):
        run = match.group()
        # Back to the bytes they were: Windows-1252 for its own characters (… “ ‰), Latin-1 for
        # the rest (the five bytes 1252 leaves undefined pass through as U+0081 and the like).
        raw = b"".join(bytes([ord(c)]) if ord(c) < 0x100 else c.encode("cp1252") for c in run)
        try:
            again = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any("\u3000" <= c <= "\u9fff" for c in again):
            return run[:12]
    return ""


def _in_gb2312(c: str) -> bool:
    """A character of GB2312 (and its full-width forms and symbols): two bytes, both ≥ 0xA1."""
    try:
        raw = c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(raw) == 2


# Characters a UTF-8 multi-byte sequence becomes when read as Windows-1252, three or more in a row.
_LATIN_RUN = re.compile(
    "[\u00c0-\u00ff\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{3,}"
)


def looks_like_text(text: str) -> bool:
    """Random bytes often decode as GB18030; real text has few control characters."""
    sample = text[:20000]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\f\v")
    odd = sum(1 for c in sample if 0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd")
    return (control + odd) <= max(2, len(sample) // 200)


# --- atomic writes ---------------------------------------------------------------------------
#
# One file is written to a temporary file beside it and renamed into place: a reader sees the old
# file or the new one, never half of one. A set of files (a draft's .draft.json and its .md, .docx,
# .html …) cannot be renamed at once, and people open the visible files directly (2025.docx in
# Word), so they stay plain files and a journal makes the set change together:
#
#   1. a journal ``.<name>.<random>.journal`` beside the first file names every file of the set,
#      its temporary file and its backup, and is flushed to disk;
#   2. the temporary files are written out in full and flushed; each old file gets a backup (a
#      hard link: no copy);
#   3. the temporary files are renamed over the files, one by one, and the folder is flushed;
#   4. the journal is removed — the commit point — and then the backups.
#
# While a journal is there, the set is not done: a process killed at any step before 4 leaves one,
# and the next run takes the set back from it (temporary files removed, renamed files restored from
# their backups, new files removed), as a rename that fails does at once. So a kill at any instant
# leaves the old set or the new one. The next run is whichever command next writes to the folder
# or reads a draft or a report from it (``recover``). While its writer lives, a journal is locked
# (``flock``), and so is a single file's temporary file, so a second process working in the same
# folder never mistakes them for leftovers; anything else of ours there (``.<name>.<random>.tmp``
# / ``.bak``, from a run killed mid-write or from a version of this tool before the journal) is
# removed.

_LEFTOVER = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.(tmp|bak|journal)$")
# A file of ours before it is locked (``_create``); left behind only by a kill in that instant, and
# then empty: removed by ``recover`` once it is an hour old.
_UNLOCKED: Final = ".new"
_STALE_UNLOCKED = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.(tmp|bak|journal)\.new$")


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it into place: a reader sees the old
    file or the new one, never half of one, even if the process is killed mid-write."""
    atomic_write_all({path: content})


def atomic_write_all(outputs: Mapping[Path, str | bytes]) -> None:
    """Write several files that belong together (a draft and its documents) so that they change
    together, even if the process is killed at any instant (see above): every new file is written
    out in full before the first one replaces its old self; if a replacement fails, the files
    already replaced get their old content back; if the process dies, the next run takes the set
    back the same way."""
    if not outputs:
        return
    paths = list(outputs)
    recover(paths[0].parent)
    if len(paths) == 1:
        _write_one(paths[0], outputs[paths[0]])
    else:
        _write_set(paths, outputs)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file written in pieces (a dashboard of thousands of reports, a long list) that appears at
    ``path`` only when complete: written to a temporary file beside it (locked while written, as
    ``atomic_write``'s) and renamed into place when the block ends; if the block fails, the
    temporary file is removed and the old file stays."""
    recover(path.parent)
    tmp, fd = _new_name(path, "tmp")
    try:
        if os.chmod in os.supports_fd:
            os.chmod(fd, _mode_for(path))
        with os.fdopen(fd, "wb", closefd=False) as f:
            yield f
            f.flush()
        os.fsync(fd)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        os.close(fd)
        if isinstance(exc, OSError):
            raise OutputError(f"无法写入 {path}：{os_reason(exc)}。") from None
        raise
    _into_place(tmp, fd, path)


def _write_one(path: Path, content: str | bytes) -> None:
    tmp, fd = _write_temp(path, content)
    _into_place(tmp, fd, path)


def _into_place(tmp: str, fd: int, path: Path) -> None:
    """Rename the finished temporary file ``tmp`` (open as ``fd``, which locks it) over ``path``."""
    if os.name == "nt":  # Windows renames no open file; there leftovers are judged by age
        os.close(fd)
        fd = -1
    try:
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"无法写入 {path}：{os_reason(exc)}。") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        if fd >= 0:
            os.close(fd)  # the lock that marked the temporary file as in use goes with it


def _write_set(paths: list[Path], outputs: Mapping[Path, str | bytes]) -> None:
    import json

    journal, journal_fd = _new_name(paths[0], "journal")
    entries: list[dict[str, object]] = []
    for p in paths:
        new = not p.exists()
        entries.append(
            {
                "target": os.path.abspath(p),
                "temp": os.path.abspath(_new_name(p, "tmp", create=False)[0]),
                "backup": None if new else os.path.abspath(_new_name(p, "bak", create=False)[0]),
                "new": new,
            }
        )
    made: list[str] = []  # temporary files and backups
    try:
        _append(journal_fd, json.dumps({"entries": entries}, ensure_ascii=False))
        for path, entry in zip(paths, entries, strict=True):
            fd = _create(str(entry["temp"]), path)
            made.append(str(entry["temp"]))
            try:
                _fill(fd, path, outputs[path])
            finally:
                os.close(fd)  # the journal, locked while this process lives, names it as in use
        for path, entry in zip(paths, entries, strict=True):
            if entry["backup"] is not None:
                _link(path, str(entry["backup"]))
                made.append(str(entry["backup"]))
        for entry in entries:
            try:
                os.replace(str(entry["temp"]), str(entry["target"]))
            except OSError as exc:
                raise OutputError(
                    f"无法写入 {entry['target']}：{os_reason(exc)}。同一批的其他文件已恢复原样。"
                ) from None
        _sync_folder(paths[0].parent)
    except BaseException:
        # A failed rename, a full disk, Ctrl-C: the set is taken back now, as the next run would.
        try:
            _take_back(entries)
        except OSError:  # the journal stays, and the next run finishes taking the set back
            os.close(journal_fd)
            raise
        _remove(made)
        Path(journal).unlink(missing_ok=True)
        os.close(journal_fd)
        raise
    Path(journal).unlink(missing_ok=True)  # the commit point: the new set is the set
    os.close(journal_fd)
    _remove(made)


def write_text(path: Path, text: str) -> None:
    """Atomically, its folder made first: a reader never sees half a record or half a report."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建文件夹 {path.parent}：{os_reason(exc)}") from None
    atomic_write(path, text)


# --- the pieces ----------------------------------------------------------------------------------


def _new_name(path: Path, kind: str, *, create: bool = True) -> tuple[str, int]:
    """A fresh ``.<name>.<random>.<kind>`` beside ``path``; created (and locked) when ``create``."""
    import secrets

    while True:
        name = str(path.with_name(f".{path.name}.{secrets.token_hex(4)}.{kind}"))
        if not create:
            if not os.path.lexists(name):
                return name, -1
            continue
        try:
            return name, _create(name, path)
        except FileExistsError:
            continue


def _create(name: str, path: Path) -> int:
    """Create ``name`` exclusively, locked by this process until it closes the descriptor.

    The file is made and locked under a name ``recover`` does not look at, then linked to ``name``:
    made under ``name`` itself, it would stand unlocked for an instant, and another writer in the
    same folder (``batch collect`` and ``draft --jobs`` write many drafts at once) could take it for
    a leftover and remove it."""
    hidden = name + _UNLOCKED
    try:
        fd = os.open(hidden, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise
    except OSError as exc:
        raise OutputError(f"无法在 {path.parent} 写入文件：{os_reason(exc)}。") from None
    try:
        _lock(fd)
        os.link(hidden, name)  # FileExistsError when the name is taken: the caller draws another
    except BaseException:
        os.close(fd)
        raise
    finally:
        Path(hidden).unlink(missing_ok=True)
    return fd


def _write_temp(path: Path, content: str | bytes) -> tuple[str, int]:
    """A temporary file beside ``path`` holding ``content``, flushed to disk, still open (and so
    locked): its name and descriptor."""
    tmp, fd = _new_name(path, "tmp")
    try:
        _fill(fd, path, content)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        os.close(fd)
        raise
    return tmp, fd


def _fill(fd: int, path: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        # The file is made private (0600); give it the mode any new file would get, or keep the
        # mode of the file it replaces, so a web server can still serve the portal page.
        if os.chmod in os.supports_fd:
            os.chmod(fd, _mode_for(path))
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{os_reason(exc)}。") from None


def _append(fd: int, line: str) -> None:
    """One line of a journal, on disk before the next step."""
    os.write(fd, (line + "\n").encode("utf-8"))
    os.fsync(fd)


def _link(target: Path, backup: str) -> None:
    """A hard link to the current file (no copy, same disk), to restore it on rollback."""
    import shutil

    try:
        os.link(target, backup)
    except OSError:  # a file system without hard links
        try:
            shutil.copy2(target, backup)
        except OSError as exc:
            raise OutputError(f"无法写入 {target}：{os_reason(exc)}。") from None


def _lock(fd: int) -> None:
    """Mark a file of ours as in use: released by the system when the process ends, however."""
    try:
        import fcntl
    except ImportError:  # Windows: leftovers are then judged by age (``_abandoned``)
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _abandoned(path: str) -> bool:
    """Whether no living process holds this file of ours."""
    try:
        import fcntl
    except ImportError:
        import time

        try:
            return time.time() - os.path.getmtime(path) > 3600
        except OSError:
            return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # held: its writer is alive
    finally:
        os.close(fd)
    return True


def _sync_folder(folder: Path) -> None:
    """Renames are durable once the folder is flushed (POSIX; Windows has no such call)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _remove(paths: Iterable[str]) -> None:
    for p in list(paths):
        Path(p).unlink(missing_ok=True)


# --- recovery: the next run completes or takes back what a killed one left ----------------------


def recover(folder: Path) -> None:
    """Take back every set of files a killed process left half-replaced in ``folder`` (its journal
    says which), and remove our leftover temporary files and backups. Best effort: a folder that
    cannot be listed or written is left as it is, and the command goes on."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    names = [e.name for e in entries if _LEFTOVER.match(e.name)]
    for e in entries:
        if _STALE_UNLOCKED.match(e.name):
            with contextlib.suppress(OSError):
                if time.time() - e.stat().st_mtime > 3600:
                    os.unlink(e.path)
    if not names:
        return
    in_use: set[str] = set()
    for name in sorted(n for n in names if n.endswith(".journal")):
        journal = str(folder / name)
        if _abandoned(journal):
            try:
                _finish(journal)
                Path(journal).unlink(missing_ok=True)
            except OSError:
                pass
        else:  # a living writer: its files are not leftovers
            in_use |= {Path(p).name for p in _journal_files(journal)}
    for name in names:
        path = folder / name
        if name.endswith(".journal") or name in in_use or not path.exists():
            continue
        if _abandoned(str(path)):
            path.unlink(missing_ok=True)


def _read_journal(journal: str) -> list[dict[str, object]]:
    import json

    try:
        with open(journal, encoding="utf-8") as f:
            first = f.readline()
        entries = json.loads(first)["entries"]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # torn before its first line was on disk: nothing of the set was written yet
    return [e for e in entries if isinstance(e, dict)]


def _journal_files(journal: str) -> list[str]:
    return [str(e[k]) for e in _read_journal(journal) for k in ("temp", "backup") if e.get(k)]


def _finish(journal: str) -> None:
    """Take back the set a journal names (see above); idempotent, so a run killed while taking it
    back leaves a journal the next run finishes the same way."""
    _take_back(_read_journal(journal))


def _take_back(entries: list[dict[str, object]]) -> None:
    for entry in entries:
        target, temp, backup = str(entry.get("target")), str(entry.get("temp")), entry.get("backup")
        if os.path.exists(temp):
            os.unlink(temp)  # never renamed (or never finished): the old file is in place
        elif backup and os.path.exists(str(backup)):
            os.replace(str(backup), target)  # renamed: the old file comes back
        elif entry.get("new") and not backup:
            Path(target).unlink(missing_ok=True)  # a file the set added
    if entries:
        _sync_folder(Path(str(entries[0].get("target"))).parent)


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
