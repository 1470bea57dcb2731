"""What a run shows: the pass-rate matrix (prompt version × model), per rule and expectation, flaky
cases across repeats, tokens and latency — as figures (the terminal shows them with
``drafting.cli.eval_summary``), and as one self-contained HTML page with a drill-down per case (the draft, its findings highlighted, the raw answers, and the
character diff between prompt versions).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import __version__, official
from ..checks import CATEGORY_LABELS
from ..textdiff import pieces
from .record import DraftRun, FindingRecord, RunRecord

if TYPE_CHECKING:
    from markupsafe import Markup

    from .human_labels import AgreementReport

KIND_LABELS = {
    "no_errors": "无错误",
    "passes": "规则通过",
    "contains": "应出现",
    "not_contains": "不应出现",
    "length": "字数",
    "fallback": "回退",
    "flagged": "缺陷被发现",
    "judge": "评分",
}


# --- the figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellStats:
    prompt: str
    model: str
    drafts: int
    passed: int
    fallbacks: int
    reasked: int
    prompt_tokens: int
    completion_tokens: int
    estimated: bool
    requests: int
    cached: int
    latency_mean: float
    latency_max: float

    @property
    def rate(self) -> float:
        return self.passed / self.drafts if self.drafts else 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def _cell(prompt: str, model: str, runs: Sequence[DraftRun]) -> CellStats:
    latencies = [r.latency_s for r in runs] or [0.0]
    return CellStats(
        prompt=prompt,
        model=model,
        drafts=len(runs),
        passed=sum(r.passed for r in runs),
        fallbacks=sum(len(r.fallbacks) for r in runs),
        reasked=sum(len(r.reasked) for r in runs),
        prompt_tokens=sum(r.usage.prompt_tokens for r in runs),
        completion_tokens=sum(r.usage.completion_tokens for r in runs),
        estimated=any(r.usage.estimated for r in runs),
        requests=sum(r.usage.requests for r in runs),
        cached=sum(r.usage.cached for r in runs),
        latency_mean=round(sum(latencies) / len(latencies), 3),
        latency_max=max(latencies),
    )


def cells(record: RunRecord) -> list[CellStats]:
    return [
        _cell(p.label, m, [r for r in record.runs if r.prompt == p.label and r.model == m])
        for p in record.prompts
        for m in record.models
    ]


@dataclass
class CheckStats:
    """One rule of the check library, or one kind of expectation: in how many drafts it failed."""

    name: str
    label: str
    drafts: int = 0
    failed: int = 0
    example: str = ""

    @property
    def rate(self) -> float:
        return 1 - self.failed / self.drafts if self.drafts else 1.0


def check_stats(record: RunRecord) -> list[CheckStats]:
    """Rules first (every rule with an error finding, or named in a ``passes``), then expectation kinds."""
    rules: dict[str, CheckStats] = {}
    kinds: dict[str, CheckStats] = {}
    total = len(record.runs)
    for run in record.runs:
        failing: dict[str, str] = {}
        for f in run.findings:
            if f.severity == "error":
                failing.setdefault(f.rule, f.message)
                rules.setdefault(f.rule, CheckStats(f.rule, CATEGORY_LABELS.get(f.category, f.category)))
        for res in run.results:
            if res.kind == "passes" and res.rule:
                rules.setdefault(res.rule, CheckStats(res.rule, "规则"))
                if not res.ok:
                    failing.setdefault(res.rule, res.reason)
        for rule, message in failing.items():
            stats = rules[rule]
            stats.failed += 1
            stats.example = stats.example or message
        seen: dict[str, bool] = {}
        for res in run.results:
            if res.kind == "passes":
                continue
            seen[res.kind] = seen.get(res.kind, True) and res.ok
            if not res.ok:
                stats = kinds.setdefault(res.kind, CheckStats(res.kind, KIND_LABELS.get(res.kind, res.kind)))
                stats.example = stats.example or res.reason
        for kind, ok in seen.items():
            stats = kinds.setdefault(kind, CheckStats(kind, KIND_LABELS.get(kind, kind)))
            stats.drafts += 1
            stats.failed += not ok
    for stats in rules.values():
        stats.drafts = total
    ordered = sorted(rules.values(), key=lambda s: (-s.failed, s.name))
    return ordered + sorted(kinds.values(), key=lambda s: (-s.failed, s.name))


@dataclass(frozen=True)
class Flaky:
    case: str
    prompt: str
    model: str
    passed: int
    repeats: int


def flaky(record: RunRecord) -> list[Flaky]:
    """Cases that passed in some repeats and failed in others (same prompt version and model)."""
    groups: dict[tuple[str, str, str], list[DraftRun]] = {}
    for run in record.runs:
        groups.setdefault((run.case, run.prompt, run.model), []).append(run)
    out = []
    for (case, prompt, model), runs in groups.items():
        passed = sum(r.passed for r in runs)
        if 0 < passed < len(runs):
            out.append(Flaky(case, prompt, model, passed, len(runs)))
    return out


def overall(record: RunRecord) -> tuple[int, int]:
    return sum(r.passed for r in record.runs), len(record.runs)


def percent(rate: float) -> str:
    return f"{rate * 100:.0f}%" if rate in (0.0, 1.0) else f"{rate * 100:.1f}%"


def failures(run: DraftRun) -> list[str]:
    return [r.reason for r in run.results if not r.ok]


# --- the HTML page ---------------------------------------------------------------------------------

_QUOTED = re.compile(r"“([^“”]{1,60})”")
_SNIPPET = re.compile(r"（([^（）]{2,80})）")


def fragments(message: str, text: str) -> list[str]:
    """The pieces of ``text`` a finding's message quotes (its “…” and its （…snippet…）), longest
    first: the longest is the most specific place."""
    quoted = [q.strip("…") for q in (*_QUOTED.findall(message), *_SNIPPET.findall(message))]
    found = [q for q in quoted if q and q in text]
    return sorted(dict.fromkeys(found), key=len, reverse=True)


@dataclass
class Mark:
    start: int
    end: int
    title: str
    css: str = "finding"


def highlight(text: str, marks: Sequence[Mark]) -> Markup:
    from markupsafe import Markup, escape

    out = []
    at = 0
    for m in sorted(marks, key=lambda m: m.start):
        if m.start < at:  # overlapping: the earlier mark stands
            continue
        out.append(escape(text[at : m.start]))
        out.append(
            Markup('<mark class="{}" title="{}">{}</mark>').format(m.css, m.title, text[m.start : m.end])
        )
        at = m.end
    out.append(escape(text[at:]))
    return Markup("").join(out)


def char_diff(a: str, b: str) -> Markup:
    """``a`` → ``b`` character by character: deletions struck out, insertions underlined."""
    from markupsafe import Markup, escape

    out = []
    for piece in pieces(a, b):
        if piece.op == "delete":
            out.append(Markup("<del>{}</del>").format(piece.text))
        elif piece.op == "insert":
            out.append(Markup("<ins>{}</ins>").format(piece.text))
        else:
            out.append(escape(piece.text))
    return Markup("").join(out)


@dataclass
class HtmlParagraph:
    html: Markup
    notes: list[FindingRecord] = field(default_factory=list)

    @property
    def css(self) -> str:
        if any(f.severity == "error" for f in self.notes):
            return "flagged"
        return "warned" if self.notes else ""


@dataclass
class HtmlSection:
    id: str
    heading: str
    backend: str
    notes: list[str]
    paragraphs: list[HtmlParagraph]


def _section_heading(section_id: str) -> str:
    return official.section_label(section_id, " ")


def _phrase_marks(run: DraftRun, section: str, text: str) -> list[Mark]:
    """Phrases an expectation wanted gone that are there: marked like findings."""
    out = []
    for res in run.results:
        if res.ok or res.kind != "not_contains" or res.section not in (None, section):
            continue
        phrase = res.name.split(":", 2)[-1]
        at = text.find(phrase)
        if at >= 0:
            out.append(Mark(at, at + len(phrase), res.reason, "expect"))
    return out


def draft_sections(run: DraftRun) -> list[HtmlSection]:
    """The draft's sections, each paragraph with its findings marked where their location allows."""
    from markupsafe import escape

    out = []
    for s in run.draft.get("sections", []):
        sid = str(s.get("id"))
        paragraphs = []
        for n, text in enumerate(s.get("paragraphs", [])):
            notes = [f for f in run.findings if f.section == sid and f.paragraph == n]
            marks = []
            for f in notes:
                pieces = fragments(f.message, text)
                if pieces:
                    at = text.find(pieces[0])
                    marks.append(Mark(at, at + len(pieces[0]), f"{f.rule}：{f.message}"))
            marks += _phrase_marks(run, sid, text)
            html = highlight(text, marks) if marks else escape(text)
            paragraphs.append(HtmlParagraph(html, notes))
        out.append(
            HtmlSection(
                sid, _section_heading(sid), str(s.get("backend", "")), list(s.get("notes", [])), paragraphs
            )
        )
    return out


