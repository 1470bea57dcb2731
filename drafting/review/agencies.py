"""Who published a report, as a reviewer sorts them: the agency's level (市/县/部门/乡镇), its region,
and one key per agency so that its two years are paired whatever spaces or brackets a title has.

Read from the agency's own name when the manifest does not say: a 人民政府 is a government of the
level its name ends on (市 → 市, 县/区/旗 → 县, 镇/乡/街道 → 乡镇); a 局, 委, 办, 厅, 中心 … is a 部门.
A name that fits none is left without a level (shown as 未知): never guessed.
"""

from __future__ import annotations

import re
from typing import Final

LEVELS: Final = ("市", "县", "部门", "乡镇")
UNKNOWN_LEVEL: Final = ""

_GOVERNMENT = re.compile(r"(?:人民政府|政府)$")
_TOWNSHIP = re.compile(r"(?:镇|乡|街道|街道办事处|苏木)(?:人民政府|政府)?$|街道办事处$")
# The endings of an agency that is a department of a government.
_DEPARTMENT = re.compile(
    r"(?:局|委员会|委|办公室|办|厅|署|中心|院|所|站|队|处|总队|支队|大队|馆|会|公司|集团|部|室|分局)$"
)
# An administrative division: 省/自治区/市/州/盟/地区/县/区/旗 after a name of 1–9 characters.
_DIVISION = re.compile(r"[\u4e00-\u9fff]{1,9}?(?:自治区|自治州|自治县|地区|省|市|州|盟|县|区|旗)")
_DIVISION_CHARS = "省市州盟县区旗"


def level_of(agency: str) -> str:
    """市, 县, 部门 or 乡镇 from the agency's name; "" when the name does not tell."""
    name = compact(agency)
    if not name:
        return UNKNOWN_LEVEL
    if _TOWNSHIP.search(name):
        return "乡镇"
    if _GOVERNMENT.search(name):
        before = _GOVERNMENT.sub("", name)
        if before.endswith(("市", "州", "盟", "地区")):
            return "市"
        if before.endswith(("县", "区", "旗")):
            return "县"
        return UNKNOWN_LEVEL
    if "人民政府办公室" in name or "政府办公室" in name or _DEPARTMENT.search(name):
        return "部门"
    return UNKNOWN_LEVEL


def region_of(agency: str) -> str:
    """The administrative divisions the name opens with (``苏州市吴中区教育局`` → ``苏州市吴中区``;
    ``昌图县七家子镇人民政府`` → ``昌图县``); "" when it opens with none."""
    name = compact(agency)
    region = ""
    rest = name
    while True:
        end = _division_end(rest)
        if end is None:
            break
        division, tail = rest[:end], rest[end:]
        # A division followed only by 人民政府 is the agency itself, and still its region.
        region += division
        rest = tail
        if not rest or _GOVERNMENT.fullmatch(rest):
            break
    return region


def _division_end(text: str) -> int | None:
    """Where the division ``text`` opens with ends: ``苏州市…`` after 市, not after 州."""
    m = _DIVISION.match(text)
    if m is None:
        return None
    end = m.end()
    while end < len(text) and text[end] in _DIVISION_CHARS:
        end += 1
    return end


_NOISE = re.compile(r"[\s\u3000·•]+")


def compact(agency: str) -> str:
    """The name with spaces removed and brackets made full-width."""
    return _NOISE.sub("", agency).replace("(", "（").replace(")", "）")


def agency_key(agency: str) -> str:
    """One key per agency for pairing its years: the compact name without bracketed notes."""
    return re.sub(r"（[^）]*）", "", compact(agency))
