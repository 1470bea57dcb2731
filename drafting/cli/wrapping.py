"""Lines of Chinese text broken for the terminal by the rules of Chinese typesetting: no closing
punctuation (，。、；：？！）》”…) at the start of a line, no opening mark (（《“) at its end, and a
run of digits or Latin letters (2023年, 12345) kept whole when it fits on a line.

rich folds text that has no spaces at the exact cell where the line is full, so a paragraph of the
revision loop could show a line that starts with ``，``. These functions choose the breaks
themselves (by display cells: a CJK character is two) and hand rich lines that already fit.
``wrap`` breaks a finished text; ``StreamWrap`` breaks a model's answer as it streams in, holding
back one character so that a mark can take the character before it to the next line.
"""

from __future__ import annotations

from typing import Final

from rich.cells import cell_len
from rich.text import Text

# May not start a line (行首禁则).
CLOSING: Final = frozenset("，。、；：？！）》」』】〕〉”’…—·%％,.;:!?)]}")
# May not end a line (行尾禁则).
OPENING: Final = frozenset("（《「『【〔〈“‘([{")


def _word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".%")


def _break_before(text: str, at: int, start: int) -> int:
    """Where the line that would end before ``at`` should end instead: moved back over a closing
    mark that would start the next line, an opening mark that would end this one, and a digit or
    Latin word cut in two; ``at`` itself when moving back would empty the line."""
    b = at
    while b - 1 > start and (text[b] in CLOSING or text[b - 1] in OPENING):
        b -= 1
    while b - 1 > start and _word(text[b]) and _word(text[b - 1]):
        b -= 1
    if b - 1 <= start or text[b] in CLOSING:
        return at  # a line of marks only: rather a mark at the start than a line that never ends
    return b


def breaks(text: str, width: int) -> list[int]:
    """The offsets at which ``text``'s lines start (the first line's 0 left out); a line break in
    the text starts a line too, and is not counted here."""
    out: list[int] = []
    start, col = 0, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            start, col = i + 1, 0
            i += 1
            continue
        w = cell_len(ch)
        if col + w > width and i > start:
            b = _break_before(text, i, start)
            out.append(b)
            start, col = b, cell_len(text[b:i])
            continue  # place ch again on the new line
        col += w
        i += 1
    return out


def wrap(text: Text, width: int) -> Text:
    """``text`` with a line break where each line must end, its styles kept."""
    if width < 4:
        return text
    offsets = breaks(text.plain, width)
    if not offsets:
        return text
    return Text("\n").join(text.divide(offsets))


class StreamWrap:
    """Breaks streamed text into lines of ``width`` cells by the same rules, one piece at a time:
    ``feed`` returns what can be printed now, ``flush`` the rest at the end. What is held back is
    the last unbreakable unit: a character with the closing marks after it, an opening mark with
    the character after it, a run of digits or Latin letters."""

    def __init__(self, width: int, col: int = 0) -> None:
        self.width = width
        self.col = col
        self.unit = ""

    def feed(self, text: str) -> str:
        out = []
        for ch in text:
            if ch == "\n":
                out.append(self.flush() + "\n")
                self.col = 0
            elif self.unit and (
                ch in CLOSING or self.unit[-1] in OPENING or (_word(ch) and _word(self.unit[-1]))
            ):
                self.unit += ch
            else:
                out.append(self.flush())
                self.unit = ch
        return "".join(out)

    def flush(self) -> str:
        unit, self.unit = self.unit, ""
        if not unit:
            return ""
        w = cell_len(unit)
        prefix = ""
        if self.col > 0 and self.col + w > self.width:
            prefix, self.col = "\n", 0
        if w > self.width:  # a unit longer than a line: the terminal folds it
            self.col = w % self.width
        else:
            self.col += w
        return prefix + unit
