"""bench/bench_judge.py runs and prints its figures. Nothing about cost or agreement is asserted
beyond what the run itself must hold (a rerun asks nothing): the figures are read, not tested."""

from __future__ import annotations

import re

from .bench_support import run_bench


def test_bench_judge_quick_prints_its_figures() -> None:
    done = run_bench("bench_judge.py", "--quick")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"\(1\) one run: \d+ requests .* its rerun: 0 requests", out), out
    assert re.search(r"\(2\) cost, characters billed per draft: drafting [\d,]+; grading", out), out
    assert re.search(r"\(3\) graders' spread over \d+ judgements", out), out
    assert re.search(r"\(4\) agreement with the reviewers", out) and "具体而非口号" in out, out
    assert re.search(r"\(5\) pairwise over \d+ pairs: flips \d+", out), out
