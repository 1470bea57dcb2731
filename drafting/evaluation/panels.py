"""What the judges, the pairwise comparison and the quality figures add to a run's report, as figures
per prompt version × model — the terminal (``cli/eval_quality.py``) and the HTML page show the same.

Win rates: for each pair of prompt versions (and each drafting model, then all models together when
there are several), version A's rate is (A's wins + half the ties) / (wins + ties): **ties count
half** for each side; flips (the judge changed its mind with the order) and unscored comparisons
are **excluded** and counted apart. The interval is the **Wilson score interval at 95 %** on that
rate and count (a tie's half-win enters as a fractional success), which stays inside 0–1 and is
honest for the small counts an eval suite gives, unlike the normal approximation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .quality import QualityCell, cell
from .record import RunRecord
from .verdicts import OUTCOME_LABELS, Judgement, PairComparison, score_text

if TYPE_CHECKING:
    from .human_labels import AgreementReport

Z95 = 1.959964
ALL_MODELS = "全部模型"
# The narrative sections as a figure's column calls them: the part, and the sub-part of 五.
SHORT_SECTIONS = {"overview": "一", "problems": "五（一）", "improvements": "五（二）", "other": "六"}


def short_section(section: str) -> str:
    return SHORT_SECTIONS.get(section, section)


# --- rubrics -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RubricCell:
    """One rubric over one prompt version × model's drafts."""

    prompt: str
    model: str
    name: str
    title: str
    drafts: int  # drafts judged on it (not skipped)
    scored: int  # of those, with at least one score
    median: float | None  # the mean of the drafts' medians
    spread_max: int | None  # the largest spread among the drafts
    spread_mean: float | None
    grades: int
    unscored: int  # grades without a score
    below: int  # drafts whose median is under the rubric's threshold
    skipped: str = ""  # why the rubric was not asked, when it was not for any draft


def rubric_names(record: RunRecord) -> list[tuple[str, str]]:
    """Every rubric judged in the run (name, title), in the order the suite has them."""
    seen: dict[str, str] = {}
    for run in record.runs:
        for j in run.judgements:
            seen.setdefault(j.name, j.title)
    return list(seen.items())


def rubric_cell(prompt: str, model: str, name: str, title: str, judged: list[Judgement]) -> RubricCell:
    asked = [j for j in judged if not j.skipped]
    medians = [m for j in asked if (m := j.median) is not None]
    spreads = [s for j in asked if (s := j.spread) is not None]
    return RubricCell(
        prompt=prompt,
        model=model,
        name=name,
        title=title,
        drafts=len(asked),
        scored=len(medians),
        median=sum(medians) / len(medians) if medians else None,
        spread_max=max(spreads) if spreads else None,
        spread_mean=sum(spreads) / len(spreads) if spreads else None,
        grades=sum(len(j.grades) for j in asked),
        unscored=sum(len(j.unscored) for j in asked),
        below=sum(1 for j in asked if j.good is False),
        skipped=judged[0].skipped if judged and not asked else "",
    )


def rubric_cells(record: RunRecord) -> list[RubricCell]:
    out = []
    for p in record.prompts:
        for m in record.models:
            runs = [r for r in record.runs if r.prompt == p.label and r.model == m]
            for name, title in rubric_names(record):
                judged = [j for r in runs for j in r.judgements if j.name == name]
                if judged:
                    out.append(rubric_cell(p.label, m, name, title, judged))
    return out


def skipped_rubrics(record: RunRecord) -> dict[str, list[str]]:
    """Why rubrics were not asked for any draft (no judge model; not in a rescored record) → their titles."""
    out: dict[str, list[str]] = {}
    for c in rubric_cells(record):
        titles = out.setdefault(c.skipped.rstrip("。"), []) if c.skipped else []
        if c.skipped and c.title not in titles:
            titles.append(c.title)
    return out


# --- what the judges cost -------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeUsage:
    """One judge model's answers in one use (rubrics or pairwise) over the run: what it costs."""

    judge: str  # the judge model's spec
    task: str  # 评分 or 两两比较
    asked: int  # grades (one grader on one draft) or orders (one order of one pair)
    answers: int  # answers received, re-asks included
    cached: int  # grades or orders answered wholly from the response cache
    tokens: int  # tokens of every answer, cached ones at what they cost when first asked
    spent: int  # tokens of the answers this run asked for (not from the cache)

    @property
    def per_ask(self) -> float:
        return self.tokens / self.asked if self.asked else 0.0


