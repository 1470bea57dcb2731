"""Text as published pages give it, made comparable: encodings, full-width forms, stray spaces.

Published reports spell the same label many ways (``(三)`` / ``（三）``, ``1、`` / ``1.`` / ``1．``,
``商业 企业``, ``“三安全一稳定”`` / ``"三安全一稳定"``, full-width digits). Matching happens on the
normalised form only; what a user sees is always the official label from ``drafting.official``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from ..errors import InputError

FULLWIDTH_DIGITS: Final = str.maketrans("０１２３４５６７８９．－", "0123456789.-")
_QUOTES: Final = dict.fromkeys(map(ord, "“”\"'‘’「」『』"), None)
_SPACES: Final = re.compile(r"[\s\u3000\xa0\u200b\ufeff]+")
CN_NUMERALS: Final = "一二三四五六七八九十"


def decode(raw: bytes, source: str) -> str:
    """UTF-8 (with or without BOM), else GB18030; refuse bytes that are not text at all."""
    if not raw.strip():
        raise InputError(f"{source}：文件是空的。", hint="请确认选择了正确的报告文件。")
    if b"\x00" in raw[:4096]:
        raise InputError(
            f"{source}：这不是文本文件（含有二进制内容），无法读取。",
            hint="支持的报告格式：.draft.json、.md、.txt、.html、.docx、.pdf。",
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise InputError(
        f"{source}：无法识别文件编码，或文件不是文本。",
        hint="请用 UTF-8 编码另存该文件（记事本“另存为”时选择 UTF-8）。",
    )


def _looks_like_text(text: str) -> bool:
    """Random bytes often decode as GB18030; real text has few control characters."""
    sample = text[:20000]
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\f\v")
    odd = sum(1 for c in sample if 0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd")
    return (control + odd) <= max(2, len(sample) // 200)


def digits(text: str) -> str:
    """Full-width digits, dots and minus signs → ASCII."""
    return text.translate(FULLWIDTH_DIGITS)


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """The matching form of a label: ASCII digits, full-width parentheses, ``1.`` numbering,
    no quotes, no spaces."""
    text = digits(text)
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
