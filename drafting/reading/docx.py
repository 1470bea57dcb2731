"""Word documents (.docx) → blocks: paragraphs and tables in body order. python-docx is imported
here only, when a .docx is read.

python-docx parses the package; the body is walked here on its XML elements. Two of python-docx's
conveniences cannot be given a file from the internet: ``Paragraph.style`` looks its style up
among all styles on every call (20,000 paragraphs took minutes), and ``_Row.cells`` repeats a cell
once per column it spans — a ``w:gridSpan`` of 100 million made 5 GB — and follows a vertical
merge up through every row above it, failing on a first row that claims to continue one. So
merged cells are expanded here, every span capped to the table's real width (its ``w:tblGrid``),
the whole table to ``limits.MAX_TABLE_CELLS``, and a merge that continues nothing starts a cell.
As before, a horizontally merged cell repeats its text and a vertically merged one the text of the
cell above, both marked as covered.
"""

from __future__ import annotations

import io
from typing import Any

from ..errors import InputError
from ..limits import MAX_SPAN, MAX_TABLE_CELLS, check_package, quiet
from .blocks import Block, Grid, GridCell, Line
from .normalize import clean_line

_HINT = "请确认文件是 .docx 格式；旧版 .doc 文件请先在 Word 或 WPS 中另存为 .docx。"


def docx_blocks(raw: bytes, source: str) -> list[Block]:
    import docx
    from docx.exceptions import PythonDocxError
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml.ns import qn

    check_package(raw, source, "Word 文档")  # sizes and DTDs, before python-docx inflates a byte
    quiet("docx")
    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InputError(
            f"{source}：无法作为 Word 文档（.docx）打开（{type(exc).__name__}）。", hint=_HINT
        ) from None
    except Exception as exc:  # zipfile.BadZipFile and lxml errors: a damaged or foreign file
        raise InputError(
            f"{source}：文件已损坏或不是 Word 文档（{type(exc).__name__}）。", hint=_HINT
        ) from None
    try:
        return _body_blocks(document, source, qn("w:p"), qn("w:tbl"))
    except (ValueError, TypeError, PythonDocxError) as exc:  # an attribute python-docx cannot parse
        raise InputError(f"{source}：Word 文档内容已损坏（{type(exc).__name__}）。", hint=_HINT) from None


def _body_blocks(document: Any, source: str, p_tag: str, tbl_tag: str) -> list[Block]:
    levels = _style_levels(document)
    out: list[Block] = []
    for n, child in enumerate(document.element.body.iterchildren(), 1):
        if child.tag == p_tag:
            level = levels.get(child.style or "", 0)
            for part in (child.text or "").split("\n"):
                out.append(Line(clean_line(part), para=n, heading_level=level))
        elif child.tag == tbl_tag:
            out.append(_grid(child, n, source))
    return out


def _style_levels(document: Any) -> dict[str, int]:
    """Each paragraph style's heading level by its id (Heading 1 → 1, Title → 1), looked up once."""
    levels: dict[str, int] = {}
    for style in document.styles:
        name = (getattr(style, "name", None) or "").lower()
        style_id = getattr(style, "style_id", None)
        if not style_id:
            continue
        if name.startswith("heading") and name[-1:].isdigit():
            levels[style_id] = int(name[-1])
        elif name == "title":
            levels[style_id] = 1
    return levels


def _grid(tbl: Any, para: int, source: str) -> Grid:
    from docx.oxml.ns import qn

    tr_tag, tc_tag, p_tag = qn("w:tr"), qn("w:tc"), qn("w:p")
    trs = list(tbl.iterchildren(tr_tag))
    rows = [list(tr.iterchildren(tc_tag)) for tr in trs]
    columns = len(tbl.tblGrid.gridCol_lst) if tbl.tblGrid is not None else 0
    # The table's real width: its declared grid, or its widest row when the grid is missing or
    # narrower than its rows. No span reaches past it.
    width = min(max(columns, max((len(r) for r in rows), default=0), 1), MAX_SPAN)
    out: list[list[GridCell]] = []
    above: list[tuple[int, str]] = []  # per position of the previous row: its cell's origin and text
    cells = 0
    for r, tcs in enumerate(rows):
        row: list[GridCell] = []
        here: list[tuple[int, str]] = []
        for tc in tcs:
            span = max(1, min(_grid_span(tc), width))
            if cells + len(row) + span > MAX_TABLE_CELLS:
                raise InputError(
                    f"{source}：第{para}段的表格合并单元格展开后超过 {MAX_TABLE_CELLS} 格，远超年度报告的表格，无法读取。",
                    hint="文件可能经过恶意构造或已损坏：请在 Word/WPS 中打开核对后另存，再试。",
                )
            position = len(row)
            if _vmerge(tc) == "continue" and position < len(above):
                origin, text = above[position]  # the cell above continues down into this one
            else:  # a cell of its own, also when a merge claims to continue a row that is not there
                origin = id(tc)
                text = " ".join(t for p in tc.iterchildren(p_tag) if (t := clean_line(p.text or "")))
            for _ in range(span):
                k = len(row)
                covered = (k > 0 and here[-1][0] == origin) or (
                    r > 0 and k < len(above) and above[k][0] == origin
                )
                row.append(GridCell(text, origin=not covered))
                here.append((origin, text))
        cells += len(row)
        out.append(row)
        above = here
    return Grid(out, para)


def _grid_span(tc: Any) -> int:
    try:
        return int(tc.grid_span)
    except (TypeError, ValueError):  # a span that is not a number: python-docx raises on reading it
        return 1


def _vmerge(tc: Any) -> str | None:
    try:
        value = tc.vMerge
    except (TypeError, ValueError):  # an unknown merge value: read as no merge
        return None
    return None if value is None else str(value)