def judge_usage(record: RunRecord) -> list[JudgeUsage]:
    """Per judge model and use. A request two judgements shared (``judge.py`` asks it once) is
    spent once: the second grade is marked as answered from the cache."""
    rows: dict[tuple[str, str], list[tuple[int, int, bool]]] = {}
    for run in record.runs:
        for j in run.judgements:
            for g in j.grades:
                rows.setdefault((g.model, "评分"), []).append((len(g.answers), g.tokens, g.cached))
    for c in record.pairwise:
        for o in c.orders:
            rows.setdefault((c.judge, "两两比较"), []).append((len(o.answers), o.tokens, o.cached))
    return [
        JudgeUsage(
            judge=judge,
            task=task,
            asked=len(items),
            answers=sum(n for n, _, _ in items),
            cached=sum(hit for _, _, hit in items),
            tokens=sum(tokens for _, tokens, _ in items),
            spent=sum(tokens for _, tokens, hit in items if not hit),
        )
        for (judge, task), items in rows.items()
    ]


# --- quality figures ------------------------------------------------------------------------------


def quality_cells(record: RunRecord) -> list[QualityCell]:
    out = []
    for p in record.prompts:
        for m in record.models:
            figures = [r.quality for r in record.runs if r.prompt == p.label and r.model == m and r.quality]
            if figures:
                out.append(cell(p.label, m, figures))
    return out


# --- pairwise win rates ----------------------------------------------------------------------------


def wilson(successes: float, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a proportion ``successes / n`` (0–1 when n is 0)."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class WinRate:
    a: str
    b: str
    model: str  # the drafting model, or ALL_MODELS
    judges: tuple[str, ...]
    wins_a: int
    wins_b: int
    ties: int  # identical drafts included
    flips: int
    unscored: int
    identical: int

    @property
    def n(self) -> int:
        """Comparisons the rate is over: wins and ties (flips and unscored excluded)."""
        return self.wins_a + self.wins_b + self.ties

    @property
    def rate_a(self) -> float | None:
        return (self.wins_a + self.ties / 2) / self.n if self.n else None

    @property
    def interval_a(self) -> tuple[float, float]:
        return wilson(self.wins_a + self.ties / 2, self.n)

    @property
    def rate_b(self) -> float | None:
        return None if self.rate_a is None else 1 - self.rate_a

    @property
    def interval_b(self) -> tuple[float, float]:
        low, high = self.interval_a
        return 1 - high, 1 - low

    @property
    def comparisons(self) -> int:
        return self.n + self.flips + self.unscored


def win_rates(record: RunRecord) -> list[WinRate]:
    pairs = list(dict.fromkeys((c.a, c.b) for c in record.pairwise))
    models = list(dict.fromkeys(c.model for c in record.pairwise))
    out = []
    for a, b in pairs:
        for model in [*models, *([ALL_MODELS] if len(models) > 1 else [])]:
            chosen = [c for c in record.pairwise if (c.a, c.b) == (a, b) and model in (ALL_MODELS, c.model)]
            outcomes = [c.outcome for c in chosen]
            out.append(
                WinRate(
                    a=a,
                    b=b,
                    model=model,
                    judges=tuple(dict.fromkeys(c.judge for c in chosen)),
                    wins_a=outcomes.count("a"),
                    wins_b=outcomes.count("b"),
                    ties=outcomes.count("tie"),
                    flips=outcomes.count("flip"),
                    unscored=outcomes.count("unscored"),
                    identical=sum(c.identical for c in chosen),
                )
            )
    return out


def rate_text(rate: float | None, interval: tuple[float, float]) -> str:
    """``62.5%（95% 区间 30.6%–86.3%）``."""
    if rate is None:
        return "—"
    low, high = interval
    return f"{rate * 100:.1f}%（95% 区间 {low * 100:.1f}%–{high * 100:.1f}%）"


def outcome_text(c: PairComparison) -> str:
    """The outcome of a comparison in the versions' names."""
    outcome = c.outcome
    if outcome == "a":
        return f"{c.a} 胜"
    if outcome == "b":
        return f"{c.b} 胜"
    if outcome == "tie" and c.identical:
        return "相当（两份正文相同，未询问评分模型）"
    return OUTCOME_LABELS[outcome] + ("（不计胜负）" if outcome == "flip" else "")


def percent_or_dash(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def page_context(record: RunRecord, agreement: AgreementReport | None) -> dict[str, Any]:
    """What the HTML report's quality parts read (``templates/eval_quality*.j2``, ``labels.js``)."""
    from .human_labels import fingerprint

    cells = rubric_cells(record)
    return {
        "rubrics": rubric_names(record),
        "rubric_cell": {(c.prompt, c.model, c.name): c for c in cells},
        "skipped_rubrics": skipped_rubrics(record),
        "win_rates": win_rates(record),
        "judge_usage": judge_usage(record),
        "quality_cells": quality_cells(record),
        "case_pairs": {case.id: [c for c in record.pairwise if c.case == case.id] for case in record.cases},
        "agreement": agreement,
        "fingerprint": fingerprint,
        "labels_key": f"drafting-labels:{record.suite.sha256[:12]}:{record.created.isoformat()}",
        "score_text": score_text,
        "rate_text": rate_text,
        "outcome_text": outcome_text,
        "pct": percent_or_dash,
        "short_section": short_section,
    }
