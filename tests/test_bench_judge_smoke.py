"""bench/bench_judge.py runs and prints its figures. Nothing about cost or agreement is asserted
beyond what the run itself must hold (a rerun asks nothing): the figures are read, not tested."""

from __future__ import annotations

from .bench_support import assert_shows, bench_output


def test_bench_judge_quick_prints_its_figures() -> None:
    out = bench_output("bench_judge.py", "--quick")
    assert_shows(
        out,
        r"\(1\) one run: \d+ requests .* its rerun: 0 requests",
        r"\(2\) cost, characters billed per draft: drafting [\d,]+; grading",
        r"\(3\) graders' spread over \d+ judgements",
        r"\(4\) agreement with the reviewers",
        r"\(5\) pairwise over \d+ pairs: flips \d+",
    )
    assert "具体而非口号" in out, out
