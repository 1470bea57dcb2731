"""The figures of one report's data, each with the names a text may call it by and the values it
may take (issue 10): the tables' figures by concept (``TableFigures.figure("new")`` →
表三 一、本年新收… = 66; 受理 may count 一 or 一+二; a 表四 result within its block), and the
figures of the author's facts with their words (``组织政务公开业务培训``2次). ``binding`` decides
which of them a number of a text names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final

from . import official
from .data.model import ReportData, Table4
from .data.rules import column_value
from .figures import RESULT_GROUPS, Figures, compute
from .numbers import Mention, mentions
from .official import Cell

COUNT_UNITS: Final = frozenset({"件", "起", "宗", "个", "份", "项", "次", "部"})
DOC_UNITS: Final = frozenset({"件", "份", "个", "部"})
MONEY_UNITS: Final = frozenset({"元", "万元", "亿元", "千元"})

APPLICANT_CONCEPTS: Final = frozenset({"natural", "legal_persons", *official.TABLE3_COLUMN_KEYS})
TABLE4_RESULTS: Final = frozenset({"upheld", "corrected", "other_result", "pending", "closed"})
TABLE4_TOTALS: Final = frozenset({"review", "litigation"})

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


def stated_values(m: Mention, figure: Figure) -> list[Decimal]:
    if m.value is None:
        return []
    if figure.money and m.kind == "money":
        yuan = m.yuan()
        if yuan is None:
            return []
        return [yuan / (Decimal(10000) if figure.money == "万元" else Decimal(1))]
    return [m.value]


def same_value(stated: Decimal, value: Decimal) -> bool:
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
_TABLE4_FIELDS: Final = {
    "upheld": "upheld",
    "corrected": "corrected",
    "other_result": "other",
    "pending": "pending",
}
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
    cache: dict[tuple[str, str | None, str | None], Figure | None] = field(default_factory=dict, init=False)

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

    def figure(
        self, concept: str, *, block: str | None = None, doc_field: str | None = None
    ) -> Figure | None:
        """The figure a concept names (表四 results in ``block``, 表二 documents in ``doc_field``),
        built once per report."""
        key = (concept, block, doc_field)
        if key not in self.cache:
            self.cache[key] = self._figure(concept, block, doc_field)
        return self.cache[key]

    def _figure(self, concept: str, block: str | None, doc_field: str | None) -> Figure | None:
        data, f, t = self.data, self.f, self.data.table3
        if concept in TABLE4_RESULTS:
            blocks = (block,) if block else ("review", "litigation")
            values = frozenset(self.block_value(data.table4, concept, b) for b in blocks)
            if not block:
                values |= {sum((self.block_value(data.table4, concept, b) for b in blocks), Decimal(0))}
            column = "pending" if concept == "closed" else _TABLE4_FIELDS[concept]
            where = _BLOCK_NAMES[block] if block else "行政复议或行政诉讼"
            what = "已审结" if concept == "closed" else dict(official.TABLE4_COLUMNS)[column]
            cell_blocks = (
                ("review",)
                if block == "review"
                else _LITIGATION_BLOCKS
                if block
                else ("review", *_LITIGATION_BLOCKS)
            )
            return Figure(
                f"{block or 'table4'}.{concept}",
                "N3",
                f"表四 {where} {what}",
                values,
                COUNT_UNITS,
                _t4(column, cell_blocks),
            )
        simple: dict[str, tuple[str, str, set[Decimal], tuple[Cell, ...]]] = {
            "new": ("N1", _NEW, {_d(f.new)}, (_t3("new"),)),
            "carried_over": ("N1", _CARRIED, {_d(f.carried_over)}, (_t3("carried_over"),)),
            "carry_forward": ("N1", _FORWARD, {_d(f.carry_forward)}, (_t3("carry_forward"),)),
            "handled": (
                "N1",
                "本年度办理的申请合计（表三一、二两项之和）",
                {_d(f.handled)},
                (_t3("new"), _t3("carried_over")),
            ),
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
            "review": (
                "N3",
                "表四 行政复议 总计",
                {_d(f.review["total"])},
                (Cell("table4", "review", official.TOTAL_KEY),),
            ),
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
            "licensing": (
                "N4",
                "表二 行政许可 本年处理决定数量",
                {_d(data.table2.licensing)},
                official.row_cells("table2", "licensing"),
            ),
            "penalty": (
                "N4",
                "表二 行政处罚 本年处理决定数量",
                {_d(data.table2.penalty)},
                official.row_cells("table2", "penalty"),
            ),
            "coercion": (
                "N4",
                "表二 行政强制 本年处理决定数量",
                {_d(data.table2.coercion)},
                official.row_cells("table2", "coercion"),
            ),
            "notices": ("F2", "发出收费通知件数", {_d(data.fees.notices)}, ()),
        }
        if concept in simple:
            rule, label, given, cells = simple[concept]
            units = frozenset({*COUNT_UNITS}) if concept != "notices" else frozenset({"件", "份", "个", "次"})
            return Figure(concept, rule, label, frozenset(given), units, cells)
        if concept in dict(RESULT_GROUPS):
            cells = (_t3(concept),) if concept in ("disclosed", "partial") else _group_cells(concept)
            return Figure(
                concept,
                "N2",
                f"表三 {_GROUP_LABELS[concept]}",
                frozenset({_d(f.groups[concept])}),
                COUNT_UNITS,
                cells,
            )
        if concept in APPLICANT_CONCEPTS:
            key = "legal_persons" if concept == "legal_persons" else concept
            label = (
                official.TABLE3_LEGAL_PERSONS
                if key == "legal_persons"
                else dict(official.TABLE3_COLUMNS)[key]
            )
            now = _d(t.new.legal_persons if key == "legal_persons" else column_value(t.new, key))
            carried = _d(
                t.carried_over.legal_persons if key == "legal_persons" else column_value(t.carried_over, key)
            )
            cells = (_t3("new", key), _t3("carried_over", key)) if key != "legal_persons" else ()
            return Figure(
                concept, "N2", f"表三 {label}申请数", frozenset({now, now + carried}), COUNT_UNITS, cells
            )
        if concept in ("normative", "rules"):
            counts = getattr(data.table2, concept)
            name = "行政规范性文件" if concept == "normative" else "规章"
            labels = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}
            fields = (doc_field,) if doc_field else ("issued", "repealed", "in_force")
            values = frozenset(_d(getattr(counts, x)) for x in fields)
            label = f"表二 {name} {labels[doc_field]}" if doc_field else f"表二 {name}"
            return Figure(
                f"{concept}.{doc_field or '*'}",
                "N4",
                label,
                values,
                DOC_UNITS,
                official.row_cells("table2", concept),
            )
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
            amounts = {
                "billed": {fees.billed},
                "collected": {fees.collected},
                "fee_amount": {fees.billed, fees.collected},
            }[concept]
            label = {
                "billed": "应收信息处理费",
                "collected": "实收信息处理费",
                "fee_amount": "信息处理费（应收或实收）",
            }[concept]
            return Figure(concept, "F3", label, frozenset(amounts), MONEY_UNITS, (), money="元")
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
