"""Completeness: what a model's section must say, and what it must leave to the author (the strict,
model-only rules).

- **M1 what must be stated.** 一 names 行政复议 and 行政诉讼 when either is not zero (表四); 六 states
  the 信息处理费 amounts when a fee was billed or collected (F1 already asks for the statement itself).
- **M2 empty topics stay empty.** A topic the author left out (``None``) comes back as the
  【待补充：……】 marker the prompt asks for, not as content; a topic the author declared empty
  (``[]``) says only that there is nothing to report (``本年度无需单独说明的……``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from .. import official
from ..data.model import ReportData
from ..facts import usable
from ..figures import compute
from ..reading.model import Paragraph
from .finding import Finding
from .registry import Context, model_check, paragraph_place
from .sources import NOTHING

_MARKER: Final = "【待补充"
_HEAD: Final = re.compile(r"^（([一二三四五])）")
_DATA_TOPICS: Final = ("active", "on_request")  # sub-parts with table figures of their own
_FEE_WORDS: Final = re.compile(r"信息处理费|收费通知|收费")
_SENTENCE: Final = re.compile(r"[^。；;！!？?\n]+")
_TABLE_WORDS: Final = re.compile(
    r"申请|复议|诉讼|规范性文件|规章|行政许可|行政处罚|行政强制|行政事业性收费|办结|结转|予以公开|部分公开|不予公开|"
    r"无法提供|不予处理|其他处理|信息处理费|收费通知|收费"
)


def subparts(paragraphs: list[Paragraph]) -> dict[str, list[Paragraph]]:
    """一's paragraphs by sub-part (``（三）政府信息管理。…`` and the paragraphs after it)."""
    out: dict[str, list[Paragraph]] = {}
    current: str | None = None
    for p in paragraphs:
        m = _HEAD.match(p.text)
        if m is not None:
            n = "一二三四五".index(m.group(1))
            current = official.OVERVIEW_SUBSECTIONS[n][0]
        if current is not None:
            out.setdefault(current, []).append(p)
    return out


def _body(p: Paragraph) -> str:
    return re.sub(r"^（[一二三四五]）[^。：]{0,14}[。：]", "", p.text).strip()


def _content_sentences(text: str, data_topic: bool) -> list[str]:
    """The sentences of a topic's text that are content: not a marker, not "nothing to report",
    and (in a sub-part with table figures) not about the tables."""
    out = []
    for m in _SENTENCE.finditer(text):
        s = m.group().strip()
        if not s or _MARKER in s or NOTHING.search(s):
            continue
        if data_topic and _TABLE_WORDS.search(s):
            continue
        out.append(s)
    return out


@model_check(
    "completeness",
    "consistency",
    {
        "M1": "模型写的正文写明不为零的行政复议、行政诉讼和信息处理费",
        "M2": "作者没有提供素材的主题写【待补充】标记，作者说明没有内容的主题不编造内容",
    },
)
def completeness(ctx: Context, data: ReportData, section: str) -> Iterator[Finding]:
    paragraphs = [p for p in ctx.paragraphs() if p.part is not None]
    if not paragraphs:
        return
    if section == "overview":
        yield from _appeals(ctx, data, paragraphs)
        parts = subparts(paragraphs)
        for topic, _ in official.OVERVIEW_SUBSECTIONS:
            if topic in parts:
                yield from _topic(ctx, data, topic, parts[topic])
    elif section == "other":
        yield from _fees(ctx, data, paragraphs)
        # The fee statement is the data's, not a topic's: the topic is what follows it.
        rest = [p for p in paragraphs if not _FEE_WORDS.search(p.text)]
        if rest:
            yield from _topic(ctx, data, "other", rest)
    elif section in ("problems", "improvements"):
        yield from _topic(ctx, data, section, paragraphs)


