"""The defect corpus (evals/defects): every seeded defect found, no error on a clean report, cells
read exactly; and our own drafts of every example pass the checks with no error."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafting.checks import run_checks
from drafting.checks.corpus import format_score, load_cases, score
from drafting.checks.synthetic import LAYOUTS, page_of, render_page
from drafting.data import load_data
from drafting.draft import draft_report
from drafting.reading import read_report
from drafting.writers import render

from .checks_support import DEFECTS, errors
from .conftest import EXAMPLES


def test_the_defect_corpus() -> None:
    cases = load_cases(DEFECTS)
    assert {c.category for c in cases if c.kind == "defect"} == {
        "structure",
        "table",
        "consistency",
        "year",
        "register",
        "data",
    }
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
