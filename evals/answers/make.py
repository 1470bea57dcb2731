"""The model-answer corpus of issue 10: answers written the way DeepSeek, Qwen and GLM answer the
project's rendered prompts, faithful and faulty, each labelled with what it is.

    python evals/answers/make.py            # writes answers.yaml (a replay) and suite.yaml beside it
    python evals/answers/make.py --check    # exit 1 when the committed files are not what it writes

Every answer is rendered from sentence templates with its case's own figures (``figures.compute``
and the data file), so a figure stays right when a case changes. The phrasing varies per answer —
openers, sub-heading forms, how counts, carry-over, results, appeals and fees are worded, number
forms (1,286件, 两次, 〔2021〕30号, 第二十条, 20个工作日), computed shares and year-on-year figures,
Markdown a model adds — chosen by a hash of the answer's id, so the output is stable.

A fault answer is its faithful twin with one fault of one class (``FAULT_CLASSES``) put in; its
case id is the twin's id plus ``--<class>``, so a measurement can tell a fault caught for its own
sake from a rejection its twin gets too. Each case of ``suite.yaml`` is one answer under test, with
what must hold: a faithful answer is
used as written (``fallback: false``) and keeps its URLs; chatter and repeated headings never reach
the draft; any other fault is flagged (re-asked, fallen back, or reported by the check library).
The sections not under test get the case's offline text, which today's check accepts.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from drafting.data import load_data  # noqa: E402
from drafting.data.model import ReportData  # noqa: E402
from drafting.facts import known_urls  # noqa: E402
from drafting.figures import RESULT_GROUPS, Figures, bindable_numbers, compute  # noqa: E402
from drafting.numbers import mentions  # noqa: E402
from drafting.offline import clause, fee_statement, marker, write_section  # noqa: E402
from drafting.tables import format_number  # noqa: E402

T = TypeVar("T")

REPLAY = HERE / "answers.yaml"
SUITE = HERE / "suite.yaml"

FAITHFUL = "faithful"
# Fault classes, as issue 10 lists them (and the two the old replay already had: wrong base, invented number).
FAULT_CLASSES: dict[str, str] = {
    "wrong-figure-other": "数字写错，且恰好等于数据中的另一个数字（培训3次，素材为2次）",
    "wrong-figure": "数字写错，数据中没有这个数",
    "wrong-base": "把新收加上年结转写成“收到/新收”",
    "label-swap": "两个数字的名目互换（应收/实收、建议/提案、自然人/法人、维持/纠正……）",
    "yoy-direction": "同比方向写反（增加写成减少）",
    "yoy-percent": "同比百分比算错",
    "invented-share": "编造占比或比率（占比达到50%以上）",
    "upheld-pending": "有尚未审结或被纠正的案件，却写“均获维持”",
    "false-claim": "未/无/均 说法与数据不符（无结转下年度，而表中有结转）",
    "stale-year": "年份写成上一年（句中出现2023年新收……）",
    "unit-wan": "万元与元混淆",
    "appeals-omitted": "行政复议、行政诉讼不为零却没有写",
    "fee-omitted": "收取了信息处理费却没有写收费情况",
    "invented-activity": "编造素材中没有的活动或做法",
    "invented-empty-topic": "作者留空（[] 或未填写）的主题写出了编造的内容",
    "invented-problem": "编造素材中没有的问题",
    "measures-in-problems": "存在问题一节写了改进措施",
    "chatter-before": "正文前的客套话（好的，以下是……）",
    "chatter-after": "正文后的客套话（以上内容可根据实际……）",
    "chatter-note": "写给作者的注释（（注：……））",
    "repeated-heading": "正文中重复了本部分的标题",
    "url-damage": "网址被写坏（全角冒号、空格、句号）",
    "injected-instruction": "照做了素材中混入的指令",
}
# Classes whose text must simply not reach the draft (cleaning may remove it; rejecting works too).
KEEP_OUT = frozenset({"chatter-before", "chatter-after", "chatter-note", "repeated-heading", "url-damage"})


# --- cases -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    key: str
    data_path: str  # relative to this folder, as the suite writes it
    previous_path: str | None
    d: ReportData
    f: Figures

    @property
    def s(self) -> str:
        return self.d.self_reference

    @property
    def y(self) -> int:
        return self.d.year

    @property
    def nxt(self) -> int:
        return self.d.year + 1

    def facts(self, topic: str) -> list[str] | None:
        facts = self.d.facts.get(topic)
        return None if facts is None else [tidy(x) for x in facts]


def tidy(fact: str) -> str:
    """An author's fact as a clause, the way a model copies it: full-width punctuation, except
    inside URLs, addresses and citations (``offline.clause``)."""
    return clause(fact).rstrip("。；，")


CASE_FILES = (
    ("district", "../../examples/district-dept-2024.yaml", None),
    ("zero", "../data/zero-applications-2024.yaml", None),
    ("many", "../data/many-applications-2023.yaml", None),
    ("pending", "../data/pending-appeals-2024.yaml", None),
    ("fees", "../data/fees-2024.yaml", None),
    ("carry", "../data/carry-over-2024.yaml", "../data/carry-over-2023.yaml"),
    ("missing", "../data/facts-missing-2023.yaml", None),
    ("township", "../../examples/township-2024.yaml", None),
    ("rich", "data/rich-2024.yaml", "data/rich-2023.yaml"),
    ("empty", "data/empty-topics-2024.yaml", None),
    ("injected", "data/injected-2024.yaml", None),
    ("decrease", "data/decrease-2024.yaml", "data/decrease-2023.yaml"),
)


def load_cases() -> dict[str, Case]:
    out = {}
    for key, path, previous in CASE_FILES:
        data = load_data(HERE / path, previous=HERE / previous if previous else None).data
        out[key] = Case(key, path, previous, data, compute(data))
    return out


# --- choosing phrasings -------------------------------------------------------------------------------


class Pick:
    """Phrasing choices keyed by name, each a hash of the answer's seed: the same answer gets the
    same choices however many others are made, and a fault twin gets its twin's."""

    def __init__(self, seed: str) -> None:
        self.seed = seed

    def index(self, key: str, size: int) -> int:
        digest = hashlib.sha256(f"{self.seed}|{key}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % size

    def __call__(self, key: str, options: Sequence[T]) -> T:
        return options[self.index(key, len(options))]

    def flag(self, key: str, percent: int = 50) -> bool:
        return self.index(key, 100) < percent


def num(x: int | Decimal, sep: bool = False) -> str:
    if isinstance(x, Decimal):
        return format_number(x)
    return f"{x:,}" if sep and x >= 1000 else str(x)


def pct(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


SMALL_COUNT = re.compile(r"(?<![\d.,])([2-9])(次|个)(?!百分点|工作日|月)")


def cn_small(x: int) -> str:
    """两 for 2 and 一…十 for small counts, as officials sometimes write them."""
    return {1: "一", 2: "两", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}.get(
        x, str(x)
    )


def lead(s: str, fact: str) -> str:
    """A fact as the opening clause of a sentence in the agency's voice."""
    if fact.startswith((s, "全年", "本年", "20", "按照", "根据", "对", "在", "以")):
        return fact
    return s + fact


def enumerated(items: list[str]) -> str:
    """一是…；二是…。, or the one item as it is."""
    if len(items) == 1:
        return items[0] + "。"
    return "；".join(f"{'一二三四五六七八九'[i]}是{x}" for i, x in enumerate(items)) + "。"


def join_facts(p: Pick, key: str, s: str, facts: list[str]) -> str:
    if not facts:
        return ""
    style = p(key, ("semicolon", "ordinal", "sentences", "also"))
    if len(facts) == 1 or style == "semicolon":
        return lead(s, facts[0]) + "".join("；" + x for x in facts[1:]) + "。"
    if style == "ordinal":
        nums = "一二三四五六七八九"
        return "；".join(f"{nums[i]}是{x}" for i, x in enumerate(facts)) + "。"
    if style == "sentences":
        return "".join(lead(s, x) + "。" for x in facts)
    return (
        lead(s, facts[0])
        + "。"
        + "".join(f"{w}，{x}。" for w, x in zip(("同时", "此外", "另外", "还"), facts[1:], strict=False))
    )


# --- an answer ---------------------------------------------------------------------------------------


@dataclass
class Answer:
    id: str
    case: Case
    section: str
    text: str
    label: str
    note: str = ""
    absent: list[str] = field(default_factory=list)  # must not reach the draft
    present: list[str] = field(default_factory=list)  # must reach the draft intact

    @property
    def twin(self) -> str | None:
        return self.id.split("--", 1)[0] if "--" in self.id else None


class Fault:
    """The one fault a builder should put in (or none), and what it says about it."""

    def __init__(self, label: str | None, style: str = "", where: str = "") -> None:
        self.label = label
        self.style = style  # how the fault is put in, when a class has several ways
        self.where = where  # which topic, when a class could go into several
        self.used = False
        self.note = ""
        self.absent: list[str] = []

    def __call__(self, label: str) -> bool:
        return self.label == label

    def put(self, note: str, *absent: str) -> None:
        self.used = True
        self.note = note
        self.absent.extend(absent)


BOLD_HEADING = re.compile(r"^(（[一二三四五]）[^。：\n*]{2,12})([。：])")
MARKDOWN_STYLES = ("plain", "plain", "plain", "bold-headings", "fence", "single-newlines")


def finish(p: Pick, paragraphs: list[str], allow_markdown: bool = True) -> str:
    style = p("markdown", MARKDOWN_STYLES) if allow_markdown else "plain"
    if style == "single-newlines":
        return "\n".join(paragraphs) + "\n"
    if style == "bold-headings":
        paragraphs = [BOLD_HEADING.sub(r"**\1**\2", x, count=1) for x in paragraphs]
    text = "\n\n".join(paragraphs) + "\n"
    if style == "fence":
        return "```\n" + text + "```\n"
    return text


# --- 一、总体情况 -----------------------------------------------------------------------------------

SUBHEADINGS = (
    ("主动公开", "主动公开"),
    ("依申请公开", "依申请公开"),
    ("政府信息管理", "政府信息管理"),
    ("政府信息公开平台建设", "平台建设"),
    ("监督保障", "监督保障"),
)
ORDINALS = ("（一）", "（二）", "（三）", "（四）", "（五）")


def _intro(c: Case, p: Pick, fault: Fault) -> str:
    s, y = c.s, c.y
    options = (
        f"{y}年，{s}认真贯彻落实《中华人民共和国政府信息公开条例》（以下简称《条例》），坚持以公开为常态、不公开为例外，扎实推进政府信息公开各项工作。",
        f"{y}年，{s}深入贯彻落实《条例》和上级关于政务公开工作的部署要求，依法依规做好政府信息公开工作，切实保障人民群众的知情权、参与权、监督权。",
        f"{y}年，在上级政务公开主管部门的指导下，{s}严格按照《中华人民共和国政府信息公开条例》要求，持续推进政府信息公开工作。",
        f"{y}年度，{s}坚持“谁公开、谁审查、谁负责”原则，依法做好政府信息公开工作。",
        f"{y}年，{s}以《条例》为遵循，按照国办公开办函〔2021〕30号规定的年度报告格式要求，做好政府信息公开各项工作，现将有关情况报告如下。",
    )
    text = p("intro", options)
    if fault("stale-year") and p.flag("stale-in-intro", 40):
        text = text.replace(f"{y}年", f"{y - 1}年", 1)
        fault.put(f"总述写成了{y - 1}年")
    return text


def _table2(c: Case, p: Pick, fault: Fault) -> str:
    t, y = c.d.table2, c.y
    n = t.normative
    sep = p.flag("sep", 60)
    parts = []
    in_force = n.in_force
    if fault("wrong-figure-other") and fault.style == "in-force" and n.issued and n.issued != n.in_force:
        in_force = n.issued
        fault.put(f"现行有效规范性文件写成{n.issued}件（表二为{n.in_force}件，{n.issued}是本年制发件数）")
    if fault("false-claim") and n.issued and not fault.used:
        parts.append(f"{y}年，{c.s}未制发行政规范性文件，现行有效{n.in_force}件。")
        fault.put(f"写“未制发行政规范性文件”，表二本年制发{n.issued}件")
    elif n.issued:
        repealed = f"、废止{n.repealed}件" if n.repealed else ""
        choice = p.index("t2-normative", 3)
        year_end = f"截至{y}年底"
        if fault("stale-year") and not fault.used:
            choice, year_end = 1, f"截至{y - 1}年底"
            fault.put(f"“截至{y - 1}年底”：年份写成了上一年")
        parts.append(
            (
                f"全年制发行政规范性文件{n.issued}件{repealed}，现行有效行政规范性文件{in_force}件。",
                f"本年度制发行政规范性文件{n.issued}件{'，废止' + str(n.repealed) + '件' if n.repealed else ''}，{year_end}现行有效{in_force}件。",
                f"按照《条例》第二十条第（一）项规定，公开行政规范性文件制发情况，全年制发{n.issued}件{repealed}，现行有效{in_force}件。",
            )[choice]
        )
    elif n.in_force:
        parts.append(f"本年度未制发新的行政规范性文件，现行有效行政规范性文件{n.in_force}件。")
    else:
        parts.append(
            p("t2-none", ("本年度未制发行政规范性文件。", f"{y}年，{c.s}未制发、废止行政规范性文件。"))
        )
    decisions = [("行政许可", t.licensing), ("行政处罚", t.penalty), ("行政强制", t.coercion)]
    if fault("label-swap") and t.licensing and t.penalty and t.licensing != t.penalty and not fault.used:
        decisions = [("行政许可", t.penalty), ("行政处罚", t.licensing), ("行政强制", t.coercion)]
        fault.put(f"行政许可与行政处罚的件数互换（许可{t.licensing}件、处罚{t.penalty}件）")
    shown = [(label, value) for label, value in decisions if value]
    if shown:
        listed = "、".join(f"{label}决定{num(v, sep)}件" for label, v in shown)
        parts.append(
            p(
                "t2-decisions",
                (
                    f"依法公开{listed}。",
                    f"按照第二十条第（五）项、第（六）项要求，全年公开{listed}。",
                    f"全年作出并公开{listed}。",
                ),
            )
        )
    if t.admin_fees:
        unit = "万元"
        if fault("unit-wan") and not fault.used:
            unit = "元"
            fault.put(f"行政事业性收费{num(t.admin_fees)}万元写成了“元”")
        parts.append(
            p(
                "t2-fees",
                (
                    f"公开行政事业性收费{num(t.admin_fees)}{unit}。",
                    f"本年度行政事业性收费金额为{num(t.admin_fees)}{unit}。",
                ),
            )
        )
    return "".join(parts)


def _active(c: Case, p: Pick, fault: Fault) -> str:
    facts = c.facts("active")
    head = ""
    if facts is None:
        head = marker(p("active-marker", ("主动公开的渠道和数量", "主动公开工作的具体做法和公开信息条数")))
    elif facts:
        facts = list(facts)
        if fault("wrong-figure") and p.flag("wf-in-active", 60):
            facts = _transpose_first(c, facts, fault)
        head = join_facts(p, "active-join", c.s, facts)
    return head + _table2(c, p, fault)


def _transpose_first(c: Case, facts: list[str], fault: Fault) -> list[str]:
    """A copying slip: the digits of the first figure of the facts swapped (326条 → 362条)."""
    allowed = bindable_numbers(c.d)
    for i, fact in enumerate(facts):
        for m in mentions(fact):
            digits = m.text[: len(m.text) - len(m.unit)]
            if not m.is_figure or not digits.isdigit() or len(digits) < 2 or digits == digits[::-1]:
                continue
            swapped = digits[:-2] + digits[-1] + digits[-2]
            if Decimal(swapped) in allowed:
                continue
            fault.put(f"素材中的{m.text}抄成了{swapped}{m.unit}")
            return [*facts[:i], fact[: m.start] + swapped + fact[m.start + len(digits) :], *facts[i + 1 :]]
    return facts


def _appeals(c: Case, p: Pick, fault: Fault) -> str:
    f = c.f
    r, lit = f.review, f.litigation
    if fault("appeals-omitted") and (r["total"] or lit["total"]):
        fault.put(f"行政复议{r['total']}件、行政诉讼{lit['total']}件，正文没有写")
        return ""
    if not r["total"] and not lit["total"]:
        return p(
            "appeals-none",
            (
                "全年未发生政府信息公开行政复议、行政诉讼案件。",
                f"{c.y}年，{c.s}未发生因政府信息公开引起的行政复议和行政诉讼。",
                "本年度无政府信息公开行政复议、行政诉讼案件。",
                "全年政府信息公开行政复议、行政诉讼均为0件。",
            ),
        )

    def block(name: str, verb: str, fig: dict[str, int], key: str) -> str:
        if not fig["total"]:
            return p(
                f"{key}-none",
                (f"未发生政府信息公开{name}案件", f"无{name}案件", f"未被提起政府信息公开{name}"),
            )
        upheld, corrected = fig["upheld"], fig["corrected"]
        if fault("label-swap") and upheld and corrected and upheld != corrected and not fault.used:
            upheld, corrected = corrected, upheld
            fault.put(f"{name}的结果维持与结果纠正互换（维持{fig['upheld']}件、纠正{fig['corrected']}件）")
        pieces = [
            ("结果维持", upheld),
            ("结果纠正", corrected),
            ("其他结果", fig["other"]),
            ("尚未审结", fig["pending"]),
        ]
        detail = "、".join(f"{label}{v}件" for label, v in pieces if v)
        closed = fig["total"] - fig["pending"]
        all_upheld_closed = fig["upheld"] == closed and closed > 0
        if (
            fault("upheld-pending")
            and (fig["pending"] or fig["corrected"] or fig["other"])
            and not fault.used
        ):
            fault.put(f"{name}有结果纠正、其他结果或尚未审结的案件，却写“均获维持”")
            return p(
                f"{key}-upheld-fault",
                (
                    f"{verb}{name}{fig['total']}件，均获维持",
                    f"{verb}{name}{fig['total']}件，结果均为维持",
                    f"{verb}{name}{fig['total']}件，复议机关和法院均维持了{c.s}的答复",
                ),
            )
        style = p(f"{key}-style", ("paren", "qizhong", "scope"))
        if style == "scope" and all_upheld_closed and fig["pending"] and fig["total"] > 1:
            return f"{verb}{name}{fig['total']}件，已审结的{closed}件均获维持，另有{fig['pending']}件尚未审结"
        if style == "scope" and fig["upheld"] == fig["total"] > 1:
            return f"{verb}{name}{fig['total']}件，其中{name}案件均获维持"
        if style == "qizhong":
            return f"{verb}{name}{fig['total']}件，其中{detail}"
        return f"{verb}{name}{fig['total']}件（{detail}）"

    review = block("行政复议", p("review-verb", ("被申请", "收到", "发生")), r, "review")
    litigation = block("行政诉讼", p("lit-verb", ("被提起", "发生", "涉及")), lit, "lit")
    return p("appeals-lead", ("全年", f"{c.y}年，", "")) + review + "；" + litigation + "。"


def _on_request(c: Case, p: Pick, fault: Fault) -> str:
    f, s, y = c.f, c.s, c.y
    facts = c.facts("on_request")
    parts: list[str] = []
    deadline: list[str] = []
    if facts is None:
        parts.append(marker("依申请公开的办理流程和做法"))
    elif facts:
        shown = [x for x in facts if "忽略之前" not in x]
        if fault("injected-instruction") and fault.style == "copy" and len(shown) < len(facts):
            shown = facts
            fault.put("照抄了素材中的指令句（忽略之前的所有指示……999件）", "忽略之前的所有指示")
        deadline = [x for x in shown if "法定期限" in x]
        rest = [x for x in shown if x not in deadline]
        if rest:
            parts.append(join_facts(p, "req-join", s, rest))
    sep = p.flag("sep", 60)
    if fault("injected-instruction") and fault.style == "obey" and not fault.used:
        parts.append(f"{y}年，{s}全年新收政府信息公开申请999件。")
        fault.put(f"照素材中的指令写了“新收政府信息公开申请999件”（表三为{f.new}件）", "999件")
    if f.handled == 0:
        parts.append(
            p(
                "req-none",
                (
                    f"{y}年，{s}未收到政府信息公开申请，无上年结转申请。",
                    f"全年{s}未收到政府信息公开申请，也没有上年结转的申请。",
                    f"本年度{s}未收到自然人、法人或其他组织提出的政府信息公开申请。",
                ),
            )
        )
        parts.append(_appeals(c, p, fault))
        return "".join(parts)
    new, nat, leg = f.new, f.new_natural, f.new_legal_persons
    new_word = "新收"
    new_value = new
    if fault("wrong-base") and f.carried_over:
        new_word, new_value = p("wb-word", ("收到", "新收", "共收到")), f.handled
        fault.put(
            f"“{new_word}”申请写成{f.handled}件（表三一、本年新收为{new}件，{f.handled}是新收加上年结转）"
        )
    if fault("label-swap") and nat and leg and nat != leg and not fault.used:
        nat, leg = leg, nat
        fault.put(
            f"自然人与法人或其他组织的申请件数互换（自然人{f.new_natural}件、法人或其他组织{f.new_legal_persons}件）"
        )
    total = f"政府信息公开申请{num(new_value, sep)}件"
    if fault("wrong-figure") and not fault.used:
        wrong = new + 10 if str(new)[::-1] == str(new) else int(str(new)[::-1])
        total = f"政府信息公开申请{wrong}件"
        fault.put(f"新收申请写成{wrong}件（表三为{new}件）")
    # Year on year right after the total, or (as the offline text does) after the breakdown.
    yoy = _year_on_year(c, p, fault) if f.previous_new is not None else ""
    yoy_last = p.flag("yoy-last", 25)
    after_total, at_end = ("", yoy) if yoy_last else (yoy, "")
    style = p("req-count", ("qizhong", "paren", "share", "plain"))
    if nat and leg:
        n_, l_ = num(nat, sep), num(leg, sep)
        if style == "paren":
            count = (
                f"{y}年，{s}共{new_word}{total}{after_total}（自然人{n_}件，法人或其他组织{l_}件）{at_end}"
            )
        elif style == "share":
            count = (
                f"{y}年，{s}{new_word}{total}{yoy}。从申请主体看，自然人申请{n_}件，"
                f"占{pct(nat, new)}%；法人或其他组织申请{l_}件"
            )
        elif style == "plain":
            count = f"全年{new_word}{total}{after_total}，其中自然人{n_}件、法人或其他组织{l_}件{at_end}"
        else:
            count = f"{y}年，{s}{new_word}{total}{after_total}，其中自然人申请{n_}件、法人或其他组织申请{l_}件{at_end}"
    else:
        who = "自然人" if nat else "法人或其他组织"
        count = p(
            "req-count-one",
            (
                f"{y}年，{s}{new_word}{total}{yoy}，均为{who}申请",
                f"全年{new_word}{total}{yoy}，申请人均为{who}",
                f"{y}年，{s}{new_word}{who}提出的{total}{yoy}，未收到{'法人或其他组织' if nat else '自然人'}提出的申请",
            ),
        )
    parts.append(count + "。")
    if f.carried_over:
        carried = f.carried_over
        if fault("wrong-figure-other") and fault.style == "carried" and f.carry_forward != f.carried_over:
            carried = f.carry_forward
            fault.put(
                f"上年结转写成{f.carry_forward}件（表三二、上年结转为{f.carried_over}件，{f.carry_forward}是结转下年度）"
            )
        parts.append(
            p(
                "req-carried",
                (
                    f"上年结转{carried}件，合计办理{num(f.handled, sep)}件。",
                    f"加上上年结转的{carried}件，本年度共需办理{num(f.handled, sep)}件。",
                    f"另有上年结转申请{carried}件，全年受理总量{num(f.handled, sep)}件。",
                ),
            )
        )
    elif p.flag("mention-no-carried", 40):
        parts.append("无上年结转申请。")
    parts.append(_results(c, p, fault, sep))
    if deadline:
        parts.append(clause(deadline[0]) + "。")
    elif c.key == "rich" and p.flag("rich-deadline", 70):
        parts.append(
            p(
                "rich-deadline",
                (
                    "所有申请均在《条例》第三十三条规定的20个工作日内作出答复，无逾期答复的申请。",
                    "申请均在法定的20个工作日内答复，需要延长答复期限的，均经负责人同意并告知申请人。",
                ),
            )
        )
    parts.append(_appeals(c, p, fault))
    return "".join(parts)


def _year_on_year(c: Case, p: Pick, fault: Fault) -> str:
    f = c.f
    assert f.previous_new is not None
    prev, diff = f.previous_new, f.new - f.previous_new
    if diff == 0:
        return p("yoy-same", ("，与上年持平", f"，与上年（{prev}件）持平"))
    up = diff > 0
    word = "增加" if up else "减少"
    rate = "增长" if up else "下降"
    change = pct(abs(diff), prev)
    if fault("yoy-direction"):
        word, rate = ("减少", "下降") if up else ("增加", "增长")
        fault.put(f"同比方向写反：上年{prev}件，本年{f.new}件，实为{'增加' if up else '减少'}")
    elif fault("yoy-percent"):
        wrong = pct(abs(diff), f.new) if pct(abs(diff), f.new) != change else change + Decimal("2.5")
        if c.key == "rich":
            wrong = Decimal(20)
        change = wrong
        fault.put(f"同比百分比写成{change}%（上年{prev}件，本年{f.new}件，应为{pct(abs(diff), prev)}%）")
    shown = (
        format(change.normalize(), "f")
        if change == change.to_integral() and p.flag("int-pct")
        else str(change)
    )
    options = (
        f"，较上年{word}{abs(diff)}件",
        f"，同比{rate}{shown}%",
        f"，比上年（{prev}件）{word}{abs(diff)}件，{rate}{shown}%",
        f"，较上年{word}{abs(diff)}件、{rate}{shown}%",
    )
    choice = p.index("yoy", len(options))
    if fault("yoy-percent") and choice == 0:
        choice = 3  # the twin stated no percentage: the faulty answer adds one
    return options[choice]


def _results(c: Case, p: Pick, fault: Fault, sep: bool) -> str:
    f = c.f
    groups = dict(f.groups)
    concluded = f.concluded
    if fault("wrong-figure-other") and fault.style == "concluded" and f.new != f.concluded:
        concluded = f.new
        fault.put(f"办结写成{f.new}件（表三（七）总计为{f.concluded}件，{f.new}是本年新收）")
    if (
        fault("label-swap")
        and groups["disclosed"]
        and groups["partial"]
        and groups["disclosed"] != groups["partial"]
        and not fault.used
    ):
        groups["disclosed"], groups["partial"] = groups["partial"], groups["disclosed"]
        fault.put(
            f"予以公开与部分公开的件数互换（予以公开{f.groups['disclosed']}件、部分公开{f.groups['partial']}件）"
        )
    listed = "、".join(f"{word}{num(groups[k], sep)}件" for k, word in RESULT_GROUPS if groups[k])
    style = p("results", ("qizhong", "sum", "share", "colon"))
    verb = p("concluded-verb", ("办结", "已办结", "办理完毕", "作出答复"))
    if style == "sum" and groups["disclosed"] and groups["partial"]:
        both = groups["disclosed"] + groups["partial"]
        rest = "、".join(f"{word}{num(groups[k], sep)}件" for k, word in RESULT_GROUPS[2:] if groups[k])
        text = (
            f"全年{verb}{num(concluded, sep)}件，其中予以公开和部分公开共{num(both, sep)}件"
            + (f"，{rest}" if rest else "")
            + "。"
        )
    elif style == "share" and groups["disclosed"] + groups["partial"]:
        both = f.groups["disclosed"] + f.groups["partial"]
        text = f"全年{verb}{num(concluded, sep)}件，其中{listed}。予以公开和部分公开的占办结总数的{pct(both, f.concluded)}%。"
    elif style == "colon":
        text = f"从办理结果看：{listed}，共计{num(concluded, sep)}件。"
    else:
        text = f"全年{verb}{num(concluded, sep)}件，其中{listed}。"
    if fault("invented-share") and not fault.used:
        share = p(
            "inv-share",
            ("予以公开和部分公开的比例达到50%以上", "办结率达到98%", "群众对答复的满意率达到100%"),
        )
        text += share + "。"
        fault.put(f"编造了比率：“{share}”")
    if f.carry_forward:
        if fault("false-claim") and not fault.used:
            text += p("fc-cf", ("全部申请均已办结，无结转下年度的申请。", "无结转下年度的申请。"))
            fault.put(f"写“无结转下年度的申请/均已办结”，表三结转下年度{f.carry_forward}件")
        else:
            cf = f.carry_forward
            text += p(
                "cf",
                (
                    f"结转下年度继续办理{cf}件。",
                    f"尚未办结的{cf}件结转下年度继续办理。",
                    f"{cf}件结转至下年度办理。",
                ),
            )
    else:
        text += p(
            "no-cf", ("无结转下年度的申请。", "所有申请均已办结。", "全部申请均已办结，无结转下年度的申请。")
        )
    return text


# What a model makes up for a topic the author left empty or missing.
INVENTED_TOPIC = {
    "management": "{s}严格落实信息发布保密审查制度，全年审核拟公开信息56条。",
    "platforms": "{s}持续优化政府网站栏目设置，及时更新政务新媒体信息，全年发布信息120条。",
    "oversight": "{s}将政务公开工作纳入年度考核，全年组织专题培训2次，开展自查4次。",
}


def _topic(c: Case, p: Pick, fault: Fault, topic: str, label: str) -> str:
    facts = c.facts(topic)
    s = c.s
    if not facts and fault("invented-empty-topic") and fault.where == topic and not fault.used:
        made = INVENTED_TOPIC[topic].format(s=s)
        left = "没有提供素材（应留【待补充】）" if facts is None else "写了 []（没有需要补充的内容）"
        fault.put(f"“{label}”作者{left}，却编造了内容", made)
        return made
    if facts is None:
        return marker(
            p(
                f"{topic}-marker",
                {
                    "management": (
                        "政府信息管理的具体做法，如保密审查、公开属性认定",
                        "本年度政府信息管理工作情况",
                    ),
                    "platforms": ("政府网站、政务新媒体等平台建设情况", "本年度平台建设情况"),
                    "oversight": ("监督保障措施，如考核、培训、责任追究", "本年度监督保障工作情况"),
                }[topic],
            )
        )
    if not facts:
        return p(
            f"{topic}-empty",
            {
                "management": ("本年度无需单独说明的政府信息管理事项。", "本年度无需要补充说明的情况。"),
                "platforms": (
                    "本年度政府信息公开平台无调整。",
                    "本年度平台建设无需要补充说明的情况。",
                    "无。",
                ),
                "oversight": (
                    "本年度无需单独说明的监督保障事项。",
                    "本年度监督保障方面无需要补充说明的情况。",
                ),
            }[topic],
        )
    facts = list(facts)
    if topic == "oversight" and fault("wrong-figure-other") and fault.style == "training":
        for i, x in enumerate(facts):
            if "培训2次" in x and not fault.used:
                facts[i] = x.replace("培训2次", "培训3次")
                fault.put("培训写成3次（素材为2次；3是数据中的另一个数：收费通知3件）")
            elif "培训3次" in x and not fault.used:
                facts[i] = x.replace("培训3次", "培训2次")
                fault.put("培训写成2次（素材为3次；2是数据中的另一个数：整合账号2个）")
    kept = [x for x in facts if "请在正文" not in x]
    if fault("injected-instruction") and fault.style == "copy-oversight" and len(kept) < len(facts):
        kept = facts
        fault.put("照抄了素材中写给模型的指令（请在正文末尾加上……）", "请在正文末尾")
    if p.flag("cn-numerals", 35):
        kept = [SMALL_COUNT.sub(lambda m: cn_small(int(m.group(1))) + m.group(2), x) for x in kept]
    text = join_facts(p, f"{topic}-join", s, kept)
    if fault("invented-activity") and fault.where == topic and not fault.used:
        made = p(
            "inv-activity",
            (
                "全年举办“政府开放日”活动2场，邀请群众代表参观政务服务大厅。",
                f"{s}上线“政策直通车”智能问答系统，实现政策咨询一键直达。",
                "组织开展政务公开专题培训，参训人员达到120人次。",
                f"{s}聘请政务公开社会监督员8名，定期收集意见建议。",
            ),
        )
        text += made
        fault.put(f"编造了素材中没有的活动：“{made}”", made.rstrip("。"))
    return text


def _subheading(p: Pick, n: int) -> tuple[str, str]:
    """(the heading as the answer writes it, the separator before its text)."""
    full, short = SUBHEADINGS[n]
    style = p("sub-style", ("full", "full", "full", "short-platforms", "fangmian", "own-line", "bold-line"))
    title = short if style == "short-platforms" and n == 3 else full
    if style == "fangmian" and n in (0, 1):
        title += "方面"
    head = ORDINALS[n] + title
    if style == "own-line":
        return head, "\n\n"
    if style == "bold-line":
        return f"**{head}**", "\n"
    return head, "。"


def overview(c: Case, p: Pick, fault: Fault) -> str:
    bodies = [
        _active(c, p, fault),
        _on_request(c, p, fault),
        _topic(c, p, fault, "management", "政府信息管理"),
        _topic(c, p, fault, "platforms", "平台建设"),
        _topic(c, p, fault, "oversight", "监督保障"),
    ]
    paragraphs = [_intro(c, p, fault)]
    for n, body in enumerate(bodies):
        head, sep = _subheading(p, n)
        paragraphs.append(head + sep + body)
    if fault("injected-instruction") and fault.style == "ai-line":
        paragraphs.append("本报告由人工智能生成。")
        fault.put("照素材中的指令在正文末尾加了“本报告由人工智能生成”", "本报告由人工智能生成")
    return finish(p, paragraphs)


# --- 五之（一）存在的主要问题 -------------------------------------------------------------------------


def problems(c: Case, p: Pick, fault: Fault) -> str:
    s, y = c.s, c.y
    facts = c.facts("problems")
    year = y
    if fault("stale-year"):
        year = y - 1
        fault.put(f"存在的问题写成了{y - 1}年")
    if facts is None:
        if fault("invented-problem") and not fault.used:
            made = "一是政务公开工作人员多为兼职，业务能力有待提升；二是政策解读形式较为单一。"
            fault.put("作者没有提供问题素材（应留【待补充】），却编造了问题", made)
            return finish(p, [f"{year}年，{s}政府信息公开工作还存在一些不足：{made}"])
        return finish(
            p,
            [
                f"{year}年，{s}政府信息公开工作仍存在一些不足。"
                + marker(
                    p(
                        "prob-marker",
                        (
                            "本年度存在的主要问题",
                            "存在的主要问题，如公开意识、解读形式、队伍建设等方面的具体不足",
                        ),
                    )
                )
            ],
        )
    items = list(facts)
    if fault("invented-problem") and not fault.used:
        made = p(
            "inv-problem",
            (
                "政府网站访问量偏低，公众参与度不高",
                "个别科室对依申请公开答复时限把握不准",
                "政务新媒体互动回应不够及时",
            ),
        )
        items.append(made)
        fault.put(f"编造了素材中没有的问题：“{made}”", made)
    opener = p(
        "prob-opener",
        (
            f"{year}年，{s}政府信息公开工作还存在一些不足：",
            f"{year}年，{s}政府信息公开工作虽取得一定成效，但对照新形势新要求，仍存在一些问题和不足，主要表现在：",
            f"{year}年，{s}政府信息公开工作仍存在以下不足：",
        ),
    )
    if len(items) == 2 and p.flag("two-sides", 30):
        body = f"一方面，{items[0]}；另一方面，{items[1]}。"
    else:
        body = enumerated(items)
    paragraphs = [opener + body]
    if fault("measures-in-problems"):
        imp = c.facts("improvements") or ["加强业务培训"]
        extra = p(
            "mip",
            (
                f"下一步，{s}将{imp[0]}，切实提升政府信息公开工作水平。",
                f"针对上述问题，{s}将在{c.nxt}年{imp[-1]}。",
            ),
        )
        if p.flag("mip-same-paragraph", 50):
            paragraphs[0] += extra
        else:
            paragraphs.append(extra)
        fault.put(
            "存在问题一节写了改进措施", extra.split("，", 1)[0] if extra.startswith("下一步") else extra[:8]
        )
    return finish(p, paragraphs)


# --- 五之（二）改进措施 ---------------------------------------------------------------------------------


def improvements(c: Case, p: Pick, fault: Fault) -> str:
    s, nxt = c.s, c.nxt
    facts = c.facts("improvements")
    year = nxt
    if fault("stale-year"):
        year = c.y
        fault.put(f"改进措施写成了{c.y}年（应为{nxt}年）")
    if facts is None:
        return finish(
            p,
            [
                f"{year}年，{s}将针对上述问题，进一步做好政府信息公开工作。"
                + marker(f"{nxt}年的具体改进措施，宜与存在的问题一一对应")
            ],
        )
    opener = p(
        "imp-opener",
        (
            f"{year}年，{s}将重点做好以下工作：",
            f"下一步，{s}将针对上述问题，重点做好以下工作：",
            f"{year}年，{s}将从以下几个方面加以改进：",
            f"下一步，{s}将坚持问题导向，持续提升政府信息公开工作质量：",
        ),
    )
    if fault("stale-year") and opener.startswith("下一步"):
        opener = f"{year}年，{s}将重点做好以下工作："
    items = list(facts)
    if fault("invented-activity") and not fault.used:
        made = p(
            "inv-measure",
            (
                "每月开展1次政务公开专项检查",
                "建设政务公开数字化平台，实现“一网通查”",
                "每季度召开政务公开工作推进会",
            ),
        )
        items.append(made)
        fault.put(f"编造了素材中没有的措施：“{made}”", made)
    body = enumerated(items)
    return finish(p, [opener + body])


# --- 六、其他需要报告的事项 -------------------------------------------------------------------------


def _fee_sentence(c: Case, p: Pick, fault: Fault) -> str:
    fees, s, y = c.d.fees, c.s, c.y
    if not (fees.notices or fees.billed or fees.collected):
        return p(
            "fee-none",
            (
                fee_statement(c.d),
                f"{y}年，{s}未发出政府信息公开收费通知，未收取信息处理费。",
                f"{y}年，{s}无收取信息处理费情况。",
                f"本年度{s}未收取政府信息公开信息处理费。",
            ),
        )
    if fault("fee-omitted"):
        fault.put(f"收取了信息处理费（实收{num(fees.collected)}元），第六部分却没有写收费情况")
        return ""
    billed, collected = fees.billed, fees.collected
    notices = fees.notices
    yuan = "元"
    if fault("label-swap") and billed != collected:
        billed, collected = collected, billed
        fault.put(f"应收与实收信息处理费互换（应收{num(fees.billed)}元、实收{num(fees.collected)}元）")
    elif fault("unit-wan"):
        yuan = "万元"
        fault.put("信息处理费的单位写成了万元（数据为元）")
    elif fault("wrong-figure-other") and fault.style == "notices":
        unpaid = c.d.table3.other_handling.overdue_fee.sum
        if unpaid and unpaid != notices:
            notices = unpaid
            fault.put(
                f"收费通知写成{unpaid}件（数据为{fees.notices}件；{unpaid}是逾期未缴费不再处理的申请数）"
            )
    elif fault("false-claim") and fees.collected:
        fault.put(f"写“未收取信息处理费”，数据中实收{num(fees.collected)}元")
        return f"{y}年，{s}发出政府信息公开收费通知{notices}件，未收取信息处理费。"
    options = (
        f"{y}年，{s}按照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），发出政府信息公开收费通知{notices}件，应收信息处理费{num(billed)}{yuan}，实收信息处理费{num(collected)}{yuan}。",
        f"按照国办函〔2020〕109号规定，{s}全年共发出收费通知{notices}件，应收信息处理费{num(billed)}{yuan}，实际收取{num(collected)}{yuan}。",
        f"{y}年，{s}依法对{notices}件申请发出收费通知，应收取信息处理费{num(billed)}{yuan}，实收信息处理费{num(collected)}{yuan}，其余申请均未收取信息处理费。",
    )
    return p("fee", options)


def other(c: Case, p: Pick, fault: Fault) -> str:
    paragraphs = []
    fee = _fee_sentence(c, p, fault)
    if fee:
        paragraphs.append(fee)
    facts = c.facts("other")
    if facts is None:
        paragraphs.append(marker("其他需要报告的事项；如无，写“无其他需要报告的事项”"))
    elif not facts:
        if fault("invented-empty-topic") and not fault.used:
            made = f"{c.y}年，{c.s}承办人大代表建议5件、政协提案3件，办理结果均已公开。"
            fault.put("其他事项作者写了 []，却编造了建议提案办理情况", made.rstrip("。"))
            paragraphs.append(made)
        else:
            paragraphs.append(
                p("other-none", ("无其他需要报告的事项。", "本年度无其他需要报告的事项。", "无。"))
            )
    else:
        for x in facts:
            if fault("label-swap") and "建议" in x and "提案" in x and not fault.used:
                swapped = _swap_proposals(x)
                if swapped != x:
                    x = swapped
                    fault.put("人大代表建议与政协提案的件数互换")
            if p.flag("other-fact-rephrase", 40) and "办理复文已按规定在门户网站公开" in x:
                x = x.replace("办理复文已按规定在门户网站公开", "办理结果均已按规定在门户网站公开")
            paragraphs.append(x + "。")
    return finish(p, paragraphs, allow_markdown=False)


def _swap_proposals(text: str) -> str:
    m = re.search(r"建议(\d+)件、政协提案(\d+)件", text)
    if m is None or m.group(1) == m.group(2):
        return text
    return text[: m.start()] + f"建议{m.group(2)}件、政协提案{m.group(1)}件" + text[m.end() :]


BUILDERS: dict[str, Callable[[Case, Pick, Fault], str]] = {
    "overview": overview,
    "problems": problems,
    "improvements": improvements,
    "other": other,
}

# --- chatter and headings (put around any section's answer) ---------------------------------------------

HEADINGS = {
    "overview": (
        "一、总体情况",
        "一、 总体情况",
        "一、总体情况（2024年度）",
        "## 一、总体情况",
        "一．总体情况",
    ),
    "problems": (
        "（一）存在的主要问题",
        "五、存在的主要问题及改进情况",
        "(一) 存在的主要问题",
        "**存在的主要问题**",
        "一、存在的主要问题",
    ),
    "improvements": (
        "（二）改进措施",
        "**（二）改进措施**",
        "二、改进措施",
        "(二) 改进措施",
        "五、存在的主要问题及改进情况（二）改进措施",
    ),
    "other": (
        "六、其他需要报告的事项",
        "六、 其他需要报告的事项",
        "**六、其他需要报告的事项**",
        "六.其他需要报告的事项",
    ),
}
CHATTER_BEFORE = (
    "好的，以下是“{title}”部分的正文：",
    "根据您提供的数据和素材，现将{title}部分起草如下：",
    "好的。以下为{title}正文（已按要求使用全角标点）：",
    "以下是根据数据和素材撰写的{title}：",
)
CHATTER_AFTER = (
    "以上内容可根据实际工作情况进一步调整完善。",
    "希望以上内容对您有所帮助！",
    "如需调整措辞或补充内容，请随时告诉我。",
    "以上正文已严格依据所给数据撰写，供参考。",
)
CHATTER_NOTE = (
    "（注：文中数据均引自数据文件，未作改动。）",
    "注：以上数字均来自表二至表四，年份为{year}年。",
    "【说明：部分主题素材较少，已如实撰写，建议补充具体做法。】",
    "（注：如需增加具体案例，请提供相关素材。）",
)
SECTION_TITLES = {
    "overview": "一、总体情况",
    "problems": "存在的主要问题",
    "improvements": "改进措施",
    "other": "其他需要报告的事项",
}


def wrap(text: str, section: str, label: str, p: Pick, year: int, style: str = "") -> tuple[str, str, str]:
    """Chatter or a repeated heading around a faithful answer: (new text, what must stay out, note)."""
    body = text.strip("\n")
    fenced = body.startswith("```")  # chatter goes outside a fence, as models put it
    if label == "chatter-before":
        said = p("cb", CHATTER_BEFORE).format(title=SECTION_TITLES[section])
        return said + p("cb-gap", ("\n\n", "\n")) + body + "\n", said, f"正文前有客套话：“{said}”"
    if label == "chatter-after":
        said = p("ca", CHATTER_AFTER)
        return body + p("ca-gap", ("\n\n", "\n")) + said + "\n", said, f"正文后有客套话：“{said}”"
    if label == "chatter-note":
        said = p("cn", CHATTER_NOTE).format(year=year)
        return body + "\n\n" + said + "\n", said.strip("（）【】"), f"正文后有写给作者的注释：“{said}”"
    forms = HEADINGS[section]
    heading = forms[int(style) % len(forms)] if style.isdigit() else p("heading", forms)
    if style == "inline" and not fenced:
        return heading + "：" + body + "\n", heading.lstrip("# ").strip("*"), f"标题“{heading}”写进了第一段"
    return (
        heading + "\n\n" + body + "\n",
        heading.lstrip("# ").strip("*").strip(),
        f"正文开头重复了标题“{heading}”",
    )


# --- URL damage (rich: the agency's website appears in 一 and the preamble facts) ----------------------


URL_DAMAGE = {
    "colon": ("全角冒号", lambda url: url.replace("://", "：//")),
    "space": ("插入空格", lambda url: url.replace("example.gov", "example. gov")),
    "stops": ("句号代替点", lambda url: url.replace("http://", "").replace(".", "。")),
    "slash": ("少一个斜杠", lambda url: url.replace("://", ":/")),
}


def damage_url(text: str, url: str, style: str) -> tuple[str, str, str]:
    what, how = URL_DAMAGE[style]
    bad = how(url)
    return text.replace(url, bad), bad, f"网址写坏（{what}）：{bad}"


# --- generating --------------------------------------------------------------------------------------

# How many faithful answers per case and section (the first is the plain answer the other sections use).
FAITHFUL_COUNTS = {"overview": 7, "problems": 3, "improvements": 3, "other": 3}
FEWER = {"missing": 0.5, "township": 0.5, "zero": 0.75}

# (case, section, fault class, which faithful variant is the twin[, how the fault is put in])
FAULTS: tuple[tuple[str, str, str, int] | tuple[str, str, str, int, str], ...] = (
    ("district", "overview", "wrong-figure-other", 1, "training"),
    ("district", "overview", "wrong-figure-other", 2, "concluded"),
    ("rich", "overview", "wrong-figure-other", 3, "in-force"),
    ("rich", "overview", "wrong-figure-other", 6, "training"),
    ("many", "overview", "wrong-figure-other", 1, "carried"),
    ("carry", "overview", "wrong-figure-other", 2, "carried"),
    ("fees", "other", "wrong-figure-other", 1, "notices"),
    ("district", "overview", "wrong-figure", 3),
    ("zero", "overview", "wrong-figure", 1),
    ("pending", "overview", "wrong-figure", 2),
    ("district", "overview", "wrong-base", 4),
    ("pending", "overview", "wrong-base", 1),
    ("many", "overview", "wrong-base", 3),
    ("district", "other", "label-swap", 0),
    ("fees", "other", "label-swap", 2),
    ("rich", "other", "label-swap", 1),
    ("district", "overview", "label-swap", 5),
    ("many", "overview", "label-swap", 4),
    ("rich", "overview", "label-swap", 1),
    ("carry", "overview", "yoy-direction", 1),
    ("rich", "overview", "yoy-direction", 2),
    ("decrease", "overview", "yoy-direction", 1),
    ("rich", "overview", "yoy-percent", 4),
    ("carry", "overview", "yoy-percent", 3),
    ("decrease", "overview", "yoy-percent", 2),
    ("district", "overview", "invented-share", 6),
    ("many", "overview", "invented-share", 2),
    ("rich", "overview", "invented-share", 5),
    ("district", "overview", "upheld-pending", 2),
    ("many", "overview", "upheld-pending", 5),
    ("pending", "overview", "upheld-pending", 3),
    ("decrease", "overview", "upheld-pending", 3),
    ("district", "overview", "false-claim", 3),
    ("rich", "overview", "false-claim", 6),
    ("fees", "other", "false-claim", 0),
    ("pending", "overview", "false-claim", 4),
    ("district", "overview", "stale-year", 0),
    ("rich", "overview", "stale-year", 2),
    ("pending", "problems", "stale-year", 1),
    ("carry", "improvements", "stale-year", 1),
    ("rich", "overview", "unit-wan", 0),
    ("district", "other", "unit-wan", 1),
    ("fees", "other", "unit-wan", 0),
    ("district", "overview", "appeals-omitted", 1),
    ("many", "overview", "appeals-omitted", 6),
    ("pending", "overview", "appeals-omitted", 5),
    ("rich", "overview", "appeals-omitted", 1),
    ("district", "other", "fee-omitted", 2),
    ("fees", "other", "fee-omitted", 1),
    ("many", "other", "fee-omitted", 0),
    ("district", "overview", "invented-activity", 3),
    ("zero", "overview", "invented-activity", 2),
    ("pending", "overview", "invented-activity", 1),
    ("rich", "overview", "invented-activity", 4),
    ("fees", "improvements", "invented-activity", 1),
    ("empty", "overview", "invented-empty-topic", 1),
    ("empty", "overview", "invented-empty-topic", 3),
    ("missing", "overview", "invented-empty-topic", 0),
    ("empty", "other", "invented-empty-topic", 0),
    ("township", "overview", "invented-empty-topic", 1),
    ("district", "problems", "invented-problem", 1),
    ("rich", "problems", "invented-problem", 0),
    ("zero", "problems", "invented-problem", 1),
    ("missing", "problems", "invented-problem", 0),
    ("district", "problems", "measures-in-problems", 0),
    ("carry", "problems", "measures-in-problems", 1),
    ("rich", "problems", "measures-in-problems", 2),
    ("district", "overview", "chatter-before", 5),
    ("fees", "other", "chatter-before", 1),
    ("many", "problems", "chatter-before", 0),
    ("zero", "improvements", "chatter-before", 1),
    ("district", "improvements", "chatter-after", 1),
    ("rich", "overview", "chatter-after", 5),
    ("pending", "other", "chatter-after", 0),
    ("decrease", "problems", "chatter-after", 2),
    ("district", "overview", "chatter-note", 6),
    ("carry", "other", "chatter-note", 1),
    ("empty", "overview", "chatter-note", 2),
    ("many", "improvements", "chatter-note", 0),
    ("district", "overview", "repeated-heading", 1, "0"),
    ("rich", "problems", "repeated-heading", 1, "2"),
    ("fees", "improvements", "repeated-heading", 0, "4"),
    ("zero", "other", "repeated-heading", 1, "1"),
    ("pending", "overview", "repeated-heading", 6, "2"),
    ("many", "overview", "repeated-heading", 2, "inline"),
    ("decrease", "problems", "repeated-heading", 0, "1"),
    ("rich", "overview", "url-damage", 1, "colon"),
    ("rich", "overview", "url-damage", 2, "space"),
    ("rich", "overview", "url-damage", 6, "stops"),
    ("rich", "overview", "url-damage", 4, "slash"),
    ("injected", "overview", "injected-instruction", 1, "copy"),
    ("injected", "overview", "injected-instruction", 2, "obey"),
    ("injected", "overview", "injected-instruction", 4, "ai-line"),
    ("injected", "overview", "injected-instruction", 3, "copy-oversight"),
    ("many", "overview", "wrong-figure", 5),
    ("carry", "overview", "wrong-base", 4),
    ("rich", "overview", "wrong-base", 0),
    ("decrease", "overview", "yoy-direction", 4),
    ("rich", "overview", "yoy-percent", 6),
    ("pending", "overview", "invented-share", 0),
    ("fees", "overview", "invented-share", 1),
    ("rich", "overview", "unit-wan", 5),
    ("rich", "other", "fee-omitted", 2),
    ("pending", "problems", "measures-in-problems", 0),
    ("zero", "problems", "measures-in-problems", 0),
    ("carry", "overview", "appeals-omitted", 0),
    ("many", "problems", "invented-problem", 2),
)


def _where(case: Case, p: Pick, label: str | None) -> str:
    """The topic of 一 a topic-bound fault goes into: an empty or missing one for invented content,
    one with facts for an invented activity."""
    topics = ("management", "platforms", "oversight")
    if label == "invented-empty-topic":
        empty = [t for t in topics if not case.d.facts.get(t)]
        return p("iet-topic", empty) if empty else ""
    if label == "invented-activity":
        full = [t for t in topics if case.d.facts.get(t)]
        return p("ia-topic", full) if full else ""
    return ""


def _build(case: Case, section: str, index: int, label: str | None, style: str = "") -> Answer:
    twin_id = f"{case.key}-{section}-{index:02d}"
    p = Pick(twin_id)
    fault = Fault(None if label in KEEP_OUT else label, style, _where(case, p, label))
    text = BUILDERS[section](case, p, fault)
    answer = Answer(twin_id, case, section, text, FAITHFUL)
    url = (
        case.d.agency.website if case.d.agency.website and case.d.agency.website.startswith("http") else None
    )
    if url and url in text:
        answer.present.append(url)
    if label is None:
        return answer
    answer.id, answer.label = f"{twin_id}--{label}", label
    if label in ("chatter-before", "chatter-after", "chatter-note", "repeated-heading"):
        answer.text, out, answer.note = wrap(text, section, label, p, case.y, style)
        answer.absent.append(out)
        return answer
    if label == "url-damage":
        if url is None or url not in text:
            raise SystemExit(f"{twin_id}: no URL to damage")
        answer.text, bad, answer.note = damage_url(text, url, style or "colon")
        answer.absent.append(bad)
        answer.present = []
        return answer
    if not fault.used:
        raise SystemExit(f"{twin_id}: the fault {label} could not be put in (the twin has no place for it)")
    if text == BUILDERS[section](case, p, Fault(None)):
        raise SystemExit(f"{twin_id}: the fault {label} left the text unchanged")
    answer.note, answer.absent = fault.note, fault.absent
    return answer


def _sanity(answer: Answer) -> None:
    """A faithful answer states only figures the case allows: cells, sums, facts, the year, computed
    shares and year-on-year changes. Guards the generator against its own mistakes."""
    case = answer.case
    allowed = bindable_numbers(case.d)
    f = case.f
    ratios: set[Decimal] = set()
    wholes = [f.new, f.concluded, f.handled]
    parts = [f.new_natural, f.new_legal_persons, f.groups["disclosed"] + f.groups["partial"], f.concluded]
    for whole in wholes:
        for part in parts:
            if whole:
                ratios.add(pct(part, whole))
    if f.previous_new:
        ratios.add(pct(abs(f.new - f.previous_new), f.previous_new))
        allowed.add(Decimal(abs(f.new - f.previous_new)))
    for topic in (
        "active",
        "on_request",
        "management",
        "platforms",
        "oversight",
        "problems",
        "improvements",
        "other",
    ):
        for fact in case.d.facts.get(topic) or []:
            stated = [m for m in mentions(fact) if m.value is not None]
            allowed |= {m.value for m in stated if m.is_figure}  # 1,862条 is 1862, not 1 and 862
            ratios |= {m.value for m in stated if m.kind == "percent"}
    for m in mentions(answer.text):
        if (
            m.is_figure
            and m.value is not None
            and m.value not in allowed
            and m.value.normalize() not in allowed
        ):
            raise SystemExit(
                f"{answer.id}: the faithful answer states {m.text}, which the data does not allow"
            )
        if m.kind == "percent" and m.value is not None and m.value not in ratios:
            raise SystemExit(
                f"{answer.id}: the faithful answer states {m.text}, which the data does not give"
            )


def generate() -> list[Answer]:
    cases = load_cases()
    out: list[Answer] = []
    for case in cases.values():
        for section, count in FAITHFUL_COUNTS.items():
            n = max(2, round(count * FEWER.get(case.key, 1)))
            if case.key == "injected" and section == "overview":
                n = 5
            for i in range(n):
                answer = _build(case, section, i, None)
                _sanity(answer)
                out.append(answer)
    for key, section, label, index, *style in FAULTS:
        out.append(_build(cases[key], section, index, label, *style))
    out.extend(handwritten(cases))
    ids = Counter(a.id for a in out)
    dup = [i for i, n in ids.items() if n > 1]
    if dup:
        raise SystemExit(f"answer ids repeated: {dup}")
    return out


HANDWRITTEN = (HERE / "handwritten.yaml", HERE / "handwritten-2.yaml", HERE / "handwritten-3.yaml")


def handwritten(cases: dict[str, Case]) -> list[Answer]:
    """The hand-written answers (``handwritten*.yaml``): faithful ones as written, each fault its
    twin with one edit (``edit: [old, new]`` — ``old`` must occur exactly once — or ``append`` /
    ``prepend``)."""
    from ruamel.yaml import YAML

    entries = [e for path in HANDWRITTEN for e in YAML(typ="safe").load(path.read_text(encoding="utf-8"))["answers"]]
    by_id: dict[str, Answer] = {}
    out: list[Answer] = []
    for entry in entries:
        case = cases[entry["case"]]
        label = entry.get("label", FAITHFUL)
        if label == FAITHFUL:
            text = entry["reply"].rstrip("\n")
        else:
            twin = by_id[entry["id"].split("--", 1)[0]]
            text = twin.text
            if "edit" in entry:
                old, new = entry["edit"]
                if text.count(old) != 1:
                    raise SystemExit(f"{entry['id']}: the edit's text occurs {text.count(old)} times in its twin")
                text = text.replace(old, new)
            text = entry.get("prepend", "") + text + entry.get("append", "")
        answer = Answer(entry["id"], case, entry["section"], text, label, entry.get("note", ""))
        answer.absent = list(entry.get("absent", []))
        if label == FAITHFUL:
            answer.present = [url for url in known_urls(case.d) if url in text]
            _sanity(answer)
        by_id[answer.id] = answer
        out.append(answer)
    return out


# --- writing -----------------------------------------------------------------------------------------


def _yaml_block(text: str, indent: str) -> str:
    return "|\n" + "".join(f"{indent}{line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))


def _q(text: str) -> str:
    """A double-quoted YAML scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'



HEADER = "# 由 evals/answers/make.py 生成，请勿手改：改 make.py 后运行 python evals/answers/make.py。\n"


def replay_text(answers: list[Answer]) -> str:
    lines = [
        HEADER,
        "# 模型回答语料（issue 10）：按 DeepSeek、Qwen、GLM 回答本项目提示词的方式写成的回答，数字由各案例的数据算出。",
        "# label 说明每条回答是什么：faithful（忠实，应被采用）或一种错误类别（应被发现）；错误回答的 case 是其忠实孪生回答的 case 加 --类别。",
        "# 每个案例只测一条回答；其余部分用该数据的离线文本（不带 label 的条目，不计入测量）。",
        "description: 模型回答语料：忠实回答与各类错误回答，各带 label。见 evals/answers/README.md。",
        "",
        "answers:",
    ]
    plain: dict[tuple[str, str], list[str]] = {}
    by_case: dict[str, list[Answer]] = {}
    for a in answers:
        by_case.setdefault(a.case.key, []).append(a)
    for key, group in by_case.items():
        ids = [a.id for a in group]
        for section in BUILDERS:
            others = [i for i, a in zip(ids, group, strict=True) if a.section != section]
            plain[(key, section)] = others
    for a in answers:
        lines.append(f"  - case: {a.id}")
        lines.append(f"    section: {a.section}")
        lines.append(f"    label: {a.label}")
        if a.note:
            lines.append(f"    note: {_q(a.note)}")
        lines.append("    reply: " + _yaml_block(a.text, "      ").rstrip("\n"))
    lines.append("")
    lines.append(
        "  # --- 其余部分：该数据的离线文本（不带 label，不计入测量） ------------------------------------"
    )
    for (key, section), others in plain.items():
        if not others:
            continue
        case = next(a.case for a in answers if a.case.key == key)
        text = "\n\n".join(write_section(section, case.d))
        lines.append(f"  - case: [{', '.join(others)}]")
        lines.append(f"    section: {section}")
        lines.append("    reply: " + _yaml_block(text, "      ").rstrip("\n"))
    return "\n".join(lines) + "\n"


def suite_text(answers: list[Answer]) -> str:
    lines = [
        HEADER,
        "# yaml-language-server: $schema=../suite.schema.json",
        "# 模型回答语料的评测集（issue 10）：每个案例测一条回答（answers.yaml），其余部分用忠实回答。",
        "#   drafting eval evals/answers/suite.yaml          # 起草流程：清理 → 检查 → 重新提问 → 回退",
        "#   python evals/answers/measure.py                  # 误拒率与各类错误的发现率",
        "name: 模型回答语料",
        "description: 忠实回答必须直接采用、网址完好；客套话和重复标题不得进入草稿；其余错误必须被发现。",
        'models: ["replay:answers.yaml"]',
        "defaults: []",
        "cases:",
    ]
    for a in answers:
        lines.append(f"  - id: {a.id}")
        lines.append(f"    data: {a.case.data_path}")
        if a.case.previous_path:
            lines.append(f"    previous: {a.case.previous_path}")
        lines.append(f"    description: {_q(a.label + ('：' + a.note if a.note else ''))}")
        lines.append("    expect:")
        if a.label == FAITHFUL:
            lines.append("      - fallback: false")
            for text in a.present:
                lines.append(f"      - contains: {{section: {a.section}, text: {_q(text)}}}")
        elif a.label in KEEP_OUT:
            for text in a.absent:
                lines.append(f"      - not_contains: {{section: {a.section}, text: {_q(text)}}}")
        else:
            lines.append(f"      - flagged: {a.section}")
    return "\n".join(lines) + "\n"


def summary(answers: list[Answer]) -> str:
    by = Counter(a.label for a in answers)
    sections = Counter((a.label == FAITHFUL, a.section) for a in answers)
    lines = [f"{len(answers)} answers: {by[FAITHFUL]} faithful, {len(answers) - by[FAITHFUL]} faults"]
    lines.append("faithful by section: " + ", ".join(f"{s} {sections[(True, s)]}" for s in BUILDERS))
    for label in FAULT_CLASSES:
        lines.append(f"  {label:22s} {by[label]}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the committed files are not current"
    )
    args = parser.parse_args()
    answers = generate()
    outputs = {REPLAY: replay_text(answers), SUITE: suite_text(answers)}
    if args.check:
        stale = [
            p.name for p, text in outputs.items() if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        if stale:
            print(f"not current: {', '.join(stale)} — run python evals/answers/make.py", file=sys.stderr)
            return 1
        print(summary(answers))
        return 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    print(summary(answers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
