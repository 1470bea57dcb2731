"""Equivalent wordings, chosen per agency and year, and the official phrases every report may share.

Reviewers send back reports whose wording is the same as another agency's or as last year's (内容雷同,
named in the 2021 format notice's 明确责任 clause). The offline writer therefore offers several
equivalent phrasings for each sentence and picks one with a **stable** hash of the agency's name, the
year and the sentence's slot: the same data always gives the same draft (tests, re-drafting keeps
edits), while two agencies, or one agency two years apart, get different wordings. Python's
``hash()`` is salted per process, so it would change the draft at every run: ``hashlib`` it is.

``OFFICIAL_PHRASES`` is the one list of wording any two reports may share word for word, each with
why it is official; ``bench/bench_prose.py`` and the tests of the offline writer leave exactly these
out when they look for sentences two drafts share.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Final, TypeVar

from . import official

T = TypeVar("T")


class Chooser:
    """Picks one of several equivalent wordings per slot, the same every time for one agency and
    year. Each slot is hashed on its own, so the choices of two slots are independent."""

    def __init__(self, agency: str, year: int) -> None:
        self.seed = f"{agency}\x1f{year}"

    def index(self, slot: str, n: int) -> int:
        digest = hashlib.sha256(f"{self.seed}\x1f{slot}".encode()).digest()
        return int.from_bytes(digest[:8], "big") % n

    def pick(self, slot: str, options: Sequence[T]) -> T:
        return options[self.index(slot, len(options))]

    def order(self, slot: str, options: Sequence[T]) -> list[T]:
        """The options in an order of their own (a permutation chosen the same way)."""
        rest = list(options)
        out = []
        n = 0
        while rest:
            out.append(rest.pop(self.index(f"{slot}#{n}", len(rest))))
            n += 1
        return out


# --- the official phrases -------------------------------------------------------------------------

_Y = r"\d{4}"
# (pattern, why any two reports may share it). Patterns are regular expressions over a sentence;
# years and counts are \d+ so one entry covers every year.
OFFICIAL_PHRASES: Final[tuple[tuple[str, str], ...]] = (
    (
        re.escape(official.REGULATION),
        "the regulation's exact title, the report's legal basis (条例第五十条)",
    ),
    (
        re.escape("《中华人民共和国政府信息公开工作年度报告格式》")
        + r"（"
        + re.escape(official.FORMAT_NOTICE)
        + r"）",
        "the format notice's exact title and number, cited in the preamble",
    ),
    (
        "由"
        + "、".join(
            re.escape(p.heading.split("、", 1)[1]).replace("复议、行政", "复议(?:和|、)行政")
            for p in official.PARTS
        )
        + r"[一二三四五六七八九十]+个部分组成",
        "the six parts of the format by their official headings; N6 checks the preamble lists them exactly",
    ),
    (
        rf"本报告所列数据的统计期限自{_Y}年1月1日起至{_Y}年12月31日止",
        "the statistical period as the format's preamble states it (FORMAT.md §1)",
    ),
    (
        r"坚持以公开为常态、不公开为例外",
        "the regulation's own principle (条例第五条)",
    ),
    (
        r"切实保障人民群众的知情权、参与权、监督权|保障人民群众知情权、参与权、监督权",
        "the regulation's stated purpose (条例第一条), the genre's stock phrase",
    ),
    (
        r"发出政府信息公开收费通知\d+件，未收取信息处理费",
        "the 信息处理费 statement F1 asks for, in the reference report's words",
    ),
    (
        re.escape("《政府信息公开信息处理费管理办法》") + r"（" + re.escape(official.FEE_NOTICE) + r"）",
        "the fee rules' exact title and number (国办函〔2020〕109号)",
    ),
    (
        r"无其他需要报告的事项",
        "the usual wording of an empty 六 (FORMAT.md §8)",
    ),
    (
        r"本年处理决定数量|本年收费金额|现行有效件数|本年制发件数|本年废止件数",
        "表二's column labels, quoted so the figure's meaning is exact",
    ),
)

_OFFICIAL = re.compile("|".join(f"(?:{p})" for p, _ in OFFICIAL_PHRASES))
_MARKER = re.compile(r"【待补充：[^】]*】")
_SENTENCE_END = re.compile(r"(?<=[。！？])|\n")


def own_words(sentence: str) -> str:
    """A sentence without the official phrases it contains: what two drafts must not share."""
    return _OFFICIAL.sub("", sentence)


def sentences(text: str) -> list[str]:
    """The sentences of a narrative text, without 【待补充：…】 markers (notes to
    the author, never published)."""
    out = []
    for piece in _SENTENCE_END.split(_MARKER.sub("", text)):
        piece = piece.strip()
        if piece:
            out.append(piece)
    return out
