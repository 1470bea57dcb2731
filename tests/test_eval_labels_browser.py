"""The report's labelling in a real browser (Debian's chromium, as ``test_serve_browser`` drives it):
a reviewer marks drafts good or bad with a comment, the marks survive a reload, the export button
downloads a labels file, and ``drafting eval --rescore … --labels`` reads that very file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# The same browser, launch arguments and skip rule as every browser test.
from .browser_support import (  # noqa: F401 - the two fixtures are found by name
    BROWSER_TESTS,
    browser_context_args,
    browser_type_launch_args,
)
from .eval_support import DISTRICT, record_of, run_eval, suite_text, write

pytestmark = BROWSER_TESTS

Page = Any  # playwright.sync_api.Page


def test_a_reviewer_labels_drafts_in_the_report_and_exports_the_labels_file(
    page: Page, tmp_path: Path
) -> None:
    cases = "".join(f"  - id: {c}\n    data: {DISTRICT}\n" for c in ("first", "second"))
    cases += "    expect:\n      - contains: 这句话不会出现\n"  # the second draft fails its expectation
    suite = write(tmp_path / "s.yaml", suite_text(cases))
    out, html = tmp_path / "run.json", tmp_path / "run.html"
    assert run_eval(suite, "--json", out, "--html", html).exit_code == 0

    page.goto(html.as_uri())
    # A reviewer opens each draft (a draft that passed starts folded) and reads it before marking.
    for run in page.locator("details.run").all():
        if run.get_attribute("open") is None:
            run.locator("summary").first.click()
    first, second = page.locator(".js-label").nth(0), page.locator(".js-label").nth(1)
    first.locator('button[data-label="bad"]').click()
    first.locator("textarea").fill("套话太多，看不出做了什么")
    second.locator('button[data-label="good"]').click()
    assert page.locator(".js-label-count").inner_text() == "2"
    # The marks are kept in the browser: a reload shows them again.
    page.reload()
    first = page.locator(".js-label").nth(0)  # read back from storage, folded or not
    assert first.locator('button[data-label="bad"]').get_attribute("aria-pressed") == "true"
    assert first.locator("textarea").input_value() == "套话太多，看不出做了什么"
    assert page.locator(".js-label-count").inner_text() == "2"

    with page.expect_download() as download:
        page.locator(".js-label-export").click()
    labels = tmp_path / "labels.json"
    download.value.save_as(labels)
    content = json.loads(labels.read_text(encoding="utf-8"))
    record = record_of(out)
    assert content["schema"] == "drafting.eval-labels/1" and content["suite"] == record.suite.name
    marks = {m["case"]: (m["label"], m["comment"]) for m in content["labels"]}
    assert marks == {"first": ("bad", "套话太多，看不出做了什么"), "second": ("good", "")}

    # The exported file is what --labels reads: the first draft passed everything and was marked
    # bad (a false pass), the second failed and was marked good (a false fail).
    res = run_eval("--rescore", out, "--labels", labels)
    assert res.exit_code == 0, res.output
    line = next(line for line in res.output.splitlines() if "全部期望" in line)
    assert [c.strip() for c in line.split("│")[2:-1]] == ["整体", "0.0%", "0/2", "1", "1", "0", "—"]
