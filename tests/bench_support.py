"""Helpers for the bench smoke tests: run a ``bench/`` script as a user would, in its own process."""

from __future__ import annotations

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
