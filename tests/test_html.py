"""The portal HTML: a golden file, and the official rowspan/colspan read back with an HTML parser."""

from __future__ import annotations

import os
import re
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from drafting import __version__, official
from drafting.files import atomic_write
from drafting.tables import Table
from drafting.writers import render

from .output_support import check_golden, sample_draft


@pytest.fixture(scope="module")
def html() -> str:
    out = render(sample_draft(), "html")
    assert isinstance(out, str)
    return out


def test_matches_golden(html: str) -> None:
    check_golden("report.html", html.replace(f"drafting {__version__}", "drafting VERSION"))


_VOID = {"meta", "br", "hr", "img", "input", "link", "wbr"}


class _Tables(HTMLParser):
    """Every table as sections (thead/tbody) of rows of cells with their tag, spans, scope, text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[tuple[str, list[list[dict[str, str]]]]]] = []
        self._cell: dict[str, str] | None = None
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.stack.append(tag)
        if tag == "table":
            self.tables.append([])
        elif tag in ("thead", "tbody"):
            self.tables[-1].append((tag, []))
        elif tag == "tr":
            self.tables[-1][-1][1].append([])
        elif tag in ("th", "td"):
            self._cell = {"tag": tag, "text": "", **{k: v or "" for k, v in attrs}}
            self.tables[-1][-1][1][-1].append(self._cell)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack.pop() == tag, f"</{tag}> closes another element"
        if tag in ("th", "td"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell["text"] += data


def _parse(html: str) -> _Tables:
    parser = _Tables()
    parser.feed(html)
    assert not parser.stack, "unbalanced tags"
    return parser


def test_tables_carry_the_official_spans(html: str) -> None:
    draft = sample_draft()
    tables = _parse(html).tables
    assert len(tables) == 3
    for parsed, table_id in zip(tables, ("table2", "table3", "table4"), strict=True):
        table: Table = draft.table(table_id)
        rows = [row for _, section in parsed for row in section]
        expected = [
            [(c.text, c.rowspan, c.colspan, "td" if c.kind == "number" else "th") for c in row]
            for row in table.header + table.body
        ]
        got = [
            [(c["text"], int(c.get("rowspan", 1)), int(c.get("colspan", 1)), c["tag"]) for c in row]
            for row in rows
        ]
        assert got == expected, table_id


def test_header_rows_in_thead_and_scopes(html: str) -> None:
    tables = _parse(html).tables
    for parsed, n_header in ((tables[1], 3), (tables[2], 3)):
        assert parsed[0][0] == "thead" and len(parsed[0][1]) == n_header
        assert [tag for tag, _ in parsed[1:]] == ["tbody"]
        for row in parsed[0][1]:
            assert all(c["tag"] == "th" and c["scope"] in ("col", "colgroup") for c in row)
    table3_body = tables[1][1][1]
    labels = {c["text"]: c for row in table3_body for c in row if c["tag"] == "th"}
    assert labels[official.TABLE3_RESULTS_HEADING]["rowspan"] == "22"
    assert labels[official.TABLE3_RESULTS_HEADING]["scope"] == "row"
    assert labels["（三）不予公开"]["rowspan"] == "8"
    head = {c["text"]: c for row in tables[1][0][1] for c in row}
    assert head[official.TABLE3_APPLICANTS]["colspan"] == "7"
    assert head[official.TABLE3_LEGAL_PERSONS]["colspan"] == "5"
    assert (head[official.TABLE3_CORNER]["rowspan"], head[official.TABLE3_CORNER]["colspan"]) == ("3", "3")
    # 表二 has no header rows: one tbody per 第二十条 group.
    assert [tag for tag, _ in tables[0]] == ["tbody"] * len(official.TABLE2_GROUPS)


def test_self_contained_and_escaped(html: str) -> None:
    assert html.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert '<meta charset="utf-8">' in html
    assert "@media print" in html and "@page" in html
    assert not re.search(r"<link|<script|<img|<iframe|@import|url\(", html)
    assert "&lt;测试&gt;" in html and "<测试>" not in html  # narrative is text, never markup
    assert "a=1&amp;b=2" in html
    assert '<span class="run-in">（一）主动公开。</span>' in html
    assert '<mark class="todo">【待补充：依申请公开的工作流程】</mark>' in html
    for part in official.PARTS:
        assert f">{part.heading}</h2>" in html


def test_written_file_is_readable_like_any_new_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    old = os.umask(0o022)
    try:
        atomic_write(out, render(sample_draft(), "html"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not mkstemp's private 0600
