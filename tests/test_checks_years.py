"""Years: title, statistical period and narrative agree; 改进措施 speak of the next year."""

from __future__ import annotations

from drafting.checks import run_checks
from drafting.reading import read_text

from .checks_support import busy, errors, findings_of, handwritten, rules


def test_clean_years() -> None:
    assert not [f for f in findings_of(handwritten()) if f.category == "year"]


def test_y1_period_disagrees_with_the_title() -> None:
    text = handwritten().replace("自2023年1月1日起至2023年12月31日止", "自2022年1月1日起至2022年12月31日止")
    assert "Y1" in rules(errors(findings_of(text)))


def test_y1_title_disagrees_with_the_data() -> None:
    text = handwritten().replace("2023年政府信息公开工作年度报告", "2022年政府信息公开工作年度报告", 1)
    assert "Y1" in rules(errors(run_checks(read_text(text), busy()[0])))


def test_y2_stale_year_from_a_copied_template() -> None:
    text = handwritten().replace("　　2023年，我局坚持", "　　2021年，我局坚持")
    assert "Y2" in rules(errors(findings_of(text)))
    # a year in the middle of a sentence (a comparison, a history) is not stale
    text = handwritten().replace("扎实推进政府信息公开工作", "较2021年进一步推进政府信息公开工作")
    assert "Y2" not in rules(findings_of(text))


def test_y3_improvements_must_speak_of_next_year() -> None:
    text = handwritten().replace("2024年，我局将重点做好以下工作", "2023年，我局将重点做好以下工作")
    assert "Y3" in rules(errors(findings_of(text)))
