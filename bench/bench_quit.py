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
import re
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "daxinganling-2023.yaml"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PROGRESS = "正在按修订重新生成文档"


class Screen:
    def __init__(self, args: list[str]) -> None:
        import fcntl
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 80, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
        env.update(TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from drafting.cli import main; main()", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.fd = master
        self.seen = b""

    @property
    def text(self) -> str:
        return ANSI.sub("", self.seen.decode("utf-8", "replace"))

    def wait_for(self, words: str, timeout: float = 120) -> float:
        """Seconds until ``words`` show (or the process ends)."""
        started = time.monotonic()
        while words not in self.text:
            if time.monotonic() - started > timeout:
                raise SystemExit(f"never saw {words!r}:\n{self.text[-1500:]}")
            ready, _, _ = select.select([self.fd], [], [], 0.02)
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:
                    break
        return time.monotonic() - started

    def send(self, keys: str) -> None:
        time.sleep(0.15)
        os.write(self.fd, keys.encode("utf-8"))

    def close(self) -> None:
        self.proc.wait(timeout=120)
        os.close(self.fd)


def one_session(draft: Path) -> tuple[float, float]:
    screen = Screen(["revise", str(draft), "--model", "offline"])
    try:
        screen.wait_for("revise>")
        screen.send("1\r")
        screen.wait_for("overview>")
        screen.send("pin 1.1\r")
        screen.wait_for("已固定")
        time.sleep(0.15)
        os.write(screen.fd, b"q\r")
        quit_at = time.monotonic()
        first = screen.wait_for(PROGRESS)
        screen.wait_for("已更新文档")
        screen.proc.wait(timeout=120)
        done = time.monotonic() - quit_at
    finally:
        screen.close()
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
