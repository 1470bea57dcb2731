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
from .phrasing import Chooser
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


# --- who and when: the subject varied -------------------------------------------------------------
#
# A reviewer sends back a report that opens every paragraph with ``YYYY年，我局``. The year is said
# once, at the opening of 总体情况 (and of the fee sentence, which reviewers read on its own); after
# that a sentence names the time as 全年/本年度 or not at all, and the agency by its name, its
# self-reference or not at all — each chosen per agency and year (``phrasing.Chooser``).


def _chooser(data: ReportData) -> Chooser:
    return Chooser(data.agency.name, data.year)


def _when(c: Chooser, slot: str, s: str) -> str:
    """A sentence's opening after the first: the time and the subject, in one of several ways."""
    return c.pick(slot, ("全年", f"{s}全年", "本年度", f"本年度{s}", ""))


# --- 一、总体情况 ------------------------------------------------------------------------------


def _documents(data: ReportData, c: Chooser) -> list[str]:
    """表二 (一): 规范性文件 and 规章, each figure once, with what it counts."""
    t = data.table2
    out = []
    n = t.normative
    if n.issued or n.repealed or n.in_force:
        issued = c.pick("normative", ("制发行政规范性文件", "新制发行政规范性文件", "新印发行政规范性文件"))
        text = f"{issued}{n.issued}件"
        if n.repealed:
            text += f"、废止{n.repealed}件"
        text += c.pick(
            "in_force", (f"，现行有效{n.in_force}件", f"，截至年底现行有效行政规范性文件{n.in_force}件")
        )
        out.append(text)
    else:
        out.append(c.pick("no_normative", ("未制发行政规范性文件", "没有制发新的行政规范性文件")))
    r = t.rules
    if r.issued or r.repealed or r.in_force:
        out.append(f"制发规章{r.issued}件、废止{r.repealed}件，现行有效规章{r.in_force}件")
    return out


def _decisions(data: ReportData, c: Chooser) -> list[str]:
    """表二 (五)(六)(八) count decisions **made** this year (本年处理决定数量) and the amount
    **charged** (本年收费金额), never items published: stated as such (issue 14)."""
    t = data.table2
    out = []
    made = [
        (name, n)
        for name, n in (("行政许可", t.licensing), ("行政处罚", t.penalty), ("行政强制", t.coercion))
        if n
    ]
    if made:
        style = c.index("decisions", 3)
        if style == 0:
            out.append("作出" + "、".join(f"{name}决定{n}件" for name, n in made))
        elif style == 1:
            out.append("办理" + "、".join(f"{name}事项并作出处理决定{n}件" for name, n in made))
        else:
            out.append("、".join(f"{name}处理决定{n}件" for name, n in made))
    if t.admin_fees:
        amount = format_number(t.admin_fees)
        out.append(
            c.pick(
                "fees",
                (
                    f"收取行政事业性收费{amount}万元",
                    f"行政事业性收费金额为{amount}万元",
                    f"收取行政事业性收费共计{amount}万元",
                ),
            )
        )
    return out


def _active(data: ReportData, f: Figures, c: Chooser) -> str:
    s = data.self_reference
    facts = _facts(
        data,
        "active",
        "主动公开工作的具体做法和数量，如通过门户网站、政务新媒体等渠道主动公开信息的条数、政策解读情况",
    )
    parts = _documents(data, c) + _decisions(data, c)
    figures = _when(c, "active.when", s) + "；".join(parts) + "。"
    # The author's account and the year's figures, in one of two orders.
    return facts + figures if c.index("active.order", 2) == 0 else figures + facts


def _received(data: ReportData, f: Figures, c: Chooser) -> str:
    """新收 with its applicant breakdown kept together; the year-on-year change attached to the
    total (in brackets) or said after the breakdown, never between its two halves."""
    text = _when(c, "request.when", data.self_reference)
    text += c.pick("received", ("新收政府信息公开申请", "共新收政府信息公开申请", "累计新收政府信息公开申请"))
    yoy = _year_on_year(f)
    split = bool(f.new_natural and f.new_legal_persons)
    first = c.index("yoy", 2) == 0 or not split
    text += f"{f.new}件"
    if yoy and first:
        # Said of the total, before the breakdown, which then reads as a sentence of its own.
        text += f"，{yoy}。其中，" if split else f"，{yoy}"
    elif split:
        text += "，其中"
    if split:
        text += f"自然人申请{f.new_natural}件、法人或其他组织申请{f.new_legal_persons}件"
    if f.carried_over:
        text += c.pick(
            "carried",
            (
                f"；上年结转{f.carried_over}件，合计办理{f.handled}件",
                f"，加上上年结转{f.carried_over}件，本年度共办理{f.handled}件",
            ),
        )
    text += "。"
    if yoy and not first:
        text += f"新收申请数{yoy}。"
    return text


