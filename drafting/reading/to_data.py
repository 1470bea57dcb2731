"""A report as read → our data model (``drafting import``): agency, year, the three tables and the
fees section 六 states. What could not be carried over exactly (blank cells, the 2019 layout, totals
that disagree with their parts) is returned as notes for the user, never silently fixed."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from .. import official
from ..data.model import ReportData
from ..data.rules import check_rules
from ..errors import InputError, Issue, validation_problem
from .model import Report
from .tables import OTHER_HANDLING_2019, Row

_SELF_REFERENCES = (
    "我局",
    "我委",
    "我办",
    "我厅",
    "我镇",
    "我乡",
    "我区",
    "我县",
    "我市",
    "我街道",
    "本机关",
    "本单位",
    "本局",
)


@dataclass
class Imported:
    data: ReportData  # shape-valid; may still break a cross-sum rule (see ``issues``)
    notes: list[str] = field(default_factory=list)  # what the user must check by hand
    blanks: list[str] = field(default_factory=list)  # cells the report left blank (written as 0)
    issues: list[Issue] = field(default_factory=list)  # the data rules the printed tables break

    @property
    def ok(self) -> bool:
        return not self.blanks and not any(i.is_error for i in self.issues)


def _int(value: int | Decimal | None) -> int:
    return 0 if value is None else max(0, int(value))


def _self_reference(report: Report) -> str:
    text = "".join(p.text for p in report.paragraphs)
    counts = Counter({w: text.count(w) for w in _SELF_REFERENCES})
    word, n = counts.most_common(1)[0]
    return word if n else "本机关"


def _row_cells(row: Row | None, label: str, blanks: list[str]) -> dict[str, Any]:
    keys = official.TABLE3_COLUMN_KEYS
    columns = dict(official.TABLE3_COLUMNS)
    if row is None:
        blanks.append(f"表三 {label}（整行未读到）")
        return dict.fromkeys(keys, 0)
    out: dict[str, Any] = {}
    for key, value, status in zip(keys, row.values, row.status, strict=False):
        if value is None:
            blanks.append(f"表三 {label} / {columns[key]}（{'原表为“/”' if status == 'na' else '空白'}）")
        out[key] = _int(value)
    total = row.values[len(keys)] if len(row.values) > len(keys) else None
    if total is not None and int(total) != sum(out.values()):
        out["total"] = _int(total)
    return out


def _table3(report: Report, notes: list[str], blanks: list[str]) -> dict[str, Any]:
    t = report.table3
    if t is None or not t.rows:
        raise InputError(
            f"{report.source}：没有读到表三（收到和处理政府信息公开申请情况），无法导入。",
            hint="请确认报告中有表三；网页请保存为 .html，PDF 请另存为 .docx 或复制文字为 .txt 后再试。",
        )
    out: dict[str, Any] = {}
    for spec in official.TABLE3_ROWS:
        row = t.rows.get(spec.path)
        if spec.path == "results_total":
            if row is None:
                continue
            cells = _row_cells(row, spec.full_label, blanks)
            leaves = [
                _row_cells(t.rows.get(r.path) or _2019(t.rows, r.path), "", [])
                for r in official.TABLE3_RESULT_LEAVES
            ]
            if (
                any(cells[k] != sum(leaf[k] for leaf in leaves) for k in official.TABLE3_COLUMN_KEYS)
                or "total" in cells
            ):
                out["results_total"] = cells  # kept: it disagrees with the items (H3) or its own sum (H1)
            continue
        if row is None and spec.path.startswith("other_handling.") and OTHER_HANDLING_2019 in t.rows:
            if spec.path.endswith(".other"):
                row = t.rows[OTHER_HANDLING_2019]
                notes.append(
                    "原报告表三为2019年格式，“（六）其他处理”只有一行，已整行填入“3.其他”，请按2021年格式分项核对"
                )
            else:
                row = Row([0] * 7, ["ok"] * 7)
        node = out
        *parents, leaf = spec.path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = _row_cells(row, spec.full_label, blanks)
    return out


def _2019(rows: dict[str, Row], path: str) -> Row | None:
    if path == "other_handling.other":
        return rows.get(OTHER_HANDLING_2019)
    return None


def empty_table2() -> dict[str, Any]:
    """表二 as the data file holds it, every cell 0: what a row that was not read keeps."""
    zero = {"issued": 0, "repealed": 0, "in_force": 0}
    return {
        "rules": dict(zero),
        "normative": dict(zero),
        "licensing": 0,
        "penalty": 0,
        "coercion": 0,
        "admin_fees": Decimal(0),
    }


def table2_value(group: official.Table2Group, key: str, row: Row) -> Any:
    """One 表二 row (2021 format) as the data file holds it: the three counts of 规章 and 行政规范性文件,
    the amount of 行政事业性收费 (a negative or missing one is 0), or the one count of the others."""
    if len(group.columns) == 3:
        return {k: _int(v) for (k, _), v in zip(group.columns, row.values, strict=False)}
    if key == "admin_fees":
        value = row.values[0]
        return Decimal(value) if value is not None and value >= 0 else Decimal(0)
    return _int(row.values[0])


def _table2(report: Report, notes: list[str], blanks: list[str]) -> dict[str, Any]:
    t = report.table2
    out = empty_table2()
    if t is None or not t.rows:
        notes.append("没有读到表二，表二各项已填 0，请按原报告补填")
        return out
    if t.version == "2019":
        notes.append(
            "原报告表二为2019年试行格式：已按“本年新制作数量→本年制发件数、对外公开总数量→现行有效件数、"
            "处理决定数量→本年处理决定数量”转换，本年废止件数和行政事业性收费金额原表没有，已填 0，请核对"
        )
        for key in ("rules", "normative"):
            row = t.rows.get(key)
            if row is not None:
                out[key] = {"issued": _int(row.values[0]), "repealed": 0, "in_force": _int(row.values[2])}
        for key in ("licensing", "penalty", "coercion"):
            row = t.rows.get(key)
            if row is not None:
                out[key] = _int(row.values[2])
        return out
    for group in official.TABLE2_GROUPS:
        for key, label in group.rows:
            row = t.rows.get(key)
            if row is None:
                blanks.append(f"表二 {label}（整行未读到）")
                continue
            for (_, column), value, status in zip(group.columns, row.values, row.status, strict=False):
                if value is None and not (key == "rules" and status == "na"):
                    blanks.append(f"表二 {label} / {column}（空白）")
            out[key] = table2_value(group, key, row)
    return out


def _table4(report: Report, blanks: list[str]) -> dict[str, Any]:
    row = report.table4.row if report.table4 else None
    width = len(official.TABLE4_COLUMNS) + 1
    out: dict[str, Any] = {}
    for n, (block, _) in enumerate(official.TABLE4_BLOCKS):
        values = row.values[n * width : (n + 1) * width] if row else [0] * width
        cells: dict[str, Any] = {}
        for (key, label), value in zip(official.TABLE4_COLUMNS, values, strict=False):
            if value is None:
                blanks.append(f"表四 {official.table4_block_label(block)} / {label}（空白）")
            cells[key] = _int(value)
        total = values[-1]
        if total is not None and int(total) != sum(cells.values()):
            cells["total"] = _int(total)
        out[block] = cells
    if row is None:
        blanks.append("表四（未读到）")
    return out


def _fees(report: Report) -> dict[str, Any]:
    from ..checks.docdata import stated_fees

    stated = stated_fees(report)
    collected = stated["collected"] or 0
    billed = stated["billed"] if stated["billed"] is not None else collected
    return {"notices": stated["notices"] or 0, "billed": billed, "collected": collected}


def imported(report: Report) -> Imported:
    year = report.year
    if year is None:
        raise InputError(
            f"{report.source}：无法从标题中读出报告年度。",
            hint="标题应为“<机关全称><年度>年政府信息公开工作年度报告”；请核对原报告的标题。",
        )
    notes: list[str] = []
    blanks: list[str] = []
    for note in report.notes:
        if note.rule in ("SPLIT", "H5", "S2"):
            notes.append(re.sub(r"\s+", " ", note.message))
    agency = report.agency or "（请填写机关全称）"
    if not report.agency:
        notes.append("标题中没有机关全称，agency.name 请手工填写")
    raw: dict[str, Any] = {
        "agency": {"name": agency, "self_reference": _self_reference(report)},
        "year": year,
        "table2": _table2(report, notes, blanks),
        "table3": _table3(report, notes, blanks),
        "table4": _table4(report, blanks),
        "fees": _fees(report),
    }
    try:
        data = ReportData.model_validate(raw)
    except ValidationError as exc:
        where, what = validation_problem(exc)
        raise InputError(
            f"{report.source}：读出的数据不完整（{where}：{what}）。",
            hint="请用 drafting import --format cells 查看读到的表格，对照原报告核对。",
        ) from None
    return Imported(data, notes, blanks, check_rules(data))
