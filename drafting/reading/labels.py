"""The vocabulary of the three tables, in matching form, built from ``drafting.official``.

Every label a reader recognises is an official label (or a 2019-format one) after ``norm``: nothing
here re-spells a label. Short or ambiguous labels (``3.其他`` and ``（七）总计``, which read like the
column headers ``其他`` and ``总计``) keep their numbering in the key; long ones are matched on their
core, and their parenthetical note (``（区分处理的，…）``) is optional.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

from .. import official
from .normalize import closest, norm, strip_numbering

LabelKind = Literal["row", "group", "results", "table2_row", "header"]


@dataclass(frozen=True)
class Label:
    table: str  # table2 / table3 / table4
    kind: LabelKind
    id: str  # table3 row path, table3 group key, table2 row key; "" for headers
    official: str  # the official label, as drafting.official spells it
    key: str  # what is searched for in normalised text
    version: str = "2021"  # "2019" for labels only the 2019 format has
    full: str = ""  # the whole official label, normalised

    def __post_init__(self) -> None:
        object.__setattr__(self, "full", norm(self.official))


_AMBIGUOUS_CORES: Final = {"总计", "其他"}


def _key(label: str) -> str:
    core = norm(strip_numbering(norm(label)))
    if core in _AMBIGUOUS_CORES:
        return norm(label)
    return core.split("（", 1)[0] if not core.startswith("（") else core


def _table3_labels() -> list[Label]:
    out = [Label("table3", "row", r.path, r.label, _key(r.label)) for r in official.TABLE3_ROWS]
    out += [Label("table3", "group", g, label, _key(label)) for g, label in official.TABLE3_GROUPS.items()]
    out.append(
        Label(
            "table3",
            "results",
            "",
            official.TABLE3_RESULTS_HEADING,
            _key(official.TABLE3_RESULTS_HEADING),
        )
    )
    return out


def _table2_labels() -> list[Label]:
    out = []
    for version, groups in (("2021", official.TABLE2_GROUPS), ("2019", official.TABLE2_2019_GROUPS)):
        for group in groups:
            for key, label in group.rows:
                out.append(Label("table2", "table2_row", key, label, _key(label), version))
    # 规章 and the 2021 rows are shared by both formats: keep one label per key text.
    seen: dict[str, Label] = {}
    for lab in out:
        seen.setdefault(lab.key, lab)
    return list(seen.values())


TABLE3_LABELS: Final = _table3_labels()
TABLE2_LABELS: Final = _table2_labels()
TABLE3_ROW_LABELS: Final = {lab.id: lab for lab in TABLE3_LABELS if lab.kind == "row"}

# Header words of each table: recognised, never data, never the end of a row.
_HEADER_WORDS: Final = {
    "table3": [
        official.TABLE3_APPLICANTS,
        official.TABLE3_LEGAL_PERSONS,
        official.TOTAL_LABEL,
        *(label for _, label in official.TABLE3_COLUMNS),
    ],
    "table2": [
        official.TABLE2_INFO_HEADER,
        *(g.heading for g in official.TABLE2_GROUPS + official.TABLE2_2019_GROUPS),
        *(label for g in official.TABLE2_GROUPS + official.TABLE2_2019_GROUPS for _, label in g.columns),
    ],
    "table4": [
        official.TABLE4_REVIEW,
        official.TABLE4_LITIGATION,
        official.TOTAL_LABEL,
        *(label for _, label in official.TABLE4_BLOCKS),
        *(label for _, label in official.TABLE4_COLUMNS),
    ],
}
HEADER_KEYS: Final = {table: frozenset(norm(w) for w in words) for table, words in _HEADER_WORDS.items()}
ALL_HEADER_KEYS: Final = frozenset().union(*HEADER_KEYS.values())
TABLE2_2019_COLUMN_KEYS: Final = frozenset(
    norm(label) for g in official.TABLE2_2019_GROUPS for _, label in g.columns
) - frozenset(norm(label) for g in official.TABLE2_GROUPS for _, label in g.columns)
TABLE2_2021_COLUMN_KEYS: Final = frozenset(
    norm(label) for g in official.TABLE2_GROUPS for _, label in g.columns
)
CORNER_KEY: Final = "勾稽关系"

# Text that may sit among a table's cells without ending a row: units, markdown rules, bare
# ordinals, the corner note, 项目.
_FILLER: Final = re.compile(
    r"^(?:[-:—–|/]+|（?[一二三四五六七八九十]+[）、.]?|\d+[.]|元|万元|件|个|项目|单位[:：]?件?|"
    r"[（）]|合计|序号|说明|备注)$"
)


def is_filler(text: str) -> bool:
    return bool(_FILLER.match(text)) or CORNER_KEY in text


def _pattern(labels: list[Label]) -> re.Pattern[str]:
    keys = sorted({lab.key for lab in labels}, key=len, reverse=True)
    return re.compile("|".join(re.escape(k) for k in keys))


@cache
def _index(table: str) -> tuple[re.Pattern[str], dict[str, Label]]:
    labels = TABLE3_LABELS if table == "table3" else TABLE2_LABELS
    by_key: dict[str, Label] = {}
    for lab in labels:
        by_key.setdefault(lab.key, lab)
    return _pattern(labels), by_key


def find_labels(table: str, text: str) -> list[tuple[int, int, Label]]:
    """Every label of ``table`` in normalised ``text``, left to right, longest first."""
    pattern, by_key = _index(table)
    return [(m.start(), m.end(), by_key[m.group()]) for m in pattern.finditer(text)]


def fuzzy_label(table: str, text: str, cutoff: float = 0.75) -> Label | None:
    """A label written with a typo or truncated (``2.其他法律行政止公开``, ``现行有效件``)."""
    core = strip_numbering(text)
    if len(core) < 4:
        return None
    labels = TABLE3_LABELS if table == "table3" else TABLE2_LABELS
    best, _ = closest(core, ((lab, strip_numbering(lab.full)) for lab in labels), cutoff)
    return best


_MIN_PREFIX: Final = 6  # characters of a label's core a wrapped first line must hold


def prefix_label(table: str, text: str) -> Label | None:
    """The one row label whose words begin with ``text`` (after its numbering): the first line of a
    label a page wrapped (``1.申请人无正当理由逾期不补`` / ``正、行政机关…``). Not a typo, so no notice."""
    core = strip_numbering(text)
    if len(core) < _MIN_PREFIX:
        return None
    labels = TABLE3_LABELS if table == "table3" else TABLE2_LABELS
    found = {
        lab.id: lab
        for lab in labels
        if lab.kind in ("row", "table2_row") and strip_numbering(lab.full).startswith(core)
    }
    if len(found) != 1:
        return None
    lab = next(iter(found.values()))
    number = re.match(r"^(\d+)\.", text)
    if number and not lab.full.startswith(number.group(1) + "."):
        return None  # ``3.申请人…`` is not ``1.申请人…``
    return lab


def belongs_elsewhere(table: str, text: str) -> bool:
    """Text that is a label of another table: it ends a row at once, no fuzzy matching needed."""
    others = [t for t in ("table2", "table3") if t != table]
    if any(find_labels(t, text) for t in others):
        return True
    return any(is_header(t, text) for t in HEADER_KEYS if t != table) or any(
        k in text for k in HEADER_KEYS["table4"] if len(k) > 2
    )


def is_header(table: str, text: str) -> bool:
    """Column headers, possibly several run together (``行政复议/结果维持``)."""
    if not text:
        return True
    keys = HEADER_KEYS[table]
    if text in keys:
        return True
    rest = text
    for key in sorted(keys, key=len, reverse=True):
        rest = rest.replace(key, "")
    return len(rest.strip("/|-")) <= max(1, len(text) // 5)
