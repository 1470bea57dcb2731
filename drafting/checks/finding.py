"""A problem found: the one shape every front end shows, stores and decides on.

``Finding {rule, category, severity, message, location, evidence, cells, fingerprint}``:

- ``rule`` is an id of the catalogue (``registry.RULES``), ``category`` the rule's category there;
- ``message`` is Chinese — what is wrong and what to fix; ``location`` where, in the report's own terms;
- ``evidence`` is what the finding rests on: the words quoted from the report, or the figures compared;
- ``cells`` are the table cells it is about, by the ids of ``official`` (empty when it is about text);
- ``fingerprint`` names the finding across runs and file moves — rule, report identity (agency and
  year, never the path) and a structured place (the cells, or part and paragraph) — so that a
  reviewer's decision can be stored against it. Quoted text is left out: it changes when words
  around the problem do.

The checks, the model writer, revision, the eval records and ``drafting check --json`` all carry this
one type. Data-file problems (``errors.Issue``) keep their file positions and become findings through
``checks.data.issue_findings``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import Severity
from ..official import Cell

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "Category",
    "Cell",
    "Finding",
    "HoldsFinding",
    "fingerprint",
    "identity",
]

Category = Literal["structure", "table", "consistency", "year", "register", "data", "revision"]
CATEGORIES: tuple[Category, ...] = (
    "structure",
    "table",
    "consistency",
    "year",
    "register",
    "data",
    "revision",
)
CATEGORY_LABELS: dict[str, str] = {
    "structure": "结构",
    "table": "表格勾稽",
    "consistency": "正文与数据一致性",
    "year": "年份",
    "register": "文字规范",
    "data": "数据文件",
    "revision": "修订",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    category: Category
    severity: Severity
    message: str  # Chinese: what is wrong and what to fix
    location: str  # where, in the report's own terms
    evidence: str  # the words quoted, or the figures compared
    cells: tuple[Cell, ...] = ()
    fingerprint: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def render(self) -> str:
        """One line of plain text: ``错误［N1］（一、总体情况 第2段）正文“…”中的…``."""
        where = f"（{self.location}）" if self.location else ""
        return f"{'错误' if self.is_error else '提示'}［{self.rule}］{where}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape (``drafting check --json``, the eval records)."""
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "location": self.location,
            "evidence": self.evidence,
            "cells": [c.as_dict() for c in self.cells],
            "fingerprint": self.fingerprint,
        }


class HoldsFinding:
    """A record that holds a finding and adds to it (an eval record's place in the draft, a
    revision's mark of what is new) reads as the finding it holds: never a copy of its fields."""

    finding: Finding

    @property
    def rule(self) -> str:
        return self.finding.rule

    @property
    def category(self) -> Category:
        return self.finding.category

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    @property
    def message(self) -> str:
        return self.finding.message

    @property
    def location(self) -> str:
        return self.finding.location

    @property
    def is_error(self) -> bool:
        return self.finding.is_error

    def render(self) -> str:
        return self.finding.render()


_SPACE = re.compile(r"\s+")


def identity(agency: str, year: int | None) -> str:
    """A report as a reviewer names it — who and which year — whatever file it sits in."""
    return f"{_SPACE.sub('', agency)}|{year if year is not None else ''}"


def fingerprint(rule: str, report: str, place: str) -> str:
    """A short stable id for a finding: its rule, the report's ``identity`` and where it stands."""
    text = "\x1f".join((rule, report, place))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def cells_place(cells: Iterable[Cell]) -> str:
    return ";".join(f"{c.table}/{c.row}/{c.column}" for c in cells)
