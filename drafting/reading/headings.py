"""Recognising the six part headings and the title, with the variants and slips real reports show."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from .. import official
from .labels import find_labels
from .normalize import CN_NUMERALS, closest, norm

_NUMERAL_OF: Final = {p.id: p.heading.split("、", 1)[0] for p in official.PARTS}
_CORES: Final = [(p.id, norm(p.heading.split("、", 1)[1])) for p in official.PARTS] + [
    (part, norm(text.split("、", 1)[1]))
    for text, part in {**official.HEADING_VARIANTS, **official.HEADING_VARIANTS_MORE}.items()
]
_EXACT: Final = {norm(p.heading): p.id for p in official.PARTS}
_VARIANT: Final = {
    norm(text): part for text, part in {**official.HEADING_VARIANTS, **official.HEADING_VARIANTS_MORE}.items()
}
_SPLIT: Final = re.compile(rf"^([{CN_NUMERALS}]{{1,2}})?\s*([、.]?)(.*)$")
_HINTS: Final = (
    "总体情况",
    "主动公开",
    "申请情况",
    "复议",
    "诉讼",
    "问题",
    "改进",
    "其他需要报告",
    "其他事项",
)


@dataclass(frozen=True)
class HeadingMatch:
    part: str
    kind: str  # official / variant / typo / no_numeral / wrong_numeral
    numeral: str


def match_heading(text: str) -> HeadingMatch | None:
    t = norm(text).rstrip("：")
    if not 4 <= len(t) <= 45 or "。" in t or "，" in t:
        return None
    if t in _EXACT:
        return HeadingMatch(_EXACT[t], "official", _NUMERAL_OF[_EXACT[t]])
    if t in _VARIANT:
        return HeadingMatch(_VARIANT[t], "variant", _NUMERAL_OF[_VARIANT[t]])
    m = _SPLIT.match(t)
    if m is None:
        return None
    numeral, sep, rest = m.group(1) or "", m.group(2), m.group(3)
    if not numeral and not sep and not any(h in rest for h in _HINTS):
        return None
    if numeral and not sep:
        return None  # 一是…, 三安全… : not a heading
    if not any(h in rest for h in _HINTS) and not numeral:
        return None
    if any(label.kind in ("row", "results", "group") for _, _, label in find_labels("table3", t)):
        return None
    found, best = closest(rest, _CORES)
    if found is None or best < 0.75:
        return None
    best_part = found
    if not numeral:
        # ``、主动公开政府信息情况`` (a numeral lost in rendering) or the bare official words.
        return HeadingMatch(best_part, "no_numeral", "") if sep or best == 1.0 else None
    if numeral != _NUMERAL_OF[best_part]:
        if best == 1.0:
            return HeadingMatch(best_part, "wrong_numeral", numeral)
        return None if best < 0.85 else HeadingMatch(best_part, "wrong_numeral", numeral)
    if best == 1.0:
        return HeadingMatch(best_part, "variant", numeral)
    return HeadingMatch(best_part, "typo", numeral)


_TITLE_NOISE: Final = (">", "》", "当前位置", "首页", "您的位置", "发布时间", "来源")


_TITLE_WORDS: Final = re.compile(r"政府信息公开.{0,10}?(?:报告|年报)")


def looks_like_title(text: str) -> bool:
    """``…政府信息公开工作年度报告`` and its variants (``…年报``, ``…工作2023年度报告``, ``…工作的报告``):
    the report words follow 政府信息公开 closely, unlike a portal's menu that lists 政府信息公开 and,
    further on, 政府工作报告."""
    t = norm(text)
    if not t or len(t) > 90 or "。" in t or any(n in text for n in _TITLE_NOISE):
        return False
    return _TITLE_WORDS.search(t) is not None
