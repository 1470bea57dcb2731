"""``drafting review`` on a folder of real and generated reports together (the issue's "done when"):
the real published reports of ``../shared/real`` — crawler text, a PDF, Markdown conversions, HTML
pages as published — beside our renderings. Every output is written; every real report is read, and
the review finds on each what ``drafting check`` finds on it alone (the same library call: a review
must never judge a report differently from the one-report command). Skips when ``../shared`` is
absent. How right those findings are is ``bench/review_accuracy.py``'s figure and
``tests/test_real_reports.py``'s threshold."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from drafting.evaluation.folders import BuiltFolder

from .conftest import SHARED
from .review_support import Run, build, csv_rows, report_of, review

REAL = SHARED / "real"

pytestmark = pytest.mark.skipif(
    not (REAL / "truth.json").exists(), reason="../shared/real (real reports with truth.json) is not here"
)


def _real_names() -> list[str]:
    truth: dict[str, Any] = json.loads((REAL / "truth.json").read_text(encoding="utf-8"))
    return [name for name in truth if (REAL / name).exists()]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuiltFolder, list[str]]:
    built = build(tmp_path_factory.mktemp("mixed") / "报告")
    names = []
    for name in _real_names():
        target = built.root / "真实报告" / name
        target.parent.mkdir(exist_ok=True)
        shutil.copy2(REAL / name, target)
        names.append(f"真实报告/{name}")
    return built, names


@pytest.fixture(scope="module")
def reviewed(
    mixed: tuple[BuiltFolder, list[str]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Run, Path]:
    built, _ = mixed
    out = tmp_path_factory.mktemp("out") / "审核结果"
    return review(built.root, out, "--json", "--office", "某市政务公开办"), out


def test_real_and_generated_reports_reviewed_into_every_output(
    mixed: tuple[BuiltFolder, list[str]], reviewed: tuple[Run, Path]
) -> None:
    built, real = mixed
    run, out = reviewed
    assert run.code == 1, run.err
    payload = run.json()
    assert payload["totals"]["found"] == len(built.reports) + len(real)
    for file in real:
        report = report_of(payload, file)
        assert report["status"] == "read", (file, report["reason"])
        assert report["agency"] and report["year"], file
    # the generated ones are judged as they are in a folder of their own
    for planned in built.reports:
        report = report_of(payload, planned.file)
        assert {f["rule"] for f in report["findings"] if f["severity"] == "error"} == set(planned.errors)
    # the outputs: the dashboard holds every report, the finding lists every finding, and every
    # agency with something to correct has its 整改清单
    html = (out / "审核总览.html").read_text(encoding="utf-8")
    assert all(json.dumps(file, ensure_ascii=False) in html for file in real)
    rows = csv_rows(out / "问题清单.csv")
    assert len(rows) == sum(len(r["findings"]) for r in payload["reports"])
    assert {row["文件"] for row in rows} >= {f for f in real if report_of(payload, f)["findings"]}
    with_problems = {
        r["agency"] for r in payload["reports"] if any(f["rule"] != "READ" for f in r["findings"])
    }
    notices = {p.stem for p in (out / "整改清单").glob("*.docx")}
    assert len(notices) == len(with_problems) and len(notices) > len(real) // 2
    assert (out / "问题清单.xlsx").stat().st_size > 0
    # the reader's notices of its own reading are the reviewer's: never sent to an agency
    import docx

    for path in (out / "整改清单").glob("*.docx"):
        text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
        assert "按先后顺序对应" not in text and "分开排印" not in text, path.name


def test_the_review_finds_on_each_real_report_what_check_finds_alone(
    mixed: tuple[BuiltFolder, list[str]], reviewed: tuple[Run, Path]
) -> None:
    built, real = mixed
    payload = reviewed[0].json()
    for file in real:
        alone = subprocess.run(
            [
                sys.executable,
                "-c",
                "from drafting.cli import main; main()",
                "check",
                "--json",
                str(built.root / file),
            ],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        assert alone.returncode in (0, 1), alone.stderr
        checked = json.loads(alone.stdout)
        report = report_of(payload, file)
        assert sorted(f["fingerprint"] for f in report["findings"]) == sorted(
            f["fingerprint"] for f in checked["findings"]
        ), file
        assert report["not_assessed"] == checked.get("not_assessed", []), file
