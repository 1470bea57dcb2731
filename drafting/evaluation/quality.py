"""Cheap, deterministic quality figures of a draft's narrative, beside what the judges say.

Chinese has no spaces between words, so everything here counts characters: characters per section
(as ``length`` counts them); repetition as the share of characters that sit inside a run of
``NGRAM`` characters occurring more than once in the draft (punctuation and spaces left out, so
「，」 does not break a repeat; runs never cross paragraphs); overlap with the author's facts as the
share of the facts' ``PIECE``-character pieces the draft contains, and overlap with the offline
draft as the share of the draft's pieces the offline text contains (1.0 for the offline rules
themselves); and slogan density, the stock phrases of a list the suite names (``slogans:``, one a
line) per 1000 characters. Pure functions of the stored draft and the case's data, so ``--rescore``
computes them again without a model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .. import official, offline
from ..data.model import ReportData
from ..files import read_text

NGRAM = 10  # measured on the suite's offline drafts: 10 leaves their stock wording at ~0-6 %
PIECE = 4
TOP = 5  # repeated phrases kept per draft
# Left out before counting pieces: whitespace and every punctuation mark a draft uses.
_NOT_TEXT = re.compile(
    r"[\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65“”‘’…—·.,;:!?()\[\]<>\"'\-]"
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Repeated(_Strict):
    text: str
    count: int


class Quality(_Strict):
    """The figures of one draft's narrative."""

    chars: dict[str, int] = Field(default_factory=dict)  # section id → characters
    total: int = 0
    repeated_rate: float = 0.0  # share of characters inside a repeated NGRAM-character run
    repeated: list[Repeated] = Field(default_factory=list)  # the longest-reaching repeats, at most TOP
    facts_coverage: float | None = None  # None: the author gave no facts
    offline_overlap: float | None = None
    slogans: dict[str, int] = Field(default_factory=dict)  # phrase → times it occurs
    slogan_density: float | None = None  # per 1000 characters; None without a list


def plain(text: str) -> str:
    return _NOT_TEXT.sub("", text)


def pieces(texts: Iterable[str], n: int = PIECE) -> set[str]:
    out: set[str] = set()
    for text in texts:
        s = plain(text)
        out.update(s[i : i + n] for i in range(len(s) - n + 1))
    return out


def repetition(paragraphs: Sequence[str], n: int = NGRAM) -> tuple[float, list[Repeated]]:
    """The share of characters inside a run of ``n`` that occurs twice or more, and the repeated
    stretches themselves (maximal runs, most characters first)."""
    texts = [plain(p) for p in paragraphs]
    counts = Counter(t[i : i + n] for t in texts for i in range(len(t) - n + 1))
    covered = total = 0
    runs: list[str] = []
    for t in texts:
        marked = [False] * len(t)
        for i in range(len(t) - n + 1):
            if counts[t[i : i + n]] > 1:
                marked[i : i + n] = [True] * n
        covered += sum(marked)
        total += len(t)
        start = None
        for i, m in enumerate([*marked, False]):
            if m and start is None:
                start = i
            elif not m and start is not None:
                runs.append(t[start:i])
                start = None
    whole = "\n".join(texts)
    found = {run: whole.count(run) for run in dict.fromkeys(runs)}
    repeated = [Repeated(text=r, count=c) for r, c in found.items() if c > 1]
    repeated.sort(key=lambda r: (-len(r.text) * r.count, r.text))
    return (covered / total if total else 0.0), repeated[:TOP]


def _facts(data: ReportData) -> list[str]:
    return [fact for topic in official.FACT_LABELS for fact in data.facts.get(topic) or []]


def measure(sections: dict[str, list[str]], data: ReportData, slogans: Sequence[str] | None) -> Quality:
    """The figures of a draft's narrative (``sections``: id → paragraphs) written from ``data``."""
    paragraphs = [p for paras in sections.values() for p in paras]
    chars = {sid: sum(len(p) for p in paras) for sid, paras in sections.items()}
    total = sum(chars.values())
    rate, repeated = repetition(paragraphs)
    mine = pieces(paragraphs)
    facts = pieces(_facts(data))
    reference = pieces(p for sid in sections for p in offline.write_section(sid, data))
    found: dict[str, int] = {}
    if slogans is not None:
        text = "\n".join(paragraphs)
        found = {s: n for s in slogans if (n := text.count(s))}
    return Quality(
        chars=chars,
        total=total,
        repeated_rate=round(rate, 4),
        repeated=repeated,
        facts_coverage=round(len(facts & mine) / len(facts), 4) if facts else None,
        offline_overlap=round(len(mine & reference) / len(mine), 4) if mine else None,
        slogans=found,
        slogan_density=round(sum(found.values()) * 1000 / total, 3)
        if slogans is not None and total
        else None,
    )


def load_slogans(path: Path) -> list[str]:
    """A list of stock phrases: one a line; blank lines and ``#`` comments skipped."""
    out = []
    for line in read_text(path, "套话清单").splitlines():
        phrase = line.split("#", 1)[0].strip()
        if phrase:
            out.append(phrase)
    return list(dict.fromkeys(out))


# --- per prompt version × model ----------------------------------------------------------------------


@dataclass(frozen=True)
class QualityCell:
    """The means of one prompt version × model's drafts (figures without a value left out)."""

    prompt: str
    model: str
    drafts: int
    chars: dict[str, float]  # section id → mean characters
    total: float
    repeated_rate: float
    facts_coverage: float | None
    offline_overlap: float | None
    slogan_density: float | None


def _mean(values: Iterable[float | None]) -> float | None:
    given = [v for v in values if v is not None]
    return sum(given) / len(given) if given else None


def cell(prompt: str, model: str, figures: Sequence[Quality]) -> QualityCell:
    sections = [s for s in official.SECTION_IDS if any(s in q.chars for q in figures)]
    return QualityCell(
        prompt=prompt,
        model=model,
        drafts=len(figures),
        chars={s: _mean(q.chars.get(s) for q in figures) or 0.0 for s in sections},
        total=_mean(q.total for q in figures) or 0.0,
        repeated_rate=_mean(q.repeated_rate for q in figures) or 0.0,
        facts_coverage=_mean(q.facts_coverage for q in figures),
        offline_overlap=_mean(q.offline_overlap for q in figures),
        slogan_density=_mean(q.slogan_density for q in figures),
    )
