"""Year on year and shares: every 增加/减少/持平, 同比/较上年 amount and percentage, and every share
(占87.9%, 办结率, 比例) recomputed from the data, rounded as reports round (half up, to the decimals
written: 15.2% for 15.16…, 15% for 15.2…).

A comparison is bound to the figure it compares — the figure before it in its sentence (``新收申请144件，
比上年（125件）增加19件，增长15.2%``) or the words before the comparison (``新收申请较上年增加``) — and
held to this year's and last year's values of that figure: the direction, the amount, the percentage,
last year's figure given in brackets. A share is bound to its part (the words before 占/比例/率, or the
figure before it) and its whole (占办结总数, 占新收…; by default the whole a reader assumes). A
percentage the data cannot give — no part, no whole, no last year — is an invented figure.

These checks need the author's data (a published report states shares of its own that its tables may
not hold), and report N6.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from .. import official
from ..binding import COMPARISON, LOOK_BACK, Binder, Binding, is_comparison, phrase_before, sentence_before
from ..binding import Context as BindContext
from ..data.model import ReportData
from ..data.rules import results_total
from ..figures import RESULT_GROUPS, group_total
from ..numbers import Mention, mentions
from .consistency import binder, bound, fmt, quote, unbound_severity
from .finding import Finding
from .registry import Context, check

UP: Final = ("增加", "增长", "上升", "提高", "增多", "多")
DOWN: Final = ("减少", "下降", "降低", "减", "少")
FLAT: Final = ("持平", "基本持平", "相同", "相当")
# (words like 有所增加 read by their last word: 增加)
DOUBLE: Final = ("翻番", "翻一番")
_DIRECTION: Final = re.compile("|".join(sorted((*UP, *DOWN, *FLAT, *DOUBLE), key=len, reverse=True)))
_HUNDRED: Final = Decimal(100)


def last_year(data: ReportData, key: str) -> Decimal | None:
    """Last year's value of a figure named by its binding key, when the data holds last year's table."""
    prev = data.previous
    if prev is None:
        return None
    t3, t4, t2 = prev.table3, prev.table4, prev.table2
    if t3 is not None:
        simple = {
            "new": t3.new.sum,
            "carried_over": t3.carried_over.sum,
            "carry_forward": t3.carry_forward.sum,
            "handled": t3.new.sum + t3.carried_over.sum,
            "concluded": results_total(t3, "total"),
            "natural": t3.new.natural,
            "legal_persons": t3.new.legal_persons,
            "disclosed+partial": group_total(t3, "disclosed") + group_total(t3, "partial"),
            **{g: group_total(t3, g) for g, _ in RESULT_GROUPS},
        }
        if key in simple:
            return Decimal(simple[key])
    if t4 is not None and key in ("review", "litigation"):
        value = (
            t4.review.sum if key == "review" else t4.litigation_direct.sum + t4.litigation_after_review.sum
        )
        return Decimal(value)
    if t2 is not None:
        if key in ("licensing", "penalty", "coercion"):
            return Decimal(getattr(t2, key))
        head, _, field = key.partition(".")
        if head in ("normative", "rules") and field in ("issued", "repealed", "in_force"):
            return Decimal(getattr(getattr(t2, head), field))
    return None


def rounds_to(exact: Decimal, stated: Decimal) -> bool:
    """Whether ``exact`` written to the decimals of ``stated`` (half up) is ``stated``."""
    exponent = stated.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) == stated


def percent(part: Decimal, whole: Decimal) -> Decimal:
    return part * _HUNDRED / whole


@dataclass(frozen=True)
class _Bound:
    """One paragraph's figures as its comparisons and shares are judged: the binder, the binding
    context of the paragraph, its mentions with their bindings (in order), and the author's data."""

    b: Binder
    ctx: BindContext
    found: list[tuple[Mention, list[Binding]]]
    data: ReportData


@dataclass(frozen=True)
class Subject:
    binding: Binding
    now: Decimal
    before: Decimal | None


def _subject(at: _Bound, m: Mention) -> Subject | None:
    """The figure a comparison compares: the last bound table figure before it in its sentence,
    else the words before the comparison word (``新收申请较上年增加``)."""
    ctx, data = at.ctx, at.data
    for other, bindings in _before(at.found, m):
        if other.sentence != m.sentence or other.parent is not None:
            continue
        if _bracketed(ctx.text, other, m):
            continue
        table = [x for x in bindings if not x.figure.key.startswith("fact:") and x.figure.value is not None]
        if table:
            value = table[0].figure.value
            assert value is not None
            return Subject(table[0], value, last_year(data, table[0].figure.key))
    words = sentence_before(ctx.text, m)
    cut = COMPARISON.search(words)
    head = words[: cut.start()] if cut else words
    probe = Mention("count", m.start, m.start, "", Decimal(0), "件", label=head[-16:], clause=head[-30:])
    binding = at.b.bind_table(probe, ctx, len(ctx.bound))
    if binding is None or binding.figure.value is None:
        return None
    return Subject(binding, binding.figure.value, last_year(data, binding.figure.key))


