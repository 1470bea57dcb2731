"""A character-level diff for Chinese text, as ``rich.Text``.

Word-based diff tools split on spaces, which Chinese has none of, so a whole paragraph becomes one
deletion and one insertion. Here the unit is the character (stdlib ``difflib`` with
``autojunk=False``: with autojunk on, frequent characters such as 的 and ， would be ignored as
noise). Character diffs of prose produce confetti, one shared 的 between two rewritten phrases, so
a lone equal character between two changes is folded into the change around it (two characters
are usually a word, 公开 or 意识, and are kept).
Long unchanged stretches are shortened to their ends.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Literal, NamedTuple

from rich.text import Text

Op = Literal["equal", "delete", "insert"]

DELETE_STYLE = "bold red strike"
INSERT_STYLE = "bold green underline"
FOLD_STYLE = "dim"


class Piece(NamedTuple):
    op: Op
    text: str


def pieces(before: str, after: str, *, island: int = 1) -> list[Piece]:
    """The diff of two texts, as equal/delete/insert runs in reading order."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    raw: list[Piece] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(Piece("equal", before[i1:i2]))
            continue
        if i2 > i1:
            raw.append(Piece("delete", before[i1:i2]))
        if j2 > j1:
            raw.append(Piece("insert", after[j1:j2]))
    return _merge(_fold_islands(raw, island))


def _fold_islands(raw: list[Piece], island: int) -> list[Piece]:
    out: list[Piece] = []
    for n, piece in enumerate(raw):
        between_changes = 0 < n < len(raw) - 1 and raw[n - 1].op != "equal" and raw[n + 1].op != "equal"
        if piece.op == "equal" and between_changes and len(piece.text) <= island and "\n" not in piece.text:
            out += [Piece("delete", piece.text), Piece("insert", piece.text)]
        else:
            out.append(piece)
    return out


def _merge(raw: list[Piece]) -> list[Piece]:
    """Runs between two unchanged stretches joined into one deletion, then one insertion."""
    out: list[Piece] = []
    deleted = inserted = ""
    for piece in [*raw, Piece("equal", "")]:
        if piece.op == "delete":
            deleted += piece.text
        elif piece.op == "insert":
            inserted += piece.text
        else:
            out += [Piece("delete", deleted)] if deleted else []
            out += [Piece("insert", inserted)] if inserted else []
            deleted = inserted = ""
            if out and out[-1].op == "equal":
                out[-1] = Piece("equal", out[-1].text + piece.text)
            elif piece.text:
                out.append(piece)
    return out


def _shorten(text: str, context: int, first: bool, last: bool) -> str | None:
    """An unchanged run cut down to ``context`` characters next to each change; None if whole."""
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(text) <= keep_head + keep_tail + 4:
        return None
    return text[:keep_head] + "\x00" + text[len(text) - keep_tail :]


def diff_text(
    before: str | Sequence[str],
    after: str | Sequence[str],
    *,
    context: int | None = 40,
    markers: bool = False,
) -> Text:
    """The diff as styled text: deletions struck through in red, insertions underlined in green.
    ``markers`` adds ``[-…-]`` and ``{+…+}`` around them too, for output without colour.
    Unchanged runs longer than twice ``context`` are shortened with "……" (None: keep all)."""
    a = before if isinstance(before, str) else "\n".join(before)
    b = after if isinstance(after, str) else "\n".join(after)
    runs = pieces(a, b)
    text = Text()
    for n, piece in enumerate(runs):
        if piece.op == "equal":
            short = None
            if context is not None:
                short = _shorten(piece.text, context, first=n == 0, last=n == len(runs) - 1)
            if short is None:
                text.append(piece.text)
            else:
                head, tail = short.split("\x00")
                text.append(head)
                text.append("……", style=FOLD_STYLE)
                text.append(tail)
        elif piece.op == "delete":
            text.append(f"[-{piece.text}-]" if markers else piece.text, style=DELETE_STYLE)
        else:
            text.append(f"{{+{piece.text}+}}" if markers else piece.text, style=INSERT_STYLE)
    return text


def summary(before: str | Sequence[str], after: str | Sequence[str]) -> str:
    """How much changed, in characters: ``删 12 字，增 30 字``."""
    a = before if isinstance(before, str) else "\n".join(before)
    b = after if isinstance(after, str) else "\n".join(after)
    runs = pieces(a, b)
    deleted = sum(len(p.text) for p in runs if p.op == "delete")
    inserted = sum(len(p.text) for p in runs if p.op == "insert")
    return f"删 {deleted} 字，增 {inserted} 字（原 {len(a)} 字，现 {len(b)} 字）"
