"""The offline drafter's wording follows the data: applications or none, carry-over, 复议/诉讼 or
none, 均获维持 only when it is true, fees or none, year-on-year direction, year+1 for improvements,
full-width punctuation in the author's facts, and a 【待补充：…】 marker exactly where facts are missing."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from drafting import official
from drafting.data import ReportData, load_data, validate_raw
from drafting.offline import MARKER_OPEN, clause, enumerate_clauses, write_section

from .conftest import REFERENCE_EXAMPLE

_EXAMPLE = load_data(REFERENCE_EXAMPLE).raw


def raw() -> dict[str, Any]:
    return copy.deepcopy(_EXAMPLE)


def _agencies() -> list[dict[str, Any]]:
    """The example under several agencies' names: each gets its own wordings."""
    out = []
    for name in ("青山县教育局", "临江市财政局", "东湖区司法局", "白沙县交通运输局", "南岭县卫生健康委员会"):
        r = raw()
        r["agency"]["name"] = name
        r["agency"]["short_name"] = None
        out.append(r)
    return out


def data(r: dict[str, Any]) -> ReportData:
    return validate_raw(r, "test.yaml").data


def row(r: dict[str, Any], path: str, **cells: int) -> None:
    node = r["table3"]
    for part in path.split("."):
        node = node[part]
    node.update(cells)


def overview(d: ReportData) -> list[str]:
    return write_section("overview", d)


def sub(d: ReportData, n: int) -> str:
    """Sub-part n (1–5) of 一、总体情况."""
    paragraph = overview(d)[n]
    assert paragraph.startswith(official.paren_ordinal(n))
    return paragraph


def text(d: ReportData, section: str) -> str:
    return "\n".join(write_section(section, d))


# --- applications ----------------------------------------------------------------------------


def test_no_applications() -> None:
    on_request = sub(data(raw()), 2)
    # The wording varies per agency and year (issue 14); the meaning does not.
    assert "未收到政府信息公开申请" in on_request
    assert re.search("(无|没有)上年结转的?申请", on_request)
    assert "新收" not in on_request and "办结" not in on_request


def _many() -> dict[str, Any]:
    r = raw()
    row(r, "new", natural=3, commercial=2)
    row(r, "disclosed", natural=2)
    row(r, "partial", natural=1)
    row(r, "withheld.prohibited_by_law", commercial=1)
    row(r, "carry_forward", commercial=1)
    return r


def test_many_applications_state_base_breakdown_and_carry_forward() -> None:
    on_request = sub(data(_many()), 2)
    assert "新收政府信息公开申请5件，其中自然人申请3件、法人或其他组织申请2件" in on_request
    assert "全年办结4件，其中予以公开2件、部分公开1件、不予公开1件。" in on_request
    assert "结转下年度继续办理1件。" in on_request
    assert "未收到" not in on_request
    assert "上年结转" not in on_request  # none was carried over


def test_only_one_kind_of_applicant_is_not_split() -> None:
    r = raw()
    row(r, "new", natural=2)
    row(r, "disclosed", natural=2)
    on_request = sub(data(r), 2)
    assert "新收政府信息公开申请2件。" in on_request
    assert "其中自然人" not in on_request
    assert "全部申请均已办结，无结转下年度的申请。" in on_request


def test_carry_over_from_last_year_is_added_to_the_workload() -> None:
    r = _many()
    row(r, "carried_over", natural=2)
    row(r, "not_processed.repeated", natural=2)
    on_request = sub(data(r), 2)
    assert "；上年结转2件，合计办理7件。" in on_request
    assert "全年办结6件" in on_request and "不予处理2件" in on_request


def test_only_carried_over_applications() -> None:
    r = raw()
    row(r, "carried_over", legal=1)
    row(r, "unable.not_held", legal=1)
    on_request = sub(data(r), 2)
    assert "未收到政府信息公开申请，无上年结转" not in on_request
    assert "上年结转1件，合计办理1件" in on_request
    assert "无法提供1件" in on_request


# --- 复议 and 诉讼 -----------------------------------------------------------------------------


def _appeals(**blocks: dict[str, int]) -> str:
    r = raw()
    for block, cells in blocks.items():
        r["table4"][block].update(cells)
    return sub(data(r), 2)


def test_no_review_or_litigation() -> None:
    assert re.search("未发生(因政府信息公开引起的|政府信息公开)行政复议、行政诉讼", _appeals())


