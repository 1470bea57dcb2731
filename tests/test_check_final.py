"""A report judged as about to be published (``drafting check --final``, the web workspace's 可发布):
what may stay a warning while the report is written — a 【待补充】 marker, a placeholder, a 问题 or
改进 section the author declared empty — is an error there. One library rule
(``check.final_findings``), called by the CLI and the web workspace alike."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from drafting.check import check_file, final_findings
from drafting.checks import run_checks
from drafting.data import load_data
from drafting.draft import draft_file
from drafting.writers import DEFAULT_FORMATS

from .conftest import EXAMPLES


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from drafting.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )


def _drafted(tmp_path: Path, text: str, name: str = "report.yaml") -> tuple[Path, Path]:
    data = tmp_path / name
    data.write_text(text, encoding="utf-8")
    outcome = draft_file(data, tmp_path / "drafts", DEFAULT_FORMATS)
    assert outcome.written is not None, outcome.error
    return data, tmp_path / "drafts" / f"{data.stem}.draft.json"


def _with_topics(problems: str, improvements: str) -> str:
    """The complete example, with the two topics of part 五 replaced."""
    lines = (EXAMPLES / "district-dept-2024.yaml").read_text(encoding="utf-8").splitlines()
    out, skipping = [], False
    for line in lines:
        key = line.strip().split(":", 1)[0]
        if line.startswith("  ") and not line.startswith("    ") and key in ("problems", "improvements"):
            out.append(f"  {key}: {problems if key == 'problems' else improvements}")
            skipping = True
            continue
        if skipping and line.startswith("    "):
            continue
        skipping = False
        out.append(line)
    return "\n".join(out) + "\n"


def test_a_complete_draft_passes_final_and_a_marker_fails_it_only_there(tmp_path: Path) -> None:
    complete, complete_draft = _drafted(
        tmp_path, (EXAMPLES / "district-dept-2024.yaml").read_text(encoding="utf-8"), "complete.yaml"
    )
    ok = _cli("check", str(complete_draft), "--data", str(complete), "--final", "--json")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["ok"] is True

    todo, todo_draft = _drafted(
        tmp_path, (EXAMPLES / "township-2024.yaml").read_text(encoding="utf-8"), "todo.yaml"
    )
    relaxed = _cli("check", str(todo_draft), "--data", str(todo), "--json")
    assert relaxed.returncode == 0, relaxed.stdout + relaxed.stderr
    markers = [f for f in json.loads(relaxed.stdout)["findings"] if f["rule"] == "R1"]
    assert markers and all(f["severity"] == "warning" for f in markers)

    final = _cli("check", str(todo_draft), "--data", str(todo), "--final", "--json")
    assert final.returncode == 1
    payload = json.loads(final.stdout)
    assert payload["ok"] is False
    promoted = [f for f in payload["findings"] if f["rule"] == "R1"]
    assert [f["fingerprint"] for f in promoted] == [f["fingerprint"] for f in markers]
    assert all(f["severity"] == "error" for f in promoted)
    printed = _cli("check", str(todo_draft), "--data", str(todo), "--final")
    assert printed.returncode == 1 and "错误［R1］" in printed.stdout


@pytest.mark.parametrize(
    ("problems", "improvements", "empty"),
    [("[]", "\n    - 加强培训", ["problems"]), ("\n    - 解读形式单一", "[]", ["improvements"])],
)
def test_an_empty_problems_or_improvements_section_is_not_publishable(
    tmp_path: Path, problems: str, improvements: str, empty: list[str]
) -> None:
    data, draft = _drafted(tmp_path, _with_topics(problems, improvements))
    assert load_data(data).data.facts.get(empty[0]) == []
    relaxed = check_file(draft, data)
    assert not [f for f in relaxed if f.is_error]  # while the report is written: nothing to stop it
    final = check_file(draft, data, final=True)
    s7 = [f for f in final if f.rule == "S7"]
    assert len(s7) == 1 and s7[0].is_error
    assert "存在的主要问题" in s7[0].location if empty == ["problems"] else "改进" in s7[0].location
    assert s7[0].evidence and s7[0].fingerprint
    # The CLI says the same, and so does the library on the draft itself (it carries its data).
    result = _cli("check", str(draft), "--data", str(data), "--final", "--json")
    assert result.returncode == 1
    assert [f["rule"] for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"] == ["S7"]
    from drafting.document import load_draft

    loaded = load_draft(draft)
    again = final_findings(run_checks(loaded), loaded)
    assert [f.fingerprint for f in again if f.rule == "S7"] == [s7[0].fingerprint]


def test_final_without_data_still_refuses_markers(tmp_path: Path) -> None:
    report = tmp_path / "报告.md"
    report.write_text(
        "# 某县某局2024年政府信息公开工作年度报告\n\n一、总体情况\n\n2024年，我局【待补充：主动公开情况】。\n",
        encoding="utf-8",
    )
    findings = check_file(report, final=True)
    assert any(f.rule == "R1" and f.is_error for f in findings)
    assert not any(f.rule == "R1" and f.is_error for f in check_file(report))
