"""The figures a narrative may state, computed once from the data.

Drafters never add numbers themselves: the offline drafter and the prompts read sums from here, and
the number checks bind every number in a text to this set. A figure is a cell, a derived sum the
report's readers expect (一+二, all of 不予公开, 法人或其他组织), the year, year+1, last year's
figure and the change since, or a number in the author's own facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from . import official
from .chars import ascii_digits
from .data.model import ReportData, Table3
from .data.rules import column_value, results_total
from .numbers import chinese_integer
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


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, to one decimal, half up (as reports round)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def shares(data: ReportData) -> list[tuple[str, Decimal]]:
    """The percentages a narrative may state, computed here so that no writer computes one:
    (what it is, as a sentence's subject, the percentage)."""
    f = compute(data)
    out: list[tuple[str, Decimal | None]] = [
        ("自然人申请占本年新收申请的比例", share(f.new_natural, f.new)),
        ("予以公开和部分公开占办结数的比例", share(f.groups["disclosed"] + f.groups["partial"], f.concluded)),
    ]
    if f.previous_new:
        out.append(("本年新收申请与上年相比的增减幅度", share(abs(f.new - f.previous_new), f.previous_new)))
    return [(label, value) for label, value in out if value is not None]


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
    out |= {value for _, value in shares(data)}
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


# Chinese numerals are read in one place (``numbers``); the name stays for the checks that use it.
chinese_number = chinese_integer
