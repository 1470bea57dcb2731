"""Data: when a data file is given, the tables printed in the document must equal it (D1), and the
title must name its agency (D2). Problems of the data file itself (``errors.Issue``: they keep their
file, line and column) become findings too (D3-<rule>), their cells taken from the data-file path."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from .. import official
from ..errors import Issue
from ..official import Cell, cells_of_path
from ..tables import table3_rows, table4_values
from .finding import Finding, fingerprint
from .registry import Context, check, register_rules, rule_of


def _same(a: int | Decimal | None, b: int | Decimal) -> bool:
    return a is not None and Decimal(a) == Decimal(b)


@check("tables_match_data", "data", {"D1": "文档中的表格与数据文件一致"})
def tables_match_data(ctx: Context) -> Iterator[Finding]:
    data, r = ctx.data, ctx.report
    if data is None or r.kind == "section":
        return
    columns = [*official.TABLE3_COLUMNS, (official.TOTAL_KEY, official.TOTAL_LABEL)]
    if r.table3 is not None:
        rows = table3_rows(data.table3)
        for spec in official.TABLE3_ROWS:
            row = r.table3.rows.get(spec.path)
            if row is None:
                continue
            differ = [
                (key, f"{col} 表中为 {got if got is not None else '空白'}、数据为 {want}")
                for (key, col), got, want in zip(columns, row.values, rows[spec.path], strict=False)
                if not _same(got, want)
            ]
            if differ:
                diff = [text for _, text in differ]
                yield ctx.found(
                    "D1",
                    "error",
                    f"表三“{spec.full_label}”与数据文件不一致（{'；'.join(diff[:4])}）：请按数据文件改正表格，或核对数据",
                    f"表三 {spec.full_label}" + (f"（{row.where()}）" if row.where() else ""),
                    evidence="；".join(diff),
                    cells=[Cell("table3", spec.path, key) for key, _ in differ],
                )
    if r.table4 is not None and r.table4.row is not None:
        want4 = table4_values(data.table4)
        bad = [i for i, (g, w) in enumerate(zip(r.table4.row.values, want4, strict=False)) if not _same(g, w)]
        if bad:
            got4 = [r.table4.row.values[i] for i in bad]
            wanted = [want4[i] for i in bad]
            yield ctx.found(
                "D1",
                "error",
                f"表四有 {len(bad)} 格与数据文件不一致（表中 {got4}，数据为 {wanted}）：请按数据文件改正",
                "表四",
                evidence=f"表中 {got4}，数据为 {wanted}",
                cells=[_TABLE4_CELLS[i] for i in bad if i < len(_TABLE4_CELLS)],
            )
    if r.table2 is not None and r.table2.version == "2021":
        for group in official.TABLE2_GROUPS:
            for key, label in group.rows:
                row2 = r.table2.rows.get(key)
                if row2 is None:
                    continue
                value = getattr(data.table2, key)
                want2 = [getattr(value, k) for k, _ in group.columns] if len(group.columns) == 3 else [value]
                differ2 = [
                    Cell("table2", key, column)
                    for (column, _), g, w in zip(group.columns, row2.values, want2, strict=False)
                    if not _same(g, w)
                ]
                if differ2:
                    got = "、".join("空白" if v is None else str(v) for v in row2.values)
                    wanted2 = "、".join(str(w) for w in want2)
                    yield ctx.found(
                        "D1",
                        "error",
                        f"表二“{label}”与数据文件不一致（表中 {got}，数据为 {wanted2}）：请核对",
                        f"表二 {label}",
                        evidence=f"表中 {got}，数据为 {wanted2}",
                        cells=differ2,
                    )


@check("agency_matches_data", "data", {"D2": "标题中的机关与数据文件一致"})
def agency_matches_data(ctx: Context) -> Iterator[Finding]:
    data, r = ctx.data, ctx.report
    if data is None or not r.title or r.kind == "section":
        return
    name = data.agency.name
    if name.replace(" ", "") not in r.title.replace(" ", ""):
        yield ctx.found(
            "D2",
            "warning",
            f"标题“{r.title}”中没有数据文件的机关全称“{name}”：请核对标题或数据文件的 agency.name",
            "标题",
            evidence=f"标题“{r.title}”；数据文件 agency.name：{name}",
            place="title/agency",
        )


_TABLE4_CELLS = tuple(c for block, _ in official.TABLE4_BLOCKS for c in official.row_cells("table4", block))
DATA_FILE = "data_file"  # the emitter of D3: not a check of the report, the loader's issues
register_rules(
    DATA_FILE,
    "data",
    {"D3": "数据文件本身没有问题（D3-<规则>：数据文件违反的规则，如 D3-H1）"},
    family=True,
)


def issue_findings(issues: Iterable[Issue], source: str, identity: str = "") -> list[Finding]:
    """Problems of a data file (``DataError`` issues, loader warnings) as findings of the report
    ``identity`` names: ``D3-<the issue's rule>``, the cells its data path names, and the file
    position kept in the location (the fingerprint uses the data path, not the file's name)."""
    out = []
    for issue in issues:
        rule = f"D3-{issue.rule}"
        entry = rule_of(rule)
        assert entry is not None
        where = f"{source} {issue.where()}".strip()
        message = f"{issue.cell}：{issue.message}。{issue.fix}"
        out.append(
            Finding(
                rule,
                entry.category,
                issue.severity,
                message,
                f"{where}（{issue.path}）",
                issue.message,
                cells_of_path(issue.path),
                fingerprint(rule, identity, issue.path),
            )
        )
    return out
