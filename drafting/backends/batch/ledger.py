"""The durable record of batch drafting: SQLite under ``$DRAFTING_HOME/batch`` (or the user's data folder).

Four tables. ``jobs``: one ``batch submit`` (endpoint, output folder, formats; the key's variable,
never the key). ``agencies``: one data file as submitted (its digest; its draft once written).
``requests``: one row per agency × section × attempt — state, shard, custom id, answer, tokens,
timestamps. ``shards``: one JSONL file and the remote file and batch made from it.

Every step is written ahead: a shard is planned (its requests recorded) before its file is written,
marked ``uploading`` before the upload and ``creating`` before the batch is created, so that a run
killed at any point finds on restart what it meant to do and asks the provider what was done
(``BatchClient.find_file``/``find_batch``) instead of doing it twice. Changes that belong together
are one transaction. The schema grows by migrations, applied once each and recorded in
``_drafting_migrations`` (simonw/llm's pattern).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final, Literal, TypeVar, cast

from ... import config
from ...errors import OutputError, os_reason
from ...locks import file_lock
from .lines import LineResult

FILE_NAME = "ledger.sqlite3"

RequestState = Literal["queued", "sent", "answered", "failed", "used"]
ShardState = Literal["planned", "written", "uploading", "uploaded", "creating", "created", "downloaded"]
AgencyState = Literal["waiting", "written", "superseded"]


def batch_dir() -> Path:
    """``$DRAFTING_HOME/batch``, or ``batch`` in the user's data folder."""
    base = config.home()
    return base / "batch" if base is not None else config.data_dir() / "batch"


def default_path() -> Path:
    return batch_dir() / FILE_NAME


# --- migrations --------------------------------------------------------------------------------

Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register a migration; they run in the order they are defined, each once."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    db.execute(
        """CREATE TABLE jobs (
            id INTEGER PRIMARY KEY,
            created REAL NOT NULL,
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            base_url TEXT NOT NULL,
            api_key_env TEXT NOT NULL,
            out_dir TEXT NOT NULL,
            formats TEXT NOT NULL,
            previous TEXT
        )"""
    )
    db.execute(
        """CREATE TABLE agencies (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            data_path TEXT NOT NULL,
            stem TEXT NOT NULL,
            agency TEXT NOT NULL,
            data_digest TEXT NOT NULL,
            prompt_versions TEXT NOT NULL,
            state TEXT NOT NULL,
            files TEXT,
            note TEXT,
            created REAL NOT NULL,
            updated REAL NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE shards (
            id INTEGER PRIMARY KEY,
            job_id INTEGER NOT NULL REFERENCES jobs(id),
            name TEXT NOT NULL UNIQUE,
            requests INTEGER NOT NULL,
            bytes INTEGER,
            sha256 TEXT,
            state TEXT NOT NULL,
            file_id TEXT,
            batch_id TEXT,
            remote_status TEXT,
            total INTEGER,
            completed INTEGER,
            failed INTEGER,
            errors TEXT,
            created REAL NOT NULL,
            updated REAL NOT NULL
        )"""
    )
    db.execute(
        """CREATE TABLE requests (
            custom_id TEXT PRIMARY KEY,
            agency_id INTEGER NOT NULL REFERENCES agencies(id),
            shard_id INTEGER REFERENCES shards(id),
            section TEXT NOT NULL,
            stage INTEGER NOT NULL,
            attempt INTEGER NOT NULL,
            body TEXT NOT NULL,
            state TEXT NOT NULL,
            answer TEXT,
            model TEXT,
            error TEXT,
            error_kind TEXT,
            retryable INTEGER,
            expired INTEGER NOT NULL DEFAULT 0,
            prompt_tokens INTEGER,
            completion_tokens INTEGER,
            estimated INTEGER NOT NULL DEFAULT 0,
            created REAL NOT NULL,
            updated REAL NOT NULL
        )"""
    )
    db.execute("CREATE INDEX requests_by_agency ON requests (agency_id, section, stage, attempt)")
    db.execute("CREATE INDEX requests_by_shard ON requests (shard_id)")
    db.execute("CREATE INDEX agencies_by_path ON agencies (data_path, state)")


@migration
def m002_file_digest(db: sqlite3.Connection) -> None:
    # The bytes of the data file (and last year's) as submitted: an unchanged file is known without
    # parsing it, so submitting thousands of files again costs a hash each.
    db.execute("ALTER TABLE agencies ADD COLUMN file_digest TEXT")
    db.execute("CREATE INDEX agencies_by_file ON agencies (data_path, file_digest)")


