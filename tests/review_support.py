"""Helpers for the reviewer mode's tests: a folder of our renderings (``evaluation.folders``), the
command run as a user runs it, and its outputs read back."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from drafting.evaluation.folders import BuiltFolder, build_test_folder


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        payload: dict[str, Any] = json.loads(self.out)
        return payload


def review(folder: Path, out: Path, *args: str, timeout: int = 300) -> Run:
    """``drafting review FOLDER -o OUT ARGS`` in its own process."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from drafting.cli import main; main()",
            "review",
            str(folder),
            "-o",
            str(out),
            *args,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        env={**os.environ},
    )
    return Run(done.returncode, done.stdout, done.stderr)


def built_copy(source: BuiltFolder, target: Path) -> BuiltFolder:
    """A copy of a built folder, to change without touching the shared one."""
    shutil.copytree(source.root, target)
    return BuiltFolder(target, list(source.reports))


def build(root: Path) -> BuiltFolder:
    return build_test_folder(root)


def csv_rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so that Excel opens it in Chinese"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def report_of(payload: dict[str, Any], file: str) -> dict[str, Any]:
    found: dict[str, Any] = next(r for r in payload["reports"] if r["file"] == file)
    return found


PARTIAL = "宁波市/宁波市自然资源和规划局2023年报告.md"  # where ``add_partial`` puts its report


def add_partial(root: Path) -> str:
    """A report read in part, added under ``root``: 表三 as a PDF-to-Markdown conversion prints it,
    labels and numbers apart, with one row of numbers lost — the reader cannot tie the rows back, so
    the rules that rest on 表三 are not assessed. Its path under ``root``."""
    import re

    from .checks_support import busy_page, text_of

    lines = text_of(busy_page(), "apart").split("\n")
    orphans = [i for i, line in enumerate(lines) if re.fullmatch(r"\|( \d+ \|){7}", line)]
    del lines[orphans[3] : orphans[3] + 2]
    target = root / PARTIAL
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), encoding="utf-8")
    return PARTIAL


@pytest.fixture(scope="module")
def folder_fixture(tmp_path_factory: pytest.TempPathFactory) -> BuiltFolder:
    """The sample folder of reports, built once per test module. pytest sees a fixture defined here
    once a module binds it: ``folder = review_support.folder_fixture``."""
    return build(tmp_path_factory.mktemp("reports") / "报告")
