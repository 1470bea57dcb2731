"""Binding a number to the figure its words name: by label, not by value (issue 10).

A count or an amount stated with a label (新收…66件, 培训…2次, 应收…900元, 人大代表建议14件) must equal
*that label's* figure — a cell or sum of the tables, or a figure of the author's facts. That the number
equals some other figure of the data does not make it right: 培训3次 is wrong when the facts say 2,
though 3 may be the number of fee notices.

``Binder(figures_data).bind(mention, text)`` reads the words of one mention (``numbers.Mention``: its
label, the words after it, its clause and the 其中 figure it breaks down) and names the figure:

- **table words** (``TABLE_WORDS``): the official labels and the words reports use for them. The most
  specific word of the label wins — an outcome word (同意公开, 部分公开) over the verb every outcome
  uses (答复, 办理); a longer word over its part (结转下年度继续办理 over 办理); negation is part of
  the word (尚未办结 → 结转下年度, 已审结 → the cases closed). ``公民、法人和其他组织`` names every
  applicant, not the 法人 column.
- **fact words**: each figure of a fact keeps the words before it (``组织政务公开业务培训``2次), and a
  mention binds to the fact whose words it repeats longest (培训 → 2次; 视频解读 beats 解读).

A binding knows whether it is *certain*: one figure named, its value known. Only certain bindings
may be sent back to a model with the data's figure; the checks report the rest without a figure.
This module is the layer below the checks, so that the offline writer can screen facts with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Final

from . import official
from .data.model import ReportData, Table4
from .data.rules import column_value
from .figures import RESULT_GROUPS, Figures, compute, group_total
from .numbers import Mention, mentions
from .official import Cell

COUNT_UNITS: Final = frozenset({"件", "起", "宗", "个", "份", "项", "次", "部"})
DOC_UNITS: Final = frozenset({"件", "份", "个", "部"})
MONEY_UNITS: Final = frozenset({"元", "万元", "亿元", "千元"})

# Words that name a figure of the tables → the concept they name. Weak words (a verb every outcome
# shares) bind only when no other word of the label names a figure.
TABLE_WORDS: Final[dict[str, str]] = {
    # 表三 一、二、四 and the totals
    "新收": "new",
    "新接收": "new",
    "收到": "new",
    "接收": "new",
    "接到": "new",
    "公民、法人和其他组织": "new",
    "公民、法人或其他组织": "new",
    "自然人、法人或其他组织": "new",
    "自然人、法人和其他组织": "new",
    "上年结转": "carried_over",
    "上年度结转": "carried_over",
    "上一年度结转": "carried_over",
    "去年结转": "carried_over",
    "上年遗留": "carried_over",
    "结转下年度继续办理": "carry_forward",
    "结转下年度": "carry_forward",
    "结转至下年度": "carry_forward",
    "结转到下年度": "carry_forward",
    "转下年度": "carry_forward",
    "转入下年度": "carry_forward",
    "转下一年度": "carry_forward",
    "尚未办结": "carry_forward",
    "未办结": "carry_forward",
    "仍在办理": "carry_forward",
    "正在办理": "carry_forward",
    "结转": "carry_forward",
    "合计办理": "handled",
    "共需办理": "handled",
    "受理总量": "handled",
    "办理总量": "handled",
    "办理总数": "handled",
    "受理": "accepted",
    "办理": "accepted",
    "办结": "concluded",
    "已办结": "concluded",
    "办理完毕": "concluded",
    "作出答复": "concluded",
    "答复": "concluded",
    # 表三 三、办理结果
    "予以公开和部分公开": "disclosed+partial",
    "予以公开及部分公开": "disclosed+partial",
    "予以公开、部分公开": "disclosed+partial",
    "予以公开": "disclosed",
    "同意公开": "disclosed",
    "全部公开": "disclosed",
    "部分公开": "partial",
    "不予公开": "withheld",
    "无法提供": "unable",
    "不予处理": "not_processed",
    "其他处理": "other_handling",
    # 表三 applicants
    "自然人": "natural",
    "法人或其他组织": "legal_persons",
    "法人和其他组织": "legal_persons",
    "法人及其他组织": "legal_persons",
    "商业企业": "commercial",
    "科研机构": "research",
    "社会公益组织": "social",
    "法律服务机构": "legal",
    # 表四
    "行政复议": "review",
    "复议": "review",
    "行政诉讼": "litigation",
    "诉讼": "litigation",
    "起诉": "litigation",
    "结果维持": "upheld",
    "维持": "upheld",
    "结果纠正": "corrected",
    "纠正": "corrected",
    "其他结果": "other_result",
    "尚未审结": "pending",
    "未审结": "pending",
    "正在审理": "pending",
    "已审结": "closed",
    "审结": "closed",
    # 表二
    "规范性文件": "normative",
    "规章": "rules",
    "行政许可": "licensing",
    "行政处罚": "penalty",
    "行政强制": "coercion",
    "行政事业性收费": "admin_fees",
    # 六、信息处理费
    "收费通知": "notices",
    "应收": "billed",
    "应收取": "billed",
    "实收": "collected",
    "实际收取": "collected",
    "收取": "collected",
    "信息处理费": "fee_amount",
}
WEAK_WORDS: Final = frozenset({"收到", "接收", "接到", "受理", "办理", "答复", "收取", "信息处理费", "结转"})
# Words naming nothing: the number is a difference, a share, an average or a count of people.
NAMING_NOTHING: Final = ("较上年", "比上年", "同比", "上年同期", "较去年", "比去年", "占", "率", "平均", "人次")
DIRECTION_WORDS: Final = ("增加", "增长", "上升", "提高", "增多", "减少", "下降", "降低", "减", "多", "少", "持平")
COMPARISON: Final = re.compile(r"较上年|比上年|与上年相比|同比|较去年|比去年|与去年相比|上年同期|较(?:19|20)\d{2}年|比(?:19|20)\d{2}年")

_WORD_PATTERN: Final = re.compile("|".join(re.escape(w) for w in sorted(TABLE_WORDS, key=len, reverse=True)))
_DOC_VERBS: Final = (("废止", "repealed"), ("现行有效", "in_force"), ("有效", "in_force"))
_DOC_ISSUED: Final = ("制发", "印发", "出台", "发布", "制定")
_TOTAL_WORDS: Final = ("共计", "合计", "总计", "共")
_REQUEST_CONCEPTS: Final = frozenset(
    {
        "new",
        "carried_over",
        "carry_forward",
        "handled",
        "accepted",
        "concluded",
        "natural",
        "legal_persons",
        "commercial",
        "research",
        "social",
        "legal",
    }
)
_APPLICANT_CONCEPTS: Final = frozenset({"natural", "legal_persons", *official.TABLE3_COLUMN_KEYS})
_TABLE4_RESULTS: Final = frozenset({"upheld", "corrected", "other_result", "pending", "closed"})
_TABLE4_TOTALS: Final = frozenset({"review", "litigation"})
_REVIEW_WORDS: Final = ("复议",)
_LITIGATION_WORDS: Final = ("诉讼", "起诉", "法院")
FEE_CONCEPTS: Final = frozenset({"notices", "billed", "collected", "fee_amount"})
TABLE2_CONCEPTS: Final = frozenset({"normative", "rules", "licensing", "penalty", "coercion", "admin_fees"})

# Fact words that name nothing in particular: a mention is not bound to a fact by these alone.
_GENERIC: Final = frozenset(
    {
        "信息",
        "政府信息",
        "公开",
        "工作",
        "情况",
        "内容",
        "数量",
        "件数",
        "次数",
        "文件",
        "全年",
        "累计",
        "共计",
        "其中",
        "发布",
        "公开信息",
        "主动公开",
        "开展",
        "组织",
        "完成",
        "办理",
    }
)
# Verbs that open a fact's words and are left off its head noun (组织…培训 → 培训).
_FACT_VERBS: Final = re.compile(
    r"^(?:全年|本年度|年内|通过|组织|开展|举办|召开|承办|办理|完成|新增|整合|关停|更新|接待|设置|建立|"
    r"落实|编制|上线|开通|推送|回复|参加|累计|共|发布|印发|制发|公开|主动公开)+"
)


@dataclass(frozen=True)
class Figure:
    """A figure of the data a text may name: what it is called, what it may be, where it stands."""

    key: str  # a concept of TABLE_WORDS (with its block: ``review.upheld``), or ``fact:<topic>:<n>:<m>``
    rule: str  # the rule a wrong value breaks (N1–N4, F2, F3, N5 for the facts)
    label: str  # how a message names it: 表三 一、本年新收政府信息公开申请数量
    values: frozenset[Decimal]  # what the text may state (受理 may count 一 or 一+二)
    units: frozenset[str]
    cells: tuple[Cell, ...] = ()
    money: str = ""  # the unit the figure is kept in, for an amount: 元 or 万元
    topic: str = ""  # a fact's topic

    @property
    def value(self) -> Decimal | None:
        """The one value a re-ask may give, or None when several are allowed."""
        return next(iter(self.values)) if len(self.values) == 1 else None

    def shown(self) -> str:
        unit = self.money or ""
        return "或".join(f"{_fmt(v)}{unit}" for v in sorted(self.values))


@dataclass(frozen=True)
class Binding:
    figure: Figure
    word: str  # the words of the text that named it
    certain: bool  # one figure named by specific words: a re-ask may state its value

    def matches(self, m: Mention) -> bool:
        """Whether the mention states the figure (money compared in 元, decimals as written)."""
        return any(_same(stated, v) for v in self.figure.values for stated in _stated(m, self.figure))

    def unit_slip(self, m: Mention) -> bool:
        """An amount whose number is right but whose unit is not (24252.311082元 for 万元)."""
        return bool(self.figure.money) and m.value is not None and m.unit != self.figure.money and (
            any(_same(m.value, v) for v in self.figure.values)
        )


def _stated(m: Mention, figure: Figure) -> list[Decimal]:
    if m.value is None:
        return []
    if figure.money and m.kind == "money":
        yuan = m.yuan()
        if yuan is None:
            return []
        return [yuan / (Decimal(10000) if figure.money == "万元" else Decimal(1))]
    return [m.value]


def _same(stated: Decimal, value: Decimal) -> bool:
    if stated == value:
        return True
    exponent = stated.as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0:  # 24252.31 for 24252.311082
        return value.quantize(Decimal(1).scaleb(exponent)) == stated
    return False


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


# --- the table figures ------------------------------------------------------------------------------


def _t3(row: str, column: str = official.TOTAL_KEY) -> Cell:
    return Cell("table3", row, column)


def _t4(column: str, blocks: Sequence[str]) -> tuple[Cell, ...]:
    return tuple(Cell("table4", b, column) for b in blocks)


_ROW = official.TABLE3_ROW_BY_PATH
_NEW = f"表三 {_ROW['new'].label}"
_CARRIED = f"表三 {_ROW['carried_over'].label}"
_FORWARD = f"表三 {_ROW['carry_forward'].label}"
_CONCLUDED = f"表三 {official.TABLE3_RESULTS_HEADING}{_ROW['results_total'].label}（办结数）"
_GROUP_LABELS: Final = {
    "disclosed": "（一）予以公开",
    "partial": "（二）部分公开",
    "withheld": "（三）不予公开（各项之和）",
    "unable": "（四）无法提供（各项之和）",
    "not_processed": "（五）不予处理（各项之和）",
    "other_handling": "（六）其他处理（各项之和）",
}
_TABLE4_FIELDS: Final = {"upheld": "upheld", "corrected": "corrected", "other_result": "other", "pending": "pending"}
_BLOCK_NAMES: Final = {"review": "行政复议", "litigation": "行政诉讼"}
_LITIGATION_BLOCKS: Final = ("litigation_direct", "litigation_after_review")


def _d(value: int | Decimal) -> Decimal:
    return Decimal(value)


def _group_cells(group: str) -> tuple[Cell, ...]:
    return tuple(_t3(r.path) for r in official.TABLE3_RESULT_LEAVES if r.path.startswith(group + "."))


@dataclass
class TableFigures:
    """The figures of one report's tables, by concept (computed once)."""

    data: ReportData
    f: Figures = field(init=False)

    def __post_init__(self) -> None:
        self.f = compute(self.data)

    def block_value(self, t4: Table4, concept: str, block: str) -> Decimal:
        if concept == "closed":
            if block == "review":
                return _d(t4.review.sum - t4.review.pending)
            lit = [getattr(t4, b) for b in _LITIGATION_BLOCKS]
            return _d(sum(o.sum - o.pending for o in lit))
        name = _TABLE4_FIELDS[concept]
        if block == "review":
            return _d(getattr(t4.review, name))
        return _d(sum(getattr(getattr(t4, b), name) for b in _LITIGATION_BLOCKS))

    def primary(self, concept: str) -> Decimal | None:
        """The one value a concept has this year (an applicant column: the 新收 row), for shares."""
        t = self.data.table3
        if concept == "legal_persons":
            return _d(t.new.legal_persons)
        if concept in official.TABLE3_COLUMN_KEYS:
            return _d(column_value(t.new, concept))
        if concept == "accepted":
            return None
        figure = self.figure(concept)
        return figure.value if figure is not None else None

    def figure(self, concept: str, *, block: str | None = None, doc_field: str | None = None) -> Figure | None:
        """The figure a concept names (表四 results in ``block``, 表二 documents in ``doc_field``)."""
        data, f, t = self.data, self.f, self.data.table3
        if concept in _TABLE4_RESULTS:
            blocks = (block,) if block else ("review", "litigation")
            values = frozenset(self.block_value(data.table4, concept, b) for b in blocks)
            if not block:
                values |= {sum((self.block_value(data.table4, concept, b) for b in blocks), Decimal(0))}
            column = "pending" if concept == "closed" else _TABLE4_FIELDS[concept]
            where = _BLOCK_NAMES[block] if block else "行政复议或行政诉讼"
            what = "已审结" if concept == "closed" else dict(official.TABLE4_COLUMNS)[column]
            cell_blocks = ("review",) if block == "review" else _LITIGATION_BLOCKS if block else ("review", *_LITIGATION_BLOCKS)
            return Figure(f"{block or 'table4'}.{concept}", "N3", f"表四 {where} {what}", values, COUNT_UNITS, _t4(column, cell_blocks))
        simple: dict[str, tuple[str, str, set[Decimal], tuple[Cell, ...]]] = {
            "new": ("N1", _NEW, {_d(f.new)}, (_t3("new"),)),
            "carried_over": ("N1", _CARRIED, {_d(f.carried_over)}, (_t3("carried_over"),)),
            "carry_forward": ("N1", _FORWARD, {_d(f.carry_forward)}, (_t3("carry_forward"),)),
            "handled": ("N1", "本年度办理的申请合计（表三一、二两项之和）", {_d(f.handled)}, (_t3("new"), _t3("carried_over"))),
            "accepted": (
                "N1",
                "受理申请数（本年新收，或本年新收加上年结转）",
                {_d(f.new), _d(f.handled)},
                (_t3("new"), _t3("carried_over")),
            ),
            "concluded": ("N1", _CONCLUDED, {_d(f.concluded)}, (_t3("results_total"),)),
            "disclosed+partial": (
                "N2",
                "（一）予以公开与（二）部分公开之和",
                {_d(f.groups["disclosed"] + f.groups["partial"])},
                (_t3("disclosed"), _t3("partial")),
            ),
            "review": ("N3", "表四 行政复议 总计", {_d(f.review["total"])}, (Cell("table4", "review", official.TOTAL_KEY),)),
            "litigation": (
                "N3",
                "表四 行政诉讼 总计",
                {
                    _d(f.litigation["total"]),
                    _d(data.table4.litigation_direct.sum),
                    _d(data.table4.litigation_after_review.sum),
                },
                _t4(official.TOTAL_KEY, _LITIGATION_BLOCKS),
            ),
            "licensing": ("N4", "表二 行政许可 本年处理决定数量", {_d(data.table2.licensing)}, official.row_cells("table2", "licensing")),
            "penalty": ("N4", "表二 行政处罚 本年处理决定数量", {_d(data.table2.penalty)}, official.row_cells("table2", "penalty")),
            "coercion": ("N4", "表二 行政强制 本年处理决定数量", {_d(data.table2.coercion)}, official.row_cells("table2", "coercion")),
            "notices": ("F2", "发出收费通知件数", {_d(data.fees.notices)}, ()),
        }
        if concept in simple:
            rule, label, values, cells = simple[concept]
            units = frozenset({*COUNT_UNITS}) if concept != "notices" else frozenset({"件", "份", "个", "次"})
            return Figure(concept, rule, label, frozenset(values), units, cells)
        if concept in dict(RESULT_GROUPS):
            cells = (_t3(concept),) if concept in ("disclosed", "partial") else _group_cells(concept)
            return Figure(concept, "N2", f"表三 {_GROUP_LABELS[concept]}", frozenset({_d(f.groups[concept])}), COUNT_UNITS, cells)
        if concept in _APPLICANT_CONCEPTS:
            key = "legal_persons" if concept == "legal_persons" else concept
            label = official.TABLE3_LEGAL_PERSONS if key == "legal_persons" else dict(official.TABLE3_COLUMNS)[key]
            now = _d(t.new.legal_persons if key == "legal_persons" else column_value(t.new, key))
            carried = _d(t.carried_over.legal_persons if key == "legal_persons" else column_value(t.carried_over, key))
            cells = (_t3("new", key), _t3("carried_over", key)) if key != "legal_persons" else ()
            return Figure(concept, "N2", f"表三 {label}申请数", frozenset({now, now + carried}), COUNT_UNITS, cells)
        if concept in ("normative", "rules"):
            counts = getattr(data.table2, concept)
            name = "行政规范性文件" if concept == "normative" else "规章"
            labels = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}
            fields = (doc_field,) if doc_field else ("issued", "repealed", "in_force")
            values = frozenset(_d(getattr(counts, x)) for x in fields)
            label = f"表二 {name} {labels[doc_field]}" if doc_field else f"表二 {name}"
            return Figure(f"{concept}.{doc_field or '*'}", "N4", label, values, DOC_UNITS, official.row_cells("table2", concept))
        if concept == "admin_fees":
            return Figure(
                concept,
                "N4",
                "表二 行政事业性收费 本年收费金额（万元）",
                frozenset({data.table2.admin_fees}),
                MONEY_UNITS,
                official.row_cells("table2", "admin_fees"),
                money="万元",
            )
        if concept in ("billed", "collected", "fee_amount"):
            fees = data.fees
            values = {"billed": {fees.billed}, "collected": {fees.collected}, "fee_amount": {fees.billed, fees.collected}}[concept]
            label = {"billed": "应收信息处理费", "collected": "实收信息处理费", "fee_amount": "信息处理费（应收或实收）"}[concept]
            return Figure(concept, "F3", label, frozenset(values), MONEY_UNITS, (), money="元")
        return None


