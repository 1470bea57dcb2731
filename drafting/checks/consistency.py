"""Consistency: the numbers a narrative states against the figures of the report.

A number stated with its label (新收 10件, 办结 9件, 予以公开 3件, 行政复议 2件, 现行有效规范性文件
25件 …) must equal the table — N1 for the bases of 表三 (收到/新收 = 一, 受理/办理 = 一 or 一+二, 办结 =
（七）, 结转 = 四), N2 for breakdowns, N3 for 表四 and claims, N4 for 表二. A number with no label is
held to the data only when there is data to hold it to (N0): items published on a website are not
in the tables, so without a data file they are no one's error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .. import official
from ..data.model import ReportData
from ..data.rules import column_value
from ..errors import Severity
from ..figures import (
    RESULT_GROUPS,
    Figures,
    StatedNumber,
    bindable_numbers,
    compute,
    group_total,
    stated_numbers,
)
from ..official import Cell, row_cells
from ..reading.model import Paragraph
from .finding import Finding
from .registry import Context, check, paragraph_place
from .text import sentences, snippet

COUNT_UNITS = frozenset({"件", "起", "宗", "个", "份", "项", "次", "部"})


@dataclass(frozen=True)
class Target:
    key: str
    rule: str
    label: str  # how the message names the figure
    units: frozenset[str] = COUNT_UNITS
    needs_request: bool = False  # the sentence must be about 政府信息公开申请


_T = Target
_NEW = official.TABLE3_ROW_BY_PATH["new"].label
_CARRIED = official.TABLE3_ROW_BY_PATH["carried_over"].label
_FORWARD = official.TABLE3_ROW_BY_PATH["carry_forward"].label
_CONCLUDED = (
    f"{official.TABLE3_RESULTS_HEADING}{official.TABLE3_ROW_BY_PATH['results_total'].label}（办结数）"
)
# Keyword → what it names. The keyword nearest before a number (or right after it, as in
# ``1件结转下年度``) decides. Comparison words name nothing: the number is a difference.
KEYWORDS: dict[str, Target | None] = {
    "上年结转": _T("carried_over", "N1", _CARRIED, needs_request=False),
    # The row's own label, whole: otherwise its last word 办理 would claim the number as 办理数.
    "结转下年度继续办理": _T("carry_forward", "N1", _FORWARD),
    "结转下年度": _T("carry_forward", "N1", _FORWARD),
    "结转至下年度": _T("carry_forward", "N1", _FORWARD),
    "转下年度": _T("carry_forward", "N1", _FORWARD),
    "转入下年度": _T("carry_forward", "N1", _FORWARD),
    "结转": _T("carry_forward", "N1", _FORWARD, needs_request=True),
    "新收": _T("new", "N1", _NEW, needs_request=True),
    "新接收": _T("new", "N1", _NEW, needs_request=True),
    "收到": _T("new", "N1", _NEW, needs_request=True),
    "接收": _T("new", "N1", _NEW, needs_request=True),
    "受理": _T("accepted", "N1", "受理申请数（本年新收，或本年新收加上年结转）", needs_request=True),
    "办理": _T("accepted", "N1", "办理申请数（本年新收，或本年新收加上年结转）", needs_request=True),
    "办结": _T("concluded", "N1", _CONCLUDED, needs_request=True),
    "答复": _T("concluded", "N1", _CONCLUDED, needs_request=True),
    "予以公开": _T("disclosed", "N2", "（一）予以公开"),
    "同意公开": _T("disclosed", "N2", "（一）予以公开"),
    "部分公开": _T("partial", "N2", "（二）部分公开"),
    "不予公开": _T("withheld", "N2", "（三）不予公开（各项之和）"),
    "无法提供": _T("unable", "N2", "（四）无法提供（各项之和）"),
    "不予处理": _T("not_processed", "N2", "（五）不予处理（各项之和）"),
    "其他处理": _T("other_handling", "N2", "（六）其他处理（各项之和）"),
    "自然人": _T("natural", "N2", "自然人申请数", needs_request=True),
    "法人或其他组织": _T("legal_persons", "N2", "法人或其他组织申请数", needs_request=True),
    "法人和其他组织": _T("legal_persons", "N2", "法人或其他组织申请数", needs_request=True),
    "商业企业": _T("commercial", "N2", "商业企业申请数", needs_request=True),
    "科研机构": _T("research", "N2", "科研机构申请数", needs_request=True),
    "社会公益组织": _T("social", "N2", "社会公益组织申请数", needs_request=True),
    "法律服务机构": _T("legal", "N2", "法律服务机构申请数", needs_request=True),
    "行政复议": _T("review", "N3", "表四 行政复议 总计"),
    "复议": _T("review", "N3", "表四 行政复议 总计"),
    "行政诉讼": _T("litigation", "N3", "表四 行政诉讼 总计"),
    "诉讼": _T("litigation", "N3", "表四 行政诉讼 总计"),
    "起诉": _T("litigation", "N3", "表四 行政诉讼 总计"),
    "结果维持": _T("upheld", "N3", "表四 结果维持"),
    "维持": _T("upheld", "N3", "表四 结果维持"),
    "结果纠正": _T("corrected", "N3", "表四 结果纠正"),
    "纠正": _T("corrected", "N3", "表四 结果纠正"),
    "其他结果": _T("other_result", "N3", "表四 其他结果"),
    "尚未审结": _T("pending", "N3", "表四 尚未审结"),
    "未审结": _T("pending", "N3", "表四 尚未审结"),
    "规范性文件": _T("normative", "N4", "表二 行政规范性文件", frozenset({"件", "份", "个", "部"})),
    "规章": _T("rules", "N4", "表二 规章", frozenset({"件", "份", "个", "部"})),
    "行政许可": _T("licensing", "N4", "表二 行政许可 本年处理决定数量"),
    "行政处罚": _T("penalty", "N4", "表二 行政处罚 本年处理决定数量"),
    "行政强制": _T("coercion", "N4", "表二 行政强制 本年处理决定数量"),
    "行政事业性收费": _T("admin_fees", "N4", "表二 行政事业性收费（万元）", frozenset({"万元"})),
    "收费通知": _T("notices", "F2", "发出收费通知件数", frozenset({"件", "份", "个", "次"})),
    "信息处理费": _T("fee_amount", "F3", "信息处理费金额", frozenset({"元", "万元"})),
}
for _word in (
    "较上年",
    "上年",
    "同比",
    "增加",
    "减少",
    "增长",
    "下降",
    "上升",
    "比上年",
    "占",
    "率",
    "平均",
    "累计",
    "人次",
):
    KEYWORDS[_word] = None

_KEY_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(KEYWORDS, key=len, reverse=True)))
_REQUEST_CONTEXT = ("申请",)
_DOC_VERBS = (
    ("废止", "repealed"),
    ("现行有效", "in_force"),
    ("有效", "in_force"),
    ("制发", "issued"),
    ("印发", "issued"),
    ("出台", "issued"),
    ("发布", "issued"),
    ("制定", "issued"),
)


def _d(value: int | Decimal) -> Decimal:
    return Decimal(value)


def expected(
    figs: ReportData, target: str, window: str, before: str, f: Figures | None = None
) -> set[Decimal]:
    """The values a figure named by ``target`` may take in this report."""
    f = f or compute(figs)
    t = figs.table3

    def both(key: str) -> set[Decimal]:
        """A column of 一, or of 一 + 二 (a text may count either base)."""
        return {
            _d(column_value(t.new, key)),
            _d(column_value(t.new, key) + column_value(t.carried_over, key)),
        }

    table4 = figs.table4
    if target in ("upheld", "corrected", "other_result", "pending"):
        field = "other" if target == "other_result" else target
        review = _d(getattr(table4.review, field))
        lit = _d(getattr(table4.litigation_direct, field) + getattr(table4.litigation_after_review, field))
        blocks = {
            _d(getattr(table4.litigation_direct, field)),
            _d(getattr(table4.litigation_after_review, field)),
        }
        last_review, last_lit = before.rfind("复议"), max(before.rfind("诉讼"), before.rfind("起诉"))
        if last_review > last_lit:
            return {review}
        if last_lit > last_review:
            return {lit} | blocks
        return {review, lit, review + lit}
    simple: dict[str, set[Decimal]] = {
        "new": {_d(f.new)},
        "carried_over": {_d(f.carried_over)},
        "carry_forward": {_d(f.carry_forward)},
        "accepted": {_d(f.new), _d(f.handled)},
        "concluded": {_d(f.concluded)},
        "review": {_d(f.review["total"])},
        "litigation": {
            _d(f.litigation["total"]),
            _d(table4.litigation_direct.sum),
            _d(table4.litigation_after_review.sum),
        },
        "licensing": {_d(figs.table2.licensing)},
        "penalty": {_d(figs.table2.penalty)},
        "coercion": {_d(figs.table2.coercion)},
        "admin_fees": {figs.table2.admin_fees},
        "notices": {_d(figs.fees.notices)},
        "fee_amount": {figs.fees.billed, figs.fees.collected},
    }
    if target in simple:
        return simple[target]
    if target in dict(RESULT_GROUPS):
        if target in ("disclosed", "partial") and "予以公开" in window and "部分公开" in window:
            return {_d(group_total(t, "disclosed") + group_total(t, "partial"))}
        return {_d(group_total(t, target))}
    if target == "natural":
        return both("natural")
    if target == "legal_persons":
        return {_d(t.new.legal_persons), _d(t.new.legal_persons + t.carried_over.legal_persons)}
    if target in official.TABLE3_COLUMN_KEYS:
        return both(target)
    if target in ("normative", "rules"):
        counts = getattr(figs.table2, target)
        for verb, field in _DOC_VERBS:
            if verb in window:
                return {_d(getattr(counts, field))}
        return {_d(counts.issued), _d(counts.repealed), _d(counts.in_force)}
    return set()


@dataclass(frozen=True)
class Labelled:
    number: StatedNumber
    target: Target
    keyword: str
    window: str  # the words between the previous number and this one
    before: str  # the sentence up to this number


_SPECIFIC = frozenset({"办结", "答复", "结转", "新收", "新接收"})


def labelled_numbers(
    sentence: str, about_requests: bool = False
) -> Iterator[tuple[StatedNumber, Labelled | None]]:
    """Each number of a sentence with the label that names it, if any. ``about_requests``: the
    paragraph is about 依申请公开, so words only applications use (办结, 结转) need no 申请 nearby."""
    numbers = stated_numbers(sentence)
    previous_end = 0
    last_document_keyword = ""  # ``制发规范性文件5件，废止1件，现行有效25件``: the noun carries over
    for n, num in enumerate(numbers):
        if num.unit == "年" and len(num.text) == 4:
            previous_end = num.end + 1
            continue
        window = sentence[previous_end : num.start]
        previous_end = num.end + len(num.unit)
        found = list(_KEY_PATTERN.finditer(window))
        keyword = found[-1].group() if found else ""
        if not found and len(window.strip("，、,（(：:及和与共计其中约 ")) <= 1:
            # ``1件结转下年度``: the label follows the number in the same clause.
            stop = numbers[n + 1].start if n + 1 < len(numbers) else len(sentence)
            after = sentence[num.end + len(num.unit) : stop]
            after = re.split(r"[，,；;。（(]", after, maxsplit=1)[0]
            m = _KEY_PATTERN.search(after)
            if m and m.start() <= 2:
                keyword = m.group()
        if not keyword and last_document_keyword and any(v in window for v, _ in _DOC_VERBS):
            keyword = last_document_keyword
        if keyword in ("规范性文件", "规章"):
            last_document_keyword = keyword
        target = KEYWORDS.get(keyword) if keyword else None
        if target is None or num.unit not in target.units:
            yield num, None
            continue
        if keyword == "结转" and "上年" in window[-6:]:
            target = KEYWORDS["上年结转"]
            assert target is not None
        in_context = any(w in sentence for w in _REQUEST_CONTEXT) or (about_requests and keyword in _SPECIFIC)
        if target.needs_request and not in_context:
            yield num, None
            continue
        yield num, Labelled(num, target, keyword, window, sentence[: num.start])


def _t3(row: str, column: str = official.TOTAL_KEY) -> Cell:
    return Cell("table3", row, column)


_BLOCKS = tuple(block for block, _ in official.TABLE4_BLOCKS)


def _t4(column: str, blocks: tuple[str, ...] = _BLOCKS) -> tuple[Cell, ...]:
    return tuple(Cell("table4", b, column) for b in blocks)


def _group_cells(group: str) -> tuple[Cell, ...]:
    return tuple(_t3(r.path) for r in official.TABLE3_RESULT_LEAVES if r.path.startswith(group + "."))


# The table cells a figure named in the text stands for, so a finding can point at them.
_TARGET_CELLS: dict[str, tuple[Cell, ...]] = {
    "new": (_t3("new"),),
    "carried_over": (_t3("carried_over"),),
    "carry_forward": (_t3("carry_forward"),),
    "accepted": (_t3("new"), _t3("carried_over")),
    "concluded": (_t3("results_total"),),
    "disclosed": (_t3("disclosed"),),
    "partial": (_t3("partial"),),
    **{g: _group_cells(g) for g in ("withheld", "unable", "not_processed", "other_handling")},
    **{key: (_t3("new", key), _t3("carried_over", key)) for key in official.TABLE3_COLUMN_KEYS},
    "review": (Cell("table4", "review", official.TOTAL_KEY),),
    "litigation": _t4(official.TOTAL_KEY, ("litigation_direct", "litigation_after_review")),
    "upheld": _t4("upheld"),
    "corrected": _t4("corrected"),
    "other_result": _t4("other"),
    "pending": _t4("pending"),
    **{
        key: row_cells("table2", key)
        for key in ("rules", "normative", "licensing", "penalty", "coercion", "admin_fees")
    },
}


def _fmt(values: set[Decimal]) -> str:
    return "或".join(format(v.normalize(), "f") for v in sorted(values))


def _matches(value: Decimal, allowed: set[Decimal]) -> bool:
    if value in allowed:
        return True
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0:
        quantum = Decimal(1).scaleb(exponent)
        return any(a.quantize(quantum, rounding=ROUND_HALF_UP) == value for a in allowed)
    return False


def _message(lab: Labelled, allowed: set[Decimal], text: str, offset: int) -> str:
    num = lab.number
    quoted = snippet(text, offset + num.start, offset + num.end)
    stated = format(num.value.normalize(), "f")
    if lab.target.key == "new" and lab.keyword in ("收到", "接收", "新收", "新接收"):
        return (
            f"正文“{quoted}”中的 {stated}{num.unit} 与表三不符：“{lab.keyword}”指本年新收（表三第一项）"
            f"{_fmt(allowed)}件；如果包含上年结转，应写作“受理”或“办理”并写明其中上年结转数"
        )
    return f"正文“{quoted}”中的 {stated}{num.unit} 与表格不符：{lab.target.label}为 {_fmt(allowed)}，请改正正文或表格"


def _about_requests(text: str) -> bool:
    return "依申请" in text or "政府信息公开申请" in text


def _table2_known(ctx: Context) -> bool:
    """表二 figures are known from the data, or from a 2021-format 表二 in the document."""
    t2 = ctx.report.table2
    return ctx.data is not None or (t2 is not None and t2.version == "2021" and bool(t2.rows))


def _needs_data(target: str) -> bool:
    return target in ("notices", "fee_amount")


@check(
    "labelled_numbers",
    "consistency",
    {
        "N1": "申请数量的口径（新收、受理或办理、办结、结转）与表三一致",
        "N2": "办理结果和申请人的分项数与表三一致",
        "N3": "复议诉讼的数字，以及“未收到”“均获维持”“均已办结”等说法与表格相符",
        "N4": "规章、规范性文件和处理决定等数字与表二一致",
    },
    also=("F2", "F3"),
    scope="narrative",
)
def labelled(ctx: Context) -> Iterator[Finding]:
    figs = ctx.figures
    if figs is None:
        return
    f = compute(figs)
    for p in ctx.paragraphs():
        if p.part is None:
            continue  # the preamble states the period and contacts, not figures
        about = _about_requests(p.text)
        seen: dict[str, int] = {}  # findings per figure in this paragraph, to tell them apart
        for offset, sentence in sentences(p.text):
            for num, lab in labelled_numbers(sentence, about):
                if lab is None:
                    continue
                if _needs_data(lab.target.key) and ctx.data is None:
                    continue
                if lab.target.rule == "N4" and not _table2_known(ctx):
                    continue
                if lab.target.key in (
                    "review",
                    "litigation",
                    "upheld",
                    "corrected",
                    "other_result",
                    "pending",
                ):
                    if ctx.data is None and (ctx.report.table4 is None or ctx.report.table4.row is None):
                        continue
                allowed = expected(figs, lab.target.key, lab.window, lab.before, f)
                if allowed and not _matches(num.value, allowed):
                    key = lab.target.key
                    seen[key] = seen.get(key, 0) + 1
                    quoted = snippet(p.text, offset + num.start, offset + num.end)
                    stated = format(num.value.normalize(), "f")
                    yield ctx.found(
                        lab.target.rule,
                        "error",
                        _message(lab, allowed, p.text, offset),
                        p.where(),
                        evidence=f"正文“{quoted}”：{stated}{num.unit}；{lab.target.label}：{_fmt(allowed)}",
                        place=paragraph_place(p, f"{key}#{seen[key]}"),
                        cells=_TARGET_CELLS.get(key, ()),
                    )


def bindable(ctx: Context) -> set[Decimal]:
    figs = ctx.figures
    out: set[Decimal] = set(ctx.doc_extra_numbers)
    if figs is None:
        return out
    out |= bindable_numbers(figs)
    for topic, _ in official.FACT_TOPICS:
        for fact in figs.facts.get(topic) or []:
            out |= {n.value for n in stated_numbers(fact)}
    return out


_UNBOUND_UNITS = frozenset({"年", "月", "日", "号", "%", "个百分点", "天", "小时"})


@check("unbound_numbers", "consistency", {"N0": "正文中的数字能在数据文件中找到出处"}, scope="narrative")
def unbound(ctx: Context) -> Iterator[Finding]:
    if ctx.data is None:
        return  # without the author's data, a number outside the tables (web items) is unknowable
    allowed = bindable(ctx)
    authored = any(ctx.data.facts.get(t) is not None for t, _ in official.FACT_TOPICS)
    severity: Severity = "error" if ctx.strict_numbers or authored else "warning"
    for p in ctx.paragraphs():
        if p.part is None:
            continue
        about = _about_requests(p.text)
        count = 0
        for offset, sentence in sentences(p.text):
            for num, lab in labelled_numbers(sentence, about):
                if lab is not None or num.unit in _UNBOUND_UNITS:
                    continue
                if _matches(num.value, allowed):
                    continue
                count += 1
                quoted = snippet(p.text, offset + num.start, offset + num.end)
                stated = format(num.value.normalize(), "f")
                yield ctx.found(
                    "N0",
                    severity,
                    f"正文“{quoted}”中的 {stated}{num.unit} 在数据文件中找不到出处（既不是表格数字、合计，也不在正文素材中）："
                    "请核对，或把该数字写入数据文件的 facts",
                    p.where(),
                    evidence=f"正文“{quoted}”：{stated}{num.unit}；数据文件的表格、合计和 facts 中都没有这个数",
                    place=paragraph_place(p, f"unbound#{count}"),
                )


# --- claims ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    pattern: re.Pattern[str]
    kind: str


_CLAIMS = (
    Claim(
        re.compile(
            r"未(?:收到|受理|接到|接收)[^。；，]{0,20}申请|(?<![结转])无[^。；，上]{0,8}政府信息公开申请(?![^。；，]{0,4}结转)"
        ),
        "no_requests",
    ),
    Claim(re.compile(r"无上年结转|上年无结转|没有上年结转|无上一年度结转"), "no_carried_over"),
    Claim(
        re.compile(
            r"无结转下年|无结转至下年|没有结转下年|无结转到下年|均已办结|全部办结|均已按时办结|全部按时办结|均办理完毕|全部办理完毕"
        ),
        "all_concluded",
    ),
    Claim(re.compile(r"均已结案|均已审结|全部审结|全部结案|均已办结"), "cases_closed"),
    Claim(
        re.compile(
            r"(?:未发生|没有发生)[^。；]{0,20}行政复议|无(?!法)[^。；，]{0,12}行政复议|未被申请[^。；]{0,6}复议"
        ),
        "no_review",
    ),
    Claim(
        re.compile(
            r"(?:未发生|没有发生)[^。；]{0,26}诉讼|无(?!法)[^。；，]{0,12}行政诉讼|未被提起[^。；]{0,6}诉讼"
        ),
        "no_litigation",
    ),
    Claim(re.compile(r"均(?:获|被|予)?维持|全部(?:获|被)?维持"), "all_upheld"),
    Claim(re.compile(r"未(?:制发|出台|印发)[^。；，]{0,8}规范性文件"), "no_normative"),
    Claim(re.compile(r"未(?:发出|下发|出具)[^。；，]{0,8}收费通知"), "no_notices"),
    Claim(re.compile(r"未(?:实际)?收取[^。；，]{0,8}(?:信息处理费|费用)|无收取信息处理费|未收费"), "no_fees"),
)


def _claim_problem(
    kind: str, figs: ReportData, sentence: str, has_data: bool, table2_known: bool
) -> str | None:
    f = compute(figs)
    review_ctx = "复议" in sentence
    lit_ctx = "诉讼" in sentence or "起诉" in sentence
    if kind == "no_requests" and f.new and not (review_ctx or lit_ctx):
        return f"表三“{_NEW}”为 {f.new}"
    if kind == "no_carried_over" and f.carried_over:
        return f"表三“{_CARRIED}”为 {f.carried_over}"
    if kind == "all_concluded" and not (review_ctx or lit_ctx) and f.carry_forward:
        return f"表三“{_FORWARD}”为 {f.carry_forward}"
    if kind == "cases_closed" and (review_ctx or lit_ctx):
        pending = (f.review["pending"] if review_ctx else 0) + (f.litigation["pending"] if lit_ctx else 0)
        if pending:
            return f"表四“尚未审结”共 {pending} 件"
    if kind == "no_review" and f.review["total"]:
        return f"表四 行政复议 总计为 {f.review['total']}"
    if kind == "no_litigation" and f.litigation["total"]:
        return f"表四 行政诉讼 总计为 {f.litigation['total']}"
    if kind == "all_upheld":
        blocks = []
        if review_ctx or not lit_ctx:
            blocks.append(("行政复议", f.review))
        if lit_ctx or not review_ctx:
            blocks.append(("行政诉讼", f.litigation))
        for name, fig in blocks:
            if fig["total"] and (fig["corrected"] or fig["other"] or fig["pending"]):
                return (
                    f"表四 {name} 结果纠正 {fig['corrected']}、其他结果 {fig['other']}、尚未审结 {fig['pending']}，"
                    "并非全部维持"
                )
    if kind == "no_normative" and figs.table2.normative.issued and table2_known:
        return f"表二 行政规范性文件 本年制发件数为 {figs.table2.normative.issued}"
    if kind == "no_notices":
        unpaid = figs.table3.other_handling.overdue_fee.sum
        if unpaid:
            return f"表三（六）其他处理“2.申请人逾期未按收费通知要求缴纳费用…”为 {unpaid}，说明发出过收费通知"
        if has_data and figs.fees.notices:
            return f"数据文件中发出收费通知 {figs.fees.notices} 件"
    if kind == "no_fees" and has_data and figs.fees.collected:
        return f"数据文件中实收信息处理费 {figs.fees.collected} 元"
    return None


_CLAIM_RULE = {"no_notices": "F2", "no_fees": "F3"}
_CLAIM_CELLS: dict[str, tuple[Cell, ...]] = {
    "no_requests": (_t3("new"),),
    "no_carried_over": (_t3("carried_over"),),
    "all_concluded": (_t3("carry_forward"),),
    "cases_closed": _t4("pending"),
    "no_review": (Cell("table4", "review", official.TOTAL_KEY),),
    "no_litigation": _t4(official.TOTAL_KEY, ("litigation_direct", "litigation_after_review")),
    "all_upheld": (*_t4("corrected"), *_t4("other"), *_t4("pending")),
    "no_normative": (Cell("table2", "normative", "issued"),),
    "no_notices": (_t3("other_handling.overdue_fee"),),
}


@check("claims", "consistency", {}, also=("N3", "F2", "F3"), scope="narrative")
def claims(ctx: Context) -> Iterator[Finding]:
    figs = ctx.figures
    if figs is None:
        return
    has_table4 = ctx.data is not None or (ctx.report.table4 is not None and ctx.report.table4.row is not None)
    for p in ctx.paragraphs():
        seen: dict[str, int] = {}  # claims of each kind reported in this paragraph
        for offset, sentence in sentences(p.text):
            reported: set[str] = set()
            for claim in _CLAIMS:
                m = claim.pattern.search(sentence)
                if m is None or claim.kind in reported:
                    continue
                if (
                    claim.kind in ("no_review", "no_litigation", "all_upheld", "cases_closed")
                    and not has_table4
                ):
                    continue
                problem = _claim_problem(claim.kind, figs, sentence, ctx.data is not None, _table2_known(ctx))
                if problem is None:
                    continue
                reported.add(claim.kind)
                seen[claim.kind] = seen.get(claim.kind, 0) + 1
                quoted = snippet(p.text, offset + m.start(), offset + m.end(), width=8)
                yield ctx.found(
                    _CLAIM_RULE.get(claim.kind, "N3"),
                    "error",
                    f"正文说“{quoted}”，但{problem}：请改正正文或表格，使两者一致",
                    p.where(),
                    evidence=f"正文“{quoted}”；{problem}",
                    place=paragraph_place(p, f"claim:{claim.kind}#{seen[claim.kind]}"),
                    cells=_CLAIM_CELLS.get(claim.kind, ()),
                )


def paragraphs_of(ctx: Context, part: str) -> list[Paragraph]:
    return ctx.report.part_paragraphs(part)
