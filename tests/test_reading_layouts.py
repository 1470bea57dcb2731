"""Reading reports in every layout of FORMAT.md §9: every table cell comes back exactly, under its
official label, whatever the page looked like."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting import official
from drafting.checks import run_checks
from drafting.data import load_data
from drafting.evaluation.synthetic import (
    LAYOUTS,
    PageItem,
    corpus_data,
    make_draft,
    page_of,
    render_page,
    table2_2019,
    table3_2019,
    variant,
)
from drafting.reading import read_report, read_text

from .checks_support import (
    CORPUS,
    REAL_FIGURES,
    REFERENCE_LAYOUT,
    REFERENCE_TEXT,
    busy,
    busy_page,
    cells_json,
    errors,
    needs_corpus,
    needs_reference,
    read,
    rules,
    text_of,
    write,
)

SUFFIX = {"md": ".md", "html": ".html", "docx": ".docx"}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_reads_every_cell(layout: str, tmp_path: Path) -> None:
    page = busy_page()
    content = render_page(page, layout)
    path = write(tmp_path / f"report{SUFFIX.get(layout, '.txt')}", content)
    report = read_report(path)
    assert report.cells() == cells_json(page)
    assert [h.part for h in report.headings] == [p.id for p in official.PARTS]
    assert report.year == busy()[0].year
    assert not errors(run_checks(report))


@needs_corpus
@pytest.mark.parametrize("layout", ["txt", "concat", "paragraphs", "html"])
def test_real_figures_read_exactly(layout: str) -> None:
    page = page_of(make_draft(corpus_data(CORPUS / "real-003.yaml")))
    report = read(text_of(page, layout), layout)
    assert report.cells() == cells_json(page)


@pytest.mark.parametrize("layout", ["txt", "concat", "paragraphs", "html"])
def test_real_figures_of_our_example_read_exactly(layout: str) -> None:
    page = page_of(make_draft(load_data(REAL_FIGURES).data))
    report = read(text_of(page, layout), layout)
    assert report.cells() == cells_json(page)


def test_our_draft_file_reads_its_tables(tmp_path: Path) -> None:
    data, draft = busy()
    report = read_report(write(tmp_path / "r.draft.json", draft.to_json()))
    assert report.kind == "draft"
    assert report.data == data
    assert report.cells() == cells_json(page_of(draft))


@pytest.mark.parametrize("quirk", ["fullwidth", "enum_comma", "halfparens", "spaces", "pagebreak"])
@pytest.mark.parametrize("layout", ["txt", "pipe", "lines", "paragraphs"])
def test_quirks_of_real_pages(quirk: str, layout: str) -> None:
    page = busy_page()
    text = variant(text_of(page, layout), quirk)
    assert read(text, layout).cells() == cells_json(page)


def test_gb18030_text_is_read(tmp_path: Path) -> None:
    page = busy_page()
    path = write(tmp_path / "r.txt", text_of(page).encode("gb18030"))
    assert read_report(path).cells() == cells_json(page)


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(REFERENCE_TEXT, marks=needs_reference, id="published"),
        pytest.param(REFERENCE_LAYOUT, id="ours"),
    ],
)
def test_the_reference_report_reads_with_no_error(page: Path) -> None:
    report = read_report(page)
    assert report.title == "大兴安岭地区行政公署绿色产品产业发展局2023年政府信息公开工作年度报告"
    assert report.agency == "大兴安岭地区行政公署绿色产品产业发展局"
    assert len(report.headings) == 6
    cells = report.cells()
    assert all(v == [0] * 7 for v in cells["table3"]["rows"].values())
    assert len(cells["table3"]["rows"]) == 25
    assert cells["table4"] == [0] * 15
    assert cells["table2"]["行政规范性文件"] == {"本年制发件数": 0, "本年废止件数": 0, "现行有效件数": 0}
    findings = run_checks(report)
    assert not errors(findings)
    # its leaf rows lost their 总计 cell and 表四 its last column: derived, and said so
    assert "H5" in rules(findings, "warning")


def test_digits_run_together_as_in_real_reports() -> None:
    # FORMAT.md §9 layout 5 and the corpus layout notes (real-003, real-004)
    text = "\n".join(
        [
            "三、收到和处理政府信息公开申请情况",
            "一、本年新收政府信息公开申请数量 640020470",
            "二、上年结转政府信息公开申请数量 0000000",
            "三、本年度办理结果（一）予以公开 270020130",
            "（四）无法提供1.本机关不掌握相关政府信息 2200003252.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000",
            "（五）不予处理1.信访举报投诉类申请 500000 5",
            "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议 行政诉讼",
            "10203120001200000",
        ]
    )
    report = read_text(text)
    rows = report.cells()["table3"]["rows"]
    assert rows["一、本年新收政府信息公开申请数量"] == [64, 0, 0, 2, 0, 4, 70]
    assert rows["（一）予以公开"] == [27, 0, 0, 2, 0, 1, 30]
    assert rows["（四）无法提供/1.本机关不掌握相关政府信息"] == [22, 0, 0, 0, 0, 3, 25]
    assert rows["（四）无法提供/2.没有现成信息需要另行制作"] == [0] * 7
    assert rows["（五）不予处理/1.信访举报投诉类申请"] == [5, 0, 0, 0, 0, 0, 5]
    assert report.cells()["table4"] == [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]


def test_an_ambiguous_split_is_said_and_last_year_settles_it() -> None:
    text = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 000\n行政规范性文件 8855698\n"
    report = read_text(text)
    assert report.cells()["table2"]["行政规范性文件"] == {
        "本年制发件数": 88,
        "本年废止件数": 55,
        "现行有效件数": 698,
    }
    assert any(n.rule == "SPLIT" and "8855698" in n.message for n in report.notes)
    last = busy()[0].model_copy(deep=True)
    last_t2 = last.table2.model_copy(
        update={"normative": last.table2.normative.model_copy(update={"in_force": 665})}
    )
    findings = run_checks(report, previous=last.model_copy(update={"table2": last_t2, "year": 2021}))
    assert "SPLIT" not in rules(findings)
    assert report.cells()["table2"]["行政规范性文件"]["现行有效件数"] == 698


def test_pipe_rows_with_merged_cells_and_half_width_labels() -> None:
    # real-009's layout: group labels share the row with the first sub-row; ASCII parentheses
    text = "\n".join(
        [
            "| 项目 | | 申请人情况 | | | | | | |",
            "| | | 自然人 | 法人或其他组织 | | | | | 总计 |",
            "| |||商业企业|科研机构|社会公益组织|法律服务机构|其他| |",
            "一、本年新收政府信息公开申请数量 | 58 | 7 | 0 | 0 | 1 | 0 | 66 |",
            "二、上年结转政府信息公开申请数量 | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
            "三、本年度办理结果 | (一)予以公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3 |",
            "| (二)部分公开(区分处理的,只计这一情形,不计其他情形) | 16 | 1 | 0 | 0 | 0 | 0 | 17 |",
            "(三)不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
            "| 5.属于三类内部事务信息 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        ]
    )
    rows = read_text(text).cells()["table3"]["rows"]
    assert rows["一、本年新收政府信息公开申请数量"] == [58, 7, 0, 0, 1, 0, 66]
    assert rows["（一）予以公开"] == [2, 1, 0, 0, 0, 0, 3]
    assert rows[official.TABLE3_ROWS[3].cells_label] == [16, 1, 0, 0, 0, 0, 17]
    assert rows["（三）不予公开/5.属于三类内部事务信息"] == [1, 0, 0, 0, 0, 0, 1]


def test_one_cell_per_paragraph_with_split_labels_and_leading_spaces() -> None:
    # real-011's layout: cells separated by blank lines, a leading space, header words split
    text = "\n\n".join(
        [
            "商业",
            "企业",
            "科研",
            "机构",
            "一、本年新收政府信息公开申请数量",
            *[" 0"] * 7,
            "二、上年结转政府信息公开申请数量",
            *[" 1", " 0", " 0", " 0", " 0", " 0", " 1"],
        ]
    )
    rows = read_text(text).cells()["table3"]["rows"]
    assert rows["二、上年结转政府信息公开申请数量"] == [1, 0, 0, 0, 0, 0, 1]


def test_blank_cells_are_null_in_every_layout() -> None:
    from drafting.evaluation.synthetic import set_cell

    page = busy_page()
    n, item = next((n, i) for n, i in enumerate(page.items) if i.table is not None and i.table.id == "table3")
    assert item.table is not None
    page.items[n] = PageItem("table", table=set_cell(item.table, 2, 1, None), part="requests")
    for layout in ("txt", "md", "pipe", "lines", "html"):
        report = read(text_of(page, layout), layout)
        assert report.cells()["table3"]["rows"]["（一）予以公开"][1] is None, layout
        assert "H5" in rules(errors(run_checks(report)))


def test_a_later_report_in_the_2019_layout_is_read_and_flagged() -> None:
    data, draft = busy()
    page = page_of(draft)
    for n, item in enumerate(page.items):
        if item.table is not None and item.table.id == "table2":
            page.items[n] = PageItem("table", table=table2_2019(data), part="proactive")
        if item.table is not None and item.table.id == "table3":
            page.items[n] = PageItem("table", table=table3_2019(item.table), part="requests")
    for layout in ("txt", "html", "lines"):
        report = read(text_of(page, layout), layout)
        assert report.table3 is not None and report.table3.version == "2019"
        assert report.table2 is not None and report.table2.version == "2019"
        assert "（六）其他处理" in report.cells()["table3"]["rows"]
        assert "规范性文件" in report.cells()["table2"]
        assert "P2" in rules(errors(run_checks(report)))


def test_labels_are_the_official_ones() -> None:
    rows = read(variant(text_of(busy_page()), "spaces")).cells()["table3"]["rows"]
    assert list(rows) == [r.cells_label for r in official.TABLE3_ROWS]


def test_a_label_typo_is_read_and_warned() -> None:
    text = text_of(busy_page()).replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    report = read(text)
    assert "（三）不予公开/2.其他法律行政法规禁止公开" in report.cells()["table3"]["rows"]
    assert "S2" in rules(run_checks(report), "warning")


def test_a_header_band_run_together_on_one_line_still_starts_table_four(tmp_path: Path) -> None:
    # Layout 5 (no separators at all): 表四's whole two-level header on one line, then its 15
    # numbers run together — written by hand here, not by the corpus generator.
    import json

    from click.testing import CliRunner

    from drafting.cli import cli
    from drafting.data import load_data
    from drafting.tables import table4_values

    from .conftest import EXAMPLES

    data = load_data(EXAMPLES / "pingtan-2021.yaml").data
    outcomes = "".join(label for _, label in official.TABLE4_COLUMNS) + official.TOTAL_LABEL
    header = "行政复议行政诉讼" + outcomes + "未经复议直接起诉复议后起诉" + outcomes * 2
    values = table4_values(data.table4)
    text = "\n".join(
        [
            f"{data.agency.name}{data.year}年政府信息公开工作年度报告",
            "四、政府信息公开行政复议、行政诉讼情况",
            header,
            "".join(str(v) for v in values),
            "五、存在的主要问题及改进情况",
        ]
    )
    page = tmp_path / "report.txt"
    page.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(page), "--format", "cells"])
    assert json.loads(result.stdout)["table4"] == values
