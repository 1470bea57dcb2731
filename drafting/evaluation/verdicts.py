"""What judges said, as the run record keeps it, and the arithmetic on it.

A rubric's ``Judgement`` holds one ``Grade`` per grader (a model and a sample of it): the score
1–5 and the judge's reason, or — when the answer could not be read even after one re-ask, or the
endpoint failed — no score and why (``unscored``). A score is never invented: the median, the
majority and the spread are computed over the scores that were given. A ``PairComparison`` holds
the two orders in which a judge saw two prompt versions' drafts and what both orders together say.

Reading a judge's answer is here too, as pure functions: the answer must be one JSON object (a
```json fence and a reasoning model's <think> block are allowed around it) with an integer
``score`` from 1 to 5 and a ``reason`` — or, for a pair, ``better`` A, B or 相当. Asking the
judges is ``judge.py`` and ``pairwise.py``.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# Without ``min_score``, a rubric's verdict (for agreement with people) is "good" from this median.
GOOD_SCORE = 4.0
LOW, HIGH = 1, 5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Grade(_Strict):
    """One grader's answer on one rubric: a score with its reason, or why there is none."""

    model: str  # the judge model's spec
    sample: int  # 1, 2 … : samples of one model (each with its own cache key)
    score: int | None = None
    reason: str = ""  # the judge's reason for the score
    unscored: str = ""  # why there is no score (an answer that could not be read, an endpoint error)
    answers: list[str] = Field(default_factory=list)  # the raw answers: the first ask, then the re-ask
    cached: bool = False  # every answer came from the response cache
    tokens: int = 0

    @property
    def grader(self) -> str:
        return f"{self.model}#{self.sample}"


class Judgement(_Strict):
    """A rubric applied to one draft by every grader."""

    name: str  # results call it ``judge:<name>``
    rubric: str  # the rubric's id
    title: str
    version: str  # the rubric's version: stored grades are only read against the same text
    prompt: str = ""  # the judge prompt's version
    sections: list[str] = Field(default_factory=list)  # the parts of the draft shown to the judge
    min_score: float | None = None
    grades: list[Grade] = Field(default_factory=list)
    skipped: str = ""  # why no grader was asked (no judge model; not in a rescored record)

    @property
    def scores(self) -> list[int]:
        return [g.score for g in self.grades if g.score is not None]

    @property
    def unscored(self) -> list[Grade]:
        return [g for g in self.grades if g.score is None]

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.scores)) if self.scores else None

    @property
    def majority(self) -> int | None:
        """The score more than half the scoring graders gave, if one did."""
        if not self.scores:
            return None
        score, count = Counter(self.scores).most_common(1)[0]
        return score if count * 2 > len(self.scores) else None

    @property
    def spread(self) -> int | None:
        """Highest minus lowest score: 0 when the graders agree."""
        return max(self.scores) - min(self.scores) if self.scores else None

    @property
    def threshold(self) -> float:
        return self.min_score if self.min_score is not None else GOOD_SCORE

    @property
    def good(self) -> bool | None:
        """Whether the median reaches the threshold; None without a score."""
        median = self.median
        return None if median is None else median >= self.threshold

    def summary(self) -> str:
        """``中位数 4（4、4、5，分差 1；多数 4）``, with the unscored counted apart."""
        if self.skipped:
            return f"未评分：{self.skipped}"
        if not self.scores:
            return f"没有有效评分（{len(self.grades)} 个评分者均未给出分数）"
        shown = "、".join(str(s) for s in self.scores)
        majority = f"多数 {self.majority}" if self.majority is not None else "无多数"
        unscored = f"；另有 {len(self.unscored)} 个未评分" if self.unscored else ""
        return f"中位数 {score_text(self.median)}（{shown}，分差 {self.spread}；{majority}{unscored}）"


def score_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if value == int(value) else f"{value:.1f}"


# --- reading a judge's answer --------------------------------------------------------------------

_THINK = re.compile(r"<think>.*?</think>", re.S)
_FENCED = re.compile(r"^```(?:json|JSON)?\s*\n?(.*?)\n?```$", re.S)


