"""Issue 10: what a model's section is held to, through the library calls the model writer makes
(``narrative.judge``: cleaning, the strict checks, the re-ask words) — binding by label, claims with
their scope, year on year and shares, completeness, invention, cleaning, the re-ask."""

from __future__ import annotations

import re

import pytest

from drafting import offline
from drafting.binding import Binder
from drafting.checks import check_section, model_findings
from drafting.cleaning import clean_answer
from drafting.data import load_data
from drafting.data.model import ReportData
from drafting.narrative import judge, reask_message

from .conftest import EXAMPLES, ROOT

ANSWERS = ROOT / "evals" / "answers" / "data"
DISTRICT = load_data(EXAMPLES / "district-dept-2024.yaml").data  # 新收66、结转2、办结64、复议4、诉讼3、收费
RICH = load_data(ANSWERS / "rich-2024.yaml", previous=ANSWERS / "rich-2023.yaml").data  # 144 vs 125
DECREASE = load_data(ANSWERS / "decrease-2024.yaml", previous=ANSWERS / "decrease-2023.yaml").data


def _rules(section: str, paragraphs: list[str], data: ReportData) -> set[str]:
    return {f.rule for f, _ in model_findings(section, paragraphs, data)}


def _overview(body: str, topic: int = 5) -> list[str]:
    """The offline 一 with one sub-part's text replaced: everything else is faithful."""
    paragraphs = offline.write_section("overview", DISTRICT)
    head = paragraphs[topic].split("。", 1)[0]
    paragraphs[topic] = f"{head}。{body}"
    return paragraphs


def _on_request(body: str, data: ReportData = DISTRICT) -> list[str]:
    paragraphs = offline.write_section("overview", data)
    paragraphs[2] = "（二）依申请公开。" + body
    return paragraphs


# --- binding by label, not by value ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ("将政务公开工作纳入科室年度绩效考核，分值占5%；组织政务公开业务培训两次，参训86人次。", None),
        # 3 is a figure of the data (3 fee notices), but the facts say 培训2次
        ("将政务公开工作纳入科室年度绩效考核，分值占5%；组织政务公开业务培训3次，参训86人次。", "N5"),
        ("将政务公开工作纳入科室年度绩效考核，分值占5%；组织政务公开业务培训99次，参训86人次。", "N0"),
    ],
)
def test_a_fact_binds_its_number_with_its_words(body: str, rule: str | None) -> None:
    found = _rules("overview", _overview(body), DISTRICT)
    assert (rule in found) if rule else not found, found


@pytest.mark.parametrize(
    ("sentence", "rule"),
    [
        ("2024年，我局新收政府信息公开申请66件，上年结转2件，全年办结64件，结转下年度继续办理4件。", None),
        ("2024年，我局新收政府信息公开申请66件，全年办结66件。", "N1"),  # 66 is 新收, not 办结
        ("2024年，我局收到政府信息公开申请68件。", "N1"),  # 收到 is 一 alone
        ("2024年，我局受理政府信息公开申请68件（含上年结转2件）。", None),
        ("本年度共办理政府信息公开申请68件，其中含上年度结转申请2件。", None),
        ("本年度共办理政府信息公开申请68件，其中含上年度结转申请4件。", "N1"),  # not 四、结转下年度
        ("全年新收申请66件，其中自然人58件、法人或其他组织8件。", None),
        ("全年新收申请66件，其中自然人8件、法人或其他组织58件。", "N2"),
        ("公民、法人和其他组织提出政府信息公开申请66件。", None),  # every applicant: 一's 总计
        ("信息公开申请中同意公开答复3件，部分公开答复17件。", None),  # 答复 is the verb, not （七）
        ("尚未办结的4件结转下年度继续办理。", None),
        (
            "从办理结果看：予以公开3件、部分公开17件、不予公开7件、无法提供27件、不予处理6件、其他处理4件，共计64件。",
            None,
        ),
        (
            "从办理结果看：予以公开3件、部分公开17件、不予公开7件、无法提供27件、不予处理6件、其他处理4件，共计66件。",
            "N1",
        ),
        ("行政复议方面，全年收到4件，维持2件、纠正1件、尚未审结1件。", None),
        (
            "依据《条例》第二十条第（一）项和国办公开办函〔2021〕30号，在20个工作日内答复，新收1,286件之外无其他。",
            None,
        ),
    ],
)
def test_numbers_bind_to_the_label_they_stand_with(sentence: str, rule: str | None) -> None:
    found = {
        f.rule
        for f in check_section("overview", [sentence], DISTRICT)
        if f.is_error and f.category != "structure"
    }
    found -= {"N0"} if rule != "N0" else set()  # 1,286 is not a figure of this data: N0, not binding
    assert (rule in found) if rule else not found & {"N1", "N2", "N3", "N4", "N5"}, found


