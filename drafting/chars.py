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
    """Half-width punctuation in a Chinese sentence → full-width, leaving alone what owns its marks:
    URLs and e-mail addresses (``http://``), document numbers (``[2021]30号``), times (``9:00``) and
    numbers (``1,286``) — the spans ``numbers.protected_spans`` names."""
    if not any(ch in _HALF_TO_FULL or ch == '"' for ch in text):
        return text  # most lines: nothing to do, and no need to read their numbers
    from .numbers import protected_spans

    keep = bytearray(len(text))
    for start, end in protected_spans(text):
        keep[start:end] = b"\x01" * (end - start)
    # Straight double quotes, when paired, open and close: "先审查、后公开" → “先审查、后公开”.
    quotes = iter("“”" * (text.count('"') // 2)) if text.count('"') % 2 == 0 else iter(())
    out = []
    for i, ch in enumerate(text):
        if keep[i]:
            out.append(ch)
        elif ch == '"':
            out.append(next(quotes, ch))
        elif ch in ",:" and text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit():
            out.append(ch)  # 1,0 or 10:3 the scan did not take for a number: not ours to change
        else:
            out.append(_HALF_TO_FULL.get(ch, ch))
    return "".join(out)


# --- characters no document can hold --------------------------------------------------------------
# XML (and so Word, and our HTML) cannot hold the C0 control characters but tab and line breaks,
# nor U+FFFE/U+FFFF or a lone surrogate; the C1 controls it can hold are invisible garbage in a
# report. They reach us from pasted text, a PDF's copy or an unusual editor.
# As ranges (first, last): C0 controls but tab, LF and CR; DEL and the C1
# controls; the surrogates; U+FFFE and U+FFFF. Built from the ranges, not by testing all 65,536
# code points, which cost every command ~8 ms at start-up.
_UNWRITABLE_RANGES: Final = (
    (0x00, 0x08),
    (0x0B, 0x0C),
    (0x0E, 0x1F),
    (0x7F, 0x9F),
    (0xD800, 0xDFFF),
    (0xFFFE, 0xFFFF),
)
_UNWRITABLE: Final = frozenset(chr(c) for first, last in _UNWRITABLE_RANGES for c in range(first, last + 1))
_DROP: Final = dict.fromkeys(map(ord, _UNWRITABLE))


def unwritable(text: str) -> str | None:
    """The first character of ``text`` no document can hold, or None."""
    if text.isprintable():  # the common case, in C: no control character at all
        return None
    return next((c for c in text if c in _UNWRITABLE), None)


def writable(text: str) -> str:
    """``text`` without the characters no document can hold (tabs and line breaks stay)."""
    return text if text.isprintable() else text.translate(_DROP)


def char_name(c: str) -> str:
    """How a message names an invisible character: ``U+000B``."""
    return f"U+{ord(c):04X}"