def test_review_all_upheld_and_no_litigation() -> None:
    on_request = _appeals(review={"upheld": 2})
    assert "行政复议2件（结果维持2件），均获维持" in on_request
    assert re.search("(未|没有)发生政府信息公开行政诉讼案件", on_request)
    assert "未发生因政府信息公开引起的行政复议" not in on_request


@pytest.mark.parametrize("other", ["corrected", "other", "pending"])
def test_upheld_claim_only_when_every_case_was_upheld(other: str) -> None:
    on_request = _appeals(review={"upheld": 2, other: 1})
    assert "行政复议3件" in on_request
    assert "均获维持" not in on_request  # N3


def test_litigation_blocks_are_added_and_reported_separately_from_review() -> None:
    on_request = _appeals(
        review={"pending": 1},
        litigation_direct={"upheld": 1},
        litigation_after_review={"upheld": 2},
    )
    assert "行政复议1件（尚未审结1件）；" in on_request
    assert "行政诉讼3件（结果维持3件），均获维持。" in on_request
    review_part = on_request.split("行政复议1件", 1)[1].split("；", 1)[0]
    assert "均获维持" not in review_part


def test_litigation_with_a_correction_is_not_upheld() -> None:
    on_request = _appeals(litigation_direct={"upheld": 1}, litigation_after_review={"corrected": 1})
    assert "行政诉讼2件（结果维持1件、结果纠正1件）" in on_request
    assert "均获维持" not in on_request
    assert "未发生政府信息公开行政复议案件" in on_request


# --- fees (section 六, F1) -----------------------------------------------------------------------


def _fees(notices: int, billed: str, collected: str) -> list[str]:
    r = raw()
    r["fees"] = {"notices": notices, "billed": billed, "collected": collected}
    return write_section("other", data(r))


@pytest.mark.parametrize(
    ("notices", "billed", "collected", "expected", "absent"),
    [
        (0, "0", "0", "发出政府信息公开收费通知0件，未收取信息处理费。", "实收"),
        (
            2,
            "300",
            "200",
            "政府信息公开收费通知2件，应收信息处理费300元，(其中|当年)?实收信息处理费200元。",
            "未",
        ),
        (
            1,
            "100.5",
            "0",
            "政府信息公开收费通知1件，应收信息处理费100.5元，(未实际|实际未)收取信息处理费。",
            "实收",
        ),
    ],
)
def test_fee_statement_follows_the_fees(
    notices: int, billed: str, collected: str, expected: str, absent: str
) -> None:
    paragraphs = _fees(notices, billed, collected)
    assert re.search(expected, paragraphs[0])
    assert absent not in paragraphs[0]


def test_fee_statement_is_always_the_first_paragraph_of_part_six() -> None:
    for facts in (None, [], ["落实年度政务公开工作要点"]):
        r = raw()
        r["facts"]["other"] = facts
        first = write_section("other", data(r))[0]
        assert "收费通知" in first and "信息处理费" in first  # F1


def test_fees_cite_the_fee_rules_only_when_fees_arise() -> None:
    assert official.FEE_NOTICE in _fees(2, "300", "200")[0]
    assert official.FEE_NOTICE not in _fees(0, "0", "0")[0]


# --- year on year ----------------------------------------------------------------------------------


def _with_previous(now: int, last: int) -> str:
    r = raw()
    row(r, "new", natural=now)
    row(r, "disclosed", natural=now)
    previous = copy.deepcopy(_EXAMPLE["table3"])
    previous["new"]["natural"] = last
    previous["disclosed"]["natural"] = last
    r["previous"] = {"year": 2022, "table3": previous}
    return sub(data(r), 2)


@pytest.mark.parametrize(
    ("now", "last", "wording", "wrong"),
    [
        (5, 3, "较上年（3件）增加2件", ("减少", "持平")),
        (1, 4, "较上年（4件）减少3件", ("增加", "持平")),
        (3, 3, "与上年持平", ("增加", "减少")),
    ],
)
def test_year_on_year_direction(now: int, last: int, wording: str, wrong: tuple[str, ...]) -> None:
    on_request = _with_previous(now, last)
    assert wording in on_request
    for word in wrong:
        assert word not in on_request


def test_no_year_on_year_without_last_year() -> None:
    r = raw()
    row(r, "new", natural=2)
    row(r, "disclosed", natural=2)
    on_request = sub(data(r), 2)
    assert "较上年" not in on_request and "与上年持平" not in on_request


# --- improvements speak of year + 1 ----------------------------------------------------------------


