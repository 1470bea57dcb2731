"""The run record: everything an eval run produced, as one JSON file written atomically.

It holds the versions (tool, suite, prompts), the model specs, each case's data and tables once,
and per prompt version × model × case × repeat: the draft (sections, notes, usage), the model's raw
answers, the fallbacks, the findings and the expectation results. ``rescore`` recomputes findings
and results from the stored drafts with the current check library — no model is asked.

Findings are stored as the check library's one ``Finding`` (its dict, with its evidence, cells and
fingerprint), beside where it stands in the draft. Schema 2 is that shape; a schema-1 record (flat
findings without evidence) is read by moving each finding under ``finding``, so ``--rescore`` and
``--baseline`` keep working on it.

Schema 3 adds what sees quality: per draft the judges' grades on each rubric (``judgements``) and
the deterministic figures (``quality``); per run the pairwise comparisons of prompt versions, the
judge prompts' versions and the list of stock phrases. A schema-2 record has none of them and is
read as a schema-3 record without judgements (``--rescore`` computes the figures, never the grades).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .. import __version__
from ..checks.finding import Finding, HoldsFinding
from ..config import OFFLINE
from ..data.model import ReportData
from ..document import Draft, SectionUsage
from ..errors import InputError, invalid_file, os_reason
from ..files import write_text
from .quality import Quality
from .scoring import RawAnswer, Result, behaviour, locate, paragraph_map, score
from .suite import EXPECTATIONS, EvalSuite, Expectation
from .verdicts import Judgement, PairComparison

SCHEMA: Literal["drafting.eval-run/3"] = "drafting.eval-run/3"
SCHEMA_1 = "drafting.eval-run/1"  # flat findings: read by ``_from_schema_1``
SCHEMA_2 = "drafting.eval-run/2"  # no judges, no quality figures: read as schema 3 without them
READABLE = (SCHEMA_1, SCHEMA_2, SCHEMA)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingRecord(_Strict, HoldsFinding):
    """A finding of a stored draft, and where it stands in the draft when its location says."""

    finding: Finding
    section: str | None = None
    paragraph: int | None = None


class Answer(_Strict):
    """One raw answer of the model, before cleaning and checking."""

    section: str
    ask: int
    text: str
    cached: bool = False


class DraftRun(_Strict):
    prompt: str  # the prompt version's label
    model: str  # the model spec as given
    case: str
    repeat: int
    draft: dict[str, Any]  # the Draft as JSON without ``data`` and ``tables`` (kept once per case)
    answers: list[Answer] = Field(default_factory=list)
    # What each section's replayed answer is, when the replay says (``label``): faithful, or the
    # class of fault it carries (``evaluation.labels``).
    labels: dict[str, str] = Field(default_factory=dict)
    fallbacks: list[str] = Field(default_factory=list)
    reasked: list[str] = Field(default_factory=list)
    findings: list[FindingRecord] = Field(default_factory=list)
    results: list[Result] = Field(default_factory=list)  # stored as scoring gives them
    passed: bool = False
    usage: SectionUsage = Field(default_factory=SectionUsage)
    latency_s: float = 0.0  # wall time of the draft
    judgements: list[Judgement] = Field(default_factory=list)  # the rubrics' grades (judge.py)
    quality: Quality | None = None  # the deterministic figures (quality.py)

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.prompt, self.model, self.case, self.repeat)

    def text(self, section: str) -> list[str]:
        for s in self.draft.get("sections", []):
            if s.get("id") == section:
                return list(s.get("paragraphs", []))
        return []


class CaseRecord(_Strict):
    id: str
    description: str = ""
    data_file: str
    data: dict[str, Any]
    tables: dict[str, dict[str, Any]]
    expect: list[Any]  # the expectations as written (defaults merged), re-validated on rescore

    def expectations(self) -> list[Expectation]:
        return EXPECTATIONS.validate_python(self.expect)


class PromptRecord(_Strict):
    label: str
    directory: str | None = None
    version: str  # one short hash over every file's version
    versions: dict[str, str] = Field(default_factory=dict)


class SuiteRecord(_Strict):
    name: str
    path: str
    sha256: str
    definition: dict[str, Any]


class RunRecord(_Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["drafting.eval-run/3"] = Field(SCHEMA, alias="schema")
    created: dt.datetime
    scored: dt.datetime  # when findings and results were last computed (a rescore updates it)
    tool_version: str = __version__
    suite: SuiteRecord
    prompts: list[PromptRecord]
    models: list[str]
    repeat: int
    cache: bool = True
    wall_s: float = 0.0
    cases: list[CaseRecord]
    runs: list[DraftRun]
    judge_prompts: dict[str, str] = Field(default_factory=dict)  # judge.md, pairwise.md → version
    slogans_file: str | None = None
    slogans: list[str] | None = None  # the stock phrases counted (None: the suite named no list)
    pairwise: list[PairComparison] = Field(default_factory=list)  # prompt versions compared (pairwise.py)

    def case(self, case_id: str) -> CaseRecord:
        return next(c for c in self.cases if c.id == case_id)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=1) + "\n"


# --- scoring a stored draft ------------------------------------------------------------------------


def rebuild(run: DraftRun, case: CaseRecord) -> Draft:
    return Draft.model_validate({**run.draft, "data": case.data, "tables": case.tables})


def model_name(run: DraftRun, draft: Draft) -> str | None:
    """Who a model-written section names as its backend (None for the offline rules)."""
    if run.model == OFFLINE:
        return None
    return str(draft.provenance.backend)


def score_run(run: DraftRun, draft: Draft, data: ReportData, expect: list[Expectation]) -> DraftRun:
    answers = [RawAnswer(a.section, a.ask, a.text) for a in run.answers]
    did = behaviour(draft, model_name(run, draft), answers)
    findings, results = score(draft, data, expect, did)
    return run.model_copy(
        update={
            "fallbacks": sorted(did.fallbacks),
            "reasked": sorted(did.reasked),
            "findings": finding_records(findings, draft),
            "results": results,
            "passed": all(r.ok for r in results),
        }
    )


def finding_records(findings: list[Finding], draft: Draft) -> list[FindingRecord]:
    places = paragraph_map(draft)
    out = []
    for f in findings:
        where = locate(f.location, places)
        out.append(FindingRecord(finding=f, section=where.section, paragraph=where.paragraph))
    return out


def rescore(record: RunRecord, suite: EvalSuite | None = None) -> RunRecord:
    """Findings and results recomputed from the stored drafts, with the current check library and
    the stored expectations (or those of ``suite``, for the cases it has). No model is asked."""
    from .suite import merge

    own = {c.id: c for c in suite.cases} if suite is not None else {}
    cases = []
    for case in record.cases:
        if case.id in own and suite is not None:
            expect = merge(suite.defaults, own[case.id].expect)
            case = case.model_copy(update={"expect": EXPECTATIONS.dump_python(expect, mode="json")})
        cases.append(case)
    by_id = {c.id: c for c in cases}
    runs = []
    try:
        data = {c.id: ReportData.model_validate(c.data) for c in cases}
        expects = {c.id: c.expectations() for c in cases}
        for run in record.runs:
            case = by_id[run.case]
            runs.append(score_run(run, rebuild(run, case), data[run.case], expects[run.case]))
    except ValidationError as exc:
        raise invalid_file(
            exc,
            "评测记录中的数据、草稿或期望不符合当前的格式，无法重新评分",
            "记录可能由旧版本生成：请去掉 --rescore 重新运行评测。",
        ) from None
    return record.model_copy(update={"cases": cases, "runs": runs, "scored": now()})


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


# --- files -----------------------------------------------------------------------------------------


def write_record(record: RunRecord, path: Path) -> None:
    write_text(path, record.to_json())


def load_record(path: Path) -> RunRecord:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(
            f"找不到评测记录 {path}。", hint="评测记录由 drafting eval --json 文件 生成。"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取评测记录 {path}：{os_reason(exc)}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path} 不是有效的评测记录（第{exc.lineno}行：JSON 格式错误）。",
            hint="评测记录由 drafting eval --json 生成，请勿手工改动其结构。",
        ) from None
    schema = raw.get("schema") if isinstance(raw, dict) else None
    if schema == SCHEMA_1:
        raw = _from_schema_1(raw)
    elif schema == SCHEMA_2:
        raw = {**raw, "schema": SCHEMA}  # every field schema 3 added has a default
    elif isinstance(schema, str) and schema.startswith("drafting.eval-run/") and schema not in READABLE:
        raise InputError(
            f"{path} 是另一版本的评测记录（{schema}），本版本只能读取 {'、'.join(READABLE)}。",
            hint="请用生成它的版本查看，或去掉 --rescore/--baseline 重新运行评测。",
        )
    try:
        return RunRecord.model_validate(raw)
    except ValidationError as exc:
        raise invalid_file(
            exc, f"{path} 不是有效的评测记录", "评测记录由 drafting eval --json 生成，请勿手工改动其结构。"
        ) from None


def _from_schema_1(raw: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 record in the shape of schema 2: each flat finding moved under ``finding`` (no
    evidence, cells or fingerprint were recorded then; ``--rescore`` computes them)."""
    runs = []
    for run in raw.get("runs") or []:
        if isinstance(run, dict):
            findings = []
            for f in run.get("findings") or []:
                if isinstance(f, dict):
                    where = {k: f.get(k) for k in ("section", "paragraph") if k in f}
                    body = {k: v for k, v in f.items() if k not in ("section", "paragraph")}
                    f = {"finding": {**body, "evidence": "", "cells": [], "fingerprint": ""}, **where}
                findings.append(f)
            run = {**run, "findings": findings}
        runs.append(run)
    return {**raw, "schema": SCHEMA, "runs": runs}