# --- the facts' figures -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactFigure:
    figure: Figure
    words: tuple[str, ...]  # the fact's label and its tails, longest first
    fact: str


def fact_words(label: str, after: str = "") -> tuple[str, ...]:
    """The words a fact's figure is known by: its label without the verbs that open it, and every
    tail of that of at least two characters that is not a generic word, longest first
    (``组织政务公开业务培训`` → 政务公开业务培训, 务公开业务培训, …, 业务培训, 培训)."""
    head = _FACT_VERBS.sub("", label.strip()) or label.strip()
    if not head and after:
        head = after
    head = re.sub(r"[“”\"'《》〈〉（）()\s]", "", head)
    tails = [head[i:] for i in range(len(head) - 1)]
    return tuple(t for t in tails if len(t) >= 2 and t not in _GENERIC)


def fact_figures(topic: str, index: int, fact: str) -> list[FactFigure]:
    out = []
    for n, m in enumerate(mentions(fact)):
        if not m.is_figure or m.value is None:
            continue
        words = fact_words(m.label, m.after)
        if not words:
            continue
        unit = m.unit
        money = unit if m.kind == "money" else ""
        figure = Figure(
            f"fact:{topic}:{index}:{n}",
            "N5",
            f"素材（{official.FACT_LABELS.get(topic, topic)}）“{fact.strip()[:30]}”",
            frozenset({m.value}),
            frozenset({unit}) if not money else MONEY_UNITS,
            money=money,
            topic=topic,
        )
        out.append(FactFigure(figure, words, fact))
    return out


