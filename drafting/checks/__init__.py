"""The check library: small registered checks over a report read from any source.

``run_checks(report, data=None, previous=None)`` runs every check on a ``Report`` (or directly on a
``Draft``) and returns findings ``{rule, category, severity, message, location}``.
``check_section(section_id, paragraphs, data)`` runs the narrative checks on one section's text with
the data as context — what the revision loop and the model-output validator call. ``drafting check``,
revision and the eval harness all use these two functions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from .. import official
from ..data.model import PreviousYear, ReportData
from ..document import Draft
from ..reading.from_draft import from_draft
from ..reading.model import Heading, Paragraph, Report
from ..reading.splitting import document_counts_split
from ..reading.tables import Row
from . import consistency, fees, register, structure, tables, years  # noqa: F401 - registers checks
from .data import issue_findings  # also registers the data checks
from .docdata import document_data
from .registry import CATEGORIES, CATEGORY_LABELS, CHECKS, Context, Finding

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CHECKS",
    "Finding",
    "check_section",
    "has_errors",
    "issue_findings",
    "run_checks",
]

Previous = ReportData | PreviousYear | Report


def _previous_year(previous: Previous | None, year: int | None) -> PreviousYear | None:
    if previous is None:
        return None
    if isinstance(previous, PreviousYear):
        return previous
    if isinstance(previous, ReportData):
        return PreviousYear(
            year=previous.year, table2=previous.table2, table3=previous.table3, table4=previous.table4
        )
    last, _ = document_data(previous, previous.year)
    if last is None:
        return None
    table2 = last.table2 if previous.table2 is not None and previous.table2.version == "2021" else None
    return PreviousYear(
        year=previous.year or ((year - 1) if year else 2000),
        table2=table2,
        table3=last.table3,
        table4=last.table4,
    )


def _resplit_with_previous(report: Report, prev: PreviousYear | None) -> None:
    """A 表二 row run together (``8855698``) is settled by last year's 现行有效件数 (C2)."""
    t2 = report.table2
    if t2 is None or prev is None or prev.table2 is None or t2.version != "2021":
        return
    for key in ("rules", "normative"):
        row = t2.rows.get(key)
        if row is None or not row.raw:
            continue
        split, count = document_counts_split(row.raw.split(), getattr(prev.table2, key).in_force)
        if split is not None and count == 1:
            t2.rows[key] = Row(list(split), ["ok"] * 3, row.line, row.para, row.raw)
            report.notes = [
                n for n in report.notes if not (n.rule == "SPLIT" and n.location.startswith("表二"))
            ]


def build_context(
    report: Report,
    data: ReportData | None = None,
    previous: Previous | None = None,
    *,
    strict_numbers: bool = False,
) -> Context:
    data = data if data is not None else report.data
    year = report.year if report.year is not None else (data.year if data else None)
    prev = _previous_year(previous, year)
    if prev is None and data is not None and data.previous is not None:
        prev = data.previous
    _resplit_with_previous(report, prev)
    doc, blanks = document_data(report, year)
    if doc is not None and prev is not None:
        doc = doc.model_copy(update={"previous": prev})
    extra: set[Decimal] = set()
    if report.table2 is not None and report.table2.version == "2019":
        extra = {Decimal(v) for row in report.table2.rows.values() for v in row.values if v is not None}
    return Context(report, data, doc, year, blanks, strict_numbers, extra)


def run_checks(
    report: Report | Draft,
    data: ReportData | None = None,
    previous: Previous | None = None,
    *,
    only: Iterable[str] | None = None,
    strict_numbers: bool = False,
) -> list[Finding]:
    """Every check (or those named in ``only``) on a report; errors first, in category order."""
    if isinstance(report, Draft):
        report = from_draft(report)
    ctx = build_context(report, data, previous, strict_numbers=strict_numbers)
    names = set(only) if only is not None else None
    findings: list[Finding] = []
    for spec in CHECKS.values():
        if names is not None and spec.name not in names:
            continue
        findings.extend(spec.fn(ctx))
    return sort_findings(findings)


def sort_findings(findings: Sequence[Finding]) -> list[Finding]:
    unique = list(dict.fromkeys(findings))
    order = {c: n for n, c in enumerate(CATEGORIES)}
    return sorted(unique, key=lambda f: (f.severity != "error", order.get(f.category, 99)))


def check_section(
    section_id: str,
    paragraphs: Sequence[str],
    data: ReportData,
    *,
    strict_numbers: bool = True,
) -> list[Finding]:
    """The narrative checks on one section's text, held to ``data`` (numbers, claims, years,
    register). Every number must bind to the data unless ``strict_numbers`` is False."""
    spec = official.SECTION_BY_ID.get(section_id)
    if spec is None:
        raise ValueError(f"unknown section id: {section_id!r}")
    part = spec.part
    if not any(p.strip() for p in paragraphs):
        where = official.section_label(section_id, " ")
        return [Finding("S7", "structure", "error", "本部分正文为空：请补写", where)]
    report = Report(f"section:{section_id}", "section", title=data.title)
    report.headings = [Heading(official.part_heading(part), part, "official")]
    report.paragraphs = [Paragraph(text, part, n, section=section_id) for n, text in enumerate(paragraphs, 1)]
    report.data = data
    ctx = build_context(report, data, strict_numbers=strict_numbers)
    ctx.doc = data
    findings: list[Finding] = []
    for check_spec in CHECKS.values():
        if check_spec.scope == "narrative":
            findings.extend(check_spec.fn(ctx))
    return sort_findings(findings)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)
