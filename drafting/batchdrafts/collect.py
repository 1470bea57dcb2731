"""Collecting batch results into drafts, through the same section path as ``draft``.

For each finished batch, its output and error files are read into the ledger in one transaction.
For each agency whose sections all have an answer (or a reason there is none), every answer goes
through ``ModelWriter.write`` — clean, check, re-ask, fallback — and the draft is written with
``write_draft``, atomically, under the draft's lock (as ``draft`` writes it); only then is the agency
marked written. A re-ask (an answer that failed the check) and a resend (a request the batch did not
answer: expired, cancelled, rate-limited) are made in real time, within the draft's deadline as in
``draft``, or, with ``reask="batch"``, queued as a follow-up batch that a later ``collect`` reads.
Killed at any point, ``collect`` starts again where the ledger says: results already read are not
read again, drafts already written are not written again.

Two ``collect``s may run at once (a scheduled one and one by hand). Each agency is collected under
its own lock (``Ledger.lock``), re-read once the lock is held, and its follow-up requests are
recorded before the lock is let go; each batch's results are read under the batch's lock. So the
second process leaves alone what the first is doing, and no agency is asked twice.

The answers a section accepted are kept in the response cache under the key ``draft`` would ask
them with, so drafting the same data again in real time costs nothing.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from .. import deadlines, official
from ..backends.base import OUTPUT_KINDS, BackendError, ChatRequest, Completion, ErrorKind, OnText, Usage
from ..backends.batch.dialects import Dialect
from ..backends.batch.ledger import Agency, Job, Ledger, NewRequest, Request, Shard
from ..backends.batch.lines import line_body, max_chars_of
from ..document import SectionUsage
from ..errors import DraftingError, InputError
from ..locks import FileBusy
from .clients import Clients, job_endpoint, move_endpoint
from .send import Say, _quiet, advance, plan_queued

if TYPE_CHECKING:
    from ..backends.cached import CachedBackend
    from ..config import Settings
    from ..narrative import Answer, ModelWriter, SectionOutcome
    from ..prompts import PromptSet

Reask = Literal["realtime", "batch"]
MAX_SENDS = 3  # sends of one section in batches (first ask, re-ask and resends together)


@dataclass(frozen=True)
class AgencyOutcome:
    agency: Agency
    # busy: another collect running at the same time has it (or has just written it)
    state: Literal["written", "waiting", "stale", "failed", "busy"]
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # per section: fallbacks, re-asks
    queued: int = 0  # requests put in a follow-up batch for it
    usage: SectionUsage | None = None
    reason: str = ""  # why it waits or is stale
    never_reached: bool = False  # every section fell back because of the endpoint (``draft`` exits 4)


@dataclass(frozen=True)
class Collected:
    finished: list[Shard]  # batches whose results were read in this run
    running: list[Shard]  # batches the provider is still working on
    agencies: list[AgencyOutcome]
    followups: list[Shard]  # batches created in this run for re-asks and resends
    moved: list[Job] = field(default_factory=list)  # jobs sent to a new address (``--base-url``)


def refresh(
    ledger: Ledger, clients: Clients, *, download: bool, say: Say = _quiet
) -> tuple[list[Shard], list[Shard]]:
    """Ask the provider how every created batch stands; with ``download``, read the results of the
    finished ones into the ledger. (finished in this run, still running)."""
    finished, running = [], []
    for shard in ledger.shards(("created",)):
        if not download:
            remote_shard = _look(ledger, clients, shard)
            if remote_shard is not None:
                running.append(remote_shard)
            continue
        try:
            with ledger.lock(f"shard-{shard.id}"):
                done, still = _read_one(ledger, clients, ledger.shard(shard.id), say)
        except FileBusy:
            continue  # another collect is reading it
        finished += done
        running += still
    return finished, running


def _look(ledger: Ledger, clients: Clients, shard: Shard) -> Shard | None:
    """How a batch stands, recorded; the shard when it is still running."""
    assert shard.batch_id is not None
    remote = clients.for_job(ledger.job(shard.job_id)).retrieve(shard.batch_id)
    counts = {"total": remote.total or shard.requests, "completed": remote.completed, "failed": remote.failed}
    ledger.update_shard(shard.id, remote_status=remote.status, errors=remote.errors, **counts)
    return None if remote.terminal else ledger.shard(shard.id)


def _read_one(ledger: Ledger, clients: Clients, shard: Shard, say: Say) -> tuple[list[Shard], list[Shard]]:
    """One batch, under its lock: its results read into the ledger if it has ended."""
    if shard.state != "created":
        return [], []  # read meanwhile by another collect
    assert shard.batch_id is not None
    client = clients.for_job(ledger.job(shard.job_id))
    remote = client.retrieve(shard.batch_id)
    counts = {"total": remote.total or shard.requests, "completed": remote.completed, "failed": remote.failed}
    if not remote.terminal:
        ledger.update_shard(shard.id, remote_status=remote.status, errors=remote.errors, **counts)
        return [], [ledger.shard(shard.id)]
    limits = {r.custom_id: max_chars_of(r.body) for r in ledger.shard_requests(shard.id)}
    results = []
    for file_id in (remote.output_file_id, remote.error_file_id):
        if file_id:
            results += client.results(file_id, limits)
    ledger.record_results(shard.id, results, {"status": remote.status, "errors": remote.errors, **counts})
    say(f"已取回批量任务 {shard.batch_id} 的结果（{remote.status}，{len(results)} 行）")
    return [ledger.shard(shard.id)], []


# --- one agency ---------------------------------------------------------------------------------------


class Deferred(Exception):
    """A request the writer wants sent, to go in a follow-up batch instead of now."""

    def __init__(self, request: ChatRequest) -> None:
        super().__init__("deferred")
        self.request = request


class _Deferring:
    """The backend of a writer whose further asks go in a batch: it raises instead of asking."""

    def __init__(self, name: str) -> None:
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion:
        raise Deferred(request)

    def close(self) -> None:
        """Nothing to release."""


class _Fixed:
    """A section writer over outcomes already made, so ``draft_report`` assembles the draft."""

    def __init__(self, name: str, versions: dict[str, str], outcomes: dict[str, SectionOutcome]) -> None:
        self.name = name
        self.prompt_versions = versions
        self._outcomes = outcomes

    def write(self, section: str, data: object) -> SectionOutcome:
        return self._outcomes[section]

    def close(self) -> None:
        """Nothing to release."""


def _answer(row: Request) -> Answer:
    if row.answer is not None:
        usage = Usage(row.prompt_tokens, row.completion_tokens, row.estimated)
        return Completion(text=row.answer, finish_reason="stop", usage=usage, model=row.model or "")
    kind = cast(ErrorKind, row.error_kind or "invalid_response")
    return BackendError(row.error or "批量结果中没有该请求的回答。", kind=kind, retryable=row.retryable)


def _base_id(custom_id: str) -> str:
    return custom_id.rsplit("-", 1)[0]


@dataclass
class _Context:
    ledger: Ledger
    job: Job
    dialect: Dialect
    prompts: PromptSet
    writer: ModelWriter
    reask: Reask
    deadline: float | None = None  # of each agency's real-time asks (the draft's deadline)
    # Accepted batch answers on their way to the response cache, written a few dozen at a time.
    keep: list[tuple[ChatRequest, Completion]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def cache(self) -> CachedBackend | None:
        """The response cache in front of the writer's backend, when the settings keep one."""
        from ..backends.cached import CachedBackend

        backend = self.writer.backend
        return backend if isinstance(backend, CachedBackend) else None

    def flush(self, at_least: int = 1) -> None:
        """Write the answers waiting for the cache once there are ``at_least`` of them (a commit
        waits for the disk: 800 answers one by one took longer than writing their drafts)."""
        cache = self.cache
        with self.lock:
            if cache is None or len(self.keep) < at_least:
                return
            answers, self.keep = self.keep, []
        cache.store(answers)


