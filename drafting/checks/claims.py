"""Claims with their scope: 未/无/均/全部 sentences judged on the subject they speak of.

A claim is a quantifier and a predicate read inside one clause (``未收到…申请``, ``均获维持``,
``均已办结``, ``未收取信息处理费``). Its subject is what the clause names: ``未收到法人或其他组织提出的
申请`` speaks of the 法人 column, not of all applications; ``已审结的2件均获维持`` of the two closed
cases, not of every case; ``其余申请均未收取`` of the rest, which no figure states — and a claim
whose subject does not resolve to a figure is never a finding. A resolved claim that the data
contradicts is an error (N3 for requests and cases, N4 for 表二, F2/F3 for fees).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from .. import official
from ..data.model import ReportData
from ..figures import compute
from ..official import Cell
from ..reading.model import Paragraph
from .consistency import _table2_known, _table4_known, bound
from .finding import Finding
from .registry import Context, check

_CLAUSE: Final = re.compile(r"[^，,；;。！!？?\n]+")


@dataclass(frozen=True)
class Claim:
    kind: str
    pattern: re.Pattern[str]


CLAIMS: Final = (
    Claim(
        "no_requests",
        re.compile(
            r"(?:未|没有)(?:收到|受理|接到|接收)[^。；，]{0,24}申请|(?<![结转])无[^。；，上]{0,8}政府信息公开申请(?![^。；，]{0,4}结转)"
        ),
    ),
    Claim("no_carried_over", re.compile(r"无上一?年度?结转|上一?年度?无结转|没有上一?年度?结转")),
    Claim(
        "all_concluded",
        re.compile(
            r"无(?:结转|转入|转)(?:至|到)?下一?年度?|没有结转(?:至|到)?下一?年"
            r"|(?:均|全部|都)(?:已|已经)?[^，。；;、]{0,6}?(?:办结|办理完毕|答复完毕)"
        ),
    ),
    Claim("cases_closed", re.compile(r"(?:均|全部|都)(?:已|已经)?(?:审结|结案)")),
    Claim(
        "no_appeals",
        re.compile(
            r"(?:未发生|没有发生|未被申请|未被提起|无)(?!法)[^。；，]{0,20}(?:行政复议|行政诉讼|复议|诉讼)"
            r"|(?:行政复议|复议)[、和及与]?(?:行政诉讼|诉讼)?(?:案件)?(?:均为|均是|都是|为)[0零]件?"
        ),
    ),
    Claim(
        "all_upheld",
        re.compile(
            r"(?:均|全部|都|皆)[^，。；;、]{0,6}?维持|结果均为维持|结果(?:为|是)维持"
            r"|(?:经审结|已审结|审结后)[^，。；]{0,6}维持|维持(?:了)?原(?:答复|决定|处理)"
            # the deciding body as subject (复议机关维持了我局的答复, 法院判决维持), not a count (维持2件)
            r"|(?:复议机关|人民法院|法院)(?:判决|裁定|决定|依法|予以)?维持(?!\s*[0-9０-９一二两三四五六七八九十]+\s*件)"
        ),
    ),
    Claim("no_normative", re.compile(r"未(?:制发|出台|印发|制定)[^。；，]{0,8}规范性文件")),
    Claim("no_notices", re.compile(r"未(?:发出|下发|出具)[^。；，]{0,8}收费通知")),
    Claim("no_fees", re.compile(r"未(?:实际)?收取[^。；，]{0,8}(?:信息处理费|费用)|无收取信息处理费|未收费")),
    Claim("all_natural", re.compile(r"(?:均|全部|都)为自然人|申请人均为自然人")),
)

_RULE: Final = {"no_normative": "N4", "no_notices": "F2", "no_fees": "F3"}
_REST: Final = ("其余", "其他", "剩余", "另外的")  # 其余申请均未收取: the rest, which no figure states


def _t3(row: str, column: str = official.TOTAL_KEY) -> Cell:
    return Cell("table3", row, column)


def _t4(column: str, blocks: tuple[str, ...]) -> tuple[Cell, ...]:
    return tuple(Cell("table4", b, column) for b in blocks)


_ALL_BLOCKS: Final = tuple(b for b, _ in official.TABLE4_BLOCKS)
_LIT_BLOCKS: Final = ("litigation_direct", "litigation_after_review")


def _blocks_named(words: str) -> set[str]:
    out = set()
    if "复议" in words:
        out.add("review")
    if "诉讼" in words or "起诉" in words or "法院" in words:
        out.add("litigation")
    return out


def _last_block(text: str) -> set[str]:
    last_review = text.rfind("复议")
    last_lit = max(text.rfind("诉讼"), text.rfind("起诉"))
    if last_review < 0 and last_lit < 0:
        return set()
    return {"review"} if last_review > last_lit else {"litigation"}


@dataclass(frozen=True)
class Problem:
    said: str  # what the data says instead
    cells: tuple[Cell, ...] = ()


def _requests_subject(clause: str) -> tuple[str, str]:
    """(figure key, its name) a 未收到…申请 clause speaks of."""
    if re.search(r"(?:公民|自然人)、?(?:和|及|与)?法人[和或及]其他组织", clause):
        return "new", "表三 一、本年新收"
    if "法人" in clause:
        return "legal_persons", f"表三 一、本年新收 {official.TABLE3_LEGAL_PERSONS}"
    if "自然人" in clause:
        return "natural", "表三 一、本年新收 自然人"
    if re.search(r"上一?年度?结转", clause):
        return "carried_over", "表三 二、上年结转"
    return "new", "表三 一、本年新收"


def judge(
    kind: str, clause: str, before: str, data: ReportData, ctx: Context, subject_count: int | None
) -> Problem | None:
    """What the data says against a claim, or None when it holds or its subject is not a figure."""
    f = ctx.memo.get("figures")
    if f is None:
        f = ctx.memo["figures"] = compute(data)
    t = data.table3
    blocks = _blocks_named(clause)
    if kind == "no_requests":
        if blocks:
            return None  # 未收到…复议申请: a case, judged by no_appeals
        key, name = _requests_subject(clause)
        value = {
            "new": f.new,
            "legal_persons": t.new.legal_persons,
            "natural": t.new.natural,
            "carried_over": f.carried_over,
        }[key]
        return (
            Problem(f"{name}为 {value} 件", (_t3(key if key in ("new", "carried_over") else "new"),))
            if value
            else None
        )
    if kind == "no_carried_over":
        return (
            Problem(f"表三 二、上年结转为 {f.carried_over} 件", (_t3("carried_over"),))
            if f.carried_over
            else None
        )
    if kind == "all_concluded":
        if blocks or "案件" in clause:
            return None  # 均已审结 or 案件均已办结: cases, judged by cases_closed
        if f.carry_forward:
            return Problem(f"表三 四、结转下年度继续办理为 {f.carry_forward} 件", (_t3("carry_forward"),))
        return None
    if not _table4_known(ctx) and kind in ("cases_closed", "no_appeals", "all_upheld"):
        return None
    if kind == "cases_closed":
        blocks = blocks or _last_block(before)
        if not blocks:
            return None
        pending = sum(f.review["pending"] if b == "review" else f.litigation["pending"] for b in blocks)
        return Problem(f"表四 尚未审结共 {pending} 件", _t4("pending", _ALL_BLOCKS)) if pending else None
    if kind == "no_appeals":
        named = blocks or {"review", "litigation"}
        totals = {"review": f.review["total"], "litigation": f.litigation["total"]}
        wrong = [b for b in ("review", "litigation") if b in named and totals[b]]
        if not wrong:
            return None
        said = "、".join(
            f"表四 {'行政复议' if b == 'review' else '行政诉讼'} 总计为 {totals[b]} 件" for b in wrong
        )
        return Problem(said, _t4(official.TOTAL_KEY, _ALL_BLOCKS))
    if kind == "all_upheld":
        return _upheld(clause, before, f.review, f.litigation, subject_count)
    if kind == "no_normative":
        issued = data.table2.normative.issued
        if issued and _table2_known(ctx):
            return Problem(
                f"表二 行政规范性文件 本年制发件数为 {issued} 件", (Cell("table2", "normative", "issued"),)
            )
        return None
    if kind == "no_notices":
        unpaid = t.other_handling.overdue_fee.sum
        if unpaid:
            return Problem(
                f"表三（六）其他处理“2.申请人逾期未按收费通知要求缴纳费用…”为 {unpaid} 件，说明发出过收费通知",
                (_t3("other_handling.overdue_fee"),),
            )
        if ctx.data is not None and data.fees.notices:
            return Problem(f"数据文件中发出收费通知 {data.fees.notices} 件")
        return None
    if kind == "no_fees":
        if any(w in clause for w in _REST) or ctx.data is None:
            return None
        return Problem(f"数据文件中实收信息处理费 {data.fees.collected} 元") if data.fees.collected else None
    if kind == "all_natural":
        others = t.new.legal_persons
        return (
            Problem(f"表三 一、本年新收 {official.TABLE3_LEGAL_PERSONS}为 {others} 件", (_t3("new"),))
            if others
            else None
        )
    return None


def _upheld(
    clause: str, before: str, review: dict[str, int], lit: dict[str, int], subject_count: int | None
) -> Problem | None:
    # The cases a claim speaks of: named in its clause, else in its sentence (``行政复议3件、行政诉讼
    # 1件，均获维持``: both), else the last named before it.
    sentence = re.split(r"[。；;！？\n]", before)[-1]
    blocks = (
        _blocks_named(clause) or _blocks_named(sentence) or _last_block(before) or {"review", "litigation"}
    )
    closed_only = "已审结" in clause or "审结的" in clause or subject_count is not None
    for block in ("review", "litigation"):
        if block not in blocks:
            continue
        fig = review if block == "review" else lit
        if not fig["total"]:
            continue
        name = "行政复议" if block == "review" else "行政诉讼"
        if subject_count is not None:
            if fig["upheld"] < subject_count:
                return Problem(f"表四 {name} 结果维持为 {fig['upheld']} 件", _t4("upheld", _ALL_BLOCKS))
            continue
        wrong = fig["corrected"] or fig["other"] or (fig["pending"] and not closed_only)
        if wrong:
            return Problem(
                f"表四 {name} 结果纠正 {fig['corrected']}、其他结果 {fig['other']}、尚未审结 {fig['pending']} 件，并非全部维持",
                (*_t4("corrected", _ALL_BLOCKS), *_t4("other", _ALL_BLOCKS), *_t4("pending", _ALL_BLOCKS)),
            )
    return None


def _subject_count(ctx: Context, p: Paragraph, start: int, end: int) -> int | None:
    """The number of cases a 均获维持 clause speaks of (``已审结的2件均获维持``), when it states one."""
    found = bound(ctx, p)
    key = f"starts:{id(p)}"
    starts = ctx.memo.get(key)
    if starts is None:
        starts = ctx.memo[key] = [m.start for m, _ in found]
    at = bisect_left(starts, start)
    for m, _ in found[at:]:
        if m.start >= end:
            break
        if m.kind == "count" and m.value is not None:
            return int(m.value)
    return None


@check("claims", "consistency", {}, also=("N3", "N4", "F2", "F3"), scope="narrative")
def claims(ctx: Context) -> Iterator[Finding]:
    data = ctx.figures
    if data is None:
        return
    for p in ctx.paragraphs():
        if p.part is None:
            continue
        seen: dict[str, int] = {}
        for clause_match in _CLAUSE.finditer(p.text):
            clause = clause_match.group()
            for claim in CLAIMS:
                m = claim.pattern.search(clause)
                if m is None:
                    continue
                count = _subject_count(ctx, p, clause_match.start(), clause_match.start() + m.start())
                problem = judge(claim.kind, clause, p.text[: clause_match.start()], data, ctx, count)
                if problem is None:
                    continue
                seen[claim.kind] = seen.get(claim.kind, 0) + 1
                said = clause.strip()
                yield ctx.in_paragraph(
                    p,
                    _RULE.get(claim.kind, "N3"),
                    "error",
                    f"正文说“{said}”，但{problem.said}：请改正正文或表格，使两者一致",
                    f"claim:{claim.kind}#{seen[claim.kind]}",
                    evidence=f"正文“{said}”；{problem.said}",
                    cells=problem.cells,
                    reask=f"“{said}”：数据中{problem.said}，这个说法不对。请按数据改写这句话。",
                )
                break  # one claim per clause
