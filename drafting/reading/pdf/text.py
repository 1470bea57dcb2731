"""Characters with their boxes, and the lines they make (top-down page coordinates, in points)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def size(self) -> float:
        return self.bottom - self.top

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def is_wide(ch: str) -> bool:
    """CJK characters and full-width punctuation: no space is ever needed around them."""
    return ord(ch) >= 0x2E80


@dataclass
class TextLine:
    chars: list[Char]
    page: int
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def __post_init__(self) -> None:
        self.chars.sort(key=lambda c: c.x0)
        self.x0 = min(c.x0 for c in self.chars)
        self.x1 = max(c.x1 for c in self.chars)
        self.top = min(c.top for c in self.chars)
        self.bottom = max(c.bottom for c in self.chars)
        # Latin letters and digits often come from another font whose boxes are taller: the type
        # size of a Chinese report's line is that of its Chinese characters.
        wide = [c.size for c in self.chars if is_wide(c.text)]
        self.size = statistics.median(wide or [c.size for c in self.chars])
        self.text = join_chars(self.chars, self.size)


def join_chars(chars: Sequence[Char], size: float) -> str:
    """One line's characters left to right. A gap of two characters or more (the columns of a
    table drawn without rules) becomes a tab, which the table stream reads as a cell boundary; a
    smaller gap between two Latin letters or digits becomes a space."""
    out: list[str] = []
    prev: Char | None = None
    for c in chars:
        if prev is not None:
            gap = c.x0 - prev.x1
            if gap > 2 * size:
                out.append("\t")
            elif gap > 0.25 * size and not (is_wide(prev.text) or is_wide(c.text)):
                out.append(" ")
        out.append(c.text)
        prev = c
    return "".join(out).replace("\t ", "\t").replace(" \t", "\t")


def text_lines(chars: Iterable[Char], page: int) -> list[TextLine]:
    """Characters → lines, top to bottom: a character joins the line its vertical middle falls in."""
    lines: list[list[Char]] = []
    spans: list[tuple[float, float]] = []
    for c in sorted(chars, key=lambda c: (c.top, c.x0)):
        for n in range(len(lines) - 1, max(-1, len(lines) - 4), -1):
            top, bottom = spans[n]
            if top <= c.cy <= bottom:
                lines[n].append(c)
                break
        else:
            lines.append([c])
            spans.append((c.top, c.bottom))
    return sorted((TextLine(group, page) for group in lines), key=lambda ln: (ln.top, ln.x0))