def _plan_section(rows: Sequence[Request], reask: Reask) -> tuple[list[Answer], Request | None]:
    """The answers a section's writer starts from, or the request to send again (batch mode)."""
    first = [r for r in rows if r.stage == 1][-1]
    second = [r for r in rows if r.stage == 2]
    latest = second[-1] if second else first
    answers = [_answer(first)] + ([_answer(second[-1])] if second else [])
    last = answers[-1]
    if isinstance(last, BackendError) and last.kind not in OUTPUT_KINDS:
        # Not answered (expired, cancelled, rate-limited, refused): ask again.
        if reask == "realtime":
            return answers[:-1], None  # the writer asks in real time, from where this one stopped
        if last.retryable and len(rows) < MAX_SENDS:
            return [], latest
    return answers, None


# How many accepted answers wait before they are written to the response cache together.
_KEEP_EVERY = 64


def _keep(ctx: _Context, outcome: SectionOutcome, answers: Sequence[Answer]) -> None:
    """The batch's answers the section stands on, for the response cache (the writer's own
    real-time answers went there as they came)."""
    if ctx.cache is None:
        return
    mine = [(r, c) for r, c in outcome.answered if any(c is a for a in answers)]
    with ctx.lock:
        ctx.keep.extend(mine)
    ctx.flush(_KEEP_EVERY)


