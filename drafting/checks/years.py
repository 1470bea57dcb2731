"""Years: the title, the statistical period, the data and the narrative speak of one year (Y1); no
year left over from a copied template (Y2); 改进措施 speak of the next (Y3)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import official
from ..chars import ascii_digits
from ..reading.model import Paragraph
from .finding import Finding
from .registry import Context, check
from .structure import stated_periods
from .text import sentences

# A year opening a sentence: ``2023年，我局…``, ``（二）改进措施：2024年，…``.
_OPENING_YEAR = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]{1,2}[）)]\s*[^。，：:]{0,14}[。：:]\s*)?((?:19|20)\d{2})\s*年(?:度)?(?=[，,、\s]|[我本全在各])"
)
_FUTURE = ("将", "下一步", "计划", "拟", "继续", "力争", "进一步")
# A sentence states a plan when a plan word comes before any word reporting the year's state:
# ``2025年，我县…取得一定成效，但…仍存在短板：一是…需进一步加强`` is about the report year.
_PLAN = re.compile(r"将|下一步|计划|拟|力争|改进措施")
_STATE = re.compile(r"取得|存在|不足|短板|成效|差距|有待|完成|实现")


def _years(text: str) -> Iterator[tuple[int, re.Match[str]]]:
    for m in re.finditer(
        r"(?<![\d〔(（])((?:19|20)\d{2})\s*年",
        ascii_digits(text),
    ):
        yield int(m.group(1)), m


@check("year_agreement", "year", {"Y1": "标题、统计期限与报告年度（及数据文件的年度）一致"})
def year_agreement(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    title_year = None
    m = re.search(r"((?:19|20)\d{2})\s*年", r.title)
    if m:
        title_year = int(m.group(1))
    if ctx.data is not None and title_year is not None and title_year != ctx.data.year:
        yield ctx.found(
            "Y1",
            "error",
            f"标题中的年度 {title_year} 与数据文件的年度 {ctx.data.year} 不一致：请改正标题或数据文件",
            "标题",
            evidence=f"标题“{r.title}”；数据文件 year: {ctx.data.year}",
            place="title/year",
        )
    year = ctx.year
    if year is None:
        return
    for start, end, p in stated_periods(ctx):
        if start != year or end != year:
            yield ctx.in_paragraph(
                p,
                "Y1",
                "error",
                f"统计期限写作“{start}年1月1日至{end}年12月31日”，与报告年度 {year} 不一致：应为“{official.statistical_period(year)}”",
                "period",
                evidence=f"{start}年1月1日至{end}年12月31日（报告年度 {year}）",
            )


def _improvement(p: Paragraph, sentence: str) -> bool:
    """A sentence of 五 that states what will be done (the 改进措施), not how the year went."""
    if p.section == "improvements":
        return True
    if p.part != "problems_improvements":
        return False
    plan = _PLAN.search(sentence)
    state = _STATE.search(sentence)
    return plan is not None and (state is None or plan.start() < state.start())


@check("stale_years", "year", {"Y2": "正文中没有沿用旧稿留下的过时年份"}, scope="narrative")
def stale_years(ctx: Context) -> Iterator[Finding]:
    year = ctx.year
    if year is None:
        return
    mentioned = False
    for p in ctx.paragraphs():
        if p.part is None:
            mentioned = mentioned or str(year) in p.text
            continue
        for _, sentence in sentences(p.text):
            for y, _ in _years(sentence):
                mentioned = mentioned or y == year
            m = _OPENING_YEAR.match(sentence)
            if m is None:
                continue
            y = int(m.group(1))
            if y == year or (y == year + 1 and any(w in sentence for w in _FUTURE)):
                continue
            if _improvement(p, sentence) and y != year + 1:
                continue  # the 改进 rule (Y3) speaks for it
            yield ctx.in_paragraph(
                p,
                "Y2",
                "error",
                f"“{sentence.strip()[:24]}…”写的是{y}年，而报告年度为{year}年：可能是沿用旧稿留下的年份，请改为{year}年",
                f"year:{y}",
                evidence=f"{sentence.strip()[:40]}（报告年度 {year}）",
            )
    if not mentioned and ctx.report.kind != "section" and ctx.report.paragraphs:
        yield ctx.found(
            "Y2",
            "warning",
            f"正文没有提到报告年度 {year} 年：宜在总体情况开头写明“{year}年，…”",
            official.part_heading("overview"),
            evidence=f"正文中没有“{year}年”",
            place="narrative/year-missing",
        )


@check(
    "improvement_year",
    "year",
    {"Y3": "改进措施针对下一年度（模型写的改进措施须以“下一年度”或“下一步”开头）"},
    scope="narrative",
)
def improvement_year(ctx: Context) -> Iterator[Finding]:
    year = ctx.year
    if year is None:
        return
    reported: set[int] = set()  # paragraphs already told their year is wrong
    for p in ctx.paragraphs("problems_improvements"):
        for _, sentence in sentences(p.text):
            if not _improvement(p, sentence):
                continue
            m = _OPENING_YEAR.match(sentence)
            if m is None:
                m2 = re.search(r"((?:19|20)\d{2})\s*年[^。；]{0,12}将", sentence)
                if m2 is None:
                    continue
                y = int(m2.group(1))
            else:
                y = int(m.group(1))
            if y != year + 1:
                reported.add(p.index)
                yield ctx.in_paragraph(
                    p,
                    "Y3",
                    "error",
                    f"改进措施写的是“{y}年”：{year}年度报告的改进措施应针对下一年度，请改为“{year + 1}年”",
                    f"year:{y}",
                    evidence=f"{sentence.strip()[:40]}（报告年度 {year}）",
                )
    if ctx.strict and ctx.section == "improvements" and ctx.data is not None:
        yield from _improvement_opening(ctx, year, reported)


def _improvement_opening(ctx: Context, year: int, reported: set[int]) -> Iterator[Finding]:
    """A model's 改进措施 open on next year or 下一步 (the prompt asks for it), unless a stated wrong
    year in the first paragraph was already reported."""
    first = next((p for p in ctx.paragraphs("problems_improvements") if p.text.strip()), None)
    if first is None or first.index in reported:
        return
    # Next year or 下一步 in the opening clause, after a lead-in at most (针对上述问题，2025年我局将……).
    if re.match(rf"^(?:[^。：:；;，,]{{1,12}}[，,])?(?:下一步|{year + 1}\s*年)", first.text):
        return
    assert ctx.data is not None
    s = ctx.data.self_reference
    yield ctx.in_paragraph(
        first,
        "Y3",
        "error",
        f"改进措施应以“{year + 1}年，{s}将……”或“下一步，{s}将……”开头",
        "opening",
        evidence=first.text[:20],
    )