def test_amounts_in_the_wrong_unit_are_told_as_such() -> None:
    wan = offline.write_section("overview", RICH)
    assert any("24252.311082万元" in p for p in wan)
    yuan = [p.replace("24252.311082万元", "24252.311082元") for p in wan]
    findings = [f for f, _ in model_findings("overview", yuan, RICH) if f.rule == "N4"]
    assert findings and "单位不对" in findings[0].message
    fee = ["2024年，我局发出政府信息公开收费通知3件，应收信息处理费900万元，实收信息处理费600元。"]
    assert "F3" in _rules("other", fee, DISTRICT)
    swapped = ["2024年，我局发出政府信息公开收费通知3件，应收信息处理费600元，实收信息处理费900元。"]
    assert "F3" in _rules("other", swapped, DISTRICT)
    assert not _rules("other", [*offline.write_section("other", DISTRICT)], DISTRICT)


def test_binding_reads_what_real_reports_write() -> None:
    """Shapes of published reports (issue 11's analysis): the verb 答复 is not （七）; 公民、法人和其他
    组织 is every applicant; 含上年度结转 is 二, not 四."""
    binder = Binder(DISTRICT)
    keys = {
        m.text: [b.figure.key for b in bindings]
        for m, bindings in binder.read(
            "信息公开申请中同意公开答复 3 件，部分公开答复 17 件，不予公开答复 7件。"
        )
    }
    assert keys == {"3 件": ["disclosed"], "17 件": ["partial"], "7件": ["withheld"]}
    ((_, applicants),) = [x for x in binder.read("收到公民、法人和其他组织政府信息公开申请66件。") if x[1]]
    assert applicants[0].figure.key == "new"
    ((_, carried),) = [x for x in binder.read("其中含上年度结转申请2件。") if x[1]]
    assert carried[0].figure.key == "carried_over"


# --- claims with their scope ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "wrong"),
    [
        ("2024年，我局新收申请66件。被提起行政诉讼3件，已审结的2件均获维持，另有1件尚未审结。", False),
        ("2024年，我局新收申请66件。被申请行政复议4件，结果均为维持。", True),
        ("2024年，我局新收申请66件。行政复议4件、行政诉讼3件，均获维持。", True),
        (
            "2024年，我局新收申请66件，其中法人或其他组织8件。所有申请均在法定期限内答复，无逾期答复的申请。",
            False,
        ),
        ("2024年，我局未收到法人或其他组织提出的申请。", True),
        ("全部申请均已按期办结。", True),
        ("尚未办结的4件结转下年度继续办理。", False),
        # the deciding body as subject: all cases upheld (the district has corrected and pending cases)
        ("2024年，我局新收申请66件。被申请行政复议4件，复议机关维持了我局的答复。", True),
        ("2024年，我局新收申请66件。被提起行政诉讼3件，法院判决维持。", True),
    ],
)
def test_claims_are_judged_on_their_subject(body: str, wrong: bool) -> None:
    found = {f.rule for f in check_section("overview", [body], DISTRICT) if f.is_error} & {"N3"}
    assert bool(found) == wrong, body


def test_a_claim_about_the_rest_is_not_a_figure() -> None:
    text = "2024年，我局发出政府信息公开收费通知3件，应收信息处理费900元，实收信息处理费600元，其余申请均未收取信息处理费。"
    assert not _rules("other", [text, "无其他需要报告的事项。"], DISTRICT) - {"M2"}
    none = "2024年，我局发出政府信息公开收费通知3件，未收取信息处理费。"
    assert "F3" in _rules("other", [none], DISTRICT)


