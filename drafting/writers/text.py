"""Plain text, laid out like a report's published page text (tables tab-separated)."""

from __future__ import annotations

from ..document import Draft
from ..tables import render_text
from .blocks import blocks


def render(draft: Draft) -> str:
    out = [draft.title]
    for block in blocks(draft):
        if block.table is not None:
            out.append(render_text(block.table))
        elif block.kind == "paragraph":
            out.append("　　" + block.text)  # two full-width spaces: the first-line indent of 公文
        else:
            out.append(block.text)
    return "\n\n".join(out) + "\n"
