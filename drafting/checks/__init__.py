"""The check library: small registered checks over a report read from any source.

``run_checks(report, data=None, previous=None)`` runs every check on a ``Report`` (or directly on a
``Draft``) — or only those of the rule ids in ``only`` — and returns ``Finding``s
``{rule, category, severity, message, location, evidence, cells, fingerprint}``.
``check_section(section_id, paragraphs, data, strict=…)`` runs the narrative checks on one section's
text with the data as context: the revision loop calls it as it is; the model writer calls it with
``strict=True``, which adds what a model's section must get right though a published report is only
warned about (all five sub-parts of 一 in order, 改进措施 opening on next year). ``drafting check``,
revision, the model writer and the eval harness all use these two functions and this one Finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .. import official
from ..data.model import PreviousYear, ReportData
from ..document import Draft
from ..reading.from_draft import from_draft
from ..reading.model import Heading, Paragraph, Report
from ..reading.splitting import document_counts_split
from ..reading.tables import Row
from ..reading.to_data import document_data
from . import (  # noqa: F401 - registers checks
    changes,
    claims,
    completeness,
    consistency,
    fees,
    register,
    sources,
    stated_years,
    structure,
    tables,
    yearly,
    years,
)
from .data import issue_findings  # also registers the data checks
from .finding import CATEGORIES, CATEGORY_LABELS, Cell, Finding, identity
from .registry import CHECKS, RULES, CheckSpec, Context, NotAssessed, Rule, checks_for, verify_catalogue

verify_catalogue()

__all__ = [
    "CATEGORIES",
    "CATEGORY_LABELS",
    "CHECKS",
    "RULES",
    "Cell",
    "Finding",
    "NotAssessed",
    "Outcome",
    "Rule",
    "assess",
    "check_section",
    "has_errors",
    "issue_findings",
    "model_findings",
    "report_identity",
    "run_checks",
    "sort_findings",
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


def report_identity(report: Report, data: ReportData | None = None) -> str:
    """Who and which year a report is about, as fingerprints name it: the title's agency and year,
    else the data's — never the file's path, so a finding keeps its name when the file moves."""
    data = data if data is not None else report.data
    agency = report.agency or (data.agency.name if data else "")
    year = report.year if report.year is not None else (data.year if data else None)
    return identity(agency, year)


def build_context(
    report: Report,
    data: ReportData | None = None,
    previous: Previous | None = None,
    *,
    strict_numbers: bool = False,
) -> Context:
    """What every check reads; the report's tables are read into data here, once."""
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
    ctx = Context(report, data, doc, year, blanks, strict_numbers, extra, report_identity(report, data))
    ctx.previous_report = previous if isinstance(previous, Report) else None
    return ctx


@dataclass
class Outcome:
    """What checking a report gives: the findings, and the rules that could not be assessed on it
    (what they need was not read with confidence), with the reason."""

    findings: list[Finding] = field(default_factory=list)
    not_assessed: list[NotAssessed] = field(default_factory=list)


def run_checks(
    report: Report | Draft,
    data: ReportData | None = None,
    previous: Previous | None = None,
    *,
    only: Iterable[str] | None = None,
    strict_numbers: bool = False,
) -> list[Finding]:
    """Every check on a report — or only the findings of the rule ids in ``only`` (the checks that
    report no such rule are not run) — errors first, in category order."""
    return assess(report, data, previous, only=only, strict_numbers=strict_numbers).findings


def assess(
    report: Report | Draft,
    data: ReportData | None = None,
    previous: Previous | None = None,
    *,
    only: Iterable[str] | None = None,
    strict_numbers: bool = False,
) -> Outcome:
    """``run_checks`` with what could not be assessed: a check whose ``needs`` were not read with
    confidence is not run, and a finding that rests on a cell the reader could not confirm is
    withheld — both are listed in ``Outcome.not_assessed`` with the reason."""
    if isinstance(report, Draft):
        report = from_draft(report)
    ctx = build_context(report, data, previous, strict_numbers=strict_numbers)
    wanted = set(only) if only is not None else None
    specs = checks_for(wanted) if wanted is not None else CHECKS
    findings: list[Finding] = []
    for spec in specs:
        ctx.running = spec.name
        unread = [need for need in spec.needs if not ctx.confident(need)]
        if unread:
            reasons = "；".join(report.certainty(need).reason for need in unread)
            ctx.skip(
                _wanted_rules(spec, wanted), f"未能确认{'、'.join(_NEEDS[n] for n in unread)}：{reasons}"
            )
            continue
        for finding in spec.fn(ctx):
            if wanted is not None and finding.rule not in wanted:
                continue
            why = _rests_on_unread(ctx, spec, finding)
            if why:
                ctx.skip((finding.rule,), why)
                continue
            findings.append(finding)
    return Outcome(sort_findings(findings), _merged(ctx.not_assessed))


_NEEDS = {"parts": "章节标题", "table2": "表二", "table3": "表三", "table4": "表四"}
_READERS = ("reading_notices", "reading")  # the checks that report what the reader noticed


