"""The checks on what real published reports write (issue 11 item 5): long-form lists of the parts,
一是/二是 lists broken over paragraphs, sentences about the year's state in 五, a title that puts the
year first, the 2019 试行 format's reports, a 2021 表二 whose row keeps the old name. Every text is our
own report (``checks_support.handwritten``) rewritten in the shape real reports take."""

from __future__ import annotations

import pytest

from drafting import official
from drafting.reading import read_text

from .checks_support import busy, errors, findings_of, handwritten, rules

LISTING = "由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成"


@pytest.mark.parametrize(
    "listing",
    [
        "包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、因政府信息公开申请行政复议、提起行政诉讼的情况、"
        "政府信息公开工作存在的主要问题及改进情况和其他需要报告的事项等六个部分",
        "包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况，"
        "存在的主要问题及改进情况以及其他需要报告的事项等六部分",
        "由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
        "存在的主要问题及改进情况、其他需要报告的事项共六个部分组成",
    ],
)
def test_a_long_form_list_of_the_six_parts_counts_six(listing: str) -> None:
    text = handwritten()
    assert LISTING in text
    text = text.replace(LISTING, "《中华人民共和国政府信息公开条例》要求编制，" + listing)
    assert "S5" not in rules(findings_of(text))


def test_a_list_that_leaves_a_part_out_is_still_found() -> None:
    text = handwritten().replace(LISTING, LISTING.replace("存在的主要问题及改进情况、", ""))
    found = [f for f in errors(findings_of(text)) if f.rule == "S5"]
    assert found and "存在的主要问题及改进情况" in found[0].message


def test_a_list_broken_over_paragraphs_is_one_list() -> None:
    text = handwritten().replace(
        "　　（三）政府信息管理。一是严格公开前保密审查；二是落实三级审核制度。",
        "　　（三）政府信息管理。一是严格公开前保密审查。\n　　二是落实三级审核制度。\n　　三是做好历史信息清理。",
    )
    assert "R4" not in rules(findings_of(text))
    # a paragraph opening on 三是 whose list began out of sight (a heading, a lost line) is not judged
    lost = handwritten().replace(
        "　　（五）监督保障。将政务公开纳入年度绩效考核。",
        "　　（五）监督保障。\n　　三是将政务公开纳入年度绩效考核。",
    )
    assert "R4" not in rules(findings_of(lost))


@pytest.mark.parametrize(
    "edit",
    [
        ("一是严格", "二是严格"),  # a list begun inside a paragraph begins at 一是
        ("二是落实三级审核制度。", "三是落实三级审核制度。"),  # a gap
        ("二是落实三级审核制度。", "二是落实三级审核制度。二是开展培训。"),  # a repeat
    ],
)
def test_a_broken_list_is_still_found(edit: tuple[str, str]) -> None:
    text = handwritten().replace(*edit)
    assert "R4" in rules(errors(findings_of(text)))


def test_a_list_continued_in_the_next_paragraph_is_judged_across_it() -> None:
    text = handwritten().replace(
        "　　（三）政府信息管理。一是严格公开前保密审查；二是落实三级审核制度。",
        "　　（三）政府信息管理。一是严格公开前保密审查。\n　　二是落实三级审核制度。二是做好历史信息清理。",
    )
    assert "R4" in rules(errors(findings_of(text)))


def test_a_sentence_about_the_years_state_in_five_is_not_an_improvement_plan() -> None:
    y = busy()[0].year
    state = f"　　{y}年，我局政府信息公开工作取得一定成效，但仍存在短板：一是政策解读多样性需进一步加强；二是队伍不够稳定。"
    text = handwritten().replace(
        f"　　{y}年，我局政府信息公开工作还存在一些不足：一是政策解读形式较为单一；二是队伍不够稳定。", state
    )
    assert state in text
    assert "Y3" not in rules(findings_of(text))
    # a plan dated this year is still wrong
    stale = handwritten().replace(f"　　{y + 1}年，我局将重点做好", f"　　{y}年，我局将重点做好")
    assert "Y3" in rules(errors(findings_of(stale)))


def test_a_title_with_the_year_first_is_a_suggestion_not_an_error() -> None:
    data = busy()[0]
    title = data.title
    turned = f"{data.year}年{data.agency.name}政府信息公开工作年度报告"
    report = read_text(handwritten().replace(title, turned, 1))
    assert report.year == data.year and report.agency == data.agency.name
    found = [f for f in findings_of(handwritten().replace(title, turned, 1)) if f.rule == "S6"]
    assert found and all(f.severity == "warning" for f in found)
    # a garbled title is still an error
    garbled = handwritten().replace("政府信息公开工作年度报告\n", "政府信息公开工作告年度报\n", 1)
    assert "S6" in rules(errors(findings_of(garbled)))


def _without_sub_parts(text: str) -> str:
    for n, (_, title) in enumerate(official.OVERVIEW_SUBSECTIONS, 1):
        head = f"{official.paren_ordinal(n)}{title}。"
        assert head in text
        text = text.replace(head, "")
    return text


def test_the_five_sub_parts_are_not_demanded_of_a_2019_report() -> None:
    data = busy()[0].model_copy(update={"year": 2019})
    found = [f for f in findings_of(_without_sub_parts(handwritten(data))) if f.rule == "S3"]
    assert found and all(f.severity == "warning" for f in found)
    # a 2021 report still must have them
    assert "S3" in rules(errors(findings_of(_without_sub_parts(handwritten()))))


def test_a_2021_table_two_whose_row_keeps_the_old_name_is_read_as_2021() -> None:
    text = handwritten().replace("行政规范性文件\t", "规范性文件\t")
    report = read_text(text)
    assert report.table2 is not None and report.table2.version == "2021"
    found = findings_of(text)
    assert "P2" not in rules(found)
    assert any(f.rule == "S2" and f.severity == "warning" and "行政规范性文件" in f.message for f in found)
    assert not errors(found), [f.message for f in errors(found)]
