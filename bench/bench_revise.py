"""How quick the revision loop feels: the steps between the model's answer and the author's key.

Prints figures, asserts nothing. Per step, the median of N runs on the reference draft:
- opening a draft (load, validate, replay the history) with a history of H entries;
- the checks on one section after a change (what runs before every accept);
- the character diff of a section, and of a 5,000-character text (LIBRARIES.md finding 13);
- saving one accepted change (the whole draft file, written and renamed atomically);
- ``drafting revise --undo`` as a whole process (start-up, imports, undo, save, documents).

    python bench/bench_revise.py [--runs 9] [--history 200]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "daxinganling-2023.yaml"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--history", type=int, default=200, help="entries in the draft's history")
    args = parser.parse_args()

    from drafting import offline
    from drafting.cli.diffs import diff_text
    from drafting.data import load_data
    from drafting.draft import draft_report, write_draft
    from drafting.revise.checking import change_findings
    from drafting.revise.session import RevisionSession

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_draft(draft_report(load_data(EXAMPLE)), out, "report", ("md",))
        path = out / "report.draft.json"
        session = RevisionSession(path)
        for n in range(args.history // 2):  # edits and undos, as a long session leaves them
            session.edit("problems", f"第{n}稿。")
            session.accept()
            session.undo()
        size = path.stat().st_size
        data = session.data
        before = offline.write_section("overview", data)
        after = [p.replace("及时", "按时") + "全年组织培训2次。" for p in before]

        print(f"draft file: {size / 1024:.0f} KiB with {len(session.history)} history entries")
        print(f"open draft + replay history:   {median_ms(lambda: RevisionSession(path), args.runs):7.1f} ms")
        findings = median_ms(lambda: change_findings("overview", before, after, data, []), args.runs)
        print(f"checks on one change (overview): {findings:5.1f} ms")
        print(
            f"diff of a section:             {median_ms(lambda: diff_text(before, after), args.runs):7.1f} ms"
        )
        long_a = "".join(before) * 12
        long_b = "".join(after) * 12
        diff_5k = median_ms(lambda: diff_text(long_a[:5000], long_b[:5000]), args.runs)
        print(f"diff of 5,000 characters:      {diff_5k:7.1f} ms")

        def save() -> None:
            session.edit("other", f"其他事项{time.perf_counter_ns()}。")
            session.accept()

        print(f"accept + atomic save:          {median_ms(save, args.runs):7.1f} ms")

        def undo_cli() -> None:
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from drafting.cli import main; main()",
                    "revise",
                    str(path),
                    "--undo",
                ],
                check=True,
                capture_output=True,
            )

        print(f"drafting revise --undo (process): {median_ms(undo_cli, max(3, args.runs // 3)):5.0f} ms")


if __name__ == "__main__":
    main()