def _on_request(data: ReportData, f: Figures, c: Chooser) -> str:
    s = data.self_reference
    # The author's account of the process comes first, then the year's figures.
    text = _facts(
        data, "on_request", "依申请公开的工作流程和答复情况，如接收、登记、办理、答复、归档各环节的做法"
    )
    if f.handled == 0:
        last = f"（上年为{f.previous_new}件）" if f.previous_new else ""
        text += c.pick(
            "none",
            (
                f"全年未收到政府信息公开申请{last}，无上年结转申请。",
                f"本年度{s}未收到政府信息公开申请{last}，也没有上年结转的申请。",
                f"{s}全年未收到政府信息公开申请{last}，亦无上年结转申请。",
            ),
        )
        return text + _appeals(f, c, s)
    text += _received(data, f, c)
    if f.concluded:
        groups = counts([(label, f.groups[key]) for key, label in RESULT_GROUPS])
        text += c.pick(
            "concluded",
            (
                f"全年办结{f.concluded}件，其中{groups}。",
                f"已办结{f.concluded}件，其中{groups}。",
                f"截至年底办结{f.concluded}件，其中{groups}。",
            ),
        )
    else:
        text += "本年度尚无办结的申请。"
    if f.carry_forward:
        text += c.pick(
            "forward",
            (f"结转下年度继续办理{f.carry_forward}件。", f"年底结转下年度继续办理{f.carry_forward}件。"),
        )
    else:
        text += c.pick(
            "all_done",
            ("全部申请均已办结，无结转下年度的申请。", "申请均已在年内办结，没有结转下年度的申请。"),
        )
    return text + _appeals(f, c, s)


def _year_on_year(f: Figures) -> str:
    if f.previous_new is None:
        return ""
    diff = f.new - f.previous_new
    if diff > 0:
        return f"较上年（{f.previous_new}件）增加{diff}件"
    if diff < 0:
        return f"较上年（{f.previous_new}件）减少{-diff}件"
    return "与上年持平"


def _appeals(f: Figures, c: Chooser, s: str) -> str:
    review, lit = f.review, f.litigation
    if not review["total"] and not lit["total"]:
        return c.pick(
            "no_appeals",
            (
                "全年未发生因政府信息公开引起的行政复议、行政诉讼案件。",
                f"本年度{s}未发生政府信息公开行政复议、行政诉讼案件。",
                "未发生因政府信息公开引起的行政复议、行政诉讼。",
            ),
        )
    parts = []
    for name, fig in (("行政复议", review), ("行政诉讼", lit)):
        if not fig["total"]:
            parts.append(
                c.pick(f"{name}.none", (f"未发生政府信息公开{name}案件", f"没有发生政府信息公开{name}案件"))
            )
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
        case = c.pick(
            f"{name}.some",
            (
                f"{verb}政府信息公开{name}{{n}}件",
                f"因政府信息公开{verb}{name}{{n}}件",
                f"涉及政府信息公开的{name}{{n}}件",
            ),
        )
        text = case.format(n=fig["total"]) + f"（{detail}）"
        if fig["upheld"] == fig["total"] > 1:  # 均 speaks of several cases
            text += "，均获维持"
        parts.append(text)
    return c.pick("appeals", ("全年", "本年度", f"{s}全年", "")) + "；".join(parts) + "。"


def _facts(data: ReportData, topic: str, missing: str) -> str:
    facts = usable(data, topic)
    if facts is None:
        return marker(missing)
    return enumerate_clauses(facts) if facts else ""


def _topic(data: ReportData, topic: str, missing: str, nothing: Sequence[str]) -> str:
    facts = usable(data, topic)
    if facts is None:
        return marker(missing)
    return enumerate_clauses(facts) if facts else _chooser(data).pick(f"nothing.{topic}", nothing)


