"""The offline drafter: every narrative section written from the data and the author's facts.

No model and no network: the wording follows the figures (no applications vs many, carry-over,
复议/诉讼 or none, fees or none, year on year), every number comes from ``figures``, and a topic the
author gave no facts for gets a visible 【待补充：…】 marker instead of an invented sentence. A fact
that addresses a model or states a figure contradicting the tables is never copied (``facts.usable``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from . import official
from .chars import fullwidth_punctuation
from .data.model import ReportData
from .facts import usable
from .figures import RESULT_GROUPS, Figures, compute
from .tables import format_number

SectionText = list[str]  # paragraphs

MARKER_OPEN, MARKER_CLOSE = "【待补充：", "】"


def marker(what: str) -> str:
    return f"{MARKER_OPEN}{what}{MARKER_CLOSE}"


# --- small writing helpers -------------------------------------------------------------------

_TRAILING = "。；;，,、 \t"


def clause(fact: str) -> str:
    """An author's fact as a clause: full-width punctuation, no closing mark of its own."""
    text = fullwidth_punctuation(fact.strip()).rstrip(_TRAILING)
    # A half-width full stop ends the sentence too, unless it belongs to a number (3.) or a version.
    while text.endswith(".") and not text[-2:-1].isdigit():
        text = text[:-1].rstrip(_TRAILING)
    return text


def enumerate_clauses(items: Sequence[str]) -> str:
    """一是…；二是…。 (or the single clause) from the author's facts."""
    clauses = [clause(i) for i in items if clause(i)]
    if len(clauses) == 1:
        return clauses[0] + "。"
    return "；".join(f"{official.chinese_ordinal(n)}是{c}" for n, c in enumerate(clauses, 1)) + "。"


def counts(pairs: Sequence[tuple[str, int]], unit: str = "件") -> str:
    """予以公开3件、部分公开2件 — only the non-zero ones."""
    return "、".join(f"{label}{n}{unit}" for label, n in pairs if n)


# --- 一、总体情况 ------------------------------------------------------------------------------


def _active(data: ReportData, f: Figures) -> str:
    t = data.table2
    parts = []
    n = t.normative
    if n.issued or n.repealed or n.in_force:
        text = f"制发行政规范性文件{n.issued}件"
        if n.repealed:
            text += f"、废止{n.repealed}件"
        parts.append(text + f"，现行有效行政规范性文件{n.in_force}件")
    else:
        parts.append("未制发行政规范性文件")
    r = t.rules
    if r.issued or r.repealed or r.in_force:
        parts.append(f"制发规章{r.issued}件、废止{r.repealed}件，现行有效规章{r.in_force}件")
    decisions = counts(
        [("行政许可决定", t.licensing), ("行政处罚决定", t.penalty), ("行政强制决定", t.coercion)]
    )
    if decisions:
        parts.append(f"依法公开{decisions}")
    if t.admin_fees:
        parts.append(f"公开行政事业性收费{format_number(t.admin_fees)}万元")
    text = f"{data.year}年，{data.self_reference}" + "；".join(parts) + "。"
    return text + _facts(
        data,
        "active",
        "主动公开工作的具体做法和数量，如通过门户网站、政务新媒体等渠道主动公开信息的条数、政策解读情况",
    )


def _on_request(data: ReportData, f: Figures) -> str:
    s = data.self_reference
    # The author's account of the process comes first, then the year's figures.
    text = _facts(
        data, "on_request", "依申请公开的工作流程和答复情况，如接收、登记、办理、答复、归档各环节的做法"
    )
    if f.handled == 0:
        last = f"（上年为{f.previous_new}件）" if f.previous_new else ""
        text += f"{data.year}年，{s}未收到政府信息公开申请{last}，无上年结转申请。"
    else:
        text += f"{data.year}年，{s}新收政府信息公开申请{f.new}件"
        if f.new_natural and f.new_legal_persons:
            text += f"，其中自然人申请{f.new_natural}件、法人或其他组织申请{f.new_legal_persons}件"
        text += _year_on_year(f)
        if f.carried_over:
            text += f"；上年结转{f.carried_over}件，合计办理{f.handled}件"
        text += "。"
        if f.concluded:
            groups = counts([(label, f.groups[key]) for key, label in RESULT_GROUPS])
            text += f"全年办结{f.concluded}件，其中{groups}。"
        else:
            text += "本年度尚无办结的申请。"
        if f.carry_forward:
            text += f"结转下年度继续办理{f.carry_forward}件。"
        else:
            text += "全部申请均已办结，无结转下年度的申请。"
    return text + _appeals(f)


def _year_on_year(f: Figures) -> str:
    if f.previous_new is None:
        return ""
    diff = f.new - f.previous_new
    if diff > 0:
        return f"，较上年（{f.previous_new}件）增加{diff}件"
    if diff < 0:
        return f"，较上年（{f.previous_new}件）减少{-diff}件"
    return "，与上年持平"


def _appeals(f: Figures) -> str:
    review, lit = f.review, f.litigation
    if not review["total"] and not lit["total"]:
        return "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    parts = []
    for name, fig in (("行政复议", review), ("行政诉讼", lit)):
        if not fig["total"]:
            parts.append(f"未发生政府信息公开{name}案件")
            continue
        verb = "被申请" if name == "行政复议" else "被提起"
        detail = counts(
            [
                ("结果维持", fig["upheld"]),
                ("结果纠正", fig["corrected"]),
                ("其他结果", fig["other"]),
                ("尚未审结", fig["pending"]),
            ]
        )
        text = f"{verb}政府信息公开{name}{fig['total']}件（{detail}）"
        if fig["upheld"] == fig["total"] > 1:  # 均 speaks of several cases
            text += "，均获维持"
        parts.append(text)
    return "全年" + "；".join(parts) + "。"


