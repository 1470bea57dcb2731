"""How much of one text repeats another: character n-grams shared by two Chinese texts, and the
passages they make up.

Both texts are first reduced to what carries their wording: Chinese characters and letters, with
every number (ASCII, full-width, with a decimal point) folded into one ``#`` — so a narrative copied
with its year and figures changed still reads as the same text — and punctuation and spaces
dropped, so re-punctuating or re-wrapping a paragraph changes nothing. A character of this year's
text is *repeated* when it lies inside an n-gram (``N`` characters) that last year's text has too;
the *coverage* is the share of this year's characters that are repeated. Spans of this year's text
that are common phrases (``masked``: the official headings, the regulation's name, the stock
phrases every report uses) are left out of both the count and the whole, so two reports that share
only those phrases do not look alike.

Linear in the length of both texts (a set of last year's n-grams, one pass over this year's).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .chars import ascii_digits

N = 10  # characters per n-gram: longer than most stock phrases' common stretches (calibrated)

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z#]")


@dataclass(frozen=True)
class Folded:
    """A text reduced to its wording, with where each kept character came from."""

    text: str  # the reduced text
    origin: tuple[int, ...]  # for each character of ``text``, its index in the original
    source: str  # the original

    def quote(self, start: int, end: int) -> str:
        """The original words behind ``text[start:end]``."""
        return self.source[self.origin[start] : self.origin[end - 1] + 1]


def fold(text: str) -> Folded:
    plain = ascii_digits(text)
    chars: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(plain):
        m = _NUMBER.match(plain, i)
        if m is not None:
            chars.append("#")
            origin.append(i)
            i = m.end()
            continue
        if _WORD.match(plain[i]):
            chars.append(plain[i])
            origin.append(i)
        i += 1
    return Folded("".join(chars), tuple(origin), text)


def grams(text: str, n: int = N) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1)}


def mask_of(folded: Folded, phrases: Iterable[str]) -> list[bool]:
    """Which characters of ``folded`` belong to one of ``phrases`` (each folded the same way)."""
    masked = [False] * len(folded.text)
    for phrase in phrases:
        needle = fold(phrase).text
        if len(needle) < 4:
            continue
        start = folded.text.find(needle)
        while start >= 0:
            for k in range(start, start + len(needle)):
                masked[k] = True
            start = folded.text.find(needle, start + 1)
    return masked


@dataclass(frozen=True)
class Overlap:
    coverage: float  # share of this year's own words (common phrases left out) found last year too
    counted: int  # how many characters of this year's text were counted (common phrases left out)
    passages: tuple[str, ...]  # the longest repeated passages, in this year's words, longest first


def overlap(
    this: str,
    last: str,
    *,
    n: int = N,
    common: Iterable[str] = (),
    min_passage: int = 20,
    last_grams: set[str] | None = None,
) -> Overlap:
    """How much of ``this`` repeats ``last`` (see the module's docstring). ``passages`` are the runs
    of repeated characters at least ``min_passage`` long, quoted from ``this``."""
    phrases = list(common)
    a = fold(this)
    shared = last_grams if last_grams is not None else grams(fold(last).text, n)
    masked = mask_of(a, phrases)
    repeated = [False] * len(a.text)
    before = [0, *itertools.accumulate(0 if m else 1 for m in masked)]  # own characters before each
    for i in range(len(a.text) - n + 1):
        # An n-gram that is mostly a common phrase says nothing of the words around the phrase.
        if 2 * (before[i + n] - before[i]) >= n and a.text[i : i + n] in shared:
            for k in range(i, i + n):
                repeated[k] = True
    counted = before[-1]
    hits = sum(1 for r, m in zip(repeated, masked, strict=True) if r and not m)
    runs: list[tuple[int, int]] = []
    start = None
    for i, r in enumerate([*repeated, False]):
        if r and start is None:
            start = i
        elif not r and start is not None:
            if before[i] - before[start] >= min_passage:
                runs.append((start, i))
            start = None
    runs.sort(key=lambda se: se[0] - se[1])
    return Overlap(
        hits / counted if counted else 0.0,
        counted,
        tuple(a.quote(s, e) for s, e in runs),
    )
