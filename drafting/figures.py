"""The figures a narrative may state, computed once from the data.

Drafters never add numbers themselves: the offline drafter and the prompts read sums from here, and
the number checks bind every number in a text to this set. A figure is a cell, a derived sum the
report's readers expect (一+二, all of 不予公开, 法人或其他组织), the year, year+1, last year's
figure and the change since, or a number in the author's own facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import official
from .chars import ascii_digits
from .data.model import ReportData, Table3
from .data.rules import column_value, results_total
from .tables import table3_rows, table4_values

# Groups of 表三 results whose sums a narrative states: （一）…（六）.
RESULT_GROUPS = (
    ("disclosed", "予以公开"),
    ("partial", "部分公开"),
    ("withheld", "不予公开"),
    ("unable", "无法提供"),
    ("not_processed", "不予处理"),
    ("other_handling", "其他处理"),
)


def group_total(t: Table3, group: str, key: str = official.TOTAL_KEY) -> int:
    """Sum of one result group (（三）不予公开 …) in one column, or a single row's value."""
    prefix = group + "."
    rows = [r for r in official.TABLE3_RESULT_LEAVES if r.path == group or r.path.startswith(prefix)]
    total = 0
    for spec in rows:
        row = t.row(spec.path)
        assert row is not None
        total += column_value(row, key)
    return total


@dataclass(frozen=True)
class Figures:
    """The totals of one report that narratives talk about (all columns summed)."""

    new: int  # 一、本年新收
    new_natural: int
    new_legal_persons: int  # 法人或其他组织
    carried_over: int  # 二、上年结转
    handled: int  # 一 + 二: 本年度办理总量
    concluded: int  # （七）总计: 办结
    carry_forward: int  # 四、结转下年度
    groups: dict[str, int]  # 予以公开 … 其他处理
    review: dict[str, int]  # 行政复议: upheld/corrected/other/pending/total
    litigation: dict[str, int]  # 行政诉讼, both blocks added
    previous_new: int | None  # last year's 一、本年新收, when known


def compute(data: ReportData) -> Figures:
    t = data.table3
    t4 = data.table4
    total = official.TOTAL_KEY
    keys = ("upheld", "corrected", "other", "pending")
    review = {k: getattr(t4.review, k) for k in keys} | {"total": t4.review.sum}
    litigation = {
        k: getattr(t4.litigation_direct, k) + getattr(t4.litigation_after_review, k) for k in keys
    } | {"total": t4.litigation_direct.sum + t4.litigation_after_review.sum}
    prev = data.previous
    return Figures(
        new=t.new.sum,
        new_natural=t.new.natural,
        new_legal_persons=t.new.legal_persons,
        carried_over=t.carried_over.sum,
        handled=t.new.sum + t.carried_over.sum,
        concluded=results_total(t, total),
        carry_forward=t.carry_forward.sum,
        groups={g: group_total(t, g) for g, _ in RESULT_GROUPS},
        review=review,
        litigation=litigation,
        previous_new=prev.table3.new.sum if prev and prev.table3 else None,
    )


def _numbers(values: object) -> set[Decimal]:
    out: set[Decimal] = set()
    if isinstance(values, bool):
        return out
    if isinstance(values, int | Decimal):
        out.add(Decimal(values))
    elif isinstance(values, dict):
        for v in values.values():
            out |= _numbers(v)
    elif isinstance(values, list | tuple):
        for v in values:
            out |= _numbers(v)
    return out


def _table_numbers(data: ReportData | None, t3: Table3 | None) -> set[Decimal]:
    out: set[Decimal] = set()
    if t3 is not None:
        out |= _numbers(list(table3_rows(t3).values()))
        keys = (*official.TABLE3_COLUMN_KEYS, official.TOTAL_KEY)
        for key in keys:
            out.add(Decimal(column_value(t3.new, key) + column_value(t3.carried_over, key)))
            for group, _ in RESULT_GROUPS:
                out.add(Decimal(group_total(t3, group, key)))
            out.add(Decimal(group_total(t3, "disclosed", key) + group_total(t3, "partial", key)))
        for path in ("new", "carried_over", "carry_forward"):
            row = t3.row(path)
            assert row is not None
            out.add(Decimal(row.legal_persons))
    return out