def migrate(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS _drafting_migrations (name TEXT PRIMARY KEY, applied REAL)")
    applied = {row[0] for row in db.execute("SELECT name FROM _drafting_migrations")}
    for fn in MIGRATIONS:
        if fn.__name__ in applied:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            fn(db)
            db.execute("INSERT INTO _drafting_migrations VALUES (?, ?)", (fn.__name__, time.time()))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise


# --- rows ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    id: int
    created: float
    provider: str
    model: str
    base_url: str
    api_key_env: str
    out_dir: str
    formats: tuple[str, ...]
    previous: str | None

    @property
    def spec(self) -> str:
        return f"{self.provider}:{self.model}"


@dataclass(frozen=True)
class Agency:
    id: int
    job_id: int
    data_path: str
    stem: str
    agency: str
    data_digest: str
    prompt_versions: dict[str, str]
    state: AgencyState
    files: list[str]
    note: str


@dataclass(frozen=True)
class Shard:
    id: int
    job_id: int
    name: str
    requests: int
    bytes: int | None
    sha256: str | None
    state: ShardState
    file_id: str | None
    batch_id: str | None
    remote_status: str | None
    total: int | None
    completed: int | None
    failed: int | None
    errors: list[str]
    created: float
    updated: float


@dataclass(frozen=True)
class Request:
    custom_id: str
    agency_id: int
    shard_id: int | None
    section: str
    stage: int  # 1: the first ask; 2: the re-ask that carries the check's findings
    attempt: int  # 1, 2 …: how many times this (agency, section) was sent, every stage counted
    body: dict[str, Any]
    state: RequestState
    answer: str | None
    model: str | None
    error: str | None
    error_kind: str | None
    retryable: bool
    expired: bool
    prompt_tokens: int
    completion_tokens: int
    estimated: bool
    created: float
    updated: float


@dataclass(frozen=True)
class NewRequest:
    """A request to record: which agency (by index into the agencies given with it), what to send."""

    custom_id: str
    agency: int  # index into the new agencies, or an existing agency's id when ``existing`` is set
    section: str
    stage: int
    attempt: int
    body: dict[str, Any]
    existing: bool = False


@dataclass(frozen=True)
class NewAgency:
    data_path: str
    stem: str
    agency: str
    data_digest: str
    prompt_versions: dict[str, str]
    file_digest: str = ""


def _versions(versions: dict[str, str]) -> str:
    return json.dumps(versions, sort_keys=True)


_T = TypeVar("_T")

# How a column is stored when it is not the field's own value: JSON text for lists and dicts (NULL
# for an empty list), 0/1 for flags, NULL for a count not yet known.
_JSON: Final = {"formats", "prompt_versions", "files", "errors", "body"}
_FLAGS: Final = {"retryable", "expired", "estimated"}
_ZERO_WHEN_NULL: Final = {"prompt_tokens", "completion_tokens"}
_EMPTY_WHEN_NULL: Final = {"note"}


def _column(name: str, value: Any) -> Any:
    if name in _JSON:
        decoded = json.loads(value or "[]")
        return tuple(decoded) if name == "formats" else decoded
    if name in _FLAGS:
        return bool(value)
    if name in _ZERO_WHEN_NULL:
        return value or 0
    if name in _EMPTY_WHEN_NULL:
        return value or ""
    return value


def _from_row(kind: Callable[..., _T], row: sqlite3.Row) -> _T:
    """A row of the ledger as its dataclass (``Job``, ``Agency``, ``Shard``, ``Request``): one
    column per field, by name."""
    names = [f.name for f in fields(cast(Any, kind))]
    return kind(**{name: _column(name, row[name]) for name in names})


def _plan_shard(db: sqlite3.Connection, job_id: int, name: str, requests: int, now: float) -> int:
    """A new shard, planned (not yet uploaded): its id."""
    cur = db.execute(
        "INSERT INTO shards (job_id, name, requests, state, created, updated) VALUES (?, ?, ?, 'planned', ?, ?)",
        (job_id, name, requests, now, now),
    )
    return int(cur.lastrowid or 0)


_QUEUE_REQUEST: Final = (
    "INSERT INTO requests (custom_id, agency_id, shard_id, section, stage, attempt, body, state, created, updated)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)"
)


def _queued(r: NewRequest, agency_id: int, shard_id: int | None, now: float) -> tuple[Any, ...]:
    """The values of a queued request's row (``_QUEUE_REQUEST``)."""
    body = json.dumps(r.body, ensure_ascii=False)
    return (r.custom_id, agency_id, shard_id, r.section, r.stage, r.attempt, body, now, now)


# --- the ledger ---------------------------------------------------------------------------------------


class Ledger:
    """One connection, serialised by a lock (collect re-asks from several threads); every change that
    belongs together is one ``BEGIN IMMEDIATE`` transaction, so another process waits instead of
    interleaving."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(
                    f"无法创建批量任务记录目录 {self.path.parent}：{os_reason(exc)}。"
                ) from None
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a step recorded is a step on disk
            db.execute("PRAGMA foreign_keys=ON")
            migrate(db)
            self._db = db
        return self._db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                db = self._connect()
                db.execute("BEGIN IMMEDIATE")
                try:
                    yield db
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise OutputError(
                    f"无法使用批量任务记录 {self.path}：{exc}。",
                    hint="若文件已损坏，可将其移走后重新提交（已完成的草稿不受影响）。",
                ) from None

    def lock(self, name: str, *, timeout: float = 0.0) -> AbstractContextManager[None]:
        """One process at a time for a piece of work on this ledger (``agency-12``, ``shard-3``,
        ``submit``), across processes: ``with ledger.lock(name):``. Raises ``locks.FileBusy`` after
        ``timeout`` seconds (at once by default: the other process is doing that work, so there
        is nothing to wait for). The lock files live in ``locks/`` beside the ledger."""
        folder = self.path.parent / "locks"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(f"无法创建批量任务记录目录 {folder}：{os_reason(exc)}。") from None
        return file_lock(folder / name, timeout=timeout)

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._tx() as db:
            return list(db.execute(sql, params))

    # --- jobs and agencies ---------------------------------------------------------------------

    def add_job(
        self,
        *,
        provider: str,
        model: str,
        base_url: str,
        api_key_env: str,
        out_dir: str,
        formats: Sequence[str],
        previous: str | None,
    ) -> int:
        with self._tx() as db:
            cur = db.execute(
                "INSERT INTO jobs (created, provider, model, base_url, api_key_env, out_dir, formats, previous)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    time.time(),
                    provider,
                    model,
                    base_url,
                    api_key_env,
                    out_dir,
                    json.dumps(list(formats)),
                    previous,
                ),
            )
            return int(cur.lastrowid or 0)

    def job(self, job_id: int) -> Job:
        rows = self._query("SELECT * FROM jobs WHERE id = ?", (job_id,))
        return _from_row(Job, rows[0])

    def jobs(self) -> list[Job]:
        return [_from_row(Job, r) for r in self._query("SELECT * FROM jobs ORDER BY id")]

    def move_jobs(self, job_ids: Iterable[int], base_url: str) -> None:
        """The endpoint of these jobs moved: every later call (status, collect, cancel) goes to
        ``base_url``. The remote files and batches keep their ids."""
        with self._tx() as db:
            db.executemany("UPDATE jobs SET base_url = ? WHERE id = ?", [(base_url, i) for i in job_ids])

    def agency(self, agency_id: int) -> Agency:
        return _from_row(Agency, self._query("SELECT * FROM agencies WHERE id = ?", (agency_id,))[0])

    def agencies(self, states: Iterable[AgencyState] = ("waiting", "written")) -> list[Agency]:
        marks = list(states)
        sql = f"SELECT * FROM agencies WHERE state IN ({','.join('?' * len(marks))}) ORDER BY id"
        return [_from_row(Agency, r) for r in self._query(sql, marks)]

    def set_agency(
        self, agency_id: int, *, state: AgencyState, files: Sequence[str] = (), note: str = ""
    ) -> None:
        """An agency's draft written (its requests become ``used``), or a note on why it waits."""
        with self._tx() as db:
            db.execute(
                "UPDATE agencies SET state = ?, files = ?, note = ?, updated = ? WHERE id = ?",
                (state, json.dumps(list(files), ensure_ascii=False), note, time.time(), agency_id),
            )
            if state == "written":
                db.execute(
                    "UPDATE requests SET state = 'used', updated = ? WHERE agency_id = ? AND state IN ('answered', 'failed')",
                    (time.time(), agency_id),
                )

    # --- requests and shards -----------------------------------------------------------------------

    def submitted(
        self, data_path: str, file_digest: str, versions: dict[str, str], provider: str, model: str
    ) -> bool:
        """Whether this file, byte for byte, was submitted with these prompts to this model."""
        rows = self._query(
            "SELECT 1 FROM agencies a JOIN jobs j ON j.id = a.job_id WHERE a.data_path = ? AND a.file_digest = ?"
            " AND a.prompt_versions = ? AND j.provider = ? AND j.model = ? AND a.state != 'superseded' LIMIT 1",
            (data_path, file_digest, _versions(versions), provider, model),
        )
        return bool(rows)

    def known(self, custom_ids: Iterable[str]) -> set[str]:
        ids = list(custom_ids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            sql = f"SELECT custom_id FROM requests WHERE custom_id IN ({','.join('?' * len(chunk))})"
            found.update(r[0] for r in self._query(sql, chunk))
        return found

    def plan(
        self,
        job_id: int,
        agencies: Sequence[NewAgency],
        requests: Sequence[NewRequest],
        shards: Sequence[tuple[str, range]],
    ) -> list[int]:
        """Record new agencies, their requests and the shards they go in, in one transaction (the
        intent, before any file is written). An agency's older submissions of the same file that were
        never drafted are superseded. Returns the new shards' ids."""
        now = time.time()
        with self._tx() as db:
            ids: list[int] = []
            for a in agencies:
                db.execute(
                    "UPDATE agencies SET state = 'superseded', updated = ? WHERE data_path = ? AND state = 'waiting'",
                    (now, a.data_path),
                )
                cur = db.execute(
                    "INSERT INTO agencies (job_id, data_path, stem, agency, data_digest, prompt_versions, state,"
                    " created, updated, file_digest) VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?, ?, ?)",
                    (
                        job_id,
                        a.data_path,
                        a.stem,
                        a.agency,
                        a.data_digest,
                        _versions(a.prompt_versions),
                        now,
                        now,
                        a.file_digest,
                    ),
                )
                ids.append(int(cur.lastrowid or 0))
            shard_ids: list[int] = []
            for name, members in shards:
                shard_id = _plan_shard(db, job_id, name, len(members), now)
                shard_ids.append(shard_id)
                for i in members:
                    r = requests[i]
                    agency_id = r.agency if r.existing else ids[r.agency]
                    db.execute(_QUEUE_REQUEST, _queued(r, agency_id, shard_id, now))
            return shard_ids

    def add_requests(self, requests: Sequence[NewRequest]) -> None:
        """Record requests of existing agencies (re-asks and resends) to go in a later batch: queued,
        in no shard yet (``shard_queued`` gives them one)."""
        now = time.time()
        with self._tx() as db:
            db.executemany(_QUEUE_REQUEST, [_queued(r, r.agency, None, now) for r in requests])

    def shard_queued(
        self, job_id: int, plan: Callable[[Sequence[Request]], list[tuple[str, range]]]
    ) -> list[int]:
        """Put the job's queued requests that are in no shard into shards (``plan`` groups them by
        index and names each group), in one transaction: two processes doing this at once cannot
        both take the same request. Returns the new shards' ids."""
        now = time.time()
        with self._tx() as db:
            rows = [
                _from_row(Request, r)
                for r in db.execute(
                    "SELECT r.* FROM requests r JOIN agencies a ON a.id = r.agency_id"
                    " WHERE a.job_id = ? AND r.shard_id IS NULL AND r.state = 'queued' ORDER BY r.rowid",
                    (job_id,),
                )
            ]
            ids = []
            for name, members in plan(rows) if rows else []:
                shard_id = _plan_shard(db, job_id, name, len(members), now)
                ids.append(shard_id)
                db.executemany(
                    "UPDATE requests SET shard_id = ?, updated = ? WHERE custom_id = ?",
                    [(shard_id, now, rows[i].custom_id) for i in members],
                )
            return ids

    def shards(self, states: Iterable[ShardState] | None = None, job_id: int | None = None) -> list[Shard]:
        sql, params = "SELECT * FROM shards WHERE 1", list[Any]()
        if states is not None:
            marks = list(states)
            sql += f" AND state IN ({','.join('?' * len(marks))})"
            params += marks
        if job_id is not None:
            sql += " AND job_id = ?"
            params.append(job_id)
        return [_from_row(Shard, r) for r in self._query(sql + " ORDER BY id", params)]

    def shard(self, shard_id: int) -> Shard:
        return _from_row(Shard, self._query("SELECT * FROM shards WHERE id = ?", (shard_id,))[0])

    def shard_requests(self, shard_id: int) -> list[Request]:
        rows = self._query("SELECT * FROM requests WHERE shard_id = ? ORDER BY rowid", (shard_id,))
        return [_from_row(Request, r) for r in rows]

    def agency_requests(self, agency_id: int) -> list[Request]:
        rows = self._query(
            "SELECT * FROM requests WHERE agency_id = ? ORDER BY section, attempt", (agency_id,)
        )
        return [_from_row(Request, r) for r in rows]

    def update_shard(self, shard_id: int, **fields: Any) -> None:
        """Set a shard's columns (``state``, ``file_id``, ``batch_id`` …); ``errors`` is a list."""
        if "errors" in fields:
            fields["errors"] = json.dumps(fields["errors"], ensure_ascii=False)
        fields["updated"] = time.time()
        names = ", ".join(f"{k} = ?" for k in fields)
        with self._tx() as db:
            db.execute(f"UPDATE shards SET {names} WHERE id = ?", (*fields.values(), shard_id))
            if fields.get("state") == "created":
                db.execute(
                    "UPDATE requests SET state = 'sent', updated = ? WHERE shard_id = ? AND state = 'queued'",
                    (fields["updated"], shard_id),
                )

    def record_results(self, shard_id: int, results: Sequence[LineResult], remote: dict[str, Any]) -> None:
        """A finished shard's results, in one transaction with its ``downloaded`` state: answers,
        errors, and every request the files do not mention marked as expired."""
        now = time.time()
        with self._tx() as db:
            for r in results:
                if r.completion is not None:
                    u = r.completion.usage
                    db.execute(
                        "UPDATE requests SET state = 'answered', answer = ?, model = ?, prompt_tokens = ?,"
                        " completion_tokens = ?, estimated = ?, error = NULL, error_kind = NULL, updated = ?"
                        " WHERE custom_id = ? AND shard_id = ? AND state = 'sent'",
                        (
                            r.completion.text,
                            r.completion.model,
                            u.prompt_tokens,
                            u.completion_tokens,
                            int(u.estimated),
                            now,
                            r.custom_id,
                            shard_id,
                        ),
                    )
                elif r.error is not None:
                    db.execute(
                        "UPDATE requests SET state = 'failed', error = ?, error_kind = ?, retryable = ?, expired = ?,"
                        " updated = ? WHERE custom_id = ? AND shard_id = ? AND state = 'sent'",
                        (
                            r.error.message,
                            r.error.kind,
                            int(r.error.retryable),
                            int(r.expired),
                            now,
                            r.custom_id,
                            shard_id,
                        ),
                    )
            db.execute(
                "UPDATE requests SET state = 'failed', error = ?, error_kind = 'timeout', retryable = 1,"
                " expired = 1, updated = ? WHERE shard_id = ? AND state = 'sent'",
                ("批量任务结束时该请求尚未处理。", now, shard_id),
            )
            remote = {**remote, "errors": json.dumps(remote.get("errors") or [], ensure_ascii=False)}
            db.execute(
                "UPDATE shards SET state = 'downloaded', remote_status = ?, total = ?, completed = ?, failed = ?,"
                " errors = ?, updated = ? WHERE id = ?",
                (
                    remote.get("status"),
                    remote.get("total"),
                    remote.get("completed"),
                    remote.get("failed"),
                    remote["errors"],
                    now,
                    shard_id,
                ),
            )

    def counts(self) -> dict[tuple[int, str], int]:
        """Requests per (agency id, state); a sent request whose batch has ended (its results not yet
        read) counts as ``ready``."""
        rows = self._query(
            "SELECT r.agency_id, CASE WHEN r.state = 'sent' AND s.remote_status IN"
            " ('completed', 'expired', 'cancelled', 'failed') THEN 'ready' ELSE r.state END AS st, COUNT(*)"
            " FROM requests r LEFT JOIN shards s ON s.id = r.shard_id GROUP BY r.agency_id, st"
        )
        return {(int(r[0]), str(r[1])): int(r[2]) for r in rows}