def test_a_claim_without_a_figure_for_its_subject_is_no_finding() -> None:
    """未/无 about something no figure states (逾期答复, 责任追究) is not judged."""
    body = "全年未发生政府信息公开责任追究情况，无逾期答复的申请。"
    found = {f.rule for f in check_section("overview", [body], DISTRICT) if f.is_error}
    assert not found & {"N0", "N1", "N2", "N3"}


# --- year on year and shares -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "wrong"),
    [
        ("2024年，我局新收政府信息公开申请144件，比上年（125件）增加19件，增长15.2%。", False),
        (
            "2024年，我局新收政府信息公开申请144件，较2023年增加19件、同比增长15%。",
            False,
        ),  # rounded to the unit
        ("2024年，我局新收政府信息公开申请144件，较上年减少19件。", True),
        ("2024年，我局新收政府信息公开申请144件，比上年增加19件，增长20%。", True),
        ("2024年，我局新收政府信息公开申请144件，与上年基本持平。", True),
        ("2024年，我局新收政府信息公开申请144件，其中自然人121件，占84.0%。", False),
        ("予以公开和部分公开共73件，占办结总数的51.0%。", False),
        ("予以公开和部分公开的比例达到60%以上。", True),
        ("全年办结率达到98%。", True),
    ],
)
def test_changes_and_shares_are_recomputed(text: str, wrong: bool) -> None:
    found = {f.rule for f in check_section("overview", [text], RICH) if f.is_error}
    assert ("N6" in found) == wrong, (text, found)


def test_a_decrease_is_recomputed_on_last_years_base() -> None:
    base = "2024年，我局新收政府信息公开申请34件，较上年的40件减少6件，下降{}%。"
    assert "N6" not in {f.rule for f in check_section("overview", [base.format("15.0")], DECREASE)}
    assert "N6" in {f.rule for f in check_section("overview", [base.format("17.6")], DECREASE)}  # 6/34


def test_without_last_years_data_a_change_cannot_be_stated() -> None:
    text = "2024年，我局新收政府信息公开申请66件，较上年增加6件。"
    findings = [f for f in check_section("overview", [text], DISTRICT, strict=True) if f.rule == "N6"]
    assert findings and "上年" in findings[0].message


# --- completeness and invention ----------------------------------------------------------------------


def test_non_zero_appeals_must_be_stated() -> None:
    paragraphs = offline.write_section("overview", DISTRICT)
    cut = [re.sub(r"全年被申请.*?。", "", p) if p.startswith("（二）") else p for p in paragraphs]
    assert "复议" not in "".join(cut)
    assert "M1" in _rules("overview", cut, DISTRICT)
    assert "M1" not in _rules("overview", paragraphs, DISTRICT)


def test_an_empty_topic_stays_empty() -> None:
    empty = load_data(ANSWERS / "empty-topics-2024.yaml").data  # 管理 None; 平台、监督 []
    paragraphs = offline.write_section("overview", empty)
    assert not _rules("overview", paragraphs, empty)
    invented = [
        p.replace("本年度政府信息公开平台无调整。", "新设电子公开屏1块，实时发布惠民信息。")
        for p in paragraphs
    ]
    assert "M2" in _rules("overview", invented, empty)
    marker = next(p for p in paragraphs if "【待补充" in p)
    filled = [
        p if p != marker else marker.split("。", 1)[0] + "。严格落实信息发布保密审查制度。"
        for p in paragraphs
    ]
    assert "M2" in _rules("overview", filled, empty)


@pytest.mark.parametrize(
    ("body", "invented"),
    [
        ("将政务公开工作纳入科室年度绩效考核，分值占5%；组织政务公开业务培训2次，参训86人次。", False),
        ("政务公开工作纳入了科室年度绩效考核（分值占5%），全年组织业务培训2次、86人次参加。", False),
        ("将政务公开工作纳入科室年度绩效考核；举办“政务公开日”开放活动3场，邀请市民代表走进机关。", True),
        ("将政务公开工作纳入科室年度绩效考核；聘请政务公开社会监督员10名。", True),
    ],
)
def test_practices_come_from_the_facts(body: str, invented: bool) -> None:
    assert ("M3" in _rules("overview", _overview(body), DISTRICT)) == invented


