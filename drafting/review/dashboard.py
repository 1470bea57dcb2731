"""The review's dashboard: one self-contained HTML file (``审核总览.html``) — our own small script and
style inline, no request to anything outside it — that opens from a shared drive in any browser.

It is written as the reports stream past: each report's drill-down (its findings with decisions,
tables and marked paragraphs) as a JSON block the page parses only when that report is opened, then
the summary (ranking rows, totals, rule counts) and the script. Strings the tables of every report
repeat (row labels, column titles) are written once and named by number.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import quote

from ..files import atomic_file
from ..reading.model import UNSURE_TEXT
from .judged import Reviewed, Totals, rule_label
from .run import Review

NAME = "审核总览.html"
_MARK = "<!--DATA-->"


def _template(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


def _safe(text: str) -> str:
    """JSON text that cannot end the ``<script>`` holding it: ``</`` and ``<!--`` escaped."""
    return text.replace("</", "<\\/").replace("<!--", "<\\!--")


def json_block(block_id: str, value: Any) -> str:
    """A JSON value inside ``<script type="application/json">``."""
    text = _safe(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return f'<script type="application/json" id="{block_id}">{text}</script>\n'


def href(path: Path, out_dir: Path) -> str:
    """A link from the dashboard to ``path``: relative, so that the folder can move as a whole."""
    try:
        rel = os.path.relpath(path.resolve(), out_dir.resolve())
    except ValueError:  # another drive (Windows): an absolute link is the best there is
        return path.resolve().as_uri()
    return quote(rel.replace(os.sep, "/"))


class Labels:
    """Repeated strings written once: a string's number in ``items``."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.items)
            self.items.append(text)
        return found


class Dashboard:
    def __init__(self, review: Review, decisions_found: bool) -> None:
        self.review = review
        self.out_dir = review.options.out_dir
        self.decisions_found = decisions_found
        self.labels = Labels()
        # One ranking row per report, kept as its JSON text with the key it is ranked by: a province's
        # rows in a few megabytes, written out one by one.
        self.rows: list[tuple[tuple[int, int, str, int, str], str]] = []
        self.hrefs: dict[str, str] = {}  # file → link, for the unreadable ones
        self._context = atomic_file(self.out_dir / NAME)
        self._file = self._context.__enter__()
        head, _, self._tail = _template("dashboard.html").partition(_MARK)
        self._write(head.replace("/*CSS*/", _template("dashboard.css")))

    def _write(self, text: str) -> None:
        self._file.write(text.encode("utf-8"))

    def add(self, r: Reviewed) -> None:
        item = r.item
        n = len(self.rows)
        last = item.last
        row = {
            "id": n,
            "agency": item.agency,
            "region": item.region,
            "level": item.level,
            "year": item.year,
            "file": item.source.relative,
            "href": href(item.source.path, self.out_dir),
            "url": _web(item.url),
            "status": item.status,
            "reason": item.reason,
            "errors": r.errors,
            "warnings": r.warnings,
            "dismissed": r.dismissed,
            "similar": r.similar,
            "unassessed": len({rule for entry in r.not_assessed for rule in entry.get("rules", [])}),
            "last": last.relative if last is not None else None,
            "last_href": href(last.path, self.out_dir) if last is not None else None,
        }
        key = (-r.errors, -r.warnings, item.agency, item.year or 0, item.source.relative)
        self.rows.append((key, json.dumps(row, ensure_ascii=False, separators=(",", ":"))))
        if item.status != "read":
            self.hrefs[item.source.relative] = str(row["href"])
        record = r.record or {}
        findings = []
        for j in r.findings:
            f = j.finding
            findings.append(
                {
                    "rule": f.get("rule", ""),
                    "severity": f.get("severity", ""),
                    "message": f.get("message", ""),
                    "location": f.get("location", ""),
                    "evidence": f.get("evidence", ""),
                    "cells": [f"{c['table']}/{c['row']}/{c['column']}" for c in f.get("cells", [])],
                    "fingerprint": f.get("fingerprint", ""),
                    "decision": j.decision,
                    "comment": j.comment,
                }
            )
        view = record.get("view") or {"tables": [], "paragraphs": [], "omitted": 0}
        detail = {
            "title": record.get("title", "") or item.title,
            "findings": findings,
            "not_assessed": r.not_assessed,
            "view": {**view, "tables": [self._intern(t) for t in view.get("tables", [])]},
        }
        self._write(json_block(f"d{n}", detail))

    def _intern(self, table: dict[str, Any]) -> dict[str, Any]:
        groups = []
        for g in table.get("groups", []):
            rows = [{**row, "label": self.labels(row["label"])} for row in g["rows"]]
            groups.append(
                {
                    **g,
                    "heading": self.labels(g["heading"]) if g["heading"] else "",
                    "columns": [self.labels(c) for c in g["columns"]],
                    "rows": rows,
                }
            )
        return {**table, "groups": groups}

    def finish(self, totals: Totals, unmatched_decisions: int) -> None:
        review = self.review
        out_dir = self.out_dir
        shown = set(totals.rule_findings) | set(totals.rule_unassessed)
        rules = [
            {
                "rule": rule,
                "description": rule_label(rule),
                "findings": totals.rule_findings[rule],
                "reports": totals.rule_reports[rule],
                "unassessed": totals.rule_unassessed[rule],
            }
            for rule in sorted(shown, key=lambda r: (-totals.rule_findings[r], -totals.rule_unassessed[r], r))
        ]
        self.rows.sort(key=lambda row: row[0])
        by_file = self.hrefs
        summary = {
            "meta": {
                "folder": str(review.options.folder),
                "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
                "version": review.cache.version,
                "interrupted": review.interrupted,
                "decisions": _shown(review.options.decisions_path, out_dir),
                "decisions_found": self.decisions_found,
                "unmatched_decisions": unmatched_decisions,
            },
            "totals": {
                "found": totals.found,
                "read": totals.read,
                "unreadable": len(totals.unreadable),
                "failed": len(totals.failed),
                "pending": totals.pending,
                "errors": totals.errors,
                "warnings": totals.warnings,
                "with_errors": totals.with_errors,
                "similar": totals.similar,
                "paired": totals.paired,
                "partial": totals.partial,
                "dismissed": totals.dismissed,
                "confirmed": totals.confirmed,
            },
            "reports": [],  # written below, row by row
            "rules": rules,
            "unreadable": [[f, reason, by_file.get(f, "")] for f, reason in totals.unreadable],
            "failed": [[f, reason, by_file.get(f, "")] for f, reason in totals.failed],
            "unlisted": [f"第{e.line}行：{e.file}" for e in review.unlisted],
            "labels": self.labels.items,
            "unsure": UNSURE_TEXT,
        }
        head, _, tail = json_block("summary", summary).partition('"reports":[]')
        self._write(head + '"reports":[')
        for n, (_, text) in enumerate(self.rows):
            self._write(("," if n else "") + _safe(text))
        self._write("]" + tail)
        self._write(self._tail.replace("/*JS*/", _template("dashboard.js")))
        self._context.__exit__(None, None, None)

    def abort(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._context.__exit__(kind, exc, tb)


def _web(url: str) -> str:
    """The manifest's web address of a report, when it is one a link may lead to (http or https:
    never ``javascript:`` or a path on the reviewer's machine)."""
    return url if url.lower().startswith(("http://", "https://")) else ""


def _shown(path: Path, out_dir: Path) -> str:
    try:
        return path.resolve().relative_to(out_dir.resolve()).as_posix()
    except ValueError:
        return str(path)
