"""The offline draft, a command run many times a day, imports no heavy library it does not use: no
model SDK, no prompt library, no Word, Excel or HTML parser until a format or a model needs it.
(How long start-up takes is read in ``bench/bench_draft.py``, never timed here.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import REFERENCE_EXAMPLE

HEAVY = ("openai", "langchain_core", "httpx2", "docx", "openpyxl", "bs4", "lxml")

# The real command in a child process, which reports at exit which of HEAVY it imported.
_WATCHED_CLI = (
    "import atexit, json, sys\n"
    f"heavy = {HEAVY!r}\n"
    "atexit.register(lambda: print(json.dumps([m for m in heavy if m in sys.modules]), file=sys.stderr))\n"
    "from drafting.cli import main\n"
    "sys.argv = ['drafting', *sys.argv[1:]]\n"
    "main()\n"
)


def _imported(*args: str | Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _WATCHED_CLI, *map(str, args)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


def test_the_offline_markdown_draft_imports_no_heavy_library(tmp_path: Path) -> None:
    assert _imported("draft", REFERENCE_EXAMPLE, "-o", tmp_path, "--format", "md,txt") == []


def test_validate_imports_no_heavy_library() -> None:
    assert _imported("validate", REFERENCE_EXAMPLE) == []


@pytest.mark.parametrize(("fmt", "libraries"), [("docx", ["docx", "lxml"]), ("html", [])])
def test_a_format_imports_only_what_it_needs(tmp_path: Path, fmt: str, libraries: list[str]) -> None:
    found = _imported("draft", REFERENCE_EXAMPLE, "-o", tmp_path, "--format", fmt)
    assert found == libraries  # python-docx parses with lxml; the watch sees an import when there is one
