"""The review's results, kept by what they were computed from, in one SQLite file.

Where: ``<OUT_DIR>/.cache/review.sqlite``, beside the dashboard it feeds, not under DRAFTING_HOME.
A review's output folder is the reviewer's working set — often on a shared drive a colleague
re-runs from — and the cache is worth exactly as much as the outputs next to it: kept with them,
copied with them, deleted with them, and never grown by every folder anyone ever reviewed.

Key: the SHA-256 of the file's bytes, and of last year's file's when the record compares the two
(a result depends on nothing else: the file's name and place, the manifest and the reviewer's
decisions are applied afterwards). Each row also holds the check library's version
(``version.check_version``); rows of another version are not served and are dropped when the cache
is opened, so a new release re-checks everything once. Records are JSON, zlib-compressed; each is
committed as soon as it arrives, so a run stopped with Ctrl-C (or killed) keeps every file it
finished. Only the main process writes; the workers return their records to it.

A cache file that is damaged is set aside and started afresh (the review then checks everything):
the cache must never be the reason a review cannot run.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any, Literal

from ..errors import OutputError, os_reason

# What the run needs of every record before it loads any (to pair the years): kept beside it.
SUMMARY_FIELDS = ("status", "reason", "title", "agency", "year", "seconds")
_BUSY = "请确认输出文件夹可写、磁盘未满，且没有另一个 drafting review 正在使用同一输出文件夹。"
SCHEMA = 1  # the table's layout, in PRAGMA user_version
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS results ("
    " key TEXT PRIMARY KEY, version TEXT NOT NULL, summary TEXT NOT NULL, record BLOB NOT NULL)"
)


Packed = tuple[dict[str, Any], bytes]  # a record's summary, and the whole record compressed


def pack(record: dict[str, Any]) -> Packed:
    """A record as the cache keeps it. Done in the worker process that made the record, so that
    the main process handles a few compressed kilobytes per file, never the record itself."""
    blob = zlib.compress(json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    return {k: record.get(k) for k in SUMMARY_FIELDS}, blob


def unpack(blob: bytes) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(zlib.decompress(blob))
    return record


class ResultCache:
    def __init__(self, path: Path, version: str) -> None:
        self.path = path
        self.version = version
        self.reset = False  # the file was damaged and started afresh
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法创建缓存文件夹 {path.parent}：{os_reason(exc)}。") from None
        try:
            try:
                self._db = self._open()
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError:  # not a database any more: damaged
                self._set_aside()
                self._db = self._open()
        except sqlite3.OperationalError:
            raise OutputError(f"无法打开缓存文件 {self.path}。", hint=_BUSY) from None

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=5000")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                db.execute("DROP TABLE IF EXISTS results")  # an older layout: start afresh
                db.execute(f"PRAGMA user_version={SCHEMA}")
            db.execute(_SCHEMA)
            db.execute("DELETE FROM results WHERE version != ?", (self.version,))
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self) -> None:
        self.reset = True
        for suffix in ("", "-wal", "-shm"):
            damaged = Path(f"{self.path}{suffix}")
            if damaged.exists():
                damaged.replace(Path(f"{self.path}{suffix}.damaged"))

    def _stored(self, column: Literal["key", "summary", "record"], key: str) -> Any:
        """One column of the row kept for ``key`` by this version of the checks; None when there is
        none (every column is NOT NULL)."""
        row = self._db.execute(
            f"SELECT {column} FROM results WHERE key = ? AND version = ?", (key, self.version)
        ).fetchone()
        return None if row is None else row[0]

    def get(self, key: str) -> dict[str, Any] | None:
        blob = self._stored("record", key)
        if blob is None:
            return None
        try:
            return unpack(blob)
        except (zlib.error, ValueError):
            return None

    def has(self, key: str) -> bool:
        return self._stored("key", key) is not None

    def summary(self, key: str) -> dict[str, Any] | None:
        """What a record says of its report (``SUMMARY_FIELDS``), without loading the record."""
        text = self._stored("summary", key)
        if text is None:
            return None
        found: dict[str, Any] = json.loads(text)
        return found

    def put(self, key: str, record: dict[str, Any]) -> None:
        self.put_packed(key, *pack(record))

    def put_packed(self, key: str, summary: dict[str, Any], blob: bytes) -> None:
        """A record packed by ``pack`` (in the worker that made it)."""
        text = json.dumps(summary, ensure_ascii=False)
        try:
            self._db.execute(
                "INSERT OR REPLACE INTO results (key, version, summary, record) VALUES (?, ?, ?, ?)",
                (key, self.version, text, blob),
            )
        except sqlite3.OperationalError:
            raise OutputError(f"无法写入缓存文件 {self.path}。", hint=_BUSY) from None

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def close(self) -> None:
        self._db.close()
