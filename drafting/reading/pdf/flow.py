"""A PDF's pages → blocks in reading order: page furniture dropped, wrapped lines joined into
paragraphs, tables in place.

- **Page furniture**: page numbers (``-1-``, ``— 1 —``, ``第1页``, ``第1页 共5页``, ``1/5``) in the top or
  bottom band of a page, and any line in those bands that repeats on most pages (running headers
  and footers, digits aside).
- **Paragraphs**: a line that ends short of the right margin ends a paragraph; an indented line,
  a heading pattern (``一、``, ``（一）``, the part headings) or a wider gap starts one; a paragraph
  runs on across a page break. A title may wrap over centred lines. Type size is not asked: the same
  size reads differently from one font to another (digits, bold run-in heads).
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Final

from ..blocks import Block, Line
from ..headings import match_heading
from ..normalize import clean_line
from .ruling import Table
from .text import TextLine

BAND: Final = 0.1  # the top and bottom tenth of a page hold its running header, footer, number

_PAGE_NUMBER: Final = re.compile(
    r"^(?:[-—–－_~·\s]*\d{1,3}[-—–－_~·\s]*|第\s*\d{1,3}\s*页(?:\s*[,，/／]?\s*共\s*\d{1,3}\s*页)?"
    r"|共\s*\d{1,3}\s*页\s*[,，]?\s*第\s*\d{1,3}\s*页|\d{1,3}\s*[/／]\s*\d{1,3}"
    r"|(?:page|Page|PAGE)\s*\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?)$"
)
_ORDINAL_START: Final = re.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)"
)


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[TextLine]
    tables: list[Table]


def page_number_like(text: str) -> bool:
    """``-1-``, ``— 1 —``, ``第1页``, ``第1页 共5页``, ``1/5``, a bare number: how pages are numbered."""
    return bool(_PAGE_NUMBER.match(text.replace("\t", " ").strip()))


def _in_band(line: TextLine, page: Page) -> bool:
    return line.bottom <= page.height * BAND or line.top >= page.height * (1 - BAND)


def _shape(line: TextLine) -> str:
    return re.sub(r"\d+", "#", line.text.replace(" ", ""))


def drop_furniture(pages: list[Page]) -> None:
    """Page numbers in a page's top or bottom band, and band lines repeated on most pages."""
    repeated = Counter(_shape(line) for page in pages for line in page.lines if _in_band(line, page))
    enough = max(2, (len(pages) + 1) // 2)
    for page in pages:
        page.lines = [
            line
            for line in page.lines
            if not (
                _in_band(line, page)
                and (page_number_like(line.text) or (len(pages) > 1 and repeated[_shape(line)] >= enough))
            )
        ]


@dataclass
class _Layout:
    left: float  # where full lines start
    right: float  # where full lines end (justified text ends every full line at one place)
    size: float  # the body's type size
    gap: float  # the usual space between two lines of one paragraph


def _layout(lines: list[TextLine]) -> _Layout:
    body = [ln for ln in lines if "\t" not in ln.text] or lines
    size = statistics.median(ln.size for ln in body) if body else 12.0
    lefts = Counter(round(ln.x0) for ln in body)
    left = float(min(lefts, key=lambda x: (-lefts[x], x))) if lefts else 0.0
    ends = sorted(ln.x1 for ln in body)
    right = ends[int(len(ends) * 0.9)] if ends else 0.0
    gaps = [
        b.top - a.bottom
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and 0 <= b.top - a.bottom < 3 * size
    ]
    gap = statistics.median(gaps) if gaps else size / 2
    return _Layout(left, right, size, gap)


def _starts_paragraph(line: TextLine) -> bool:
    text = line.text.strip()
    return bool(_ORDINAL_START.match(text)) or match_heading(text) is not None


def _centred(line: TextLine, layout: _Layout) -> bool:
    """A line set in the middle of the text column, clear of both margins (a title's lines)."""
    middle = (layout.left + layout.right) / 2
    return (
        line.x0 > layout.left + 2 * layout.size
        and line.x1 < layout.right - 2 * layout.size
        and abs((line.x0 + line.x1) / 2 - middle) < layout.size
    )


def _continues(a: TextLine, b: TextLine, layout: _Layout) -> bool:
    """Whether line ``b`` carries on the paragraph that line ``a`` belongs to."""
    if "\t" in a.text or "\t" in b.text or _starts_paragraph(b):
        return False
    if _centred(a, layout) or _centred(b, layout):
        return _centred(a, layout) and _centred(b, layout) and not a.text.rstrip().endswith("。")
    if a.x1 < layout.right - 1.5 * layout.size:
        return False
    if b.x0 > layout.left + layout.size and abs(b.x0 - a.x0) > layout.size / 2:
        return False
    return not (a.page == b.page and b.top - a.bottom > layout.gap + 0.6 * layout.size)


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return a + " " + b
    return a + b


def blocks(pages: list[Page]) -> list[Block]:
    flow: list[TextLine | Table] = []
    for page in pages:
        items: list[TextLine | Table] = [*page.lines, *page.tables]
        flow += sorted(items, key=lambda it: (it.top, it.x0))
    layout = _layout([it for it in flow if isinstance(it, TextLine)])
    out: list[Block] = []
    paragraph: list[TextLine] = []

    def flush() -> None:
        if paragraph:
            text = ""
            for line in paragraph:
                text = _join(text, line.text.strip())
            out.append(Line(clean_line(text), page=paragraph[0].page))
            paragraph.clear()

    for item in flow:
        if isinstance(item, Table):
            flush()
            out.append(item.grid())
        elif paragraph and _continues(paragraph[-1], item, layout):
            paragraph.append(item)
        else:
            flush()
            paragraph.append(item)
    flush()
    for n, block in enumerate(out, 1):
        block.para = n
    return out
