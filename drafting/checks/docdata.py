"""The document's own tables as ``ReportData``, so the data rules (H1–H4, C1, C2, P1) and the
figures module serve printed tables exactly as they serve data files.

Stated totals are kept (so H1/H3/H4 compare what the page printed with the sums); a blank cell
counts as 0 here and is reported by H5 instead, and rows it touches are left out of the sums it
would falsify.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .. import official
from ..chars import ascii_digits
from ..data.model import ReportData
from ..reading.model import Report
from ..reading.tables import OTHER_HANDLING_2019, Row
from ..reading.to_data import empty_table2, table2_value

_COLUMNS = (*official.TABLE3_COLUMN_KEYS, official.TOTAL_KEY)


def _int(value: int | Decimal | None) -> int:
    return 0 if value is None else max(0, int(value))


def _applicants(row: Row | None, blanks: set[str]) -> dict[str, Any]:
    if row is None:
        return {k: 0 for k in official.TABLE3_COLUMN_KEYS}
    values = list(row.values) + [None] * (len(_COLUMNS) - len(row.values))
    out: dict[str, Any] = {k: _int(v) for k, v in zip(official.TABLE3_COLUMN_KEYS, values, strict=False)}
    for key, value, status in zip(_COLUMNS, values, row.status, strict=False):
        if value is None and status not in ("derived",):
            blanks.add(key)
    total = values[len(official.TABLE3_COLUMN_KEYS)]
    if total is not None and not blanks:
        out["total"] = _int(total)
    return out


def _nest(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        node = out
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return out


def table3_dict(report: Report, blanks: dict[str, set[str]]) -> dict[str, Any] | None:
    t = report.table3
    if t is None or not t.rows:
        return None
    flat: dict[str, Any] = {}
    for spec in official.TABLE3_ROWS:
        row = t.rows.get(spec.path)
        if row is None and spec.path == "other_handling.other" and OTHER_HANDLING_2019 in t.rows:
            row = t.rows[OTHER_HANDLING_2019]  # the 2019 format's single （六）其他处理 row
        cols: set[str] = set()
        if row is not None or spec.path != "results_total":
            flat[spec.path] = _applicants(row, cols)
        if cols:
            blanks[spec.path] = cols
    return _nest(flat)


def table2_dict(report: Report) -> dict[str, Any]:
    t = report.table2
    out = empty_table2()
    if t is None or t.version != "2021":
        return out
    for group in official.TABLE2_GROUPS:
        for key, _ in group.rows:
            row = t.rows.get(key)
            if row is not None:
                out[key] = table2_value(group, key, row)
    return out


def table4_dict(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {}
    row = report.table4.row if report.table4 else None
    width = len(official.TABLE4_COLUMNS) + 1
    for n, (block, _) in enumerate(official.TABLE4_BLOCKS):
        values = row.values[n * width : (n + 1) * width] if row else [0] * width
        status = row.status[n * width : (n + 1) * width] if row else ["ok"] * width
        block_out: dict[str, Any] = {
            k: _int(v) for (k, _), v in zip(official.TABLE4_COLUMNS, values, strict=False)
        }
        if values[-1] is not None and "blank" not in status and "missing" not in status:
            block_out["total"] = _int(values[-1])
        out[block] = block_out
    return out


_FEE_NOTICES = re.compile(
    r"(?:发出|下发|送达|出具)?[^，。；]{0,12}收费通知(?:书)?[^，。；\d]{0,6}(\d+)\s*[件份次个]"
)
_FEE_AMOUNT = re.compile(
    r"(应收|实收|收取|收缴|共收)[^，。；\d]{0,12}信息处理费[^，。；\d]{0,6}(\d+(?:\.\d+)?)\s*(万元|元)"
)


def stated_fees(report: Report) -> dict[str, Decimal | int | None]:
    """What section 六 (or anywhere) states about the 信息处理费: notices and amounts, or None."""
    out: dict[str, Decimal | int | None] = {"notices": None, "billed": None, "collected": None}
    for p in report.narrative():
        text = ascii_digits(p.text)
        m = _FEE_NOTICES.search(text)
        if m and out["notices"] is None:
            out["notices"] = int(m.group(1))
        for m in _FEE_AMOUNT.finditer(text):
            amount = Decimal(m.group(2)) * (10000 if m.group(3) == "万元" else 1)
            key = "billed" if m.group(1) == "应收" else "collected"
            if out[key] is None:
                out[key] = amount
    return out


def document_data(report: Report, year: int | None) -> tuple[ReportData | None, dict[str, set[str]]]:
    """The printed tables as data, or None when 表三 was not found at all."""
    blanks: dict[str, set[str]] = {}
    t3 = table3_dict(report, blanks)
    if t3 is None:
        return None, blanks
    fees = stated_fees(report)
    raw = {
        "agency": {"name": report.agency or "（未识别的机关）"},
        "year": year if year is not None and 2000 <= year <= 2100 else 2000,
        "table2": table2_dict(report),
        "table3": t3,
        "table4": table4_dict(report),
        "fees": {
            "notices": fees["notices"] or 0,
            "billed": fees["billed"] or 0,
            "collected": fees["collected"] or 0,
        },
    }
    return ReportData.model_validate(raw), blanks
