"""Consistency: the numbers a narrative states against the figures they name.

A number stated with its label must equal that label's figure (``binding``): N1 for the bases of 表三
(收到/新收 = 一, 受理/办理 = 一 or 一+二, 办结 = （七）, 结转 = 四), N2 for its breakdowns, N3 for 表四,
N4 for 表二, F2/F3 for the fee notices and amounts, N5 for a figure of the author's facts (培训…2次).
That a number equals some *other* figure does not make it right. An amount in the wrong unit
(24252.311082元 for 万元) is reported as such.

A number no label binds is held to the data as a whole (N0): it must be a table figure, a sum a reader
expects, or a number of the facts. Without the author's data, a number outside the tables (items
published on a website) is no one's error, so N0 needs a data file. Citations, deadlines, dates and
contacts are never figures (``numbers``).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from .. import official
from ..binding import Binder, Binding, phrase_before
from ..catalogue import Figure
from ..data.model import ReportData
from ..errors import Severity
from ..figures import bindable_numbers
from ..numbers import Mention, mentions
from ..reading.model import Paragraph
from .finding import Finding
from .registry import Context, check, paragraph_place
from .text import snippet


def _table2_known(ctx: Context) -> bool:
    """表二 figures are known from the data, or from a 2021-format 表二 in the document."""
    t2 = ctx.report.table2
    return ctx.data is not None or (t2 is not None and t2.version == "2021" and bool(t2.rows))


def _table4_known(ctx: Context) -> bool:
    return ctx.data is not None or (ctx.report.table4 is not None and ctx.report.table4.row is not None)


def binder(ctx: Context) -> Binder | None:
    """The binder of this report's figures (the data's, else the tables read from the document),
    built once per check run."""
    figs = ctx.figures
    if figs is None:
        return None
    found = ctx.memo.get("binder")
    if found is None:
        from ..facts import screened

        skip = [(p.topic, p.index) for p in screened(figs)] if ctx.data is not None else []
        found = Binder(
            figs,
            facts=ctx.data is not None,
            table2=_table2_known(ctx),
            table4=_table4_known(ctx),
            fees=ctx.data is not None,
            skip_facts=skip,
            unread=_unread(ctx),
        )
        ctx.memo["binder"] = found
    assert isinstance(found, Binder)
    return found


def _unread(ctx: Context) -> set[str]:
    """The 表三 result groups (and what sums them) whose rows a published report's table was read
    without: their sums are not the report's, so no text is held to them (issue 11's analysis, item
    9). The author's data has every row."""
    t3 = ctx.report.table3
    if ctx.data is not None or t3 is None:
        return set()
    missing = {r.path for r in official.TABLE3_RESULT_LEAVES if r.path not in t3.rows}
    groups = {path.split(".", 1)[0] for path in missing}
    if "disclosed" in groups or "partial" in groups:
        groups.add("disclosed+partial")
    return groups


def bound(ctx: Context, p: Paragraph) -> list[tuple[Mention, list[Binding]]]:
    """Each mention of a paragraph with the figures its words name (read once per paragraph)."""
    key = f"bound:{id(p)}"
    found = ctx.memo.get(key)
    if found is None:
        b = binder(ctx)
        found = b.read(p.text) if b is not None else [(m, []) for m in mentions(p.text)]
        ctx.memo[key] = found
    assert isinstance(found, list)
    return found


def quote(text: str, m: Mention, width: int = 24) -> str:
    """The words of the text that state a mention: its phrase, verbatim, up to the number's end."""
    start = m.start - len(phrase_before(text, m.start, width))
    return text[start : m.end].strip()


