"""Checking a report file as one call: read it (our draft or anyone's published report), load its
data file and last year's figures when given, run the check library, and return every finding in
the order a reader fixes them. ``drafting check`` prints what this returns; the web workspace and
the reviewer mode make the same call.

A data file that breaks the format's rules is not a reason to stop: its issues become findings of
their own (category ``data``) beside the report's.

``final=True`` judges the report as about to be published (``drafting check --final``, the web
workspace's 可发布): what may stay a warning in a draft being written is an error there
(``final_findings``, the one home of that rule).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError

if TYPE_CHECKING:
    from .checks import Finding, Outcome
    from .data.model import ReportData
    from .document import Draft
    from .reading import Report


def check_file(
    report: Path, data: Path | None = None, previous: Path | None = None, *, final: bool = False
) -> list[Finding]:
    """Every finding on ``report``, checked against the data file ``data`` and last year's
    ``previous`` (a data file or a report) when given; judged as about to be published when
    ``final``. Raises ``InputError`` for a file that cannot be read at all."""
    return assess_file(report, data, previous, final=final).findings


def assess_file(
    report: Path, data: Path | None = None, previous: Path | None = None, *, final: bool = False
) -> Outcome:
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
    if final:
        outcome.findings = final_findings(outcome.findings, document, figures)
    return outcome


# The rules whose warnings a report may carry while it is written but not when it is published:
# R1, something left to fill in (【待补充：…】, XXX, 某某 …).
FINAL_ERRORS = frozenset({"R1"})
# What the author still has to write, of the findings ``final_findings`` makes errors: the places
# a status such as 待补充 N 处 counts.
TO_FILL = frozenset({"R1", "S7"})
# Topics a reviewer sends back when the author declared them empty (``problems: []``): a report
# that names no problem and no measure. The sections that state them.
FINAL_TOPICS = (("problems", "存在的主要问题"), ("improvements", "改进措施"))


def final_findings(
    findings: Sequence[Finding], report: Report | Draft, data: ReportData | None = None
) -> list[Finding]:
    """``findings`` as a report about to be published is judged: the warnings of ``FINAL_ERRORS``
    become errors, and a section of ``FINAL_TOPICS`` whose facts the author declared empty is an
    error (S7: the section says nothing of its own). ``data`` is the author's data (a draft
    carries its own); without it the empty topics cannot be told and only the first part applies."""
    from . import official
    from .checks import report_identity, sort_findings
    from .checks.finding import Finding, fingerprint
    from .document import Draft
    from .reading.from_draft import from_draft

    document = from_draft(report) if isinstance(report, Draft) else report
    data = data if data is not None else document.data
    out = [replace(f, severity="error") if f.rule in FINAL_ERRORS else f for f in findings]
    if data is not None:
        identity = report_identity(document, data)
        for topic, what in FINAL_TOPICS:
            if data.facts.get(topic) != []:
                continue
            label = official.section_label(topic, " ")
            text = "".join(p.text for p in document.paragraphs if p.section == topic)
            out.append(
                Finding(
                    "S7",
                    "structure",
                    "error",
                    f"{label}没有写出具体内容（数据文件中“{official.FACT_LABELS[topic]}”一条也没有）："
                    f"审核时这样的报告会被退回，请在正文素材中写明本年度的{what}，再重新起草",
                    label,
                    text or "（本部分没有正文）",
                    (),
                    fingerprint("S7", identity, f"section:{topic}/nothing"),
                )
            )
    return sort_findings(out)


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