def test_problems_come_from_the_facts_and_measures_stay_out() -> None:
    faithful = offline.write_section("problems", DISTRICT)
    assert not _rules("problems", faithful, DISTRICT)
    paraphrased = [
        "2024年，我局政府信息公开工作仍有不足：一是政策解读还是以文字稿为主，图解、视频解读用得不多；"
        "二是一些科室对信息的公开属性把握不够准确，个别信息发布不及时；"
        "三是以“本机关不掌握相关政府信息”答复的申请较多，咨询引导还需加强。"
    ]
    assert not _rules("problems", paraphrased, DISTRICT)
    extra = [paraphrased[0].rstrip("。") + "；四是政务新媒体互动回应不够及时。"]
    assert "M3" in _rules("problems", extra, DISTRICT)
    measure = [faithful[0] + "下一步，我局将加强咨询引导。"]
    assert "M4" in _rules("problems", measure, DISTRICT)


def test_the_deciding_body_upholding_a_count_is_a_figure_not_a_claim() -> None:
    """复议机关维持1件 states a count (bound to 表四), not that every case was upheld."""
    body = "2024年，我局新收申请66件。被申请行政复议4件，复议机关维持2件、纠正1件，尚未审结1件。"
    found = {f.rule for f in check_section("overview", [body], DISTRICT) if f.is_error}
    assert "N3" not in found, found


def test_improvements_open_on_next_year_after_a_lead_in() -> None:
    facts = offline.write_section("improvements", DISTRICT)[0].split("：", 1)[1]
    for opening, wrong in (
        ("针对上述问题，2025年我局将重点做好以下工作：", False),
        ("为此，下一步我局将重点做好以下工作：", False),
        ("我局将重点做好以下工作：", True),
        ("针对上述问题，2024年我局将重点做好以下工作：", True),
    ):
        assert ("Y3" in _rules("improvements", [opening + facts], DISTRICT)) == wrong, opening


def test_a_problem_that_asks_for_more_is_not_an_improvement() -> None:
    """进一步 in a problem (业务能力还需进一步提高) does not make 存在的主要问题 an improvement
    whose year must be the next one."""
    text = "2024年，我局政府信息公开工作还存在以下不足：一是政策解读形式较为单一，解读质量还需进一步提高；二是部分栏目更新不够及时。"
    assert "Y3" not in _rules("problems", [text], DISTRICT)


def test_a_year_mid_sentence_must_be_the_reports() -> None:
    paragraphs = offline.write_section("overview", DISTRICT)
    stale = [
        p.replace("现行有效行政规范性文件25件", "截至2023年底现行有效行政规范性文件25件") for p in paragraphs
    ]
    assert "Y2" in _rules("overview", stale, DISTRICT)
    ahead = [p.replace("结转下年度继续办理4件", "4件结转至2025年继续办理") for p in paragraphs]
    assert "Y2" not in _rules("overview", ahead, DISTRICT)


# --- cleaning --------------------------------------------------------------------------------------


def test_chatter_notes_and_headings_are_taken_out_and_named() -> None:
    text = (
        "好的，以下是为您撰写的“存在的主要问题”部分：\n\n"
        "(一) 存在的主要问题\n\n"
        "2024年，我局政府信息公开工作还存在一些不足：一是政策解读形式较为单一。（注：请根据实际补充）\n\n"
        "【说明：以上内容依据素材整理。】\n\n"
        "希望以上内容对您有所帮助！如需调整，请告诉我。"
    )
    cleaned = clean_answer(text, "problems")
    assert cleaned.paragraphs == ["2024年，我局政府信息公开工作还存在一些不足：一是政策解读形式较为单一。"]
    assert len(cleaned.removed) == 5 and (cleaned.note() or "").startswith("已删去模型回答中不属于正文的文字")
    kept = clean_answer("（四）平台建设\n以门户网站为第一平台。【待补充：栏目调整情况】", "overview")
    assert kept.paragraphs == ["（四）政府信息公开平台建设。以门户网站为第一平台。【待补充：栏目调整情况】"]