@dataclass(frozen=True)
class Read:
    """A judge's answer, read: the value (a score, or A/B/tie) and the reason, or the problem."""

    value: Any = None
    reason: str = ""
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def _object(text: str) -> tuple[dict[str, Any] | None, str]:
    body = _THINK.sub("", text).strip()
    fenced = _FENCED.match(body)
    if fenced:
        body = fenced.group(1).strip()
    if not body:
        return None, "回答是空的"
    try:
        value = json.loads(body)
    except json.JSONDecodeError:
        if "{" in body:
            return None, "回答中除了 JSON 对象还有其他文字，或 JSON 格式有误"
        return None, "回答不是 JSON 对象，没有给出分数"
    if not isinstance(value, dict):
        return None, "回答不是 JSON 对象"
    return value, ""


def _reason(value: dict[str, Any]) -> tuple[str, str]:
    reason = value.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        return "", "没有写明理由（reason）"
    return reason.strip(), ""


def read_score(text: str) -> Read:
    """``{"score": 1–5, "reason": "…"}``, nothing else; anything other is a problem, never a guess."""
    value, problem = _object(text)
    if value is None:
        return Read(problem=problem)
    score = value.get("score")
    if isinstance(score, bool) or score is None:
        return Read(problem="没有给出分数（score）")
    if isinstance(score, float) and score.is_integer():
        score = int(score)
    if not isinstance(score, int):
        return Read(problem=f"分数“{score}”不是 1 到 5 的整数")
    if not LOW <= score <= HIGH:
        return Read(problem=f"分数 {score} 不在 1 到 5 之间")
    reason, problem = _reason(value)
    return Read(score, reason, problem)


Choice = Literal["A", "B", "tie"]
_CHOICES: dict[str, Choice] = {"A": "A", "B": "B", "相当": "tie", "TIE": "tie"}


def read_preference(text: str) -> Read:
    """``{"better": "A" | "B" | "相当", "reason": "…"}``."""
    value, problem = _object(text)
    if value is None:
        return Read(problem=problem)
    raw = value.get("better")
    choice = _CHOICES.get(raw.strip().upper() if isinstance(raw, str) else "")
    if choice is None:
        return Read(
            problem=f"better 应为 A、B 或 相当，回答的是“{raw}”" if raw else "没有说明哪一份更好（better）"
        )
    reason, problem = _reason(value)
    return Read(choice, reason, problem)


# --- a pair of drafts, in both orders ------------------------------------------------------------

Outcome = Literal["a", "b", "tie", "flip", "unscored"]
OUTCOME_LABELS: dict[str, str] = {
    "a": "前者胜",
    "b": "后者胜",
    "tie": "相当",
    "flip": "随顺序翻转",
    "unscored": "未评出",
}


class PairOrder(_Strict):
    """One order: ``first`` was shown as draft A, ``second`` as draft B."""

    first: str  # a prompt version's label
    second: str
    choice: Choice | None = None  # as the judge answered it: A, B or tie
    reason: str = ""
    unscored: str = ""
    answers: list[str] = Field(default_factory=list)
    cached: bool = False
    tokens: int = 0

    @property
    def preferred(self) -> str | None:
        """The prompt version the judge preferred in this order ("tie" for 相当; None unscored)."""
        if self.choice is None:
            return None
        return "tie" if self.choice == "tie" else self.first if self.choice == "A" else self.second


class PairComparison(_Strict):
    """Two prompt versions' drafts of one case (same model, same repeat), judged in both orders."""

    model: str  # the drafting model
    case: str
    repeat: int
    a: str  # the first prompt version's label
    b: str  # the second
    judge: str  # the judge model's spec
    identical: bool = False  # the two drafts' text is the same: a tie, no judge asked
    orders: list[PairOrder] = Field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        return combine(self.a, self.b, self.orders, identical=self.identical)


def combine(a: str, b: str, orders: list[PairOrder], *, identical: bool = False) -> Outcome:
    """What two orders say together. A version wins only when preferred in both orders; a judge
    that prefers whichever draft stands in one position (A in one order, B in the other) flipped
    with the order — inconsistent, counted apart, never a win; a preference in one order and 相当
    in the other is a tie (the preference did not survive the swap)."""
    if identical:
        return "tie"
    said = [o.preferred for o in orders]
    if len(said) != 2 or None in said:
        return "unscored"
    if said[0] == said[1]:
        return "tie" if said[0] == "tie" else "a" if said[0] == a else "b"
    if "tie" in said:
        return "tie"
    return "flip"
