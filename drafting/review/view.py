"""A report as the dashboard's drill-down shows it: the tables as read, each cell named by the ids
findings use (``official.Cell``: ``table3/new/natural``), and the paragraphs a finding points into,
cut into pieces so that the offending sentence and numbers can be marked.

Which paragraph a finding is about comes from its ``location`` (a paragraph's ``where()`` —
``一、总体情况 第2段（第15行）`` — or a part's heading); what to mark in it comes from its ``evidence``:
the words it quotes (``正文“……”``, a sentence, a placeholder) and the figures it names (``75件``).
Only paragraphs with a finding are kept (with a count of the rest): the dashboard of a province
holds thousands of reports, and the source file is one click away for the whole text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .. import official
from ..checks import Finding
from ..reading import Paragraph, Report
from ..reading.tables import OTHER_HANDLING_2019, Row

TABLE_TITLES = {
    "table2": "表二 主动公开政府信息情况",
    "table3": "表三 收到和处理政府信息公开申请情况",
    "table4": "表四 政府信息公开行政复议、行政诉讼情况",
}


def report_view(report: Report, findings: list[Finding]) -> dict[str, Any]:
    """What the drill-down of one report shows, as plain JSON values."""
    paragraphs, omitted = narrative_view(report, findings)
    return {
        "title": report.title,
        "kind": report.kind,
        # what the reader could not locate with confidence, and why: shown above the tables
        "located": {
            what: {"status": found.status, "reason": found.reason}
            for what, found in report.located.items()
            if not found.confident
        },
        "tables": tables_view(report),
        "paragraphs": paragraphs,
        "omitted": omitted,
    }


# --- tables --------------------------------------------------------------------------------------


def _value(value: int | Decimal | None) -> str:
    return "" if value is None else str(value)


def _row(label: str, row_id: str, row: Row | None, width: int, indent: bool = False) -> dict[str, Any]:
    """One row: its label, its id (``table3/new``: a cell's id is the row's and a column key) and its
    values as printed; ``s`` lists the cells' reading states only when one is not plain."""
    out: dict[str, Any] = {"label": label, "row": row_id}
    if indent:
        out["indent"] = True
    if row is None:
        return out
    values = [_value(row.values[n]) if n < len(row.values) else "" for n in range(width)]
    status = [row.status[n] if n < len(row.status) else "missing" for n in range(width)]
    out["v"] = values
    if any(s != "ok" for s in status):
        out["s"] = status
    return out


def _group(heading: str, columns: Sequence[tuple[str, str]], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "heading": heading,
        "columns": [label for _, label in columns],
        "keys": [key for key, _ in columns],
        "rows": rows,
    }


def tables_view(report: Report) -> list[dict[str, Any]]:
    tables: list[dict[str, Any]] = []
    t2 = report.table2
    if t2 is not None and t2.rows:
        groups = official.TABLE2_2019_GROUPS if t2.version == "2019" else official.TABLE2_GROUPS
        out_groups = []
        for group in groups:
            width = len(group.columns)
            rows = [
                _row(label, f"table2/{key}", t2.rows[key], width)
                for key, label in group.rows
                if key in t2.rows
            ]
            if rows:
                out_groups.append(_group(group.heading, group.columns, rows))
        tables.append(
            {"id": "table2", "title": TABLE_TITLES["table2"], "version": t2.version, "groups": out_groups}
        )
    t3 = report.table3
    if t3 is not None and t3.rows:
        columns = [*official.TABLE3_COLUMNS, (official.TOTAL_KEY, official.TOTAL_LABEL)]
        width = len(columns)
        rows3: list[dict[str, Any]] = []
        group_shown = ""
        for spec in official.TABLE3_ROWS:
            if spec.path.startswith("other_handling.") and OTHER_HANDLING_2019 in t3.rows:
                if spec.path.endswith(".overdue_correction"):
                    label = official.TABLE3_GROUPS["other_handling"]
                    row_id = f"table3/{OTHER_HANDLING_2019}"
                    rows3.append(_row(label, row_id, t3.rows[OTHER_HANDLING_2019], width))
                continue
            row = t3.rows.get(spec.path)
            if row is None:
                continue
            if spec.group and spec.group != group_shown:
                rows3.append(_row(spec.group, "", None, width))
                group_shown = spec.group
            rows3.append(_row(spec.label, f"table3/{spec.path}", row, width, indent=bool(spec.group)))
        tables.append(
            {
                "id": "table3",
                "title": TABLE_TITLES["table3"],
                "version": t3.version,
                "groups": [_group("", columns, rows3)],
            }
        )
    t4 = report.table4
    if t4 is not None and t4.row is not None:
        columns4 = [*official.TABLE4_COLUMNS, (official.TOTAL_KEY, official.TOTAL_LABEL)]
        width = len(columns4)
        rows4 = []
        for n, (block, _) in enumerate(official.TABLE4_BLOCKS):
            part = Row(t4.row.values[n * width : (n + 1) * width], t4.row.status[n * width : (n + 1) * width])
            rows4.append(_row(official.table4_block_label(block), f"table4/{block}", part, width))
        tables.append(
            {
                "id": "table4",
                "title": TABLE_TITLES["table4"],
                "version": "",
                "groups": [_group("", columns4, rows4)],
            }
        )
    return tables


