"""Tune the overlap thresholds of M3 (``checks/sources.py``) on one half of the answer corpus and
report them on the other half, so that the figure reported is not the figure tuned.

    python evals/answers/tune.py            # the scores, the threshold chosen on half A, its result on B

Every answer is judged with the thresholds lifted above 1 (every candidate sentence then reports its
overlap score in its evidence). A faithful answer's lowest score is what a threshold must stay under;
an invented sentence's score (a candidate of the fault that its faithful twin does not have) is what
it must stay over. The corpus is split by the hash of each answer's twin, so a fault and its twin
fall in the same half. The threshold chosen on A is the highest that rejects no faithful answer of
A (the midpoint between A's lowest faithful score and its highest invented score below that); the
report is B's false rejections and catches at that threshold and at the one the code uses.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from measure import half  # noqa: E402  (this folder: the same split as the figures measure.py prints)

from drafting.backends.replay import load_replay  # noqa: E402
from drafting.checks import sources  # noqa: E402
from drafting.evaluation.suite import load_suite  # noqa: E402
from drafting.narrative import judge  # noqa: E402

_SCORE = re.compile(r"“(.+)”；与(?:最接近的一条)?素材重合 ([0-9.]+)")
INVENTED = ("invented-activity", "invented-problem")


def scores(section: str, text: str, data: object) -> dict[str, float]:
    """Each candidate sentence of an answer with its overlap score (thresholds lifted)."""
    judged = judge(section, text, data)  # type: ignore[arg-type]
    out = {}
    for f, _ in judged.findings:
        m = _SCORE.match(f.evidence) if f.rule == "M3" else None
        if m:
            out[m.group(1)] = float(m.group(2))
    return out


def main() -> int:
    kinds = {
        "activity": ("OVERLAP_MIN", "invented-activity"),
        "problem": ("PROBLEM_OVERLAP_LOW", "invented-problem"),
    }
    saved = {name: getattr(sources, name) for name, _ in kinds.values()}
    for name, _ in kinds.values():
        setattr(sources, name, 1.01)
    try:
        suite = load_suite(HERE / "suite.yaml")
        cases = {c.id: c for c in suite.cases}
        entries = [
            e for e in load_replay(HERE / "answers.yaml").entries if e.label and isinstance(e.case, str)
        ]
        found = {e.case: scores(e.section, e.answers()[0], cases[e.case].loaded.data) for e in entries}
    finally:
        for name, value in saved.items():
            setattr(sources, name, value)
    for kind, (name, label) in kinds.items():
        section_ok = (lambda s: s == "problems") if kind == "problem" else (lambda s: s != "problems")
        faithful: dict[str, list[float]] = {"A": [], "B": []}
        invented: dict[str, list[float]] = {"A": [], "B": []}
        for e in entries:
            assert isinstance(e.case, str)
            if not section_ok(e.section):
                continue
            mine = found[e.case]
            if e.label == "faithful":
                faithful[half(e.case)].append(min(mine.values(), default=1.0))
            elif e.label == label:
                twin = found.get(e.case.split("--", 1)[0], {})
                new = [score for sentence, score in mine.items() if sentence not in twin]
                invented[half(e.case)].append(min(new, default=1.0))
        chosen = _midpoint(faithful["A"], invented["A"])
        print(f"{name}（{label}）：当前 {saved[name]}")
        print(f"  A 半：忠实回答最低分 {_low(faithful['A'])}，编造句得分 {_shown(invented['A'])}")
        print(f"  在 A 上选出的门槛（A 的忠实回答最低分与其下最高的编造句得分的中点）：{chosen:.2f}")
        for t in sorted({chosen, saved[name]}):
            print(
                f"  B 半，门槛 {t:.2f}：忠实回答被拒 {_below(faithful['B'], t)}/{len(faithful['B'])}，"
                f"编造被发现 {_below(invented['B'], t)}/{len(invented['B'])}"
            )
    return 0


def _midpoint(faithful: list[float], invented: list[float]) -> float:
    """Halfway between the lowest faithful score and the highest invented score under it: the
    widest margin on both sides (an invented sentence scoring above every faithful one is left to
    the other rules)."""
    low = min(faithful, default=1.0)
    under = [v for v in invented if v < low]
    return round((low + max(under, default=0.0)) / 2, 2)


def _below(values: Iterable[float], threshold: float) -> int:
    return sum(v < threshold for v in values)


def _low(values: list[float]) -> str:
    return f"{min(values):.2f}" if values else "—"


def _shown(values: list[float]) -> str:
    return "、".join(f"{v:.2f}" for v in sorted(values)) or "—"


if __name__ == "__main__":
    sys.exit(main())
