"""Small text helpers shared by the narrative checks: sentences, and a snippet to quote."""

from __future__ import annotations

import re
from collections.abc import Iterator

_SENTENCE_END = re.compile(r"[。；;！？!?\n]")


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """``(offset, sentence)`` for each sentence, its closing mark included."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() - start > 1:
            yield start, text[start : m.end()]
        start = m.end()
    if start < len(text) and text[start:].strip():
        yield start, text[start:]


def snippet(text: str, start: int, end: int, width: int = 14) -> str:
    left = max(0, start - width)
    right = min(len(text), end + 4)
    return ("…" if left else "") + text[left:right] + ("…" if right < len(text) else "")
