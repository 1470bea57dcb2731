"""bench/bench_batch.py runs and prints its figures. Nothing about speed is asserted: it is read, not tested."""

from __future__ import annotations

import re

from .bench_support import run_bench


def test_bench_batch_quick_prints_the_figures() -> None:
    done = run_bench(
        "bench_batch.py", "--quick", "--drafts", "4", "--limit", "8", "--window", "2", "--agencies", "6"
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"\(1\) real time: 4 drafts \(16 requests\) at --jobs 8, quota 8 per 2 s", out), out
    assert re.search(
        r"wall \d+\.\d+ s; ideal \d+\.\d+ s; ratio \d+\.\d+; target ≤ 1\.1; 429s from the server: 0", out
    ), out
    assert re.search(
        r"\(2\) batch: 6 agencies \(24 requests\); 6 drafts written; 1 upload\(s\), 1 batch\(es\)", out
    ), out
    assert re.search(r"submit \+ collect: \d+\.\d+ s, \d+\.\d+ agencies/s", out), out
