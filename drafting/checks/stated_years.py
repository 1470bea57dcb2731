"""Years a model's section states mid-sentence (Y2, beside the opening years ``years`` reads): a
year the report may speak of is its own, the next one where a plan is stated, last year where a
comparison is made, a year the author's facts give (``2023年部门决算``), or the year of a cited text
(``2019年修订``). Any other is a year left over or invented (``截至2023年底现行有效25件`` in a 2024
report)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from .. import official
from ..numbers import CALENDAR_KINDS, mentions
from .finding import Finding
from .registry import Context, check

_FUTURE: Final = re.compile(r"将|下一步|计划|拟|力争|明年|下一年度|下年度|结转|继续办理")
# Last year named as the term of a comparison: 较2023年, 比2023年（125件）, 与2023年相比, 2023年同期.
_COMPARED_BEFORE: Final = re.compile(r"(?:较|比|与|和|同|上年（|上年\(|去年（)\s*$")
_COMPARED_AFTER: Final = re.compile(r"^(?:同期|相比|的|为|度为|全年为|（|\()")
_CITED: Final = re.compile(r"修订|修正|年版|颁布|施行|印发|发布")


@check("stated_years", "year", {}, also=("Y2",), scope="narrative")
def stated_years(ctx: Context) -> Iterator[Finding]:
    data, year = ctx.data, ctx.year
    if not ctx.strict or data is None or year is None:
        return
    # A year the facts give, with the words after it (``2023年部门决算``): the same year about
    # something else (``截至2023年底``) is not given.
    given = {
        (int(m.value), m.after[:2])
        for topic, _ in official.FACT_TOPICS
        for fact in data.facts.get(topic) or []
        for m in mentions(fact)
        if m.kind in CALENDAR_KINDS and m.value is not None
    }
    n = 0
    for p in ctx.paragraphs():
        if p.part is None:
            continue
        for m in mentions(p.text):
            if m.kind not in ("year", "date") or m.value is None:
                continue
            y = int(m.value)
            start = max(p.text.rfind(c, 0, m.start) for c in "。；;！？\n") + 1
            end = min(
                (i for i in (p.text.find(c, m.end) for c in "。；;！？\n") if i >= 0), default=len(p.text)
            )
            sentence = p.text[start:end]
            if y == year or (y, m.after[:2]) in given:
                continue
            if y == year + 1 and (ctx.section == "improvements" or _FUTURE.search(sentence)):
                continue
            before = p.text[max(0, m.start - 4) : m.start]
            if y == year - 1 and (_COMPARED_BEFORE.search(before) or _COMPARED_AFTER.match(p.text[m.end :])):
                continue
            if y < year and _CITED.search(p.text[m.end : m.end + 6]):
                continue
            n += 1
            yield ctx.in_paragraph(
                p,
                "Y2",
                "error",
                f"“{sentence.strip()[:30]}”写的是{y}年，而报告年度为{year}年：可能是沿用旧稿留下的年份，请核对",
                f"stated-year:{y}#{n}",
                evidence=f"{sentence.strip()[:40]}（报告年度 {year}）",
                reask=f"“{m.text}”：本报告是{year}年度报告，这里的{y}年不对（数据和素材中没有）。请改为{year}年或删去。",
            )