def _wanted_rules(spec: CheckSpec, wanted: set[str] | None) -> tuple[str, ...]:
    return tuple(r for r in spec.rules if wanted is None or r in wanted)


def _rests_on_unread(ctx: Context, spec: CheckSpec, finding: Finding) -> str:
    """Why a finding rests on what was not read with confidence ("" when it stands): a cell the
    reader could not tie to its row or split (a split chosen among several still carries the
    table's own rules, which the reader settled it by), or — for the narrative held to the tables —
    a table not read with confidence."""
    if spec.name in _READERS:
        return ""
    report = ctx.report
    unsure = [
        c
        for c in finding.cells
        if report.unsure(c) and not (finding.category == "table" and report.cell_status(c) == "guess")
    ]
    if unsure:
        return f"依据的单元格未能确认（{_cell_names(unsure)}）"
    if ctx.data is None and finding.category == "consistency":
        # a figure named in the text is held to the tables the reader read: every table it cites,
        # or, when it cites none, every table read
        tables = [c.table for c in finding.cells] or [
            t for t in ("table2", "table3", "table4") if t in report.located
        ]
        for table in dict.fromkeys(tables):
            if report.certainty(table).status == "uncertain":
                return f"未能确认{_NEEDS[table]}：{report.certainty(table).reason}"
    return ""


def _cell_names(cells: Sequence[Cell]) -> str:
    names: list[str] = []
    for cell in cells:
        if cell.table == "table3" and cell.row in official.TABLE3_ROW_BY_PATH:
            names.append(f"表三 {official.TABLE3_ROW_BY_PATH[cell.row].full_label}")
        elif cell.table == "table4":
            names.append(f"表四 {official.table4_block_label(cell.row)}")
        else:
            names.append(f"{_NEEDS.get(cell.table, cell.table)} {cell.row}")
    unique = list(dict.fromkeys(names))
    return "；".join(unique[:4]) + ("等" if len(unique) > 4 else "")


def _merged(items: Iterable[NotAssessed]) -> list[NotAssessed]:
    """One entry per check and reason, its rules together."""
    merged: dict[tuple[str, str], list[str]] = {}
    for item in items:
        rules = merged.setdefault((item.check, item.reason), [])
        rules += [r for r in item.rules if r not in rules]
    return [NotAssessed(tuple(rules), reason, check) for (check, reason), rules in merged.items()]


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    unique = list(dict.fromkeys(findings))
    order = {c: n for n, c in enumerate(CATEGORIES)}
    return sorted(unique, key=lambda f: (f.severity != "error", order.get(f.category, 99)))


def _section_context(
    section_id: str,
    paragraphs: Sequence[str],
    data: ReportData,
    *,
    strict: bool,
    strict_numbers: bool,
) -> Context:
    spec = official.SECTION_BY_ID.get(section_id)
    if spec is None:
        raise ValueError(f"unknown section id: {section_id!r}")
    part = spec.part
    report = Report(f"section:{section_id}", "section", title=data.title)
    report.headings = [Heading(official.part_heading(part), part, "official")]
    report.paragraphs = [Paragraph(text, part, n, section=section_id) for n, text in enumerate(paragraphs, 1)]
    report.data = data
    ctx = build_context(report, data, strict_numbers=strict_numbers)
    ctx.doc = data
    ctx.strict = strict
    ctx.section = section_id
    return ctx


def _run_section(ctx: Context, paragraphs: Sequence[str]) -> list[Finding]:
    if not any(p.strip() for p in paragraphs):
        return sort_findings(structure.section_text(ctx))  # nothing else to check
    findings: list[Finding] = []
    for check_spec in CHECKS:
        if check_spec.scope == "narrative":
            findings.extend(check_spec.fn(ctx))
    return sort_findings(findings)


def check_section(
    section_id: str,
    paragraphs: Sequence[str],
    data: ReportData,
    *,
    strict: bool = False,
    strict_numbers: bool = True,
) -> list[Finding]:
    """The narrative checks on one section's text, held to ``data`` (numbers, claims, years,
    register, the fee statement of 六). Every number must bind to the data unless ``strict_numbers``
    is False. ``strict``: the section is a model's answer, held also to the shape and the sources its
    prompt asked for (S3 all five sub-parts of 一, each its own paragraph, in order; Y3 改进措施
    opening on next year or 下一步; the M rules: 复议/诉讼 and fees stated, empty topics left empty,
    practices and problems from the facts) — what the model writer re-asks on. An empty section is
    S7 either way."""
    ctx = _section_context(section_id, paragraphs, data, strict=strict, strict_numbers=strict_numbers)
    return _run_section(ctx, paragraphs)


def model_findings(section_id: str, paragraphs: Sequence[str], data: ReportData) -> list[tuple[Finding, str]]:
    """The errors a model's section is sent back for, each with what the model is told (empty when
    the check cannot say it to the model with certainty: the answer is then not re-asked for it)."""
    ctx = _section_context(section_id, paragraphs, data, strict=True, strict_numbers=True)
    return [(f, ctx.reasks.get(f, "")) for f in _run_section(ctx, paragraphs) if f.is_error]


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.is_error for f in findings)