def _intro(data: ReportData, c: Chooser) -> str:
    """The opening of 总体情况: the year and the agency's name, once; the leadership phrase when the
    data gives one. The regulation is named in full: no short form is defined, since none is used
    after it (a 以下简称 never used is what reviewers mark)."""
    lead = data.agency.leadership
    name = data.agency.name  # in full: two agencies' short names may be the same (区住建局)
    verb = c.pick("intro.verb", ("认真贯彻落实", "深入贯彻落实", "严格执行", "全面贯彻"))
    head = f"{data.year}年，{lead}，{name}{verb}" if lead else f"{data.year}年，{name}{verb}"
    if lead and c.index("intro.lead", 2):
        head = f"{lead}，{data.year}年{name}{verb}"
    action = c.pick(
        "intro.action",
        (
            "依法做好政府信息公开工作",
            "有序开展政府信息公开各项工作",
            "持续深化政府信息公开工作",
            "提高政府信息公开工作质量",
        ),
    )
    goal = c.pick(
        "intro.goal",
        (
            "切实保障人民群众的知情权、参与权、监督权",
            "以公开促落实、促规范、促服务",
            "更好地服务群众生产生活",
        ),
    )
    return f"{head}{official.REGULATION}，坚持以公开为常态、不公开为例外，{action}，{goal}。"


_NOTHING = {
    "management": ("本年度无需单独说明的政府信息管理事项。", "政府信息管理方面无需另行说明的事项。"),
    "platforms": ("本年度政府信息公开平台无调整。", "公开平台沿用既有设置，本年度未作调整。"),
    "oversight": ("本年度无需单独说明的监督保障事项。", "监督保障方面无需另行说明的事项。"),
}


def overview(data: ReportData) -> SectionText:
    f = compute(data)
    c = _chooser(data)
    writers: dict[str, Callable[[], str]] = {
        "active": lambda: _active(data, f, c),
        "on_request": lambda: _on_request(data, f, c),
        "management": lambda: _topic(
            data,
            "management",
            "政府信息管理情况，如公开前保密审查、公开属性认定、规范性文件清理等做法",
            _NOTHING["management"],
        ),
        "platforms": lambda: _topic(
            data,
            "platforms",
            "政府信息公开平台建设情况，如政府网站、政务新媒体、公开栏等平台的建设和维护",
            _NOTHING["platforms"],
        ),
        "oversight": lambda: _topic(
            data,
            "oversight",
            "监督保障情况，如组织领导、考核评议、培训、责任追究等",
            _NOTHING["oversight"],
        ),
    }
    paragraphs = [_intro(data, c)]
    for n, (key, title) in enumerate(official.OVERVIEW_SUBSECTIONS, 1):
        paragraphs.append(f"{official.paren_ordinal(n)}{title}。{writers[key]()}")
    return paragraphs


# --- 五、存在的主要问题及改进情况 -----------------------------------------------------------


def problems(data: ReportData) -> SectionText:
    facts = usable(data, "problems")
    s = data.self_reference
    c = _chooser(data)
    if facts is None:
        return [
            c.pick(
                "problems.open",
                (f"{s}政府信息公开工作仍存在一些不足。", f"对照工作要求，{s}的政府信息公开工作还有差距。"),
            )
            + marker("本年度存在的主要问题，如公开意识、队伍建设、解读形式、公开深度等方面的具体不足")
        ]
    if not facts:
        return [
            c.pick(
                "problems.none",
                (
                    f"{data.year}年，{s}政府信息公开工作未发现需要专门报告的问题。",
                    "本年度未发现需要专门报告的问题。",
                ),
            )
        ]
    head = c.pick(
        "problems.head",
        (
            f"{s}政府信息公开工作还存在一些不足：",
            f"回顾{data.year}年的工作，还存在以下不足：",
            f"对照上级要求和群众期盼，{s}的政府信息公开工作仍有差距：",
            "工作中仍存在一些问题：",
        ),
    )
    return [head + enumerate_clauses(facts)]