def bindable_numbers(data: ReportData) -> set[Decimal]:
    """Every number a narrative of this report may state."""
    f = compute(data)
    out = {Decimal(data.year), Decimal(data.year + 1)}
    out |= _numbers(data.table2.model_dump())
    out |= _table_numbers(data, data.table3)
    out |= _numbers(table4_values(data.table4))
    out |= _numbers([f.review, f.litigation, f.review["total"] + f.litigation["total"]])
    out |= _numbers(data.fees.model_dump())
    for topic, _ in official.FACT_TOPICS:
        for fact in data.facts.get(topic) or []:
            out |= set(numbers_in(fact))
    prev = data.previous
    if prev is not None:
        out.add(Decimal(prev.year))
        if prev.table2 is not None:
            out |= _numbers(prev.table2.model_dump())
        if prev.table3 is not None:
            out |= _table_numbers(None, prev.table3)
            out.add(Decimal(abs(f.new - prev.table3.new.sum)))
        if prev.table4 is not None:
            out |= _numbers(table4_values(prev.table4))
    return out


# Document numbers and dates are not figures: 〔2021〕30号, 《…》 titles, 1月1日.
_NOT_FIGURES = re.compile(r"〔\d+〕\d+号|《[^》]*》|\d{1,2}月\d{1,2}日")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def numbers_in(text: str) -> list[Decimal]:
    """The Arabic numbers a text states (full-width digits included), leaving out citations,
    titles and calendar dates. The check library extends this to Chinese numerals."""
    text = _NOT_FIGURES.sub(" ", ascii_digits(text))
    out = []
    for match in _NUMBER.finditer(text):
        try:
            out.append(Decimal(match.group()))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
    return out


# --- Numbers as a narrative states them (the check library) -----------------------------------

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int | None:
    """十二 → 12, 两 → 2, 三百零五 → 305, 一千二百 → 1200, 二十万 → 200000; None if not a numeral."""
    if not text:
        return None
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            if digit is not None and digit != 0:
                return None  # 二三 is not a number
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
        elif ch == "万":
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


@dataclass(frozen=True)
class StatedNumber:
    """A number in a sentence: its value, where it stands, and the unit written after it."""

    value: Decimal
    start: int
    end: int
    text: str  # as written
    unit: str  # 件, 条, 元, 万元, %, 年 … ("" when none)
    chinese: bool = False


_UNITS = "万元|人次|件|条|次|项|份|篇|名|人|场|期|起|宗|家|个|元|%|％|年|月|日|号|天|小时|类|部|批|个百分点"
_ARABIC = re.compile(rf"(?<![\d.])(\d+(?:\.\d+)?)\s*({_UNITS})?")
# 一 alone is almost always a word (一项重点工作, 一件事, 一次性), not a figure; 个 after a Chinese
# numeral is figurative (六个部分, 一个平台): neither is read as a stated figure.
_CHINESE = re.compile(
    r"(?<![第每之初\d.])([零〇一二两三四五六七八九十百千万]+?)(万元|件|条|次|项|份|篇|名|人次|场|期|起|宗|家|元)"
)
# Not figures: citations, titles, calendar dates, phone numbers, web and mail addresses, list
# numbering such as (1) or 1. at the head of an item, ordinals (第3次).
_NOT_STATED = re.compile(
    r"〔\d+〕\d+号|[（(]\d{4}[)）]\d+号|《[^》]*》|\d{1,2}月\d{1,2}日|\d{1,2}月(?=份|底|初|中旬|下旬|上旬)|"
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\d{3,4}[-－—]\d{7,8}(?:[-－]\d+)?|1[3-9]\d{9}|"
    r"[（(]\d{1,2}[)）]|(?<![\d.])\d{1,2}[.、](?=[^\d])|第\d+|邮[编政]编?码?[:：]?\s*\d{6}"
)


def stated_numbers(text: str) -> list[StatedNumber]:
    """Every figure a sentence states, Arabic (full-width included) or Chinese (十二件, 两次,
    三百零五条), with its unit; citations, dates, phone numbers, addresses and list numbering left
    out. Years come back with unit 年 so that year checks can read them too."""
    text = ascii_digits(text)
    masked = list(text)
    for m in _NOT_STATED.finditer(text):
        for i in range(m.start(), m.end()):
            masked[i] = " "
    plain = "".join(masked)
    out: list[StatedNumber] = []
    for m in _ARABIC.finditer(plain):
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:  # pragma: no cover - the pattern only matches numbers
            continue
        unit = (m.group(2) or "").replace("％", "%")
        if unit == "个" and plain.startswith("个百分点", m.end(2) - 1):
            unit = "个百分点"
        out.append(StatedNumber(value, m.start(1), m.end(1), m.group(1), unit))
    for m in _CHINESE.finditer(plain):
        count = chinese_number(m.group(1))
        if count is None or count < 2 or m.group(1)[0] in "百千万":
            continue
        out.append(StatedNumber(Decimal(count), m.start(1), m.end(1), m.group(1), m.group(2), chinese=True))
    return sorted(out, key=lambda n: n.start)
