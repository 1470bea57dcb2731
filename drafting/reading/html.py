"""HTML pages (a portal's report page, or our own HTML) → blocks. BeautifulSoup is imported here
only, when an HTML file is read."""

from __future__ import annotations

from typing import Any

from .blocks import Block, Grid, Line, expand_spans
from .normalize import clean_line

_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "td", "th"}
_SKIP_TAGS = {"script", "style", "noscript", "head", "nav", "footer", "iframe", "svg", "button", "select"}


def html_blocks(text: str) -> tuple[list[Block], str]:
    """The page's blocks in reading order, and its ``<title>`` (a hint for the report title)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    title = clean_line(soup.title.get_text()) if soup.title else ""
    for tag in soup.find_all(_SKIP_TAGS):
        tag.decompose()
    out: list[Block] = []
    body = soup.body or soup
    _walk(body, out)
    for n, block in enumerate(out, 1):
        if isinstance(block, Line):
            block.para = n
        else:
            block.para = n
    return out, title


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
            text = " ".join(clean_line(s) for s in cell.get_text("\n").split("\n") if clean_line(s))
            cells.append((text, _span(cell.get("rowspan")), _span(cell.get("colspan"))))
        rows.append(cells)
    return Grid(expand_spans(rows))


def _span(value: Any) -> int:
    try:
        return max(1, min(int(str(value).strip()), 100))
    except (TypeError, ValueError):
        return 1
