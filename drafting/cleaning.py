"""A model's answer made into the section's paragraphs: what is not the report's text taken out,
what is the report's text left as the model wrote it.

Taken out, and named in the draft's note: a reasoning model's ``<think>`` block, code fences, Markdown
(headings, bullets, emphasis); chatter before the text (``好的，以下是……：``, ``根据您提供的素材，现
起草如下：``) and after it (``希望以上内容对您有所帮助！``, ``如需调整请告知``, ``以上内容可根据实际……``);
notes to the author (``（注：……）``, ``【说明：……】``, ``备注：``) — never the 【待补充：……】 marker the
prompt asks for; the section's own heading repeated (``一、总体情况``, ``(一) 存在的主要问题``, in
any bracket form). A sub-heading of 一 written on its own line or in a short form (``（四）平台建设``,
``**（一）主动公开方面**``) becomes the official ``（四）政府信息公开平台建设。`` at the head of its
paragraph. Half-width punctuation becomes full-width, except inside URLs, e-mail addresses, document
numbers, times and numbers (``chars.fullwidth_punctuation``); a URL of the data written with
full-width marks or spaces (``http：//``) is written back as the data has it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from . import official
from .chars import fullwidth_punctuation, writable

_THINKING: Final = re.compile(r"<think>.*?</think>", re.S)
_FENCE: Final = re.compile(r"^\s*(```|~~~)")
_HEADING: Final = re.compile(r"^\s*#{1,6}\s*")
_BULLET: Final = re.compile(r"^\s*(?:[-*+•·]\s+)")
# A Markdown rule (---, ***): layout, not text.
_RULE_LINE: Final = re.compile(r"^\s*([-*_])(?:\s*\1){2,}\s*$")
# An item of a 一是、二是 list a model put on a line of its own: it belongs to the paragraph that
# announces it (``重点抓好两项工作：``) or holds the item before it (``…；``).
_ITEM: Final = re.compile(r"^(?:[一二三四五六七八九十]{1,2}是|第[一二三四五六七八九十]{1,2}，)")
_EMPHASIS: Final = re.compile(r"\*\*|__|`")
_LEADING_STAR: Final = re.compile(r"^\*(?=\S)|(?<=\S)\*$")


def _any(words: str) -> str:
    """One regex group matching any of ``words``: regex fragments separated by spaces."""
    return "(?:" + "|".join(words.split()) + ")"


def _opens_on(*phrases: str) -> re.Pattern[str]:
    """A line opening on any of ``phrases`` (regex fragments)."""
    return re.compile("^" + _any(" ".join(phrases)))


# Chatter before the text: a line opening on words that talk to the user, or announcing the text.
_OPENING: Final = _opens_on(
    "好的 好 当然 没问题 可以 收到 明白 根据您 按照您 依据您 结合您 以下是 以下为 下面是 下面为 这是 为您",
    r"现将.{0,24}(?:起草|撰写|拟写|草拟|整理)",
    "我已 我将 我来 已为您",
)
_ANNOUNCES: Final = re.compile(_any("以下 如下 下面"))
_ANNOUNCED: Final = re.compile(_any("正文 内容 部分 起草 撰写 草稿 文字 全文 段落 初稿"))
# Chatter after the text.
_CLOSING: Final = _opens_on(
    r"希望.{0,24}(?:帮助|有用|满意|参考)",
    r"如(?:需|有需要|您需要|果需要|需要) 若(?:需|有需要)",
    r"以上(?:内容|正文|文字|为|是|部分|草稿|初稿).{0,40}(?:参考|调整|完善|修改|补充|起草|修订|核实|核对|使用)",
    r"(?:仅)?供(?:您)?参考 请(?:您)?(?:根据|结合)实际 如有(?:疑问|问题|需要|不妥) 欢迎 祝",
    r"(?:注意|提示|说明|备注)[:：]",
)
# Notes to the author, as paragraphs or as a bracket ending a paragraph: brackets of any form.
_OPEN: Final = r"[（(【\[]"
_CLOSE: Final = r"[）)】\]]"
_NOT_CLOSE: Final = r"[^）)】\]]"
_NO_BRACKET: Final = r"[^（）()【】\[\]]"
_NOTE_PARAGRAPH: Final = re.compile(rf"^{_OPEN}?\s*{_any('注 说明 备注 提示 编者按 附注')}\s*[:：]|^※")
_NOTE_TAIL: Final = re.compile(rf"{_OPEN}\s*{_any('注 说明 备注 提示')}\s*[:：]{_NOT_CLOSE}*{_CLOSE}\s*$")
# A bracket that asks the author to do something (never the 【待补充：……】 marker).
_AUTHOR_BRACKET: Final = re.compile(
    rf"{_OPEN}(?!{_NOT_CLOSE}*待补充){_NO_BRACKET}{{0,60}}"
    + _any("请根据 可根据 根据实际 请核实 请补充 请核对 可自行 可删除 请替换 如有需要 按实际")
    + rf"{_NO_BRACKET}{{0,60}}{_CLOSE}"
)
_MARKER: Final = "【待补充"

# A sub-part of 一 at the head of a line, in any bracket form: （一）, (一), 一）, 【一】, 〔一〕, [一].
_SUBHEAD: Final = re.compile(
    r"^\s*(?:[（(【〔\[]\s*(?P<n>[一二三四五六七八九十]{1,2})\s*[）)】〕\]]|(?P<m>[一二三四五六七八九十]{1,2})\s*[）)])\s*"
)
# The words a model may write for a sub-part's title (official title first).
SUBPART_TITLES: Final[dict[str, tuple[str, ...]]] = {
    "active": ("主动公开",),
    "on_request": ("依申请公开",),
    "management": ("政府信息管理", "信息管理"),
    "platforms": ("政府信息公开平台建设", "信息公开平台建设", "公开平台建设", "平台建设"),
    "oversight": ("监督保障", "监督保障工作", "监督和保障"),
}
_TITLE_TAIL: Final = re.compile(r"^(?:方面|情况|工作)?\s*[。：:．.，,]?\s*")


@dataclass
class Cleaned:
    paragraphs: list[str]
    removed: list[str] = field(default_factory=list)  # what was taken out, quoted, for the note

    def note(self) -> str | None:
        if not self.removed:
            return None
        shown = "；".join(f"“{_short(r)}”" for r in self.removed[:4])
        more = f"等 {len(self.removed)} 处" if len(self.removed) > 4 else ""
        return f"已删去模型回答中不属于正文的文字：{shown}{more}。"


def _short(text: str, width: int = 30) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _key(text: str) -> str:
    """A heading's text for comparing: no Markdown, spaces, brackets of any form, or closing mark."""
    text = re.sub(r"[\s*#`_]", "", text)
    text = text.translate(str.maketrans("()【】〔〕[]", "（）（）（）（）"))
    text = re.sub(r"^([一二三四五六七八九十]{1,2})[.．]", r"\1、", text)
    text = re.sub(r"（(?:19|20)\d{2}年度?）$", "", text)
    return text.rstrip("：:。.")


