"""HTML pages (a portal's report page, or our own HTML) → blocks. BeautifulSoup is imported here
only, when an HTML file is read."""

from __future__ import annotations

import re
from typing import Any

from .blocks import Block, Grid, Line, expand_spans
from .headings import looks_like_title, match_heading
from .normalize import clean_line

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "td", "th"}
_SKIP_TAGS = {"script", "style", "noscript", "head", "nav", "footer", "iframe", "svg", "button", "select"}


def html_blocks(text: str) -> tuple[list[Block], str]:
    """The report's blocks in reading order, and the page's ``<title>`` without the site's name (a
    hint for the report title). On a portal's page the report is a part of it: when the part
    headings sit in one container, only that container is read, after the title line found above
    it — the site's navigation, breadcrumbs, share buttons and footer stay out."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    title = _page_title(clean_line(soup.title.get_text())) if soup.title else ""
    for tag in soup.find_all(_SKIP_TAGS):
        tag.decompose()
    out: list[Block] = []
    body = soup.body or soup
    container = _report_container(body)
    if container is None:
        _walk(body, out)
    else:
        _walk(container, out)
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


def _walk(node: Any, out: list[Block]) -> None:
    from bs4.element import NavigableString, Tag

    buffer: list[str] = []

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        for part in text.split("\n"):
            part = clean_line(part)
            if part:
                out.append(Line(part))

    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                continue
            buffer.append(str(child).replace("\n", " "))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name or ""
        if name == "br":
            buffer.append("\n")
        elif name == "table":
            flush()
            if child.find("table") is not None:
                _walk_container_table(child, out)
            else:
                out.append(_grid(child))
        elif name in _BLOCK_TAGS or child.find(_BLOCK_TAGS | {"table", "br"}) is not None:
            flush()
            level = int(name[1]) if len(name) == 2 and name[0] == "h" and name[1].isdigit() else 0
            before = len(out)
            _walk(child, out)
            if level and len(out) == before + 1 and isinstance(out[-1], Line):
                out[-1].heading_level = level
        else:
            buffer.append(child.get_text())
    flush()


def _walk_container_table(table: Any, out: list[Block]) -> None:
    """A layout table wrapping the content (common on portals): read its cells as blocks."""
    for cell in table.find_all(["td", "th"], recursive=True):
        if cell.find_parent("table") is table:
            _walk(cell, out)


def _grid(table: Any) -> Grid:
    rows = []
    for tr in table.find_all("tr"):
        cells = []
        for cell in tr.find_all(["td", "th"], recursive=False):
            text = " ".join(clean_line(s) for s in _cell_text(cell).split("\n") if clean_line(s))
            cells.append((text, _span(cell.get("rowspan")), _span(cell.get("colspan"))))
        rows.append(cells)
    return Grid(expand_spans(rows))


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
