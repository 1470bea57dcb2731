"""The three numeric tables, built from the data as a layout every writer renders.

A ``Table`` is the official layout as data: rows of placed cells with their row and column spans,
exactly as a Word or HTML table merges them. Writers never compute a number or spell a label; they
only render cells. No model ever writes a table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from . import official
from .data.model import ApplicantRow, ReportData, Table2, Table3, Table4
from .data.rules import results_total

CellKind = Literal["label", "number", "header"]


@dataclass(frozen=True)
class Cell:
    text: str
    kind: CellKind = "label"
    rowspan: int = 1
    colspan: int = 1

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.rowspan > 1:
            d["rowspan"] = self.rowspan
        if self.colspan > 1:
            d["colspan"] = self.colspan
        return d


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    id: str  # table2 / table3 / table4
    part: str  # the official part heading it belongs to
    n_cols: int
    header: tuple[Row, ...]  # rows repeated on every page
    body: tuple[Row, ...]
    label_cols: int = 1  # leading columns that hold labels, not numbers
    values: dict[str, Any] = field(default_factory=dict, compare=False)  # the numbers, by key

    def grid(self, rows: tuple[Row, ...] | None = None) -> list[list[Cell | None]]:
        """Rows with spans expanded: each position holds its cell where the cell starts, else None."""
        rows = self.header + self.body if rows is None else rows
        grid: list[list[Cell | None]] = []
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            line: list[Cell | None] = []
            c = 0
            cells = iter(row)
            while c < self.n_cols:
                if (r, c) in taken:
                    line.append(None)
                    c += 1
                    continue
                cell = next(cells, None)
                if cell is None:
                    raise ValueError(f"{self.id} row {r} is short of cells")
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                line.append(cell)
                line.extend([None] * (cell.colspan - 1))
                c += cell.colspan
            grid.append(line)
        return grid

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


def format_number(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def _n(value: int | Decimal) -> Cell:
    return Cell(format_number(value), "number")


def _h(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, "header", rowspan, colspan)


# --- 表二 ------------------------------------------------------------------------------------


def table2(t: Table2) -> Table:
    part = official.PARTS[1].heading
    body: list[Row] = []
    for group in official.TABLE2_GROUPS:
        body.append((_h(group.heading, colspan=4),))
        if len(group.columns) == 3:
            body.append((_h(official.TABLE2_INFO_HEADER), *(_h(label) for _, label in group.columns)))
            for key, label in group.rows:
                counts = getattr(t, key)
                body.append((Cell(label), *(_n(getattr(counts, k)) for k, _ in group.columns)))
        else:
            body.append((_h(official.TABLE2_INFO_HEADER), _h(group.columns[0][1], colspan=3)))
            for key, label in group.rows:
                body.append((Cell(label), Cell(format_number(getattr(t, key)), "number", colspan=3)))
    values = t.model_dump(mode="json")
    return Table("table2", part, 4, (), tuple(body), 1, values)


# --- 表三 ------------------------------------------------------------------------------------


def applicant_values(row: ApplicantRow) -> list[int]:
    """The seven numbers of a row: six applicant columns and 总计."""
    return [*row.values(), row.sum]


def table3_rows(t: Table3) -> dict[str, list[int]]:
    """Every one of the 25 rows as seven numbers, （七）总计 included (stated or derived)."""
    out = {}
    for spec in official.TABLE3_ROWS:
        if spec.path == "results_total":
            keys = (*official.TABLE3_COLUMN_KEYS, official.TOTAL_KEY)
            out[spec.path] = [results_total(t, k) for k in keys]
        else:
            row = t.row(spec.path)
            assert row is not None
            out[spec.path] = applicant_values(row)
    return out


def table3(t: Table3) -> Table:
    part = official.PARTS[2].heading
    header: tuple[Row, ...] = (
        (_h(official.TABLE3_CORNER, rowspan=3, colspan=3), _h(official.TABLE3_APPLICANTS, colspan=7)),
        (
            _h(official.TABLE3_COLUMNS[0][1], rowspan=2),
            _h(official.TABLE3_LEGAL_PERSONS, colspan=5),
            _h(official.TOTAL_LABEL, rowspan=2),
        ),
        tuple(_h(label) for _, label in official.TABLE3_COLUMNS[1:]),
    )
    numbers = table3_rows(t)
    results = [r for r in official.TABLE3_ROWS if r.in_results]
    body: list[Row] = []
    seen_groups: set[str] = set()
    for spec in official.TABLE3_ROWS:
        cells: list[Cell] = []
        if spec.in_results and spec is results[0]:
            cells.append(Cell(official.TABLE3_RESULTS_HEADING, rowspan=len(results)))
        if not spec.in_results:
            cells.append(Cell(spec.label, colspan=3))
        elif not spec.group:
            cells.append(Cell(spec.label, colspan=2))
        else:
            if spec.group not in seen_groups:
                seen_groups.add(spec.group)
                size = sum(1 for r in official.TABLE3_ROWS if r.group == spec.group)
                cells.append(Cell(spec.group, rowspan=size))
            cells.append(Cell(spec.label))
        cells.extend(_n(v) for v in numbers[spec.path])
        body.append(tuple(cells))
    values = {spec.cells_label: numbers[spec.path] for spec in official.TABLE3_ROWS}
    return Table("table3", part, 10, header, tuple(body), 3, values)


# --- 表四 ------------------------------------------------------------------------------------


def table4_values(t: Table4) -> list[int]:
    """The 15 numbers: 行政复议, 未经复议直接起诉, 复议后起诉, each four outcomes and 总计."""
    out = []
    for block, _ in official.TABLE4_BLOCKS:
        o = getattr(t, block)
        out += [o.upheld, o.corrected, o.other, o.pending, o.sum]
    return out


def table4(t: Table4) -> Table:
    part = official.PARTS[3].heading
    outcome_labels = [label for _, label in official.TABLE4_COLUMNS] + [official.TOTAL_LABEL]
    header: tuple[Row, ...] = (
        (_h(official.TABLE4_REVIEW, colspan=5), _h(official.TABLE4_LITIGATION, colspan=10)),
        (
            *(_h(label, rowspan=2) for label in outcome_labels),
            _h(official.TABLE4_BLOCKS[1][1], colspan=5),
            _h(official.TABLE4_BLOCKS[2][1], colspan=5),
        ),
        tuple(_h(label) for label in outcome_labels * 2),
    )
    values = table4_values(t)
    return Table("table4", part, 15, header, (tuple(_n(v) for v in values),), 0, {"row": values})


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
