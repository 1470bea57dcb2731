"""bench/bench_draft.py runs and prints both figures. No timing is asserted: speed is read, not tested."""

from __future__ import annotations

import re

from .bench_support import run_bench


def test_bench_quick_prints_both_figures() -> None:
    done = run_bench("bench_draft.py", "--quick")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"\(1\) CLI.*\n\s+median \d+\.\d+ s .*target ≤ 0\.4 s; ratio \d+\.\d+", out), out
    assert re.search(r"\(1b\) start-up: drafting draft .* --format md \(offline\) against", out), out
    for what in ("wall", "cpu"):
        assert re.search(
            rf"{what} +median \d+\.\d+ s vs \d+\.\d+ s: ratio \d+\.\d+× \(target ≤ 1\.5×", out
        ), out
    assert re.search(r"\(2\) in-process.*over 20 generated files", out), out
    assert re.search(r"load \d+\.\d+ s .* draft \d+\.\d+ s .* render md \d+\.\d+ s", out), out
    assert re.search(r"throughput \d+\.\d+ drafts/s; target ≥ 50; ratio \d+\.\d+", out), out
    assert "Traceback" not in done.stderr
