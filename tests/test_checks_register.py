"""Register: placeholders, Markdown marks, half-width punctuation, 一是…二是…, numbering style."""

from __future__ import annotations

import pytest

from drafting.checks import check_section

from .checks_support import busy, errors, findings_of, handwritten, rules


@pytest.mark.parametrize(
    ("paragraph", "rule", "severity"),
    [
        ("2023年，我局还存在不足：【待补充：具体问题】", "R1", "warning"),
        ("2023年，XX局还存在不足。", "R1", "warning"),
        ("2023年，我局**还存在**不足。", "R2", "error"),
        ("## 存在问题", "R2", "error"),
        ("2023年，我局还存在不足,主要是解读形式单一。", "R3", "error"),
        ("2023年，我局(市本级)还存在不足。", "R3", "warning"),
        ("一是公开意识不足；三是队伍不稳定。", "R4", "error"),
        ("一是公开意识不足；二是队伍不稳定；二是解读单一。", "R4", "error"),
        ("(1)公开意识不足。", "R5", "error"),
        ("一)公开意识不足。", "R5", "error"),
        ("(一)存在问题：公开意识不足。", "R5", "warning"),
    ],
)
def test_register_defects(paragraph: str, rule: str, severity: str) -> None:
    found = check_section("problems", [paragraph], busy()[0], strict_numbers=False)
    assert rule in rules(found, severity), found


@pytest.mark.parametrize(
    "paragraph",
    [
        "2023年，我局还存在一些不足：一是公开意识不足；二是队伍不稳定。下一步，一是加强学习；二是完善制度。",
        "（一）存在问题：统一是基础，唯一是目标。",
        "报告电子版可在 http://www.example.gov.cn/a,b.html 下载。",
        "（1）加强学习。",
    ],
)
def test_register_passes(paragraph: str) -> None:
    assert not [
        f
        for f in check_section("problems", [paragraph], busy()[0], strict_numbers=False)
        if f.category == "register"
    ]


def test_markdown_marks_are_fine_in_a_markdown_file_but_not_left_over() -> None:
    text = handwritten().replace("（一）主动公开。", "（一）**主动公开**。")
    assert "R2" in rules(errors(findings_of(text)))
    assert "R2" not in rules(findings_of("# 标题\n\n" + text, "md"))