@dataclass
class HtmlAnswer:
    section: str
    ask: int
    cached: bool
    rejected: bool
    html: Markup


def answers(run: DraftRun) -> list[HtmlAnswer]:
    """The model's raw answers; in those the writer rejected, the problem its note quotes is marked."""
    from markupsafe import escape

    notes = {str(s.get("id")): list(s.get("notes", [])) for s in run.draft.get("sections", [])}
    reasons = {r.section: r.reason for r in run.results if r.kind == "flagged" and r.section}
    last = {a.section: max(b.ask for b in run.answers if b.section == a.section) for a in run.answers}
    out = []
    for a in run.answers:
        rejected = a.section in run.fallbacks or (a.section in run.reasked and a.ask < last[a.section])
        marks = []
        if rejected:
            for why in [*notes.get(a.section, []), reasons.get(a.section, "")]:
                for piece in fragments(why, a.text)[:1]:
                    at = a.text.find(piece)
                    marks.append(Mark(at, at + len(piece), why))
        html = highlight(a.text, marks) if marks else escape(a.text)
        out.append(HtmlAnswer(a.section, a.ask, a.cached, rejected, html))
    return out


@dataclass
class DiffBlock:
    model: str
    before: str
    after: str
    sections: list[tuple[str, Markup, bool]]  # heading, diff, changed


