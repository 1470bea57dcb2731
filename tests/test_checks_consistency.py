"""Consistency: numbers in the narrative against the figures (labelled counts, claims, fees, and
every number when the author's data is known)."""

from __future__ import annotations

import pytest

from drafting.checks import check_section, run_checks
from drafting.reading import read_text

from .checks_support import busy, errors, findings_of, handwritten, rules


def _overview_sentence(sentence: str, strict: bool = False) -> set[str]:
    """The rules a lone sentence of 一、总体情况 breaks (its missing sub-parts aside)."""
    found = check_section("overview", [sentence], busy()[0], strict_numbers=strict)
    return rules(f for f in errors(found) if f.category != "structure")


# busy(): 一 150, 二 2, （七） 151, 四 1; 予以公开 52, 部分公开 25, 不予公开 14; 复议 2 (纠正 1, 其他 1).
@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("2023年，我局新收政府信息公开申请150件，上年结转2件，合计办理152件。", None),
        ("2023年，我局收到政府信息公开申请152件。", "N1"),  # 收到 means 一 (150), not 一+二
        ("2023年，我局受理政府信息公开申请152件。", None),  # 受理/办理 may count 一+二
        ("全年办结政府信息公开申请150件。", "N1"),
        ("本年度共收到150件申请，办结151件，1件结转下年度。", None),
        ("本年度共收到150件申请，办结151件，2件结转下年度。", "N1"),
        ("其中予以公开52件、部分公开25件、不予公开14件。", None),
        ("其中予以公开52件、部分公开26件。", "N2"),
        ("予以公开及部分公开共77件。", None),
        ("全年被申请政府信息公开行政复议2件，行政诉讼0件。", None),
        ("全年被申请政府信息公开行政复议3件。", "N3"),
        ("行政复议案件均获维持。", "N3"),
        ("2023年，我局未收到政府信息公开申请。", "N3"),
        ("全年未发生因政府信息公开引起的行政复议、行政诉讼案件。", "N3"),
        ("全年未发生政府信息公开行政诉讼案件。", None),
        ("现行有效行政规范性文件57件。", None),
        ("制发行政规范性文件0件，废止3件，现行有效64件。", "N4"),
        ("2023年，我局未制发行政规范性文件。", None),
        ("全年收到申请一百五十件。", None),
        ("全年收到申请一百五十二件。", "N1"),
    ],
)
def test_labelled_counts_and_claims(sentence: str, rule: str | None) -> None:
    found = _overview_sentence(sentence)
    assert (rule in found) if rule else not found, found


def test_unlabelled_numbers_need_data_to_be_held() -> None:
    text = handwritten().replace("以政府网站为第一平台", "以政府网站为第一平台，全年发布信息98765条")
    assert not errors(findings_of(text))  # without a data file: the website count is no one's error
    data = busy()[0]
    assert "N0" in rules(errors(run_checks(read_text(text), data)))
    assert "N0" in _overview_sentence("全年发布信息98765条。", strict=True)
    assert not _overview_sentence("全年发布信息98765条。", strict=False) - {"N0"}


def test_facts_bind_their_numbers_in_chinese_too() -> None:
    data = busy()[0]
    fact = next(f for f in data.facts.oversight or [] if "培训" in f)
    assert "N0" not in rules(check_section("overview", [f"（五）监督保障。{fact}。"], data))
    assert "N0" in rules(check_section("overview", ["（五）监督保障。组织政务公开业务培训九十九次。"], data))


def test_fee_rules() -> None:
    text = handwritten()
    fee = "发出政府信息公开收费通知1件，应收信息处理费100元，未实际收取信息处理费。"
    assert fee in text
    assert "F1" in rules(errors(findings_of(text.replace(fee, "无其他需要报告的事项。"))))
    # 表三（六）2 has 1 application dropped for unpaid fees: 0 notices cannot be
    assert "F2" in rules(
        errors(findings_of(text.replace(fee, "发出政府信息公开收费通知0件，未收取信息处理费。")))
    )
    f3 = text.replace(fee, "发出政府信息公开收费通知0件，收取信息处理费300元。")
    assert "F3" in rules(errors(findings_of(f3)))
    data = busy()[0]
    wrong = text.replace(fee, "发出政府信息公开收费通知3件，应收信息处理费100元，未实际收取信息处理费。")
    assert "F2" in rules(errors(run_checks(read_text(wrong), data)))


def test_check_section_on_a_single_section() -> None:
    data = busy()[0]
    good = check_section("improvements", [f"{data.year + 1}年，我局将继续加强业务培训。"], data)
    assert not errors(good)
    bad = check_section("improvements", [f"{data.year}年，我局将继续加强业务培训。"], data)
    assert "Y3" in rules(errors(bad))
    with pytest.raises(ValueError):
        check_section("nonsense", ["x"], data)


def test_check_section_shape_of_the_overview_and_empty_sections() -> None:
    data = busy()[0]
    heads = [
        "（一）主动公开。",
        "（二）依申请公开。",
        "（三）政府信息管理。",
        "（四）政府信息公开平台建设。",
        "（五）监督保障。",
    ]
    assert not errors(check_section("overview", [h + "依法做好相关工作。" for h in heads], data))
    assert "S3" in rules(errors(check_section("overview", ["2023年，我局依法做好相关工作。"], data)))
    assert "S7" in rules(errors(check_section("other", ["  "], data)))


def test_carry_forward_named_by_its_full_row_label_is_not_read_as_办理() -> None:
    # 结转下年度继续办理 ends in 办理: the whole label names row 四, not the number handled.
    from drafting.checks import check_section
    from drafting.data import load_data
    from drafting.figures import compute

    from .conftest import EXAMPLES

    data = load_data(EXAMPLES / "district-dept-2024.yaml").data
    f = compute(data)
    paragraph = (
        f"（二）依申请公开。{data.year}年，新收政府信息公开申请{f.new}件。"
        f"全年办结政府信息公开申请{f.concluded}件，结转下年度继续办理{f.carry_forward}件。"
    )
    findings = check_section("overview", [paragraph], data)
    assert not [x for x in findings if x.rule == "N1"], findings


def test_a_group_whose_rows_were_not_read_binds_no_sentence() -> None:
    """A published table read without some of its rows (a mangled conversion): the sums of those
    groups are not the report's, so a sentence stating them is not held to them (issue 11's item 9)."""
    from .checks_support import busy_page, text_of

    text = text_of(busy_page())
    assert "不予公开14件" in text and "\t\t5.属于三类内部事务信息\t4\t0\t0\t0\t0\t0\t4\n" in text
    assert "N2" not in rules(errors(findings_of(text)))
    torn = text.replace("\t\t5.属于三类内部事务信息\t4\t0\t0\t0\t0\t0\t4\n", "")
    found = errors(findings_of(torn))
    assert "S2" in rules(found)  # the missing row is reported as such
    assert not [f for f in found if f.rule == "N2" and "不予公开" in f.message]
    wrong = torn.replace("予以公开52件", "予以公开53件")
    assert "N2" in rules(errors(findings_of(wrong)))  # the groups read whole are still held
