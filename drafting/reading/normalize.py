"""Text as published pages give it, made comparable: full-width forms, stray spaces.

Published reports spell the same label many ways (``(三)`` / ``（三）``, ``1、`` / ``1.`` / ``1．``,
``商业 企业``, ``“三安全一稳定”`` / ``"三安全一稳定"``, full-width digits). Matching happens on the
normalised form only; what a user sees is always the official label from ``drafting.official``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Final, TypeVar

from ..chars import ascii_digits

_QUOTES: Final = dict.fromkeys(map(ord, "“”\"'‘’「」『』"), None)
_SPACES: Final = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
CN_NUMERALS: Final = "一二三四五六七八九十"


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """The matching form of a label: ASCII digits, full-width parentheses, ``1.`` numbering,
    no quotes, no spaces."""
    text = ascii_digits(text)
    text = _SPACES.sub("", text).translate(_QUOTES)
    text = text.replace("(", "（").replace(")", "）").replace("〔", "（").replace("〕", "）")
    text = re.sub(r"(?<=\d)[、，,]", ".", text)
    return text.replace(":", "：").replace(",", "，").replace(";", "；")


def strip_numbering(text: str) -> str:
    """``（三）不予公开`` → ``不予公开``; ``1.属于国家秘密`` → ``属于国家秘密``; ``一、总体情况`` → ``总体情况``."""
    return re.sub(rf"^(?:[{CN_NUMERALS}]+[、.]|（[{CN_NUMERALS}]+）|\d+[.])", "", text)


def clean_line(text: str) -> str:
    """A line of page text without its indentation and trailing blanks."""
    return text.strip(" \t\u3000\xa0\r\n\ufeff")


# A row of a table as plain text lays it out: three or more numbers apart at the end of the line.
_TRAILING_CELLS: Final = re.compile(r"(?:[\s\u3000]+[-－]?\d+(?:\.\d+)?){3,}[\s\u3000]*$")


def ends_in_cells(text: str) -> bool:
    """Whether a line ends in three or more numbers set apart by spaces (a table row as text), never
    prose: prose writes ``3件``."""
    return "。" not in text and _TRAILING_CELLS.search(ascii_digits(text)) is not None


_T = TypeVar("_T")


def closest(text: str, options: Iterable[tuple[_T, str]], floor: float = 0.0) -> tuple[_T | None, float]:
    """The option whose words are most like ``text`` (difflib's ratio) and that ratio, or None when
    none is above ``floor``: OCR slips and lost numerals in headings and labels. The quick upper
    bounds skip most options without the full comparison."""
    best: _T | None = None
    best_ratio = floor
    for value, target in options:
        matcher = difflib.SequenceMatcher(None, text, target, autojunk=False)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = value, ratio
    return best, best_ratio
