"""The development harness runs on the real published reports in ``../shared/real`` and the reader
does at least as well as last measured. The thresholds track what the reader achieves: raise them
as it improves, never lower them to let a change through. Skips when ``../shared`` is absent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .bench_support import run_bench
from .conftest import SHARED

REAL = SHARED / "real"

# Measured with bench/real_reports.py on the development set (8 files, 1478 table cells, 14 true defects).
# Main before issue 11: 73 false errors, 11 defects found, 691 cells read exactly; with the PDF
# reader 73 / 14 / 867; with the crawler header, lost line breaks, Markdown-in-.txt and portal-page
# fixes 22 / 14 / 1419; joining lines a PDF wrapped in text input 27 / 14 / 1418 (the joined
# paragraphs expose check-side errors: a number bound to the verb 答复, a mangled table read with
# confidence — see the issue-11 analysis, items 8 and 9). Phase 2 (read first, judge second: the
# reader's confidence gates the checks; rows printed apart tied back by order when the sums confirm
# them; long-form part lists, lists over paragraphs, plan sentences, year-first titles, 2019 reports,
# the 表二 layout by what only one layout has): 6 / 14 / 1478 — the 6 left are numbers bound to the
# wrong row (答复 ×4, 公民、法人和其他组织, 催办提示…次), issue 10's number binding.
MAX_FALSE_ERRORS = 6
MIN_DEFECTS_FOUND = 14
MIN_CELLS_OK = 1478

pytestmark = pytest.mark.skipif(
    not (REAL / "truth.json").exists(), reason="../shared/real (real reports with truth.json) is not here"
)


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out: Path = tmp_path_factory.mktemp("real") / "figures.json"
    done = run_bench("real_reports.py", str(REAL), "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert "total:" in done.stdout, done.stdout
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_real_report_is_read_without_a_crash(figures: dict[str, object]) -> None:
    files = figures["files"]
    assert isinstance(files, list)
    truth = json.loads((REAL / "truth.json").read_text(encoding="utf-8"))
    assert {f["name"] for f in files} == {name for name in truth if (REAL / name).exists()}
    assert [f["name"] for f in files if f["crashed"]] == []
    assert all(f["check_exit"] in (0, 1) for f in files), [(f["name"], f["check_exit"]) for f in files]


def test_the_reader_does_no_worse_than_last_measured(figures: dict[str, object]) -> None:
    total = figures["total"]
    assert isinstance(total, dict)
    assert total["false_errors"] <= MAX_FALSE_ERRORS, total
    assert total["defects_found"] >= MIN_DEFECTS_FOUND, total
    assert total["cells_ok"] >= MIN_CELLS_OK, total
    # every report gives a data file: no table was left unread
    assert total["imports_written"] == total["files"], total
