"""bench/bench_draft.py runs and prints both figures. No timing is asserted: speed is read, not tested."""

from __future__ import annotations

from .bench_support import assert_shows, bench_output


def test_bench_quick_prints_both_figures() -> None:
    out = bench_output("bench_draft.py", "--quick")
    assert_shows(
        out,
        r"\(1\) CLI.*\n\s+median \d+\.\d+ s .*target ≤ 0\.4 s; ratio \d+\.\d+",
        r"\(1b\) start-up: drafting draft .* --format md \(offline\) against",
        *(
            rf"{what} +median \d+\.\d+ s vs \d+\.\d+ s: ratio \d+\.\d+× \(target ≤ 1\.5×"
            for what in ("wall", "cpu")
        ),
        r"\(2\) in-process.*over 20 generated files",
        r"load \d+\.\d+ s .* draft \d+\.\d+ s .* render md \d+\.\d+ s",
        r"throughput \d+\.\d+ drafts/s; target ≥ 50; ratio \d+\.\d+",
    )
