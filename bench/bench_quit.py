"""How long the author waits, and without a word, when leaving ``drafting revise`` (issue 14).

Quitting the terminal loop re-renders the documents beside the draft; a PDF (LibreOffice) takes
seconds. This opens the installed command in a pseudo-terminal of 80 columns on a draft written in
md, docx and pdf (pdf only when LibreOffice is installed), pins a sentence (a change to save), types
``q`` and reads the screen: the time to the first word of progress, and to the end of the process.

Prints figures, asserts nothing. ``--runs N`` sessions (median).

    python bench/bench_quit.py [--runs 3] [--formats md,docx,pdf]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "daxinganling-2023.yaml"
PROGRESS = "正在按修订重新生成文档"
sys.path.insert(0, str(ROOT))  # tests/ holds the pseudo-terminal the revision tests type into

from tests.pty_support import Pty  # noqa: E402


def one_session(draft: Path) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    env.update(TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
    screen = Pty(["revise", str(draft), "--model", "offline"], env)
    try:
        screen.expect("revise>", timeout=120)
        screen.send("1\r")
        screen.expect("overview>", timeout=120)
        screen.send("pin 1.1\r")
        screen.expect("已固定", timeout=120)
        time.sleep(0.15)
        os.write(screen.fd, b"q\r")
        quit_at = time.monotonic()
        first = screen.expect(PROGRESS, timeout=120)
        screen.expect("已更新文档", timeout=120)
        screen.proc.wait(timeout=120)
        done = time.monotonic() - quit_at
    finally:
        screen.close(timeout=120)
    return first, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default="md,docx,pdf" if shutil.which("soffice") else "md,docx")
    args = parser.parse_args()
    firsts, totals = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            out = Path(tmp) / f"run{run}"
            subprocess.run(
                [
                    shutil.which("drafting") or "drafting",
                    "draft",
                    str(EXAMPLE),
                    "-o",
                    str(out),
                    "--format",
                    args.formats,
                ],
                check=True,
                capture_output=True,
            )
            first, total = one_session(out / f"{EXAMPLE.stem}.draft.json")
            firsts.append(first)
            totals.append(total)
    print(f"formats: {args.formats}; {args.runs} sessions (median)")
    print(f"q → first word of progress ({PROGRESS}): {statistics.median(firsts) * 1000:.0f} ms")
    print(f"q → documents written, process ended:   {statistics.median(totals):.1f} s")


if __name__ == "__main__":
    main()
