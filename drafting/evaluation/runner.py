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
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .. import official
from ..backends.base import Backend, ChatRequest, Completion, OnText
from ..config import Endpoint, Settings, resolve_endpoint
from ..document import Draft
from ..draft import draft_report, usage_total
from ..errors import InputError
from ..narrative import OFFLINE, ModelWriter, OfflineWriter, SectionWriter
from ..prompts import PromptSet, load_prompts, render
from ..tables import build_tables
from ..threads import map_bounded
from . import replay as replays
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


Kind = Literal["offline", "replay", "chat"]


@dataclass(frozen=True)
class Model:
    spec: str  # as the user (or the suite) wrote it: the record and the report name it so
    kind: Kind
    replay: replays.Replay | None = None
    endpoint: Endpoint | None = None


def resolve_models(specs: Sequence[str], settings: Settings, base: Path | None = None) -> list[Model]:
    """Every spec checked before the first draft: an unknown preset, a missing replay file or a
    missing key stops the run with its cause. ``base`` resolves replay paths written in a suite."""
    out = []
    for spec in dict.fromkeys(s.strip() for s in specs):
        if spec.lower() == OFFLINE:
            out.append(Model(OFFLINE, "offline"))
        elif spec.lower().startswith(replays.PREFIX):
            out.append(Model(spec, "replay", replay=replays.load_replay(replays.spec_path(spec, base))))
        else:
            endpoint = resolve_endpoint(spec, settings=settings)
            endpoint.read_key()  # a missing key is a setting to fix, before any request
            out.append(Model(spec, "chat", endpoint=endpoint))
    if not out:
        raise InputError("没有指定模型。", hint="用 --model offline 或 --model openai:<模型名> 等指定。")
    return out


# --- one draft -------------------------------------------------------------------------------------

Prefixes = replays.Prefixes


class Recorder:
    """A backend that keeps each raw answer, by section and ask, before cleaning and checking."""

    def __init__(self, inner: Backend, prefixes: Prefixes) -> None:
        self.inner = inner
        self.prefixes = prefixes
        self.answers: list[Answer] = []
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    def close(self) -> None:
        """The shared backend is closed by the run, not by one draft."""

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion:
        completion = self.inner.complete(request, on_text)
        found = replays.section_for(request, self.prefixes)
        if found is not None:
            section, length = found
            answer = Answer(
                section=section,
                ask=replays.ask_number(request, length),
                text=completion.text,
                cached=completion.cached,
            )
            with self._lock:
                self.answers.append(answer)
        return completion


@dataclass(frozen=True)
class Job:
    prompt: PromptVersion
    model: Model
    case: LoadedCase
    repeat: int


@dataclass
class Runner:
    suite: LoadedSuite
    prompts: list[PromptVersion]
    models: list[Model]
    repeat: int = 1
    concurrency: int = 4  # drafts at once
    section_concurrency: int = 4  # requests of one draft at once
    cache: bool = True
    _backends: dict[tuple[str, int], Backend] = field(default_factory=dict, init=False)
    _inner: dict[str, Backend] = field(default_factory=dict, init=False)
    _prefixes: dict[tuple[str, str], Prefixes] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

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

    def prefixes(self, prompt: PromptVersion, case: LoadedCase) -> Prefixes:
        """The rendered prompt of each section of a case: how a request is told apart."""
        key = (prompt.label, case.id)
        with self._lock:
            hit = self._prefixes.get(key)
        if hit is not None:
            return hit
        data = case.loaded.data
        made = {render(prompt.prompts, s, data).request.messages: s for s in official.SECTION_IDS}
        with self._lock:
            self._prefixes[key] = made
        return made

    def chat_backend(self, model: Model, repeat: int) -> Backend:
        """One client per model for the whole run; one cache scope per repeat."""
        from ..backends.base import get_backend
        from ..cache import CachedBackend, ResponseCache

        assert model.endpoint is not None
        with self._lock:
            inner = self._inner.get(model.spec)
            if inner is None:
                inner = self._inner[model.spec] = get_backend(model.endpoint)
            if not self.cache:
                return inner
            key = (model.spec, repeat)
            backend = self._backends.get(key)
            if backend is None:
                scope = model.endpoint.base_url + ("" if repeat == 1 else f"#repeat={repeat}")
                backend = CachedBackend(inner, ResponseCache(), scope, model.endpoint.model)
                self._backends[key] = backend
            return backend

    def writer(self, job: Job) -> tuple[SectionWriter, Recorder | None]:
        if job.model.kind == "offline":
            return OfflineWriter(), None
        prefixes = self.prefixes(job.prompt, job.case)
        if job.model.replay is not None:
            backend: Backend = replays.replay_backend(
                job.model.replay, job.model.spec, job.case.id, job.repeat, prefixes
            )
        else:
            backend = self.chat_backend(job.model, job.repeat)
        recorder = Recorder(backend, prefixes)
        return ModelWriter(recorder, job.prompt.prompts), recorder

    def run_one(self, job: Job) -> DraftRun:
        writer, recorder = self.writer(job)
        started = time.monotonic()
        draft = draft_report(job.case.loaded, writer=writer, concurrency=self.section_concurrency)
        latency = round(time.monotonic() - started, 3)
        answers = (
            sorted(recorder.answers, key=lambda a: (official.SECTION_IDS.index(a.section), a.ask))
            if recorder
            else []
        )
        run = DraftRun(
            prompt=job.prompt.label,
            model=job.model.spec,
            case=job.case.id,
            repeat=job.repeat,
            draft=stored_draft(draft),
            answers=answers,
            usage=usage_total([s.usage for s in draft.sections]),
            latency_s=latency,
        )
        return score_run(run, draft, job.case.loaded.data, job.case.expect)

    def close(self) -> None:
        for backend in self._inner.values():
            backend.close()

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