def _appeals(ctx: Context, data: ReportData, paragraphs: list[Paragraph]) -> Iterator[Finding]:
    f = compute(data)
    text = "".join(p.text for p in paragraphs)
    missing = []
    if f.review["total"] and "复议" not in text:
        missing.append(f"行政复议{f.review['total']}件")
    if f.litigation["total"] and "诉讼" not in text and "起诉" not in text:
        missing.append(f"行政诉讼{f.litigation['total']}件")
    if not missing:
        return
    said = "、".join(missing)
    where = paragraphs[0]
    yield ctx.in_paragraph(
        where,
        "M1",
        "error",
        f"表四有{said}，正文没有写：请在（二）依申请公开中写明",
        "appeals",
        evidence=f"表四：{said}；正文中没有“复议”“诉讼”",
        cells=tuple(official.Cell("table4", b, official.TOTAL_KEY) for b, _ in official.TABLE4_BLOCKS),
        reask=f"数据中表四有{said}，你的回答没有写。请在（二）依申请公开中按数据写明（含结果维持、纠正、尚未审结的件数）。",
    )


def _fees(ctx: Context, data: ReportData, paragraphs: list[Paragraph]) -> Iterator[Finding]:
    fees = data.fees
    if not (fees.billed or fees.collected):
        return
    text = "".join(p.text for p in paragraphs)
    if "信息处理费" not in text and "收费" not in text:
        return  # no fee statement at all: F1 says so
    from ..numbers import mentions
    from ..tables import format_number

    stated = {m.yuan() for p in paragraphs for m in mentions(p.text) if m.kind == "money"}
    wanted = {"应收": fees.billed, "实收": fees.collected}
    missing = [f"{k}{format_number(v)}元" for k, v in wanted.items() if v and v not in stated]
    if not missing:
        return
    said = "、".join(missing)
    yield ctx.found(
        "M1",
        "error",
        f"数据中信息处理费{said}，正文没有写明金额",
        paragraphs[0].where(),
        evidence=f"数据：{said}",
        place=paragraph_place(paragraphs[0], "fees"),
        reask=f"数据中信息处理费{said}，你的回答没有写。请按数据写明收费通知件数和应收、实收金额。",
    )


def _topic(ctx: Context, data: ReportData, topic: str, paragraphs: list[Paragraph]) -> Iterator[Finding]:
    given = data.facts.get(topic)
    facts = usable(data, topic)
    text = "".join(_body(p) for p in paragraphs)
    label = official.FACT_LABELS[topic]
    where = paragraphs[0]
    if given is None:
        if _MARKER in text:
            return
        content = _content_sentences(text, topic in _DATA_TOPICS or topic == "other")
        if topic == "improvements":
            content = [s for s in content if not re.match(r"^(?:(?:19|20)\d{2}年，)?\S{0,4}将", s)]
        if not content:
            return
        yield ctx.in_paragraph(
            where,
            "M2",
            "error",
            f"作者没有提供“{label}”的素材，正文却写了内容（“{content[0]}”）：应写【待补充：……】标记，不要编造",
            f"topic:{topic}:marker",
            evidence=f"facts.{topic} 未填写；正文“{content[0]}”",
            reask=f"“{content[0]}”：作者没有提供“{label}”的素材。请删去这部分内容，改写为“【待补充：{label}的具体情况】”标记。",
        )
        return
    if facts:
        return  # the facts back the content: ``sources`` (M3) holds each sentence to them
    content = _content_sentences(text, topic in _DATA_TOPICS or topic == "other")
    if topic == "improvements" or not content:
        return  # improvements may say 将继续做好……; nothing else to report: fine
    yield ctx.in_paragraph(
        where,
        "M2",
        "error",
        f"作者说明“{label}”没有需要补充的内容，正文却写了（“{content[0]}”）：不要编造",
        f"topic:{topic}:empty",
        evidence=f"facts.{topic}: []；正文“{content[0]}”",
        reask=f"“{content[0]}”：作者说明“{label}”本年度没有需要补充的内容。请删去这部分内容，只写一句“本年度无需单独说明的{label}事项。”",
    )