def headings(section: str) -> set[str]:
    """The keys of the lines that only repeat the section's heading or title."""
    spec = official.SECTION_BY_ID[section]
    heading = official.part_heading(spec.part)
    out = {heading, heading.split("、", 1)[-1], spec.title}
    if spec.title:
        out.add(spec.title[3:])  # （一）存在的主要问题 → 存在的主要问题
        out.add(f"{heading}{spec.title}")
    return {_key(h) for h in out if h}


def _subpart(line: str) -> tuple[int, str, str] | None:
    """(its number, its official title, the text after the title) for a line opening on a sub-part
    of 一, in any bracket form and with a known short title; None otherwise."""
    m = _SUBHEAD.match(line)
    if m is None:
        return None
    digits = m.group("n") or m.group("m") or ""
    n = "一二三四五".find(digits) + 1 if len(digits) == 1 else 0
    if not 1 <= n <= len(official.OVERVIEW_SUBSECTIONS):
        return None
    key, title = official.OVERVIEW_SUBSECTIONS[n - 1]
    rest = line[m.end() :]
    for alias in SUBPART_TITLES[key]:
        if rest.startswith(alias):
            tail = _TITLE_TAIL.match(rest[len(alias) :])
            after = rest[len(alias) + (tail.end() if tail else 0) :]
            return n, title, after.strip()
    return None


