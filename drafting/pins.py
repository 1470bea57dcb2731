"""Pinned sentences: text the author has settled, kept verbatim by revisions and redrafts.

A pin is any exact piece of a section's text, usually one sentence. When a model's revision or the
data's regenerated text lacks one, it is put back where it stood: after the sentence that preceded
it, before the one that followed it, or at the end of its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final, NamedTuple

# A sentence ends at 。！？ (a closing quote or bracket after it belongs to it), or at the paragraph's end.
_SENTENCE = re.compile(r"[^。！？!?]*(?:[。！？!?]+[”’」』）)]*|$)")


def sentences(paragraph: str) -> list[str]:
    return [s for s in _SENTENCE.findall(paragraph) if s.strip()]


def numbered_sentences(paragraphs: Sequence[str]) -> list[tuple[str, str]]:
    """``("2.3", sentence)`` for the third sentence of the second paragraph: how a user names one."""
    return [
        (f"{p}.{s}", sentence)
        for p, paragraph in enumerate(paragraphs, 1)
        for s, sentence in enumerate(sentences(paragraph), 1)
    ]


def present(pin: str, paragraphs: Sequence[str]) -> bool:
    return any(pin in paragraph for paragraph in paragraphs)


def missing(pins: Sequence[str], paragraphs: Sequence[str]) -> list[str]:
    return [pin for pin in pins if not present(pin, paragraphs)]


class Restored(NamedTuple):
    paragraphs: list[str]
    restored: list[str]  # the pins that had to be put back


def _neighbours(pin: str, reference: Sequence[str]) -> tuple[int, str, str] | None:
    """Where ``pin`` stood in ``reference``: its paragraph, the sentence before it, the one after."""
    for index, paragraph in enumerate(reference):
        at = paragraph.find(pin)
        if at < 0:
            continue
        before = sentences(paragraph[:at])
        after = sentences(paragraph[at + len(pin) :])
        return index, before[-1] if before else "", after[0] if after else ""
    return None


# How alike a pin and a sentence of the new text must be for the sentence to be taken as the pin's
# rewording (the same statement, redrafted): it is replaced rather than kept beside the pin.
SIMILAR: Final = 0.6


def _replace_similar(paragraphs: list[str], pin: str, keep: Sequence[str]) -> bool:
    """Put ``pin`` in place of the run of sentences that restates it (as many sentences as the pin
    has), so that a regenerated text does not say the same thing twice; False if none is close."""
    from difflib import SequenceMatcher

    size = max(1, len(sentences(pin)))
    best: tuple[float, int, str] | None = None
    for index, paragraph in enumerate(paragraphs):
        parts = sentences(paragraph)
        for start in range(len(parts) - size + 1):
            run = "".join(parts[start : start + size])
            if any(other in run for other in keep):
                continue  # another pin's text is never written over
            ratio = SequenceMatcher(None, pin, run, autojunk=False).ratio()
            if ratio >= SIMILAR and (best is None or ratio > best[0]):
                best = (ratio, index, run)
    if best is None:
        return False
    _, index, run = best
    paragraphs[index] = paragraphs[index].replace(run, pin, 1)
    return True


def _insert(paragraphs: list[str], pin: str, reference: Sequence[str], keep: Sequence[str] = ()) -> None:
    if paragraphs and _replace_similar(paragraphs, pin, keep):
        return
    place = _neighbours(pin, reference)
    if not paragraphs:
        paragraphs.append(pin)
        return
    if place is None:
        paragraphs[-1] += pin
        return
    index, before, after = place
    if not before.strip() and not after.strip():  # a whole paragraph: it stays one
        paragraphs.insert(min(index, len(paragraphs)), pin)
        return
    if before.strip():
        for i, paragraph in enumerate(paragraphs):
            at = paragraph.find(before)
            if at >= 0:
                end = at + len(before)
                paragraphs[i] = paragraph[:end] + pin + paragraph[end:]
                return
    if after.strip():
        for i, paragraph in enumerate(paragraphs):
            at = paragraph.find(after)
            if at >= 0:
                paragraphs[i] = paragraph[:at] + pin + paragraph[at:]
                return
    i = min(index, len(paragraphs) - 1)
    paragraphs[i] += pin


def restore(paragraphs: Sequence[str], pins: Sequence[str], reference: Sequence[str]) -> Restored:
    """``paragraphs`` with every pin present, missing ones placed as they stood in ``reference``."""
    out = list(paragraphs)
    restored = []
    for pin in pins:
        if not present(pin, out):
            _insert(out, pin, reference, [p for p in pins if p != pin and present(p, out)])
            restored.append(pin)
    return Restored(out, restored)
