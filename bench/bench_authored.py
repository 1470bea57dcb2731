"""How many contradictions between an author's facts and the tables ``drafting draft`` reports at
the fact's line, on the data files of ``tests/fixtures/authored/`` (issue 14).

    python bench/bench_authored.py            # every file, through the installed command
    python bench/bench_authored.py --detail   # and each planted fact, reported or missed

Each file's ``planted.json`` entry quotes the facts whose figures contradict the tables. A planted
contradiction counts as reported when a line of ``draft``'s output says a figure does not match at
the fact's line of the data file; a report at any other line is counted as a false alarm. Also
printed: the draft's wall time per file. Nothing is asserted (``tests/test_authored_drafts.py`` does).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AUTHORED = ROOT / "tests" / "fixtures" / "authored"


def line_of(lines: list[str], fact: str) -> int:
    wanted = "- " + json.dumps(fact, ensure_ascii=False)
    return next(n for n, line in enumerate(lines, 1) if line.strip() == wanted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--detail", action="store_true", help="print each planted fact")
    args = parser.parse_args()
    command = shutil.which("drafting", path=str(Path(sys.executable).parent)) or "drafting"
    planted = json.loads((AUTHORED / "planted.json").read_text(encoding="utf-8"))
    total = found = false_alarms = 0
    times = []
    for name, facts in planted.items():
        path = AUTHORED / name
        lines = path.read_text(encoding="utf-8").splitlines()
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            done = subprocess.run(
                [command, "draft", str(path), "-o", out, "--format", "md"],
                capture_output=True,
                text=True,
                check=False,
            )
            times.append(time.perf_counter() - started)
        said = [s for s in (done.stdout + done.stderr).splitlines() if "不符" in s or "不一致" in s]
        at = {int(n) for s in said for n in re.findall(r"第(\d+)行", s)}
        wanted = {line_of(lines, fact): fact for fact in facts}
        hits = [n for n in wanted if n in at]
        total, found = total + len(wanted), found + len(hits)
        false_alarms += len(at - set(wanted))
        print(
            f"{name:32} planted {len(wanted)}  reported at the line {len(hits)}  other lines {len(at - set(wanted))}  {times[-1]:.2f} s"
        )
        if args.detail:
            for n, fact in wanted.items():
                print(f"    {'reported' if n in at else 'MISSED  '} line {n}: {fact}")
    print(
        f"\n{len(planted)} files: {total} contradictions planted, {found} reported by draft at the fact's line "
        f"({found / total:.0%}); {false_alarms} reported at a line where none was planted; "
        f"mean draft time {sum(times) / len(times):.2f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
