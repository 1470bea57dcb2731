"""A folder of published reports reviewed in one call: find them, read and check each on every core,
pair each with last year's report of the same agency, and keep every result in the cache.

Two stages. First every file (of the folder, and of ``--previous``) is read and checked on its own,
or taken from the cache by its content. Then each report whose agency has last year's report among
them is checked again against it — C1 carry-over, C2 现行有效 continuity, C4 jumps, Y4 内容雷同 — the
same call as ``drafting check REPORT --previous LAST``; that record (cached by both files' contents)
replaces the first. Agency and year come from the manifest when it names them, else from the title.

The main process keeps, per file, only what pairing and counting need; records stay in the cache
and are read back one at a time by the outputs, so memory does not grow with the records. Ctrl-C
stops the pool, keeps every record already cached, and returns what was done
(``Review.interrupted``); the next run starts where this one stopped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from .agencies import agency_key, level_of, region_of
from .cache import Packed, ResultCache, pack, unpack
from .examine import FAILED, READ, examine_packed, failure, warm
from .manifest import Entry, Manifest, read_manifest
from .sources import SUFFIXES, content_hash, find_reports, relative
from .version import check_version

CACHE_NAME = Path(".cache") / "review.sqlite"
DECISIONS_NAME = "review-decisions.yaml"

Progress = Callable[[str, int, int], None]  # (stage, done, total)
TASKS_PER_WORKER = 250  # files a worker process reads before a fresh one takes over


@dataclass(frozen=True)
class ReviewOptions:
    folder: Path
    out_dir: Path
    manifest: Path | None = None
    previous: Path | None = None  # last year's reports, when not in the folder itself
    jobs: int | None = None  # processes; all cores when None
    decisions: Path | None = None  # review-decisions.yaml; <out_dir>/review-decisions.yaml when None

    @property
    def decisions_path(self) -> Path:
        return self.decisions if self.decisions is not None else self.out_dir / DECISIONS_NAME

    @property
    def cache_path(self) -> Path:
        return self.out_dir / CACHE_NAME


@dataclass(slots=True)
class Source:
    path: Path
    relative: str  # under its folder, with forward slashes
    digest: str
    current: bool  # in the reviewed folder (else under --previous)
    entry: Entry | None = None  # the manifest's row for it


@dataclass(slots=True)
class Item:
    """One file of the reviewed folder, as the run leaves it for the outputs."""

    source: Source
    key: str | None = None  # the cache key of its record; None when it was not done
    status: str = "pending"  # read / unreadable / failed / pending (not reached: interrupted)
    reason: str = ""
    title: str = ""
    agency: str = ""
    year: int | None = None
    region: str = ""
    level: str = ""
    url: str = ""
    last: Source | None = None  # last year's report it was checked against
    seconds: float = 0.0
    from_cache: bool = False


@dataclass
class Review:
    options: ReviewOptions
    items: list[Item]
    cache: ResultCache
    manifest: Manifest = field(default_factory=Manifest)
    previous_files: int = 0
    checked: int = 0  # files read and checked in this run (pairs included)
    cached: int = 0  # records served from the cache
    interrupted: bool = False
    seconds: float = 0.0
    failures: dict[str, dict[str, Any]] = field(default_factory=dict)  # key → record, not cached
    fresh: set[str] = field(default_factory=set)  # keys whose records were made in this run
    unlisted: list[Entry] = field(default_factory=list)  # manifest rows naming no file found

    def record(self, item: Item) -> dict[str, Any] | None:
        """The full record of one item, read from the cache (or the run's own failures)."""
        if item.key is None:
            return None
        if item.key in self.failures:
            return self.failures[item.key]
        return self.cache.get(item.key)

    def records(self) -> Iterator[tuple[Item, dict[str, Any] | None]]:
        """Every item with its record, one at a time."""
        for item in self.items:
            yield item, self.record(item)


@dataclass(frozen=True)
class _Task:
    key: str
    path: Path
    previous: Path | None = None


def review_folder(options: ReviewOptions, progress: Progress | None = None) -> Review:
    """Review every report under ``options.folder``. Raises ``InputError`` (exit 2) when the folder
    or the manifest cannot be used."""
    started = time.perf_counter()
    say = progress or (lambda stage, done, total: None)
    manifest = read_manifest(options.manifest) if options.manifest is not None else Manifest()
    exclude = (options.out_dir,)
    found = find_reports(options.folder, exclude)
    if not found:
        raise InputError(
            f"文件夹 {options.folder} 中没有找到报告文件。",
            hint="drafting review 检查其中（含子文件夹）全部 " + "、".join(SUFFIXES) + " 文件。",
        )
    earlier = find_reports(options.previous, exclude) if options.previous is not None else []
    sources = _sources(found, options.folder, True, manifest, say)
    sources += _sources(earlier, options.previous or options.folder, False, Manifest(), say)
    cache = ResultCache(options.cache_path, check_version())
    review = Review(options, [], cache, manifest, previous_files=len(earlier))
    listed = {s.entry.line for s in sources if s.entry is not None}
    review.unlisted = [e for e in manifest.files if e.line not in listed]
    jobs = max(1, options.jobs if options.jobs else (os.cpu_count() or 1))

    # Stage 1: every file on its own.
    todo = [_Task(s.digest, s.path) for s in _unique(sources) if not cache.has(s.digest)]
    review.interrupted = _run(todo, jobs, review, lambda n, total: say("read", n, total))
    identities = {s.digest: _identity(s, review) for s in sources}

    # Stage 2: each report against last year's of the same agency.
    by_year: dict[tuple[str, int], Source] = {}
    for s in sorted(sources, key=lambda s: (not s.current, s.relative)):
        agency, year = identities[s.digest]
        if agency and year is not None:
            by_year.setdefault((agency_key(agency), year), s)
    items: list[Item] = []
    pairs: list[_Task] = []
    for s in sources:
        if not s.current:
            continue
        item = _item(s, review)
        agency, year = identities[s.digest]
        last = by_year.get((agency_key(agency), year - 1)) if agency and year is not None else None
        if item.status == READ and last is not None and last.digest != s.digest:
            item.last = last
            item.key = f"{s.digest}+{last.digest}"
            if not cache.has(item.key):
                pairs.append(_Task(item.key, s.path, last.path))
        items.append(item)
    if not review.interrupted:
        review.interrupted = _run(_unique_tasks(pairs), jobs, review, lambda n, t: say("pair", n, t))
    for item in items:
        _settle(item, review)
    review.items = items
    review.cached = sum(1 for item in items if item.key is not None and item.key not in review.fresh)
    review.seconds = time.perf_counter() - started
    return review


def _sources(
    paths: list[Path], folder: Path, current: bool, manifest: Manifest, say: Progress
) -> list[Source]:
    out = []
    for n, path in enumerate(paths, 1):
        rel = relative(path, folder)
        out.append(Source(path, rel, content_hash(path), current, manifest.for_file(rel)))
        if n % 200 == 0:
            say("hash", n, len(paths))
    return out


def _unique(sources: list[Source]) -> list[Source]:
    """One file per content: two copies of one report are read once."""
    seen: set[str] = set()
    out = []
    for s in sources:
        if s.digest not in seen:
            seen.add(s.digest)
            out.append(s)
    return out


def _unique_tasks(tasks: list[_Task]) -> list[_Task]:
    return list({t.key: t for t in tasks}.values())


def _identity(source: Source, review: Review) -> tuple[str, int | None]:
    """Who and which year: the manifest's word first, else what the title says."""
    summary = review.cache.summary(source.digest) or review.failures.get(source.digest) or {}
    entry = source.entry
    agency = (entry.agency if entry and entry.agency else "") or str(summary.get("agency") or "")
    year = entry.year if entry and entry.year is not None else summary.get("year")
    return agency, year if isinstance(year, int) else None


def _item(source: Source, review: Review) -> Item:
    item = Item(source, key=source.digest)
    summary = review.cache.summary(source.digest) or review.failures.get(source.digest)
    if summary is None:
        item.key = None
        return item
    item.status = str(summary.get("status") or FAILED)
    return item


def _settle(item: Item, review: Review) -> None:
    """Fill in what the outputs show of an item: its record's summary, the manifest's words."""
    if item.key is not None and not review.cache.has(item.key) and item.key not in review.failures:
        if item.last is not None:  # the pair was not done (interrupted): show the file on its own
            item.key, item.last = item.source.digest, None
    summary = (
        (review.cache.summary(item.key) or review.failures.get(item.key)) if item.key is not None else None
    )
    if summary is None:
        item.key = None
        item.status = "pending"
    else:
        item.status = str(summary.get("status") or FAILED)
        item.reason = str(summary.get("reason") or "")
        item.title = str(summary.get("title") or "")
        item.agency = str(summary.get("agency") or "")
        year = summary.get("year")
        item.year = year if isinstance(year, int) else None
        item.seconds = float(summary.get("seconds") or 0.0)
    entry = item.source.entry
    if entry is not None:
        item.agency = entry.agency or item.agency
        item.year = entry.year if entry.year is not None else item.year
        item.url = entry.url
    by_agency = review.manifest.for_agency(item.agency)
    item.region = (entry.region if entry and entry.region else "") or (by_agency.region if by_agency else "")
    item.level = (entry.level if entry and entry.level else "") or (by_agency.level if by_agency else "")
    item.region = item.region or region_of(item.agency)
    item.level = item.level or level_of(item.agency)


def _run(tasks: list[_Task], jobs: int, review: Review, say: Callable[[int, int], None]) -> bool:
    """Run ``tasks``, caching each record as it arrives. True when stopped by Ctrl-C."""
    if not tasks:
        return False
    total = len(tasks)
    say(0, total)
    done = 0

    def keep(task: _Task, packed: Packed) -> None:
        nonlocal done
        summary, blob = packed
        if summary["status"] == FAILED:
            review.failures[task.key] = unpack(blob)
        else:
            review.cache.put_packed(task.key, summary, blob)
        review.fresh.add(task.key)
        review.checked += 1
        done += 1
        say(done, total)

    if jobs == 1 or total == 1:
        try:
            for task in tasks:
                keep(task, examine_packed(str(task.path), str(task.previous) if task.previous else None))
        except KeyboardInterrupt:
            return True
        return False
    return _run_pool(tasks, jobs, keep)


def _run_pool(tasks: list[_Task], jobs: int, keep: Callable[[_Task, Packed], None]) -> bool:
    import multiprocessing
    import sys

    # Linux forks (no re-import per process; the workers touch nothing the main process's other
    # threads hold — the progress display, the cache); elsewhere, the platform's safe default.
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    queue = list(reversed(tasks))
    window = jobs * 4  # tasks handed out ahead: enough to keep every process busy, no more
    broken: dict[str, int] = {}
    while queue:
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=warm)
        running: dict[Future[Packed], _Task] = {}
        # A worker's memory creeps up over thousands of files (the parsers' allocations fragment
        # its heap): each pool takes a bounded share of the tasks and is then replaced by a fresh one.
        budget = TASKS_PER_WORKER * jobs
        try:
            while (queue and budget) or running:
                while queue and budget and len(running) < window:
                    budget -= 1
                    task = queue.pop()
                    future = pool.submit(
                        examine_packed, str(task.path), str(task.previous) if task.previous else None
                    )
                    running[future] = task
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    task = running.pop(future)
                    keep(task, future.result())
        except BrokenProcessPool:
            # A worker died (a library crashed on some file): start a new pool and hand the tasks
            # in flight out again; a task that was in flight at two crashes is given up on.
            for task in running.values():
                broken[task.key] = broken.get(task.key, 0) + 1
                if broken[task.key] >= 2:
                    keep(task, _crashed())
                else:
                    queue.append(task)
            pool.shutdown(wait=False, cancel_futures=True)
            continue
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            return True
        pool.shutdown(wait=True)
    return False


def _crashed() -> Packed:
    return pack(failure("读取此文件时处理进程意外退出，请反馈此文件"))
