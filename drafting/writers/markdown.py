"""Markdown, for review and diffs (never the internal format)."""

from __future__ import annotations

from ..document import Draft
from ..tables import render_markdown
from .blocks import blocks


def render(draft: Draft) -> str:
    out = [f"# {draft.title}"]
    for block in blocks(draft):
        if block.kind == "heading":
            out.append(f"## {block.text}")
        elif block.kind == "subheading":
            out.append(f"### {block.text}")
        elif block.table is not None:
            out.append(render_markdown(block.table))
        else:
            out.append(block.text)
    return "\n\n".join(out) + "\n"
