"""One writer at a time for a file, across processes and threads: ``with file_lock(path):``.

A draft is saved by ``drafting revise`` (several windows may be open on it), rewritten by
``drafting draft``, and saved by the web workspace (two tabs, the command line beside the browser).
Each of them reads the file, decides, and replaces it; without a lock two of them can both read the
same version and the second rename silently drops the first one's change. So every save of a draft
(and every file the web workspace saves, data files too) holds this lock from the moment it checks
what is on disk until its rename is done, and checks inside the lock that the file is still the one
it read (``RevisionSession._save`` compares the content digest).

Why ``flock`` on a sidecar file rather than a lock file made with ``O_EXCL``:
- the kernel releases a ``flock`` when its holder dies, however it dies (SIGKILL, power cut of a
  container, a crashed web worker), so there is never a stale lock to guess about from a pid that
  may have been reused, or that belongs to another machine sharing the folder;
- ``flock`` locks belong to an open file description, not to a process, so two threads of one web
  server that open the lock file separately exclude each other too (POSIX ``lockf``/``fcntl`` record
  locks would not: they are per process);
- it works the same on Linux and macOS. Windows has no ``fcntl``: ``msvcrt.locking`` on the same
  sidecar gives the same exclusion there (also released by the OS when its holder dies).

The sidecar is ``.<name>.lock`` beside the file (the file itself is replaced by a rename on every
save, so it cannot carry the lock). It holds who has the lock (pid, command, since when) for the
message a waiting window shows, and is removed when the lock is let go: the holder unlinks it while
it still holds it, and whoever locks a file checks that it is still the one at that path (same
inode), so a waiter that opened the old file before the unlink tries again instead of believing it
holds a lock nobody else can see.

Whoever removes leftovers from a folder (``.tmp``, ``.bak``) must not remove a ``.lock`` file
without holding its lock: a waiter would then lock a new file while the holder still holds the old
one. A ``.lock`` left by a holder that was killed is harmless (it is not locked) and goes at the
next release.

The lock is re-entrant within one thread (a web handler that holds it around a revision session's
save, which takes it too, does not wait for itself) and waits at most ``timeout`` seconds, polling:
a save holds it for milliseconds, a redraft for as long as its documents take to render.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError, os_reason

# How long a save waits for another window's save before it gives up and says so. A save holds the
# lock for milliseconds; a redraft while it renders its documents (a PDF may take seconds).
DEFAULT_WAIT = 30.0
_POLL_FIRST = 0.005
_POLL_MAX = 0.1


class FileBusy(OutputError):
    """The file is being changed by another window (process or thread) and stayed so for the whole
    wait: nothing was saved."""

    def __init__(self, path: Path, holder: str, waited: float) -> None:
        who = f"（{holder}）" if holder else ""
        super().__init__(
            f"{path} 正在被另一个窗口修改{who}，等待 {waited:.0f} 秒后仍未完成，这次修改没有保存。",
            hint="请等另一个窗口保存完毕后重试；若确认没有其他窗口在修改，请稍后重试。",
        )
        self.path = path


def lock_path(path: Path) -> Path:
    """The sidecar file that carries the lock of ``path``."""
    return path.with_name(f".{path.name}.lock")


# Locks this process holds, per thread: (thread id, sidecar path) → (fd, depth).
_held: dict[tuple[int, str], tuple[int, int]] = {}
_held_guard = threading.Lock()


@contextmanager
def file_lock(path: Path | str, *, timeout: float = DEFAULT_WAIT) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` (which need not exist yet) for the ``with`` block.

    Raises ``FileBusy`` (an ``OutputError``: exit code 2) if another process or thread holds it
    for longer than ``timeout`` seconds, and ``OutputError`` if the folder cannot be written."""
    sidecar = lock_path(Path(path))
    key = (threading.get_ident(), os.path.realpath(sidecar))  # one key however the path is spelt
    with _held_guard:
        mine = _held.get(key)
        if mine is not None:
            _held[key] = (mine[0], mine[1] + 1)
    if mine is not None:  # this thread holds it already
        try:
            yield
        finally:
            with _held_guard:
                fd, depth = _held[key]
                _held[key] = (fd, depth - 1)
        return
    fd = _acquire(Path(path), sidecar, timeout)
    with _held_guard:
        _held[key] = (fd, 1)
    try:
        yield
    finally:
        with _held_guard:
            del _held[key]
        _release(sidecar, fd)


def holder(path: Path | str) -> str:
    """Who holds the lock of ``path`` as its sidecar says (``进程 123：drafting revise，10:31:05 起``),
    or "" when nobody does or it cannot be told."""
    try:
        raw = lock_path(Path(path)).read_text(encoding="utf-8")
        info = json.loads(raw)
        return f"进程 {int(info['pid'])}：{info['what']}，{info['since']} 起"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def _acquire(path: Path, sidecar: Path, timeout: float) -> int:
    started = time.monotonic()
    pause = _POLL_FIRST
    while True:
        fd = _open(sidecar)
        try:
            if _try_lock(fd):
                if _still_there(fd, sidecar):
                    _describe(fd)
                    return fd
                _unlock(fd)
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)
        waited = time.monotonic() - started
        if waited >= timeout:
            raise FileBusy(path, holder(path), waited)
        time.sleep(min(pause, max(0.0, timeout - waited)))
        pause = min(pause * 2, _POLL_MAX)


def _open(sidecar: Path) -> int:
    try:
        return os.open(sidecar, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    except OSError as exc:
        raise OutputError(
            f"无法在 {sidecar.parent} 建立修改锁（{sidecar.name}）：{os_reason(exc)}。",
            hint="请确认该文件夹存在并且可以写入。",
        ) from None


def _still_there(fd: int, sidecar: Path) -> bool:
    """The file we locked is the one at the path (its last holder may have removed it meanwhile)."""
    try:
        here, there = os.fstat(fd), os.stat(sidecar)
    except OSError:
        return False
    return (here.st_dev, here.st_ino) == (there.st_dev, there.st_ino)


def _describe(fd: int) -> None:
    """Write who holds the lock, for the message of whoever waits for it. Best effort."""
    command = " ".join(Path(a).name if i == 0 else a for i, a in enumerate(sys.argv[:2]))
    info = {
        "pid": os.getpid(),
        "what": command or "drafting",
        "since": dt.datetime.now().strftime("%H:%M:%S"),
    }
    data = json.dumps(info, ensure_ascii=False).encode("utf-8")
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
    except OSError:
        pass


def _release(sidecar: Path, fd: int) -> None:
    # Unlink while still holding: a waiter that opened this file finds it gone and starts over.
    if sys.platform != "win32":  # Windows cannot remove an open file; the sidecar stays there
        try:
            sidecar.unlink()
        except OSError:
            pass
    try:
        _unlock(fd)
    finally:
        os.close(fd)


if sys.platform == "win32":  # pragma: no cover - the tests run on Linux
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
