"""Page text that kept a PDF's line wraps (a conversion, or text copied out of a PDF viewer): its
lines are joined back into paragraphs before any check reads them, by the rule the PDF reader uses
(``reading/pdf/flow.py``) with the character count standing in for the position: a line as long as
the page's full lines runs on into the next, unless the next starts a heading, an ordinal or a row.

Only text that shows the shape is touched: most of its prose lines end within a few characters of
one width, and most of those end inside a sentence. A report written one paragraph per line (our
own text, Markdown, most page text) never has it.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Final

from .blocks import Block, Line
from .headings import looks_like_title, match_heading
from .labels import CORNER_KEY, find_labels
from .normalize import ends_in_cells, norm

_MIN_WIDTH: Final = 15  # characters: narrower "full" lines are table cells, not a page's measure
_SLACK: Final = 2.5  # a full line may end this many characters short of the measure
_STARTS: Final = re.compile(
    r"^(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}[、.．]|\d{1,2}[、.．](?!\d))"
)


def _width(text: str) -> float:
    """Characters as a page counts them: a Latin letter, digit or space is half a Chinese one."""
    text = text.strip()
    return len(text) - 0.5 * len(text.encode("ascii", "ignore"))


def _prose(block: Block) -> bool:
    if not isinstance(block, Line) or not block.text.strip() or block.heading_level:
        return False
    text = block.text
    if "|" in text or "\t" in text or ends_in_cells(text) or match_heading(text) is not None:
        return False
    t = norm(text)
    if re.fullmatch(r"[\d\s.,/%-]+", t):
        return False
    if "。" in t:
        return True
    if CORNER_KEY in t:
        return False  # a table's corner note
    # A table's label (its row is not prose) — unless the line is a sentence that names one
    # (``制发行政规范性文件5件，现行有效…``).
    return "，" in t or "；" in t or not (find_labels("table3", t) or find_labels("table2", t))


def _measure(blocks: list[Block]) -> float | None:
    """The width of the page's full lines, when the text has one. Widths first (cheap); headings and
    table rows are told apart only when enough lines share one width."""
    lines = [
        b
        for b in blocks
        if isinstance(b, Line)
        and len(b.text) >= _MIN_WIDTH
        and not b.heading_level
        and "|" not in b.text
        and "\t" not in b.text
    ]
    if len(lines) < 8:
        return None
    widths = [_width(b.text) for b in lines]
    counts = Counter(round(w) for w in widths if w >= _MIN_WIDTH)
    if sum(counts.values()) < 8:
        return None
    mode = max(counts, key=lambda w: (sum(counts[x] for x in counts if abs(x - w) <= _SLACK), w))
    near = [b for b, w in zip(lines, widths, strict=True) if abs(w - mode) <= _SLACK]
    if len(near) < 8 or len(near) < 0.3 * len(lines):
        return None
    full = [b for b in near if _prose(b)]
    if len(full) < 8:
        return None
    open_ended = sum(1 for b in full if not b.text.rstrip().endswith(("。", "：", ":")))
    return float(mode) if open_ended >= 0.6 * len(full) else None


def join_wrapped(blocks: list[Block]) -> list[Block]:
    """The blocks with each wrapped paragraph's lines joined into its first line (whose line number
    it keeps)."""
    measure = _measure(blocks)
    if measure is None:
        return blocks
    out: list[Block] = []
    runs_on = False  # whether the last physical line read was a full one, inside prose
    for block in blocks:
        last = out[-1] if out else None
        if runs_on and isinstance(last, Line) and _prose(block) and isinstance(block, Line):
            if not _STARTS.match(block.text.strip()):
                last.text = last.text.rstrip() + block.text.strip()
                runs_on = _width(block.text) >= measure - _SLACK
                continue
        out.append(block)
        runs_on = _prose(block) and isinstance(block, Line) and _width(block.text) >= measure - _SLACK
    return out


# A paragraph that stops mid-sentence — on a character, a digit or a comma — before a blank line, and
# a paragraph that carries the sentence on: one paragraph a page break (or a conversion) cut in two.
_MID_SENTENCE: Final = re.compile(r"[\u4e00-\u9fff\d，、]$")
_CARRIES_ON: Final = re.compile(r"^[\u4e00-\u9fff\d，、]")
_MIN_CUT: Final = 30  # characters: a shorter line that stops without a mark is a sub-heading


def join_page_breaks(blocks: list[Block]) -> list[Block]:
    """The blocks with each paragraph a page break cut in two joined back (into its first half,
    whose line number it keeps): the first half is prose that stops mid-sentence, the second prose
    that carries the sentence on — not a heading, an ordinal or a table row."""
    out: list[Block] = []
    blanks: list[Block] = []
    for block in blocks:
        if isinstance(block, Line) and not block.text.strip():
            blanks.append(block)
            continue
        last = out[-1] if out else None
        if (
            blanks
            and isinstance(last, Line)
            and isinstance(block, Line)
            and _cut_off(last)
            and _carries_on(block)
        ):
            last.text = last.text.rstrip() + block.text.strip()
            blanks = []
            continue
        out += blanks
        blanks = []
        out.append(block)
    return out + blanks


def _carries_on(block: Line) -> bool:
    """Prose that carries a sentence on: a sentence's marks in it (a table's header or a sub-heading
    has none), opening on a character, not on an ordinal."""
    text = block.text.strip()
    return (
        _prose(block)
        and any(mark in text for mark in "，。；")
        and bool(_CARRIES_ON.match(text))
        and not _STARTS.match(text)
    )


def _cut_off(block: Line) -> bool:
    """Prose that stops mid-sentence: long, with a sentence's commas in it (a title or a heading has
    none), and no closing mark at its end."""
    text = block.text.rstrip()
    return (
        len(text) >= _MIN_CUT
        and ("，" in text or "。" in text)
        and _prose(block)
        and not looks_like_title(text)
        and bool(_MID_SENTENCE.search(text))
    )