def _before(found: list[tuple[Mention, list[Binding]]], m: Mention) -> list[tuple[Mention, list[Binding]]]:
    """The mentions before ``m``, nearest first, at most ``LOOK_BACK`` of them (linear time on a long
    paragraph of comparisons)."""
    at = bisect_left(_starts(found), m.start) if len(found) > LOOK_BACK else len(found)
    while at > 0 and found[at - 1][0].start >= m.start:
        at -= 1
    return found[max(0, at - LOOK_BACK) : at][::-1]


_STARTS: dict[int, tuple[object, list[int]]] = {}


def _starts(found: list[tuple[Mention, list[Binding]]]) -> list[int]:
    """The mentions' starts, computed once per paragraph's list."""
    hit = _STARTS.get(id(found))
    if hit is None or hit[0] is not found:
        if len(_STARTS) > 64:
            _STARTS.clear()
        hit = _STARTS[id(found)] = (found, [x.start for x, _ in found])
    return hit[1]


def _bracketed(text: str, other: Mention, m: Mention) -> bool:
    """``28件（自然人25件，法人或其他组织3件），比上年…``: 3件 stands in a bracket closed before m."""
    between = text[other.end : m.start]
    closes = between.count("）") + between.count(")")
    opens = between.count("（") + between.count("(")
    return closes > opens


def _direction(words: str) -> str | None:
    found = list(_DIRECTION.finditer(words))
    if not found:
        return None
    w = found[-1].group()
    return "up" if w in UP else "down" if w in DOWN else "flat" if w in FLAT else "double"


_SHARE_WHOLE: Final = (
    (re.compile(r"占(?:全部|全年)?(?:办结|答复|办理结果)"), "concluded"),
    (re.compile(r"占(?:全部|全年|本年)?(?:新收|收到|申请总[数量]|全部申请|申请)"), "new"),
    (re.compile(r"占(?:全部|全年)?(?:受理|办理总[量数]|办理)"), "handled"),
)
_DEFAULT_WHOLE: Final = {
    "natural": "new",
    "legal_persons": "new",
    "commercial": "new",
    "research": "new",
    "social": "new",
    "legal": "new",
    "carry_forward": "handled",
    "concluded": "handled",
    "disclosed+partial": "concluded",
    **{g: "concluded" for g, _ in RESULT_GROUPS},
}


@check(
    "changes_and_shares", "consistency", {"N6": "同比增减、百分比和占比与数据算得的一致"}, scope="narrative"
)
def changes(ctx: Context) -> Iterator[Finding]:
    data = ctx.data
    b = binder(ctx)
    if data is None or b is None:
        return
    severity = unbound_severity(ctx, data)
    fact_ratios = {
        m.value
        for topic, _ in official.FACT_TOPICS
        for fact in data.facts.get(topic) or []
        for m in mentions(fact)
        if m.is_ratio and m.value is not None
    }
    for p in ctx.paragraphs():
        if p.part is None:
            continue
        found = bound(ctx, p)
        at = _Bound(b, BindContext(p.text, [m for m, _ in found], {}, False), found, data)
        for n, (message, evidence, reask) in enumerate(_problems(at, fact_ratios), 1):
            yield ctx.in_paragraph(p, "N6", severity, message, f"change#{n}", evidence=evidence, reask=reask)


def _problems(at: _Bound, fact_ratios: set[Decimal]) -> Iterator[tuple[str, str, str]]:
    """What the paragraph's comparisons and shares get wrong, in order: (the message, its evidence,
    what a model is told)."""
    text = at.ctx.text
    for words, why in _directions(at):
        yield f"正文“{words}”{why}", f"正文“{words}”；{why}", f"“{words}”：{why}。请按数据改写。"
    for m, _ in at.found:
        if m.value is None or not (m.is_figure or m.kind in ("percent", "points", "multiple")):
            continue
        before = phrase_before(text, m.start)
        if is_comparison(text, m):
            problem = _change(at, m, before)
        elif m.kind == "percent" and m.value not in fact_ratios:
            problem = _share(at, m, before)
        else:
            continue
        if problem is None:
            continue
        said = quote(text, m, 30)
        yield (
            f"正文“{said}”中的 {m.text} {problem}",
            f"正文“{said}”：{m.text}；{problem}",
            f"“{said}”：{problem}。"
            + ("请改为数据算得的数字。" if "应为" in problem else "请删去这个数字。"),
        )


