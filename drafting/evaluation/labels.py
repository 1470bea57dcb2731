"""Labelled answers (issue 10): how the model path judges answers whose nature is known.

A replay entry may say what its answer is (``label``): ``faithful`` — the writer must take it as it
is — or the class of fault it carries (``evals/answers/README.md``). The runner records each drafted
section's label; here each becomes a verdict:

- a **faithful** answer is *accepted* when the section was written from it, first time (not sent back,
  not replaced by the offline text);
- a fault of a **kept-out** class (chatter, a repeated heading, a damaged URL) is *caught* when it does
  not reach the draft: cleaned away (the case's ``not_contains`` expectations for the section hold)
  or rejected;
- any other fault is *caught* when the answer was rejected (re-asked or replaced).

From the verdicts: the false-rejection rate and the recall per class, per prompt version × model
(``report``), and the gates ``--min-faithful``/``--min-recall`` (every class caught at least once).
Verdicts are derived from the stored run, so ``--rescore`` recomputes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from .record import DraftRun, RunRecord

FAITHFUL: Final = "faithful"
# Faults that only have to stay out of the draft: cleaning them away is as good as rejecting them.
KEPT_OUT: Final = frozenset(
    {"chatter-before", "chatter-after", "chatter-note", "repeated-heading", "url-damage"}
)


@dataclass(frozen=True)
class Verdict:
    section: str
    label: str
    ok: bool  # faithful: accepted first time; a fault: caught
    how: str  # what happened, in Chinese


def verdicts(run: DraftRun) -> list[Verdict]:
    out = []
    for section, label in run.labels.items():
        rejected = section in run.fallbacks or section in run.reasked
        if label == FAITHFUL:
            how = (
                "被退回重写"
                if section in run.reasked
                else "被替换为离线文本"
                if section in run.fallbacks
                else "直接采用"
            )
            out.append(Verdict(section, label, not rejected, how))
            continue
        if rejected:
            out.append(Verdict(section, label, True, "被拒绝（重新提问或回退）"))
            continue
        if label in KEPT_OUT:
            kept = [r for r in run.results if r.kind == "not_contains" and r.section in (section, None)]
            clean = bool(kept) and all(r.ok for r in kept)
            out.append(Verdict(section, label, clean, "清理后未进入草稿" if clean else "进入了草稿"))
            continue
        out.append(Verdict(section, label, False, "被原样采用"))
    return out


@dataclass
class Tally:
    total: int = 0
    ok: int = 0

    @property
    def rate(self) -> float:
        return self.ok / self.total if self.total else 0.0


@dataclass
class LabelCell:
    """One prompt version × model: the faithful answers accepted and the faults caught, per class."""

    prompt: str
    model: str
    faithful: Tally = field(default_factory=Tally)
    faults: Tally = field(default_factory=Tally)
    classes: dict[str, Tally] = field(default_factory=dict)
    missed: list[tuple[str, str, str]] = field(default_factory=list)  # (case, section, label)

    def add(self, case: str, v: Verdict) -> None:
        if v.label == FAITHFUL:
            tally = self.faithful
        else:
            tally = self.classes.setdefault(v.label, Tally())
            self.faults.total += 1
            self.faults.ok += v.ok
        tally.total += 1
        tally.ok += v.ok
        if not v.ok:
            self.missed.append((case, v.section, v.label))

    @property
    def false_rejection(self) -> float:
        return 1 - self.faithful.rate if self.faithful.total else 0.0


def label_cells(record: RunRecord) -> list[LabelCell]:
    """The labelled figures of each prompt version × model that drafted labelled answers."""
    out = []
    for p in record.prompts:
        for m in record.models:
            cell = LabelCell(p.label, m)
            for run in record.runs:
                if run.prompt == p.label and run.model == m:
                    for v in verdicts(run):
                        cell.add(run.case, v)
            if cell.faithful.total or cell.faults.total:
                cell.classes = dict(sorted(cell.classes.items(), key=lambda kv: (kv[0] in KEPT_OUT, kv[0])))
                out.append(cell)
    return out


def gate(cells: Iterable[LabelCell], min_faithful: float | None, min_recall: float | None) -> list[str]:
    """The cells below the thresholds, each said in Chinese (empty when none)."""
    out = []
    for c in cells:
        where = f"{c.prompt} · {c.model}"
        if min_faithful is not None and c.faithful.total and c.faithful.rate < min_faithful:
            out.append(
                f"{where}：忠实回答采用率 {c.faithful.rate * 100:.1f}%（{c.faithful.ok}/{c.faithful.total}），"
                f"门槛 {min_faithful * 100:g}%"
            )
        if min_recall is not None and c.faults.total:
            if c.faults.rate < min_recall:
                out.append(
                    f"{where}：错误发现率 {c.faults.rate * 100:.1f}%（{c.faults.ok}/{c.faults.total}），"
                    f"门槛 {min_recall * 100:g}%"
                )
            never = [label for label, t in c.classes.items() if t.total and not t.ok]
            if never:
                out.append(f"{where}：这些类别一条也没有发现：{'、'.join(never)}")
    return out


def labelled(runs: Sequence[DraftRun]) -> bool:
    return any(run.labels for run in runs)
