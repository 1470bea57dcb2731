"""Labels from people: a reviewer marks drafts good or bad in the HTML report, exports the marks as
a labels file, and ``drafting eval --labels FILE`` tells how well each check and each judge agrees
with them — so the team can tell whether a judge is worth what it costs.

The file (JSON, as the report's export button writes it; YAML is read too)::

    {"schema": "drafting.eval-labels/1", "suite": "…", "record": "<the record's creation time>",
     "labels": [{"prompt": "…", "model": "…", "case": "…", "repeat": 1, "draft": "<fingerprint>",
                 "label": "good" | "bad", "comment": "…", "labelled": "<when>"}]}

A label names its draft by prompt version, model, case and repeat, and carries the fingerprint of
the text the reviewer read (``fingerprint``): a label whose draft has changed since is not counted
(it is reported as stale), so a label is never applied to a text nobody read.

For each verdict — the draft as a whole (every expectation met), each rule of the check library,
each kind of expectation, each rubric (its median against ``min_score``, or 4 without one) — over
the labelled drafts: agreement (the verdict and the reviewer say the same), false pass (the verdict
passes a draft the reviewer marked bad), false fail (it fails one marked good), and the drafts it
could not decide (a rubric without a score).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import yamlfile
from ..errors import InputError
from .record import DraftRun, RunRecord
from .verdicts import Judgement

SCHEMA: Literal["drafting.eval-labels/1"] = "drafting.eval-labels/1"
WHAT = "标注文件"
HINT = "标注文件由 HTML 评测报告中的“导出标注”按钮生成（drafting eval --html）；请勿手工改动其结构。"
WHOLE = "全部期望"
KINDS = {"整体": 0, "评分": 1, "期望": 2, "规则": 3}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Label(_Strict):
    prompt: str
    model: str
    case: str
    repeat: int = Field(1, ge=1)
    draft: str = ""  # the fingerprint of the text labelled
    label: Literal["good", "bad"]
    comment: str = ""
    labelled: str = ""  # when, as the browser wrote it

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.prompt, self.model, self.case, self.repeat)


class LabelsFile(_Strict):
    schema_: Literal["drafting.eval-labels/1"] = Field(SCHEMA, alias="schema")
    suite: str = ""
    record: str = ""
    labels: list[Label] = Field(default_factory=list)


def fingerprint(run: DraftRun) -> str:
    """The narrative text of a draft, hashed: what a reviewer read when labelling it."""
    sections = [[s.get("id"), s.get("paragraphs", [])] for s in run.draft.get("sections", [])]
    canonical = json.dumps([run.draft.get("preamble", []), sections], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def load_labels(path: Path) -> LabelsFile:
    raw, positions, _ = yamlfile.read_yaml(path, WHAT)
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        found = raw.get("schema") if isinstance(raw, dict) else None
        what = f"（schema 为“{found}”）" if found else ""
        raise InputError(f'{path} 不是标注文件{what}：应有 "schema": "{SCHEMA}"。', hint=HINT)
    known = sorted({*LabelsFile.model_fields, "schema", *Label.model_fields})
    return yamlfile.validate(LabelsFile, raw, str(path), positions, what=WHAT, hint=HINT, known=known)


# --- agreement -------------------------------------------------------------------------------------


@dataclass
class Agreement:
    """One verdict against the reviewers' labels."""

    name: str
    kind: str  # 整体, 评分, 期望 or 规则
    labelled: int = 0  # labelled drafts the verdict decided
    agree: int = 0
    false_pass: int = 0  # passed, marked bad
    false_fail: int = 0  # failed, marked good
    undecided: int = 0  # labelled drafts it could not decide (a rubric without a score)
    tokens: int = 0  # a rubric: its graders' tokens on those drafts (checks cost nothing)

    @property
    def rate(self) -> float | None:
        return self.agree / self.labelled if self.labelled else None

    @property
    def tokens_per_draft(self) -> float | None:
        """What the verdict costs a draft: a rubric's tokens (cached answers at what they cost
        when asked); None for checks, which ask no model."""
        drafts = self.labelled + self.undecided
        return self.tokens / drafts if self.kind == "评分" and drafts else None


@dataclass
class AgreementReport:
    rows: list[Agreement]
    matched: int  # labels counted
    good: int
    bad: int
    stale: list[str] = field(default_factory=list)  # labels whose draft changed since
    unknown: list[str] = field(default_factory=list)  # labels of drafts not in the record


def verdicts(run: DraftRun, rules: list[str]) -> dict[tuple[str, str], bool | None]:
    """Every verdict on one draft: (kind, name) → passed (None: undecided)."""
    out: dict[tuple[str, str], bool | None] = {("整体", WHOLE): run.passed}
    for j in run.judgements:
        if not j.skipped:
            out[("评分", _rubric_name(j))] = j.good
    for res in run.results:
        if res.kind not in ("passes", "judge"):
            key = ("期望", res.kind)
            out[key] = bool(out.get(key, True)) and res.ok
    failing = {f.rule for f in run.findings if f.severity == "error"}
    failing |= {r.rule for r in run.results if r.kind == "passes" and not r.ok and r.rule}
    for rule in rules:
        out[("规则", rule)] = rule not in failing
    return out


def _rubric_name(j: Judgement) -> str:
    return j.title if j.name == j.rubric else f"{j.title}（{j.name}）"


def _name(label: Label) -> str:
    return f"{label.case}（{label.prompt} · {label.model} · 第{label.repeat}次）"


def agreement(labels: LabelsFile, record: RunRecord) -> AgreementReport:
    if not labels.labels:
        raise InputError(
            "标注文件中没有任何标注。",
            hint="请先在 HTML 评测报告中把草稿标为“好”或“不好”，再点“导出标注文件”。",
        )
    runs = {r.key: r for r in record.runs}
    chosen: dict[tuple[str, str, str, int], Label] = {}
    stale: list[str] = []
    unknown: list[str] = []
    for label in labels.labels:  # a draft labelled twice: the later label stands
        run = runs.get(label.key)
        if run is None:
            unknown.append(_name(label))
        elif label.draft and label.draft != fingerprint(run):
            stale.append(_name(label))
        else:
            chosen[label.key] = label
    if not chosen:
        raise InputError(
            "标注文件中的标注与评测记录中的草稿都对不上"
            + (f"（{len(stale)} 条标注的草稿已经改变）" if stale else "")
            + "。",
            hint="请用生成该 HTML 报告的评测记录：drafting eval --rescore 记录.json --labels 标注.json。",
        )
    rules = sorted(
        {f.rule for r in record.runs for f in r.findings if f.severity == "error"}
        | {r.rule for run in record.runs for r in run.results if r.kind == "passes" and r.rule}
    )
    rows: dict[tuple[str, str], Agreement] = {}
    for key, label in chosen.items():
        good = label.label == "good"
        costs = {
            _rubric_name(j): sum(g.tokens for g in j.grades) for j in runs[key].judgements if not j.skipped
        }
        for (kind, name), passed in verdicts(runs[key], rules).items():
            row = rows.setdefault((kind, name), Agreement(name, kind))
            row.tokens += costs.get(name, 0) if kind == "评分" else 0
            if passed is None:
                row.undecided += 1
                continue
            row.labelled += 1
            row.agree += passed == good
            row.false_pass += passed and not good
            row.false_fail += good and not passed
    ordered = sorted(rows.values(), key=lambda a: (KINDS[a.kind], a.name))
    good_count = sum(label.label == "good" for label in chosen.values())
    return AgreementReport(ordered, len(chosen), good_count, len(chosen) - good_count, stale, unknown)
