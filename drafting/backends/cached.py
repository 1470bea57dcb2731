"""A response cache on stdlib sqlite3, so re-drafting unchanged data costs no tokens.

The key is a hash of what decides the answer: base URL, model, the rendered messages (which carry
the prompt version) and the parameters. Never the API key, timeouts or retry settings. Values are
JSON (no pickle). Only validated answers are stored: an error raises before ``put`` is reached.
The file lives in the user's cache folder, or under ``$DRAFTING_HOME/cache``.

The cache is bounded: the answers it holds may take ``max_bytes`` at most (the ``cache_max_mb``
setting); past that, the answers used least recently are removed first (each hit records when it
was used). An answer longer than its request allows (``ChatRequest.max_chars``, kept from before
answers were bounded) is treated as a miss, never served.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import config
from ..errors import OutputError, os_reason
from .base import Backend, ChatRequest, Completion, OnText, Usage

if TYPE_CHECKING:
    from ..config import Settings
    from .endpoints import Endpoint

FILE_NAME = "responses.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    value TEXT NOT NULL,
    created REAL NOT NULL,
    used REAL NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0
)
"""
# Columns added since the first version of the file: an older cache gains them when opened.
_ADDED = {"used": "REAL NOT NULL DEFAULT 0", "size": "INTEGER NOT NULL DEFAULT 0"}
DEFAULT_MAX_BYTES = 200_000_000
# Eviction goes below the cap by this share, so that the next answers do not each evict again.
_EVICT_TO = 0.9


def default_path() -> Path:
    return config.cache_dir() / FILE_NAME


def cache_key(base_url: str, model: str, request: ChatRequest) -> str:
    payload = {
        "base_url": base_url.rstrip("/"),
        "model": model,
        "messages": [[m.role, m.content] for m in request.messages],
        "params": request.params(),
    }
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheStats:
    path: Path
    entries: int
    size_bytes: int
    by_model: dict[str, int]
    oldest: float | None
    newest: float | None
    stored_bytes: int = 0  # the answers themselves, what the cap counts
    max_bytes: int = DEFAULT_MAX_BYTES


class ResponseCache:
    """Thread-safe: each operation opens its own short connection (sqlite serialises writers)."""

    def __init__(self, path: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.path = path or default_path()
        self.max_bytes = max_bytes
        self._ready = False
        self._lock = threading.Lock()

    def _init(self) -> None:
        """Create the file once, under a lock: switching to WAL needs the database to itself, so
        the first sections of a draft must not all try it at once."""
        with self._lock:
            if self._ready:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            for attempt in range(5):
                conn = sqlite3.connect(self.path, timeout=30)
                try:
                    conn.execute("PRAGMA journal_mode=WAL")  # readers never wait for a writer
                    conn.execute(_SCHEMA)
                    _upgrade(conn)
                    conn.commit()
                    break
                except sqlite3.OperationalError as exc:  # another process is setting it up
                    if "locked" not in str(exc) or attempt == 4:
                        raise
                    time.sleep(0.1 * (attempt + 1))
                finally:
                    conn.close()
            self._ready = True

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self._init()
            conn = sqlite3.connect(self.path, timeout=30)
            try:
                with conn:
                    yield conn
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise OutputError(
                f"无法使用响应缓存 {self.path}：{exc}。",
                hint="可用 --no-cache 跳过缓存，或运行 drafting cache clear 重建缓存。",
            ) from None
        except OSError as exc:
            raise OutputError(f"无法创建响应缓存目录 {self.path.parent}：{os_reason(exc)}。") from None

    def get(self, key: str, max_chars: int | None = None) -> Completion | None:
        """The stored answer, or None; one longer than ``max_chars`` is a miss."""
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM responses WHERE key = ?", (key,)).fetchone()
            if row is not None:
                conn.execute("UPDATE responses SET used = ? WHERE key = ?", (time.time(), key))
        if row is None:
            return None
        try:
            value = json.loads(row[0])
            usage = Usage(**value.pop("usage"))
            hit = Completion(**value, usage=usage, cached=True, latency=0.0, attempts=0)
        except (TypeError, ValueError, KeyError):
            return None  # written by another version: treat as a miss, overwritten on put
        if max_chars is not None and len(hit.text) > max_chars:
            return None  # stored before answers were bounded: asked again, and replaced
        return hit

    def put(self, key: str, completion: Completion, model: str) -> None:
        """Store a validated answer; ``model`` is the model asked for (the stats group by it)."""
        self.put_many([(key, completion, model)])

    def put_many(self, items: Sequence[tuple[str, Completion, str]]) -> None:
        """Store validated answers (key, answer, model asked for) in one transaction: a commit
        waits for the disk, so a batch's hundreds of answers go in together, not one by one."""
        now = time.time()
        rows = []
        for key, completion, model in items:
            value = {
                "text": completion.text,
                "finish_reason": completion.finish_reason,
                "model": completion.model,
                "usage": dataclasses.asdict(completion.usage),
            }
            text = json.dumps(value, ensure_ascii=False)
            size = len(text.encode("utf-8"))
            if size <= self.max_bytes:  # larger than the whole cache may be: not worth keeping
                rows.append((key, model, text, now, now, size))
        if not rows:
            return
        with self._connect() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO responses (key, model, value, created, used, size)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._evict(conn)

    def _evict(self, conn: sqlite3.Connection) -> None:
        """Remove the least recently used answers until the rest fit under the cap."""
        (total,) = conn.execute("SELECT COALESCE(SUM(size), 0) FROM responses").fetchone()
        if total <= self.max_bytes:
            return
        goal = total - int(self.max_bytes * _EVICT_TO)
        freed = 0
        doomed: list[str] = []
        for key, size in conn.execute("SELECT key, size FROM responses ORDER BY used, created"):
            if freed >= goal:
                break
            doomed.append(key)
            freed += size
        conn.executemany("DELETE FROM responses WHERE key = ?", [(k,) for k in doomed])

    def stats(self) -> CacheStats:
        if not self.path.exists():
            return CacheStats(self.path, 0, 0, {}, None, None)
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT model, COUNT(*) FROM responses GROUP BY model ORDER BY model"
            ).fetchall()
            oldest, newest, stored = conn.execute(
                "SELECT MIN(created), MAX(created), COALESCE(SUM(size), 0) FROM responses"
            ).fetchone()
        size = sum(p.stat().st_size for p in self.path.parent.glob(self.path.name + "*") if p.is_file())
        by_model = {str(m): int(n) for m, n in rows}
        return CacheStats(
            self.path, sum(by_model.values()), size, by_model, oldest, newest, int(stored), self.max_bytes
        )

    def clear(self) -> int:
        """Remove every entry; a file that is not a usable database is deleted instead."""
        if not self.path.exists():
            return 0
        try:
            with self._connect() as conn:
                removed = conn.execute("DELETE FROM responses").rowcount
            with self._connect() as conn:
                conn.isolation_level = None  # VACUUM cannot run inside a transaction
                conn.execute("VACUUM")
        except OutputError:
            for part in self.path.parent.glob(self.path.name + "*"):
                part.unlink(missing_ok=True)
            self._ready = False
            return 0
        return int(removed)


