"""Every validation rule of FORMAT.md §5 that can be checked on data, with a passing and a failing
case each. Cases are the reference example edited as text, the way a user edits the file; each failing
case checks the rule id, the cell named in official terms, the line and column in the file, and that
the message says what to fix."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from drafting import official
from drafting.data import load_data
from drafting.data.template import template_yaml
from drafting.errors import DataError, Issue
from drafting.yamlfile import parse_document

from .data_support import (
    busy_text,
    delete_line,
    example_text,
    insert_after,
    load_text,
    only,
    position,
    row_position,
    set_row,
    set_value,
    write,
)


def one(issues: list[Issue], rule: str) -> Issue:
    found = only(issues, rule)
    assert len(found) == 1, [i.render() for i in issues]
    return found[0]


def errors(tmp_path: Path, text: str) -> list[Issue]:
    with pytest.raises(DataError) as caught:
        load_text(tmp_path, text)
    return caught.value.issues


def assert_valid(tmp_path: Path, text: str) -> list[Issue]:
    """Loads without error; returns the warnings."""
    return load_text(tmp_path, text).warnings


def at(issue: Issue) -> tuple[int | None, int | None]:
    return issue.line, issue.column


# --- the bases the cases start from ------------------------------------------------------------


def test_the_bases_are_valid(tmp_path: Path) -> None:
    assert assert_valid(tmp_path, example_text()) == []
    assert assert_valid(tmp_path, busy_text()) == []


# --- H1 row sum --------------------------------------------------------------------------------


def test_h1_stated_total_that_matches_passes(tmp_path: Path) -> None:
    text = set_row(busy_text(), "prohibited_by_law", total=2)
    assert assert_valid(tmp_path, text) == []


def test_h1_stated_total_that_differs_is_named_in_official_terms(tmp_path: Path) -> None:
    text = set_row(busy_text(), "prohibited_by_law", total=3)
    issue = one(errors(tmp_path, text), "H1")
    assert issue.is_error
    assert issue.cell == "表三 （三）不予公开 2.其他法律行政法规禁止公开 / 总计"
    assert issue.path == "table3.withheld.prohibited_by_law.total"
    assert at(issue) == row_position(text, "prohibited_by_law", "total")
    assert "实际填写 3" in issue.message
    assert "把总计改为 2" in issue.fix


# --- H2 stated identity ------------------------------------------------------------------------


def test_h2_balanced_columns_pass(tmp_path: Path) -> None:
    # 自然人: 3 + 0 = 2 + 1; 商业企业: 2 + 0 = 2 + 0.
    assert_valid(tmp_path, busy_text())


def test_h2_unbalanced_column_names_the_column_and_sends_to_the_result_rows(tmp_path: Path) -> None:
    text = set_row(busy_text(), "prohibited_by_law", commercial=1)
    issues = errors(tmp_path, text)
    h2 = only(issues, "H2")
    # Only the unbalanced column: the 总计 column balances whenever the six do, so an imbalance
    # is reported once, where it is.
    assert [i.cell for i in h2] == ["表三 四、结转下年度继续办理 / 商业企业"]
    commercial = h2[0]
    assert at(commercial) == row_position(text, "carry_forward", "commercial")
    assert "一（新收 2）" in commercial.message and "（七）总计 1" in commercial.message
    assert "第一项加第二项之和，等于第三项加第四项之和" in commercial.fix
    # Issue 14: the result rows first, every cell of the identity named, never "set 结转下年度 to
    # the difference" (forcing the total, FORMAT §7); the carry-forward only once they are checked.
    assert "（三）不予公开 1" in commercial.fix and "（一）予以公开 0" in commercial.fix
    assert commercial.fix.index("核对本列的办理结果") < commercial.fix.index("结转下年度才是 1")
    assert "不要为了凑平" in commercial.fix and "结转下年度应为" not in commercial.fix


def test_h2_never_suggests_a_negative_carry_forward(tmp_path: Path) -> None:
    # More results than applications: no carry-forward can balance this column.
    text = set_row(busy_text(), "disclosed", natural=5)
    issue = only(errors(tmp_path, text), "H2")[0]
    assert issue.cell == "表三 四、结转下年度继续办理 / 自然人"
    assert "-" not in issue.fix, issue.fix
    assert "多" in issue.fix  # says the results exceed what was received


# --- H3 results total --------------------------------------------------------------------------

_RESULTS_TOTAL = (
    "  results_total:        {natural: 2, commercial: 2, research: 0, social: 0, legal: 0, other: 0}"
)


def test_h3_stated_results_total_that_matches_passes(tmp_path: Path) -> None:
    text = insert_after(busy_text(), r"^  carry_forward:", _RESULTS_TOTAL)
    assert assert_valid(tmp_path, text) == []


def test_h3_stated_results_total_that_differs_is_named(tmp_path: Path) -> None:
    text = insert_after(busy_text(), r"^  carry_forward:", _RESULTS_TOTAL)
    text = set_row(text, "results_total", natural=3)
    issue = one(errors(tmp_path, text), "H3")
    assert issue.cell == "表三 （七）总计 / 自然人"
    assert issue.path == "table3.results_total.natural"
    assert at(issue) == row_position(text, "results_total", "natural")
    assert "（一）至（六）各项之和 2" in issue.message and "实际填写 3" in issue.message
    assert "把（七）总计改为 2" in issue.fix
    # Only the stated total is wrong (一+二 = the leaves + 四 still holds): H2 adds no second,
    # misleading message asking to change 结转下年度.
    assert not only(errors(tmp_path, text), "H2")


def test_h3_forced_total_breaks_h3_even_when_the_stated_identity_holds(tmp_path: Path) -> None:
    # FORMAT.md §7: a （七）总计 forced to balance 一+二 = （七）+四 while the leaves say otherwise.
    text = insert_after(busy_text(), r"^  carry_forward:", _RESULTS_TOTAL)
    text = set_row(text, "results_total", natural=3)
    text = set_row(text, "carry_forward", natural=0)
    issues = errors(tmp_path, text)
    assert one(issues, "H3").cell == "表三 （七）总计 / 自然人"
    assert not only(issues, "H2")  # 3 + 0 = 3 + 0 as stated


# --- H4 table 四 totals ------------------------------------------------------------------------


def test_h4_stated_totals_that_match_pass(tmp_path: Path) -> None:
    text = set_row(example_text(), "review", upheld=1, pending=1, total=2)
    text = set_row(text, "litigation_after_review", corrected=1, total=1)
    assert assert_valid(tmp_path, text) == []


@pytest.mark.parametrize(
    ("block", "label"),
    [
        ("review", "表四 行政复议 / 总计"),
        ("litigation_direct", "表四 行政诉讼 未经复议直接起诉 / 总计"),
        ("litigation_after_review", "表四 行政诉讼 复议后起诉 / 总计"),
    ],
)
def test_h4_stated_total_that_differs_is_named(tmp_path: Path, block: str, label: str) -> None:
    text = set_row(example_text(), block, upheld=1, other=2, total=4)
    issue = one(errors(tmp_path, text), "H4")
    assert issue.cell == label
    assert issue.path == f"table4.{block}.total"
    assert at(issue) == row_position(text, block, "total")
    assert "实际填写 4" in issue.message
    assert "把总计改为 3" in issue.fix


# --- H5 cell values: non-negative whole numbers, never blank --------------------------------------

_CELL_CASES = [
    # (row key, item, official label)
    ("prohibited_by_law", "commercial", "表三 （三）不予公开 2.其他法律行政法规禁止公开 / 商业企业"),
    ("new", "natural", "表三 一、本年新收政府信息公开申请数量 / 自然人"),
    ("review", "pending", "表四 行政复议 / 尚未审结"),
    ("normative", "in_force", "表二 第二十条第（一）项 行政规范性文件 / 现行有效件数"),
]


@pytest.mark.parametrize(("row", "item", "label"), _CELL_CASES)
@pytest.mark.parametrize(
    ("value", "says", "fix"),
    [
        (-1, "不能为负数", "改为 0"),
        ('"5"', "应为整数", "不带引号"),
        (1.5, "应为整数", "不带小数"),
        ("5.0", "应为整数", "不带小数"),
        ("true", "应为整数", "阿拉伯数字"),
        ("", "不能留空", "没有就填 0"),
    ],
)
def test_h5_bad_cell_values_are_named(
    tmp_path: Path, row: str, item: str, label: str, value: Any, says: str, fix: str
) -> None:
    text = set_row(example_text(), row, **{item: value})
    issue = one(errors(tmp_path, text), "H5")
    assert issue.cell == label
    assert at(issue) == row_position(text, row, item)
    assert says in issue.message, issue.render()
    assert fix in issue.fix, issue.render()
    assert "None" not in issue.render()


@pytest.mark.parametrize(
    ("key", "value", "label", "says"),
    [
        ("licensing", -3, "表二 第二十条第（五）项 行政许可 / 本年处理决定数量", "不能为负数"),
        ("licensing", '"12"', "表二 第二十条第（五）项 行政许可 / 本年处理决定数量", "应为整数"),
        (
            "admin_fees",
            -0.5,
            "表二 第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）",
            "不能为负数",
        ),
        (
            "admin_fees",
            "3万元",
            "表二 第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）",
            "应为数字",
        ),
        ("admin_fees", ".nan", "表二 第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）", "数字"),
        ("notices", -1, "六、其他需要报告的事项 发出收费通知件数", "不能为负数"),
        ("notices", 2.5, "六、其他需要报告的事项 发出收费通知件数", "应为整数"),
        ("billed", "true", "六、其他需要报告的事项 应收信息处理费（元）", "应为数字"),
        ("billed", "", "六、其他需要报告的事项 应收信息处理费（元）", "不能留空"),
    ],
)
def test_h5_bad_scalar_cells_are_named(
    tmp_path: Path, key: str, value: object, label: str, says: str
) -> None:
    text = set_value(example_text(), key, value)
    issue = one(errors(tmp_path, text), "H5")
    assert issue.cell == label
    assert at(issue) == position(text, rf"^\s*{key}:")
    assert says in issue.message, issue.render()
    # Every message is Chinese: no English from the validation library leaks through.
    assert not any(word in issue.render() for word in ("Input", "should", "None", "finite")), issue.render()


def test_h5_money_may_carry_decimals(tmp_path: Path) -> None:
    text = set_value(example_text(), "admin_fees", 12.5)
    text = set_value(text, "notices", 1)
    text = set_value(text, "billed", 100.5)
    text = set_value(text, "collected", 100.5)
    loaded = load_text(tmp_path, text)
    assert str(loaded.data.table2.admin_fees) == "12.5"
    assert str(loaded.data.fees.billed) == "100.5"


# --- C1 carry-over from last year ---------------------------------------------------------------


def last_year_text() -> str:
    """Last year (2022): one 自然人 application still pending at year end (结转下年度 1)."""
    text = set_value(example_text(), "year", 2022, indent=0)
    text = set_value(text, "published", "2023-01-20")
    text = set_row(text, "new", natural=1)
    return set_row(text, "carry_forward", natural=1)


def this_year_carrying(carried: int) -> str:
    """This year (2023): ``carried`` 自然人 applications carried over, all disclosed."""
    text = set_row(example_text(), "carried_over", natural=carried)
    return set_row(text, "disclosed", natural=carried)


def test_c1_carry_over_that_matches_last_year_passes(tmp_path: Path) -> None:
    last = write(tmp_path, last_year_text(), "2022.yaml")
    now = write(tmp_path, this_year_carrying(1), "2023.yaml")
    loaded = load_data(now, previous=last)
    assert not only(loaded.warnings, "C1")


def test_c1_carry_over_that_differs_names_the_cell_and_last_years_figure(tmp_path: Path) -> None:
    last = write(tmp_path, last_year_text(), "2022.yaml")
    text = this_year_carrying(0)
    now = write(tmp_path, text, "2023.yaml")
    with pytest.raises(DataError) as caught:
        load_data(now, previous=last)
    issue = one(caught.value.issues, "C1")
    assert issue.cell == "表三 二、上年结转政府信息公开申请数量 / 自然人"
    assert at(issue) == row_position(text, "carried_over", "natural")
    assert "四、结转下年度继续办理" in issue.message and "1" in issue.message
    assert "把本栏改为 1" in issue.fix


def test_h2_and_c1_together_give_one_line_of_advice(tmp_path: Path) -> None:
    # Last year carried 1 自然人 application forward; this year's file says 2 were carried over and
    # still concludes only 1: the column is off by one (H2) because 上年结转 is wrong (C1).
    last = write(tmp_path, last_year_text(), "2022.yaml")
    text = set_row(this_year_carrying(1), "carried_over", natural=2)
    now = write(tmp_path, text, "2023.yaml")
    with pytest.raises(DataError) as caught:
        load_data(now, previous=last)
    h2 = one(caught.value.issues, "H2")
    c1 = one(caught.value.issues, "C1")
    # H2 names C1 and says the column balances once 上年结转 is corrected — the fix C1 gives too —
    # and never sends the author to 结转下年度.
    assert "上年结转 2 与上年报告的结转下年度 1 不一致（C1）" in h2.fix and "本列即平衡" in h2.fix
    assert "把本栏改为 1" in c1.fix
    assert "结转下年度才是" not in h2.fix and "结转下年度应为" not in h2.fix


def test_c1_in_file_previous_of_the_wrong_year_is_an_error(tmp_path: Path) -> None:
    last = load_text(tmp_path, last_year_text(), "2022.yaml").data
    text = template_yaml("大兴安岭地区行政公署绿色产品产业发展局", 2023, last)
    text = set_row(text, "disclosed", indent=2, natural=1)  # this year's results: the carried case
    assert assert_valid(tmp_path, text) is not None  # the template --from writes is consistent
    text = set_value(text, "year", 2021, indent=2)  # previous.year
    issue = one(errors(tmp_path, text), "C1")
    assert issue.cell == "上年数据 年度"
    assert at(issue) == position(text, r"^  year:")
    assert "应为 2022" in issue.message


# --- C2 documents in force (soft) ----------------------------------------------------------------


def _with_previous_normative(tmp_path: Path, in_force_now: int) -> list[Issue]:
    last_text = set_row(last_year_text(), "normative", issued=2, in_force=5)
    last = write(tmp_path, last_text, "2022.yaml")
    text = set_row(this_year_carrying(1), "normative", issued=2, repealed=1, in_force=in_force_now)
    now = write(tmp_path, text, "2023.yaml")
    return load_data(now, previous=last).warnings


def test_c2_documents_in_force_that_add_up_pass(tmp_path: Path) -> None:
    assert not only(_with_previous_normative(tmp_path, 6), "C2")  # 5 + 2 − 1


def test_c2_documents_in_force_that_do_not_add_up_warn(tmp_path: Path) -> None:
    issue = one(_with_previous_normative(tmp_path, 9), "C2")
    assert issue.severity == "warning"
    assert issue.cell == "表二 第二十条第（一）项 行政规范性文件 / 现行有效件数"
    assert "应为 6" in issue.message and "实际填写 9" in issue.message
    assert "集中清理" in issue.fix  # says when the difference is legitimate


# --- F2 fee notices vs unpaid applications ------------------------------------------------------


def _unpaid(notices: int) -> str:
    text = set_row(example_text(), "new", social=2)
    text = set_row(text, "overdue_fee", social=2)
    return set_value(text, "notices", notices)


def test_f2_enough_notices_pass(tmp_path: Path) -> None:
    assert not only(assert_valid(tmp_path, _unpaid(2)), "F2")


def test_f2_fewer_notices_than_unpaid_applications_is_an_error(tmp_path: Path) -> None:
    text = _unpaid(1)
    issue = one(errors(tmp_path, text), "F2")
    assert issue.cell == "六、其他需要报告的事项 发出收费通知件数"
    assert at(issue) == position(text, r"^\s*notices:")
    assert "2.申请人逾期未按收费通知要求缴纳费用" in issue.message
    assert "不少于 2" in issue.fix


# --- F3 fees collected imply a notice ------------------------------------------------------------


def test_f3_fees_with_notices_pass(tmp_path: Path) -> None:
    text = set_value(set_value(example_text(), "notices", 1), "billed", 200)
    text = set_value(text, "collected", 200)
    assert not only(assert_valid(tmp_path, text), "F3")


def test_f3_fees_collected_without_a_notice_is_an_error(tmp_path: Path) -> None:
    text = set_value(set_value(example_text(), "billed", 200), "collected", 200)
    issues = only(errors(tmp_path, text), "F3")
    assert [i.cell for i in issues] == [
        "六、其他需要报告的事项 应收信息处理费（元）",
        "六、其他需要报告的事项 实收信息处理费（元）",
    ]
    assert at(issues[1]) == position(text, r"^\s*collected:")
    assert "发出收费通知为 0 件" in issues[1].message
    assert "发出收费通知件数" in issues[1].fix


def test_f3_collected_more_than_billed_warns(tmp_path: Path) -> None:
    text = set_value(set_value(example_text(), "notices", 1), "billed", 100)
    text = set_value(text, "collected", 300)
    issue = one(assert_valid(tmp_path, text), "F3")
    assert issue.severity == "warning"
    assert "实收 300 元多于应收 100 元" in issue.message


# --- F4 the 信息处理费 is not 表二's 行政事业性收费 ----------------------------------------------


def _fees(admin_fees_wan: float) -> str:
    text = set_value(example_text(), "notices", 1)
    text = set_value(set_value(text, "billed", 10000), "collected", 10000)
    return set_value(text, "admin_fees", admin_fees_wan)


def test_f4_different_figures_pass(tmp_path: Path) -> None:
    assert not only(assert_valid(tmp_path, _fees(2)), "F4")


def test_f4_the_fee_typed_into_table2_warns(tmp_path: Path) -> None:
    text = _fees(1)  # 10000 元 collected = 1 万元 in 表二: the same money twice
    issue = one(assert_valid(tmp_path, text), "F4")
    assert issue.severity == "warning"
    assert issue.cell == "表二 第二十条第（八）项 行政事业性收费 / 本年收费金额（单位：万元）"
    assert at(issue) == position(text, r"^\s*admin_fees:")
    assert "不是信息处理费" in issue.fix


# --- P1 规章 only from bodies that can make them ----------------------------------------------------


def test_p1_rules_from_a_prefecture_body_pass(tmp_path: Path) -> None:
    text = set_row(example_text(), "rules", issued=1, in_force=1)  # 地区 is prefecture level
    assert not only(assert_valid(tmp_path, text), "P1")


@pytest.mark.parametrize(
    "name", ["某某县市场监督管理局", "某某镇人民政府", "某市某某区教育局", "某某街道办事处"]
)
def test_p1_rules_from_a_county_body_warn(tmp_path: Path, name: str) -> None:
    text = set_value(example_text(), "name", f'"{name}"')
    text = set_row(text, "rules", issued=1, in_force=1)
    issue = one(assert_valid(tmp_path, text), "P1")
    assert issue.severity == "warning"
    assert issue.cell == "表二 第二十条第（一）项 规章 / 现行有效件数"
    assert at(issue) == row_position(text, "rules", "in_force")
    assert "行政规范性文件" in issue.fix


# --- P2 format version vs year -------------------------------------------------------------------


def test_p2_a_2021_format_year_passes(tmp_path: Path) -> None:
    assert not only(assert_valid(tmp_path, example_text()), "P2")


def test_p2_a_year_before_the_2021_format_is_an_error(tmp_path: Path) -> None:
    text = set_value(set_value(example_text(), "year", 2020, indent=0), "published", "2021-01-20")
    issue = one(errors(tmp_path, text), "P2")
    assert issue.cell == "报告年度"
    assert at(issue) == position(text, r"^year:")
    assert "2019 年试行格式" in issue.message


def test_p2_a_future_year_warns(tmp_path: Path) -> None:
    future = dt.date.today().year + 1
    text = set_value(example_text(), "year", future, indent=0)
    text = set_value(text, "published", f"{future + 1}-01-20")
    issue = one(assert_valid(tmp_path, text), "P2")
    assert issue.severity == "warning"
    assert "晚于今年" in issue.message


def test_p2_publication_inside_the_statistical_period_warns(tmp_path: Path) -> None:
    text = set_value(example_text(), "published", "2023-12-01")
    issue = one(assert_valid(tmp_path, text), "P2")
    assert issue.cell == "发布日期"
    assert at(issue) == position(text, r"^published:")


# --- unknown and missing keys --------------------------------------------------------------------


def test_unknown_key_with_a_typo_suggests_the_right_key(tmp_path: Path) -> None:
    text = set_value(example_text(), "licensing", 0).replace("  licensing:", "  licensng:")
    issues = errors(tmp_path, text)
    unknown = one(issues, "unknown_key")
    assert unknown.path == "table2.licensng"
    assert unknown.cell == "表二 主动公开政府信息情况"
    assert at(unknown) == position(text, r"^  licensng:")
    assert "不认识这一项" in unknown.message
    assert "是不是“licensing”" in unknown.fix
    # …and the key it replaced is missing.
    missing = one(issues, "H5")
    assert missing.cell == "表二 第二十条第（五）项 行政许可 / 本年处理决定数量"


def test_unknown_key_typed_as_the_official_label_names_the_key(tmp_path: Path) -> None:
    text = example_text().replace("  licensing:", "  行政许可:")
    unknown = one(errors(tmp_path, text), "unknown_key")
    assert "请把“行政许可”改为“licensing”" in unknown.fix


def test_unknown_top_level_key_suggests(tmp_path: Path) -> None:
    text = example_text().replace("\npublished:", "\npublishd:")
    unknown = one(errors(tmp_path, text), "unknown_key")
    assert unknown.path == "publishd"
    assert at(unknown) == position(text, r"^publishd:")
    assert "是不是“published”" in unknown.fix


def test_unknown_item_inside_a_row_is_named(tmp_path: Path) -> None:
    text = set_row(example_text(), "new", natual=1)  # typo for natural, added beside it
    unknown = one(errors(tmp_path, text), "unknown_key")
    assert unknown.path == "table3.new.natual"
    assert at(unknown) == row_position(text, "new", "natual")
    assert "是不是“natural”" in unknown.fix


def test_missing_cell_says_to_write_zero(tmp_path: Path) -> None:
    text = delete_line(example_text(), r"^  penalty:")
    issue = one(errors(tmp_path, text), "H5")
    assert issue.cell == "表二 第二十条第（六）项 行政处罚 / 本年处理决定数量"
    assert "缺少这一项" in issue.message
    assert "补上“penalty: 0”" in issue.fix
    assert at(issue) == position(text, r"^table2:")  # its nearest parent in the file


def test_missing_row_item_says_to_write_zero(tmp_path: Path) -> None:
    text = example_text().replace(
        "  new:                  {natural: 0, commercial: 0,", "  new:                  {natural: 0,"
    )
    issue = one(errors(tmp_path, text), "H5")
    assert issue.cell == "表三 一、本年新收政府信息公开申请数量 / 商业企业"
    assert "补上“commercial: 0”" in issue.fix
    assert at(issue) == row_position(text, "new")


def test_missing_table_asks_for_the_whole_part(tmp_path: Path) -> None:
    text = example_text().replace("\ntable4:", "\n# table4:")
    text = "\n".join(line for line in text.split("\n") if not re.match(r"^  (review|litigation_\w+):", line))
    issue = one(errors(tmp_path, text), "missing_key")
    assert issue.cell == "表四 政府信息公开行政复议、行政诉讼情况"
    assert "补上“table4:”这一部分及其各项" in issue.fix
    assert ": 0" not in issue.fix  # a table is not one number


def test_year_out_of_range_says_the_bound(tmp_path: Path) -> None:
    text = set_value(example_text(), "year", 1999, indent=0)
    issue = one(errors(tmp_path, text), "shape")
    assert issue.cell == "报告年度"
    assert "负数" not in issue.message
    assert "不小于 2000" in issue.fix


def test_missing_field_that_is_not_a_cell(tmp_path: Path) -> None:
    text = delete_line(example_text(), r"^  name:")
    issue = one(errors(tmp_path, text), "missing_key")
    assert issue.cell == "机关全称"
    assert "缺少这一项" in issue.message and "name" in issue.fix


def test_every_error_is_reported_in_one_pass(tmp_path: Path) -> None:
    text = set_row(example_text(), "new", natural=-1, commercial='"2"')
    text = set_value(text, "notices", -1)
    issues = errors(tmp_path, text)
    assert [(i.rule, i.path) for i in issues] == [
        ("H5", "table3.new.natural"),
        ("H5", "table3.new.commercial"),
        ("H5", "fees.notices"),
    ]
    assert all(i.line is not None for i in issues)


# --- every field of the file has an official name for messages -------------------------------------


def _key_paths(node: object, prefix: tuple[str, ...] = ()) -> list[str]:
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            out.append(".".join((*prefix, key)))
            out += _key_paths(value, (*prefix, key))
    return out


def test_every_field_of_a_full_file_is_named_in_chinese(tmp_path: Path) -> None:
    last = load_text(tmp_path, busy_text(), "2022.yaml").data
    raw, _ = parse_document(template_yaml("某市某局", 2023, last), "t.yaml", ".yaml")
    paths = _key_paths(raw)
    assert "previous.table3.withheld.prohibited_by_law.commercial" in paths
    for path in paths:
        label = official.cell_label(path)
        assert label != path and re.search(r"[\u4e00-\u9fff]", label), path
