"""The cross-sum (勾稽) and plausibility rules of FORMAT.md §5 that can be checked on data.

Each data check is a function ``ReportData -> list[Issue]`` reporting one rule id of the
catalogue (``checks.registry.RULES``), written as a generator of its issues (``data_check`` lists
them) or, for a rule that a stated figure equals a computed one, as the figures it compares
(``_must_equal`` writes the issues from the rule's one message and fix). Hard rules (H1–H4, C1, F2, F3, P2) are errors; soft ones (C2,
P1, and a few sanity rules) are warnings. H5 (non-negative whole numbers) is enforced by the model's
types. Issues carry data paths; the loader adds file positions. The check library runs some of these
on a document's own tables (``checks.tables``) and reports a data file's issues as D3-<rule>.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .. import official
from ..errors import Issue, Severity
from .model import ApplicantRow, ReportData, Table3

DataCheck = Callable[[ReportData], list[Issue]]
DATA_CHECKS: list[DataCheck] = []  # every check of a data file, in the order issues are listed


def data_check(fn: Callable[[ReportData], Iterable[Issue]]) -> DataCheck:
    """Register ``fn`` as a check of every data file (a generator of issues is collected into a list)."""

    def run(data: ReportData) -> list[Issue]:
        return list(fn(data))

    run.__name__, run.__qualname__, run.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    DATA_CHECKS.append(run)
    return run


def check_rules(data: ReportData) -> list[Issue]:
    """Every data check on ``data``: the rules it breaks, as issues."""
    return [issue for fn in DATA_CHECKS for issue in fn(data)]


def _issue(rule_id: str, path: str, message: str, fix: str, severity: Severity = "error") -> Issue:
    return Issue(rule_id, severity, official.cell_label(path), path, message, fix)


@dataclass(frozen=True)
class _Stated:
    """A figure the file states beside the one the other figures give: its data path, both values,
    and the words of its place the rule's message names (``label``, ``key``…)."""

    path: str
    stated: int
    expected: int
    words: Mapping[str, object] = field(default_factory=dict)


StatedFigures = Callable[[ReportData], Iterable[_Stated]]


def _must_equal(
    rule_id: str, message: str, fix: str, severity: Severity = "error"
) -> Callable[[StatedFigures], DataCheck]:
    """A check of the rule that each stated figure ``fn(data)`` gives equals its expected value:
    an issue for each that does not, its ``message`` and ``fix`` written from templates over
    ``stated``, ``expected`` and the figure's words. (Registered by ``data_check`` above it.)"""

    def make(fn: StatedFigures) -> DataCheck:
        def run(data: ReportData) -> list[Issue]:
            issues = []
            for f in fn(data):
                if f.stated != f.expected:
                    said = {"stated": f.stated, "expected": f.expected, **f.words}
                    issues.append(
                        _issue(rule_id, f.path, message.format(**said), fix.format(**said), severity)
                    )
            return issues

        run.__name__, run.__qualname__, run.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
        return run

    return make


def column_value(row: ApplicantRow, key: str) -> int:
    return row.sum if key == official.TOTAL_KEY else int(getattr(row, key))


def results_sum(table3: Table3, key: str) -> int:
    """Σ of the 21 result leaves in one column: what （七）总计 must be (H3)."""
    return sum(column_value(_row(table3, r.path), key) for r in official.TABLE3_RESULT_LEAVES)


def results_total(table3: Table3, key: str) -> int:
    """（七）总计 as stated in the file, or derived when the file leaves it out."""
    if table3.results_total is not None:
        return column_value(table3.results_total, key)
    return results_sum(table3, key)


def _row(table3: Table3, path: str) -> ApplicantRow:
    row = table3.row(path)
    assert row is not None, path  # the official row list and the model are kept in step by a test
    return row


