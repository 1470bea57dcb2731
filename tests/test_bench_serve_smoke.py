"""bench/bench_serve.py runs and prints its three figures. No timing is asserted: speed is read, not tested."""

from __future__ import annotations

from .bench_support import assert_shows, bench_output


def test_bench_serve_quick_prints_its_figures() -> None:
    out = bench_output("bench_serve.py", "--quick")
    assert_shows(
        out,
        r"data edit \(write one cell, validate\)\s+\d+\.\d ms",
        r"home page .*\s+\d+\.\d ms",
        r"SSE client: median\s+\d+\.\d ms",
        r"chromium page: (median|skipped)",
        r"resident memory:\s+\d+\.\d MB",
    )
