"""What a model's section is held to before it is accepted: the check library's errors plus the shape
the section must have."""

from __future__ import annotations

from drafting import official, offline
from drafting.data import load_data
from drafting.narrative import check_section

from .conftest import EXAMPLES

DATA = load_data(EXAMPLES / "district-dept-2024.yaml").data


def test_the_offline_text_of_every_section_passes() -> None:
    for section in official.SECTION_IDS:
        assert check_section(section, offline.write_section(section, DATA), DATA) == [], section


def test_a_section_六_without_the_fee_statement_is_sent_back() -> None:
    findings = check_section("other", ["无其他需要报告的事项。"], DATA)
    assert [f.code for f in findings] == ["F1"]


def test_a_missing_sub_part_of_一_is_sent_back_though_the_library_only_warns() -> None:
    paragraphs = offline.write_section("overview", DATA)
    without_platforms = [p for p in paragraphs if not p.startswith("（四）")]
    assert any(
        "（四）政府信息公开平台建设" in f.message for f in check_section("overview", without_platforms, DATA)
    )


def test_improvements_must_open_on_the_next_year() -> None:
    findings = check_section("improvements", ["我局将继续做好政府信息公开工作。"], DATA)
    assert "opening" in [f.code for f in findings]
