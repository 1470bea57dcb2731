"""The README's promises: its test command is what CI runs, and its draft command works."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from drafting.cli import cli

from .conftest import ROOT


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text)[:2]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = _readme_commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_draft_command_writes_the_draft(tmp_path: Path) -> None:
    draft_command = _readme_commands()[0].split("&&")[-1]
    args = shlex.split(draft_command)[1:]
    args[args.index("-o") + 1] = str(tmp_path / "drafts")
    args = [str(ROOT / a) if a.startswith("examples/") else a for a in args]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    for suffix in (".md", ".txt", ".draft.json"):
        assert (tmp_path / "drafts" / f"daxinganling-2023{suffix}").is_file()
