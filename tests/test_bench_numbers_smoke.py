"""bench/bench_numbers.py runs and prints its figures. No timing is asserted: speed is read, not tested."""

from __future__ import annotations

import re

from .bench_support import run_bench


def test_bench_numbers_quick_prints_every_shape() -> None:
    done = run_bench("bench_numbers.py", "--quick")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"realistic prose\s+\d+\s+\d+\.\d+\s+\d+\.\d+\s+\d+\.\d+", out), out
    assert re.search(r"target ≤ 50 ms: \d+\.\d+ of target", out), out
    assert len(re.findall(r"^\S.*\s\d+\.\d+$", out, re.M)) >= 10, out
    assert "Traceback" not in done.stderr


def test_bench_answers_quick_prints_the_corpus_and_every_shape() -> None:
    done = run_bench("bench_answers.py", "--quick")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"narrative\.judge on evals/answers: 40 answers", out), out
    assert re.search(r"median \d+\.\d ms, max \d+\.\d ms \(target ≤ 50 ms: \d+\.\d+ of target\)", out), out
    assert len(re.findall(r"^\S.*\s\d+\.\d+\s+\d+\.\d+\s+\d+\.\d+$", out, re.M)) == 5, out
