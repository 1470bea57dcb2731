"""Gates for CI: regressions against a baseline run, and a minimum pass rate.

A regression is a check that passed in the baseline and fails now, for the same prompt version,
model and case (a run with one prompt folder or one model is compared with the baseline's only one): an expectation (``contains:…``, ``passes:N1``), a rule of the check library
(``rule:N1``, any error finding), or the case as a whole when nothing more specific explains it.
With repeats, "passed" means passed in every repeat. Records are compared, never re-run: no model.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InputError
from .record import DraftRun, RunRecord
from .report import CellStats, cells

CASE = "整体"

Key = tuple[str, str, str]  # prompt label, model, case


@dataclass(frozen=True)
class Regression:
    prompt: str
    model: str
    case: str
    check: str
    reason: str

    def render(self) -> str:
        what = "案例整体" if self.check == CASE else self.check
        return f"{self.case}（{self.prompt} · {self.model}）：{what} 在基线中通过，现在未通过——{self.reason}"


def _checks(run: DraftRun) -> dict[str, tuple[bool, str]]:
    out: dict[str, tuple[bool, str]] = {CASE: (run.passed, _first_failure(run))}
    for res in run.results:
        out[res.name] = (res.ok, res.reason)
    for f in run.findings:
        if f.severity == "error":
            out.setdefault(f"rule:{f.rule}", (False, f"{f.message}（{f.location}）"))
    return out


def _first_failure(run: DraftRun) -> str:
    return next((r.reason for r in run.results if not r.ok), "")


def outcomes(record: RunRecord) -> dict[Key, dict[str, tuple[bool, str]]]:
    """Per prompt × model × case: each check, and whether it passed in every repeat."""
    out: dict[Key, dict[str, tuple[bool, str]]] = {}
    for run in record.runs:
        checks = out.setdefault((run.prompt, run.model, run.case), {})
        for name, (ok, reason) in _checks(run).items():
            was = checks.get(name)
            if was is None or (was[0] and not ok):
                checks[name] = (ok, reason)
    return out


def _pairing(before: list[str], now: list[str]) -> dict[str, str]:
    """Current names → baseline names: the same name, or the baseline's only one (a prompt folder
    or a model compared with its predecessor)."""
    out = {}
    for name in now:
        if name in before:
            out[name] = name
        elif len(before) == 1:
            out[name] = before[0]
    return out


def regressions(baseline: RunRecord, current: RunRecord) -> list[Regression]:
    before = outcomes(baseline)
    now = outcomes(current)
    labels = _pairing([p.label for p in baseline.prompts], [p.label for p in current.prompts])
    models = _pairing(baseline.models, current.models)
    out: list[Regression] = []
    compared = 0
    for (prompt, model, case), checks in now.items():
        base = before.get((labels.get(prompt, ""), models.get(model, ""), case))
        if base is None:
            continue
        compared += 1
        found = []
        for name, (ok, reason) in checks.items():
            if ok or name == CASE:
                continue
            if name.startswith("rule:"):
                was_ok = base.get(name, (True, ""))[0]  # no error of that rule in the baseline
            else:
                was_ok = base.get(name, (False, ""))[0]  # a new expectation is not a regression
            if was_ok:
                found.append(Regression(prompt, model, case, name, reason))
        if not found and not checks[CASE][0] and base[CASE][0]:
            found.append(Regression(prompt, model, case, CASE, checks[CASE][1]))
        out.extend(found)
    if not compared:
        raise InputError(
            "基线评测记录与本次评测没有可比较的草稿（案例、模型或提示词版本都对不上）。",
            hint="请用同一个评测集和模型生成基线：drafting eval … --json 基线.json。",
        )
    return out


def below(record: RunRecord, minimum: float) -> list[CellStats]:
    """The prompt version × model cells whose pass rate is under ``minimum``."""
    return [c for c in cells(record) if c.drafts and c.rate < minimum]
