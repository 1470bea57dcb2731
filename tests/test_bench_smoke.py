"""bench/bench_draft.py runs and prints both figures. No timing is asserted: speed is read, not tested."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_quick_prints_both_figures() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_draft.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert re.search(r"\(1\) CLI.*\n\s+median \d+\.\d+ s .*target ≤ 0\.4 s; ratio \d+\.\d+", out), out
    assert re.search(r"\(2\) in-process.*over 20 generated files", out), out
    assert re.search(r"load \d+\.\d+ s .* draft \d+\.\d+ s .* render md \d+\.\d+ s", out), out
    assert re.search(r"throughput \d+\.\d+ drafts/s; target ≥ 50; ratio \d+\.\d+", out), out
    assert "Traceback" not in done.stderr
