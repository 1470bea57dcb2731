"""Checking a report file as one call: read it (our draft or anyone's published report), load its
data file and last year's figures when given, run the check library, and return every finding in
the order a reader fixes them. ``drafting check`` prints what this returns; the web workspace and
the reviewer mode make the same call.

A data file that breaks the format's rules is not a reason to stop: its issues become findings of
their own (category ``data``) beside the report's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError

if TYPE_CHECKING:
    from .checks import Finding, Outcome
    from .data.model import ReportData
    from .reading import Report


def check_file(report: Path, data: Path | None = None, previous: Path | None = None) -> list[Finding]:
    """Every finding on ``report``, checked against the data file ``data`` and last year's
    ``previous`` (a data file or a report) when given. Raises ``InputError`` for a file that cannot
    be read at all."""
    return assess_file(report, data, previous).findings


def assess_file(report: Path, data: Path | None = None, previous: Path | None = None) -> Outcome:
    """``check_file`` with the rules that could not be assessed on the report (what they need was
    not read with confidence) and why."""
    from .checks import assess, issue_findings, report_identity, sort_findings
    from .data import load_data
    from .reading import read_report

    document = read_report(report)
    findings: list[Finding] = []
    figures = None
    if data is not None:
        try:
            loaded = load_data(data)
            figures = loaded.data
            findings += issue_findings(loaded.warnings, str(data), report_identity(document, figures))
        except DataError as exc:
            findings += issue_findings(exc.issues, str(data), report_identity(document))
    last = last_year(previous) if previous is not None else None
    outcome = assess(document, figures, last)
    outcome.findings = sort_findings(outcome.findings + findings)
    return outcome


def last_year(path: Path) -> ReportData | Report:
    """Last year's figures: a data file (.yaml/.yml/.json that is not a draft) or a report."""
    from .data import load_data
    from .reading import read_report

    name = path.name.lower()
    if path.suffix.lower() in (".yaml", ".yml") or (
        name.endswith(".json") and not name.endswith(".draft.json")
    ):
        return load_data(path).data
    return read_report(path)