@pytest.mark.parametrize("facts", [None, [], ["加强培训"], ["加强培训", "丰富解读形式"]])
def test_improvements_are_for_next_year(facts: list[str] | None) -> None:
    r = raw()
    r["facts"]["improvements"] = facts
    improvements = text(data(r), "improvements")
    assert improvements.startswith("2024年，我局将")
    assert "2023年" not in improvements


def test_problems_are_for_this_year() -> None:
    # The opening varies (issue 14: not every paragraph starts with YYYY年，我局); no other year.
    for r in _agencies():
        problems = text(data(r), "problems")
        assert set(re.findall(r"(\d{4})年", problems)) <= {"2023"}, problems


def test_self_reference_is_used() -> None:
    r = raw()
    r["agency"]["self_reference"] = "本机关"
    d = data(r)
    assert "本机关" in text(d, "overview") and "我局" not in text(d, "overview")
    assert text(d, "improvements").startswith("2024年，本机关将")


# --- the author's facts ------------------------------------------------------------------------------


def test_facts_get_full_width_punctuation_but_numbers_keep_theirs() -> None:
    fact = "全年公开信息1,200条,其中政策解读(含图解)15篇;10:30前完成更新:按时率100%"
    assert clause(fact) == "全年公开信息1,200条，其中政策解读（含图解）15篇；10:30前完成更新：按时率100%"


@pytest.mark.parametrize("ending", ["。", "；", ";", "，", ",", "、", " ", ".", "。 "])
def test_facts_do_not_end_with_doubled_punctuation(ending: str) -> None:
    assert enumerate_clauses([f"加强培训{ending}"]) == "加强培训。"
    assert enumerate_clauses([f"加强培训{ending}", f"完善制度{ending}"]) == "一是加强培训；二是完善制度。"


def test_a_decimal_at_the_end_of_a_fact_is_kept() -> None:
    assert enumerate_clauses(["收费标准调整为3.5"]) == "收费标准调整为3.5。"


def test_straight_double_quotes_in_facts_become_chinese_quotes() -> None:
    assert clause('落实"先审查、后公开"要求') == "落实“先审查、后公开”要求"


def test_facts_are_enumerated_in_order() -> None:
    r = raw()
    r["facts"]["management"] = ["落实保密审查", "开展规范性文件清理", "维护历史信息"]
    management = sub(data(r), 3)
    assert management == "（三）政府信息管理。一是落实保密审查；二是开展规范性文件清理；三是维护历史信息。"


# --- 【待补充：…】 markers exactly where facts are missing ---------------------------------------------

# Where the marker for each topic must appear: (section, paragraph index or None for any).
_MARKER_PLACE = {
    "active": ("overview", 1),
    "on_request": ("overview", 2),
    "management": ("overview", 3),
    "platforms": ("overview", 4),
    "oversight": ("overview", 5),
    "problems": ("problems", 0),
    "improvements": ("improvements", 0),
    "other": ("other", 1),
}


def _markers(d: ReportData) -> list[tuple[str, int]]:
    return [
        (section, i)
        for section in official.SECTION_IDS
        for i, paragraph in enumerate(write_section(section, d))
        for _ in range(paragraph.count(MARKER_OPEN))
    ]


@pytest.mark.parametrize("topic", [t for t, _ in official.FACT_TOPICS])
def test_a_missing_topic_gets_one_marker_in_its_place(topic: str) -> None:
    r = raw()
    r["facts"][topic] = None
    assert _markers(data(r)) == [_MARKER_PLACE[topic]]


@pytest.mark.parametrize("topic", [t for t, _ in official.FACT_TOPICS])
def test_an_empty_topic_gets_no_marker_and_no_invented_content(topic: str) -> None:
    r = raw()
    r["facts"][topic] = []
    d = data(r)
    assert _markers(d) == []
    section, index = _MARKER_PLACE[topic]
    paragraphs = write_section(section, d)
    if topic == "other":
        assert paragraphs[1] == "无其他需要报告的事项。"
    else:
        assert paragraphs[index]  # still a paragraph, from the data alone


def test_no_facts_at_all_gives_a_marker_per_topic() -> None:
    r = raw()
    r["facts"] = {}
    d = data(r)
    assert sorted(_markers(d)) == sorted(_MARKER_PLACE.values())
    # The data still speaks where it can: the application and fee sentences are there.
    assert "未收到政府信息公开申请" in sub(d, 2)
    assert "收费通知0件" in write_section("other", d)[0]


def test_every_marker_is_closed() -> None:
    r = raw()
    r["facts"] = {}
    for section in official.SECTION_IDS:
        for paragraph in write_section(section, data(r)):
            assert paragraph.count(MARKER_OPEN) == paragraph.count("】")
