"""One self-contained HTML page for the government portal.

Tables carry the official layout exactly (``rowspan``/``colspan`` as ``Table`` gives them), header
rows in ``thead``, and ``th scope`` so screen readers announce each number with its row and column.
Styles are inline (no external assets), with a print stylesheet that sets the page like the Word
file. Rendered by jinja2 with autoescaping on: the data and the narrative are text, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import __version__
from ..document import Draft
from ..tables import Cell, Row, Table
from .blocks import blocks
from .inline import Segment, reads_left, segments, title_lines

TITLE_CHARS_PER_LINE = 20  # as on the printed page: 二号 in the 156 mm type area


@dataclass(frozen=True)
class HtmlCell:
    tag: str  # th | td
    text: str
    scope: str = ""
    css: str = ""
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class HtmlSection:
    tag: str  # thead | tbody
    rows: list[list[HtmlCell]]


@dataclass(frozen=True)
class HtmlBlock:
    kind: str
    text: str = ""
    id: str = ""
    segments: tuple[Segment, ...] = ()
    table: Table | None = None
    sections: tuple[HtmlSection, ...] = ()
    labelled_by: str = ""


def render(draft: Draft) -> str:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("drafting.writers", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    context: dict[str, Any] = {
        "title": draft.title,
        "title_lines": title_lines(draft.title, draft.agency, TITLE_CHARS_PER_LINE),
        "agency": draft.agency,
        "version": __version__,
        "blocks": list(_blocks(draft)),
    }
    return env.get_template("report.html.j2").render(context)


def _blocks(draft: Draft) -> list[HtmlBlock]:
    out: list[HtmlBlock] = []
    heading_id = ""
    headings = 0
    for block in blocks(draft):
        if block.table is not None:
            sections = tuple(table_sections(block.table))
            out.append(HtmlBlock("table", table=block.table, sections=sections, labelled_by=heading_id))
        elif block.kind == "heading":
            headings += 1
            heading_id = f"part-{headings}"
            out.append(HtmlBlock("heading", block.text, id=heading_id))
        elif block.kind == "subheading":
            out.append(HtmlBlock("subheading", block.text))
        elif block.kind == "signature":
            out.append(HtmlBlock("signature", block.text))
        else:
            out.append(HtmlBlock("paragraph", segments=tuple(segments(block.text))))
    return out


def table_sections(table: Table) -> list[HtmlSection]:
    """``thead`` for the header rows, then the body. A table without header rows (表二) is cut into
    one ``tbody`` per band row (第二十条第（一）项 …), the groups its layout already has."""
    sections: list[HtmlSection] = []
    if table.header:
        head = table.grid(table.header)
        rows = [[_cell(c, i, table, head=True) for i, c in enumerate(line) if c] for line in head]
        sections.append(HtmlSection("thead", rows))
    body: list[list[HtmlCell]] = []
    for row, line in zip(table.body, table.grid(table.body), strict=True):
        if body and _is_band(row, table):
            sections.append(HtmlSection("tbody", body))
            body = []
        body.append([_cell(c, i, table, head=False) for i, c in enumerate(line) if c])
    if body:
        sections.append(HtmlSection("tbody", body))
    return sections


def _is_band(row: Row, table: Table) -> bool:
    return len(row) == 1 and row[0].kind == "header" and row[0].colspan == table.n_cols


def _cell(cell: Cell, column: int, table: Table, *, head: bool) -> HtmlCell:
    rs, cs = cell.rowspan, cell.colspan
    if cell.kind == "number":
        return HtmlCell("td", cell.text, rowspan=rs, colspan=cs)
    if head or cell.kind == "header":
        return HtmlCell("th", cell.text, "colgroup" if cs > 1 else "col", rowspan=rs, colspan=cs)
    # A row label names the numbers to its right, over every row it spans.
    css = "row" if reads_left(cell, column, table) else "group"
    return HtmlCell("th", cell.text, "row", css, rowspan=rs, colspan=cs)
