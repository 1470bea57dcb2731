"""HTML pages (a portal's report page, or our own HTML) → blocks. BeautifulSoup is imported here
only, when an HTML file is read.

The page is walked with a stack of our own, not by recursion: pages nest ``div`` inside ``div``
without limit (1,000 levels ended in a RecursionError). Whether an element holds a block, a table
or a line break anywhere below it is found in one pass up from the leaves, not by searching each
element's subtree again. bs4's warnings (a page that declares XML, or a DTD) are English and say
nothing a reader of ours could act on: they are silenced."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .blocks import Block, Grid, Line, expand_spans
from .headings import looks_like_title, match_heading
from .normalize import clean_line

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "td", "th"}
_SKIP_TAGS = {"script", "style", "noscript", "head", "nav", "footer", "iframe", "svg", "button", "select"}


def html_blocks(text: str, source: str = "") -> tuple[list[Block], str]:
    """The report's blocks in reading order, and the page's ``<title>`` without the site's name (a
    hint for the report title). On a portal's page the report is a part of it: when the part
    headings sit in one container, only that container is read, after the title line found above
    it — the site's navigation, breadcrumbs, share buttons and footer stay out."""
    from bs4 import BeautifulSoup

    _quiet_bs4()
    soup = BeautifulSoup(text, "lxml")
    title = _page_title(clean_line(soup.title.get_text())) if soup.title else ""
    for tag in soup.find_all(_SKIP_TAGS):
        tag.decompose()
    out: list[Block] = []
    body = soup.body or soup
    container = _report_container(body)
    if container is None:
        _walk(body, out, source)
    else:
        _walk(container, out, source)
        opening = [b.text for b in out[:6] if isinstance(b, Line)]
        titled = any(
            looks_like_title(a) or looks_like_title(a + b)
            for a, b in zip(opening, [*opening[1:], ""], strict=True)
        )
        above = "" if titled else _title_above(container)
        if above:
            out.insert(0, Line(above))
    for n, block in enumerate(out, 1):
        if isinstance(block, Line):
            block.para = n
        else:
            block.para = n
    return out, title


def _page_title(text: str) -> str:
    """``<report title>_<column>_<site>`` → the report title (portals join them with _, |, -)."""
    pieces = [p for p in re.split(r"\s*[_|｜]\s*|\s+[-—–]+\s+", text) if p]
    return next((p for p in pieces if looks_like_title(p)), text)


def _report_container(body: Any) -> Any | None:
    """The innermost element holding every numbered part heading of the page (three at least),
    unless that is the whole body."""
    from bs4.element import NavigableString

    holders = [
        s.parent
        for s in body.find_all(string=True)
        if isinstance(s, NavigableString) and "、" in s and match_heading(clean_line(str(s))) is not None
    ]
    if len(holders) < 3:
        return None
    chains = []
    for node in holders:
        chain = []
        while node is not None:
            chain.append(node)
            node = node.parent
        chains.append(chain[::-1])
    common = None
    for level in zip(*chains, strict=False):
        if all(node is level[0] for node in level):
            common = level[0]
        else:
            break
    return None if common is None or common is body or common.name in ("html", "[document]") else common


def _title_above(container: Any) -> str:
    """The nearest line above the report's container that reads as a report title."""
    for n, string in enumerate(container.find_all_previous(string=True)):
        if n > 200:
            break
        line = clean_line(str(string))
        if looks_like_title(line):
            return line
    return ""


@functools.cache
def _quiet_bs4() -> None:
    import warnings

    import bs4

    for category in (
        bs4.XMLParsedAsHTMLWarning,
        bs4.MarkupResemblesLocatorWarning,
        bs4.GuessedAtParserWarning,
        bs4.UnusualUsageWarning,
    ):
        warnings.filterwarnings("ignore", category=category)


_HOLDERS = _BLOCK_TAGS | {"table", "br"}


