"""Tables as printed: the cross-sums H1–H4 (via ``drafting.data.rules`` on the document's own
figures), blank cells (H5), carry-over from last year (C1, C2), plausibility (P1) and the table
layout of the year (P2)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import official
from ..data import rules
from ..errors import Issue
from ..reading.tables import OTHER_HANDLING_2019, Row
from .registry import Context, Finding, check

_FIX = {
    "H1": "请核对本行各类申请人的数字和总计，使总计等于六类申请人之和",
    "H2": "每一列都应满足“第一项加第二项之和，等于第三项加第四项之和”：请核对该列的新收、上年结转、办理结果和结转下年度",
    "H3": "（七）总计应等于（一）至（六）各项办理结果之和：请核对该列各项办理结果，不要直接填写总计",
    "H4": "请核对本栏各项，使总计等于结果维持、结果纠正、其他结果、尚未审结之和",
    "C1": "本年“二、上年结转”应与上年报告“四、结转下年度继续办理”一致：请核对",
    "C2": "如本年开展过集中清理或口径调整，请在正文中说明；否则请核对现行有效件数",
    "P1": "只有国务院部门、省级和设区的市人民政府可以制定规章；规范性文件请填在“行政规范性文件”行",
}


def _where(ctx: Context, issue: Issue) -> str:
    parts = issue.path.split(".")
    if parts[0] == "table3" and ctx.report.table3 is not None:
        for n in (3, 2):
            row = ctx.report.table3.rows.get(".".join(parts[1:n]))
            if row is not None and row.where():
                return f"{issue.cell}（{row.where()}）"
    return issue.cell


def _column_of(issue: Issue) -> str:
    return issue.path.split(".")[-1]


def _finding(ctx: Context, issue: Issue) -> Finding:
    message = issue.message if issue.message.endswith("。") else issue.message + "。"
    return Finding(
        issue.rule, "table", issue.severity, message + _FIX.get(issue.rule, issue.fix), _where(ctx, issue)
    )


def _blank_columns(ctx: Context) -> set[str]:
    return {c for cols in ctx.blanks.values() for c in cols}


def _rows_complete(ctx: Context) -> bool:
    t = ctx.report.table3
    if t is None:
        return False
    paths = {s.path for s in official.TABLE3_ROWS}
    if OTHER_HANDLING_2019 in t.rows:
        paths -= {p for p in paths if p.startswith("other_handling.")}
    return paths <= set(t.rows)


@check("cross_sums", "table")
def cross_sums(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    if doc is None:
        return
    blank_cols = _blank_columns(ctx)
    for issue in rules.h1_row_totals(doc):
        row_path = ".".join(issue.path.split(".")[1:-1])
        if row_path not in ctx.blanks:
            yield _finding(ctx, issue)
    if _rows_complete(ctx):
        for issue in rules.h3_results_total(doc) + rules.h2_stated_identity(doc):
            if _column_of(issue) not in blank_cols and not (
                _column_of(issue) == official.TOTAL_KEY and blank_cols
            ):
                yield _finding(ctx, issue)
    if ctx.report.table4 is not None and ctx.report.table4.row is not None:
        for issue in rules.h4_table4_totals(doc):
            yield _finding(ctx, issue)
    for note in ctx.report.notes:
        if note.category == "table":
            yield Finding(note.rule, "table", note.severity, note.message, note.location)


def _blank_cells(label: str, row: Row, columns: list[str]) -> list[str]:
    return [
        f"{label} / {col}"
        for col, status in zip(columns, row.status, strict=False)
        if status in ("blank", "missing")
    ]


@check("blank_cells", "table")
def blank_cells(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    cells: list[str] = []
    columns3 = [label for _, label in official.TABLE3_COLUMNS] + [official.TOTAL_LABEL]
    if r.table3 is not None:
        for spec in official.TABLE3_ROWS:
            row = r.table3.rows.get(spec.path)
            if row is not None:
                cells += _blank_cells(f"表三 {spec.full_label}", row, columns3)
        if OTHER_HANDLING_2019 in r.table3.rows:
            cells += _blank_cells(
                f"表三 {official.TABLE3_GROUPS['other_handling']}",
                r.table3.rows[OTHER_HANDLING_2019],
                columns3,
            )
    if r.table4 is not None and r.table4.row is not None:
        columns4 = [
            f"{official.table4_block_label(b)} / {c}"
            for b, _ in official.TABLE4_BLOCKS
            for c in [label for _, label in official.TABLE4_COLUMNS] + [official.TOTAL_LABEL]
        ]
        cells += [
            f"表四 {c}"
            for c, s in zip(columns4, r.table4.row.status, strict=False)
            if s in ("blank", "missing")
        ]
    if r.table2 is not None:
        groups = official.TABLE2_2019_GROUPS if r.table2.version == "2019" else official.TABLE2_GROUPS
        for g in groups:
            for key, label in g.rows:
                row = r.table2.rows.get(key)
                if row is not None:
                    cells += _blank_cells(f"表二 {label}", row, [c for _, c in g.columns])
    if cells:
        shown = "；".join(cells[:6]) + ("等" if len(cells) > 6 else "")
        yield Finding(
            "H5",
            "table",
            "error",
            f"表格中有 {len(cells)} 个空白单元格（{shown}）：没有发生的情况应填 0，不能留空",
            cells[0].split(" / ")[0],
        )
    if r.table3 is not None:
        na = [
            f"表三 {s.full_label}" for s in official.TABLE3_ROWS if "na" in _status(r.table3.rows.get(s.path))
        ]
        if na:
            yield Finding(
                "H5",
                "table",
                "error",
                f"表三中有单元格填写了“/”或“无”（{'；'.join(na[:4])}）：应填写数字，没有的填 0",
                na[0],
            )


def _status(row: Row | None) -> list[str]:
    return list(row.status) if row is not None else []


@check("carry_over", "table")
def carry_over(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    if doc is None or doc.previous is None:
        return
    if ctx.data is not None and ctx.data.previous is not None:
        return  # the data file's own C1/C2 already speak for the same figures (data checks)
    for issue in rules.c1_carry_over(doc) + rules.c2_documents_in_force(doc):
        yield _finding(ctx, issue)


@check("plausibility", "table")
def plausibility(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    if doc is None or ctx.report.table2 is None or ctx.report.table2.version != "2021":
        return
    for issue in rules.p1_rules_plausible(doc):
        yield _finding(ctx, issue)


@check("layout_version", "table")
def layout_version(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    year = ctx.year
    if year is None or year < official.FIRST_FORMAT_YEAR:
        return
    old = []
    if r.table2 is not None and r.table2.version == "2019":
        old.append("表二（本年新制作数量、本年新公开数量等旧栏目）")
    if r.table3 is not None and r.table3.version == "2019":
        old.append("表三（“（六）其他处理”未分三项）")
    if old:
        yield Finding(
            "P2",
            "table",
            "error",
            f"{year}年度报告仍使用2019年试行格式的{'和'.join(old)}：应按{official.FORMAT_NOTICE}的格式更新表格",
            "、".join(o.split("（")[0] for o in old),
        )
    cites_old = any(official.FORMAT_NOTICE_2019 in p.text.replace(" ", "") for p in r.preamble)
    cites_new = any(official.FORMAT_NOTICE in p.text.replace(" ", "") for p in r.narrative())
    if cites_old and not cites_new and year >= official.FIRST_FORMAT_YEAR + 1:
        yield Finding(
            "P2",
            "table",
            "warning",
            f"引言只引用了{official.FORMAT_NOTICE_2019}：{year}年度报告的格式依据是{official.FORMAT_NOTICE}",
            "前言",
        )
