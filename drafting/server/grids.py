"""The data-entry page's grids and form, laid out from the Excel template's layout.

``data.excel.workbook_layout`` already places every label, merged header, input and total of 表二,
表三 and 表四 exactly as the official tables print them (it is drawn from the same ``Table`` layout
the Word and HTML writers render), with the data path of each input. The page renders those cells
as HTML tables: nothing about the format is spelled here. A total carries the paths it sums, so the
page's script can show it as the author types; the server's validation stays the authority.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .. import official

TABLE_SHEETS = (("table2", "表二"), ("table3", "表三"), ("table4", "表四"))


@dataclass(frozen=True)
class GridCell:
    role: str  # header | label | input | derived
    text: str = ""
    path: str = ""
    kind: str = ""  # count | money | text | year | date
    rows: int = 1
    cols: int = 1
    sums: tuple[str, ...] = ()  # the paths a derived cell adds up


@dataclass(frozen=True)
class Grid:
    id: str  # table2 / table3 / table4
    title: str  # 二、主动公开政府信息情况
    rows: tuple[tuple[GridCell, ...], ...]
    columns: int
    row_paths: tuple[tuple[str, ...], ...] = ()  # the paths in each row, for messages under it


@dataclass(frozen=True)
class Field:
    path: str
    label: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class DataLayout:
    grids: tuple[Grid, ...]
    info: tuple[Field, ...]
    fees: tuple[Field, ...]
    topics: tuple[tuple[str, str], ...]
    paths: frozenset[str] = field(default_factory=frozenset)  # every path the page may change
    kinds: dict[str, str] = field(default_factory=dict)


_REF = re.compile(r"([A-Z]+)(\d+)")


def _position(ref: str) -> tuple[int, int]:
    match = _REF.fullmatch(ref)
    assert match, ref
    letters, row = match.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(row), col


@cache
def layout() -> DataLayout:
    """Built once per process from the template's layout."""
    from ..data.excel import SHEET_FEES, SHEET_INFO, workbook_layout

    sheets = {s.name: s for s in workbook_layout()}
    grids = []
    kinds: dict[str, str] = {}
    for table_id, sheet_name in TABLE_SHEETS:
        sheet = sheets[sheet_name]
        refs = {c.ref: c.path for c in sheet.cells if c.path}
        by_row: dict[int, list[tuple[int, GridCell]]] = {}
        title = ""
        width = 0
        for c in sheet.cells:
            if c.role == "title":
                title = c.text
                width = c.cols
                continue
            if c.role == "note":
                continue
            row, col = _position(c.ref)
            sums: tuple[str, ...] = ()
            if c.role == "derived":
                sums = tuple(refs[r] for r in re.findall(r"[A-Z]+\d+", c.text) if r in refs)
            cell = GridCell(
                c.role, c.text if c.role in ("header", "label") else "", c.path, c.kind, c.rows, c.cols, sums
            )
            if c.role == "input":
                kinds[c.path] = c.kind
            by_row.setdefault(row, []).append((col, cell))
        rows = tuple(
            tuple(cell for _, cell in sorted(cells, key=lambda x: x[0]))
            for _, cells in sorted(by_row.items())
        )
        row_paths = tuple(tuple(c.path for c in row if c.path) for row in rows)
        grids.append(Grid(table_id, title, rows, width, row_paths))
    info = _fields(sheets[SHEET_INFO], kinds)
    fees = _fields(sheets[SHEET_FEES], kinds)
    topics = tuple(official.FACT_TOPICS)
    paths = frozenset(kinds) | {f"facts.{key}" for key, _ in topics}
    return DataLayout(tuple(grids), info, fees, topics, paths, kinds)


def _fields(sheet: Any, kinds: dict[str, str]) -> tuple[Field, ...]:
    rows: dict[int, dict[str, Any]] = {}
    for c in sheet.cells:
        if c.role in ("title",) or (c.role == "note" and c.ref in ("A2",)):
            continue
        row, _col = _position(c.ref)
        rows.setdefault(row, {})[c.role] = c
    out = []
    for _, cells in sorted(rows.items()):
        if "input" not in cells or "label" not in cells:
            continue
        entry = cells["input"]
        kinds[entry.path] = entry.kind
        note = cells["note"].text if "note" in cells else ""
        out.append(Field(entry.path, cells["label"].text, entry.kind, note))
    return tuple(out)


def value_at(raw: Any, path: str) -> Any:
    """The value the file holds at a dotted path (None when absent)."""
    node = raw
    for key in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def shown(value: Any) -> str:
    """A value as the page's input shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    if isinstance(value, dict | list):
        return ""
    return str(value)
