"""Reports in the shapes reviewers receive them (issue 11): a web archive's metadata header, a report
whose line breaks were lost (crawled or pasted), a Markdown conversion saved as .txt, and a portal's
page around the report. Every text is our own offline draft of an example, reshaped as those sources
reshape a report; the figures are the example's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import draft_report, load_data, official
from drafting.checks import run_checks
from drafting.cli import cli
from drafting.reading import read_report, read_text
from drafting.reading.headings import looks_like_title
from drafting.reading.plain import looks_like_markdown, metadata_header
from drafting.writers import render

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "district-dept-2024.yaml"
TITLE = "示例市东湖区住房和建设局2024年政府信息公开工作年度报告"


@pytest.fixture(scope="module")
def page_text() -> str:
    text = render(draft_report(load_data(EXAMPLE)), "txt")
    assert isinstance(text, str)
    return text


@pytest.fixture(scope="module")
def as_written(page_text: str):  # type: ignore[no-untyped-def]
    return read_text(page_text, "txt")


def _errors(report) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(f.rule, f.location) for f in run_checks(report) if f.is_error]


CRAWLER_HEADER = (
    f"标题: {TITLE}\n"
    "发布时间: 2025-01-20 15:22\n"
    "文号: \n"
    "发布机构: \n"
    "栏目: 政府信息公开年报\n"
    "原文链接: https://www.example.gov.cn/zwgk/t20250120_1.htm\n"
    "本地目录: zwgk/202501/1_年度报告\n"
    "页面链接与图片详见 links.tsv(同目录)\n"
    "==================== 正文 ====================\n"
)


def test_a_crawlers_metadata_header_is_not_report_text(page_text: str, as_written) -> None:  # type: ignore[no-untyped-def]
    report = read_text(CRAWLER_HEADER + page_text, "txt")
    assert report.title == TITLE
    assert [p.text for p in report.narrative()] == [p.text for p in as_written.narrative()]
    assert _errors(report) == []  # no 半角冒号 (R3) in 发布时间: …
    assert report.narrative()[0].line == as_written.narrative()[0].line + 9  # the file's own line numbers


def test_the_header_is_recognised_by_its_shape() -> None:
    lines = CRAWLER_HEADER.splitlines()
    assert metadata_header([*lines, TITLE]).lines == 9
    assert metadata_header([*lines, TITLE]).title == TITLE
    # three key: value lines opening a text, with no separator, are a header too
    assert metadata_header([*lines[:3], TITLE, "一、总体情况"]).lines == 3
    # a lone 正文 line above the report (a crawler's remnant) is a separator
    assert metadata_header(["正文", TITLE]).lines == 1
    # a report's own first lines are never a header
    assert metadata_header([TITLE, "本报告根据《条例》编制。联系电话：0000-12345678。"]).lines == 0
    assert metadata_header([TITLE, "联系电话：0000-12345678", "一、总体情况"]).lines == 0


def test_a_report_that_lost_its_line_breaks_reads_as_written(page_text: str, as_written) -> None:  # type: ignore[no-untyped-def]
    # What a crawler keeps of a page: every line break and every cell separator gone, table digits
    # run together (FORMAT.md §9 layout 5).
    one_line = page_text.replace("\t", "").replace("\n", "")
    report = read_text(one_line, "txt")
    assert report.title == TITLE
    assert [h.text for h in report.headings] == [p.heading for p in official.PARTS]
    assert report.cells() == as_written.cells()
    assert _errors(report) == []
    assert not report.notes


def test_a_crawled_one_line_report_through_the_cli(tmp_path: Path, page_text: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text(CRAWLER_HEADER + page_text.replace("\t", "").replace("\n", ""), encoding="utf-8")
    runner = CliRunner()
    checked = runner.invoke(cli, ["check", str(path), "--json"])
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)["ok"] is True
    target = tmp_path / "data.yaml"
    imported = runner.invoke(cli, ["import", str(path), "-o", str(target)])
    assert imported.exit_code == 0, imported.output
    assert load_data(target).data.table3 == load_data(EXAMPLE).data.table3


def test_markdown_saved_as_txt_is_read_as_markdown(tmp_path: Path) -> None:
    markdown = render(draft_report(load_data(EXAMPLE)), "md")
    assert isinstance(markdown, str)
    assert looks_like_markdown(markdown.splitlines())
    path = tmp_path / "converted.txt"
    path.write_text(markdown, encoding="utf-8")
    report = read_report(path)
    reference = read_text(markdown, "md")
    assert report.kind == "md"
    assert report.cells() == reference.cells()
    assert [h.text for h in report.headings] == [p.heading for p in official.PARTS]
    assert not [f for f in run_checks(report) if f.rule == "R2"]  # its ## are not the report's own


def test_plain_page_text_is_not_taken_for_markdown(page_text: str) -> None:
    assert not looks_like_markdown(page_text.splitlines())
    assert not looks_like_markdown(["# 一个标题", "正文一段。"])


NAVIGATION = """<div class="nav"><ul><li>首页</li><li>政务公开</li></ul>
<p>政府信息公开 领导之窗 政府机构 要闻 政府会议 最新文件 政策文件库 政府工作报告 公示公告 规划信息</p>
<p>平潭政策解读 新闻发布会 回应关切</p></div>
<div class="crumbs">当前位置： 首页 &gt; 政务公开 &gt; 政府信息公开年报</div>
<div class="article"><h1>{title}</h1>
<p>来源：区住房建设局 时间：2025-01-20 16:07</p><p>微信 微博 QQ空间</p><p>文件下载</p>
<div class="content">{body}</div>
<p>附件下载</p><p>扫一扫在手机上查看当前页面</p></div>
<div class="footer"><p>主办：示例市人民政府办公室 网站标识码:0000000000 联系电话:0000-12345678</p></div>"""


@pytest.mark.parametrize("title_inside", [False, True], ids=["title-above-the-text", "title-in-the-text"])
def test_a_portals_page_is_read_without_its_navigation_and_footer(tmp_path: Path, title_inside: bool) -> None:
    html = render(draft_report(load_data(EXAMPLE)), "html")
    assert isinstance(html, str)
    body = html.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    if not title_inside:  # the portal prints the title above the text, the text starts with its preamble
        body = re.sub(r"<h1>.*?</h1>", "", body, flags=re.S)
    page = (
        f"<html><head><title>{TITLE}_政府信息公开年报_示例市人民政府</title></head><body>"
        + NAVIGATION.format(title=TITLE, body=body)
        + "</body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    report = read_report(path)
    reference = read_text(html, "html")
    assert report.title == TITLE
    assert [p.text for p in report.narrative()] == [p.text for p in reference.narrative()]
    assert report.cells() == reference.cells()
    assert _errors(report) == []
    target = tmp_path / "data.yaml"
    imported = CliRunner().invoke(cli, ["import", str(path), "-o", str(target)])
    assert imported.exit_code == 0, imported.output
    assert load_data(target).data.year == 2024


@pytest.mark.parametrize(
    "text",
    [
        TITLE,
        "示例县2023年度政府信息公开工作年度报告",
        "示例县政府信息公开工作2023年度报告",
        "示例县2023年政府信息公开年报",
        "示例县人民政府关于2023年政府信息公开工作的报告",
    ],
)
def test_titles(text: str) -> None:
    assert looks_like_title(text)


def test_a_menu_is_not_a_title() -> None:
    assert not looks_like_title(
        "政府信息公开 领导之窗 政府机构 要闻 政府会议 最新文件 政策文件库 政府工作报告 公示公告"
    )


def _wrap(text: str, width: float) -> str:
    """Text as a PDF conversion keeps it: every paragraph broken into lines as wide as ``width``
    Chinese characters (a Latin letter or digit is half as wide), indentation lost, tables left as
    they were."""
    out = []
    for line in text.splitlines():
        if "\t" in line:
            out.append(line)
            continue
        current, used = "", 0.0
        for ch in line.strip():
            step = 1.0 if ord(ch) >= 0x2E80 else 0.5
            if used + step > width:
                out.append(current)
                current, used = "", 0.0
            current += ch
            used += step
        out.append(current)
    return "\n".join(out)


def test_lines_a_pdf_wrapped_are_joined_back(page_text: str, as_written) -> None:  # type: ignore[no-untyped-def]
    wrapped = _wrap(page_text, 27).replace(
        TITLE, "示例市东湖区住房和建设局2024年政府信息公开工作\n年度报告", 1
    )
    report = read_text(wrapped, "txt")
    assert report.title == TITLE
    assert [p.text for p in report.narrative()] == [p.text for p in as_written.narrative()]
    assert report.cells() == as_written.cells()
    assert _errors(report) == []


def test_text_written_a_paragraph_a_line_is_left_alone(page_text: str, as_written) -> None:  # type: ignore[no-untyped-def]
    from drafting.reading.blocks import text_blocks
    from drafting.reading.wrapped import join_wrapped

    blocks = text_blocks(page_text)
    assert join_wrapped(blocks) == text_blocks(page_text)


def test_a_paragraph_a_page_break_cut_in_two_is_joined_back(page_text: str, as_written) -> None:  # type: ignore[no-untyped-def]
    # A conversion of a paginated report leaves a blank line where the page ended, mid-sentence.
    paragraph = next(p.text for p in as_written.paragraphs if len(p.text) > 60 and "，" in p.text[:40])
    cut = paragraph.index("，", 20) + 1
    broken = page_text.replace(paragraph, paragraph[:cut] + "\n\n" + paragraph[cut:], 1)
    assert broken != page_text
    report = read_text(broken, "txt")
    assert [p.text for p in report.narrative()] == [p.text for p in as_written.narrative()]
    # a title or a sub-heading is never joined to the paragraph after it
    assert report.title == as_written.title


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("report.wps", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "保存为 .docx"),
        ("report.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "保存为 .docx"),
        # a .doc renamed .txt by whoever passed it on: known by its content
        ("report.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧版 Word 或 WPS"),
        ("report.rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "RTF"),
    ],
)
def test_old_word_formats_name_the_conversion_to_make(
    tmp_path: Path, name: str, content: bytes, words: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    for command in (["check", str(path)], ["import", str(path)], ["import", str(path), "--format", "cells"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 2, (command, result.output)
        assert words in result.stderr and "另存为" in result.stderr
        assert "Traceback" not in result.output + result.stderr


def _generic_columns(markdown: str) -> str:
    """A Markdown conversion that could not name a table's columns: ``| 列1 | 列2 | … |`` headers."""
    lines = markdown.split("\n")
    for n, line in enumerate(lines[:-1]):
        if line.startswith("|") and re.fullmatch(r"\|(-+\|)+", lines[n + 1].replace(" ", "")):
            lines[n] = "| " + " | ".join(f"列{k + 1}" for k in range(line.count("|") - 1)) + " |"
    return "\n".join(lines)


