"""Year over year, beyond the carry-over rules (C1, C2 in ``tables``): figures that jump (C4) and a
narrative that repeats last year's (Y4, 内容雷同 — one of the failings the 2021 format notice's
明确责任 clause names).

Both need last year: C4 its figures (a data file or a report read into data), Y4 its report as read
(``Context.previous_report``; a data file has no narrative to compare with).

Y4 measures, for each narrative part (一、五、六), the share of this year's own words that repeat
last year's same part (``drafting.overlap``: character 10-grams, numbers and years folded, the
common phrases every report uses left out of the count). Calibrated on pairs whose answer is known
(``evaluation.similar_pairs``; ``bench/calibrate_similarity.py`` prints the table):

- a narrative copied with its year and figures changed repeats 0.95–1.00 of itself (built and real);
  with a fifth of its sentences rewritten, 0.67–0.91;
- two agencies' narratives that share the official phrases: at most 0.18 (built) and 0.10 (eight real
  reports, 94 part pairs) — 0.33 and 0.12 if those phrases were counted;
- one agency's two years written afresh: at most 0.27 (built); a real agency two years apart, 0.02.

``REPEAT_THRESHOLD`` = 0.5 sits between with a wide margin either way: a part is flagged when at
least half of its own words are last year's (copies with up to about two fifths rewritten are
caught). Parts shorter than ``MIN_CHARS`` own characters (a one-line 六 such as “本机关未收取信息处理费”)
are not judged, since a short formulaic statement may rightly stay the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from .. import official
from ..data import rules
from ..data.model import PreviousYear, ReportData, Table3
from ..official import Cell
from ..overlap import fold, grams, overlap
from .finding import Finding
from .registry import Context, check

# --- C4: jumps -----------------------------------------------------------------------------------

JUMP_FACTOR = 5  # this year ≥ 5 × last year, or ≤ last year / 5
JUMP_MIN_CASES = 10  # only on rows where the larger of the two years has at least this many


def _table3_rows(t3: Table3) -> dict[str, int]:
    out: dict[str, int] = {}
    for spec in official.TABLE3_ROWS:
        if spec.path == "results_total":
            out[spec.path] = rules.results_total(t3, official.TOTAL_KEY)
            continue
        row = t3.row(spec.path)
        if row is not None:
            out[spec.path] = row.sum
    return out


def _figures(
    doc: ReportData | PreviousYear,
) -> dict[tuple[str, str, str], tuple[str, int | Decimal]]:
    """(table, row, column) → (the row's official name, its count) for every row a jump is
    judged on: 表二's counts, each 表三 row's 总计, each 表四 block's 总计."""
    out: dict[tuple[str, str, str], tuple[str, int | Decimal]] = {}
    t2 = doc.table2
    if t2 is not None:
        for key in ("rules", "normative"):
            counts = getattr(t2, key)
            for column, label in official.TABLE2_GROUPS[0].columns:
                name = f"表二 {dict(official.TABLE2_GROUPS[0].rows)[key]} / {label}"
                out[("table2", key, column)] = (name, getattr(counts, column))
        for group in official.TABLE2_GROUPS[1:3]:
            for key, label in group.rows:
                out[("table2", key, "")] = (f"表二 {label} / {group.columns[0][1]}", getattr(t2, key))
    if doc.table3 is not None:
        for path, value in _table3_rows(doc.table3).items():
            label = official.TABLE3_ROW_BY_PATH[path].full_label
            out[("table3", path, official.TOTAL_KEY)] = (f"表三 {label} / 总计", value)
    if doc.table4 is not None:
        for block, _ in official.TABLE4_BLOCKS:
            outcomes = getattr(doc.table4, block)
            label = official.table4_block_label(block)
            out[("table4", block, official.TOTAL_KEY)] = (f"表四 {label} / 总计", outcomes.sum)
    return out


def jumped(this: int | Decimal, last: int | Decimal) -> bool:
    """A change of ×5 or more either way, on a row where the larger year has ≥ 10 cases."""
    if max(this, last) < JUMP_MIN_CASES:
        return False
    return this >= JUMP_FACTOR * last or last >= JUMP_FACTOR * this


@check(
    "yearly_jumps",
    "table",
    {
        "C4": "同一行数字与上年相比没有异常波动（较大一年不少于 10 件时，不到上年的 5 倍、不低于上年的五分之一）"
    },
)
def yearly_jumps(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    if doc is None or doc.previous is None:
        return
    prev = doc.previous
    last = _figures(prev)
    for (table, row, column), (name, value) in _figures(doc).items():
        before = last.get((table, row, column))
        if before is None or not jumped(value, before[1]):
            continue
        times = (
            f"是上年的 {value / before[1]:.1f} 倍"
            if before[1] and value > before[1]
            else (f"只有上年的 {value / before[1]:.0%}" if before[1] else "上年为 0")
        )
        yield ctx.found(
            "C4",
            "warning",
            f"{name}本年 {value}，上年（{prev.year}年）{before[1]}，{times}：变化异常，请核对是否填错行、漏填或多计；"
            "确有其事的，宜在正文中说明原因",
            name,
            evidence=f"{name}：本年 {value}，上年 {before[1]}",
            cells=[Cell(table, row, column)],
        )


# --- Y4: 内容雷同 ------------------------------------------------------------------------------

REPEAT_THRESHOLD = 0.5  # share of a part's own words repeated from last year's (calibrated above)
MIN_CHARS = 100  # own characters a part needs, in both years, to be judged
NARRATIVE_PARTS = ("overview", "problems_improvements", "other")

# Phrases every report may share with any other, left out of the comparison: the format's own
# words, and the stock wording of the genre. Numbers in them stand for any number.
STOCK_PHRASES = (
    "习近平新时代中国特色社会主义思想",
    "党的二十大精神",
    "党的二十大和二十届二中、三中全会精神",
    "党的十九大和十九届历次全会精神",
    "以公开为常态、不公开为例外",
    "以人民为中心",
    "政府信息公开信息处理费管理办法",
    "政务公开工作要点",
    "主动公开政府信息0条",
    "政府信息公开申请0件",
    "依申请公开情况",
    "主动公开情况",
    "政府信息管理情况",
    "政府信息公开平台建设情况",
    "监督保障情况",
    "政府门户网站",
    "政务新媒体",
    "知情权、参与权、表达权和监督权",
    "知情权、参与权和监督权",
    "决策、执行、管理、服务、结果公开",
    "先审查、后公开",
    "政治关、法律关、政策关、保密关、文字关",
    "本报告所列数据的统计期限自",
    "本报告电子版可在",
    "如对本报告有任何疑问",
    "未收取信息处理费",
    "政府信息公开工作年度报告",
    "政府信息公开工作",
)


def common_phrases() -> tuple[str, ...]:
    """What two reports may share without either copying the other."""
    labels = [r.label for r in official.TABLE3_ROWS] + [g for g in official.TABLE3_GROUPS.values()]
    return (
        official.REGULATION,
        official.FORMAT_NOTICE,
        official.FORMAT_NOTICE_2019,
        official.FEE_NOTICE,
        *(p.heading for p in official.PARTS),
        *(title for _, title in official.OVERVIEW_SUBSECTIONS),
        *(s.title for s in official.NARRATIVE_SECTIONS if s.title),
        official.statistical_period(2000),
        *labels,
        *STOCK_PHRASES,
    )


_COMMON = common_phrases()


def _part_text(paragraphs: list[str]) -> str:
    return "\n".join(paragraphs)


@check("repeated_narrative", "year", {"Y4": "正文各部分不照搬上年报告（内容雷同）"})
def repeated_narrative(ctx: Context) -> Iterator[Finding]:
    last = ctx.previous_report
    if last is None or ctx.year is None or (last.year is not None and last.year >= ctx.year):
        return
    for part in NARRATIVE_PARTS:
        this_text = _part_text([p.text for p in ctx.paragraphs(part)])
        last_text = _part_text([p.text for p in last.part_paragraphs(part)])
        if not this_text or not last_text:
            continue
        last_folded = fold(last_text)
        if len(last_folded.text) < MIN_CHARS:
            continue
        found = overlap(this_text, last_text, common=_COMMON, last_grams=grams(last_folded.text))
        if found.counted < MIN_CHARS or found.coverage < REPEAT_THRESHOLD:
            continue
        heading = official.part_heading(part)
        # Quoted paragraph by paragraph: a reader finds each in this year's text.
        pieces = [q.strip() for passage in found.passages for q in passage.split("\n")]
        pieces = sorted((q for q in pieces if len(q) >= 20), key=len, reverse=True)
        quoted = "；".join(f"“{_short(q)}”" for q in pieces[:3])
        yield ctx.found(
            "Y4",
            "warning",
            f"{heading}有 {found.coverage:.0%} 的文字与上年（{last.year or ctx.year - 1}年）报告的同一部分相同"
            "（数字和年份不计，通用表述不计）：内容雷同，请按本年工作实际重写",
            heading,
            evidence=f"与上年报告重复 {found.coverage:.0%}" + (f"；重复的段落：{quoted}" if quoted else ""),
            place=f"{part}/repeated",
        )


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "……"
