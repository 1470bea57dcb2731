"""What a paragraph holds besides plain text, for the writers that can show it: a run-in heading
(“（一）主动公开。” opening a paragraph of 一、总体情况) and the drafter's 【待补充：…】 gaps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..offline import MARKER_CLOSE, MARKER_OPEN
from ..tables import Cell, Table

SegmentKind = Literal["text", "run_in", "marker"]

# A 二级 heading written into its paragraph, ending at its first full stop.
_RUN_IN = re.compile(r"（[一二三四五六七八九十]+）[^。；（）]{1,24}。")
_MARKER = re.compile(f"{re.escape(MARKER_OPEN)}[^{re.escape(MARKER_CLOSE)}]*{re.escape(MARKER_CLOSE)}")


@dataclass(frozen=True)
class Segment:
    kind: SegmentKind
    text: str


def segments(paragraph: str) -> list[Segment]:
    """The paragraph cut into plain text, its run-in heading (at the start only) and its gaps."""
    out: list[Segment] = []
    lead = _RUN_IN.match(paragraph)
    if lead:
        out.append(Segment("run_in", lead.group()))
        paragraph = paragraph[lead.end() :]
    pos = 0
    for marker in _MARKER.finditer(paragraph):
        if marker.start() > pos:
            out.append(Segment("text", paragraph[pos : marker.start()]))
        out.append(Segment("marker", marker.group()))
        pos = marker.end()
    if pos < len(paragraph):
        out.append(Segment("text", paragraph[pos:]))
    return out


def title_lines(title: str, agency: str, chars_per_line: int) -> list[str]:
    """The title as printed: when it needs more than one line, it breaks after the agency's name,
    the balanced two-line title of 公文 and of published reports."""
    if len(title) > chars_per_line and agency and title.startswith(agency) and title != agency:
        return [agency, title[len(agency) :]]
    return [title]


def reads_left(cell: Cell, column: int, table: Table) -> bool:
    """Whether a table cell is set flush left: the row labels of 表三 that reach its last label
    column (its long item names). Headers, numbers, group labels that span rows and the short labels
    of 表二 are centred."""
    if cell.kind != "label" or cell.rowspan > 1 or table.label_cols < 2:
        return False
    return column + cell.colspan == table.label_cols