def test_markdown_rules_go_and_list_items_on_their_own_lines_join_their_paragraph() -> None:
    text = (
        "以下为根据您所给素材整理的正文，供您审阅：\n\n---\n\n"
        "2025年，我局将重点抓好两项工作：\n一是丰富政策解读形式；\n二是建立栏目更新提醒机制。\n\n***\n\n"
        "一是写在句首的另一段。"
    )
    cleaned = clean_answer(text, "improvements")
    assert cleaned.paragraphs == [
        "2025年，我局将重点抓好两项工作：一是丰富政策解读形式；二是建立栏目更新提醒机制。",
        "一是写在句首的另一段。",  # the paragraph before it closed with 。: not an item of its list
    ]
    assert not _rules("improvements", cleaned.paragraphs, DISTRICT) - {"M3"}


@pytest.mark.parametrize(
    ("line", "foreign"),
    [
        ("（本文由人工智能辅助生成）", True),
        ("本报告由AI大模型撰写。", True),
        ("以上内容借助语言模型起草。", True),
        (
            "运用人工智能技术上线智能问答服务。",
            False,
        ),  # an activity of the office, not how the text was written
    ],
)
def test_a_line_saying_how_the_text_was_written_is_not_report_text(line: str, foreign: bool) -> None:
    paragraphs = offline.write_section("improvements", DISTRICT)
    found = {f.rule for f, _ in model_findings("improvements", [*paragraphs, line], DISTRICT)}
    assert ("M5" in found) == foreign, found


def test_urls_mail_file_numbers_and_times_keep_their_marks_everywhere() -> None:
    from drafting.prompts import load_prompts, render

    url = "http://www.example.gov.cn/jtj/"
    prompt = render(load_prompts(), "overview", RICH).request.messages[1].content
    assert f"（{url}）" in prompt
    assert url in "".join(offline.write_section("overview", RICH))
    answer = "（一）主动公开。通过网站(http://www.example.gov.cn/jtj/)公开,邮箱jtj@example.gov.cn,按[2021]30号,9:00-17:00受理。"
    (line,) = clean_answer(answer, "overview").paragraphs
    assert url in line and "jtj@example.gov.cn" in line and "[2021]30号" in line and "9:00-17:00" in line
    assert "（http" in line and "公开，邮箱" in line
    broken = clean_answer(
        "（一）主动公开。通过网站（http：//www.example。gov.cn/jtj/）公开。", "overview", [url]
    )
    assert url in broken.paragraphs[0]


# --- the re-ask ---------------------------------------------------------------------------------------


def test_the_reask_is_written_for_the_model() -> None:
    answer = _overview("组织政务公开业务培训3次，参训86人次；举办“政务公开日”活动3场。")
    text = "\n\n".join(answer).replace("办结64件", "办结66件")
    judged = judge("overview", text, DISTRICT)
    assert not judged.ok
    message = reask_message(judged.findings, text)
    assert "请改正正文或表格" not in message
    for quoted in re.findall(r"“([^”]+)”：", message):
        assert quoted in text, quoted  # only the answer's own words are quoted
    assert "请改为2次" in message  # a figure the check is sure of
    assert "请改为64件" in message
    invented = next(line for line in message.splitlines() if "政务公开日" in line)
    assert "删去" in invented and not re.search(r"改为\d", invented)  # no figure for invented content
    assert message.endswith("请输出本部分修改后的完整正文，不要加任何说明。")


def test_an_unbound_number_is_sent_back_without_a_figure() -> None:
    findings = model_findings("overview", _overview("全年发布信息98765条。"), DISTRICT)
    told = [t for f, t in findings if f.rule in ("N0", "N5")]
    assert told and all("删去" in t or "改为素材中的数字" in t for t in told)
    assert not any("98765" not in t and re.search(r"改为\d", t) for t in told)


def test_offline_text_passes_for_every_example() -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data = load_data(path).data
        for section in ("overview", "problems", "improvements", "other"):
            assert not model_findings(section, offline.write_section(section, data), data), (path, section)
