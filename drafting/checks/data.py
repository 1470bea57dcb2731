"""Data: when a data file is given, the tables printed in the document must equal it (D1), and the
title must name its agency (D2). Problems of the data file itself become findings too (D3)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from .. import official
from ..errors import Issue
from ..tables import table3_rows, table4_values
from .registry import Context, Finding, check


def _same(a: int | Decimal | None, b: int | Decimal) -> bool:
    return a is not None and Decimal(a) == Decimal(b)


@check("tables_match_data", "data")
def tables_match_data(ctx: Context) -> Iterator[Finding]:
    data, r = ctx.data, ctx.report
    if data is None or r.kind == "section":
        return
    columns = [label for _, label in official.TABLE3_COLUMNS] + [official.TOTAL_LABEL]
    if r.table3 is not None:
        rows = table3_rows(data.table3)
        for spec in official.TABLE3_ROWS:
            row = r.table3.rows.get(spec.path)
            if row is None:
                continue
            diff = [
                f"{col} 表中为 {got if got is not None else '空白'}、数据为 {want}"
                for col, got, want in zip(columns, row.values, rows[spec.path], strict=False)
                if not _same(got, want)
            ]
            if diff:
                yield Finding(
                    "D1",
                    "data",
                    "error",
                    f"表三“{spec.full_label}”与数据文件不一致（{'；'.join(diff[:4])}）：请按数据文件改正表格，或核对数据",
                    f"表三 {spec.full_label}" + (f"（{row.where()}）" if row.where() else ""),
                )
    if r.table4 is not None and r.table4.row is not None:
        want4 = table4_values(data.table4)
        bad = [i for i, (g, w) in enumerate(zip(r.table4.row.values, want4, strict=False)) if not _same(g, w)]
        if bad:
            yield Finding(
                "D1",
                "data",
                "error",
                f"表四有 {len(bad)} 格与数据文件不一致（表中 {[r.table4.row.values[i] for i in bad]}，"
                f"数据为 {[want4[i] for i in bad]}）：请按数据文件改正",
                "表四",
            )
    if r.table2 is not None and r.table2.version == "2021":
        for group in official.TABLE2_GROUPS:
            for key, label in group.rows:
                row2 = r.table2.rows.get(key)
                if row2 is None:
                    continue
                value = getattr(data.table2, key)
                want2 = [getattr(value, k) for k, _ in group.columns] if len(group.columns) == 3 else [value]
                if any(not _same(g, w) for g, w in zip(row2.values, want2, strict=False)):
                    got = "、".join("空白" if v is None else str(v) for v in row2.values)
                    yield Finding(
                        "D1",
                        "data",
                        "error",
                        f"表二“{label}”与数据文件不一致（表中 {got}，数据为 {'、'.join(str(w) for w in want2)}）：请核对",
                        f"表二 {label}",
                    )


@check("agency_matches_data", "data")
def agency_matches_data(ctx: Context) -> Iterator[Finding]:
    data, r = ctx.data, ctx.report
    if data is None or not r.title or r.kind == "section":
        return
    name = data.agency.name
    if name.replace(" ", "") not in r.title.replace(" ", ""):
        yield Finding(
            "D2",
            "data",
            "warning",
            f"标题“{r.title}”中没有数据文件的机关全称“{name}”：请核对标题或数据文件的 agency.name",
            "标题",
        )


def issue_findings(issues: Iterable[Issue], source: str) -> list[Finding]:
    """Problems of a data file (``DataError`` issues, loader warnings) as findings."""
    out = []
    for issue in issues:
        where = f"{source} {issue.where()}".strip()
        message = f"{issue.cell}：{issue.message}。{issue.fix}"
        out.append(Finding(f"D3-{issue.rule}", "data", issue.severity, message, f"{where}（{issue.path}）"))
    return out
