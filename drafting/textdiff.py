"""A character-level diff for Chinese text, as plain pieces: (op, text) in reading order.

Word-based diff tools split on spaces, which Chinese has none of, so a whole paragraph becomes one
deletion and one insertion. Here the unit is the character (stdlib ``difflib`` with
``autojunk=False``: with autojunk on, frequent characters such as 的 and ， would be ignored as
noise). Character diffs of prose produce confetti, one shared 的 between two rewritten phrases, so
a lone equal character between two changes is folded into the change around it (two characters
are usually a word, 公开 or 意识, and are kept).
Long unchanged stretches can be shortened to their ends (``shown``). Styling is the front end's:
the terminal colours the pieces (``drafting.cli.diffs``), the eval report marks them up in HTML.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Literal, NamedTuple

Op = Literal["equal", "delete", "insert", "fold"]  # fold: an unchanged stretch left out


class Piece(NamedTuple):
    op: Op
    text: str


# difflib compares every character of one text with every one of the other (a 16,000-character
# section took 7 s, a 32,000-character one half a minute): beyond this many pairs the texts are
# compared line by line first, and only changed stretches small enough by characters.
_PAIRS = 9_000_000  # two texts of 3,000 characters: under a second however unlike they are


def pieces(before: str, after: str, *, island: int = 1) -> list[Piece]:
    """The diff of two texts, as equal/delete/insert runs in reading order."""
    if len(before) * len(after) <= _PAIRS:
        raw = _characters(before, after)
    else:
        raw = _lines_then_characters(before, after)
    return _merge(_fold_islands(raw, island))


def _characters(before: str, after: str) -> list[Piece]:
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
    return raw


def _lines_then_characters(before: str, after: str) -> list[Piece]:
    """Long texts: unchanged lines found first; a changed stretch is diffed by characters when
    small enough, else shown as one deletion and one insertion."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    raw: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = "".join(a[i1:i2]), "".join(b[j1:j2])
        if tag == "equal":
            raw.append(Piece("equal", old))
        elif len(old) * len(new) <= _PAIRS:
            raw += _characters(old, new)
        else:
            raw += [Piece("delete", old)] if old else []
            raw += [Piece("insert", new)] if new else []
    return raw


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


def _shorten(text: str, context: int, first: bool, last: bool) -> tuple[str, str] | None:
    """An unchanged run cut down to ``context`` characters next to each change (its head and its
    tail); None if it stays whole."""
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(text) <= keep_head + keep_tail + 4:
        return None
    return text[:keep_head], text[len(text) - keep_tail :]


def _joined(text: str | Sequence[str]) -> str:
    return text if isinstance(text, str) else "\n".join(text)


def shown(
    before: str | Sequence[str], after: str | Sequence[str], *, context: int | None = 40
) -> list[Piece]:
    """The diff as it is shown to a person: unchanged runs longer than twice ``context`` keep
    ``context`` characters next to each change and a ``fold`` piece stands for the rest (None:
    keep all). Paragraph lists are joined with newlines."""
    runs = pieces(_joined(before), _joined(after))
    out: list[Piece] = []
    for n, piece in enumerate(runs):
        short = None
        if piece.op == "equal" and context is not None:
            short = _shorten(piece.text, context, first=n == 0, last=n == len(runs) - 1)
        if short is None:
            out.append(piece)
            continue
        head, tail = short
        out += [Piece("equal", head)] if head else []
        out.append(Piece("fold", piece.text[len(head) : len(piece.text) - len(tail)]))
        out += [Piece("equal", tail)] if tail else []
    return out


def summary(before: str | Sequence[str], after: str | Sequence[str]) -> str:
    """How much changed, in characters: ``删 12 字，增 30 字``."""
    a, b = _joined(before), _joined(after)
    runs = pieces(a, b)
    deleted = sum(len(p.text) for p in runs if p.op == "delete")
    inserted = sum(len(p.text) for p in runs if p.op == "insert")
    return f"删 {deleted} 字，增 {inserted} 字（原 {len(a)} 字，现 {len(b)} 字）"
