"""Structure: title, the six headings in order, the three tables with their official rows, the five
sub-parts of 一, the preamble's statistical period and its count of parts (N6)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import official
from ..chars import ascii_digits
from ..figures import chinese_number
from ..reading.normalize import norm
from ..reading.tables import OTHER_HANDLING_2019
from .registry import Context, Finding, check

_PART_BY_ID = {p.id: p for p in official.PARTS}


def _f(rule: str, severity: str, message: str, location: str) -> Finding:
    return Finding(rule, "structure", "error" if severity == "error" else "warning", message, location)


@check("title", "structure")
def title(ctx: Context) -> Iterator[Finding]:
    t = ctx.report.title
    if not t:
        yield _f("S6", "error", f"没有找到报告标题：应为“<机关全称><年度>年{official.TITLE_SUFFIX}”", "标题")
        return
    compact = norm(t)
    m = re.search(r"((?:19|20)\d{2})年度?", compact)
    if m is None:
        yield _f(
            "S6",
            "error",
            f"标题“{t}”没有写明报告年度：应为“<机关全称><年度>年{official.TITLE_SUFFIX}”",
            "标题",
        )
        return
    suffix = compact[m.end() :]
    if suffix not in (official.TITLE_SUFFIX, "政府信息公开工作报告", "政府信息公开年度报告"):
        yield _f(
            "S6",
            "error",
            f"标题“{t}”不规范：年度之后应为“{official.TITLE_SUFFIX}”，请改正标题文字",
            "标题",
        )
    if m.start() == 0:
        yield _f("S6", "warning", f"标题“{t}”没有写机关全称：应以机关全称开头", "标题")


@check("headings", "structure")
def headings(ctx: Context) -> Iterator[Finding]:
    found = ctx.report.headings
    seen: dict[str, int] = {}
    for h in found:
        seen[h.part] = seen.get(h.part, 0) + 1
        official_text = _PART_BY_ID[h.part].heading
        if h.kind == "typo":
            yield _f("S1", "warning", f"章节标题“{h.text}”有错字或漏字：应为“{official_text}”", h.where())
        elif h.kind == "no_numeral":
            yield _f("S1", "warning", f"章节标题“{h.text}”缺少序号：应为“{official_text}”", h.where())
        elif h.kind == "wrong_numeral":
            yield _f("S1", "error", f"章节标题“{h.text}”的序号不对：应为“{official_text}”", h.where())
    for part, n in seen.items():
        if n > 1:
            yield _f(
                "S1",
                "warning",
                f"章节“{_PART_BY_ID[part].heading}”出现了 {n} 次：请删去重复的标题",
                "章节标题",
            )
    missing = [p for p in official.PARTS if p.id not in seen]
    for p in missing:
        yield _f(
            "S1", "error", f"缺少章节“{p.heading}”：年度报告应有六个部分，请补上该部分及其标题", "章节标题"
        )
    order = [p.id for p in official.PARTS]
    positions = [order.index(h.part) for h in found]
    first_seen = list(dict.fromkeys(positions))
    if first_seen != sorted(first_seen):
        shown = "、".join(_PART_BY_ID[order[i]].heading.split("、")[0] for i in first_seen)
        yield _f(
            "S1",
            "error",
            f"章节顺序有误（现为 {shown}）：应按一、二、三、四、五、六的顺序排列",
            "章节标题",
        )


@check("tables_present", "structure")
def tables_present(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if r.kind == "section":
        return
    t2, t3, t4 = r.table2, r.table3, r.table4
    if t2 is None or not t2.rows:
        yield _f(
            "S2",
            "error",
            "没有找到表二（主动公开政府信息情况）：请在“二、主动公开政府信息情况”下按规定格式列表",
            "表二",
        )
    else:
        groups = official.TABLE2_2019_GROUPS if t2.version == "2019" else official.TABLE2_GROUPS
        absent = [label for g in groups for key, label in g.rows if key not in t2.rows]
        if absent:
            yield _f("S2", "error", f"表二缺少“{'”“'.join(absent)}”一行：请按规定格式补齐", "表二")
    if t3 is None or not t3.rows:
        yield _f(
            "S2",
            "error",
            "没有找到表三（收到和处理政府信息公开申请情况）：请在“三、收到和处理政府信息公开申请情况”下按规定格式列表",
            "表三",
        )
    else:
        absent = []
        for spec in official.TABLE3_ROWS:
            if spec.path in t3.rows:
                continue
            if spec.path.startswith("other_handling.") and OTHER_HANDLING_2019 in t3.rows:
                continue
            absent.append(spec.full_label)
        if absent:
            shown = "”“".join(absent[:5]) + ("”等" if len(absent) > 5 else "”")
            yield _f("S2", "error", f"表三缺少 {len(absent)} 行：“{shown}。请按规定格式补齐", "表三")
    if t4 is None or t4.row is None:
        yield _f(
            "S2",
            "error",
            "没有找到表四（政府信息公开行政复议、行政诉讼情况）：请在“四、政府信息公开行政复议、行政诉讼情况”下按规定格式列表",
            "表四",
        )
    for note in r.notes:
        if note.category == "structure":
            yield _f(note.rule, note.severity, note.message, note.location)


_TOPIC_WORDS = {
    "active": ("主动公开",),
    "on_request": ("依申请公开", "依申请"),
    "management": ("政府信息管理", "信息管理"),
    "platforms": ("平台建设", "平台"),
    "oversight": ("监督保障", "监督", "保障", "考核"),
}
_SUBHEAD = re.compile(
    r"^\s*(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}是|\d{1,2}[.、．]|[一二三四五六七八九十]{1,2}[、.．])"
)


@check("overview_subsections", "structure", scope="narrative")
def overview_subsections(ctx: Context) -> Iterator[Finding]:
    paragraphs = ctx.report.part_paragraphs("overview")
    if not any(h.part == "overview" for h in ctx.report.headings):
        return
    found: list[str] = []
    for p in paragraphs:
        m = _SUBHEAD.match(p.text)
        if not m:
            continue
        head = re.split(r"[。：:；]", p.text[m.end() :], maxsplit=1)[0][:24]
        for key, words in _TOPIC_WORDS.items():
            if key not in found and any(w in head for w in words):
                found.append(key)
                break
    labels = dict(official.OVERVIEW_SUBSECTIONS)
    where = official.part_heading("overview")
    if not found:
        yield _f(
            "S3",
            "error",
            "“一、总体情况”没有分项说明：应按（一）主动公开、（二）依申请公开、（三）政府信息管理、"
            "（四）政府信息公开平台建设、（五）监督保障分别说明",
            where,
        )
        return
    missing = [labels[k] for k, _ in official.OVERVIEW_SUBSECTIONS if k not in found]
    if missing:
        yield _f("S3", "warning", f"“一、总体情况”缺少“{'”“'.join(missing)}”方面的内容：请补充", where)
    order = [k for k, _ in official.OVERVIEW_SUBSECTIONS]
    ranks = [order.index(k) for k in found]
    if ranks != sorted(ranks):
        yield _f(
            "S3",
            "warning",
            "“一、总体情况”各分项的顺序与格式不一致：宜按主动公开、依申请公开、政府信息管理、平台建设、监督保障排列",
            where,
        )


_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|－)\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日"
)


def stated_periods(ctx: Context) -> list[tuple[int, int, str]]:
    out = []
    for p in ctx.report.narrative():
        text = ascii_digits(p.text)
        for m in _PERIOD.finditer(text):
            out.append((int(m.group(1)), int(m.group(2)), p.where()))
    return out


@check("preamble", "structure")
def preamble(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if r.kind == "section":
        return
    if not r.preamble:
        yield _f(
            "S4",
            "warning",
            "报告开头没有引言：通常说明编制依据、由几个部分组成、统计期限、电子版下载地址和联系方式",
            "前言",
        )
    if not stated_periods(ctx):
        yield _f(
            "S4",
            "warning",
            "没有写明统计期限：应在引言中写明“本报告所列数据的统计期限自YYYY年1月1日起至YYYY年12月31日止”",
            "前言",
        )


def _listed_parts(listing: str) -> list[str]:
    """``总体情况、…、政府信息公开行政复议、行政诉讼情况、…`` → the parts named (a 、 inside 四's
    name does not start a new part)."""
    parts: list[str] = []
    pending = ""
    for piece in re.split(r"[、，,]", listing):
        pending += piece.strip()
        if pending.endswith(("情况", "事项", "问题", "措施")):
            parts.append(pending)
            pending = ""
    if pending:
        parts.append(pending)
    return [p for p in parts if p]


_PART_COUNT = re.compile(r"(?:由|包括|分为|共|分)([^。；]{0,200}?)([一二三四五六七八九十两\d]+)个?部分")


@check("preamble_parts", "structure")
def preamble_parts(ctx: Context) -> Iterator[Finding]:
    for p in ctx.report.preamble:
        m = _PART_COUNT.search(p.text)
        if m is None:
            continue
        word = m.group(2)
        stated = int(word) if word.isdigit() else chinese_number(word)
        listing = m.group(1).lstrip("：:")
        listed = _listed_parts(listing)
        if stated is not None and stated != len(official.PARTS):
            yield _f(
                "S5",
                "error",
                f"引言说报告由“{word}个部分”组成，但规定格式和正文都是六个部分：请改为“六个部分”",
                p.where(),
            )
        elif stated is not None and len(listed) >= 3 and "情况" in listing and len(listed) != stated:
            yield _f(
                "S5",
                "error",
                f"引言说报告由{word}个部分组成，却只列出了{len(listed)}个：请核对所列各部分的名称",
                p.where(),
            )
        return
