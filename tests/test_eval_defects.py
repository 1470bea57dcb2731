"""The defect corpus (evals/defects): every seeded defect found, no error on a clean report, cells
read exactly; and our own drafts of every example pass the checks with no error."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from drafting.checks import RULES, run_checks
from drafting.data import load_data
from drafting.draft import draft_report
from drafting.evaluation.defects import format_score, load_cases, score
from drafting.evaluation.synthetic import LAYOUTS, page_of, render_page
from drafting.reading import read_report
from drafting.writers import render

from .checks_support import DEFECTS, errors
from .conftest import EXAMPLES


def test_the_defect_corpus() -> None:
    cases = load_cases(DEFECTS)
    # every category of the check library's catalogue is seeded
    assert {c.category for c in cases if c.kind == "defect"} == {r.category for r in RULES.values()}
    layouts = {c.layout.split("+")[0] for c in cases}
    assert {"txt", "md", "pipe", "lines", "paragraphs", "concat", "html", "docx", "draft"} <= layouts
    result = score(DEFECTS, cases)
    report = format_score(result)
    assert not result.crashes, report
    assert not result.clean_errors, report
    assert result.recall >= 0.9, report
    assert all(found / seeded >= 0.75 for found, seeded in result.per_rule.values()), report
    assert result.cells_rate >= 0.97, report


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_our_drafts_of_every_example_have_no_error(example: Path, tmp_path: Path) -> None:
    loaded = load_data(example)
    draft = draft_report(loaded)
    assert not errors(run_checks(draft)), [f.message for f in errors(run_checks(draft))]
    # as the project's writers publish it, and in the page layouts of published reports
    outputs = {f"writer.{fmt}": render(draft, fmt) for fmt in ("md", "txt", "html", "docx")}
    page = page_of(draft)
    outputs |= {
        f"page-{layout}.{'txt' if layout in ('pipe', 'lines', 'paragraphs', 'concat') else layout}": render_page(
            page, layout
        )
        for layout in LAYOUTS
    }
    for name, out in outputs.items():
        path = tmp_path / f"{example.stem}-{name}"
        path.write_bytes(out if isinstance(out, bytes) else out.encode("utf-8"))
        report = read_report(path)
        found = errors(run_checks(report, loaded.data))
        assert not found, (name, [f.message for f in found])
        assert report.cells()["table4"] is not None, name


def _small_corpus(tmp_path: Path, ids: list[str]) -> Path:
    """A corpus of a few cases of ``evals/defects``, with their files, at ``tmp_path``."""
    manifest = [
        c for c in json.loads((DEFECTS / "manifest.json").read_text(encoding="utf-8")) if c["id"] in ids
    ]
    for case in manifest:
        for key in ("file", "data", "previous", "cells"):
            if case[key]:
                target = tmp_path / case[key]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(DEFECTS / case[key], target)
    (tmp_path / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_the_score_script_prints_the_score_and_exits_by_the_bar(tmp_path: Path) -> None:
    script = DEFECTS / "score.py"
    good = _small_corpus(tmp_path / "good", ["clean-syn1-txt", "H1-row-total-syn17-md"])
    manifest = json.loads((good / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == 2, manifest
    done = subprocess.run(
        [sys.executable, str(script), str(good)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "overall recall 1.000; cases 2 (1 clean)" in done.stdout
    # a defect no check can find (the clean page relabelled as seeded with S1) fails the bar
    bad = _small_corpus(tmp_path / "bad", ["clean-syn1-txt"])
    (case,) = json.loads((bad / "manifest.json").read_text(encoding="utf-8"))
    case.update(kind="defect", rule="S1", category="structure")
    (bad / "manifest.json").write_text(json.dumps([case], ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(bad)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1 and "missed clean-syn1-txt" in done.stdout, done.stdout + done.stderr
