"""A report as read: title, preamble, headings, paragraphs by part, and the three tables as cells.

One shape for every source (our drafts, page text, Markdown, HTML, Word, PDF), so the checks never ask
where a report came from. Tables hold what the page printed — ``None`` for a blank cell — and the
reader's notes (ambiguous splits, label typos) travel with them.

The reader also says how sure it is of what it located (``Report.located``): the part headings as a
whole and each table, each ``confident``, ``uncertain`` or ``absent`` with the reason in Chinese; and,
cell by cell, the status a table row carries (``tables.Status``: a cell split by guess or not tied to
its row with certainty is not ``ok``). The checks run only on what was read with confidence: read
first, judge second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from .. import official
from ..data.model import ReportData
from ..official import Cell
from .tables import (
    OTHER_HANDLING_2019,
    UNSURE,
    ReadingNotice,
    Row,
    Status,
    Table2Read,
    Table3Read,
    Table4Read,
)

LocatedStatus = Literal["confident", "uncertain", "absent"]
# What the reader locates and says how sure it is of: the six part headings as a whole, each part
# (``part:<id>``), and each table.
LOCATED = ("parts", *(f"part:{p.id}" for p in official.PARTS), "table2", "table3", "table4")


@dataclass(frozen=True)
class Located:
    """How sure the reader is of one thing it looked for: ``confident`` (read, its structure holds),
    ``uncertain`` (something of it is there but could not be read for certain) or ``absent`` (nothing of
    it was met). ``reason`` says why, in Chinese, for the reviewer."""

    status: LocatedStatus
    reason: str = ""

    @property
    def confident(self) -> bool:
        return self.status == "confident"


CONFIDENT = Located("confident")
UNSURE_TEXT: dict[str, str] = {
    "raw": "数字连写，未能拆分",
    "guess": "拆分方式不唯一，为推测值",
    "unconfirmed": "未能确认属于该行",
}

PART_HEADINGS = {p.id: p.heading for p in official.PARTS}


@dataclass
class Paragraph:
    text: str
    part: str | None  # official.Part id; None for the preamble
    index: int  # 1-based, within its part
    line: int | None = None
    para: int | None = None
    section: str | None = None  # a narrative section id, when known
    page: int | None = None  # the PDF page the paragraph starts on

    def where(self) -> str:
        head = PART_HEADINGS[self.part] if self.part else "前言"
        text = f"{head} 第{self.index}段"
        if self.line is not None:
            text += f"（第{self.line}行）"
        elif self.page is not None:
            text += f"（第{self.page}页）"
        return text


@dataclass
class Heading:
    text: str  # as written
    part: str  # the official part it stands for
    kind: str  # official / variant / typo / no_numeral / wrong_numeral
    line: int | None = None
    para: int | None = None
    page: int | None = None  # the PDF page it is on

    def where(self) -> str:
        if self.line is not None:
            return f"第{self.line}行“{self.text}”"
        if self.page is not None:
            return f"第{self.page}页“{self.text}”"
        return f"标题“{self.text}”"


@dataclass
class Report:
    source: str
    kind: str  # draft / txt / md / html / docx / section
    title: str = ""
    preamble: list[Paragraph] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    table2: Table2Read | None = None
    table3: Table3Read | None = None
    table4: Table4Read | None = None
    notes: list[ReadingNotice] = field(default_factory=list)  # what the reader could not settle
    data: ReportData | None = None  # the data a draft was written from
    # How sure the reader is of each thing in ``LOCATED``; what is not listed was not in doubt (our
    # drafts, a section checked on its own, a report built in code).
    located: dict[str, Located] = field(default_factory=dict)

    def certainty(self, what: str) -> Located:
        return self.located.get(what, CONFIDENT)

    def cell_status(self, cell: Cell) -> Status | None:
        """How the reader read one official cell; None when the table or the row was not read."""
        row: Row | None = None
        index = -1
        if cell.table == "table3" and self.table3 is not None:
            row = self.table3.rows.get(cell.row)
            if row is None and cell.row.startswith("other_handling."):
                row = self.table3.rows.get(OTHER_HANDLING_2019)
            keys = [*official.TABLE3_COLUMN_KEYS, official.TOTAL_KEY]
            index = keys.index(cell.column) if cell.column in keys else -1
        elif cell.table == "table4" and self.table4 is not None and self.table4.row is not None:
            blocks = [b for b, _ in official.TABLE4_BLOCKS]
            columns = [*(k for k, _ in official.TABLE4_COLUMNS), official.TOTAL_KEY]
            if cell.row in blocks and cell.column in columns:
                row = self.table4.row
                index = blocks.index(cell.row) * len(columns) + columns.index(cell.column)
        elif cell.table == "table2" and self.table2 is not None:
            row = self.table2.rows.get(cell.row)
            groups = official.TABLE2_2019_GROUPS if self.table2.version == "2019" else official.TABLE2_GROUPS
            group = next((g for g in groups if cell.row in dict(g.rows)), None)
            columns = [k for k, _ in group.columns] if group else []
            index = columns.index(cell.column) if cell.column in columns else (0 if not cell.column else -1)
        if row is None or not 0 <= index < len(row.status):
            return None
        return row.status[index]

    def unsure(self, cell: Cell) -> bool:
        """A cell the reader holds a value for without confidence (split by guess, or not tied to its
        row with certainty)."""
        return self.cell_status(cell) in UNSURE

    @property
    def year(self) -> int | None:
        """The report year as the title states it (else the data's)."""
        m = re.search(r"((?:19|20)\d{2})\s*年", self.title)
        if m:
            return int(m.group(1))
        return self.data.year if self.data else None

    @property
    def agency(self) -> str:
        m = re.search(r"((?:19|20)\d{2})\s*年", self.title)
        if m and m.start() > 0:
            return self.title[: m.start()].strip()
        if m:
            # ``2024年上海市科委政府信息公开工作年度报告``: the agency follows the year.
            after = re.match(r"度?\s*(.+?)(?:关于)?\s*(?:政府信息公开|政务公开)", self.title[m.end() :])
            if after:
                return after.group(1).strip()
        return self.data.agency.name if self.data else ""

    def part_paragraphs(self, part: str) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.part == part]

    def narrative(self) -> list[Paragraph]:
        return [*self.preamble, *self.paragraphs]

    def unsure_cells(self) -> dict[str, dict[str, dict[str, str]]]:
        """The cells read without confidence, by table, row and column as ``cells()`` names them, each
        with what is unsure of it (``import --format cells`` prints this beside the values)."""
        out: dict[str, dict[str, dict[str, str]]] = {}

        def mark(table: str, row: str, column: str, status: Status) -> None:
            if status in UNSURE:
                out.setdefault(table, {}).setdefault(row, {})[column] = UNSURE_TEXT[status]

        if self.table3 is not None:
            columns3 = [label for _, label in official.TABLE3_COLUMNS] + [official.TOTAL_LABEL]
            for spec in official.TABLE3_ROWS:
                row = self.table3.rows.get(spec.path)
                label = spec.cells_label
                if row is None and spec.path.endswith(".overdue_correction"):
                    row = self.table3.rows.get(OTHER_HANDLING_2019)
                    label = official.TABLE3_GROUPS["other_handling"]
                for column, status in zip(columns3, row.status if row else [], strict=False):
                    mark("table3", label, column, status)
        if self.table4 is not None and self.table4.row is not None:
            columns4 = [
                f"{official.table4_block_label(b)}/{label}"
                for b, _ in official.TABLE4_BLOCKS
                for _, label in [*official.TABLE4_COLUMNS, (official.TOTAL_KEY, official.TOTAL_LABEL)]
            ]
            for column, status in zip(columns4, self.table4.row.status, strict=False):
                mark("table4", "表四", column, status)
        if self.table2 is not None:
            groups = official.TABLE2_2019_GROUPS if self.table2.version == "2019" else official.TABLE2_GROUPS
            for group in groups:
                for key, label in group.rows:
                    row2 = self.table2.rows.get(key)
                    for (_, column), status in zip(group.columns, row2.status if row2 else [], strict=False):
                        mark("table2", label, column, status)
        return out

    def cells(self) -> dict[str, Any]:
        """The tables in the shape of ``import --format cells``."""
        return {
            "table2": table2_cells(self.table2),
            "table3": {"rows": table3_cells(self.table3)} if self.table3 and self.table3.rows else None,
            "table4": list(self.table4.row.values) if self.table4 and self.table4.row else None,
        }


