"""Structure checks: title, the six headings, the tables, the sub-parts of 一, the preamble."""

from __future__ import annotations

import re

import pytest

from .checks_support import errors, findings_of, handwritten, rules

HEADING_4 = "四、政府信息公开行政复议、行政诉讼情况"


def test_the_clean_report_passes() -> None:
    assert findings_of(handwritten()) == []


def _without_part_six_heading(text: str) -> str:
    return text.replace("六、其他需要报告的事项\n", "")


@pytest.mark.parametrize(
    ("rule", "severity", "edit"),
    [
        ("S1", "error", lambda t: t.replace("五、存在的主要问题及改进情况\n", "")),
        ("S1", "error", lambda t: t.replace("二、主动公开政府信息情况", "三、主动公开政府信息情况")),
        ("S1", "warning", lambda t: t.replace(HEADING_4, "四、政府信息公开行政法复议、行政诉讼情况")),
        ("S1", "warning", lambda t: t.replace("二、主动公开政府信息情况", "、主动公开政府信息情况")),
        ("S2", "warning", lambda t: t.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")),
        ("S3", "warning", lambda t: t.replace("（四）政府信息公开平台建设。", "")),
        ("S4", "warning", lambda t: re.sub(r"本报告所列数据的统计期限[^。]*。", "", t)),
        ("S5", "error", lambda t: t.replace("六个部分组成", "五个部分组成")),
        (
            "S5",
            "error",
            lambda t: t.replace("存在的主要问题及改进情况、其他需要报告的事项六个", "其他需要报告的事项六个"),
        ),
        ("S6", "error", lambda t: t.replace("政府信息公开工作年度报告\n", "政府信息公开工作告年度报\n", 1)),
    ],
)
def test_structure_defects_are_found(rule: str, severity: str, edit: object) -> None:
    assert callable(edit)
    text = edit(handwritten())
    assert text != handwritten()
    assert rule in rules(findings_of(text), severity)


def test_parts_out_of_order() -> None:
    text = handwritten()
    five = text.index("五、存在的主要问题及改进情况")
    six = text.index("六、其他需要报告的事项")
    swapped = text[:five] + text[six:] + "\n" + text[five:six]
    found = [f for f in errors(findings_of(swapped)) if f.rule == "S1"]
    assert any("顺序" in f.message for f in found)


def test_a_missing_table_is_an_error() -> None:
    text = handwritten()
    start = text.index("（本列数据的勾稽关系为")
    end = text.index("四、政府信息公开行政复议")
    found = errors(findings_of(text[:start] + text[end:]))
    assert any(f.rule == "S2" and "表三" in f.message for f in found)


def test_no_subsections_at_all_is_an_error() -> None:
    text = handwritten()
    for head in (
        "（一）主动公开。",
        "（二）依申请公开。",
        "（三）政府信息管理。",
        "（四）政府信息公开平台建设。",
        "（五）监督保障。",
    ):
        text = text.replace(head, "")
    assert "S3" in rules(errors(findings_of(text)))


def test_heading_variants_are_accepted() -> None:
    text = handwritten().replace(
        "五、存在的主要问题及改进情况", "五、政府信息公开工作存在的主要问题及改进情况"
    )
    text = text.replace(HEADING_4, "四、政府信息公开行政复议和行政诉讼情况")
    assert findings_of(text) == []