def _holding(root: Any) -> tuple[set[int], set[int]]:
    """The elements under ``root`` that hold, somewhere below them, a block, a table or a line
    break; and those that hold a table. One pass, from the leaves up (reversed document order
    puts every element after all its descendants)."""
    from bs4.element import Tag

    holds_block: set[int] = set()
    holds_table: set[int] = set()
    tags = [t for t in root.descendants if isinstance(t, Tag)]
    for tag in reversed(tags):
        parent = tag.parent
        if parent is None:
            continue
        if tag.name in _HOLDERS or id(tag) in holds_block:
            holds_block.add(id(parent))
        if tag.name == "table" or id(tag) in holds_table:
            holds_table.add(id(parent))
    return holds_block, holds_table


@dataclass
class _Frame:
    """An element being walked: its children still to come, the inline text gathered since the
    last block, its heading level, and how many blocks there were when it began."""

    children: Iterator[Any]
    buffer: list[str] = field(default_factory=list)
    level: int = 0
    before: int = 0


def _walk(root: Any, out: list[Block], source: str = "") -> None:
    from bs4.element import NavigableString, Tag

    holds_block, holds_table = _holding(root)
    stack = [_Frame(iter(root.children), before=len(out))]
    while stack:
        frame = stack[-1]
        child = next(frame.children, None)
        if child is None:
            _flush(frame.buffer, out)
            stack.pop()
            if frame.level and len(out) == frame.before + 1 and isinstance(out[-1], Line):
                out[-1].heading_level = frame.level
            continue
        if isinstance(child, NavigableString):
            if type(child).__name__ not in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                frame.buffer.append(str(child).replace("\n", " "))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name or ""
        if name == "br":
            frame.buffer.append("\n")
        elif name == "table":
            _flush(frame.buffer, out)
            if id(child) in holds_table:
                # A layout table wrapping the content (common on portals): its cells are read as
                # blocks, in order (pushed last first, so the first comes off the stack first).
                for cell in reversed(_own_cells(child)):
                    stack.append(_Frame(iter(cell.children), before=len(out)))
            else:
                out.append(_grid(child, source))
        elif name in _BLOCK_TAGS or id(child) in holds_block:
            _flush(frame.buffer, out)
            level = int(name[1]) if len(name) == 2 and name[0] == "h" and name[1].isdigit() else 0
            stack.append(_Frame(iter(child.children), level=level, before=len(out)))
        else:
            frame.buffer.append(child.get_text())


def _flush(buffer: list[str], out: list[Block]) -> None:
    text = "".join(buffer)
    buffer.clear()
    for part in text.split("\n"):
        part = clean_line(part)
        if part:
            out.append(Line(part))


def _own_cells(table: Any) -> list[Any]:
    """The cells of this table itself, not of the tables inside it: its rows, directly or in its
    ``thead``/``tbody``/``tfoot``, and their ``td``/``th``."""
    from bs4.element import Tag

    def tags(node: Any, names: tuple[str, ...]) -> list[Any]:
        return [c for c in node.children if isinstance(c, Tag) and c.name in names]

    rows = tags(table, ("tr",))
    for group in tags(table, ("thead", "tbody", "tfoot")):
        rows += tags(group, ("tr",))
    return [cell for row in rows for cell in tags(row, ("td", "th"))]


def _grid(table: Any, source: str = "") -> Grid:
    rows = []
    for tr in table.find_all("tr"):
        cells = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            text = " ".join(clean_line(s) for s in _cell_text(cell).split("\n") if clean_line(s))
            cells.append((text, _span(cell.get("rowspan")), _span(cell.get("colspan"))))
        rows.append(cells)
    return Grid(expand_spans(rows, source))


_LINE_TAGS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "table", "tr"}


def _cell_text(cell: Any) -> str:
    """A cell's text with its line breaks where the page breaks lines (``<p>``, ``<br>``, ``<div>``),
    never inside inline markup: a word processor's export splits ``12`` as
    ``<span>1</span><span>2</span>``, which is one number."""
    from bs4.element import NavigableString, Tag

    out: list[str] = []
    for node in cell.descendants:
        if isinstance(node, Tag) and node.name in _LINE_TAGS:
            out.append("\n")
        elif isinstance(node, NavigableString) and type(node).__name__ == "NavigableString":
            out.append(str(node).replace("\n", " "))
    return "".join(out)


def _span(value: Any) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1
