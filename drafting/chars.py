"""Characters as Chinese pages write them: full-width digits and half-width punctuation.

A published page may write ``２０２３年`` or ``１．属于国家秘密``; every reader and check compares
ASCII digits, so the one table of full-width forms lives here. Narrative we write goes the other
way: half-width punctuation in a Chinese sentence becomes full-width (never inside a number).
"""

from __future__ import annotations

from typing import Final

_FULLWIDTH: Final = "０１２３４５６７８９．－"
_ASCII: Final = "0123456789.-"
TO_ASCII: Final = str.maketrans(_FULLWIDTH, _ASCII)
TO_FULLWIDTH_DIGITS: Final = str.maketrans(_ASCII[:10], _FULLWIDTH[:10])


def ascii_digits(text: str) -> str:
    """Full-width digits, dots and minus signs → ASCII."""
    return text.translate(TO_ASCII)


def fullwidth_digits(text: str) -> str:
    """ASCII digits → full-width, as some portals print table cells (dots and signs kept)."""
    return text.translate(TO_FULLWIDTH_DIGITS)


_HALF_TO_FULL: Final = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}


def fullwidth_punctuation(text: str) -> str:
    """Half-width punctuation in a Chinese sentence → full-width, leaving numbers (1,000 / 10:30)."""
    # Straight double quotes, when paired, open and close: "先审查、后公开" → “先审查、后公开”.
    quotes = iter("“”" * (text.count('"') // 2)) if text.count('"') % 2 == 0 else iter(())
    out = []
    for i, ch in enumerate(text):
        if ch == '"':
            out.append(next(quotes, ch))
            continue
        full = _HALF_TO_FULL.get(ch)
        if full is None:
            out.append(ch)
            continue
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        keep = ch in ",:" and before.isdigit() and after.isdigit()
        out.append(ch if keep else full)
    return "".join(out)
