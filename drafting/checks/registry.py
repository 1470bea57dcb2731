"""Findings, the context every check reads, and the registry of checks.

A check is a small function ``Context -> Iterable[Finding]`` registered with a name and a scope:
``document`` checks need the whole report (headings, tables); ``narrative`` checks read paragraphs
only, so they also run on a single section's text (the revision loop, the model-output validator).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..data.model import ReportData
from ..errors import Severity
from ..reading.model import Paragraph, Report

Category = Literal["structure", "table", "consistency", "year", "register", "data"]
Scope = Literal["document", "narrative"]
CATEGORIES: tuple[Category, ...] = ("structure", "table", "consistency", "year", "register", "data")
CATEGORY_LABELS: dict[str, str] = {
    "structure": "结构",
    "table": "表格勾稽",
    "consistency": "正文与数据一致性",
    "year": "年份",
    "register": "文字规范",
    "data": "数据文件",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    category: Category
    severity: Severity
    message: str  # Chinese: what is wrong and what to fix
    location: str  # where, in the report's own terms

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "location": self.location,
        }


@dataclass
class Context:
    """What the checks read: the report, and the figures it is held to."""

    report: Report
    data: ReportData | None  # the author's data (a data file, or the data a draft was written from)
    doc: ReportData | None  # the document's own tables as data (stated totals kept)
    year: int | None
    blanks: dict[str, set[str]] = field(default_factory=dict)  # table3 row path → columns left blank
    strict_numbers: bool = False  # every number must bind (model output), not only labelled ones
    doc_extra_numbers: set[Decimal] = field(default_factory=set)  # 2019 表二 cells and the like

    @property
    def figures(self) -> ReportData | None:
        """The figures the narrative must agree with: the data when given, else the tables."""
        return self.data if self.data is not None else self.doc

    def paragraphs(self, part: str | None = None) -> list[Paragraph]:
        if part is None:
            return self.report.narrative()
        return self.report.part_paragraphs(part)


CheckFn = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    category: Category
    scope: Scope
    fn: CheckFn


CHECKS: dict[str, CheckSpec] = {}


def check(name: str, category: Category, scope: Scope = "document") -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = CheckSpec(name, category, scope, fn)
        return fn

    return register