# --- narrative -----------------------------------------------------------------------------------

_QUOTED = re.compile(r"[“\"]([^”\"]{4,})[”\"]")
_YEAR_NOTE = re.compile(r"（报告年度[^）]*）")
_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?:件|条|篇|个|次|人次|元|万元|项|家|份|期)")


def fragments(evidence: str) -> list[str]:
    """The words a finding's evidence quotes from the report, in pieces worth looking for."""
    quoted = [m.group(1) for m in _QUOTED.finditer(evidence)]
    pieces = quoted or _YEAR_NOTE.sub("", evidence).split("；")
    out: list[str] = []
    for piece in pieces:
        for part in re.split(r"…+", piece):
            part = part.strip()
            if len(part) >= 4:
                out.append(part)
    return out


def figures(evidence: str) -> list[str]:
    """The figures with their units a finding names (``75件``)."""
    return list(dict.fromkeys(_FIGURE.findall(evidence)))


def _owner(p: Paragraph) -> str:
    return official.part_heading(p.part) if p.part else "前言"


def _about(finding: Finding, p: Paragraph) -> str:
    """``exact`` when the finding names this paragraph, ``part`` when it names its part only."""
    where, location = p.where(), finding.location
    # ``第1段`` must not match ``第12段``: what follows the place is not another digit.
    if location.startswith(where) and not location[len(where) :][:1].isdigit():
        return "exact"
    if location == _owner(p):
        return "part"
    return ""


def _marks(text: str, finding: Finding, exact: bool) -> list[tuple[int, int, str]]:
    """The quoted words found in ``text``, and the figures the finding names — inside the quoted
    words when there are any (the figure the finding is about, not the same figure elsewhere)."""
    marks: list[tuple[int, int, str]] = []
    for piece in fragments(finding.evidence):
        start = text.find(piece)
        if start >= 0:
            marks.append((start, start + len(piece), "sentence"))
    if exact or marks:
        quoted = list(marks)
        for figure in figures(finding.evidence):
            for m in re.finditer(rf"(?<![\d.]){re.escape(figure)}", text):
                if not quoted or any(s <= m.start() and m.end() <= e for s, e, _ in quoted):
                    marks.append((m.start(), m.end(), "number"))
    return marks


def narrative_view(report: Report, findings: list[Finding]) -> tuple[list[dict[str, Any]], int]:
    """The paragraphs a finding points into, cut into marked pieces; and how many were left out."""
    kept: list[dict[str, Any]] = []
    paragraphs = report.narrative()
    for p in paragraphs:
        attached: list[int] = []
        spans: list[tuple[int, int, str, int]] = []
        for n, finding in enumerate(findings):
            about = _about(finding, p)
            if not about:
                continue
            marks = _marks(p.text, finding, about == "exact")
            if about == "exact" or marks:
                attached.append(n)
                spans += [(s, e, kind, n) for s, e, kind in marks]
        if attached:
            kept.append(
                {
                    "where": p.where(),
                    "part": _owner(p),
                    "findings": attached,
                    "pieces": pieces(p.text, spans),
                }
            )
    return kept, len(paragraphs) - len(kept)


def pieces(text: str, spans: list[tuple[int, int, str, int]]) -> list[list[Any]]:
    """``text`` cut where the marks begin and end: ``[text, kind, [finding indexes]]``, kind
    ``""`` (plain), ``sentence`` or ``number`` (a number inside a marked sentence stays a number)."""
    if not spans:
        return [[text, "", []]]
    cuts = sorted({0, len(text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    out: list[list[Any]] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b:
            continue
        over = [(kind, n) for s, e, kind, n in spans if s <= a and b <= e]
        kind = "number" if any(k == "number" for k, _ in over) else ("sentence" if over else "")
        indexes = sorted({n for _, n in over})
        if out and out[-1][1] == kind and out[-1][2] == indexes:
            out[-1][0] += text[a:b]
        else:
            out.append([text[a:b], kind, indexes])
    return out