def _facts(data: ReportData, topic: str, missing: str) -> str:
    facts = usable(data, topic)
    if facts is None:
        return marker(missing)
    return enumerate_clauses(facts) if facts else ""


def _topic(data: ReportData, topic: str, missing: str, nothing: str) -> str:
    facts = usable(data, topic)
    if facts is None:
        return marker(missing)
    return enumerate_clauses(facts) if facts else nothing


def overview(data: ReportData) -> SectionText:
    f = compute(data)
    s = data.self_reference
    intro = (
        f"{data.year}年，{s}认真贯彻落实{official.REGULATION}（以下简称《条例》），"
        "坚持以公开为常态、不公开为例外，依法做好政府信息公开工作，"
        "切实保障人民群众的知情权、参与权、监督权。"
    )
    writers: dict[str, Callable[[], str]] = {
        "active": lambda: _active(data, f),
        "on_request": lambda: _on_request(data, f),
        "management": lambda: _topic(
            data,
            "management",
            "政府信息管理情况，如公开前保密审查、公开属性认定、规范性文件清理等做法",
            "本年度无需单独说明的政府信息管理事项。",
        ),
        "platforms": lambda: _topic(
            data,
            "platforms",
            "政府信息公开平台建设情况，如政府网站、政务新媒体、公开栏等平台的建设和维护",
            "本年度政府信息公开平台无调整。",
        ),
        "oversight": lambda: _topic(
            data,
            "oversight",
            "监督保障情况，如组织领导、考核评议、培训、责任追究等",
            "本年度无需单独说明的监督保障事项。",
        ),
    }
    paragraphs = [intro]
    for n, (key, title) in enumerate(official.OVERVIEW_SUBSECTIONS, 1):
        paragraphs.append(f"{official.paren_ordinal(n)}{title}。{writers[key]()}")
    return paragraphs


# --- 五、存在的主要问题及改进情况 -----------------------------------------------------------


def problems(data: ReportData) -> SectionText:
    facts = usable(data, "problems")
    s = data.self_reference
    if facts is None:
        return [
            f"{data.year}年，{s}政府信息公开工作仍存在一些不足。"
            + marker("本年度存在的主要问题，如公开意识、队伍建设、解读形式、公开深度等方面的具体不足")
        ]
    if not facts:
        return [f"{data.year}年，{s}政府信息公开工作未发现需要专门报告的问题。"]
    return [f"{data.year}年，{s}政府信息公开工作还存在一些不足：" + enumerate_clauses(facts)]


def improvements(data: ReportData) -> SectionText:
    facts = usable(data, "improvements")
    s = data.self_reference
    nxt = data.year + 1
    if facts is None:
        return [
            f"{nxt}年，{s}将针对上述问题，进一步做好政府信息公开工作。"
            + marker(f"{nxt}年的具体改进措施，宜与存在的问题一一对应")
        ]
    if not facts:
        return [f"{nxt}年，{s}将继续依法做好政府信息公开工作。"]
    return [f"{nxt}年，{s}将重点做好以下工作：" + enumerate_clauses(facts)]


# --- 六、其他需要报告的事项 --------------------------------------------------------------------


def fee_statement(data: ReportData) -> str:
    fees = data.fees
    s = data.self_reference
    if not fees.notices and not fees.billed and not fees.collected:
        return f"{data.year}年，{s}发出政府信息公开收费通知0件，未收取信息处理费。"
    text = (
        f"{data.year}年，{s}按照《政府信息公开信息处理费管理办法》（{official.FEE_NOTICE}），"
        f"发出政府信息公开收费通知{fees.notices}件，应收信息处理费{format_number(fees.billed)}元，"
    )
    if fees.collected:
        return text + f"实收信息处理费{format_number(fees.collected)}元。"
    return text + "未实际收取信息处理费。"


def other(data: ReportData) -> SectionText:
    paragraphs = [fee_statement(data)]
    facts = usable(data, "other")
    if facts is None:
        paragraphs.append(marker("其他需要报告的事项；如无，写“无其他需要报告的事项”"))
    elif not facts:
        paragraphs.append("无其他需要报告的事项。")
    else:
        paragraphs.extend(clause(fact) + "。" for fact in facts)
    return paragraphs


# --- the preamble -------------------------------------------------------------------------------


def preamble(data: ReportData) -> SectionText:
    a = data.agency
    # The 四 heading has a 、 of its own; lists of parts write it with 和 so the list stays readable.
    parts = "、".join(p.heading.split("、", 1)[1].replace("复议、行政", "复议和行政") for p in official.PARTS)
    text = (
        f"本报告根据{official.REGULATION}和《中华人民共和国政府信息公开工作年度报告格式》"
        f"（{official.FORMAT_NOTICE}）要求编制，由{parts}{official.chinese_ordinal(len(official.PARTS))}"
        f"个部分组成。本报告所列数据的统计期限自{data.year}年1月1日起至{data.year}年12月31日止。"
    )
    if a.website:
        text += f"本报告电子版可在{a.website}下载。"
    c = a.contact
    if c is not None:
        details = [
            f"{label}：{value}"
            for label, value in (
                ("地址", c.address),
                ("邮编", c.postcode),
                ("电话", c.phone),
                ("邮箱", c.email),
            )
            if value
        ]
        if details:
            text += f"如对本报告有疑问，请与{a.short_name or a.name}联系（{'；'.join(details)}）。"
    return [text]


WRITERS: dict[str, Callable[[ReportData], SectionText]] = {
    "overview": overview,
    "problems": problems,
    "improvements": improvements,
    "other": other,
}


def write_section(section: str, data: ReportData) -> SectionText:
    return WRITERS[section](data)