# --- binding -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What binding a mention reads besides its own words: the text it stands in and the bindings
    of the mentions before it in the same paragraph."""

    text: str
    mentions: Sequence[Mention]
    bound: dict[int, Binding]  # index in ``mentions`` → binding, for the mentions already read
    about_requests: bool  # the paragraph is about 依申请公开


def about_requests(text: str) -> bool:
    return "依申请" in text or "政府信息公开申请" in text


def sentence_before(text: str, m: Mention) -> str:
    """The text of m's sentence up to m (line breaks, 。；！？ end a sentence)."""
    i = m.start
    while i > 0 and text[i - 1] not in "。；;！!？?\n":
        i -= 1
    return text[i : m.start]


def phrase_before(text: str, start: int, limit: int = 40) -> str:
    """The words before ``start`` back to the last comma, colon or sentence end (brackets do not
    stop it: ``比上年（125件）增加`` is one phrase)."""
    i = start
    lo = max(0, start - limit)
    while i > lo and text[i - 1] not in "，,：:。；;！!？?\n":
        i -= 1
    return text[i:start]


def is_comparison(text: str, m: Mention) -> bool:
    """A year-on-year amount or percentage (比上年增加19件, 同比增长15.2%), or last year's figure
    given beside this year's (比上年（125件）): ``checks.changes`` reads these, not binding."""
    before = phrase_before(text, m.start)
    tail = m.label or before[-4:]
    directed = any(w in tail for w in DIRECTION_WORDS)
    if COMPARISON.search(before) is None:
        # ``比上年增加19件，增长15.2%``: the comparison word stands earlier in the sentence.
        return directed and COMPARISON.search(sentence_before(text, m)) is not None
    return directed or before.rstrip().endswith(("（", "(")) or not m.label


