"""Word documents (.docx) → blocks: paragraphs and tables in body order. python-docx expands
merged cells (a horizontally merged cell repeats; a vertically merged one repeats the cell above),
so repeats are marked as covered. python-docx is imported here only, when a .docx is read."""

from __future__ import annotations

import io
from typing import Any

from ..errors import InputError
from .blocks import Block, Grid, GridCell, Line
from .normalize import clean_line


def docx_blocks(raw: bytes, source: str) -> list[Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"{source}：无法作为 Word 文档（.docx）打开（{type(exc).__name__}）。",
            hint="请确认文件是 .docx 格式；旧版 .doc 文件请先在 Word 或 WPS 中另存为 .docx。",
        ) from None
    except Exception as exc:  # zipfile.BadZipFile and lxml errors: a damaged or foreign file
        raise InputError(
            f"{source}：文件已损坏或不是 Word 文档（{type(exc).__name__}）。",
            hint="请确认文件是 .docx 格式；旧版 .doc 文件请先在 Word 或 WPS 中另存为 .docx。",
        ) from None
    out: list[Block] = []
    body = document.element.body
    for n, child in enumerate(body.iterchildren(), 1):
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(child, document)
            for part in paragraph.text.split("\n"):
                text = clean_line(part)
                out.append(Line(text, para=n, heading_level=_level(paragraph)))
        elif tag == "tbl":
            out.append(_grid(Table(child, document), n))
    return out


def _level(paragraph: Any) -> int:
    name = (paragraph.style.name or "") if paragraph.style is not None else ""
    if name.lower().startswith("heading") and name[-1:].isdigit():
        return int(name[-1])
    if name.lower() == "title":
        return 1
    return 0


def _grid(table: Any, para: int) -> Grid:
    rows: list[list[GridCell]] = []
    above: list[Any] = []
    for r, row in enumerate(table.rows):
        cells = list(row.cells)
        out_row = []
        for c, cell in enumerate(cells):
            covered = (c > 0 and cells[c - 1]._tc is cell._tc) or (
                r > 0 and c < len(above) and above[c]._tc is cell._tc
            )
            text = " ".join(clean_line(p.text) for p in cell.paragraphs if clean_line(p.text))
            out_row.append(GridCell(text, origin=not covered))
        rows.append(out_row)
        above = cells
    return Grid(rows, para)