def _collect_agency(ctx: _Context, agency: Agency) -> tuple[AgencyOutcome, list[NewRequest]]:
    from ..data import load_data
    from ..draft import data_hash, draft_report, keep_edits, never_reached, usage_total, write_draft
    from ..locks import file_lock

    rows = ctx.ledger.agency_requests(agency.id)
    if any(r.state in ("queued", "sent") for r in rows):
        return AgencyOutcome(agency, "waiting", reason="批量任务尚未完成"), []
    path = Path(agency.data_path)
    try:
        loaded = load_data(path, previous=Path(ctx.job.previous) if ctx.job.previous else None)
    except DraftingError as exc:
        return AgencyOutcome(agency, "stale", reason=f"无法读取数据文件：{exc.message}"), []
    if data_hash(loaded.data) != agency.data_digest:
        return AgencyOutcome(
            agency, "stale", reason="数据文件在提交后已修改：请对它重新运行 batch submit"
        ), []
    if ctx.prompts.versions() != agency.prompt_versions:
        return AgencyOutcome(agency, "stale", reason="提示词在提交后已修改：请对它重新运行 batch submit"), []
    outcomes: dict[str, SectionOutcome] = {}
    queued: list[NewRequest] = []
    # The real-time asks of one agency hold to the draft's deadline, as ``draft`` holds them.
    with deadlines.within(ctx.deadline, "本份草稿的总时限", "DRAFTING_DRAFT_DEADLINE"):
        for section in official.SECTION_IDS:
            mine = [r for r in rows if r.section == section]
            answers, again = _plan_section(mine, ctx.reask)
            attempt = max(r.attempt for r in mine) + 1
            if again is not None:
                cid = f"{_base_id(again.custom_id)}-{attempt}"
                queued.append(
                    NewRequest(cid, agency.id, section, again.stage, attempt, again.body, existing=True)
                )
                continue
            try:
                outcome = ctx.writer.write(section, loaded.data, answers)
            except Deferred as deferred:
                body = line_body(ctx.dialect, ctx.job.model, deferred.request)
                cid = f"{_base_id(mine[-1].custom_id)}-{attempt}"
                stage = len(answers) + 1
                queued.append(NewRequest(cid, agency.id, section, stage, attempt, body, existing=True))
                continue
            _keep(ctx, outcome, answers)
            outcomes[section] = outcome
    if queued:
        return AgencyOutcome(agency, "waiting", queued=len(queued), reason="已加入后续批量任务"), queued
    writer = _Fixed(ctx.writer.name, ctx.writer.prompt_versions, outcomes)
    report = draft_report(loaded, writer=writer, concurrency=1)
    out_dir = Path(ctx.job.out_dir)
    existing = out_dir / f"{agency.stem}.draft.json"
    out_dir.mkdir(parents=True, exist_ok=True)
    # Under the draft's lock, as ``draft`` writes it: a revision accepted meanwhile is carried over.
    with file_lock(existing):
        report = keep_edits(report, existing)
        written = write_draft(report, out_dir, agency.stem, ctx.job.formats)
    ctx.ledger.set_agency(agency.id, state="written", files=[str(f) for f in written.files])
    notes = [f"{s.heading}{s.title or ''}：{note}" for s in written.draft.sections for note in s.notes]
    usage = usage_total([s.usage for s in written.draft.sections])
    done = AgencyOutcome(
        agency, "written", written.files, notes, usage=usage, never_reached=never_reached(written.draft)
    )
    return done, []


