"""Section 六 and the 信息处理费 (国办函〔2020〕109号): F1 the position is stated, F2 notices cover
the applications dropped for unpaid fees, F3 a fee collected implies a notice issued."""

from __future__ import annotations

from collections.abc import Iterator

from .. import official
from ..reading.to_data import stated_fees
from .finding import Finding
from .registry import Context, check

_FEE_WORDS = ("信息处理费", "收费通知", "收取费用", "收费")
_OVERDUE_FEE_TOTAL = (official.Cell("table3", "other_handling.overdue_fee", official.TOTAL_KEY),)


@check(
    "fee_statement",
    "consistency",
    {"F1": f"六、其他需要报告的事项按{official.FEE_NOTICE}说明信息处理费的收取情况"},
    scope="narrative",
)
def fee_statement(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if ctx.year is not None and ctx.year < official.FIRST_FORMAT_YEAR:
        return
    other = r.part_paragraphs("other")
    if r.kind == "section" and not other:
        return
    pool = other if any(h.part == "other" for h in r.headings) or r.kind == "section" else r.paragraphs
    if any(w in p.text for p in pool for w in _FEE_WORDS):
        return
    where = official.part_heading("other")
    yield ctx.found(
        "F1",
        "error",
        f"“{where}”没有说明信息处理费的收取情况：应按{official.FEE_NOTICE}写明发出收费通知的件数和"
        "收取信息处理费的金额，如“发出政府信息公开收费通知0件，未收取信息处理费”",
        where,
        evidence=f"“{where}”中没有“{'”“'.join(_FEE_WORDS)}”等字样",
        place="other/fee-statement",
    )


@check(
    "fee_figures",
    "consistency",
    {
        "F2": "发出的收费通知不少于“申请人逾期未按收费通知要求缴纳费用”的件数",
        "F3": "收取信息处理费须先发出收费通知",
    },
    scope="narrative",
)
def fee_figures(ctx: Context) -> Iterator[Finding]:
    figs = ctx.figures
    stated = stated_fees(ctx.report)
    where = official.part_heading("other")
    notices = stated["notices"]
    collected = stated["collected"]
    if figs is not None and isinstance(notices, int):
        unpaid = figs.table3.other_handling.overdue_fee.sum
        if unpaid > notices:
            yield ctx.found(
                "F2",
                "error",
                f"正文说发出收费通知 {notices} 件，但表三（六）其他处理“2.申请人逾期未按收费通知要求缴纳费用…”"
                f"共 {unpaid} 件：发出的收费通知应不少于 {unpaid} 件，请核对",
                where,
                evidence=f"正文：收费通知 {notices} 件；表三 逾期未缴费不再处理 {unpaid} 件",
                place="other/fee-notices",
                cells=_OVERDUE_FEE_TOTAL,
            )
    if notices == 0 and collected is not None and collected > 0:
        yield ctx.found(
            "F3",
            "error",
            f"正文说收取信息处理费 {collected} 元，却发出收费通知 0 件：收取信息处理费须先发出收费通知，请核对",
            where,
            evidence=f"正文：收费通知 0 件，收取信息处理费 {collected} 元",
            place="other/fee-collected",
        )