@data_check
@_must_equal(
    "H1",
    "总计应等于六类申请人之和 {expected}，实际填写 {stated}",
    "把总计改为 {expected}，或核对本行各申请人列的数字（总计可以不填，由本工具计算）",
)
def h1_row_totals(data: ReportData) -> Iterator[_Stated]:
    for spec in official.TABLE3_ROWS:
        row = data.table3.row(spec.path)
        if row is not None and row.total is not None:
            yield _Stated(f"table3.{spec.path}.total", row.total, row.sum)


@data_check
@_must_equal(
    "H3",
    "（七）总计应等于（一）至（六）各项之和 {expected}，实际填写 {stated}",
    "核对“{label}”列的各项办理结果；若各项无误，把（七）总计改为 {expected}",
)
def h3_results_total(data: ReportData) -> Iterator[_Stated]:
    stated = data.table3.results_total
    if stated is None:
        return
    for key, label in official.TABLE3_COLUMNS:
        path = f"table3.results_total.{key}"
        yield _Stated(path, column_value(stated, key), results_sum(data.table3, key), {"label": label})


# The six result groups of 三, as the table numbers them: what an H2 message lists row by row.
_RESULT_GROUPS = (
    ("disclosed", "（一）予以公开"),
    ("partial", "（二）部分公开"),
    ("withheld", "（三）不予公开"),
    ("unable", "（四）无法提供"),
    ("not_processed", "（五）不予处理"),
    ("other_handling", "（六）其他处理"),
)


def _group_value(table3: Table3, group: str, key: str) -> int:
    return sum(
        column_value(_row(table3, r.path), key)
        for r in official.TABLE3_RESULT_LEAVES
        if r.path == group or r.path.startswith(group + ".")
    )


def _c1_expected(data: ReportData, key: str) -> int | None:
    """Last year's 结转下年度 in this column when it differs from this year's 上年结转 (C1), else None."""
    prev = data.previous
    if prev is None or prev.table3 is None or prev.year != data.year - 1:
        return None
    last = column_value(prev.table3.carry_forward, key)
    return last if last != column_value(data.table3.carried_over, key) else None


@data_check
def h2_stated_identity(data: ReportData) -> Iterator[Issue]:
    """一 + 二 = （七）总计 + 四, per column. The message names the identity and every cell in it,
    and sends the author to the result rows first: writing the difference into 结转下年度 (or a
    总计) to make the column balance is the error FORMAT §7 names (the total was forced). When the
    column's 上年结转 also differs from last year's report (C1), the one message says so and what
    is left once that is corrected, so that the two rules never give contradicting advice."""
    t = data.table3
    # The 总计 column is the sum of the six, so it balances whenever they do: checking it
    # too would only repeat an imbalance already reported for a column.
    for key, label in official.TABLE3_COLUMNS:
        new, carried = column_value(t.new, key), column_value(t.carried_over, key)
        done, forward = results_total(t, key), column_value(t.carry_forward, key)
        if done != results_sum(t, key) and new + carried == results_sum(t, key) + forward:
            continue  # only the stated （七）总计 is wrong: H3 reports it, with the right fix
        if new + carried == done + forward:
            continue
        gap = new + carried - done - forward
        groups = "、".join(f"{name} {_group_value(t, g, key)}" for g, name in _RESULT_GROUPS)
        message = (
            f"“{label}”列不平衡：一（新收 {new}）+ 二（上年结转 {carried}）= {new + carried}，"
            f"而 （七）总计 {done} + 四（结转下年度 {forward}）= {done + forward}，"
            f"{'少' if gap > 0 else '多'}了 {abs(gap)} 件"
        )
        fix = (
            "每一列都应满足“第一项加第二项之和，等于第三项加第四项之和”。"
            f"请先逐行核对本列的办理结果（{groups}，合计即（七）总计 {done}），"
            "再核对新收和上年结转；不要为了凑平而直接改动结转下年度或总计（这是审核时常见的错误）"
        )
        expected = _c1_expected(data, key)
        if expected is not None:
            rest = new + expected - done - forward
            after = "本列即平衡" if rest == 0 else f"本列仍相差 {abs(rest)} 件，再按上面的顺序核对"
            fix += f"。另外，本列上年结转 {carried} 与上年报告的结转下年度 {expected} 不一致（C1）：先改正上年结转，{after}"
        elif gap > 0:
            fix += f"。只有各行核对无误、确有 {gap + forward} 件申请到年底仍在办理时，结转下年度才是 {gap + forward}"
        else:
            fix += f"。办理结果加结转下年度比新收加上年结转多 {-gap} 件：请先核对新收、上年结转或办理结果"
        yield _issue("H2", f"table3.carry_forward.{key}", message, fix)