class CachedBackend:
    """A backend that answers from the cache when it can and stores what the inner one answered."""

    def __init__(self, inner: Backend, cache: ResponseCache, base_url: str, model: str) -> None:
        self.inner = inner
        self.cache = cache
        self._scope = (base_url, model)

    @property
    def name(self) -> str:
        return self.inner.name

    def close(self) -> None:
        self.inner.close()

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion:
        key = cache_key(*self._scope, request)
        hit = self.cache.get(key, request.max_chars)
        if hit is not None:
            if on_text is not None:
                on_text(hit.text)
            return hit
        completion = self.inner.complete(request, on_text)  # an error propagates and nothing is stored
        self.cache.put(key, completion, self._scope[1])
        return completion

    def store(self, answers: Sequence[tuple[ChatRequest, Completion]]) -> None:
        """Keep answers fetched another way (a provider batch's, validated as ours are) under the
        keys this backend would have asked them with."""
        model = self._scope[1]
        self.cache.put_many([(cache_key(*self._scope, r), c, model) for r, c in answers])


def cached(
    inner: Backend,
    endpoint: Endpoint,
    repeat: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    *,
    sample: int = 1,
) -> CachedBackend:
    """``inner`` behind the response cache (``max_bytes`` at most). A repeat after the first (an
    eval's) has its own cache scope, or every repeat would replay the first answer; the first
    shares the cache with ``drafting draft``. So does a judge's sample after the first: several
    samples of one model at a temperature above 0 are several graders, each with its own answer."""
    scope = endpoint.base_url + ("" if repeat == 1 else f"#repeat={repeat}")
    scope += "" if sample == 1 else f"#sample={sample}"
    return CachedBackend(inner, ResponseCache(max_bytes=max_bytes), scope, endpoint.model)


def max_bytes_of(settings: Settings) -> int:
    """The cache's cap in bytes, from the ``cache_max_mb`` setting."""
    return int(settings.cache_max_mb * 1_000_000)


def _upgrade(conn: sqlite3.Connection) -> None:
    """Bring a cache file written by an earlier version up to this schema."""
    have = {row[1] for row in conn.execute("PRAGMA table_info(responses)")}
    for column, kind in _ADDED.items():
        if column not in have:
            conn.execute(f"ALTER TABLE responses ADD COLUMN {column} {kind}")
    conn.execute("UPDATE responses SET size = length(CAST(value AS BLOB)) WHERE size = 0")
    conn.execute("UPDATE responses SET used = created WHERE used = 0")
