"""bench/bench_llm.py runs and prints its figures. Nothing about speed is asserted: it is read, not tested."""

from __future__ import annotations

from .bench_support import assert_shows, bench_output


def test_bench_llm_quick_prints_the_ratios() -> None:
    out = bench_output("bench_llm.py", "--quick", "--drafts", "2", "--jobs", "2")
    assert_shows(
        out,
        r"\(1\) one draft, in-process: median \d+\.\d+ s .* ratio \d+\.\d+; target ≤ 1\.3",
        r"\(2\) 2 drafts at --jobs 2, in-process: .* ratio \d+\.\d+; target ≤ 1\.3",
        r"\(3\) one draft, whole process .* ratio \d+\.\d+",
    )
