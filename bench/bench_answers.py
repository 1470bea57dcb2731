"""Judging a model's answer (issue 10) stays cheap and linear: ``narrative.judge`` — cleaning, the
strict checks (binding by label, claims, year on year and shares, completeness, sources), the prompt
echo — on the labelled corpus and on long paragraphs.

    python bench/bench_answers.py            # the corpus once, then 32,000-character paragraphs
    python bench/bench_answers.py --quick    # smoke run: 40 answers, 8,000 characters

Prints the median time per answer of ``evals/answers`` (target ≤ 50 ms: the check is one step of a
request that takes seconds) and, for paragraph shapes a model could send (realistic prose of 一,
runs of comparisons, of claims, of invented sentences), the time at full length and at a quarter: the
ratio is ≈ 4 for linear work, ≈ 16 for quadratic (target ≤ 6). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafting import offline  # noqa: E402
from drafting.backends.replay import load_replay  # noqa: E402
from drafting.data import load_data  # noqa: E402
from drafting.evaluation.suite import load_suite  # noqa: E402
from drafting.narrative import judge  # noqa: E402

ANSWERS = ROOT / "evals" / "answers"
TARGET_MS = 50.0


def corpus(limit: int | None) -> list[float]:
    cases = {c.id: c for c in load_suite(ANSWERS / "suite.yaml").cases}
    entries = [
        e for e in load_replay(ANSWERS / "answers.yaml").entries if e.label and isinstance(e.case, str)
    ]
    times = []
    for e in entries[:limit]:
        assert isinstance(e.case, str)
        data = cases[e.case].loaded.data
        t0 = time.perf_counter()
        judge(e.section, e.answers()[0], data)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def shapes() -> dict[str, str]:
    data = load_data(ROOT / "examples" / "district-dept-2024.yaml").data
    prose = "".join(offline.write_section("overview", data)[1:])
    return {
        "realistic 一": prose,
        "comparisons": "新收申请66件，较上年增加6件，同比增长10.0%；",
        "claims": "行政复议4件，均获维持；全部申请均已办结，无结转下年度的申请；",
        "invented practice": "举办政务公开日活动3场，邀请市民代表走进机关；",
        "totals": "予以公开3件、部分公开17件，共计20件；",
    }


def _time(text: str, data: object, passes: int) -> float:
    runs = []
    for _ in range(passes):
        t0 = time.perf_counter()
        judge("overview", "（二）依申请公开。" + text, data)  # type: ignore[arg-type]
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run")
    args = parser.parse_args()
    limit, size, passes = (40, 8000, 1) if args.quick else (None, 32000, 3)
    times = corpus(limit)
    print(f"narrative.judge on evals/answers: {len(times)} answers")
    print(
        f"  median {statistics.median(times):.1f} ms, max {max(times):.1f} ms "
        f"(target ≤ {TARGET_MS:.0f} ms: {statistics.median(times) / TARGET_MS:.2f} of target)"
    )
    data = load_data(ROOT / "examples" / "district-dept-2024.yaml").data
    print(f"{size:,}-character paragraphs of 一, median of {passes} pass(es)")
    print(f"{'shape':20s} {'ms':>9s} {'ms at 1/4':>10s} {'ratio':>6s}")
    for name, unit in shapes().items():
        full = (unit * (size // len(unit) + 1))[:size]
        ms, quarter = _time(full, data, passes), _time(full[: size // 4], data, passes)
        print(f"{name:20s} {ms:9.1f} {quarter:10.1f} {ms / quarter if quarter else float('nan'):6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