def _lines(text: str) -> list[str]:
    out = []
    for line in _THINKING.sub("", text).splitlines():
        if _FENCE.match(line) or _RULE_LINE.match(line):
            continue
        line = _HEADING.sub("", line)
        line = _BULLET.sub("", line)
        line = _LEADING_STAR.sub("", _EMPHASIS.sub("", line)).strip()
        if line:
            out.append(line)
    return out


def _opening_chatter(line: str) -> bool:
    if _MARKER in line:
        return False
    if _OPENING.match(line) and (len(line) <= 80 or line.rstrip().endswith(("：", ":"))):
        return True
    ends = line.rstrip().endswith(("：", ":"))
    return ends and bool(_ANNOUNCES.search(line)) and bool(_ANNOUNCED.search(line)) and len(line) <= 80


def _closing_chatter(line: str) -> bool:
    return _MARKER not in line and bool(_CLOSING.match(line)) and len(line) <= 120


def clean_answer(text: str, section: str, urls: Iterable[str] = ()) -> Cleaned:
    """The section's paragraphs from a model's answer, and what was taken out."""
    lines = _lines(text)
    removed: list[str] = []
    while lines and _opening_chatter(lines[0]):
        removed.append(lines.pop(0))
    while lines and _closing_chatter(lines[-1]):
        removed.append(lines.pop())
    keys = headings(section)
    out: list[str] = []
    pending_head: str | None = None  # a sub-part title alone on its line: joins the next line
    for line in lines:
        if _NOTE_PARAGRAPH.match(line) and _MARKER not in line:
            removed.append(line)
            continue
        tail = _NOTE_TAIL.search(line)
        if tail is not None and _MARKER not in tail.group():
            removed.append(tail.group())
            line = line[: tail.start()].rstrip()
        for bracket in _AUTHOR_BRACKET.findall(line):
            removed.append(bracket)
            line = line.replace(bracket, "")
        line = _strip_heading_prefix(line, keys, removed)
        if not line:
            continue
        if section == "overview":
            part = _subpart(line)
            if part is not None:
                n, title, rest = part
                head = f"{official.paren_ordinal(n)}{title}。"
                if not rest:
                    pending_head = head
                    continue
                line = head + rest
        if pending_head is not None:
            line = pending_head + line
            pending_head = None
        item = bool(out) and _ITEM.match(line) is not None and out[-1].endswith(("：", "；", "，"))
        # No control character reaches a document.
        line = _repair_urls(fullwidth_punctuation(writable(line)), urls)
        if item:
            out[-1] += line
        else:
            out.append(line)
    if pending_head is not None:
        out.append(pending_head)
    return Cleaned(out, removed)


def _strip_heading_prefix(line: str, keys: set[str], removed: list[str]) -> str:
    """A line that is the section's heading goes; a line that opens on it loses the heading
    (``（二）改进措施：2025年，我局将……``)."""
    if _key(line) in keys:
        removed.append(line)
        return ""
    m = re.match(r"^(.{2,30}?)[：:。]\s*", line)
    if m is not None and _key(m.group(1)) in keys:
        removed.append(m.group(1))
        return line[m.end() :].strip()
    return line


def _repair_urls(line: str, urls: Iterable[str]) -> str:
    """A URL of the data written with full-width marks or spaces inside it, written back whole."""
    for url in urls:
        if not url or url in line:
            continue
        pattern = re.compile(r"[\s　]*".join(_loose(ch) for ch in url))
        line = pattern.sub(url.replace("\\", "\\\\"), line)
    return line


_LOOSE: Final = {
    ":": "[:：]",
    ".": "[.。．]",
    "/": "[/／]",
    "-": "[-－]",
    "_": "[_＿]",
    "?": "[?？]",
    "=": "[=＝]",
    "&": "[&＆]",
}


def _loose(ch: str) -> str:
    return _LOOSE.get(ch, re.escape(ch))


def clean(text: str, section: str, urls: Iterable[str] = ()) -> list[str]:
    return clean_answer(text, section, urls).paragraphs
