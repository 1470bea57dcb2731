"""Structure: title (S6), the six headings in order (S1), the three tables with their official rows
(S2), the five sub-parts of 一 (S3), the preamble's statistical period (S4) and its count of parts
(S5), and a section left empty (S7)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import official
from ..chars import ascii_digits
from ..figures import chinese_number
from ..reading.model import Paragraph
from ..reading.normalize import norm
from ..reading.tables import OTHER_HANDLING_2019
from .finding import Finding
from .registry import Context, check

_PART_BY_ID = {p.id: p for p in official.PARTS}
_NO_TITLE = "（报告中没有标题）"
_TITLE_SUFFIXES = (official.TITLE_SUFFIX, "政府信息公开工作报告", "政府信息公开年度报告")


@check("title", "structure", {"S6": f"标题为“<机关全称><年度>年{official.TITLE_SUFFIX}”"})
def title(ctx: Context) -> Iterator[Finding]:
    t = ctx.report.title
    if not t:
        yield ctx.found(
            "S6",
            "error",
            f"没有找到报告标题：应为“<机关全称><年度>年{official.TITLE_SUFFIX}”",
            "标题",
            evidence=_NO_TITLE,
            place="title/missing",
        )
        return
    compact = norm(t)
    m = re.search(r"((?:19|20)\d{2})年度?", compact)
    if m is None:
        yield ctx.found(
            "S6",
            "error",
            f"标题“{t}”没有写明报告年度：应为“<机关全称><年度>年{official.TITLE_SUFFIX}”",
            "标题",
            evidence=t,
            place="title/year",
        )
        return
    suffix = compact[m.end() :]
    if m.start() == 0 and ctx.report.agency:
        # ``2024年上海市科委政府信息公开工作年度报告``: the year first, then the agency — a known
        # variant of the order, not a garbled title.
        agency = norm(ctx.report.agency)
        if suffix.startswith(agency) and suffix[len(agency) :] in _TITLE_SUFFIXES:
            yield ctx.found(
                "S6",
                "warning",
                f"标题“{t}”把年度写在机关名称之前：宜写作“{ctx.report.agency}{m.group(1)}年{official.TITLE_SUFFIX}”",
                "标题",
                evidence=t,
                place="title/order",
            )
            return
    if suffix not in _TITLE_SUFFIXES:
        yield ctx.found(
            "S6",
            "error",
            f"标题“{t}”不规范：年度之后应为“{official.TITLE_SUFFIX}”，请改正标题文字",
            "标题",
            evidence=t,
            place="title/suffix",
        )
    if m.start() == 0:
        yield ctx.found(
            "S6",
            "warning",
            f"标题“{t}”没有写机关全称：应以机关全称开头",
            "标题",
            evidence=t,
            place="title/agency",
        )


@check(
    "headings",
    "structure",
    {"S1": "六个一级标题齐全、不重复、顺序正确，写法和序号规范（已知的等价写法可接受）"},
    needs=("parts",),
)
def headings(ctx: Context) -> Iterator[Finding]:
    found = ctx.report.headings
    seen: dict[str, int] = {}
    for h in found:
        seen[h.part] = seen.get(h.part, 0) + 1
        official_text = _PART_BY_ID[h.part].heading
        place = f"heading:{h.part}/{h.kind}"
        if h.kind == "typo":
            message = f"章节标题“{h.text}”有错字或漏字：应为“{official_text}”"
            yield ctx.found("S1", "warning", message, h.where(), evidence=h.text, place=place)
        elif h.kind == "no_numeral":
            message = f"章节标题“{h.text}”缺少序号：应为“{official_text}”"
            yield ctx.found("S1", "warning", message, h.where(), evidence=h.text, place=place)
        elif h.kind == "wrong_numeral":
            message = f"章节标题“{h.text}”的序号不对：应为“{official_text}”"
            yield ctx.found("S1", "error", message, h.where(), evidence=h.text, place=place)
    for part, n in seen.items():
        if n > 1:
            yield ctx.found(
                "S1",
                "warning",
                f"章节“{_PART_BY_ID[part].heading}”出现了 {n} 次：请删去重复的标题",
                "章节标题",
                evidence="；".join(h.text for h in found if h.part == part),
                place=f"heading:{part}/repeated",
            )
    listed = "；".join(h.text for h in found) or "（没有章节标题）"
    missing = [p for p in official.PARTS if p.id not in seen]
    for p in missing:
        yield ctx.found(
            "S1",
            "error",
            f"缺少章节“{p.heading}”：年度报告应有六个部分，请补上该部分及其标题",
            "章节标题",
            evidence=f"报告中的章节标题：{listed}",
            place=f"heading:{p.id}/missing",
        )
    order = [p.id for p in official.PARTS]
    positions = [order.index(h.part) for h in found]
    first_seen = list(dict.fromkeys(positions))
    if first_seen != sorted(first_seen):
        shown = "、".join(_PART_BY_ID[order[i]].heading.split("、")[0] for i in first_seen)
        yield ctx.found(
            "S1",
            "error",
            f"章节顺序有误（现为 {shown}）：应按一、二、三、四、五、六的顺序排列",
            "章节标题",
            evidence=f"报告中的章节标题：{listed}",
            place="headings/order",
        )


def _table_missing(ctx: Context, table: str) -> bool:
    """Whether a table the reader did not read is missing from the report (S2) — only when the
    reader found nothing of it among parts it located with confidence. Otherwise the reader's own
    notice says what it could not read, and S2 is not assessed for that table."""
    located = ctx.report.certainty(table)
    if located.status == "absent" and ctx.confident("parts"):
        return True
    ctx.skip(("S2",), f"{located.reason}（{ctx.report.certainty('parts').reason}）")
    return False


@check("tables_present", "structure", {"S2": "表二、表三、表四齐全，行名与规定格式一致"})
def tables_present(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if r.kind == "section":
        return
    t2, t3, t4 = r.table2, r.table3, r.table4
    if t2 is not None and t2.rows:
        groups = official.TABLE2_2019_GROUPS if t2.version == "2019" else official.TABLE2_GROUPS
        absent = [(key, label) for g in groups for key, label in g.rows if key not in t2.rows]
        if absent:
            labels = "”“".join(label for _, label in absent)
            yield ctx.found(
                "S2",
                "error",
                f"表二缺少“{labels}”一行：请按规定格式补齐",
                "表二",
                evidence=f"没有读到的行：“{labels}”",
                place="table2/absent:" + ",".join(key for key, _ in absent),
            )
    elif _table_missing(ctx, "table2"):
        yield ctx.found(
            "S2",
            "error",
            "没有找到表二（主动公开政府信息情况）：请在“二、主动公开政府信息情况”下按规定格式列表",
            "表二",
            evidence="没有读到表二的任何一行",
            place="table2/missing",
        )
    if t3 is not None and t3.rows:
        absent3 = []
        for spec in official.TABLE3_ROWS:
            if spec.path in t3.rows:
                continue
            if spec.path.startswith("other_handling.") and OTHER_HANDLING_2019 in t3.rows:
                continue
            absent3.append(spec)
        if absent3:
            shown = "”“".join(s.full_label for s in absent3[:5]) + ("”等" if len(absent3) > 5 else "”")
            yield ctx.found(
                "S2",
                "error",
                f"表三缺少 {len(absent3)} 行：“{shown}。请按规定格式补齐",
                "表三",
                evidence="没有读到的行：“" + "”“".join(s.full_label for s in absent3) + "”",
                place="table3/absent:" + ",".join(s.path for s in absent3),
            )
    elif _table_missing(ctx, "table3"):
        yield ctx.found(
            "S2",
            "error",
            "没有找到表三（收到和处理政府信息公开申请情况）：请在“三、收到和处理政府信息公开申请情况”下按规定格式列表",
            "表三",
            evidence="没有读到表三的任何一行",
            place="table3/missing",
        )
    if (t4 is None or t4.row is None) and _table_missing(ctx, "table4"):
        yield ctx.found(
            "S2",
            "error",
            "没有找到表四（政府信息公开行政复议、行政诉讼情况）：请在“四、政府信息公开行政复议、行政诉讼情况”下按规定格式列表",
            "表四",
            evidence="没有读到表四的数字行",
            place="table4/missing",
        )


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


def _subsection_heads(paragraphs: list[Paragraph]) -> list[tuple[str, Paragraph]]:
    """The topics of 一 its paragraphs open on (``（二）依申请公开。…`` → on_request), first mention each."""
    found: list[tuple[str, Paragraph]] = []
    for p in paragraphs:
        m = _SUBHEAD.match(p.text)
        if not m:
            continue
        head = re.split(r"[。：:；]", p.text[m.end() :], maxsplit=1)[0][:24]
        for key, words in _TOPIC_WORDS.items():
            if key not in (k for k, _ in found) and any(w in head for w in words):
                found.append((key, p))
                break
    return found


def _openings(paragraphs: list[Paragraph]) -> str:
    return "；".join(p.text[:10] for p in paragraphs) or "（没有正文）"


@check(
    "overview_subsections",
    "structure",
    {
        "S3": "“一、总体情况”按主动公开、依申请公开、政府信息管理、平台建设、监督保障分项说明（模型写的正文须五个小节依次单独成段）"
    },
    scope="narrative",
    needs=("parts",),
)
def overview_subsections(ctx: Context) -> Iterator[Finding]:
    paragraphs = ctx.report.part_paragraphs("overview")
    if not any(h.part == "overview" for h in ctx.report.headings):
        return
    if ctx.strict:
        yield from _overview_shape(ctx, paragraphs)
        return
    found = _subsection_heads(paragraphs)
    keys = [k for k, _ in found]
    labels = dict(official.OVERVIEW_SUBSECTIONS)
    where = official.part_heading("overview")
    shown = "、".join(labels[k] for k in keys)
    if not found:
        # The five sub-parts are the 2021 format notice's; a report on 2019 or 2020 followed the
        # 试行 format, which did not ask for them: a suggestion there, not an error.
        older = ctx.year is not None and ctx.year < official.FIRST_FORMAT_YEAR
        yield ctx.found(
            "S3",
            "warning" if older else "error",
            "“一、总体情况”没有分项说明：应按（一）主动公开、（二）依申请公开、（三）政府信息管理、"
            "（四）政府信息公开平台建设、（五）监督保障分别说明"
            + (f"（{official.FORMAT_NOTICE}的要求，{ctx.year}年度报告可参照）" if older else ""),
            where,
            evidence=f"各段开头：{_openings(paragraphs)}",
            place="overview/subsections:none",
        )
        return
    missing = [k for k, _ in official.OVERVIEW_SUBSECTIONS if k not in keys]
    if missing:
        yield ctx.found(
            "S3",
            "warning",
            f"“一、总体情况”缺少“{'”“'.join(labels[k] for k in missing)}”方面的内容：请补充",
            where,
            evidence=f"已有的分项：{shown}",
            place="overview/subsections:missing:" + ",".join(missing),
        )
    order = [k for k, _ in official.OVERVIEW_SUBSECTIONS]
    ranks = [order.index(k) for k in keys]
    if ranks != sorted(ranks):
        yield ctx.found(
            "S3",
            "warning",
            "“一、总体情况”各分项的顺序与格式不一致：宜按主动公开、依申请公开、政府信息管理、平台建设、监督保障排列",
            where,
            evidence=f"现在的顺序：{shown}",
            place="overview/subsections:order",
        )


def _overview_shape(ctx: Context, paragraphs: list[Paragraph]) -> Iterator[Finding]:
    """What a model's 一 must be (the prompt asks for it): five sub-parts, each its own paragraph
    opening on ``（n）<title>``, in order, and no sixth."""
    where = official.part_heading("overview")
    starts = [p.text[:3] for p in paragraphs]
    last = -1
    for n, (key, title) in enumerate(official.OVERVIEW_SUBSECTIONS, 1):
        label = official.paren_ordinal(n)
        at = [i for i, s in enumerate(starts) if s.startswith(label)]
        if not at:
            yield ctx.found(
                "S3",
                "error",
                f"缺少小节“{label}{title}”：它应单独成段，以“{label}{title}。”开头",
                where,
                evidence=f"各段开头：{_openings(paragraphs)}",
                place=f"overview/subsection:{key}:missing",
            )
            continue
        i = at[0]
        p = paragraphs[i]
        if title not in p.text[: len(label) + len(title) + 6]:
            yield ctx.found(
                "S3",
                "error",
                f"小节“{label}”应为“{label}{title}”",
                p.where(),
                evidence=p.text[: len(label) + len(title) + 6],
                place=f"overview/subsection:{key}:title",
            )
        if i < last:
            yield ctx.found(
                "S3",
                "error",
                f"小节“{label}{title}”的顺序不对，应按（一）至（五）的顺序",
                p.where(),
                evidence=f"各段开头：{_openings(paragraphs)}",
                place=f"overview/subsection:{key}:order",
            )
        last = max(last, i)
    extra = official.paren_ordinal(len(official.OVERVIEW_SUBSECTIONS) + 1)
    for p in paragraphs:
        if p.text.startswith(extra):
            yield ctx.found(
                "S3",
                "error",
                f"本部分只有（一）至（五）五个小节，不应有“{extra}”",
                p.where(),
                evidence=p.text[:12],
                place="overview/subsection:extra",
            )
            break


_PERIOD = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*(?:至|到|—|-|－)\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日"
)


def stated_periods(ctx: Context) -> list[tuple[int, int, Paragraph]]:
    """Each statistical period the text states: first year, last year, and the paragraph."""
    out = []
    for p in ctx.report.narrative():
        text = ascii_digits(p.text)
        for m in _PERIOD.finditer(text):
            out.append((int(m.group(1)), int(m.group(2)), p))
    return out


@check("preamble", "structure", {"S4": "引言写明统计期限"})
def preamble(ctx: Context) -> Iterator[Finding]:
    r = ctx.report
    if r.kind == "section":
        return
    if not r.preamble:
        yield ctx.found(
            "S4",
            "warning",
            "报告开头没有引言：通常说明编制依据、由几个部分组成、统计期限、电子版下载地址和联系方式",
            "前言",
            evidence="标题与第一个章节标题之间没有文字",
            place="preamble/missing",
        )
    if not stated_periods(ctx):
        opening = r.preamble[0].text[:40] if r.preamble else ""
        yield ctx.found(
            "S4",
            "warning",
            "没有写明统计期限：应在引言中写明“本报告所列数据的统计期限自YYYY年1月1日起至YYYY年12月31日止”",
            "前言",
            evidence=f"引言：“{opening}”" if opening else "全文没有“YYYY年1月1日至YYYY年12月31日”",
            place="preamble/period",
        )


# What names each part in a preamble's list of parts, however long-form the list is written
# (``…存在的主要问题及改进情况和其他需要报告的事项等六个部分``, ``因政府信息公开申请行政复议、提起行政诉讼的情况``):
# the words only that part's name holds.
_PART_WORDS: dict[str, tuple[str, ...]] = {
    "overview": ("总体情况",),
    "proactive": ("主动公开",),
    "requests": ("申请情况", "收到和处理", "依申请公开"),
    "appeals": ("复议", "诉讼"),
    "problems_improvements": ("问题", "改进"),
    "other": ("其他需要报告", "其他事项"),
}


def _listed_parts(listing: str) -> list[str]:
    """The parts a preamble's list names, in the official order (each once): matched by the words
    only its name holds, so ``和``/``以及``/``及`` joining the last two and a 、 inside 四's name count
    neither too few nor too many."""
    return [part for part, words in _PART_WORDS.items() if any(w in listing for w in words)]


# The list runs from the last 由/包括/分为 before the count (never from the 共 of 中华人民共和国).
_PART_COUNT = re.compile(
    r"(?:由|包括|分为|共|分)((?:(?!由|包括|分为)[^。；]){0,200}?)([一二三四五六七八九十两\d]+)个?部分"
)


@check("preamble_parts", "structure", {"S5": "引言所说的部分数与报告的六个部分一致"})
def preamble_parts(ctx: Context) -> Iterator[Finding]:
    for p in ctx.report.preamble:
        m = _PART_COUNT.search(p.text)
        if m is None:
            continue
        word = m.group(2)
        stated = int(word) if word.isdigit() else chinese_number(word)
        listing = m.group(1).lstrip("：:")
        listed = _listed_parts(listing)
        quoted = m.group()[-60:]
        if stated is not None and stated != len(official.PARTS):
            yield ctx.in_paragraph(
                p,
                "S5",
                "error",
                f"引言说报告由“{word}个部分”组成，但规定格式和正文都是六个部分：请改为“六个部分”",
                "count",
                evidence=quoted,
            )
        elif stated is not None and len(listed) >= 3 and "情况" in listing and len(listed) < stated:
            absent = "”“".join(
                _PART_BY_ID[part].heading.split("、", 1)[1] for part in _PART_WORDS if part not in listed
            )
            yield ctx.in_paragraph(
                p,
                "S5",
                "error",
                f"引言说报告由{word}个部分组成，却只列出了{len(listed)}个（没有“{absent}”）：请核对所列各部分的名称",
                "listed",
                evidence=quoted,
            )
        return


@check("section_text", "structure", {"S7": "正文各节不为空"}, scope="narrative")
def section_text(ctx: Context) -> Iterator[Finding]:
    """A section checked on its own (``check_section``) that holds no text."""
    if ctx.section is None or any(p.text.strip() for p in ctx.report.paragraphs):
        return
    yield ctx.found(
        "S7",
        "error",
        "本部分正文为空：请补写",
        official.section_label(ctx.section, " "),
        evidence="（本部分没有正文）",
        place=f"section:{ctx.section}/empty",
    )
