"""Helpers for the bench smoke tests: run a ``bench/`` script as a user would, in its own process."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT


def run_bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python bench/SCRIPT ARGS``; its output is read by the test, its speed is not."""
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def bench_output(script: str, *args: str) -> str:
    """``python bench/SCRIPT ARGS`` must end well and without a traceback; what it printed."""
    done = run_bench(script, *args)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    return done.stdout


def assert_shows(out: str, *patterns: str) -> None:
    """Every figure is printed: each pattern is found in ``out`` (``^`` and ``$`` match at lines)."""
    for pattern in patterns:
        assert re.search(pattern, out, re.M), f"{pattern!r} not in:\n{out}"