def _measure_results(data: ReportData, c: Chooser) -> str | None:
    """What became of each of last year's measures: the author's words, or a marker per measure."""
    prev = data.previous
    if prev is None or not (prev.measures or prev.problems):
        return None
    s = data.self_reference
    text = ""
    if prev.problems:
        named = "；".join(clause(p) for p in prev.problems if clause(p))
        text += c.pick(
            "last.problems",
            (
                f"上年度报告指出的问题有：{named}。",
                f"上年报告中，{s}查找出的问题是：{named}。",
            ),
        )
    if prev.measures:
        items = []
        for m in prev.measures:
            measure = clause(m.measure)
            result = clause(m.result) if m.result else marker(f"“{_short(measure)}”这项措施本年的落实情况")
            items.append(f"{measure}，{result}")
        if len(items) == 1:
            listed = items[0] + "。"
        else:
            listed = "；".join(f"{official.chinese_ordinal(n)}是{i}" for n, i in enumerate(items, 1)) + "。"
        text += (
            c.pick(
                "last.measures",
                (
                    f"针对上述问题，{s}本年度落实改进措施的情况如下：",
                    "上年提出的改进措施，本年落实情况如下：",
                    f"对上年提出的改进措施，{s}逐项抓好落实：",
                ),
            )
            + listed
        )
    return text


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[:limit] + "……"


def improvements(data: ReportData) -> SectionText:
    facts = usable(data, "improvements")
    s = data.self_reference
    nxt = data.year + 1
    c = _chooser(data)
    before = _measure_results(data, c)
    if facts is None:
        plan = c.pick(
            "improvements.open",
            (
                f"{nxt}年，{s}将针对上述问题加以改进。",
                f"下一步，{s}将对照上述不足，在{nxt}年逐项加以改进。",
                f"{nxt}年，{s}将围绕上述问题逐项整改。",
            ),
        ) + marker(f"{nxt}年的具体改进措施，宜与存在的问题一一对应")
    elif not facts:
        plan = f"{nxt}年，{s}将继续依法做好政府信息公开工作。"
    else:
        plan = c.pick(
            "improvements.head",
            (
                f"{nxt}年，{s}将重点做好以下工作：",
                f"下一步，{s}将针对上述问题，在{nxt}年着力做好以下工作：",
                f"{nxt}年，{s}将从以下几方面加以改进：",
                f"下一步，{s}将对照上述不足，{nxt}年重点抓好以下工作：",
            ),
        ) + enumerate_clauses(facts)
    # Next year's plan opens the section (as reviewers and the Y3 check expect); what became of
    # last year's measures follows it.
    return [plan, before] if before else [plan]


# --- 六、其他需要报告的事项 --------------------------------------------------------------------


def fee_statement(data: ReportData) -> str:
    fees = data.fees
    s = data.self_reference
    c = _chooser(data)
    if not fees.notices and not fees.billed and not fees.collected:
        when = c.pick("fee.when", (f"{data.year}年，{s}", f"本年度{s}", f"{s}全年"))
        return f"{when}发出政府信息公开收费通知0件，未收取信息处理费。"
    when = c.pick(
        "fee.when", (f"{data.year}年，{s}", f"本年度{s}", f"{s}全年", f"全年{s}", f"{data.year}年全年，{s}")
    )
    basis = c.pick(
        "fee.basis",
        (
            f"按照《政府信息公开信息处理费管理办法》（{official.FEE_NOTICE}），",
            f"依据《政府信息公开信息处理费管理办法》（{official.FEE_NOTICE}）的规定，",
            f"严格执行《政府信息公开信息处理费管理办法》（{official.FEE_NOTICE}），",
        ),
    )
    text = (
        when
        + basis
        + c.pick("fee.notices", ("发出", "共发出", "向申请人发出"))
        + f"政府信息公开收费通知{fees.notices}件，"
    )
    # 应收/实收 as the fee rules word them (and as the eval suite expects); the rest of the
    # sentence varies.
    text += f"应收信息处理费{format_number(fees.billed)}元"
    if fees.collected:
        paid = c.pick(
            "fee.collected",
            ("，实收信息处理费{}元。", "，其中实收信息处理费{}元。", "，当年实收信息处理费{}元。"),
        )
        return text + paid.format(format_number(fees.collected))
    return text + c.pick("fee.none", ("，未实际收取信息处理费。", "，实际未收取信息处理费。"))


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