def _collect_safely(ctx: _Context, agency: Agency) -> AgencyOutcome:
    """One agency, under its lock; a problem of its own (a file that cannot be written) is its
    outcome, while a setting every agency would fail on (a bad key) or Ctrl-C stops the run."""
    try:
        with ctx.ledger.lock(f"agency-{agency.id}"):
            agency = ctx.ledger.agency(agency.id)  # as it is now that no one else has it
            if agency.state != "waiting":
                return AgencyOutcome(agency, "busy", reason="已由同时运行的另一个 collect 生成")
            outcome = _collect_one(ctx, agency)
    except FileBusy:
        return AgencyOutcome(agency, "busy", reason="同时运行的另一个 collect 正在处理")
    return outcome


def _collect_one(ctx: _Context, agency: Agency) -> AgencyOutcome:
    queued: list[NewRequest] = []
    try:
        outcome, queued = _collect_agency(ctx, agency)
    except BackendError as exc:
        if exc.fatal or exc.kind == "cancelled":
            raise
        outcome = AgencyOutcome(agency, "failed", reason=exc.message)
    except DraftingError as exc:
        outcome = AgencyOutcome(agency, "failed", reason=exc.message)
    if queued:  # recorded before the lock is let go: no other collect queues them again
        ctx.ledger.add_requests(queued)
    if outcome.state != "written" and outcome.reason != agency.note:
        ctx.ledger.set_agency(agency.id, state="waiting", note=outcome.reason)  # for ``status``
    return outcome


# --- the command ----------------------------------------------------------------------------------------


def _settings(job: Job) -> Settings:
    from ..config import load_settings

    return load_settings(model=job.spec, base_url=job.base_url, api_key_env=job.api_key_env)


def _writer(job: Job, reask: Reask, prompts: PromptSet, settings: Settings) -> ModelWriter:
    from ..narrative import ModelWriter

    if reask == "batch":
        from ..backends.base import Backend

        backend: Backend = _Deferring(job.spec)
        if settings.cache:  # a re-ask already answered (by ``draft``, by an earlier run) is not sent
            from ..backends.cached import cached, max_bytes_of

            backend = cached(backend, job_endpoint(job), max_bytes=max_bytes_of(settings))
        return ModelWriter(backend, prompts)
    from ..narrative import writer_for

    writer = writer_for(settings)
    if not isinstance(writer, ModelWriter):  # a job always names a model
        raise InputError(f"批量任务 {job.id} 的模型设置无效：{job.spec}。")
    return writer


def collect(
    ledger: Ledger | None = None,
    *,
    reask: Reask = "realtime",
    jobs: int = 4,
    base_url: str | None = None,
    say: Say = _quiet,
    on_agency: Callable[[AgencyOutcome], None] | None = None,
) -> Collected:
    """Read every finished batch and write every agency's draft whose answers are all in. Agencies
    are handled ``jobs`` at a time (their real-time re-asks overlap); ``on_agency`` is told each.
    ``base_url``: the provider's address changed; the jobs with work left move there first."""
    from ..prompts import load_prompts
    from ..threads import map_bounded

    own = ledger or Ledger()
    try:
        moved = move_endpoint(own, base_url) if base_url else []
        with Clients() as clients:
            advance(own, clients, say, keep_going=True)  # a submission cut short is finished first
            finished, running = refresh(own, clients, download=True, say=say)
            prompts = load_prompts()
            outcomes: list[AgencyOutcome] = []
            followups: list[Shard] = []
            by_job: dict[int, list[Agency]] = {}
            for a in own.agencies(("waiting",)):
                by_job.setdefault(a.job_id, []).append(a)
            queued = False
            for job_id, agencies in by_job.items():
                job = own.job(job_id)
                settings = _settings(job)
                writer = _writer(job, reask, prompts, settings)
                dialect = clients.dialect(job)
                ctx = _Context(own, job, dialect, prompts, writer, reask, settings.draft_deadline)
                try:
                    map_bounded(
                        functools.partial(_collect_safely, ctx),
                        agencies,
                        max(1, jobs),
                        on_each=lambda _, o: _told(o, outcomes, on_agency),
                    )
                    ctx.flush()
                finally:
                    writer.close()
                queued = bool(plan_queued(own, job_id, dialect)) or queued
            if queued:
                followups = advance(own, clients, say)
    finally:
        if ledger is None:
            own.close()
    return Collected(finished, running, outcomes, followups, moved)


def _told(
    outcome: AgencyOutcome, into: list[AgencyOutcome], on_agency: Callable[[AgencyOutcome], None] | None
) -> bool:
    into.append(outcome)
    if on_agency is not None:
        on_agency(outcome)
    return False