def _block_of(text: str, m: Mention, ctx: Context, index: int) -> str | None:
    """The 表四 block a result figure belongs to: the words of its label, its 其中 figure, or the
    last block named before it in the paragraph."""
    for words in (m.label, m.clause):
        has_review = any(w in words for w in _REVIEW_WORDS)
        has_lit = any(w in words for w in _LITIGATION_WORDS)
        if has_review != has_lit:
            return "review" if has_review else "litigation"
    if m.parent is not None and m.parent in ctx.bound:
        key = ctx.bound[m.parent].figure.key
        if key in _TABLE4_TOTALS:
            return key
    before = text[: m.start]
    last_review = before.rfind("复议")
    last_lit = max(before.rfind(w) for w in _LITIGATION_WORDS)
    if last_review < 0 and last_lit < 0:
        return None
    return "review" if last_review > last_lit else "litigation"


def _pick(words: Iterable[re.Match[str]]) -> re.Match[str] | None:
    """The word that names the figure: a specific word over a weak one, then the last."""
    found = list(words)
    strong = [w for w in found if w.group() not in WEAK_WORDS]
    pool = strong or found
    return pool[-1] if pool else None


class Binder:
    """Binds mentions of one report's texts to its figures (tables and facts)."""

    def __init__(
        self,
        data: ReportData,
        *,
        facts: bool = True,
        table2: bool = True,
        table4: bool = True,
        fees: bool = True,
        skip_facts: Iterable[tuple[str, int]] = (),
    ) -> None:
        self.data = data
        self.tables = TableFigures(data)
        self.use_facts = facts
        self.table2 = table2
        self.table4 = table4
        self.fees = fees
        self.skip = set(skip_facts)

    @cached_property
    def facts(self) -> list[FactFigure]:
        out: list[FactFigure] = []
        if not self.use_facts:
            return out
        for topic, _ in official.FACT_TOPICS:
            for i, fact in enumerate(self.data.facts.get(topic) or []):
                if (topic, i) not in self.skip:
                    out.extend(fact_figures(topic, i, fact))
        return out

    def table_word(self, m: Mention, ctx: Context) -> tuple[str, str] | None:
        """(the word, its concept) that names m among the table words, if any."""
        label = m.label
        # ``公民、法人和其他组织`` names every applicant: the clause holds the whole phrase.
        whole = re.search(r"(?:公民|自然人)、?(?:和|及|与)?法人[和或及]其他组织", m.clause)
        if whole is not None and "法人" in label:
            return whole.group(), "new"
        found = _pick(_WORD_PATTERN.finditer(label))
        if found is None and len(label.strip("，、 ")) <= 2:
            # ``1件结转下年度``, ``1件尚未审结``: the label follows the number.
            after = _WORD_PATTERN.match(m.after) if m.after else None
            if after is not None and after.group() not in WEAK_WORDS:
                found = after
        if found is None and any(v in label for v, _ in _DOC_VERBS) | any(v in label for v in _DOC_ISSUED):
            noun = _last_doc_noun(sentence_before(ctx.text, m))
            if noun:
                return noun, TABLE_WORDS[noun]
        if found is None:
            return None
        word = found.group()
        concept = TABLE_WORDS[word]
        if concept == "carry_forward" and word == "结转" and re.search(r"上一?年度?$", label[: found.start()]):
            return "上年结转", "carried_over"
        return word, concept

    def _allowed_concept(self, concept: str, m: Mention, ctx: Context, word: str = "") -> bool:
        if concept in TABLE2_CONCEPTS and not self.table2:
            return False
        if (concept in _TABLE4_RESULTS or concept in _TABLE4_TOTALS) and not self.table4:
            return False
        if concept in FEE_CONCEPTS and not self.fees:
            return False
        if concept in _REQUEST_CONCEPTS:
            sentence = sentence_before(ctx.text, m) + m.after
            # In a paragraph about 依申请公开, a word only applications use needs no 申请 beside it.
            specific = word not in WEAK_WORDS and ctx.about_requests
            if "申请" not in sentence and "申请" not in m.after and not specific:
                return False
        return True

    def bind_table(self, m: Mention, ctx: Context, index: int) -> Binding | None:
        named = self.table_word(m, ctx)
        if named is None:
            return self._total_of_list(m, ctx, index)
        word, concept = named
        if word in WEAK_WORDS and concept in _REQUEST_CONCEPTS:
            # ``行政复议方面，全年收到4件``: a verb every count shares, in a sentence about cases —
            # of one kind (both named, ``复议、诉讼案件…共办理74件``: which figure is not said).
            before = sentence_before(ctx.text, m)
            cases = before[before.rfind("申请") + 1 :]
            named = {"review"} if "复议" in cases else set()
            named |= {"litigation"} if any(w in cases for w in _LITIGATION_WORDS) else set()
            if len(named) > 1:
                return None
            if named:
                concept = named.pop()
        if not self._allowed_concept(concept, m, ctx, word):
            return None
        doc_field = None
        if concept in ("normative", "rules"):
            doc_field = _doc_field(m.label) or _doc_field(phrase_before(ctx.text, m.start))
        block = _block_of(ctx.text, m, ctx, index) if concept in _TABLE4_RESULTS else None
        figure = self.tables.figure(concept, block=block, doc_field=doc_field)
        if figure is None or not _unit_fits(m, figure):
            return None
        certain = word not in WEAK_WORDS and figure.value is not None
        return Binding(figure, word, certain)

    def _total_of_list(self, m: Mention, ctx: Context, index: int) -> Binding | None:
        """``予以公开3件、…其他处理4件，共计64件``: a total after a list of the result groups is the
        number concluded; after a list of applicants, the number received."""
        label = phrase_before(ctx.text, m.start)
        if not label.strip().startswith(_TOTAL_WORDS) or len(label.strip()) > 4:
            return None
        earlier = [ctx.bound.get(i) for i in range(index) if ctx.mentions[i].sentence == m.sentence]
        keys = [b.figure.key for b in earlier if b is not None]
        if len(keys) >= 2 and all(k in dict(RESULT_GROUPS) or k == "disclosed+partial" for k in keys):
            figure = self.tables.figure("concluded")
        elif len(keys) >= 2 and all(k in _APPLICANT_CONCEPTS for k in keys):
            figure = self.tables.figure("new")
        else:
            return None
        return Binding(figure, label.strip(), True) if figure is not None else None

    def bind_fact(self, m: Mention, ctx: Context) -> Binding | None:
        """The fact figure whose words m's label repeats longest (ties between different values:
        no binding)."""
        if not self.facts:
            return None
        text = (m.label + (m.after[:6] if len(m.label) <= 4 else "")).replace(" ", "")
        best: list[tuple[int, FactFigure]] = []
        for ff in self.facts:
            if not _unit_fits(m, ff.figure):
                continue
            for word in ff.words:
                if word in text:
                    best.append((len(word), ff))
                    break
        if not best:
            return None
        top = max(n for n, _ in best)
        winners = {ff.figure.values for n, ff in best if n == top}
        chosen = next(ff for n, ff in best if n == top)
        if len(winners) > 1:
            values = frozenset(v for vs in winners for v in vs)
            return Binding(Figure(chosen.figure.key, "N5", chosen.figure.label, values, chosen.figure.units), text, False)
        return Binding(chosen.figure, text, top >= 2)

    def bind(self, m: Mention, ctx: Context, index: int) -> list[Binding]:
        """Every figure m's words name: at most one of the tables and one of the facts."""
        if not m.is_figure or m.value is None or is_comparison(ctx.text, m):
            return []
        if any(w in m.label for w in NAMING_NOTHING) and not _WORD_PATTERN.search(m.label):
            return []
        out = []
        table = self.bind_table(m, ctx, index)
        if table is not None:
            out.append(table)
        fact = self.bind_fact(m, ctx)
        if fact is not None:
            out.append(fact)
        return out

    def read(self, text: str) -> list[tuple[Mention, list[Binding]]]:
        """Each mention of a paragraph with the figures its words name."""
        found = mentions(text)
        bound: dict[int, Binding] = {}
        ctx = Context(text, found, bound, about_requests(text))
        out = []
        for i, m in enumerate(found):
            bindings = self.bind(m, ctx, i)
            if bindings:
                bound[i] = bindings[0]
            out.append((m, bindings))
        return out


def _last_doc_noun(text: str) -> str | None:
    last = max(("规范性文件", "规章"), key=lambda w: text.rfind(w))
    return last if text.rfind(last) >= 0 else None


def _doc_field(words: str) -> str | None:
    for verb, name in _DOC_VERBS:
        if verb in words:
            return name
    if any(v in words for v in _DOC_ISSUED):
        return "issued"
    return None


def _unit_fits(m: Mention, figure: Figure) -> bool:
    if figure.money:
        return m.kind == "money" or (m.kind == "number" and not m.unit)
    return m.unit in figure.units and m.kind == "count"