def _json_value(value: int | Decimal | None) -> int | float | None:
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)


def table2_cells(t: Table2Read | None) -> dict[str, dict[str, int | float | None]] | None:
    if t is None or not t.rows:
        return None
    groups = official.TABLE2_2019_GROUPS if t.version == "2019" else official.TABLE2_GROUPS
    out: dict[str, dict[str, int | float | None]] = {}
    for group in groups:
        for key, label in group.rows:
            row = t.rows.get(key)
            if row is None:
                continue
            out[label] = {
                column: _json_value(value)
                for (_, column), value in zip(group.columns, row.values, strict=False)
            }
    return out


def table3_cells(t: Table3Read | None) -> dict[str, list[int | None]]:
    if t is None:
        return {}
    out: dict[str, list[int | None]] = {}
    for spec in official.TABLE3_ROWS:
        if spec.path.startswith("other_handling.") and OTHER_HANDLING_2019 in t.rows:
            if spec.path.endswith(".overdue_correction"):
                single = t.rows[OTHER_HANDLING_2019]
                out[official.TABLE3_GROUPS["other_handling"]] = [_int(v) for v in single.values]
            continue
        row = t.rows.get(spec.path)
        if row is not None:
            out[spec.cells_label] = [_int(v) for v in row.values]
    return out


def _int(value: int | Decimal | None) -> int | None:
    return None if value is None else int(value)
