"""Plain text, laid out like a report's published page text (tables tab-separated)."""

from __future__ import annotations

from ..document import Draft
from ..tables import render_text
from .blocks import blocks

# The width a signature line is right-aligned to, in full-width characters (a page of 公文 holds 28).
LINE_CHARS = 28


def render(draft: Draft) -> str:
    out = [draft.title]
    signature: list[str] = []
    for block in blocks(draft):
        if block.kind == "signature":
            signature.append(block.text.rjust(LINE_CHARS, "　"))
        elif block.table is not None:
            out.append(render_text(block.table))
        elif block.kind == "paragraph":
            out.append("　　" + block.text)  # two full-width spaces: the first-line indent of 公文
        else:
            out.append(block.text)
    if signature:
        out.append("\n".join(signature))  # agency and date on consecutive lines, as printed
    return "\n\n".join(out) + "\n"
