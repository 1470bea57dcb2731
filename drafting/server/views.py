"""What the draft page shows: the draft's sections and tables with an anchor on every paragraph and
table, and the check findings linked to them.

A finding's location is the reader's ``Paragraph.where()`` (``一、总体情况 第4段``): the page links it
by reading the draft the way the checks read it (``reading.from_draft``) and matching the same text,
so the numbering is never worked out a second time here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..document import Draft


@dataclass(frozen=True)
class ViewCell:
    text: str
    header: bool
    number: bool
    rows: int
    cols: int


@dataclass(frozen=True)
class ViewTable:
    id: str
    part: str
    header: list[list[ViewCell]]
    body: list[list[ViewCell]]


def tables(draft: Draft) -> dict[str, ViewTable]:
    out = {}
    for table_id in draft.tables:
        table = draft.table(table_id)

        def cells(rows: Any) -> list[list[ViewCell]]:
            return [
                [ViewCell(c.text, c.kind == "header", c.kind == "number", c.rowspan, c.colspan) for c in row]
                for row in rows
            ]

        out[table_id] = ViewTable(table_id, table.part, cells(table.header), cells(table.body))
    return out


def paragraph_anchors(draft: Draft) -> dict[str, str]:
    """``一、总体情况 第4段`` → ``p-overview-3`` (the fourth line of part 一, titles included)."""
    from ..reading.from_draft import from_draft

    report = from_draft(draft)
    anchors: dict[str, str] = {}
    seen: dict[str, int] = {}
    titles = {s.id: s.title for s in draft.sections}
    for paragraph in report.paragraphs:
        section = paragraph.section or ""
        if titles.get(section) and paragraph.text == titles[section] and section not in seen:
            anchors[paragraph.where()] = f"s-{section}"
            seen[section] = 0
            continue
        index = seen.get(section, 0)
        seen[section] = index + 1
        anchors[paragraph.where()] = f"p-{section}-{index}"
    return anchors


_TABLE_WORDS = (("表二", "t-table2"), ("表三", "t-table3"), ("表四", "t-table4"))


def anchor_for(location: str, anchors: dict[str, str]) -> str:
    if location in anchors:
        return anchors[location]
    for where, anchor in anchors.items():
        if location.startswith(where):
            return anchor
    for word, anchor in _TABLE_WORDS:
        if word in location:
            return anchor
    return ""


def findings(draft: Draft) -> list[dict[str, Any]]:
    """The check library's findings on the draft (as ``drafting check DRAFT``), each with a link."""
    from ..checks import run_checks

    anchors = paragraph_anchors(draft)
    out = []
    for f in run_checks(draft):
        cells = getattr(f, "cells", None)  # structured cell ids, where the check library gives them
        anchor = anchor_for(f.location, anchors)
        out.append(
            {
                "rule": f.rule,
                "severity": f.severity,
                "error": f.is_error,
                "message": f.message,
                "location": f.location,
                "anchor": anchor,
                "cells": cells if isinstance(cells, list | tuple) else [],
            }
        )
    return out
