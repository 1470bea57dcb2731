"""Blocks → a ``Report``: the title, the preamble, headings, paragraphs by part, and the tables.

Lines that carry table cells (tabs, pipes, numbers, table labels, short cells inside a table's part)
feed the table stream; prose becomes paragraphs of the part whose heading came last. A heading or a
paragraph ends any table row being read.
"""

from __future__ import annotations

import itertools
import re
from typing import Final

from .blocks import Block, Grid, Line
from .headings import looks_like_title, match_heading
from .labels import ALL_HEADER_KEYS, CORNER_KEY, HEADER_KEYS, find_labels, is_header
from .located import locate
from .model import Heading, Paragraph, Report
from .normalize import ends_in_cells, norm
from .stream import stream
from .tables import read_table2, read_table3, read_table4

_TABLE_PARTS: Final = {"proactive", "requests", "appeals"}
_NUMERIC: Final = re.compile(r"^[\d\s.,\-－/|／%元万件]+$")


def _is_table_line(text: str, part: str | None) -> bool:
    if "\t" in text or text.strip().startswith("|") or text.count("|") >= 2:
        return True
    if part in _TABLE_PARTS and ends_in_cells(text):
        return True
    t = norm(text)
    if _NUMERIC.match(t) or t in ("|",):
        return True
    if "。" in t or "；" in t:
        return False  # a sentence (table cells never hold either mark)
    if find_labels("table3", t) or find_labels("table2", t) or CORNER_KEY in t:
        return True
    if part in _TABLE_PARTS and len(t) <= 25:
        return True
    # A whole header band run together on one line (layout 5: no separators at all) is long, but
    # is nothing but column headers.
    if any(is_header(table, t) for table in HEADER_KEYS):
        return True
    return len(t) <= 25 and any(k in t for k in ALL_HEADER_KEYS if len(k) >= 4)


def _title(blocks: list[Block], hint: str) -> tuple[int, str]:
    lines = [(i, b) for i, b in enumerate(blocks[:80]) if isinstance(b, Line) and b.text.strip()]
    # A title wrapped over two short lines (``2024年某委政府信息公开工作`` / ``年度报告``), neither a
    # title alone: the pair is the title.
    if not any(looks_like_title(b.text) for _, b in lines[:20]):
        for (_, first), (j, second) in itertools.pairwise(lines[:20]):
            a, b = first.text.strip(), second.text.strip()
            if len(a) <= 40 and len(b) <= 40 and "。" not in a + b and looks_like_title(a + b):
                return j, a + b
    titled = [(pos, i, block) for pos, (i, block) in enumerate(lines) if looks_like_title(block.text)]
    # A report's title names its year; a site's menu item (``政府信息公开年报``) above it does not.
    dated = [t for t in titled if re.search(r"(?:19|20)\d{2}\s*年", norm(t[2].text))]
    if titled:
        pos, i, block = (dated or titled)[0]
        text = block.text.strip()
        if re.match(r"^(?:19|20)\d{2}\s*年", norm(text)) and pos > 0:
            _, before = lines[pos - 1]
            prev = before.text.strip()
            if (
                len(prev) <= 40
                and "。" not in prev
                and match_heading(prev) is None
                and not looks_like_title(prev)
            ):
                return i, prev + text
        return i, text
    if hint and looks_like_title(hint):
        return -1, hint.strip()
    return -1, ""


def assemble(blocks: list[Block], source: str, kind: str, title_hint: str = "") -> Report:
    title_at, title = _title(blocks, title_hint)
    report = Report(source, kind, title=" ".join(title.split()))
    part: str | None = None
    counts: dict[str | None, int] = {}
    table_blocks: list[Block | str | None] = []
    for block in blocks[title_at + 1 :]:
        if isinstance(block, Grid):
            table_blocks.append(block)
            continue
        text = block.text
        if not text.strip():
            table_blocks.append(block)
            continue
        heading = None
        if "\t" not in text and "|" not in text:
            heading = match_heading(text)
        if heading is not None:
            report.headings.append(
                Heading(text.strip(), heading.part, heading.kind, block.line, block.para, block.page)
            )
            part = heading.part
            table_blocks.append(part)  # ends any row, and says which part's table may follow
            continue
        if _is_table_line(text, part):
            table_blocks.append(block)
            continue
        counts[part] = counts.get(part, 0) + 1
        paragraph = Paragraph(text.strip(), part, counts[part], block.line, block.para, page=block.page)
        (report.preamble if part is None else report.paragraphs).append(paragraph)
        table_blocks.append(None)
    items = stream(table_blocks)
    report.table2 = read_table2(items)
    report.table3 = read_table3(items)
    report.table4 = read_table4(items)
    for table in (report.table2, report.table3, report.table4):
        report.notes += table.notes
    locate(report)
    return report
