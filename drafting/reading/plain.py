"""Plain text as reviewers receive it, made into the lines a report was written in.

Page text comes in shapes no writer intended: a web archive's crawler puts a metadata header
(``标题: …``, ``发布时间: …``, ``原文链接: …`` and a ``==== 正文 ====`` line) above the report; text copied
or crawled from a page may lose every line break, so the whole report is one line; a ``.txt`` file may
really be a Markdown conversion. Each is recognised by its shape, never by where it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final

from .. import official

# --- a crawler's metadata header -------------------------------------------------------------

_KEY_VALUE: Final = re.compile(r"^([\u4e00-\u9fffA-Za-z]{1,8})\s*[:：]\s*(.*)$")
_SEPARATOR: Final = re.compile(r"^[=\-—_*#~]{3,}$|^[=\-—_*#~\s]*(?:正文|全文)[=\-—_*#~\s]*$")
_TITLE_KEYS: Final = ("标题", "题目", "名称", "文章标题", "title", "Title")
_HEADER_LIMIT: Final = 30  # a header is at the very top: never look further down


@dataclass(frozen=True)
class Header:
    lines: int  # how many lines at the top are the header (0: none)
    title: str  # its 标题 value, a hint for the report's title


def metadata_header(lines: list[str]) -> Header:
    """Lines of ``key: value`` at the top of a text, closed by a separator line (``==== 正文 ====``,
    ``正文``, a rule) or three of them opening the text, are an archive's record of the page, not the
    report. A separator on the first line is a header with nothing in it."""
    pairs: dict[str, str] = {}
    last = 0  # the line after the last pair
    for n, line in enumerate(lines[:_HEADER_LIMIT]):
        text = line.strip()
        if not text:
            continue
        if _SEPARATOR.match(text):
            if len(pairs) >= 2 or not any(x.strip() for x in lines[:n]):
                return Header(n + 1, _title_of(pairs))
            break
        m = _KEY_VALUE.match(text)
        if m and "。" not in text:
            pairs.setdefault(m.group(1), m.group(2).strip())
            last = n + 1
            continue
        if len(pairs) >= 3 and "。" not in text and len(text) <= 60:
            continue  # a note among the pairs (页面链接与图片详见 …) before the separator
        break
    return Header(last, _title_of(pairs)) if len(pairs) >= 3 else Header(0, "")


def _title_of(pairs: dict[str, str]) -> str:
    return next((pairs[k] for k in _TITLE_KEYS if pairs.get(k)), "")


# --- Markdown in a .txt ----------------------------------------------------------------------

_ATX: Final = re.compile(r"^#{1,6}\s+\S")
_PIPE_RULE: Final = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?$")


def looks_like_markdown(lines: list[str]) -> bool:
    """Two ATX headings, or a pipe table with its ``|---|`` rule: a Markdown conversion, whatever the
    file is called."""
    headings = sum(1 for line in lines if _ATX.match(line.strip()))
    rules = sum(1 for line in lines if _PIPE_RULE.match(line.strip()))
    return headings >= 2 or rules >= 1


# --- text whose line breaks were lost --------------------------------------------------------

_RUN_ON: Final = 400  # characters: a line this long holding two part headings lost its line breaks
_LOOSE: Final = {"、": "[、和与及]", "和": "[和与及、]", "及": "[及和与]", "与": "[与和及]"}


def _loose(core: str) -> str:
    """A heading's words with the joining characters reports swap (``复议、诉讼`` / ``复议和诉讼``)."""
    return "".join(_LOOSE.get(ch, re.escape(ch)) for ch in core)


@cache
def _part_heading() -> re.Pattern[str]:
    texts = [p.heading for p in official.PARTS]
    texts += list(official.HEADING_VARIANTS) + list(official.HEADING_VARIANTS_MORE)
    cores = sorted({t.split("、", 1)[1] for t in texts}, key=len, reverse=True)
    return re.compile(r"[一二三四五六七八九十]、\s*(?:" + "|".join(_loose(c) for c in cores) + ")")


_TITLE_AT_START: Final = re.compile(r"^\s*(.{2,60}?政府信息公开(?:工作)?(?:年度)?(?:报告|年报))")
_SUBHEADING: Final = re.compile(r"(?<!第)（[一二三四五六七八九十]{1,2}）")
_TABLE_START: Final = re.compile(r"第二十条第（|（本列数据的勾稽关系")
_TRAILING_DIGITS: Final = re.compile(r"(?<=[\u4e00-\u9fff）])([\d\s]{3,})$")


def run_on(line: str) -> bool:
    return len(line) >= _RUN_ON and len(_part_heading().findall(line)) >= 2


def segment(line: str) -> list[str]:
    """A report that lost its line breaks, cut where its lines must have been: after the title,
    around each numbered part heading, before each ``（一）`` sub-heading (not ``第（一）项``) and
    before each table's first label; a header band followed by its digits (表四) is cut from them."""
    cuts = {0, len(line)}
    m = _TITLE_AT_START.match(line)
    if m:
        cuts.add(m.end())
    for m in _part_heading().finditer(line):
        cuts.update((m.start(), m.end()))
    for pattern in (_SUBHEADING, _TABLE_START):
        cuts.update(m.start() for m in pattern.finditer(line))
    pieces = [line[a:b].strip() for a, b in zip(sorted(cuts), sorted(cuts)[1:], strict=False)]
    out: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        tail = _TRAILING_DIGITS.search(piece) if "。" not in piece else None
        if tail is not None and any(ch.isdigit() for ch in tail.group(1)):
            out += [piece[: tail.start()].strip(), tail.group(1).strip()]
        else:
            out.append(piece)
    return out
