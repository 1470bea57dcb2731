"""A report's content as an ordered list of blocks: lines of text and table grids.

Every source format becomes this one shape, so one assembler finds the title, headings, paragraphs
and tables whatever the file was: page text (.txt), Markdown, HTML (tables as grids with their
spans expanded), Word (.docx, merged cells expanded by python-docx) and PDF (paragraphs joined from
the page's lines, tables from its ruled cells).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from ..limits import MAX_SPAN, MAX_TABLE_CELLS
from .normalize import clean_line
from .plain import run_on, segment


@dataclass
class Line:
    text: str
    line: int | None = None  # 1-based line in the source text, when it has lines
    para: int | None = None  # 1-based paragraph number (HTML, Word)
    heading_level: int = 0  # a Markdown ``#`` level or an HTML ``h1``…``h6``
    page: int | None = None  # 1-based page of a PDF


@dataclass
class GridCell:
    text: str
    origin: bool = True  # False where a merged cell covers this position


@dataclass
class Grid:
    rows: list[list[GridCell]] = field(default_factory=list)
    para: int | None = None
    page: int | None = None  # 1-based page of a PDF where the table starts

    def origin_rows(self) -> list[list[str]]:
        return [[c.text for c in row if c.origin] for row in self.rows]


Block = Line | Grid

_MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*$")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def text_blocks(text: str, markdown: bool = False, skip: int = 0) -> list[Block]:
    """Page text or Markdown: one line per block (blank lines kept: they separate cells in some
    layouts), after the first ``skip`` lines (a crawler's header). Markdown headings lose their
    ``#`` and emphasis its ``**``; rules between table header and body are dropped. A line that
    holds a whole report (its line breaks were lost) is cut where its lines were."""
    out: list[Block] = []
    for n, raw in enumerate(text.splitlines(), 1):
        if n <= skip:
            continue
        line = raw.rstrip("\r\n")
        if "|" not in line and "\t" not in line and run_on(line):
            out += [Line(clean_line(piece), n) for piece in segment(line)]
            continue
        level = 0
        if markdown:
            stripped = line.strip()
            if _MD_RULE.match(stripped) and "-" in stripped:
                continue
            m = _MD_HEADING.match(stripped)
            if m:
                level, line = len(m.group(1)), m.group(2)
            line = _md_unescape(_MD_EMPHASIS.sub(r"\2", line))
        if "\t" not in line and "|" not in line:
            line = clean_line(line)
        else:
            line = line.strip("\r\n\u3000\ufeff")
        out.append(Line(line, n, heading_level=level))
    return out


_MD_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_MD_ENTITY = re.compile(r"&(amp|lt|gt|quot);")


def _md_unescape(line: str) -> str:
    """Markdown's backslash escapes and the entities our writer uses, read as the characters
    they show (``\\#`` → ``#``, ``&lt;`` → ``<``)."""
    if "\\" not in line and "&" not in line:
        return line
    line = _MD_ESCAPED.sub(r"\1", line)
    return _MD_ENTITY.sub(lambda m: {"amp": "&", "lt": "<", "gt": ">", "quot": '"'}[m.group(1)], line)


def expand_spans(rows: list[list[tuple[str, int, int]]], source: str = "") -> list[list[GridCell]]:
    """Rows of ``(text, rowspan, colspan)`` → a rectangular grid; positions covered by a merged
    cell hold its text with ``origin=False``.

    Spans are capped to the table's real size, as browsers do: a rowspan to the rows the table has
    below it, a colspan to its widest row's count of cells. A table that still expands past
    ``MAX_TABLE_CELLS`` (30,000 cells spanning 100 × 100 each made 4 GB) is refused."""
    widest = min(max((len(row) for row in rows), default=1), MAX_SPAN)
    grid: dict[tuple[int, int], GridCell] = {}
    width = 0
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan in row:
            while (r, c) in grid:
                c += 1
            down = max(1, min(rowspan, len(rows) - r))
            across = max(1, min(colspan, widest))
            if len(grid) + down * across > MAX_TABLE_CELLS:
                raise _too_large(source)
            for dr in range(down):
                for dc in range(across):
                    grid[(r + dr, c + dc)] = GridCell(text, origin=(dr == 0 and dc == 0))
            c += across
            width = max(width, c)
    height = max((r for r, _ in grid), default=-1) + 1
    if height * width > MAX_TABLE_CELLS:
        raise _too_large(source)
    return [[grid.get((r, c), GridCell("", origin=False)) for c in range(width)] for r in range(height)]


def _too_large(source: str) -> InputError:
    return InputError(
        f"{source + '：' if source else ''}有一个表格的合并单元格展开后超过 {MAX_TABLE_CELLS} 格，远超年度报告的表格，无法读取。",
        hint="文件可能经过恶意构造或已损坏：请确认文件来源，或另存为 .docx 或 .txt 后再试。",
    )