def prompt_diffs(record: RunRecord, case: str) -> list[DiffBlock]:
    """For each model, the first repeat under the first prompt version against each other version."""
    if len(record.prompts) < 2:
        return []
    runs = {(r.prompt, r.model): r for r in record.runs if r.case == case and r.repeat == 1}
    first = record.prompts[0].label
    out = []
    for model in record.models:
        base = runs.get((first, model))
        if base is None:
            continue
        for p in record.prompts[1:]:
            other = runs.get((p.label, model))
            if other is None:
                continue
            sections = []
            for sid in official.SECTION_IDS:
                a, b = "\n".join(base.text(sid)), "\n".join(other.text(sid))
                sections.append((_section_heading(sid), char_diff(a, b), a != b))
            out.append(DiffBlock(model, first, p.label, sections))
    return out


@dataclass
class CaseView:
    id: str
    description: str
    data_file: str
    runs: list[tuple[DraftRun, list[HtmlSection], list[HtmlAnswer]]]
    diffs: list[DiffBlock]
    passed: int
    total: int


def render_html(record: RunRecord, agreement: AgreementReport | None = None) -> str:
    """The report page; with ``agreement`` (``--labels``) it shows how each check and judge agrees
    with the reviewers' labels."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("drafting.evaluation", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    views = []
    for case in record.cases:
        runs = [r for r in record.runs if r.case == case.id]
        views.append(
            CaseView(
                case.id,
                case.description,
                os.path.normpath(case.data_file),
                [(r, draft_sections(r), answers(r)) for r in runs],
                prompt_diffs(record, case.id),
                sum(r.passed for r in runs),
                len(runs),
            )
        )
    from .labels import KEPT_OUT, label_cells, verdicts

    passed, total = overall(record)
    labels = label_cells(record)
    context: dict[str, Any] = {
        "labels": labels,
        "label_classes": list(dict.fromkeys(label for c in labels for label in c.classes)),
        "kept_out": KEPT_OUT,
        "run_verdicts": verdicts,
        "record": record,
        "version": __version__,
        "passed": passed,
        "total": total,
        "percent": percent,
        "cells": {(c.prompt, c.model): c for c in cells(record)},
        "checks": check_stats(record),
        "flaky": flaky(record),
        "cases": views,
        "section_heading": _section_heading,
    }
    from .panels import page_context  # judges, pairwise, quality figures, labels from people

    context |= page_context(record, agreement)
    return env.get_template("eval.html.j2").render(context)


def case_status(runs: Iterable[DraftRun]) -> str:
    runs = list(runs)
    passed = sum(r.passed for r in runs)
    return "pass" if passed == len(runs) else "fail" if passed == 0 else "flaky"
