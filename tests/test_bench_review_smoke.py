"""bench/bench_review.py and bench/calibrate_similarity.py run and print their figures. Nothing about
speed is asserted: speed is read, not tested."""

from __future__ import annotations

import re

from .bench_support import assert_shows, bench_output


def test_bench_review_quick_prints_every_figure() -> None:
    out = bench_output("bench_review.py", "--quick")
    assert_shows(
        out,
        r"\(1\) first run: \d+ files in \d+\.\d s wall \(\d+ ms per file on 2 processes\)",
        r"^\s+txt +n=\d+ +read and check: mean \d+ ms",
        r"\(2\) re-run, nothing changed: \d+\.\d+ s wall = \d+\.\d% of the first run",
        r"\(3\) memory at \d+ files: main process \d+ MB, largest worker \d+ MB",
        r"a province \(≈ 10,000 reports\) on 2 processes: ≈ \d+ min",
    )
    files = re.search(r"\(1\) first run: (\d+) files", out)
    assert files is not None and f"checked 0, from the cache {files.group(1)}" in out, out


def test_calibration_prints_each_kind_of_pair() -> None:
    out = bench_output("calibrate_similarity.py", "--quick")
    assert_shows(out, r"threshold 0\.5")
    for kind in ("copied, 0% rewritten", "honest", "other_agency"):
        line = next(x for x in out.splitlines() if x.strip().startswith(kind))
        assert re.search(r"min \d\.\d{3}  median \d\.\d{3}  max \d\.\d{3}", line), line
    # --quick builds 10 pairs of each kind; the copies are spread over five rewrite levels (2 each).
    assert_shows(
        out,
        r"copied, 0% rewritten .* flagged 2/2$",
        r"other_agency  .* not flagged 10/10$",
        r"honest  .* not flagged 10/10$",
    )