def fmt(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _mismatch(ctx: Context, p: Paragraph, m: Mention, b: Binding, n: int, allowed: set[Decimal]) -> Finding:
    figure = b.figure
    stated = m.text
    quoted = snippet(p.text, m.start, m.end)
    said = quote(p.text, m)
    rule = figure.rule
    evidence = f"正文“{quoted}”：{stated}；{figure.label}：{figure.shown()}"
    if b.unit_slip(m):
        message = f"正文“{quoted}”中的 {stated} 单位不对：{figure.label}为 {figure.shown()}，请改正单位"
        reask = (
            f"“{said}”：数据中{figure.label}为{figure.shown()}，单位是{figure.money}。请改正单位，数字不变。"
        )
    elif figure.key.startswith("fact:") and m.value is not None and not matches(m.value, allowed):
        # Found nowhere in the data (not merely another fact's figure): a number without a source.
        rule = "N0"
        message = (
            f"正文“{quoted}”中的 {stated} 在数据文件中找不到出处：{figure.label}中同一事项为 {figure.shown()}，"
            "请核对，或把该数字写入数据文件的 facts"
        )
        reask = f"“{said}”：{figure.label}中为{figure.shown()}，没有{stated}这个数字。请改为素材中的数字。"
        evidence += "；数据文件中没有这个数"
    else:
        message = _message(figure, b.word, quoted, stated)
        reask = _reask(b, m, said, stated)
    return ctx.found(
        rule,
        "error",
        message,
        p.where(),
        evidence=evidence,
        place=paragraph_place(p, f"{figure.key}#{n}"),
        cells=() if rule == "N0" else figure.cells,
        reask=reask,
    )


def _message(figure: Figure, word: str, quoted: str, stated: str) -> str:
    if figure.key == "new" and word in ("收到", "接收", "接到", "新收", "新接收"):
        return (
            f"正文“{quoted}”中的 {stated} 与表三不符：“{word}”指本年新收（表三第一项）{figure.shown()}件；"
            "如果包含上年结转，应写作“受理”或“办理”并写明其中上年结转数"
        )
    if figure.key.startswith("fact:"):
        return f"正文“{quoted}”中的 {stated} 与{figure.label}中同一事项的数字 {figure.shown()} 不符：请以素材为准"
    return f"正文“{quoted}”中的 {stated} 与表格不符：{figure.label}为 {figure.shown()}，请改正正文或表格"


def _reask(b: Binding, m: Mention, said: str, stated: str) -> str:
    """What the model is told: the figure and the value to write only when the binding is certain."""
    figure = b.figure
    if b.certain and figure.value is not None:
        unit = figure.money or m.unit
        where = f"{figure.label}中" if figure.key.startswith("fact:") else f"数据中{figure.label}"
        return f"“{said}”：{where}为{fmt(figure.value)}{unit}。请改为{fmt(figure.value)}{unit}。"
    return f"“{said}”：数据中{figure.label}为{figure.shown()}，{stated}与之不符。请按数据改正或删去这个数字。"


@check(
    "labelled_numbers",
    "consistency",
    {
        "N1": "申请数量的口径（新收、受理或办理、办结、结转）与表三一致",
        "N2": "办理结果和申请人的分项数与表三一致",
        "N3": "复议诉讼的数字，以及“未收到”“均获维持”“均已办结”等说法与表格相符",
        "N4": "规章、规范性文件和处理决定等数字与表二一致",
        "N5": "正文中写到素材里的事项时，数字与素材一致（培训次数、建议提案件数等）",
    },
    also=("F2", "F3", "N0"),
    scope="narrative",
)
def labelled(ctx: Context) -> Iterator[Finding]:
    if ctx.figures is None:
        return
    allowed = bindable(ctx)
    for p in ctx.paragraphs():
        if p.part is None:
            continue  # the preamble states the period and contacts, not figures
        seen: dict[str, int] = {}
        for m, bindings in bound(ctx, p):
            if not bindings or any(b.matches(m) for b in bindings):
                continue
            b = bindings[0]
            seen[b.figure.key] = seen.get(b.figure.key, 0) + 1
            yield _mismatch(ctx, p, m, b, seen[b.figure.key], allowed)


def bindable(ctx: Context) -> set[Decimal]:
    figs = ctx.figures
    out: set[Decimal] = set(ctx.doc_extra_numbers)
    if figs is None:
        return out
    out |= bindable_numbers(figs)
    for topic, _ in official.FACT_TOPICS:
        for fact in figs.facts.get(topic) or []:
            out |= {m.value for m in mentions(fact) if m.value is not None and (m.is_figure or m.is_ratio)}
    return out


def matches(value: Decimal, allowed: set[Decimal]) -> bool:
    if value in allowed:
        return True
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0:
        quantum = Decimal(1).scaleb(exponent)
        return any(a.quantize(quantum, rounding=ROUND_HALF_UP) == value for a in allowed)
    return False


def unbound_severity(ctx: Context, data: ReportData) -> Severity:
    """A number the data does not give is an error in a model's text or when the author wrote
    facts (the data is then the whole source); otherwise a warning (a web count may be real)."""
    authored = any(data.facts.get(t) is not None for t, _ in official.FACT_TOPICS)
    return "error" if ctx.strict_numbers or authored else "warning"


def unbound_figure(m: Mention) -> bool:
    """A count or amount that may be held to the data when no label binds it: not a Chinese 一 or
    个 (一次性, 两个维护 are words), not a bare year."""
    if not m.is_figure or m.value is None:
        return False
    if m.chinese and (m.value == 1 or m.unit == "个"):
        return False
    return not (m.kind == "number" and 1900 <= m.value <= 2100 and m.value == m.value.to_integral_value())


@check("unbound_numbers", "consistency", {"N0": "正文中的数字能在数据文件中找到出处"}, scope="narrative")
def unbound(ctx: Context) -> Iterator[Finding]:
    if ctx.data is None:
        return  # without the author's data, a number outside the tables (web items) is unknowable
    allowed = bindable(ctx)
    severity = unbound_severity(ctx, ctx.data)
    from ..binding import is_comparison

    for p in ctx.paragraphs():
        if p.part is None:
            continue
        count = 0
        for m, bindings in bound(ctx, p):
            if bindings or not unbound_figure(m) or is_comparison(p.text, m):
                continue
            assert m.value is not None
            if matches(m.value, allowed):
                continue
            count += 1
            quoted = snippet(p.text, m.start, m.end)
            yield ctx.found(
                "N0",
                severity,
                f"正文“{quoted}”中的 {m.text} 在数据文件中找不到出处（既不是表格数字、合计，也不在正文素材中）："
                "请核对，或把该数字写入数据文件的 facts",
                p.where(),
                evidence=f"正文“{quoted}”：{m.text}；数据文件的表格、合计和 facts 中都没有这个数",
                place=paragraph_place(p, f"unbound#{count}"),
                reask=f"“{quote(p.text, m)}”：数据和素材中都没有{m.text}这个数字。请删去这个数字（或这句话），不要另写别的数字。",
            )


def data_of(ctx: Context) -> ReportData | None:
    return ctx.figures
