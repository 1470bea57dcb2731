"""The drafting pipeline: validated data → tables → narrative sections → a ``Draft``, and batches.

Kept free of terminal code: the CLI, the future web workspace and the tests all call
``draft_report``, ``write_draft`` and ``draft_files`` directly.

Sections of a draft, and drafts of a batch, run on bounded daemon threads (``threads.py`` says why
threads and not asyncio, and why not ``ThreadPoolExecutor``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

from . import __version__, deadlines, official, offline
from .backends.base import ENDPOINT_CAUSES, BackendError
from .config import OFFLINE
from .data.load import Loaded
from .data.model import ReportData
from .document import Draft, Provenance, SectionUsage, load_draft, part_heading
from .errors import DraftingError, Issue, OutputError, os_reason
from .files import atomic_write_all
from .history import TextState
from .locks import file_lock
from .narrative import OfflineWriter, SectionOutcome, SectionWriter
from .tables import build_tables
from .threads import map_bounded, submit
from .writers import DEFAULT_FORMATS, render

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .backends.ratelimit import RateLimiter
    from .checks import Finding
    from .reading.model import Report

__all__ = ["DEFAULT_FORMATS", "draft_files", "draft_report", "write_draft"]


def data_hash(data: ReportData) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _write_sections(
    writer: SectionWriter, data: ReportData, concurrency: int, deadline: float | None
) -> list[SectionOutcome]:
    ids = [spec.id for spec in official.NARRATIVE_SECTIONS]
    if isinstance(writer, OfflineWriter):
        return [writer.write(section, data) for section in ids]
    # The draft's deadline holds in every request of every section (``deadlines.py``): a section
    # still unanswered when it passes falls back to the offline text, saying so.
    with deadlines.within(deadline, "本份草稿的总时限", "DRAFTING_DRAFT_DEADLINE") as limit:

        def one(section: str) -> SectionOutcome:
            with deadlines.entered(limit):
                return writer.write(section, data)

        if concurrency <= 1:
            return [one(section) for section in ids]
        # On an error or Ctrl-C this returns at once; the caller closes the writer, so requests
        # still in flight stop at their next step.
        results = map_bounded(one, ids, concurrency)
    return [results[i] for i in range(len(ids))]


def draft_report(
    loaded: Loaded,
    *,
    now: dt.datetime | None = None,
    writer: SectionWriter | None = None,
    concurrency: int = 4,
    deadline: float | None = None,
) -> Draft:
    """A complete first draft from validated data. The narrative is written by ``writer`` (the
    offline rules by default); a model writer's sections are requested ``concurrency`` at a time,
    all of them within ``deadline`` seconds (None: each request only within its own deadline)."""
    data = loaded.data
    writer = writer or OfflineWriter()
    outcomes = _write_sections(writer, data, concurrency, deadline)
    sections = [
        TextState.of(outcome).section(spec.id, part_heading(spec.part), spec.title)
        for spec, outcome in zip(official.NARRATIVE_SECTIONS, outcomes, strict=True)
    ]
    return Draft(
        title=data.title,
        agency=data.agency.name,
        year=data.year,
        preamble=offline.preamble(data),
        sections=sections,
        tables={key: t.as_dict() for key, t in build_tables(data).items()},
        data=data.model_dump(mode="json"),
        provenance=Provenance(
            backend=writer.name,
            prompt_versions=writer.prompt_versions,
            data_file=loaded.source,
            data_hash=data_hash(data),
            created=now or dt.datetime.now(dt.UTC).replace(microsecond=0),
            tool_version=__version__,
        ),
    )


@dataclass(frozen=True)
class Written:
    draft: Draft
    files: list[Path]


def write_draft(draft: Draft, out_dir: Path, stem: str, formats: Sequence[str] = DEFAULT_FORMATS) -> Written:
    """Write ``<stem>.draft.json`` and one document per format. Everything is rendered before the
    first byte is written, and the files are replaced together (``atomic_write_all``), so a failure
    leaves neither a half file nor a new draft beside an old document."""
    outputs: dict[Path, str | bytes] = {out_dir / f"{stem}.draft.json": draft.to_json()}
    for fmt in formats:
        outputs[out_dir / f"{stem}.{fmt}"] = render(draft, fmt)
    out_dir.mkdir(parents=True, exist_ok=True)
    atomic_write_all(outputs)
    return Written(draft, list(outputs))


def keep_edits(draft: Draft, existing: Path) -> Draft:
    """Over an existing draft, keep its accepted revisions and manual edits where the data they
    rely on did not change, its pinned sentences, and its history (``carry`` says how).
    The edits given up are named in their sections' notes and kept, with their text, in the
    history. A draft file that cannot be read is written over, as before."""
    if not existing.is_file():
        return draft
    try:
        previous = load_draft(existing)
    except DraftingError:
        return draft
    if not previous.history and not any(s.edited or s.pinned for s in previous.sections):
        return draft  # never revised: nothing to carry (and the revision package stays unloaded)
    from .carry import carry_edits

    try:
        return carry_edits(previous, draft)[0]
    except DraftingError:  # a damaged history: written over, as an unreadable file is
        return draft


def never_reached(draft: Draft) -> bool:
    """A model was asked, and no section has its answer because of the endpoint: every section
    fell back for being unreachable, timing out or failing (``ENDPOINT_CAUSES``), none for an
    answer the checks refused (an accepted edit kept over from the draft before is not counted:
    it is the author's text). ``drafting draft`` exits 4 for such a draft."""
    asked = [s for s in draft.sections if not s.edited]
    return (
        draft.provenance.backend != OFFLINE
        and bool(asked)
        and all(s.fallback in ENDPOINT_CAUSES for s in asked)
    )


def count_markers(draft: Draft) -> int:
    return sum(p.count(offline.MARKER_OPEN) for s in draft.sections for p in s.paragraphs)


# --- accounting --------------------------------------------------------------------------------


def usage_total(usages: Sequence[SectionUsage | None]) -> SectionUsage:
    """The sum of sections' usage; ``latency_s`` adds up model time (sections overlap, so it can
    exceed the wall time)."""
    total = SectionUsage()
    for u in usages:
        if u is None:
            continue
        total = SectionUsage(
            prompt_tokens=total.prompt_tokens + u.prompt_tokens,
            completion_tokens=total.completion_tokens + u.completion_tokens,
            total_tokens=total.total_tokens + u.total_tokens,
            estimated=total.estimated or u.estimated,
            latency_s=round(total.latency_s + u.latency_s, 3),
            asks=total.asks + u.asks,
            requests=total.requests + u.requests,
            cached=total.cached + u.cached,
        )
    return total


# --- many files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """How a run of many drafts stands, for a progress display."""

    total: int
    done: int
    in_flight: int  # drafts being written
    waiting: int  # requests waiting for the endpoint's quota
    eta: float | None  # seconds left as the quota allows; None without a quota


def progress(total: int, done: int, jobs: int, limiter: RateLimiter | None = None) -> Progress:
    """The numbers of a ``draft_files`` run: ``jobs`` drafts run at once while any remain, and the
    quota (when there is one) says how soon the requests still to send can be answered."""
    in_flight = min(max(1, jobs), total - done)
    if limiter is None or not limiter.limited:
        return Progress(total, done, in_flight, 0, None)
    stats = limiter.stats()
    # Every draft asks once per section (re-asks are rare); those sent are behind us.
    left = max(0, total * len(official.SECTION_IDS) - stats.sent)
    return Progress(total, done, in_flight, stats.waiting, limiter.eta(left))


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    written: Written | None = None
    warnings: list[Issue] = field(default_factory=list)
    error: DraftingError | None = None
    findings: list[Finding] = field(default_factory=list)  # the check library on what was written
    notes: list[str] = field(default_factory=list)  # about the files written (a PDF's substitute fonts)

    @property
    def stops_batch(self) -> bool:
        """A setting every other file would fail on too (bad key, unknown model), or Ctrl-C."""
        e = self.error
        return isinstance(e, BackendError) and (e.fatal or e.kind == "cancelled")


Load = Callable[[], Loaded]


def draft_file(
    path: Path,
    out_dir: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    *,
    previous: Path | None = None,
    writer: SectionWriter | None = None,
    concurrency: int = 4,
    load: Load | None = None,
    deadline: float | None = None,
    previous_report: Report | None = None,
) -> FileOutcome:
    """Load (or take from ``load``), draft and write one data file. Our errors come back in the
    outcome, not raised. ``previous_report``: last year's published report (or draft), which the
    draft's self-check compares with (C1 carry-over, Y4 内容雷同)."""
    from .data import load_data

    try:
        loaded = load() if load is not None else load_data(path, previous=previous)
        report = draft_report(loaded, writer=writer, concurrency=concurrency, deadline=deadline)
        existing = out_dir / f"{path.stem}.draft.json"
        _make_dir(out_dir)
        # Under the draft's lock from reading the edits to keep until the files are replaced: a
        # revision accepted meanwhile in another window is either carried over or waits.
        with file_lock(existing):
            report = keep_edits(report, existing)
            written = write_draft(report, out_dir, path.stem, formats)
    except DraftingError as exc:
        return FileOutcome(path, error=exc)
    from .facts import fact_issues

    # Facts no writer used (instructions to a model, figures contradicting the tables), at their line.
    notes = []
    if "pdf" in formats:
        from .writers.pdf import pdf_font_note

        note = pdf_font_note()
        notes += [note] if note else []
    return FileOutcome(
        path,
        written,
        [*loaded.warnings, *fact_issues(loaded)],
        findings=self_check(written.draft, loaded, previous_report),
        notes=notes,
    )


def self_check(draft: Draft, loaded: Loaded, previous_report: Report | None = None) -> list[Finding]:
    """The check library on the draft just written (issue 14: the author is not told "success"
    over a draft that contradicts its own tables). A finding on words the draft copied from one of
    the author's facts names that fact and its line of the data file: the fix is made there."""
    from dataclasses import replace

    from .checks import run_checks
    from .errors import Issue
    from .facts import fact_of

    out = []
    for f in run_checks(draft, loaded.data, previous_report):
        found = fact_of(f.evidence, loaded.data) if f.category == "consistency" else None
        if found is not None:
            topic, index = found
            path = f"facts.{topic}.{index}"
            where = loaded.locate(Issue(f.rule, f.severity, "", path, "", "")).where()
            label = official.FACT_LABELS.get(topic, topic)
            at = f"{loaded.source} {where}".strip()
            f = replace(
                f,
                location=f"{f.location}；来自素材（{label}）第{index + 1}条（{path}，{at}）",
                message=f"{f.message}。这句来自数据文件的素材：请在数据文件中改正后重新起草",
            )
        out.append(f)
    return out


def _make_dir(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"无法创建文件夹 {out_dir}：{os_reason(exc)}。") from None


def _prefetch(paths: Sequence[Path], previous: Path | None) -> list[Future[Loaded]]:
    """Load the files in order on one pool thread, ahead of the drafts: reading is CPU work that
    can happen while earlier drafts wait on the network, instead of after."""
    from concurrent.futures import Future

    from .data import load_data

    futures: list[Future[Loaded]] = [Future() for _ in paths]

    def load_all() -> None:
        for path, future in zip(paths, futures, strict=True):
            future.set_running_or_notify_cancel()
            try:
                future.set_result(load_data(path, previous=previous))
            except BaseException as exc:  # our errors and bugs alike reach the draft that waits
                future.set_exception(exc)

    submit(load_all)
    return futures


class EachFile(TypedDict, total=False):
    """The keywords of ``draft_file`` that ``draft_files`` drafts every file with."""

    previous: Path | None
    writer: SectionWriter | None
    concurrency: int
    deadline: float | None
    previous_report: Report | None


def draft_files(
    paths: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str] = DEFAULT_FORMATS,
    *,
    jobs: int = 1,
    on_done: Callable[[FileOutcome], None] | None = None,
    **each: Unpack[EachFile],
) -> list[FileOutcome]:
    """Draft every file, ``jobs`` at a time, each as ``draft_file`` with the keywords ``each``;
    ``on_done`` runs in the calling thread as each one finishes. Each draft is written atomically
    when it is complete, so an interrupted batch leaves every finished draft intact and no half
    file. A setting error stops the batch."""
    outcomes: list[FileOutcome] = []

    def finish(outcome: FileOutcome) -> bool:
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
        return outcome.stops_batch

    def draft_one(path: Path, load: Load | None = None) -> FileOutcome:
        return draft_file(path, out_dir, formats, load=load, **each)

    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            if finish(draft_one(path)):
                break
        return outcomes
    loads = _prefetch(paths, each.get("previous"))

    def one(index: int) -> FileOutcome:
        return draft_one(paths[index], loads[index].result)

    # Drafts not yet started are dropped after a setting error; those in flight still report.
    map_bounded(one, range(len(paths)), jobs, on_each=lambda _, outcome: finish(outcome))
    return outcomes
