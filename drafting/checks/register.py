"""Register: what a published report must not show — leftover placeholders, Markdown marks,
half-width punctuation in Chinese sentences, broken 一是…二是… sequences, ``(1)``/``一)`` numbering."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..figures import chinese_number
from .registry import Context, Finding, check
from .text import snippet

_PLACEHOLDER = re.compile(
    r"【[^】]{0,40}待[补填][^】]*】|【待补充|X{2,}|Ｘ{2,}|×{2,}|○{2,}|＊{2,}|某某|\{\{[^}]*\}\}"
)


@check("placeholders", "register", scope="narrative")
def placeholders(ctx: Context) -> Iterator[Finding]:
    if _PLACEHOLDER.search(ctx.report.title):
        yield Finding("R1", "register", "warning", f"标题中有未替换的占位内容：“{ctx.report.title}”", "标题")
    for p in ctx.paragraphs():
        m = _PLACEHOLDER.search(p.text)
        if m:
            shown = m.group() if len(m.group()) <= 20 else m.group()[:16] + "…】"
            yield Finding(
                "R1",
                "register",
                "warning",
                f"还有待补充或未替换的内容“{shown}”：发布前请补写或删去",
                p.where(),
            )


_MARKDOWN = re.compile(r"\*\*|__|`|^#{1,6}\s|^\s*[-*+]\s+\S|^\s*>\s|\[[^\]]+\]\([^)]*\)|^\s*\|.*\|\s*$")
_MARKDOWN_IN_MD = re.compile(r"\*\*|__|`")


@check("markdown", "register", scope="narrative")
def markdown(ctx: Context) -> Iterator[Finding]:
    pattern = _MARKDOWN_IN_MD if ctx.report.kind == "md" else _MARKDOWN
    for p in ctx.paragraphs():
        m = pattern.search(p.text)
        if m:
            yield Finding(
                "R2",
                "register",
                "error",
                f"正文中有 Markdown 排版符号“{m.group().strip()}”（{snippet(p.text, m.start(), m.end(), 8)}）：请删去这些符号",
                p.where(),
            )


_CJK = r"[\u4e00-\u9fff]"
_HALF_PUNCT = re.compile(rf"(?<={_CJK})[,;:?!]|[,;?!](?={_CJK})|(?<={_CJK})\.(?=\s|$|{_CJK})")
_HALF_PARENS = re.compile(rf"\([^()]*{_CJK}[^()]*\)")
_URLISH = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@check("half_width", "register", scope="narrative")
def half_width(ctx: Context) -> Iterator[Finding]:
    for p in ctx.paragraphs():
        text = _URLISH.sub(lambda m: " " * len(m.group()), p.text)
        m = _HALF_PUNCT.search(text)
        if m:
            yield Finding(
                "R3",
                "register",
                "error",
                f"中文句子中用了半角标点“{m.group()}”（{snippet(p.text, m.start(), m.end(), 8)}）：应改用全角标点（，；：？！。）",
                p.where(),
            )
        head = _LEADING_ORDINAL.match(text)
        body = text[head.end() :] if head else text
        shift = head.end() if head else 0
        m2 = _HALF_PARENS.search(body)
        if m2 and not _NUMERAL_PARENS.match(m2.group()):
            yield Finding(
                "R3",
                "register",
                "warning",
                f"中文句子中用了半角括号（{snippet(p.text, shift + m2.start(), shift + m2.end(), 6)}）：宜改用全角括号“（）”",
                p.where(),
            )


_ENUM = re.compile(r"(?<![统唯同第单逐之万不一二三四五六七八九十])([一二三四五六七八九十]{1,2})是(?![否非])")


@check("enumeration", "register", scope="narrative")
def enumeration(ctx: Context) -> Iterator[Finding]:
    for p in ctx.paragraphs():
        expected = 1
        for m in _ENUM.finditer(p.text):
            n = chinese_number(m.group(1))
            if n is None:
                continue
            if n == 1:
                expected = 2
                continue
            if n != expected:
                want = "一二三四五六七八九十"[expected - 1] if expected <= 10 else str(expected)
                yield Finding(
                    "R4",
                    "register",
                    "error",
                    f"列举顺序有误：“{snippet(p.text, m.start(), m.end(), 8)}”处应为“{want}是”（一是、二是、三是……依次排列）",
                    p.where(),
                )
                break
            expected = n + 1


_LEADING_ORDINAL = re.compile(r"^\s*\([一二三四五六七八九十]{1,2}\)\s*")
_NUMERAL_PARENS = re.compile(r"^\((?:\d{1,2}|[一二三四五六七八九十]{1,2})\)$")
_BAD_NUMBERING_AT = re.compile(
    r"(?:^|(?<=[。；：:，\s]))(\(\d{1,2}\)|\d{1,2}\)|[一二三四五六七八九十]{1,2}\)|\d{1,2}）)"
)


@check("numbering", "register", scope="narrative")
def numbering(ctx: Context) -> Iterator[Finding]:
    for p in ctx.paragraphs():
        m = _BAD_NUMBERING_AT.search(p.text)
        if m:
            yield Finding(
                "R5",
                "register",
                "error",
                f"序号“{m.group(1)}”不规范（{snippet(p.text, m.start(1), m.end(1), 6)}）：层级序号应写作“一、”“（一）”“1.”“（1）”",
                p.where(),
            )
            continue
        head = _LEADING_ORDINAL.match(p.text)
        if head:
            yield Finding(
                "R5",
                "register",
                "warning",
                f"序号“{head.group().strip()}”用了半角括号：应写作全角的“（{head.group().strip()[1:-1]}）”",
                p.where(),
            )
