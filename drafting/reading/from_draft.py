"""Our own draft (``<stem>.draft.json``) as a ``Report``: no parsing, the structure is known."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import official
from ..document import Draft
from .model import Heading, Paragraph, Report
from .tables import Row, Table2Read, Table3Read, Table4Read

_SECTION_PART = {s.id: s.part for s in official.NARRATIVE_SECTIONS}


def from_draft(draft: Draft, source: str = "") -> Report:
    report = Report(source, "draft", title=draft.title)
    report.preamble = [Paragraph(text, None, n) for n, text in enumerate(draft.preamble, 1)]
    report.headings = [Heading(p.heading, p.id, "official") for p in official.PARTS]
    counts: dict[str, int] = {}
    by_part: dict[str, list[Paragraph]] = {}
    for section in draft.sections:
        part = _SECTION_PART.get(section.id) or _part_of(section.heading)
        texts = ([section.title] if section.title else []) + list(section.paragraphs)
        for text in texts:
            counts[part] = counts.get(part, 0) + 1
            by_part.setdefault(part, []).append(Paragraph(text, part, counts[part], section=section.id))
    report.paragraphs = [p for part in official.PARTS for p in by_part.get(part.id, [])]
    if "table2" in draft.tables:
        report.table2 = _table2(draft.tables["table2"].get("values", {}))
    if "table3" in draft.tables:
        report.table3 = _table3(draft.tables["table3"].get("values", {}))
    if "table4" in draft.tables:
        values = draft.tables["table4"].get("values", {}).get("row")
        if isinstance(values, list):
            cells = [None if v is None else int(v) for v in values]
            report.table4 = Table4Read(Row(list(cells), ["blank" if v is None else "ok" for v in cells]))
    try:
        report.data = draft.report_data()
    except ValueError:
        report.data = None
    return report


def _part_of(heading: str) -> str:
    return next((p.id for p in official.PARTS if p.heading == heading), "other")


def _table2(values: dict[str, Any]) -> Table2Read:
    out = Table2Read()
    for group in official.TABLE2_GROUPS:
        for key, _ in group.rows:
            value = values.get(key)
            if isinstance(value, dict):
                row = [_num(value.get(k)) for k, _ in group.columns]
            else:
                row = [_num(value)]
            out.rows[key] = Row(row, ["ok" if v is not None else "blank" for v in row])
    return out


def _num(value: Any) -> int | Decimal | None:
    if value is None:
        return None
    if isinstance(value, int):
        return value
    d = Decimal(str(value))
    return int(d) if d == d.to_integral_value() else d


def _table3(values: dict[str, Any]) -> Table3Read:
    out = Table3Read()
    for spec in official.TABLE3_ROWS:
        row = values.get(spec.cells_label)
        if isinstance(row, list):
            cells = [None if v is None else int(v) for v in row]
            out.rows[spec.path] = Row(list(cells), ["blank" if v is None else "ok" for v in cells])
    return out
