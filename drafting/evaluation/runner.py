"""Running a suite: prompt versions × models × cases × repeats, a bounded number of drafts at once.

Each draft goes through the real drafting path (``draft_report`` with the offline rules or a
``ModelWriter``: render, ask, clean, check, re-ask, fall back) and chat models go through the
response cache. A repeat after the first gets its own cache scope, or every repeat would replay the
first answer; the first shares the cache with ``drafting draft``. Every draft is scored by the check
library and the case's expectations as soon as it is written.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import official
from ..backends.base import Backend
from ..backends.recorder import Recorder
from ..backends.resolve import ModelChoice, get_backend, resolve_model
from ..config import Settings
from ..document import Draft
from ..draft import draft_report, usage_total
from ..errors import InputError
from ..narrative import ModelWriter, OfflineWriter, SectionWriter
from ..prompts import PromptSet, load_prompts
from ..tables import build_tables
from ..threads import map_bounded
from .asking import Clients
from .record import (
    Answer,
    CaseRecord,
    DraftRun,
    PromptRecord,
    RunRecord,
    SuiteRecord,
    now,
    score_run,
)
from .suite import EXPECTATIONS, LoadedCase, LoadedSuite

# --- prompt versions and models ----------------------------------------------------------------


@dataclass(frozen=True)
class PromptVersion:
    label: str
    directory: Path
    prompts: PromptSet

    @property
    def versions(self) -> dict[str, str]:
        return self.prompts.versions()

    @property
    def version(self) -> str:
        canonical = json.dumps(self.versions, sort_keys=True)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:8]

    def record(self) -> PromptRecord:
        return PromptRecord(
            label=self.label, directory=str(self.directory), version=self.version, versions=self.versions
        )


def load_prompt_versions(directories: Sequence[Path]) -> list[PromptVersion]:
    """Each directory linted as ``drafting draft`` would (a broken prompt stops here); labelled by
    folder name, made unique (``prompts``, ``prompts-2``)."""
    from ..prompts import default_dir

    dirs = list(directories) or [default_dir()]
    out: list[PromptVersion] = []
    taken: set[str] = set()
    for directory in dirs:
        label = directory.resolve().name or "prompts"
        n = 2
        base = label
        while label in taken:
            label, n = f"{base}-{n}", n + 1
        taken.add(label)
        out.append(PromptVersion(label, directory, load_prompts(directory)))
    return out


def resolve_models(specs: Sequence[str], settings: Settings, base: Path | None = None) -> list[ModelChoice]:
    """Every spec resolved before the first draft (``backends.resolve_model``): an unknown preset,
    a missing replay file or a missing key stops the run with its cause. ``base`` resolves replay
    paths written in a suite."""
    out = [resolve_model(spec, settings, base=base) for spec in dict.fromkeys(s.strip() for s in specs)]
    if not out:
        raise InputError("没有指定模型。", hint="用 --model offline 或 --model openai:<模型名> 等指定。")
    return out


# --- one draft -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    prompt: PromptVersion
    model: ModelChoice
    case: LoadedCase
    repeat: int


@dataclass
class Runner:
    suite: LoadedSuite
    prompts: list[PromptVersion]
    models: list[ModelChoice]
    repeat: int = 1
    concurrency: int = 4  # drafts at once
    section_concurrency: int = 4  # requests of one draft at once
    cache: bool = True
    _clients: Clients = field(init=False)

    def __post_init__(self) -> None:
        self._clients = Clients(cache=self.cache)  # the default cache size, as `drafting draft`

    def jobs(self) -> list[Job]:
        return [
            Job(p, m, c, r)
            for p in self.prompts
            for m in self.models
            for c in self.suite.cases
            for r in range(1, self.repeat + 1)
        ]

    def check_replays(self) -> None:
        ids = [c.id for c in self.suite.cases]
        for model in self.models:
            if model.replay is not None:
                model.replay.require(ids, official.SECTION_IDS, self.repeat)

    def chat_backend(self, model: ModelChoice, repeat: int) -> Backend:
        """One client per model for the whole run; one cache scope per repeat."""
        return self._clients.backend(model, repeat=repeat)

    def writer(self, job: Job) -> tuple[SectionWriter, Recorder | None]:
        if job.model.kind == "offline":
            return OfflineWriter(), None
        if job.model.replay is not None:
            backend = get_backend(job.model, case=job.case.id, repeat=job.repeat)
        else:
            backend = self.chat_backend(job.model, job.repeat)
        recorder = Recorder(backend)
        return ModelWriter(recorder, job.prompt.prompts), recorder

    @staticmethod
    def labels(job: Job) -> dict[str, str]:
        """What the replay says each section's answer is (faithful, or a class of fault)."""
        replay = job.model.replay
        if replay is None:
            return {}
        out = {}
        for section in official.SECTION_IDS:
            entry = replay.entry(job.case.id, section, job.repeat)
            if entry is not None and entry.label:
                out[section] = entry.label
        return out

    def run_one(self, job: Job) -> DraftRun:
        writer, recorder = self.writer(job)
        started = time.monotonic()
        draft = draft_report(job.case.loaded, writer=writer, concurrency=self.section_concurrency)
        latency = round(time.monotonic() - started, 3)
        recorded = recorder.answers if recorder else []
        answers = [
            Answer(section=a.section, ask=a.ask, text=a.text, cached=a.cached)
            for a in sorted(recorded, key=lambda a: (official.SECTION_IDS.index(a.section), a.ask))
        ]
        run = DraftRun(
            prompt=job.prompt.label,
            model=job.model.spec,
            case=job.case.id,
            repeat=job.repeat,
            draft=stored_draft(draft),
            answers=answers,
            labels=self.labels(job),
            usage=usage_total([s.usage for s in draft.sections]),
            latency_s=latency,
        )
        return score_run(run, draft, job.case.loaded.data, job.case.expect)

    def close(self) -> None:
        self._clients.close()

    def run(self, on_done: Callable[[DraftRun], None] | None = None) -> RunRecord:
        self.check_replays()
        jobs = self.jobs()
        created = now()
        started = time.monotonic()

        def each(_: int, run: DraftRun) -> bool:
            if on_done is not None:
                on_done(run)
            return False

        try:
            results = map_bounded(self.run_one, jobs, max(1, self.concurrency), on_each=each)
        finally:
            self.close()
        runs = [results[i] for i in range(len(jobs))]
        return RunRecord(
            created=created,
            scored=now(),
            suite=SuiteRecord(
                name=self.suite.suite.name,
                path=str(self.suite.path),
                sha256=self.suite.sha256,
                definition=self.suite.suite.model_dump(mode="json"),
            ),
            prompts=[p.record() for p in self.prompts],
            models=[m.spec for m in self.models],
            repeat=self.repeat,
            cache=self.cache,
            wall_s=round(time.monotonic() - started, 3),
            cases=[case_record(c) for c in self.suite.cases],
            runs=runs,
        )


def stored_draft(draft: Draft) -> dict[str, object]:
    return draft.model_dump(mode="json", by_alias=True, exclude={"data", "tables"})


def case_record(case: LoadedCase) -> CaseRecord:
    data = case.loaded.data
    return CaseRecord(
        id=case.id,
        description=case.case.description,
        data_file=str(case.data_path),
        data=data.model_dump(mode="json"),
        tables={k: t.as_dict() for k, t in build_tables(data).items()},
        expect=EXPECTATIONS.dump_python(case.expect, mode="json"),
    )
