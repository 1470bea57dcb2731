"""The three numeric tables, built from the data as a layout every writer renders.

A ``Table`` is an official layout (``drafting.layout``: labels and spans, as a Word or HTML table
merges them) with its number cells filled from the data. Writers never compute a number or spell a
label; they only render cells. No model ever writes a table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from . import layout, official
from .data.model import ApplicantRow, ReportData, Table2, Table3, Table4
from .data.rules import results_total
from .layout import Cell, CellKind, Layout, Row

__all__ = ["Cell", "CellKind", "Row", "Table", "build_tables", "format_number"]


@dataclass(frozen=True)
class Table(Layout):
    values: dict[str, Any] = field(default_factory=dict, compare=False)  # the numbers, by key

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "part": self.part,
            "n_cols": self.n_cols,
            "label_cols": self.label_cols,
            "header": [[c.as_dict() for c in row] for row in self.header],
            "body": [[c.as_dict() for c in row] for row in self.body],
            "values": self.values,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Table:
        def rows(key: str) -> tuple[Row, ...]:
            return tuple(tuple(Cell(**c) for c in row) for row in d[key])

        return cls(
            d["id"],
            d["part"],
            d["n_cols"],
            rows("header"),
            rows("body"),
            d.get("label_cols", 1),
            d.get("values", {}),
        )


def filled(shape: Layout, number: Callable[[str], int | Decimal], values: dict[str, Any]) -> Table:
    """``shape`` with each number cell showing ``number(its data key)``."""

    def fill(row: Row) -> Row:
        return tuple(
            Cell(format_number(number(c.path)), "number", c.rowspan, c.colspan) if c.kind == "number" else c
            for c in row
        )

    header = tuple(fill(r) for r in shape.header)
    body = tuple(fill(r) for r in shape.body)
    return Table(shape.id, shape.part, shape.n_cols, header, body, shape.label_cols, values)


def format_number(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return str(value)


# --- 表二 ------------------------------------------------------------------------------------


def table2(t: Table2) -> Table:
    def number(path: str) -> int | Decimal:
        _, key, *column = path.split(".")
        value: int | Decimal = getattr(getattr(t, key), column[0]) if column else getattr(t, key)
        return value

    return filled(layout.table2(), number, t.model_dump(mode="json"))


# --- 表三 ------------------------------------------------------------------------------------


def applicant_values(row: ApplicantRow) -> list[int]:
    """The seven numbers of a row: six applicant columns and 总计."""
    return [*row.values(), row.sum]


def table3_rows(t: Table3) -> dict[str, list[int]]:
    """Every one of the 25 rows as seven numbers, （七）总计 included (stated or derived)."""
    out = {}
    for spec in official.TABLE3_ROWS:
        if spec.path == "results_total":
            out[spec.path] = [results_total(t, k) for k in layout.TABLE3_KEYS]
        else:
            row = t.row(spec.path)
            assert row is not None
            out[spec.path] = applicant_values(row)
    return out


def table3(t: Table3) -> Table:
    numbers = table3_rows(t)

    def number(path: str) -> int:
        row, column = path.removeprefix("table3.").rsplit(".", 1)  # the row key may hold dots
        return numbers[row][layout.TABLE3_KEYS.index(column)]

    values = {spec.cells_label: numbers[spec.path] for spec in official.TABLE3_ROWS}
    return filled(layout.table3(), number, values)


# --- 表四 ------------------------------------------------------------------------------------


def table4_values(t: Table4) -> list[int]:
    """The 15 numbers: 行政复议, 未经复议直接起诉, 复议后起诉, each four outcomes and 总计."""
    out = []
    for block, _ in official.TABLE4_BLOCKS:
        o = getattr(t, block)
        out += [o.upheld, o.corrected, o.other, o.pending, o.sum]
    return out


def table4(t: Table4) -> Table:
    def number(path: str) -> int:
        _, block, column = path.split(".")
        outcome = getattr(t, block)
        value: int = outcome.sum if column == official.TOTAL_KEY else getattr(outcome, column)
        return value

    return filled(layout.table4(), number, {"row": table4_values(t)})


def build_tables(data: ReportData) -> dict[str, Table]:
    return {"table2": table2(data.table2), "table3": table3(data.table3), "table4": table4(data.table4)}


# --- plain-text and Markdown renderings ------------------------------------------------------


def render_text(table: Table) -> str:
    """Tab-separated rows, as tables appear in published page text: a merged cell's text stands in
    its first position and the positions it covers stay empty."""
    lines = []
    for row in table.grid():
        lines.append("\t".join(c.text if c else "" for c in row).rstrip("\t"))
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _flatten(table: Table) -> Iterator[list[str]]:
    """Each body row as one label (group labels joined) followed by its number cells."""
    spans: dict[int, tuple[str, int]] = {}  # label column → (rowspan label, last row it covers)
    grid = table.grid(table.body)
    for r, row in enumerate(grid):
        labels: list[str] = []
        numbers: list[str] = []
        for c, cell in enumerate(row):
            if cell is None:
                if c < table.label_cols and c in spans and r <= spans[c][1]:
                    labels.append(spans[c][0])
                continue
            if cell.kind == "number":
                numbers.append(cell.text)
                numbers.extend([""] * (cell.colspan - 1))
            else:
                labels.append(cell.text)
                if cell.rowspan > 1:
                    spans[c] = (cell.text, r + cell.rowspan - 1)
        if table.label_cols == 0:
            yield numbers
        else:
            yield [" ".join(dict.fromkeys(labels)), *numbers]


def render_markdown(table: Table) -> str:
    """Pipe tables for review. Markdown cannot merge cells, so group labels are repeated; a band
    of header cells inside the body (表二's 第二十条 groups) starts a new small table."""
    if table.header:
        return _pipe_table(_column_titles(table), list(_flatten(table)))
    blocks: list[str] = []
    head: list[str] = []
    rows: list[list[str]] = []
    for row, flat in zip(table.body, _flatten(table), strict=True):
        if all(c.kind == "header" for c in row):
            if rows:
                blocks.append(_pipe_table(head, rows))
                head, rows = [], []
            if len(row) == 1:
                blocks.append(f"**{row[0].text}**")
            else:
                head = [c.text for c in row]
        else:
            rows.append([v for v in flat if v != ""] or flat)
    if rows:
        blocks.append(_pipe_table(head, rows))
    return "\n\n".join(blocks)


def _pipe_table(head: list[str], rows: list[list[str]]) -> str:
    width = max(len(head), *(len(r) for r in rows))
    head = head + [""] * (width - len(head))
    lines = ["| " + " | ".join(_md_escape(h) for h in head) + " |", "|" + "---|" * width]
    for row in rows:
        row = row + [""] * (width - len(row))
        lines.append("| " + " | ".join(_md_escape(v) for v in row) + " |")
    return "\n".join(lines)


def _column_titles(table: Table) -> list[str]:
    if not table.header:
        return []
    grid = table.grid(table.header)
    titles: list[list[str]] = [[] for _ in range(table.n_cols)]
    for row in grid:
        for c, cell in enumerate(row):
            if cell is None:
                continue
            for dc in range(cell.colspan):
                titles[c + dc].append(cell.text)
    data_cols = table.n_cols - table.label_cols
    # A title spanning every data column (申请人情况) says nothing about a single column.
    wide = {c.text for row in table.header for c in row if c.colspan >= data_cols}
    out = ["/".join(x for x in dict.fromkeys(t) if x not in wide) for t in titles]
    if table.label_cols:
        return ["项目", *out[table.label_cols :]]
    return out