@data_check
@_must_equal(
    "H4",
    "总计应等于结果维持、结果纠正、其他结果、尚未审结之和 {expected}，实际填写 {stated}",
    "把总计改为 {expected}，或核对本栏各项（总计可以不填，由本工具计算）",
)
def h4_table4_totals(data: ReportData) -> Iterator[_Stated]:
    for block, _ in official.TABLE4_BLOCKS:
        outcomes = getattr(data.table4, block)
        if outcomes.total is not None:
            yield _Stated(f"table4.{block}.total", outcomes.total, outcomes.sum)


@_must_equal(
    "C1",
    "上年结转应等于上年报告“四、结转下年度继续办理”的“{label}” {expected}，实际填写 {stated}",
    "把本栏改为 {expected}，或核对上年数据（previous.table3.carry_forward.{key}）",
)
def _carried_over(data: ReportData) -> Iterator[_Stated]:
    prev = data.previous
    if prev is None or prev.table3 is None:
        return
    for key, label in official.TABLE3_COLUMNS:
        last = column_value(prev.table3.carry_forward, key)
        now = column_value(data.table3.carried_over, key)
        yield _Stated(f"table3.carried_over.{key}", now, last, {"label": label, "key": key})


@data_check
def c1_carry_over(data: ReportData) -> list[Issue]:
    """This year's 上年结转 against last year's 结转下年度, column by column, once last year's data
    is last year's: another year's is one issue, on its year, and nothing else is compared."""
    prev = data.previous
    if prev is not None and prev.year != data.year - 1:
        message = f"上年数据的年度应为 {data.year - 1}，实际为 {prev.year}"
        return [_issue("C1", "previous.year", message, "填入上一年度的数据，或删除 previous 部分")]
    return _carried_over(data)


@data_check
@_must_equal(
    "C2",
    "按上年现行有效 {last} + 本年制发 {issued} − 本年废止 {repealed} 推算应为 {expected}，实际填写 {stated}",
    "如本年开展过集中清理或口径调整，可保留并在正文中说明；否则请核对",
    "warning",
)
def c2_documents_in_force(data: ReportData) -> Iterator[_Stated]:
    prev = data.previous
    if prev is None or prev.table2 is None or prev.year != data.year - 1:
        return
    for key in ("rules", "normative"):
        now, last = getattr(data.table2, key), getattr(prev.table2, key)
        counts = {"last": last.in_force, "issued": now.issued, "repealed": now.repealed}
        yield _Stated(
            f"table2.{key}.in_force", now.in_force, last.in_force + now.issued - now.repealed, counts
        )


@data_check
def f2_fee_notices(data: ReportData) -> Iterator[Issue]:
    unpaid = data.table3.other_handling.overdue_fee.sum
    if unpaid > data.fees.notices:
        yield _issue(
            "F2",
            "fees.notices",
            f"表三（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用 共 {unpaid} 件，"
            f"但发出收费通知只有 {data.fees.notices} 件",
            f"发出收费通知件数应不少于 {unpaid}：请核对收费通知件数或表三该行",
        )


