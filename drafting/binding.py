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
from dataclasses import dataclass
from functools import cached_property
from typing import Final

from . import official
from .catalogue import (
    APPLICANT_CONCEPTS,
    TABLE4_RESULTS,
    TABLE4_TOTALS,
    FactFigure,
    Figure,
    TableFigures,
    fact_figures,
    same_value,
    stated_values,
)
from .data.model import ReportData
from .figures import RESULT_GROUPS
from .numbers import Mention, mentions

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
NAMING_NOTHING: Final = (
    "较上年",
    "比上年",
    "同比",
    "上年同期",
    "较去年",
    "比去年",
    "占",
    "率",
    "平均",
    "人次",
)
DIRECTION_WORDS: Final = (
    "增加",
    "增长",
    "上升",
    "提高",
    "增多",
    "减少",
    "下降",
    "降低",
    "减",
    "多",
    "少",
    "持平",
)
COMPARISON: Final = re.compile(
    r"较上年|比上年|与上年相比|同比|较去年|比去年|与去年相比|上年同期|较(?:19|20)\d{2}年|比(?:19|20)\d{2}年"
)

_WORD_PATTERN: Final = re.compile("|".join(re.escape(w) for w in sorted(TABLE_WORDS, key=len, reverse=True)))
_DOC_VERBS: Final = (("废止", "repealed"), ("现行有效", "in_force"), ("有效", "in_force"))
_DOC_ISSUED: Final = ("制发", "印发", "出台", "发布", "制定")
LOOK_BACK: Final = 30  # how many mentions back a list, a subject or a part is looked for (linear time)
_TOTAL_WORDS: Final = ("共计", "合计", "总计", "共")
_APPLICATIONS_TOTAL: Final = re.compile(r"申请(?:数量|件数)?(?:共计|合计|总计|总数|总量|共)(?:为|达)?\s*$")
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
_REVIEW_WORDS: Final = ("复议",)
_LITIGATION_WORDS: Final = ("诉讼", "起诉", "法院")
FEE_CONCEPTS: Final = frozenset({"notices", "billed", "collected", "fee_amount"})
TABLE2_CONCEPTS: Final = frozenset({"normative", "rules", "licensing", "penalty", "coercion", "admin_fees"})


@dataclass(frozen=True)
class Binding:
    figure: Figure
    word: str  # the words of the text that named it
    certain: bool  # one figure named by specific words: a re-ask may state its value

    def matches(self, m: Mention) -> bool:
        """Whether the mention states the figure (money compared in 元, decimals as written)."""
        return any(
            same_value(stated, v) for v in self.figure.values for stated in stated_values(m, self.figure)
        )

    def unit_slip(self, m: Mention) -> bool:
        """An amount whose number is right but whose unit is not (24252.311082元 for 万元)."""
        return (
            bool(self.figure.money)
            and m.value is not None
            and m.unit != self.figure.money
            and (any(same_value(m.value, v) for v in self.figure.values))
        )


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


SENTENCE_LIMIT: Final = 300  # no sentence of a report is longer; text without punctuation has no end


def sentence_before(text: str, m: Mention, limit: int = SENTENCE_LIMIT) -> str:
    """The text of m's sentence up to m (line breaks, 。；！？ end a sentence), at most ``limit``
    characters: looked back from every mention of a text pasted without its punctuation, an
    unbounded sentence would make reading it quadratic."""
    i = m.start
    lo = max(0, m.start - limit)
    while i > lo and text[i - 1] not in "。；;！!？?\n":
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
        if key in TABLE4_TOTALS:
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
        unread: Iterable[str] = (),
    ) -> None:
        self.data = data
        self.tables = TableFigures(data)
        self.use_facts = facts
        self.table2 = table2
        self.table4 = table4
        self.fees = fees
        self.skip = set(skip_facts)
        # Concepts whose figure the tables do not give with confidence (rows not read): not bound.
        self.unread = set(unread)

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
            # ``政府信息公开申请共计70件``: a total of the applications, named by no other word, may
            # count 一 or 一+二 (the fillers 共计/合计 are not part of the label).
            total = _APPLICATIONS_TOTAL.search(phrase_before(ctx.text, m.start))
            return (total.group(), "accepted") if total is not None else None
        word = found.group()
        concept = TABLE_WORDS[word]
        if (
            concept == "carry_forward"
            and word == "结转"
            and re.search(r"上一?年度?$", label[: found.start()])
        ):
            return "上年结转", "carried_over"
        return word, concept

    def _allowed_concept(self, concept: str, m: Mention, ctx: Context, word: str = "") -> bool:
        if concept in self.unread:
            return False
        if concept in TABLE2_CONCEPTS and not self.table2:
            return False
        if (concept in TABLE4_RESULTS or concept in TABLE4_TOTALS) and not self.table4:
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
            blocks = {"review"} if "复议" in cases else set()
            blocks |= {"litigation"} if any(w in cases for w in _LITIGATION_WORDS) else set()
            if len(blocks) > 1:
                return None
            if blocks:
                concept = blocks.pop()
        if not self._allowed_concept(concept, m, ctx, word):
            return None
        doc_field = None
        if concept in ("normative", "rules"):
            doc_field = _doc_field(m.label) or _doc_field(phrase_before(ctx.text, m.start))
        block = _block_of(ctx.text, m, ctx, index) if concept in TABLE4_RESULTS else None
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
        # The list it totals: the mentions of its sentence before it (a bounded look back).
        earlier = [
            ctx.bound.get(i)
            for i in range(max(0, index - LOOK_BACK), index)
            if ctx.mentions[i].sentence == m.sentence
        ]
        keys = [b.figure.key for b in earlier if b is not None]
        if len(keys) >= 2 and all(k in dict(RESULT_GROUPS) or k == "disclosed+partial" for k in keys):
            figure = self.tables.figure("concluded")
        elif len(keys) >= 2 and all(k in APPLICANT_CONCEPTS for k in keys):
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
            return Binding(
                Figure(chosen.figure.key, "N5", chosen.figure.label, values, chosen.figure.units), text, False
            )
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
