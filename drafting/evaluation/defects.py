"""Scoring the check library on a defect corpus (``evals/defects``): each rule's recall on the
reports seeded with its defect, the findings on clean reports (no error may appear), and how many
table cells ``import --format cells`` reads exactly.

    python evals/defects/score.py [evals/defects]     # prints the score; exit 1 below the bar
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..check import last_year
from ..checks import Finding, run_checks
from ..data import load_data
from ..errors import DraftingError
from ..reading import read_report

# The bar a corpus run must clear (tests and the script hold it): overall recall, cells read exactly.
MIN_RECALL = 0.9
MIN_CELLS_RATE = 0.97


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    file: str
    layout: str
    kind: str  # clean / defect
    rule: str | None = None  # the rule the seeded defect must trigger
    category: str | None = None
    base: str = ""
    data: str | None = None  # a data file to check against (--data)
    previous: str | None = None  # last year's data or report (--previous)
    cells: str | None = None  # the cells the import must read


@dataclass
class CaseResult:
    case: Case
    findings: list[Finding] = field(default_factory=list)
    crash: str = ""
    cells_total: int = 0
    cells_exact: int = 0

    @property
    def detected(self) -> bool:
        return any(f.rule == self.case.rule for f in self.findings)


def load_cases(root: Path) -> list[Case]:
    raw = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    return [Case.model_validate(c) for c in raw]


def _flat(cells: dict[str, Any] | None) -> dict[str, Any]:
    """Every cell of the cells JSON under one key: ``table3/（一）予以公开/2``."""
    out: dict[str, Any] = {}
    if not cells:
        return out
    for name, value in (cells.get("table2") or {}).items():
        for column, v in value.items():
            out[f"table2/{name}/{column}"] = v
    for name, row in ((cells.get("table3") or {}).get("rows") or {}).items():
        for n, v in enumerate(row):
            out[f"table3/{name}/{n}"] = v
    for n, v in enumerate(cells.get("table4") or []):
        out[f"table4/{n}"] = v
    return out


def run_case(case: Case, root: Path) -> CaseResult:
    result = CaseResult(case)
    try:
        report = read_report(root / case.file)
        data = load_data(root / case.data).data if case.data else None
        previous = last_year(root / case.previous) if case.previous else None
        result.findings = run_checks(report, data, previous)
        if case.cells:
            want = _flat(json.loads((root / case.cells).read_text(encoding="utf-8")))
            got = _flat(report.cells())
            result.cells_total = len(want)
            result.cells_exact = sum(1 for k, v in want.items() if k in got and _same(got[k], v))
    except DraftingError as exc:
        result.crash = f"{type(exc).__name__}: {exc.message}"
    except Exception as exc:  # a corpus run reports a crash rather than stopping
        result.crash = f"{type(exc).__name__}: {exc}"
    return result


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is b
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return bool(a == b)


@dataclass
class Score:
    results: list[CaseResult]
    per_rule: dict[str, tuple[int, int]]  # rule → (detected, seeded)
    clean_errors: list[tuple[str, Finding]]  # false positives that are errors
    clean_warnings: Counter[str]
    false_positive_rules: Counter[str]  # error findings on clean cases, by rule
    crashes: list[tuple[str, str]]
    cells_exact: int
    cells_total: int

    @property
    def recall(self) -> float:
        detected = sum(d for d, _ in self.per_rule.values())
        seeded = sum(n for _, n in self.per_rule.values())
        return detected / seeded if seeded else 1.0

    @property
    def cells_rate(self) -> float:
        return self.cells_exact / self.cells_total if self.cells_total else 1.0


def score(root: Path, cases: list[Case] | None = None) -> Score:
    cases = cases if cases is not None else load_cases(root)
    results = [run_case(c, root) for c in cases]
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    clean_errors: list[tuple[str, Finding]] = []
    warnings: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    for r in results:
        if r.case.kind == "defect" and r.case.rule:
            per_rule[r.case.rule][1] += 1
            per_rule[r.case.rule][0] += int(r.detected and not r.crash)
        elif r.case.kind == "clean":
            for f in r.findings:
                if f.is_error:
                    clean_errors.append((r.case.id, f))
                    fp[f.rule] += 1
                else:
                    warnings[f.rule] += 1
    return Score(
        results,
        {k: (v[0], v[1]) for k, v in sorted(per_rule.items())},
        clean_errors,
        warnings,
        fp,
        [(r.case.id, r.crash) for r in results if r.crash],
        sum(r.cells_exact for r in results),
        sum(r.cells_total for r in results),
    )


def format_score(s: Score) -> str:
    lines = ["rule  recall  (found/seeded)  false-positive errors on clean"]
    rules = sorted(set(s.per_rule) | set(s.false_positive_rules))
    for rule in rules:
        found, seeded = s.per_rule.get(rule, (0, 0))
        rate = f"{found / seeded:6.2f}" if seeded else "     -"
        lines.append(f"{rule:<5} {rate}  ({found}/{seeded})  {s.false_positive_rules.get(rule, 0)}")
    clean = sum(1 for r in s.results if r.case.kind == "clean")
    lines.append(f"overall recall {s.recall:.3f}; cases {len(s.results)} ({clean} clean)")
    lines.append(
        f"errors on clean reports: {len(s.clean_errors)}; warnings on clean reports: {dict(s.clean_warnings)}"
    )
    lines.append(f"cells read exactly: {s.cells_exact}/{s.cells_total} = {s.cells_rate:.4f}")
    lines.append(f"crashes: {len(s.crashes)}")
    for case_id, f in s.clean_errors[:20]:
        lines.append(f"  clean error {case_id}: [{f.rule}] {f.message} @ {f.location}")
    for r in s.results:
        if r.case.kind == "defect" and not r.detected:
            lines.append(f"  missed {r.case.id}: {[x.rule for x in r.findings]}")
    for case_id, crash in s.crashes:
        lines.append(f"  crash {case_id}: {crash}")
    return "\n".join(lines)


def passes(s: Score) -> bool:
    """The corpus bar: recall, no error on a clean report, no crash, cells read."""
    return s.recall >= MIN_RECALL and not s.clean_errors and not s.crashes and s.cells_rate >= MIN_CELLS_RATE
