"""Tables as printed: the cross-sums H1–H4 (via ``drafting.data.rules`` on the document's own
figures), blank cells (H5), carry-over from last year (C1, C2), plausibility (P1), the table layout of
the year (P2), and what the reader noticed while reading the tables (SPLIT and the rest)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import official
from ..data import rules
from ..errors import Issue, Severity
from ..official import Cell, cells_of_path
from ..reading.tables import OTHER_HANDLING_2019, READ, UNSURE, ReadingNotice, Row
from .finding import Finding
from .registry import Context, check

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
    """A data rule broken by the printed figures: its message names the figures compared."""
    message = issue.message if issue.message.endswith("。") else issue.message + "。"
    return ctx.found(
        issue.rule,
        issue.severity,
        message + _FIX.get(issue.rule, issue.fix),
        _where(ctx, issue),
        evidence=issue.message.rstrip("。"),
        place=issue.path,
        cells=cells_of_path(issue.path),
    )


def _blank_columns(ctx: Context) -> set[str]:
    return {c for cols in ctx.blanks.values() for c in cols}


def _sure_rows(ctx: Context) -> set[str]:
    """The 表三 rows read with confidence (every cell as printed, or split as the sums confirm)."""
    t = ctx.report.table3
    if t is None:
        return set()
    return {k for k, r in t.rows.items() if not any(s in UNSURE and s != "guess" for s in r.status)}


def _rows_read(ctx: Context, paths: set[str]) -> bool:
    """Whether every row of ``paths`` was read with confidence (the 2019 single （六）其他处理 row
    standing for the three of 2021)."""
    t = ctx.report.table3
    if t is None:
        return False
    if OTHER_HANDLING_2019 in t.rows:
        paths = {p for p in paths if not p.startswith("other_handling.")} | {OTHER_HANDLING_2019}
    return paths <= _sure_rows(ctx)


_ALL_ROWS = {s.path for s in official.TABLE3_ROWS}
_IDENTITY_ROWS = {"new", "carried_over", "results_total", "carry_forward"}  # H2's four rows


@check(
    "cross_sums",
    "table",
    {
        "H1": "表三各行总计等于六类申请人之和",
        "H2": "表三每列：第一项加第二项等于第三项（七）总计加第四项",
        "H3": "表三（七）总计等于（一）至（六）各项办理结果之和",
        "H4": "表四各栏总计等于结果维持、结果纠正、其他结果、尚未审结之和",
    },
)
def cross_sums(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    if doc is None:
        return
    blank_cols = _blank_columns(ctx)
    sure = _sure_rows(ctx)
    for issue in rules.h1_row_totals(doc):
        row_path = ".".join(issue.path.split(".")[1:-1])
        if row_path not in ctx.blanks and (row_path in sure or row_path not in _read_rows(ctx)):
            yield _finding(ctx, issue)
    read = _read_rows(ctx)
    column_rules = []
    if read - sure:
        ctx.skip(("H3",), "表三有未能确认的行，（七）总计与各项办理结果之和未作核对")
    elif _rows_read(ctx, _ALL_ROWS):
        column_rules += rules.h3_results_total(doc)
    # (rows simply not in the table: S2 reports them; the sums over them are not checked)
    if _rows_read(ctx, _IDENTITY_ROWS):
        column_rules += rules.h2_stated_identity(doc)
    elif read & _IDENTITY_ROWS - sure:
        ctx.skip(
            ("H2",),
            "表三的第一项、第二项、（七）总计或第四项未能确认，“第一项加第二项之和，等于第三项加第四项之和”未作核对",
        )
    for issue in column_rules:
        if _column_of(issue) not in blank_cols and not (
            _column_of(issue) == official.TOTAL_KEY and blank_cols
        ):
            yield _finding(ctx, issue)
    if ctx.report.table4 is not None and ctx.report.table4.row is not None:
        if ctx.confident("table4"):
            for issue in rules.h4_table4_totals(doc):
                yield _finding(ctx, issue)
        else:
            ctx.skip(("H4",), ctx.report.certainty("table4").reason)


def _read_rows(ctx: Context) -> set[str]:
    t = ctx.report.table3
    return set(t.rows) if t is not None else set()


@check(
    "reading_notices",
    "table",
    {"SPLIT": "连写在一起的数字已按勾稽关系拆分：请对照原表核对"},
    also=("H1", "H4", "H5", "S2"),
)
def reading_notices(ctx: Context) -> Iterator[Finding]:
    """What the reader noticed and could not settle itself: digits run together that it split by
    guess (SPLIT) or could not split (H1, H4), a 总计 it had to work out (H5), a row label that is
    not the official one (S2)."""
    for note in ctx.report.notes:
        if note.rule != READ:  # what the reader could not locate or confirm: ``reading``
            yield _notice_finding(ctx, note)


def _notice_finding(ctx: Context, note: ReadingNotice) -> Finding:
    return ctx.found(
        note.rule,
        note.severity,
        note.message,
        note.location,
        evidence=note.evidence,
        place=note.place,
        cells=note.cells,
    )


@check(
    "reading",
    "structure",
    {"READ": "报告读取情况：未能识别或确认的章节、表格（依赖它们的规则未作检查），以及按顺序对应的表格行"},
)
def reading(ctx: Context) -> Iterator[Finding]:
    """What the reader could not locate or confirm — said once, as a warning: the rules that need
    it are not assessed (see ``Outcome.not_assessed``)."""
    for note in ctx.report.notes:
        if note.rule == READ:
            yield _notice_finding(ctx, note)


_Blank = tuple[str, Cell]  # (label shown to the user, the cell)


def _blanks_finding(ctx: Context, cells: list[_Blank], severity: Severity, note: str) -> Finding:
    labels = [label for label, _ in cells]
    shown = "；".join(labels[:6]) + ("等" if len(labels) > 6 else "")
    return ctx.found(
        "H5",
        severity,
        f"表格中有 {len(cells)} 个空白单元格（{shown}）：没有发生的情况应填 0，不能留空{note}",
        labels[0].split(" / ")[0],
        evidence="空白：" + "；".join(labels),
        cells=[cell for _, cell in cells],
    )


def _blank_cells(label: str, row: Row, columns: list[tuple[str, str]], table: str, key: str) -> list[_Blank]:
    return [
        (f"{label} / {col}", Cell(table, key, col_key))
        for (col_key, col), status in zip(columns, row.status, strict=False)
        if status in ("blank", "missing")
    ]


_COLUMNS3 = [*official.TABLE3_COLUMNS, (official.TOTAL_KEY, official.TOTAL_LABEL)]


@check("blank_cells", "table", {"H5": "表格单元格填写不小于 0 的整数：没有发生的填 0，不留空，不填“/”或“无”"})
def blank_cells(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    cells: list[_Blank] = []
    if r.table3 is not None:
        for spec in official.TABLE3_ROWS:
            row = r.table3.rows.get(spec.path)
            if row is not None:
                cells += _blank_cells(f"表三 {spec.full_label}", row, _COLUMNS3, "table3", spec.path)
        if OTHER_HANDLING_2019 in r.table3.rows:
            cells += _blank_cells(
                f"表三 {official.TABLE3_GROUPS['other_handling']}",
                r.table3.rows[OTHER_HANDLING_2019],
                _COLUMNS3,
                "table3",
                OTHER_HANDLING_2019,
            )
    if r.table4 is not None and r.table4.row is not None:
        columns4 = [
            (f"{official.table4_block_label(b)} / {label}", Cell("table4", b, key))
            for b, _ in official.TABLE4_BLOCKS
            for key, label in [*official.TABLE4_COLUMNS, (official.TOTAL_KEY, official.TOTAL_LABEL)]
        ]
        cells += [
            (f"表四 {label}", cell)
            for (label, cell), s in zip(columns4, r.table4.row.status, strict=False)
            if s in ("blank", "missing")
        ]
    if r.table2 is not None:
        groups = official.TABLE2_2019_GROUPS if r.table2.version == "2019" else official.TABLE2_GROUPS
        for g in groups:
            for key, label in g.rows:
                row = r.table2.rows.get(key)
                if row is not None:
                    cells += _blank_cells(f"表二 {label}", row, list(g.columns), "table2", key)
    # A table whose labels and numbers the source printed apart (a damaged conversion) may have lost
    # a cell in the damage: a blank there is worth a look, not an accusation.
    damaged = r.table3 is not None and bool(r.table3.realigned)
    sound = [c for c in cells if not (damaged and c[1].table == "table3")]
    if sound:
        yield _blanks_finding(ctx, sound, "error", "")
    if len(sound) < len(cells):
        note = "（表三在原文中行名与数字错位，空白也可能是转换造成的，请对照原报告核对）"
        yield _blanks_finding(ctx, [c for c in cells if c not in sound], "warning", note)
    if r.table3 is not None:
        na = [
            (spec, row)
            for spec in official.TABLE3_ROWS
            if (row := r.table3.rows.get(spec.path)) is not None and "na" in row.status
        ]
        if na:
            labels = [f"表三 {spec.full_label}" for spec, _ in na]
            yield ctx.found(
                "H5",
                "error",
                f"表三中有单元格填写了“/”或“无”（{'；'.join(labels[:4])}）：应填写数字，没有的填 0",
                labels[0],
                evidence="填写了“/”或“无”的行：" + "；".join(labels),
                cells=[
                    Cell("table3", spec.path, key)
                    for spec, row in na
                    for (key, _), status in zip(_COLUMNS3, row.status, strict=False)
                    if status == "na"
                ],
            )


@check(
    "carry_over",
    "table",
    {
        "C1": "本年“二、上年结转”等于上年“四、结转下年度继续办理”",
        "C2": "现行有效件数与上年衔接（上年现行有效 + 本年制发 − 本年废止）",
    },
)
def carry_over(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    if doc is None or doc.previous is None:
        return
    if ctx.data is not None and ctx.data.previous is not None:
        return  # the data file's own C1/C2 already speak for the same figures (data checks)
    for issue in rules.c1_carry_over(doc) + rules.c2_documents_in_force(doc):
        yield _finding(ctx, issue)


@check("plausibility", "table", {"P1": "县级及以下机关不应填写规章"})
def plausibility(ctx: Context) -> Iterator[Finding]:
    doc = ctx.doc
    if doc is None or ctx.report.table2 is None or ctx.report.table2.version != "2021":
        return
    for issue in rules.p1_rules_plausible(doc):
        yield _finding(ctx, issue)


@check(
    "layout_version",
    "table",
    {"P2": "表格格式与报告年度相符（2021 年及以后用国办公开办函〔2021〕30号的格式）"},
)
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
        yield ctx.found(
            "P2",
            "error",
            f"{year}年度报告仍使用2019年试行格式的{'和'.join(old)}：应按{official.FORMAT_NOTICE}的格式更新表格",
            "、".join(o.split("（")[0] for o in old),
            evidence="、".join(old),
            place="layout/" + ",".join(o.split("（")[0] for o in old),
        )
    cites_old = any(official.FORMAT_NOTICE_2019 in p.text.replace(" ", "") for p in r.preamble)
    cites_new = any(official.FORMAT_NOTICE in p.text.replace(" ", "") for p in r.narrative())
    if cites_old and not cites_new and year >= official.FIRST_FORMAT_YEAR + 1:
        yield ctx.found(
            "P2",
            "warning",
            f"引言只引用了{official.FORMAT_NOTICE_2019}：{year}年度报告的格式依据是{official.FORMAT_NOTICE}",
            "前言",
            evidence=f"引言引用{official.FORMAT_NOTICE_2019}，全文没有{official.FORMAT_NOTICE}",
            place="preamble/format-notice",
        )
