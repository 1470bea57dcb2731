"""bench/bench_llm.py runs and prints its figures. Nothing about speed is asserted: it is read, not tested."""

from __future__ import annotations

import re

from .bench_support import run_bench


def test_bench_llm_quick_prints_the_ratios() -> None:
    done = run_bench("bench_llm.py", "--quick", "--drafts", "2", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(
        r"\(1\) one draft, in-process: median \d+\.\d+ s .* ratio \d+\.\d+; target ≤ 1\.3", out
    ), out
    assert re.search(r"\(2\) 2 drafts at --jobs 2, in-process: .* ratio \d+\.\d+; target ≤ 1\.3", out), out
    assert re.search(r"\(3\) one draft, whole process .* ratio \d+\.\d+", out), out
