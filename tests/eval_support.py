"""Helpers for the eval harness tests: run ``drafting eval`` as a user would, write small suites and
replays on disk, copy the prompt directory."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from drafting.cli import cli
from drafting.evaluation.record import RunRecord, load_record

from .conftest import EXAMPLES, ROOT

EVALS = ROOT / "evals"
SUITE = EVALS / "suite.yaml"
REPLAY_SUITE = EVALS / "replay.yaml"
DISTRICT = EXAMPLES / "district-dept-2024.yaml"
PROMPTS = ROOT / "drafting" / "prompt_files"


def run_eval(*args: str | Path) -> Result:
    return CliRunner().invoke(cli, ["eval", *map(str, args)])


def record_of(path: Path) -> RunRecord:
    return load_record(path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def suite_text(cases: str, *, name: str = "测试评测集", extra: str = "") -> str:
    return f"name: {name}\n{extra}cases:\n{cases}"


def district_case(case_id: str, expect: str = "", data: Path = DISTRICT) -> str:
    text = f"  - id: {case_id}\n    data: {data}\n"
    if expect:
        text += "    expect:\n" + "".join(f"      - {line}\n" for line in expect.strip().splitlines())
    return text


def replay_file(path: Path, entries: list[dict[str, Any]]) -> Path:
    """A replay as JSONL (one entry per line): the second of the two forms a replay may take."""
    lines = [json.dumps(e, ensure_ascii=False) for e in entries]
    return write(path, "\n".join(lines) + "\n")


def copy_prompts(dest: Path, *, system_extra: str = "") -> Path:
    """A copy of the project's prompts, with a line added to the system prompt if asked."""
    shutil.copytree(PROMPTS, dest)
    if system_extra:
        system = dest / "system.md"
        system.write_text(
            system.read_text(encoding="utf-8").rstrip("\n") + "\n" + system_extra + "\n", "utf-8"
        )
    return dest


def offline_answers(data_file: Path = DISTRICT, mark: str = "") -> dict[str, str]:
    """Good answers for every section (the offline text), the first paragraph of each ending with
    ``mark`` so a test can tell the model's text from the offline fallback."""
    from drafting import official
    from drafting.data import load_data
    from drafting.offline import write_section

    data = load_data(data_file).data
    out = {}
    for section in official.SECTION_IDS:
        paragraphs = write_section(section, data)
        paragraphs[0] += mark
        out[section] = "\n\n".join(paragraphs)
    return out


def result(record: RunRecord, case: str, name: str, repeat: int = 1) -> tuple[bool, str]:
    run = next(r for r in record.runs if r.case == case and r.repeat == repeat)
    res = next(r for r in run.results if r.name == name)
    return res.ok, res.reason


def section_text(record: RunRecord, case: str, section: str, repeat: int = 1) -> str:
    run = next(r for r in record.runs if r.case == case and r.repeat == repeat)
    return "\n".join(run.text(section))
