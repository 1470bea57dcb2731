"""Time, peak memory and exit code of the installed ``drafting`` command on hostile inputs.

    python bench/bench_hostile.py                 # every case of tests/hostile_support.py
    python bench/bench_hostile.py --slow          # only the plausible files on slow paths
    python bench/bench_hostile.py --case docx-bomb --timeout 300 --memory 8000
    python bench/bench_hostile.py --full          # the bombs at the issue's size (1.5 GB, 1 GB)

Each case's file is made on the spot (``tests/hostile_support.py``), then the command runs in its
own process with its address space capped (``--memory`` MB), so a file that explodes ends in a
MemoryError instead of swapping the machine, and is killed after ``--timeout`` seconds. Printed per
case: wall seconds, the child's peak resident memory (MB), the exit code and the message's first
line. Targets (issue 17): ≤ 10 s, ≤ 500 MB, exit 0/1/2 with a Chinese message. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_support import (  # noqa: E402
    CASES,
    check,
    docx_bomb,
    html_spans,
    import_,
    run_command,
    validate,
    xlsx_bomb,
)

# The sizes; the test corpus uses smaller ones, which the limits refuse just the same.
FULL = {
    "docx-bomb": check("r.docx", lambda: docx_bomb(1500)),
    "xlsx-bomb": validate("d.xlsx", lambda: xlsx_bomb(1000)),
    "html-spans": check("r.html", lambda: html_spans(300)),
    "html-spans-import": import_("r.html", lambda: html_spans(300)),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    parser.add_argument("--slow", action="store_true", help="only the slow-path cases")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a case is killed")
    parser.add_argument("--memory", type=int, default=6000, help="address-space cap per case, MB")
    parser.add_argument("--full", action="store_true", help="the bombs and spans at the issue's size")
    args = parser.parse_args()
    cases = [c for c in CASES if (not args.case or c.id in args.case) and (c.slow or not args.slow)]
    if args.full:
        cases = [dataclasses.replace(c, make=FULL[c.id]) if c.id in FULL else c for c in cases]
    # Wall time depends on what else the machine runs; the child's own CPU time does not.
    print(f"{'case':28} {'seconds':>8} {'cpu s':>8} {'peak MB':>8} {'exit':>5}  message")
    for case in cases:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            command = case.make(folder)
            env = dict(os.environ, DRAFTING_HOME=str(folder / "home"))
            outcome = run_command(command, env=env, timeout=args.timeout, address_space_mb=args.memory)
        code = "kill" if outcome.timed_out else str(outcome.exit_code)
        first = next((line for line in outcome.stderr.splitlines() if line.strip()), "")
        if not first:
            first = next((line for line in outcome.stdout.splitlines() if line.strip()), "")
        print(
            f"{case.id:28} {outcome.seconds:8.2f} {outcome.cpu_seconds:8.2f} {outcome.max_rss_mb:8.0f} {code:>5}"
            f"  {first[:90]}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
