"""The official layouts of 表二, 表三 and 表四: labels and spans, and for each number cell the data
key it shows — no numbers.

A ``Layout`` is the printed table as rows of placed cells with their row and column spans, exactly
as a Word or HTML table merges them. ``drafting.tables`` fills the number cells from the data for
every writer; the Excel template (``drafting.data.excel``) draws its sheets from the same layouts,
with an input cell where each number stands. The labels themselves come from ``drafting.official``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from . import official

CellKind = Literal["label", "number", "header"]


@dataclass(frozen=True)
class Cell:
    text: str
    kind: CellKind = "label"
    rowspan: int = 1
    colspan: int = 1
    # A number cell of a layout: the data key of the number it shows (``table3.new.natural``).
    path: str = field(default="", compare=False)

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.rowspan > 1:
            d["rowspan"] = self.rowspan
        if self.colspan > 1:
            d["colspan"] = self.colspan
        return d


Row = tuple[Cell, ...]


@dataclass(frozen=True)
class Layout:
    id: str  # table2 / table3 / table4
    part: str  # the official part heading it belongs to
    n_cols: int
    header: tuple[Row, ...]  # rows repeated on every page
    body: tuple[Row, ...]
    label_cols: int = 1  # leading columns that hold labels, not numbers

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


def _h(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, "header", rowspan, colspan)


def _n(path: str, colspan: int = 1) -> Cell:
    return Cell("", "number", colspan=colspan, path=path)


def table2() -> Layout:
    body: list[Row] = []
    for group in official.TABLE2_GROUPS:
        body.append((_h(group.heading, colspan=4),))
        if len(group.columns) == 3:
            body.append((_h(official.TABLE2_INFO_HEADER), *(_h(label) for _, label in group.columns)))
            for key, label in group.rows:
                body.append((Cell(label), *(_n(f"table2.{key}.{k}") for k, _ in group.columns)))
        else:
            body.append((_h(official.TABLE2_INFO_HEADER), _h(group.columns[0][1], colspan=3)))
            for key, label in group.rows:
                body.append((Cell(label), _n(f"table2.{key}", colspan=3)))
    return Layout("table2", official.PARTS[1].heading, 4, (), tuple(body), 1)


TABLE3_KEYS = (*official.TABLE3_COLUMN_KEYS, official.TOTAL_KEY)  # six applicant columns, 总计


def table3() -> Layout:
    header: tuple[Row, ...] = (
        (_h(official.TABLE3_CORNER, rowspan=3, colspan=3), _h(official.TABLE3_APPLICANTS, colspan=7)),
        (
            _h(official.TABLE3_COLUMNS[0][1], rowspan=2),
            _h(official.TABLE3_LEGAL_PERSONS, colspan=5),
            _h(official.TOTAL_LABEL, rowspan=2),
        ),
        tuple(_h(label) for _, label in official.TABLE3_COLUMNS[1:]),
    )
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
        cells.extend(_n(f"table3.{spec.path}.{k}") for k in TABLE3_KEYS)
        body.append(tuple(cells))
    return Layout("table3", official.PARTS[2].heading, 10, header, tuple(body), 3)


TABLE4_KEYS = (*(k for k, _ in official.TABLE4_COLUMNS), official.TOTAL_KEY)  # four outcomes, 总计


def table4() -> Layout:
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
    row = tuple(_n(f"table4.{block}.{k}") for block, _ in official.TABLE4_BLOCKS for k in TABLE4_KEYS)
    return Layout("table4", official.PARTS[3].heading, 15, header, (row,), 0)


LAYOUTS = {"table2": table2, "table3": table3, "table4": table4}
