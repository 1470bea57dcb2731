"""What a model's section is held to before it is accepted: the check library's errors, strict — the
shape the section must have included (``check_section(…, strict=True)``, what ``narrative.model_check``
re-asks on)."""

from __future__ import annotations

from drafting import official, offline
from drafting.checks import check_section
from drafting.data import load_data
from drafting.narrative import model_check

from .conftest import EXAMPLES

DATA = load_data(EXAMPLES / "district-dept-2024.yaml").data


def test_the_offline_text_of_every_section_passes() -> None:
    for section in official.SECTION_IDS:
        assert model_check(section, offline.write_section(section, DATA), DATA) == [], section


def test_a_section_六_without_the_fee_statement_is_sent_back() -> None:
    findings = model_check("other", ["无其他需要报告的事项。"], DATA)
    assert [f.rule for f in findings] == ["F1"]


def test_a_missing_sub_part_of_一_is_sent_back_though_the_library_only_warns() -> None:
    paragraphs = offline.write_section("overview", DATA)
    without_platforms = [p for p in paragraphs if not p.startswith("（四）")]
    assert any(
        "（四）政府信息公开平台建设" in f.message for f in model_check("overview", without_platforms, DATA)
    )
    # the library alone only warns: a published report may group its sub-parts otherwise
    lenient = check_section("overview", without_platforms, DATA)
    assert [f.severity for f in lenient if f.rule == "S3"] == ["warning"]
    strict = check_section("overview", without_platforms, DATA, strict=True)
    assert {f.severity for f in strict if f.rule == "S3"} == {"error"}


def test_improvements_must_open_on_the_next_year() -> None:
    findings = model_check("improvements", ["我局将继续做好政府信息公开工作。"], DATA)
    assert [f.rule for f in findings] == ["Y3"] and "开头" in findings[0].message
    assert not check_section("improvements", ["我局将继续做好政府信息公开工作。"], DATA)


def test_a_models_findings_carry_evidence_and_a_fingerprint_like_any_other() -> None:
    overview = [p for p in offline.write_section("overview", DATA) if not p.startswith("（四）")]
    cases = {
        "overview": [*overview, "（六）其他。"],
        "improvements": ["我局将继续做好政府信息公开工作。"],
        "other": ["无其他需要报告的事项。"],
        "problems": [""],
    }
    seen: set[str] = set()
    for section, paragraphs in cases.items():
        found = model_check(section, paragraphs, DATA)
        assert found, section
        for f in found:
            assert f.evidence and len(f.fingerprint) == 16 and f.category, (section, f)
            seen.add(f.rule)
    assert {"S3", "Y3", "F1", "S7"} <= seen
    # the same problem on the same section of the same report is the same finding, run after run
    assert (
        model_check("other", ["无。"], DATA)[0].fingerprint
        == model_check("other", ["无。"], DATA)[0].fingerprint
    )
