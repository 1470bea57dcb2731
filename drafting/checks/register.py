"""Register: what a published report must not show — leftover placeholders, Markdown marks,
half-width punctuation in Chinese sentences, broken 一是…二是… sequences, ``(1)``/``一)`` numbering."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from ..errors import Severity
from ..figures import chinese_number
from ..reading.model import Paragraph
from .finding import Finding
from .registry import Context, check
from .text import snippet

_PLACEHOLDER = re.compile(
    r"【[^】]{0,40}待[补填][^】]*】|【待补充|X{2,}|Ｘ{2,}|×{2,}|○{2,}|＊{2,}|某某|\{\{[^}]*\}\}"
)


@check("placeholders", "register", {"R1": "没有遗留的【待补充】、XXX 等占位内容"}, scope="narrative")
def placeholders(ctx: Context) -> Iterator[Finding]:
    m0 = _PLACEHOLDER.search(ctx.report.title)
    if m0:
        yield ctx.found(
            "R1",
            "warning",
            f"标题中有未替换的占位内容：“{ctx.report.title}”",
            "标题",
            evidence=m0.group(),
            place="title/placeholder",
        )
    for p in ctx.paragraphs():
        m = _PLACEHOLDER.search(p.text)
        if m:
            shown = m.group() if len(m.group()) <= 20 else m.group()[:16] + "…】"
            yield ctx.in_paragraph(
                p,
                "R1",
                "warning",
                f"还有待补充或未替换的内容“{shown}”：发布前请补写或删去",
                "placeholder",
                evidence=m.group(),
            )


@dataclass(frozen=True)
class _Mark:
    """A mark a published paragraph must not show, reported where it stands: quoted with ``width``
    characters either side (the evidence), in a message ``what（quote）：fix``."""

    rule: str
    severity: Severity
    kind: str  # the place detail of its fingerprint
    width: int
    fix: str

    def at(self, ctx: Context, p: Paragraph, span: tuple[int, int], what: str) -> Finding:
        quoted = snippet(p.text, *span, self.width)
        message = f"{what}（{quoted}）：{self.fix}"
        return ctx.in_paragraph(p, self.rule, self.severity, message, self.kind, evidence=quoted)


_MARKDOWN = re.compile(r"\*\*|__|`|^#{1,6}\s|^\s*[-*+]\s+\S|^\s*>\s|\[[^\]]+\]\([^)]*\)|^\s*\|.*\|\s*$")
_MARKDOWN_IN_MD = re.compile(r"\*\*|__|`")
_MARKDOWN_MARK: Final = _Mark("R2", "error", "markdown", 8, "请删去这些符号")


@check("markdown", "register", {"R2": "正文中没有 Markdown 排版符号"}, scope="narrative")
def markdown(ctx: Context) -> Iterator[Finding]:
    pattern = _MARKDOWN_IN_MD if ctx.report.kind == "md" else _MARKDOWN
    for p in ctx.paragraphs():
        m = pattern.search(p.text)
        if m:
            yield _MARKDOWN_MARK.at(ctx, p, m.span(), f"正文中有 Markdown 排版符号“{m.group().strip()}”")


_CJK = r"[\u4e00-\u9fff]"
_HALF_PUNCT = re.compile(rf"(?<={_CJK})[,;:?!]|[,;?!](?={_CJK})|(?<={_CJK})\.(?=\s|$|{_CJK})")
# Both linear in a long paragraph: a parenthesis is tried only when it closes (the lookahead), a
# mail address only where a run of its characters starts.
_HALF_PARENS = re.compile(rf"\((?=[^()]*\))[^()]*{_CJK}[^()]*\)")
_HALF_PUNCT_MARK: Final = _Mark("R3", "error", "punctuation", 8, "应改用全角标点（，；：？！。）")
_HALF_PARENS_MARK: Final = _Mark("R3", "warning", "parentheses", 6, "宜改用全角括号“（）”")
_URLISH = re.compile(r"https?://\S+|www\.\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@check("half_width", "register", {"R3": "中文句子使用全角标点和括号"}, scope="narrative")
def half_width(ctx: Context) -> Iterator[Finding]:
    for p in ctx.paragraphs():
        text = _URLISH.sub(lambda m: " " * len(m.group()), p.text)
        m = _HALF_PUNCT.search(text)
        if m:
            yield _HALF_PUNCT_MARK.at(ctx, p, m.span(), f"中文句子中用了半角标点“{m.group()}”")
        head = _LEADING_ORDINAL.match(text)
        body = text[head.end() :] if head else text
        shift = head.end() if head else 0
        m2 = _HALF_PARENS.search(body)
        if m2 and not _NUMERAL_PARENS.match(m2.group()):
            at = (shift + m2.start(), shift + m2.end())
            yield _HALF_PARENS_MARK.at(ctx, p, at, "中文句子中用了半角括号")


_ENUM = re.compile(r"(?<![统唯同第单逐之万不一二三四五六七八九十])([一二三四五六七八九十]{1,2})是(?![否非])")


_SUBPART = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]{1,2}[）)]|[一二三四五六七八九十]{1,2}、)")


@check("enumeration", "register", {"R4": "“一是、二是……”依次排列"}, scope="narrative")
def enumeration(ctx: Context) -> Iterator[Finding]:
    """A sequence is judged where it is read whole: from its 一是, within one paragraph (wrapped
    lines are joined before this runs); a list begun inside a paragraph must begin at 一是. A
    paragraph that opens on ``N是`` carries on the sequence of the paragraphs before it in the same
    sub-part (a conversion or a page often breaks a list there); when that sequence was not seen to
    start, the paragraph is not judged until its own 一是 — a sequence read in part is never called
    broken."""
    expected: int | None = None  # the next number of the sequence running; None: none anchored
    part: str | None = None
    for p in ctx.paragraphs():
        if p.part != part or _SUBPART.match(p.text):
            expected, part = None, p.part
        first = True
        for m in _ENUM.finditer(p.text):
            n = chinese_number(m.group(1))
            if n is None:
                continue
            if n == 1:
                expected, first = 2, False
                continue
            if first:
                opens = not p.text[: m.start()].strip()
                if not opens:
                    expected = 1  # a list begun inside this paragraph: it should begin at 一是
                elif expected != n:
                    expected = None  # a paragraph opening on N是 whose list began out of sight
            first = False
            if expected is None:
                continue
            if n != expected:
                want = "一二三四五六七八九十"[expected - 1] if expected <= 10 else str(expected)
                quoted = snippet(p.text, m.start(), m.end(), 8)
                yield ctx.in_paragraph(
                    p,
                    "R4",
                    "error",
                    f"列举顺序有误：“{quoted}”处应为“{want}是”（一是、二是、三是……依次排列）",
                    "enumeration",
                    evidence=quoted,
                )
                expected = None
                break
            expected = n + 1


_LEADING_ORDINAL = re.compile(r"^\s*\([一二三四五六七八九十]{1,2}\)\s*")
_NUMERAL_PARENS = re.compile(r"^\((?:\d{1,2}|[一二三四五六七八九十]{1,2})\)$")
_BAD_NUMBERING_AT = re.compile(
    r"(?:^|(?<=[。；：:，\s]))(\(\d{1,2}\)|\d{1,2}\)|[一二三四五六七八九十]{1,2}\)|\d{1,2}）)"
)
_NUMBERING_MARK: Final = _Mark("R5", "error", "numbering", 6, "层级序号应写作“一、”“（一）”“1.”“（1）”")


@check(
    "numbering",
    "register",
    {"R5": "层级序号写作“一、”“（一）”“1.”“（1）”，不写 (1)、一) 等"},
    scope="narrative",
)
def numbering(ctx: Context) -> Iterator[Finding]:
    for p in ctx.paragraphs():
        m = _BAD_NUMBERING_AT.search(p.text)
        if m:
            yield _NUMBERING_MARK.at(ctx, p, m.span(1), f"序号“{m.group(1)}”不规范")
            continue
        head = _LEADING_ORDINAL.match(p.text)
        if head:
            yield ctx.in_paragraph(
                p,
                "R5",
                "warning",
                f"序号“{head.group().strip()}”用了半角括号：应写作全角的“（{head.group().strip()[1:-1]}）”",
                "numbering",
                evidence=head.group().strip(),
            )