def _change(at: _Bound, m: Mention, before: str) -> str | None:
    subject = _subject(at, m)
    if subject is None:
        return None  # what is compared is not a figure the data names: not judged
    name = subject.binding.figure.label
    if subject.before is None:
        return f"无法核对：数据中没有{name}的上年数字（数据文件的 previous），不能写同比"
    diff = subject.now - subject.before
    if (
        before.rstrip().endswith(("（", "("))
        and _direction(before[before.rfind("上年") :] if "上年" in before else "") is None
    ):
        # 比上年（125件）: last year's figure given in brackets
        return None if m.value == subject.before else f"与数据不符：上年{name}为{fmt(subject.before)}件"
    direction = _direction(m.label or before)
    actual = "up" if diff > 0 else "down" if diff < 0 else "flat"
    assert m.value is not None
    if direction == "double":
        return (
            None
            if subject.now == 2 * subject.before
            else f"与数据不符：本年{fmt(subject.now)}件，上年{fmt(subject.before)}件，不是翻番"
        )
    if direction is not None and direction != actual:
        word = {"up": "增加", "down": "减少", "flat": "持平"}[actual]
        return f"方向写反了：本年{name}为{fmt(subject.now)}件，上年为{fmt(subject.before)}件，应为{word}"
    if m.kind == "count":
        return (
            None
            if m.value == abs(diff)
            else f"与数据不符：本年{fmt(subject.now)}件，上年{fmt(subject.before)}件，应为相差{fmt(abs(diff))}件"
        )
    if m.kind == "percent":
        if subject.before == 0:
            return "无法计算：上年为0件，不能写百分比"
        exact = percent(abs(diff), subject.before)
        if rounds_to(exact, m.value):
            return None
        return f"与数据不符：本年{fmt(subject.now)}件，上年{fmt(subject.before)}件，应为{fmt(exact.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP))}%"
    return None


# A direction stated without an amount: 与上年基本持平, 较上年有所增加.
_BARE_DIRECTION: Final = re.compile(
    r"(?:较上年|比上年|与上年(?:相比)?|同比|较去年|比去年|与去年(?:相比)?|与(?:19|20)\d{2}年(?:相比)?|较(?:19|20)\d{2}年|比(?:19|20)\d{2}年)"
    r"[^，。；;\d]{0,8}?(基本持平|持平|相当|有所增加|有所减少|有所下降|有所上升|略有增加|略有减少|略有下降|大幅增加|大幅下降|明显增加|明显减少|增加|增长|上升|减少|下降)"
    r"(?![^，。；;]{0,2}[\d一二三四五六七八九十两])"
)


def _directions(at: _Bound) -> Iterator[tuple[str, str]]:
    for hit in _BARE_DIRECTION.finditer(at.ctx.text):
        probe = Mention(
            "count",
            hit.start(),
            hit.start(),
            "",
            Decimal(0),
            "件",
            sentence=_sentence_of(at.ctx.text, hit.start()),
        )
        subject = _subject(at, probe)
        if subject is None or subject.before is None:
            continue
        diff = subject.now - subject.before
        actual = "up" if diff > 0 else "down" if diff < 0 else "flat"
        stated = _direction(hit.group(1))
        if stated is None or stated == actual:
            continue
        word = {"up": "增加", "down": "减少", "flat": "持平"}[actual]
        name = subject.binding.figure.label
        yield (
            hit.group(),
            f"方向不对：本年{name}为{fmt(subject.now)}件，上年为{fmt(subject.before)}件，应为{word}",
        )


def _sentence_of(text: str, pos: int) -> int:
    return sum(text.count(mark, 0, pos) for mark in "。；;！!？?\n")


def _share(at: _Bound, m: Mention, before: str) -> str | None:
    assert m.value is not None
    b = at.b
    clause_words = m.clause or before
    part_key = None
    cut = re.search(r"占|的?比例|比重|率", clause_words)
    head = clause_words[: cut.start()] if cut else clause_words
    probe = Mention("count", m.start, m.start, "", Decimal(0), "件", label=head[-16:], clause=head[-30:])
    named = b.table_word(probe, at.ctx)
    if named is not None and "率" not in clause_words[: (cut.start() if cut else 0)]:
        part_key = named[1]
    if part_key is None or part_key in ("accepted", "fee_amount"):
        for other, bindings in _before(at.found, m):
            if other.sentence == m.sentence and bindings and not _bracketed(at.ctx.text, other, m):
                part_key = bindings[0].figure.key
                break
    if "办结率" in clause_words or "办结率" in before:
        part_key = "concluded"
    whole_key = next((key for pattern, key in _SHARE_WHOLE if pattern.search(clause_words)), None)
    if part_key is None:
        return "数据中没有这个比例（数据和素材都不能算出它）"
    whole_key = whole_key or _DEFAULT_WHOLE.get(part_key)
    part_value = b.tables.primary(part_key)
    whole_value = b.tables.primary(whole_key) if whole_key else None
    part = b.tables.figure(part_key)
    whole = b.tables.figure(whole_key) if whole_key else None
    if part is None or whole is None or part_value is None or whole_value is None:
        return "数据中没有这个比例（数据和素材都不能算出它）"
    if whole_value == 0:
        return "无法计算：分母为0"
    exact = percent(part_value, whole_value)
    if m.approx:
        words = m.after[:3] + before[-3:]
        if any(w in words for w in ("以上", "超过", "逾")):
            ok = exact >= m.value
        elif any(w in words for w in ("不到", "以下", "不足")):
            ok = exact < m.value
        else:
            ok = abs(exact - m.value) <= 1
        if ok:
            return None
    elif rounds_to(exact, m.value):
        return None
    shown = fmt(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
    return f"与数据不符：{part.label}{fmt(part_value)}件占{whole.label}{fmt(whole_value)}件的{shown}%"
