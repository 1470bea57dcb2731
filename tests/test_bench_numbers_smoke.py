"""bench/bench_numbers.py runs and prints its figures. No timing is asserted: speed is read, not tested."""

from __future__ import annotations

import re

from .bench_support import assert_shows, bench_output


def test_bench_numbers_quick_prints_every_shape() -> None:
    out = bench_output("bench_numbers.py", "--quick")
    assert_shows(
        out,
        r"realistic prose\s+\d+\s+\d+\.\d+\s+\d+\.\d+\s+\d+\.\d+",
        r"target ≤ 50 ms: \d+\.\d+ of target",
    )
    assert len(re.findall(r"^\S.*\s\d+\.\d+$", out, re.M)) >= 10, out


def test_bench_answers_quick_prints_the_corpus_and_every_shape() -> None:
    out = bench_output("bench_answers.py", "--quick")
    assert_shows(
        out,
        r"narrative\.judge on evals/answers: 40 answers",
        r"median \d+\.\d ms, max \d+\.\d ms \(target ≤ 50 ms: \d+\.\d+ of target\)",
    )
    assert len(re.findall(r"^\S.*\s\d+\.\d+\s+\d+\.\d+\s+\d+\.\d+$", out, re.M)) == 5, out
