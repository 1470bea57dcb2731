"""bench/bench_serve.py runs and prints its three figures. No timing is asserted: speed is read, not tested."""

from __future__ import annotations

import re

from .bench_support import run_bench


def test_bench_serve_quick_prints_its_figures() -> None:
    done = run_bench("bench_serve.py", "--quick")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"data edit \(write one cell, validate\)\s+\d+\.\d ms", out), out
    assert re.search(r"home page .*\s+\d+\.\d ms", out), out
    assert re.search(r"SSE client: median\s+\d+\.\d ms", out), out
    assert re.search(r"chromium page: (median|skipped)", out), out
    assert re.search(r"resident memory:\s+\d+\.\d MB", out), out
    assert "Traceback" not in done.stderr