@data_check
def f3_fee_collected(data: ReportData) -> Iterator[Issue]:
    fees = data.fees
    if fees.notices == 0:
        for key, label in (("billed", "应收"), ("collected", "实收")):
            amount = getattr(fees, key)
            if amount > 0:
                yield _issue(
                    "F3",
                    f"fees.{key}",
                    f"{label}信息处理费 {amount} 元，但发出收费通知为 0 件",
                    "收取信息处理费须先发出收费通知：请填写发出收费通知件数，或核对金额",
                )
    if fees.collected > fees.billed:
        yield _issue(
            "F3",
            "fees.collected",
            f"实收 {fees.collected} 元多于应收 {fees.billed} 元",
            "请核对应收和实收金额",
            "warning",
        )


@data_check
def p1_rules_plausible(data: ReportData) -> Iterator[Issue]:
    r = data.table2.rules
    name = data.agency.name
    # Only 国务院部门, provinces and 设区的市 governments make 规章; a township or county body that
    # reports them has almost always filled the wrong row.
    lower_level = re.search(r"[乡镇县]|街道|(?<![地治])区", name) is not None
    if lower_level and (r.issued or r.in_force):
        yield _issue(
            "P1",
            "table2.rules.in_force",
            f"“{name}”看起来是县级及以下机关，但填写了规章（本年制发 {r.issued}，现行有效 {r.in_force}）",
            "只有国务院部门、省级和设区的市人民政府可以制定规章；规范性文件请填在“行政规范性文件”行",
            "warning",
        )


@data_check
def p2_format_year(data: ReportData) -> Iterator[Issue]:
    if data.year < official.FIRST_FORMAT_YEAR:
        yield _issue(
            "P2",
            "year",
            f"{data.year} 年度的报告应使用 2019 年试行格式，本工具按 {official.FORMAT_NOTICE} 的 2021 年格式编制",
            "请确认报告年度；本工具只用于 2021 年及以后年度的报告",
        )
    if data.year > dt.date.today().year:
        yield _issue(
            "P2",
            "year",
            f"报告年度 {data.year} 晚于今年",
            "请确认报告年度",
            "warning",
        )
    if data.published is not None and data.published <= dt.date(data.year, 12, 31):
        yield _issue(
            "P2",
            "published",
            f"发布日期 {data.published} 早于统计期限结束（{data.year}年12月31日）",
            "请核对发布日期",
            "warning",
        )


@data_check
def p3_deadline(data: ReportData) -> Iterator[Issue]:
    """A 发布日期 after the agency's deadline (条例第四十九条、第五十条): 1月31日 of the year after
    for a department, 3月31日 for a government's own report. Late publication is the first error
    the format notice names (不按时发布); a warning, since the date may be a plan to change."""
    if data.published is None:
        return
    kind, guessed = official.agency_kind(data.agency.name, data.agency.kind)
    y, m, d = official.deadline(data.year, kind)
    due = dt.date(y, m, d)
    if data.published <= due:
        return
    how = "（按机关名称判断；如不对，请在 agency.kind 填写“部门”或“本级政府”）" if guessed else ""
    yield _issue(
        "P3",
        "published",
        f"发布日期 {official.signature_date(data.published)} 晚于{kind}年度报告的期限 {y}年{m}月{d}日{how}",
        f"{kind}的年度报告应在{y}年{m}月{d}日前{'报送并公开' if kind == '部门' else '公布'}：请核对发布日期",
        "warning",
    )


@data_check
def w_fees_table2(data: ReportData) -> Iterator[Issue]:
    # F4: the two money figures are different things; an identical non-zero value is a telltale of
    # the 信息处理费 typed into 表二 (or the reverse).
    fee_wan = data.fees.collected / Decimal(10000)
    if data.fees.collected > 0 and data.table2.admin_fees == fee_wan:
        yield _issue(
            "F4",
            "table2.admin_fees",
            "表二 行政事业性收费 与实收信息处理费数额相同",
            "表二 行政事业性收费是本机关的行政事业性收费（万元），不是信息处理费：请核对",
            "warning",
        )
