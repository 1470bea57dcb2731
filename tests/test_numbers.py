"""Reading numbers as Chinese officials write them (``drafting.numbers``): tables of (text, expected
mentions), including every example of issue 10. An expected mention names its kind, its text and,
where it matters, its value, unit, label, words after, range end, parent and flags; fields left out
are not compared."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafting.numbers import (
    Mention,
    chinese_decimal,
    chinese_integer,
    figures,
    mentions,
    parse_number,
    protected_spans,
)


def m(kind: str, text: str, value: object = ..., unit: object = ..., **extra: Any) -> dict[str, Any]:
    want: dict[str, Any] = {"kind": kind, "text": text}
    if value is not ...:
        want["value"] = None if value is None else Decimal(str(value))
    if unit is not ...:
        want["unit"] = unit
    for key, v in extra.items():
        want[key] = Decimal(str(v)) if key == "high" and v is not None else v
    return want


def _got(found: Mention, want: dict[str, Any]) -> dict[str, Any]:
    return {key: getattr(found, key) for key in want}


def _check(text: str, expected: list[dict[str, Any]]) -> None:
    found = mentions(text)
    assert [_got(f, w) for f, w in zip(found, expected, strict=False)] == expected, text
    assert len(found) == len(expected), [(f.kind, f.text) for f in found]


# --- issue 10: faithful sentences that were misread -------------------------------------------------

ISSUE_FAITHFUL = [
    ("依据《条例》第二十条规定公开", [m("clause", "第二十条", 20)]),
    ("按照《条例》第三十三条的规定答复", [m("clause", "第三十三条", 33)]),
    ("全年无逾期答复的申请。", []),
    ("未收到法人或其他组织提出的申请。", []),
    ("已审结的2件均获维持。", [m("count", "2件", 2, "件", label="已审结的", after="均获维持")]),
    ("其中行政诉讼案件均获维持。", []),
    ("其余申请均未收取信息处理费。", []),
    ("全年新收政府信息公开申请1,286件。", [m("count", "1,286件", 1286, "件", label="新收政府信息公开申请")]),
    (
        "按照国办公开办函[2021]30号要求编制",
        [m("doc_number", "国办公开办函[2021]30号", 30, label="国办公开办函")],
    ),
    ("均在法定的20个工作日内答复。", [m("duration", "20个工作日内", 20, "个工作日", label="均在法定的")]),
    ("（四）平台建设", [m("enumeration", "（四）", 4, after="平台建设")]),
]

# --- issue 10: faults whose numbers must be read with their labels ----------------------------------

ISSUE_FAULTS = [
    ("组织政务公开业务培训3次。", [m("count", "3次", 3, "次", label="组织政务公开业务培训")]),
    (
        "应收信息处理费600元，实收信息处理费900元。",
        [
            m("money", "600元", 600, "元", label="应收信息处理费"),
            m("money", "900元", 900, "元", label="实收信息处理费"),
        ],
    ),
    (
        "承办人大代表建议9件、政协提案14件。",
        [
            m("count", "9件", 9, "件", label="承办人大代表建议"),
            m("count", "14件", 14, "件", label="政协提案", clause="承办人大代表建议9件、政协提案"),
        ],
    ),
    ("新收申请较上年减少2件。", [m("count", "2件", 2, "件", label="新收申请较上年减少")]),
    ("新收申请同比增长20%。", [m("percent", "20%", 20, "%", label="新收申请同比增长")]),
    ("依申请公开占比达到50%以上。", [m("percent", "50%", 50, "%", label="依申请公开占比", approx=True)]),
    ("行政复议结果均为维持。", []),
    (
        "我局2023年新收政府信息公开申请66件。",
        [
            m("year", "2023年", 2023, label="我局", after="新收政府信息公开申请"),
            m("count", "66件", 66, "件", label="新收政府信息公开申请"),
        ],
    ),
    ("行政事业性收费24252.311082元。", [m("money", "24252.311082元", "24252.311082", "元")]),
    ("在22个工作日内答复。", [m("duration", "22个工作日内", 22, "个工作日")]),
    ("报告全文可在http://www.example.gov.cn/xxgk/查阅。", [m("url", "http://www.example.gov.cn/xxgk/")]),
    ("好的，以下是一、总体情况部分正文：", []),
    ("以上内容可根据实际工作情况进一步调整完善。", []),
    ("（注：文中数据均引自数据文件）", []),
    ("无结转下年度的申请。全年未发生政府信息公开行政复议、行政诉讼案件。", []),
]

# --- counts, classifiers, separators, 万/亿, Chinese numerals ------------------------------------------

COUNTS = [
    ("主动公开政府信息326条", [m("count", "326条", 326, "条", label="主动公开政府信息")]),
    ("发布政策解读12篇", [m("count", "12篇", 12, "篇", label="发布政策解读")]),
    ("编印公开专刊4期", [m("count", "4期", 4, "期")]),
    ("参训86人次", [m("count", "86人次", 86, "人次", label="参训")]),
    ("举办新闻发布会3场", [m("count", "3场", 3, "场", label="举办新闻发布会")]),
    ("调整优化政府信息公开专栏栏目7个", [m("count", "7个", 7, "个", label="调整优化政府信息公开专栏栏目")]),
    ("梳理公开政务服务事项999项", [m("count", "999项", 999, "项")]),
    ("接待现场查阅23人次", [m("count", "23人次", 23, "人次", label="接待现场查阅")]),
    ("发出收费通知3件", [m("count", "3件", 3, "件", label="发出收费通知")]),
    ("共有12,345,678人", [m("count", "12,345,678人", 12345678, "人")]),
    ("全年发布信息1.2万条", [m("count", "1.2万条", 12000, "条", label="发布信息")]),
    ("服务群众3万余人次", [m("count", "3万余人次", 30000, "人次", approx=True)]),
    ("组织培训20余次", [m("count", "20余次", 20, "次", approx=True, label="组织培训")]),
    ("组织培训约20次", [m("count", "20次", 20, "次", approx=True, label="组织培训")]),
    ("新收申请66 件", [m("count", "66 件", 66, "件")]),
    ("新收申请６６件", [m("count", "６６件", 66, "件")]),
    ("开展培训两次", [m("count", "两次", 2, "次", chinese=True, label="开展培训")]),
    ("涉及三十三件", [m("count", "三十三件", 33, "件", chinese=True)]),
    ("开展十余次检查", [m("count", "十余次", 10, "次", chinese=True, approx=True)]),
    ("三百零五条信息", [m("count", "三百零五条", 305, "条")]),
    ("唯一一个窗口", []),  # 一一 is not eleven
    ("属于三类内部事务信息1件、四类过程性信息2件", [m("count", "1件", 1), m("count", "2件", 2)]),
    ("危及“三安全一稳定”的信息", []),
    ("落实一次性告知和“一件事一次办”", []),
    ("实行三级审核和三审三校", []),
    ("千家万户和百姓", []),
    ("5G网络和ISO9001认证", [m("code", "5", 5), m("code", "9001", 9001)]),
]

# --- money ------------------------------------------------------------------------------------------

MONEY = [
    ("应收信息处理费900元", [m("money", "900元", 900, "元", label="应收信息处理费")]),
    ("行政事业性收费24252.311082万元", [m("money", "24252.311082万元", "24252.311082", "万元")]),
    ("收费0.09万元", [m("money", "0.09万元", "0.09", "万元")]),
    ("投入资金3.5亿元", [m("money", "3.5亿元", "3.5", "亿元")]),
    ("收取二十万元", [m("money", "二十万元", 20, "万元", chinese=True)]),
    ("按100元/件收取", [m("money", "100元", 100, "元", after="/件收取")]),
    ("共计1,000,000元", [m("money", "1,000,000元", 1000000, "元")]),
]

# --- ratios -----------------------------------------------------------------------------------------

RATIOS = [
    ("同比增长15.2%", [m("percent", "15.2%", "15.2", "%", label="同比增长")]),
    ("同比增长15.2％", [m("percent", "15.2％", "15.2", "%")]),
    ("办结率100%", [m("percent", "100%", 100, "%", label="办结率")]),
    ("下降2.3个百分点", [m("points", "2.3个百分点", "2.3", "个百分点", label="下降")]),
    ("提高5百分点", [m("points", "5百分点", 5, "百分点")]),
    ("满意度达到百分之九十五点五", [m("percent", "百分之九十五点五", "95.5", "%", chinese=True)]),
    ("占比达到三分之一", [m("fraction", "三分之一", label="占比")]),
    ("增长1.5倍", [m("multiple", "1.5倍", "1.5", "倍")]),
    ("占比10%-20%", [m("percent", "10%-20%", 10, "%", high=20)]),
]

# --- clauses, citations, document numbers -----------------------------------------------------------

CITATIONS = [
    ("第二十条第（八）项", [m("clause", "第二十条第（八）项", 20)]),
    ("第二十条第(一)项规定的", [m("clause", "第二十条第(一)项", 20)]),
    ("第五十条第四项", [m("clause", "第五十条第四项", 50)]),
    ("第三十三条第二款", [m("clause", "第三十三条第二款", 33)]),
    ("按照第（一）项", [m("clause", "第（一）项", None)]),
    ("第20条和第21条", [m("clause", "第20条", 20), m("clause", "第21条", 21)]),
    ("第3-5条", [m("clause", "第3-5条", 3)]),
    ("第四十七条", [m("clause", "第四十七条", 47)]),
    (
        "根据国办公开办函〔2021〕30号",
        [m("doc_number", "国办公开办函〔2021〕30号", 30, label="国办公开办函")],
    ),
    ("《办法》（国办函〔2020〕109号）", [m("doc_number", "国办函〔2020〕109号", 109, label="国办函")]),
    ("京政办发（2021）3号", [m("doc_number", "京政办发（2021）3号", 3)]),
    ("〔2019〕60号文件", [m("doc_number", "〔2019〕60号", 60, label="")]),
    ("【2022】第5号", [m("doc_number", "【2022】第5号", 5)]),
    ("依照国令第711号", [m("doc_number", "国令第711号", 711, label="国令")]),
    ("粤府令第270号", [m("doc_number", "粤府令第270号", 270)]),
    ("第3次会议", [m("ordinal", "第3次", 3, after="会议")]),
    ("第一批试点", [m("ordinal", "第一批", 1)]),
    ("以门户网站为第一平台", [m("ordinal", "第一", 1)]),
]

# --- dates, periods, durations, times ---------------------------------------------------------------

CALENDAR = [
    ("2024年1月1日至12月31日", [m("period", "2024年1月1日至12月31日", 2024, high=2024)]),
    ("2024年1月1日至2024年12月31日", [m("period", "2024年1月1日至2024年12月31日", 2024, high=2024)]),
    ("2024年度", [m("year", "2024年度", 2024, "年度")]),
    ("2024年", [m("year", "2024年", 2024)]),
    ("二〇二四年", [m("year", "二〇二四年", 2024)]),
    ("2023—2024年", [m("period", "2023—2024年", 2023, high=2024)]),
    ("2023年至2024年", [m("period", "2023年至2024年", 2023, high=2024)]),
    ("上半年", [m("period", "上半年")]),
    ("第一季度", [m("period", "第一季度")]),
    ("前三季度", [m("period", "前三季度")]),
    ("1-6月", [m("period", "1-6月")]),
    ("2025年1月20日发布", [m("date", "2025年1月20日", 2025)]),
    ("1月31日前", [m("date", "1月31日", None)]),
    ("每月15日", [m("date", "15日")]),
    ("2025-01-20", [m("date", "2025-01-20", 2025)]),
    ("12月份", [m("date", "12月份")]),
    ("20个工作日", [m("duration", "20个工作日", 20, "个工作日")]),
    ("3至5个工作日", [m("duration", "3至5个工作日", 3, "个工作日", high=5)]),
    ("3-5个工作日", [m("duration", "3-5个工作日", 3, "个工作日", high=5)]),
    ("15日内", [m("duration", "15日内", 15, "日")]),
    ("十五个工作日内", [m("duration", "十五个工作日内", 15, "个工作日", chinese=True)]),
    ("延长不超过20日", [m("duration", "20日", 20, "日")]),
    ("3个月", [m("duration", "3个月", 3, "个月")]),
    ("24小时", [m("duration", "24小时", 24, "小时")]),
    ("连续3年", [m("duration", "3年", 3, "年")]),
    ("9:00", [m("time", "9:00")]),
    ("9：00至17：30", [m("time", "9：00至17：30")]),
    ("上午9时30分", [m("time", "9时30分")]),
    ("一年来", []),
]

# --- contacts and addresses -------------------------------------------------------------------------

CONTACTS = [
    ("联系电话：0000-12345678", [m("phone", "0000-12345678")]),
    ("电话：010-12345678-801", [m("phone", "010-12345678-801")]),
    ("电话(010)12345678", [m("phone", "(010)12345678")]),
    ("手机13800000000", [m("phone", "13800000000")]),
    ("电话：12345678", [m("phone", "12345678")]),
    ("拨打12345热线", [m("phone", "12345")]),
    ("12345政务服务便民热线", [m("phone", "12345")]),
    ("邮编：000000", [m("postcode", "000000")]),
    ("邮政编码100000", [m("postcode", "100000")]),
    ("邮箱zjj@example.gov.cn。", [m("email", "zjj@example.gov.cn")]),
    ("网址：https://www.example.gov.cn/a/b.html，", [m("url", "https://www.example.gov.cn/a/b.html")]),
    ("网址http://www.example.gov.cn,电话", [m("url", "http://www.example.gov.cn")]),
    ("在www.example.gov.cn发布", [m("url", "www.example.gov.cn")]),
    ("(http://a.gov.cn)，", [m("url", "http://a.gov.cn")]),
    ("见http://a.gov.cn/x?a=1&b=(2)。", [m("url", "http://a.gov.cn/x?a=1&b=(2)")]),
    ("在example.gov.cn发布", [m("url", "example.gov.cn")]),
]

# --- enumerations -----------------------------------------------------------------------------------

ENUMERATIONS = [
    (
        "一是政策解读形式单一；二是栏目更新不及时。",
        [m("enumeration", "一是", 1), m("enumeration", "二是", 2)],
    ),
    ("（一）主动公开。", [m("enumeration", "（一）", 1)]),
    ("(1)再议", [m("enumeration", "(1)", 1)]),
    ("1.属于国家秘密", [m("enumeration", "1.", 1)]),
    ("包括：2、重复申请", [m("enumeration", "2、", 2)]),
    ("统一是前提", []),
]

# --- labels, words after, 其中 ------------------------------------------------------------------------

LABELS = [
    (
        "2024年，我局新收政府信息公开申请66件，其中自然人申请58件、法人或其他组织申请8件；上年结转2件，合计办理68件。",
        [
            m("year", "2024年"),
            m("count", "66件", 66, label="我局新收政府信息公开申请", parent=None),
            m("count", "58件", 58, label="自然人申请", parent=1),
            m("count", "8件", 8, label="法人或其他组织申请", parent=1),
            m("count", "2件", 2, label="上年结转", parent=None, sentence=1),
            m("count", "68件", 68, label="办理", sentence=1),
        ],
    ),
    (
        "全年办结64件，1件结转下年度继续办理。",
        [m("count", "64件", label="办结"), m("count", "1件", label="", after="结转下年度继续办理")],
    ),
    (
        "全年被申请行政复议4件（其中结果维持2件、尚未审结1件），被提起行政诉讼3件。",
        [
            m("count", "4件", label="被申请行政复议"),
            m("count", "2件", label="结果维持", parent=0),
            m("count", "1件", label="尚未审结", parent=0),
            m("count", "3件", label="被提起行政诉讼", parent=None),
        ],
    ),
    (
        "制发行政规范性文件5件、废止1件，现行有效25件。",
        [
            m("count", "5件", label="制发行政规范性文件"),
            m("count", "1件", label="废止", clause="制发行政规范性文件5件、废止"),
            m("count", "25件", label="现行有效"),
        ],
    ),
    ("行政复议案件数为4件", [m("count", "4件", label="行政复议案件数")]),
    ("申请人中自然人共计58件", [m("count", "58件", label="申请人中自然人")]),
]

ALL = (
    ISSUE_FAITHFUL
    + ISSUE_FAULTS
    + COUNTS
    + MONEY
    + RATIOS
    + CITATIONS
    + CALENDAR
    + CONTACTS
    + ENUMERATIONS
    + LABELS
)


@pytest.mark.parametrize(("text", "expected"), ALL, ids=[t[:24] for t, _ in ALL])
def test_mentions(text: str, expected: list[dict[str, Any]]) -> None:
    _check(text, expected)


def test_only_counts_and_amounts_are_figures() -> None:
    text = (
        "根据《条例》第二十条和国办公开办函〔2021〕30号，2024年1月1日至12月31日，新收申请66件，"
        "应收信息处理费900元，均在20个工作日内答复，同比增长15.2%，电话0000-12345678。"
    )
    assert [(f.kind, f.text) for f in figures(text)] == [("count", "66件"), ("money", "900元")]
    assert [f.kind for f in mentions(text) if f.is_ratio] == ["percent"]


def test_money_in_yuan() -> None:
    wan, yuan = mentions("收费24252.311082万元，另收24252.311082元")
    assert wan.yuan() == Decimal("242523110.82")
    assert yuan.yuan() == Decimal("24252.311082")
    assert mentions("66件")[0].yuan() is None


def test_spans_index_the_text_as_given() -> None:
    text = "新收申请６６件，办结６４件，网址http://a.gov.cn。"
    for found in mentions(text):
        assert text[found.start : found.end] == found.text


def test_protected_spans_cover_addresses_citations_and_times() -> None:
    text = "网址http://www.example.gov.cn/a,b，国办公开办函[2021]30号，9:00-17:00，1,286件。"
    pieces = [text[a:b] for a, b in protected_spans(text)]
    assert pieces == ["http://www.example.gov.cn/a,b", "国办公开办函[2021]30号", "9:00-17:00", "1,286件"]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("十", 10),
        ("十二", 12),
        ("二十", 20),
        ("两", 2),
        ("三百零五", 305),
        ("一千二百", 1200),
        ("二十万", 200000),
        ("三亿", 300000000),
        ("二〇二四", 2024),
        ("二零二四", 2024),
        ("一一", None),
        ("二三", None),
        ("甲", None),
        ("", None),
    ],
)
def test_chinese_integer(numeral: str, value: int | None) -> None:
    assert chinese_integer(numeral) == value


def test_chinese_decimal_and_parse_number() -> None:
    assert chinese_decimal("九十五点五") == Decimal("95.5")
    assert chinese_decimal("九十五") == Decimal(95)
    assert chinese_decimal("九十五点甲") is None
    assert parse_number("1,286") == Decimal(1286)
    assert parse_number("１２．５") == Decimal("12.5")
    assert parse_number("abc") is None


_ALPHABET = "0123456789,.:-—至年月日件次个元万%（）()第条项号〔〕[]一二三十百两是，。；、 http/w@a"


@given(st.text(alphabet=_ALPHABET, max_size=80))
def test_mentions_are_ordered_and_never_overlap(text: str) -> None:
    found = mentions(text)
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for f in found:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.parent is None or found[f.parent].is_figure


def test_stated_numbers_read_arabic_fullwidth_and_chinese() -> None:
    """Moved from the consistency tests with ``figures.stated_numbers``, which this module replaced:
    the figures a check holds to the data (``consistency.unbound_figure``)."""
    from drafting.checks.consistency import unbound_figure
    from drafting.figures import chinese_number

    assert chinese_number("三百零五") == 305
    assert chinese_number("两") == 2
    assert chinese_number("十二") == 12
    found = [
        (str(m.value), m.unit)
        for m in figures(
            "收到１２件，培训两次，发布三百零五条，作为一项重点工作，由六个部分组成，电话0457-2712345，〔2021〕30号"
        )
        if unbound_figure(m)
    ]
    assert found == [("12", "件"), ("2", "次"), ("305", "条")]
