"""The review dashboard in a real browser (Debian's chromium driven by pytest-playwright), opened as
a reviewer opens it from a shared drive — a file, no server: the ranking, the filters, the
drill-down's highlighted cells and sentences, a decision's snippet pasted into the decisions file
and applied by the next run, and nothing fetched from anywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from drafting.evaluation.folders import BuiltFolder

from . import review_support
from .browser_support import (  # noqa: F401 - the two fixtures are found by name
    BROWSER_TESTS,
    browser_context_args,
    browser_type_launch_args,
)
from .review_support import built_copy, review

pytestmark = BROWSER_TESTS
Page = Any  # playwright.sync_api.Page

MOST_ERRORS = "临川县卫生健康局"
COPIED = "江州市/江州市交通运输局2024年报告.txt"


folder = review_support.folder_fixture  # the sample folder of reports, built once here


@pytest.fixture(scope="module")
def dashboard(folder: BuiltFolder, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    assert review(folder.root, out).code == 1
    return out / "审核总览.html"


def _open(page: Page, path: Path) -> list[str]:
    """Open the dashboard as a file; what the page asked for (only itself) and its script errors."""
    asked: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: asked.append(r.url))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    expect(page.locator("#rank tbody tr").first).to_be_visible()
    assert all(url == path.as_uri() for url in asked), asked
    return problems


def _ranked(page: Page) -> list[tuple[str, int, int]]:
    rows = page.locator("#rank tbody tr")
    out = []
    for n in range(rows.count()):
        row = rows.nth(n)
        out.append(
            (
                row.locator("a.agency").inner_text(),
                int(row.locator("td.errors").inner_text()),
                int(row.locator("td.warnings").inner_text()),
            )
        )
    return out


def test_the_overview_and_the_ranking(page: Page, dashboard: Path) -> None:
    problems = _open(page, dashboard)
    expect(page.locator('[data-card="找到报告"] b')).to_have_text("11")
    expect(page.locator('[data-card="无法读取"] b')).to_have_text("1")
    expect(page.locator('[data-card="内容雷同"] b')).to_have_text("1")
    expect(page.locator("table.unreadable")).to_contain_text("文字层")
    ranked = _ranked(page)
    assert ranked[0] == (MOST_ERRORS, 2, 0)
    # by errors, then by warnings: the copy's two 内容雷同 warnings put it first of the one-error reports
    assert ranked[1] == ("江州市交通运输局", 1, 2)
    assert [(e, w) for _, e, w in ranked] == sorted(((e, w) for _, e, w in ranked), reverse=True)
    expect(page.locator('#rule-table tr[data-rule="Y4"] td').nth(2)).to_have_text("2")
    assert not problems, problems


def test_the_filters(page: Page, dashboard: Path) -> None:
    _open(page, dashboard)
    page.select_option("#f-level", "乡镇")
    assert {a for a, _, _ in _ranked(page)} == {"江州市青山区石门镇人民政府", "临川县白沙乡人民政府"}
    expect(page.locator("#f-count")).to_have_text("显示 2 / 11 份")
    page.select_option("#f-level", "")
    page.select_option("#f-region", "临川县")
    assert {a for a, _, _ in _ranked(page)} == {"临川县人民政府", MOST_ERRORS, "临川县白沙乡人民政府"}
    page.select_option("#f-region", "")
    page.select_option("#f-year", "2023")
    assert sorted(a for a, _, _ in _ranked(page)) == ["临川县人民政府", "江州市交通运输局"]
    page.select_option("#f-year", "")
    page.fill("#f-text", "教育局")
    assert [a for a, _, _ in _ranked(page)] == ["江州市青山区教育局"]


def test_the_drill_down_highlights_the_offending_cells(
    page: Page, dashboard: Path, folder: BuiltFolder
) -> None:
    _open(page, dashboard)
    page.locator("#rank tbody tr").first.click()
    expect(page.locator("#detail")).to_be_visible()
    expect(page.locator("#ranking")).to_be_hidden()
    expect(page.locator("#detail-h")).to_have_text(f"{MOST_ERRORS} 2024年度")
    bad = page.locator("td.bad")
    assert sorted(bad.nth(n).get_attribute("data-cell") for n in range(bad.count())) == [
        "table3/disclosed/total",
        "table4/review/total",
    ]
    # the cell as the report printed it: the 总计 that is 3 more than the six columns
    row = page.locator('td[data-cell^="table3/disclosed/"]')
    values = [int(row.nth(n).inner_text()) for n in range(row.count())]
    assert values[6] == sum(values[:6]) + 3
    expect(page.locator("ol.findings li")).to_have_count(2)
    page.locator('ol.findings li[data-rule="H1"]').hover()
    expect(page.locator('td[data-cell="table3/disclosed/total"]')).to_have_class("v ok bad focus")
    # the source file, by a link relative to the dashboard (the two folders move together)
    link = page.locator("#source-link")
    assert not link.get_attribute("href").startswith(("file:", "/"))
    target = folder.root / "临川县" / "临川县卫生健康局2024年报告.html"
    assert link.evaluate("a => a.href") == target.as_uri()


def test_the_drill_down_marks_the_offending_numbers_and_sentences(page: Page, dashboard: Path) -> None:
    _open(page, dashboard)
    page.fill("#f-text", "青山区人民政府")
    page.locator("#rank tbody tr").first.click()
    number = page.locator("mark.number")
    expect(number).to_have_count(1)
    expect(number).to_have_text("41件")  # 新收 41 in the text, 40 in 表三
    expect(page.locator("mark.sentence").first).to_contain_text("新收政府信息公开申请")
    page.goto(dashboard.as_uri())
    page.fill("#f-text", "交通运输局")
    page.locator("#rank tbody tr", has_text="2024").click()
    # 内容雷同: the passages repeated from last year's report are marked in this year's text
    assert page.locator("mark.sentence").count() >= 2
    expect(page.locator(".para .where").first).to_contain_text("一、总体情况")
    expect(page.locator('td.bad[data-cell="table3/carried_over/natural"]')).to_have_count(1)


def test_a_decision_snippet_from_the_page_is_applied_by_the_next_run(
    page: Page, folder: BuiltFolder, tmp_path: Path
) -> None:
    mine = built_copy(folder, tmp_path / "报告")
    out = tmp_path / "out"
    review(mine.root, out)
    _open(page, out / "审核总览.html")
    page.fill("#f-text", "交通运输局")
    page.locator("#rank tbody tr", has_text="2024").click()
    item = page.locator('ol.findings li[data-rule="C1"]')
    item.locator('input[type="text"]').fill("上年报告的结转数经核实有误，以本年为准")
    item.locator("button.dismiss").click()
    snippet = item.locator("textarea.snippet").input_value()
    assert '"' in snippet and "decision: 排除" in snippet
    (out / "review-decisions.yaml").write_text(snippet, encoding="utf-8")
    again = review(mine.root, out, "--json")
    copied = next(r for r in again.json()["reports"] if r["file"] == COPIED)
    c1 = next(f for f in copied["findings"] if f["rule"] == "C1")
    assert (c1["decision"], c1["comment"]) == ("dismiss", "上年报告的结转数经核实有误，以本年为准")
    page.goto((out / "审核总览.html").as_uri())
    expect(page.locator('[data-card="已排除"] b')).to_have_text("1")
    page.fill("#f-text", "交通运输局")
    page.locator("#rank tbody tr", has_text="2024").click()
    expect(page.locator("#detail details summary")).to_contain_text("已排除的问题（1）")
    expect(page.locator('#detail > #detail-body > ol.findings li[data-rule="C1"]')).to_have_count(0)
    expect(page.locator('td.bad[data-cell="table3/carried_over/natural"]')).to_have_count(0)


def test_what_was_not_read_with_confidence_is_said_not_judged(
    page: Page, folder: BuiltFolder, tmp_path: Path
) -> None:
    from .review_support import add_partial

    mine = built_copy(folder, tmp_path / "报告")
    partial = add_partial(mine.root)
    out = tmp_path / "out"
    manifest = tmp_path / "清单.csv"
    url = "https://www.ningbo.gov.cn/art/2024/1/31/art_1.html"
    manifest.write_text(f"file,url\n{partial},{url}\n{COPIED},javascript:alert(1)\n", encoding="utf-8")
    review(mine.root, out, "--manifest", str(manifest))
    problems = _open(page, out / "审核总览.html")
    expect(page.locator('[data-card="部分未检查"] b')).to_have_text("1")
    expect(page.locator('#rule-table tr[data-rule="H3"] td.unassessed')).to_have_text("1")
    page.fill("#f-text", "自然资源")
    expect(page.locator("#rank tbody tr").first).to_contain_text("条规则未检查")
    page.locator("#rank tbody tr").first.click()
    # the manifest's web address, where the report was published
    expect(page.locator("#web-link")).to_have_attribute("href", url)
    expect(page.locator('ul.not-assessed li[data-rules~="H3"]')).to_contain_text("表三")
    expect(page.locator('p.doubt[data-located="table3"]')).to_contain_text("未能确认")
    # the cells the reader could not tie to their row: drawn apart, pointed at by the reader's notice
    # (a warning), never marked as an error
    unsure = page.locator("td.unconfirmed")
    assert unsure.count() >= 7
    assert (unsure.first.get_attribute("title") or "").startswith("未能确认")
    expect(page.locator('ol.findings li[data-rule="READ"]')).to_have_count(1)
    expect(page.locator("td.unconfirmed.bad:not(.warn-only)")).to_have_count(0)
    expect(page.locator("ol.findings li .tag.error")).to_have_count(0)
    assert not problems, problems
