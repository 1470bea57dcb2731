"""``drafting`` in a pseudo-terminal of 80 columns, read and typed into like a person.

Shared by the revision tests and ``bench/bench_quit.py``: it imports nothing from pytest, so a bench
script runs it without the test runner.
"""

from __future__ import annotations

import os
import re
import select
import struct
import subprocess
import sys
import time

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Pty:
    """The installed command line in a pseudo-terminal of 30 rows by 80 columns."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        import fcntl
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 80, 0, 0))
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

    def expect(self, words: str, timeout: float = 20, after: int = 0) -> float:
        """Wait until ``words`` show on the screen (from offset ``after`` of its text); the seconds
        it took, which the bench reports."""
        started = time.monotonic()
        deadline = started + timeout
        while words not in self.text[after:]:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {words!r}; screen:\n{self.text[-2000:]}"
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.2))
            if ready:
                try:
                    self.seen += os.read(self.fd, 65536)
                except OSError:  # the child closed the terminal
                    assert words in self.text, f"never saw {words!r}; screen:\n{self.text[-2000:]}"
        return time.monotonic() - started

    def send(self, keys: str) -> None:
        time.sleep(0.15)  # let the prompt take the keys, as a person types after seeing it
        os.write(self.fd, keys.encode("utf-8"))

    def close(self, timeout: float = 20) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            os.close(self.fd)
        return code
