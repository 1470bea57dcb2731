"""Scoring one draft: the check library's findings, and the case's expectations, each a result with
a Chinese reason (pass or fail). Pure functions of the draft and its data, so a stored run can be
re-scored without a model.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict

from .. import official
from ..checks import Finding, run_checks
from ..data.model import ReportData
from ..document import Draft, part_heading
from .suite import (
    Contains,
    Expectation,
    Fallback,
    Flagged,
    Length,
    NoErrors,
    NotContains,
    Passes,
    TextSpec,
)

PREAMBLE = "preamble"
WHOLE = "全文"


@dataclass(frozen=True)
class Located:
    """Where a finding stands in the draft: a section id (or ``preamble``) and the index of the
    paragraph in it (-1 for the section's own title), when its location says."""

    section: str | None = None
    paragraph: int | None = None


class Result(BaseModel):
    """One expectation's verdict on a draft, with its reason in Chinese. The eval record stores it
    as it is (``DraftRun.results``), so a damaged record's result is read with the same strictness
    as any of its parts."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str  # stable across runs: what a baseline comparison matches on
    kind: str
    ok: bool
    reason: str
    section: str | None = None
    rule: str | None = None
    finding: Finding | None = None  # the finding that decided it, when one did


@dataclass(frozen=True)
class RawAnswer:
    section: str
    ask: int
    text: str


@dataclass(frozen=True)
class Behaviour:
    """What the writer did, read from the draft: sections that fell back or were asked twice,
    and the model's raw answers (before cleaning), when they were recorded."""

    fallbacks: frozenset[str]
    reasked: frozenset[str]
    answers: tuple[RawAnswer, ...] = ()

    def rejected(self, section: str) -> list[RawAnswer]:
        """The answers the writer did not keep: all of a section that fell back, else all but the last."""
        mine = sorted((a for a in self.answers if a.section == section), key=lambda a: a.ask)
        if section in self.fallbacks:
            return mine
        return mine[:-1] if section in self.reasked else []


def behaviour(draft: Draft, model_name: str | None, answers: Iterable[RawAnswer] = ()) -> Behaviour:
    if model_name is None:  # the offline rules: nothing to fall back from
        return Behaviour(frozenset(), frozenset())
    fell = {s.id for s in draft.sections if s.backend != model_name and s.usage is not None}
    asked = {s.id for s in draft.sections if s.usage is not None and s.usage.asks >= 2}
    return Behaviour(frozenset(fell), frozenset(asked), tuple(answers))


# --- where a finding stands ----------------------------------------------------------------------

_WHERE = re.compile(r"^(?P<head>.+?) 第(?P<n>\d+)段")


def paragraph_map(draft: Draft) -> dict[tuple[str, int], Located]:
    """``(part heading, N)`` → section and paragraph, numbered as ``reading.from_draft`` numbers
    them (a section's title counts as a paragraph of its part)."""
    out: dict[tuple[str, int], Located] = {}
    for n, _ in enumerate(draft.preamble, 1):
        out[("前言", n)] = Located(PREAMBLE, n - 1)
    parts = {s.id: s.part for s in official.NARRATIVE_SECTIONS}
    counts: dict[str, int] = {}
    for section in draft.sections:
        heading = part_heading(parts.get(section.id, section.id)) if section.id in parts else section.heading
        indexes = ([-1] if section.title else []) + list(range(len(section.paragraphs)))
        for index in indexes:
            counts[heading] = counts.get(heading, 0) + 1
            out[(heading, counts[heading])] = Located(section.id, index)
    return out


def locate(location: str, places: dict[tuple[str, int], Located]) -> Located:
    m = _WHERE.match(location)
    if m is None:
        return Located()
    return places.get((m["head"], int(m["n"])), Located())


# --- the text an expectation reads -----------------------------------------------------------------


def _paragraphs(draft: Draft, section: str | None) -> list[str]:
    if section is None:
        return [*draft.preamble, *(p for s in draft.sections for p in s.paragraphs)]
    return [p for s in draft.sections if s.id == section for p in s.paragraphs]


def _scope(section: str | None, paragraph: str | None) -> str:
    where = _section_label(section) if section else WHOLE
    return f"{where}“{paragraph}”段" if paragraph else where


def _section_label(section: str) -> str:
    return official.section_label(section)


def _texts(draft: Draft, section: str | None, paragraph: str | None) -> list[str] | None:
    """The paragraphs in scope; None when the paragraph asked for is not there."""
    paras = _paragraphs(draft, section)
    if paragraph is None:
        return paras
    chosen = [p for p in paras if p.startswith(paragraph)]
    return chosen or None


def _found(pattern: str, texts: Iterable[str], regex: bool) -> str | None:
    for text in texts:
        if regex:
            m = re.search(pattern, text)
            if m:
                return m.group()
        elif pattern in text:
            return pattern
    return None


def _no_paragraph(name: str, kind: str, section: str | None, paragraph: str | None) -> Result:
    """An expectation about one paragraph of a draft that has no paragraph beginning so."""
    return Result(name=name, kind=kind, ok=False, reason=f"没有以“{paragraph}”开头的段落", section=section)


def _phrases(spec: TextSpec, draft: Draft, want: bool) -> list[Result]:
    kind = "contains" if want else "not_contains"
    scope = _scope(spec.section, spec.paragraph)
    texts = _texts(draft, spec.section, spec.paragraph)
    out = []
    for phrase in spec.texts():
        name = f"{kind}:{scope}:{phrase}"
        if texts is None:
            out.append(_no_paragraph(name, kind, spec.section, spec.paragraph))
            continue
        hit = _found(phrase, texts, spec.regex)
        if want:
            reason = f"{scope}中有“{hit}”" if hit else f"{scope}中没有“{phrase}”"
        else:
            reason = f"{scope}中不应出现却出现了“{hit}”" if hit else f"{scope}中没有“{phrase}”"
        out.append(
            Result(name=name, kind=kind, ok=(hit is not None) == want, reason=reason, section=spec.section)
        )
    return out


def _length(item: Length, draft: Draft) -> Result:
    spec = item.length
    scope = _scope(spec.section, spec.paragraph)
    name = f"length:{scope}"
    texts = _texts(draft, spec.section, spec.paragraph)
    if texts is None:
        return _no_paragraph(name, "length", spec.section, spec.paragraph)
    n = sum(len(t) for t in texts)
    low = spec.min if spec.min is not None else 0
    high = spec.max
    ok = n >= low and (high is None or n <= high)
    bound = f"{low}–{high}" if high is not None else f"不少于 {low}"
    return Result(
        name=name, kind="length", ok=ok, reason=f"{scope}共 {n} 字（应为 {bound} 字）", section=spec.section
    )


def _fallback(item: Fallback, did: Behaviour) -> Result:
    want = item.sections()
    fell = sorted(did.fallbacks, key=_order)
    shown = "、".join(fell) or "无"
    if isinstance(want, bool):
        ok = bool(fell) == want
        expected = "应有部分回退为离线文本" if want else "不应有部分回退为离线文本"
    else:
        ok = set(fell) == set(want)
        expected = f"应回退的部分：{'、'.join(want) or '无'}"
    return Result(
        name="fallback", kind="fallback", ok=ok, reason=f"回退为离线文本的部分：{shown}（{expected}）"
    )


def _order(section: str) -> int:
    ids = official.SECTION_IDS
    return ids.index(section) if section in ids else len(ids)


def _flagged(
    item: Flagged,
    data: ReportData,
    findings: Sequence[Finding],
    places: dict[tuple[str, int], Located],
    did: Behaviour,
) -> Result:
    """The flaw was caught: the check library reports the rule in the draft's section, or the
    writer rejected the answer (re-ask, fallback) and the rejected answer shows the rule."""
    spec = item.spec()
    name = f"flagged:{spec.section}:{spec.rule or '*'}"
    label = _section_label(spec.section)
    caught = []
    decided: Finding | None = None
    for f in findings:
        if (f.rule == spec.rule if spec.rule else f.is_error) and locate(f.location, places).section in (
            spec.section,
            None,
        ):
            caught.append(f"检查在草稿中报告 {f.rule}：{f.message}")
            decided = f
            break
    path = (
        "回退为离线文本"
        if spec.section in did.fallbacks
        else "重新提问"
        if spec.section in did.reasked
        else ""
    )
    if path:
        rejected = _in_rejected(spec.section, spec.rule, data, did)
        if rejected is not None:
            caught.append(f"起草时发现模型的回答有问题（{rejected.rule}：{rejected.message}），已{path}")
            decided = decided or rejected
        elif spec.rule is None or not did.answers:
            caught.append(f"模型的回答未通过起草时的检查，已{path}")
    if caught:
        reason = f"{label}：已发现——" + "；".join(caught)
        return Result(
            name=name,
            kind="flagged",
            ok=True,
            reason=reason,
            section=spec.section,
            rule=spec.rule,
            finding=decided,
        )
    if path:
        why = f"被拒绝的回答中没有 {spec.rule} 所指的问题（另有原因{path}）"
    else:
        why = "模型的回答被原样采用，检查也没有报告" + (spec.rule or "错误")
    return Result(
        name=name, kind="flagged", ok=False, reason=f"{label}：{why}", section=spec.section, rule=spec.rule
    )


def _in_rejected(section: str, rule: str | None, data: ReportData, did: Behaviour) -> Finding | None:
    """The first finding of ``rule`` (any error when None) on an answer the writer rejected,
    checked as the writer checks it: cleaned, then the check library on the section, strict."""
    from ..checks import check_section
    from ..narrative import clean

    for answer in did.rejected(section):
        for f in check_section(section, clean(answer.text, section), data, strict=True):
            if (f.rule == rule) if rule else f.is_error:
                return f
    return None


def _no_errors(findings: Sequence[Finding]) -> Result:
    errors = [f for f in findings if f.is_error]
    if not errors:
        return Result(name="no_errors", kind="no_errors", ok=True, reason="检查没有报告错误")
    rules = "、".join(dict.fromkeys(f.rule for f in errors))
    reason = f"检查报告 {len(errors)} 处错误（{rules}）：{errors[0].message}"
    return Result(name="no_errors", kind="no_errors", ok=False, reason=reason, finding=errors[0])


def _passes(item: Passes, findings: Sequence[Finding]) -> list[Result]:
    out = []
    for rule in item.rules():
        hits = [f for f in findings if f.rule == rule]
        reason = f"{rule} 没有报告问题" if not hits else f"{rule}：{hits[0].message}（{hits[0].location}）"
        first = hits[0] if hits else None
        out.append(
            Result(name=f"passes:{rule}", kind="passes", ok=not hits, reason=reason, rule=rule, finding=first)
        )
    return out


def evaluate(
    draft: Draft,
    data: ReportData,
    findings: Sequence[Finding],
    expect: Sequence[Expectation],
    did: Behaviour,
) -> list[Result]:
    places = paragraph_map(draft)
    results: list[Result] = []
    for item in expect:
        if item == "no_errors" or (isinstance(item, NoErrors) and item.no_errors):
            results.append(_no_errors(findings))
        elif isinstance(item, Passes):
            results.extend(_passes(item, findings))
        elif isinstance(item, Contains):
            results.extend(_phrases(item.spec(), draft, want=True))
        elif isinstance(item, NotContains):
            results.extend(_phrases(item.spec(), draft, want=False))
        elif isinstance(item, Length):
            results.append(_length(item, draft))
        elif isinstance(item, Fallback):
            results.append(_fallback(item, did))
        elif isinstance(item, Flagged):
            results.append(_flagged(item, data, findings, places, did))
    return list({r.name: r for r in results}.values())  # a default repeated by the case counts once


def score(
    draft: Draft, data: ReportData, expect: Sequence[Expectation], did: Behaviour
) -> tuple[list[Finding], list[Result]]:
    findings = run_checks(draft, data)
    return findings, evaluate(draft, data, findings, expect, did)
