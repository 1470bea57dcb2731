"""bench/bench_batch.py runs and prints its figures. Nothing about speed is asserted: it is read, not tested."""

from __future__ import annotations

from .bench_support import assert_shows, bench_output


def test_bench_batch_quick_prints_the_figures() -> None:
    out = bench_output(
        "bench_batch.py", "--quick", "--drafts", "4", "--limit", "8", "--window", "2", "--agencies", "6"
    )
    assert_shows(
        out,
        r"\(1\) real time: 4 drafts \(16 requests\) at --jobs 8, quota 8 per 2 s",
        r"wall \d+\.\d+ s; ideal \d+\.\d+ s; ratio \d+\.\d+; target ≤ 1\.1; 429s from the server: 0",
        r"\(2\) batch: 6 agencies \(24 requests\); 6 drafts written; 1 upload\(s\), 1 batch\(es\)",
        r"submit \+ collect: \d+\.\d+ s, \d+\.\d+ agencies/s",
    )