def test_markdown_tables_with_generic_column_names() -> None:
    from drafting.evaluation.synthetic import render_page

    from .checks_support import busy_page, cells_json, errors

    page = busy_page()
    text = _generic_columns(str(render_page(page, "md")))
    assert "| 列1 | 列2 |" in text
    report = read_text(text, "md")
    assert report.cells() == cells_json(page)
    assert not errors(run_checks(report))


def _browser_copy(html: str) -> str:
    """What selecting a published page in a browser and pasting it gives: one line per block, a
    table's cells separated by tabs, its rows by line breaks, the site's menus and footer included."""
    from bs4 import BeautifulSoup
    from bs4.element import NavigableString, Tag

    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style", "title"]):
        tag.decompose()

    def cell(td: Tag) -> str:
        parts = []
        for node in td.descendants:
            if isinstance(node, Tag) and node.name in ("p", "br"):
                parts.append(" ")  # a line break inside a cell pastes as a space
            elif isinstance(node, NavigableString):
                parts.append(str(node))
        return " ".join("".join(parts).split())

    out: list[str] = []

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                out.append(str(child))
            elif isinstance(child, Tag) and child.name == "table" and child.find("table") is None:
                out.append(
                    "\n"
                    + "\n".join(
                        "\t".join(cell(td) for td in tr.find_all(["td", "th"])) for tr in child.find_all("tr")
                    )
                    + "\n"
                )
            elif isinstance(child, Tag):
                block = child.name in ("p", "div", "li", "h1", "h2", "tr", "td", "ul", "br", "table")
                out.append("\n" if block else "")
                walk(child)
                out.append("\n" if block else "")

    assert soup.body is not None
    walk(soup.body)
    return re.sub(r"\n\s*\n+", "\n\n", "".join(out)).replace("\xa0", " ")


def test_text_copied_from_a_browser_page() -> None:
    from drafting.evaluation.synthetic import render_page

    from .checks_support import busy, busy_page, cells_json, errors

    page = busy_page()
    text = _browser_copy(str(render_page(page, "portal")))
    assert "政府信息公开年报" in text.split(busy()[0].title)[0]  # the site's menu comes first
    report = read_text(text, "txt")
    assert report.title == busy()[0].title
    assert report.cells() == cells_json(page)
    assert not errors(run_checks(report)), [f.message for f in errors(run_checks(report))]


def test_a_table_after_a_line_that_stops_without_a_mark_is_not_joined_to_it(
    page_text: str, as_written
) -> None:  # type: ignore[no-untyped-def]
    heading = "三、收到和处理政府信息公开申请情况"
    intro = "本年度收到和处理政府信息公开申请的情况，按规定格式统计，全年各项数字列表如下"
    text = page_text.replace(heading + "\n", heading + "\n\n　　" + intro + "\n\n", 1)
    assert intro in text
    report = read_text(text, "txt")
    assert report.cells() == as_written.cells()
    assert any(p.text == intro for p in report.paragraphs)
