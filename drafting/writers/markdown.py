"""Markdown, for review and diffs (never the internal format).

The title and the paragraphs carry the author's words (facts, the agency's name, hand edits, a
model's answers), and a Markdown viewer renders whatever markup they hold: ``<script>`` runs in a
viewer that passes HTML through, ``[链接](javascript:…)`` becomes a link, a fact opening with ``#``
a heading. So in them HTML's ``<`` and ``&`` become entities, link and emphasis characters and a
line's opening block marker are escaped with a backslash: each renders as the character itself.
"""

from __future__ import annotations

import re

from ..document import Draft
from ..tables import render_markdown
from .blocks import blocks

_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")  # where raw HTML would start
_ENTITY = re.compile(r"&(?=#?\w+;)")  # where an entity would be read
_INLINE = re.compile(r"([\\`*\[\]])")
_BLOCK_START = re.compile(r"^(\s*)([#>|=~+-])")
_NUMBERED = re.compile(r"^(\s*\d+)([.)])(?=\s|$)")  # 1. opens a list: its dot is escaped


def escape(text: str) -> str:
    """The author's text as Markdown that shows it as typed."""
    lines = []
    for line in text.split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        line = _ENTITY.sub("&amp;", line)
        line = _TAG_OPEN.sub("&lt;", line)
        line = _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        line = _NUMBERED.sub(lambda m: m.group(1) + "\\" + m.group(2), line)
        lines.append(line)
    return "\n".join(lines)


def render(draft: Draft) -> str:
    out = [f"# {escape(draft.title)}"]
    for block in blocks(draft):
        if block.kind == "heading":
            out.append(f"## {block.text}")
        elif block.kind == "subheading":
            out.append(f"### {block.text}")
        elif block.table is not None:
            out.append(render_markdown(block.table))
        else:
            out.append(escape(block.text))
    return "\n\n".join(out) + "\n"
