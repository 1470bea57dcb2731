"""Table text as a stream of cells, whatever the layout (FORMAT.md §9).

Tab-separated rows, pipe rows, one cell per line between ``|`` lines, one cell per paragraph, grids
from HTML or Word, and digits run together all become the same sequence of items: text, numbers,
explicit blanks, ``/`` (not applicable), and breaks. Tables are then read from the stream by their
row labels, so a layout never needs a reader of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..chars import ascii_digits
from .blocks import Block, Grid, Line

ItemKind = Literal["text", "num", "blank", "na", "nl", "end"]


@dataclass
class Item:
    kind: ItemKind
    text: str = ""
    glued: bool = False  # a number written directly before text (``70000072.没有…``)
    line: int | None = None
    para: int | None = None
    page: int | None = None  # the PDF page the cell is on


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_TOKEN = re.compile(
    r"(?P<num>(?:(?<=\s)|^)[-－]\d+(?:\.\d+)?|\d+(?:\.\d+)?)|(?P<space>\s+)|(?P<text>[^\d\s]+)"
)
_NOT_APPLICABLE = {"/", "／", "—", "-", "－", "——", "--", "\\", "无"}
# The column names a conversion gives a table it could not name (``| 列1 | 列2 |``, ``Column3``,
# ``Unnamed: 4``): header text, never numbers.
_GENERIC_COLUMN = re.compile(
    r"^(?:列|第\s*\d+\s*列|字段|栏|column|col|field|unnamed:?)\s*\d*$", re.IGNORECASE
)
# The column names a conversion gives a table it could not name (``| 列1 | 列2 |``, ``Column3``,
# ``Unnamed: 4``): header text, never numbers.
_GENERIC_COLUMN = re.compile(
    r"^(?:列|第\s*\d+\s*列|字段|栏|column|col|field|unnamed:?)\s*\d*$", re.IGNORECASE
)


def cell_items(text: str, line: int | None = None, para: int | None = None) -> list[Item]:
    """One cell's text → items. Spaces split numbers; text runs around spaces join (``商业 企业``)."""
    text = _THOUSANDS.sub("", ascii_digits(text)).strip()
    if not text:
        return [Item("blank", line=line, para=para)]
    if text in _NOT_APPLICABLE:
        return [Item("na", text, line=line, para=para)]
    if _GENERIC_COLUMN.match(text):
        return [Item("text", text, line=line, para=para)]
    if _GENERIC_COLUMN.match(text):
        return [Item("text", text, line=line, para=para)]
    out: list[Item] = []
    pending_space = False
    for m in _TOKEN.finditer(text):
        if m.group("space"):
            pending_space = True
            continue
        if m.group("num"):
            out.append(Item("num", m.group("num").replace("－", "-"), line=line, para=para))
        else:
            chunk = m.group("text")
            if out and out[-1].kind == "text":
                out[-1].text += chunk
            else:
                if out and out[-1].kind == "num" and not pending_space:
                    out[-1].glued = True
                out.append(Item("text", chunk, line=line, para=para))
        pending_space = False
    return out


def _row(cells: list[str], line: int | None, para: int | None) -> list[Item]:
    out: list[Item] = []
    for text in cells:
        out += cell_items(text, line, para)
    # Empty cells before a row's label are the columns its merged group label covers, never data.
    first_text = next((n for n, i in enumerate(out) if i.kind == "text"), None)
    if first_text is not None:
        out = [i for n, i in enumerate(out) if n >= first_text or i.kind != "blank"]
    out.append(Item("nl", line=line, para=para))
    return out


def block_items(block: Block) -> list[Item]:
    """The items of one block; bare ``|`` lines are handled by ``stream`` (they need neighbours)."""
    items = _block_items(block)
    if block.page is not None:
        for item in items:
            item.page = block.page
    return items


def _block_items(block: Block) -> list[Item]:
    if isinstance(block, Grid):
        items: list[Item] = []
        for row in block.origin_rows():
            items += _row(row, None, block.para)
        return items
    text = block.text
    if "\t" in text:
        return _row(text.split("\t"), block.line, block.para)
    stripped = text.strip()
    if "|" in stripped and stripped != "|":
        if stripped.startswith("|"):
            stripped = stripped[1:]
        if stripped.endswith("|") and not stripped.endswith("\\|"):
            stripped = stripped[:-1]
        return _row([c.strip() for c in re.split(r"(?<!\\)\|", stripped)], block.line, block.para)
    if not stripped:
        return [Item("nl", line=block.line, para=block.para)]
    return [*cell_items(stripped, block.line, block.para), Item("nl", line=block.line, para=block.para)]


def stream(blocks: Sequence[Block | str | None]) -> list[Item]:
    """All table blocks as one stream; ``None`` marks a boundary (a paragraph of prose) that ends any
    row being read, a part id the heading of that part (an ``end`` item whose text is the part: a
    table printed with no header words of its own is known by the part it stands in). Two ``|``
    lines with nothing between them are a blank cell."""
    out: list[Item] = []
    last_bar = False
    for block in blocks:
        if block is None or isinstance(block, str):
            out.append(Item("end", block or ""))
            last_bar = False
            continue
        if isinstance(block, Line) and block.text.strip() == "|":
            if last_bar:
                out.append(Item("blank", line=block.line, para=block.para))
            last_bar = True
            continue
        items = block_items(block)
        if any(i.kind not in ("nl",) for i in items):
            last_bar = False
        out += items
    return out
