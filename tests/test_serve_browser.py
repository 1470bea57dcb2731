"""The web workspace in a real browser (Debian's chromium, driven by pytest-playwright's sync API):
data entry on the official grids, an Excel upload with bad cells, drafting, a revision streamed in
from the loopback model server, accept / undo / download, and changes made outside the page (the
CLI) detected instead of overwritten. Screenshots of failures go to tmp/artifacts."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from .browser_support import (  # noqa: F401 - the two fixtures are found by name
    BROWSER_TESTS,
    browser_context_args,
    browser_type_launch_args,
)
from .llm_support import FAST, KEY, SERVER_SENTENCE, good_reply
from .openai_stub import StubServer, stub_server
from .revise_support import REVISED, append_reply
from .serve_support import Running, excel_sheet, running, workspace

pytestmark = BROWSER_TESTS

TOWNSHIP = "township-2024.yaml"
Page = Any  # playwright.sync_api.Page


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Running]:
    with running(workspace(tmp_path, TOWNSHIP)) as s:
        yield s


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from drafting.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
    )


def _cell(page: Page, path: str) -> Any:
    return page.locator(f'input.js-value[data-path="{path}"]')


def test_a_table3_row_shows_its_total_and_the_cross_sum_message_next_to_the_cell(
    page: Page, server: Running
) -> None:
    page.goto(f"{server.url}/r/{TOWNSHIP}")
    columns = ("natural", "commercial", "research", "social", "legal", "other")
    before = [int(_cell(page, f"table3.new.{c}").input_value() or 0) for c in columns]
    _cell(page, "table3.new.natural").fill(str(before[0] + 5))
    _cell(page, "table3.new.commercial").fill(str(before[1] + 2))
    total = page.locator('td.derived[data-path="table3.new.total"] output')
    assert total.inner_text() == str(sum(before) + 7)  # computed as the author types
    # Saved at once; the server's validation puts H2 under the row of the cell it names.
    expect(page.locator(".js-save-state")).to_have_text("已保存")
    message = page.locator('tr.msgrow p.cellmsg[data-path="table3.carry_forward.natural"]')
    message.wait_for()
    assert "不平衡" in message.inner_text() and "H2" in message.inner_text()
    row = page.locator('input[data-path="table3.carry_forward.natural"]').locator("xpath=ancestor::tr")
    assert row.evaluate("r => r.nextElementSibling.classList.contains('msgrow')")
    assert page.locator('td.invalid input[data-path="table3.carry_forward.natural"]').count() == 1
    # The file holds the figures and the CLI says what the page says.
    validate = _cli("validate", str(server.root / TOWNSHIP))
    assert validate.returncode == 1 and "H2" in validate.stderr
    assert f"natural: {before[0] + 5}" in (server.root / TOWNSHIP).read_text(encoding="utf-8")

    # A change made outside (the CLI rewrites the file): the page's next save is refused, not forced.
    forced = _cli(
        "init", "--agency", "某县某镇人民政府", "--year", "2024", "-o", str(server.root / TOWNSHIP), "--force"
    )
    assert forced.returncode == 0, forced.stderr
    _cell(page, "table3.new.legal").fill("9")
    dialog = page.locator(".js-conflict")
    dialog.wait_for(state="visible")
    assert "已在别处改动" in dialog.inner_text()
    assert "某县某镇人民政府" in (server.root / TOWNSHIP).read_text(encoding="utf-8")
    assert "legal: 9" not in (server.root / TOWNSHIP).read_text(encoding="utf-8")
    page.locator(".js-reload").click()
    page.wait_for_load_state()
    assert _cell(page, "agency.name").input_value() == "某县某镇人民政府"


def test_facts_are_lists_with_their_todo_state(page: Page, server: Running) -> None:
    page.goto(f"{server.url}/r/{TOWNSHIP}")
    topic = page.locator('.js-topic[data-topic="management"]')
    assert "【待补充】" in topic.locator(".js-topic-state").inner_text()
    topic.locator(".js-add").click()
    topic.locator(".js-fact").last.fill("落实三级审核制度")
    expect(page.locator(".js-save-state")).to_have_text("已保存")
    assert "（1 条）" in topic.locator(".js-topic-state").inner_text()
    from drafting.data import load_data

    assert load_data(server.root / TOWNSHIP).data.facts.management == ["落实三级审核制度"]


def test_a_bad_excel_upload_names_the_cells(page: Page, server: Running, tmp_path: Path) -> None:
    path = excel_sheet(tmp_path / "数据表.xlsx", {"表三": {"D7": "十二件"}, "表四": {"A7": -1}})
    page.goto(server.url)
    card = page.locator('form[data-kind="excel"]')
    card.locator('input[type="file"]').set_input_files(str(path))
    card.locator('button[type="submit"]').click()
    result = page.locator(".js-create-result")
    result.locator("li").first.wait_for()
    text = result.inner_text()
    assert "表三!D7" in text and "表四!A7" in text
    assert "未生成数据文件" in text


def _replies(data_file: Path) -> Callable[[dict[str, Any]], str]:
    """The loopback model: a revision request gets the text with REVISED added, a draft request
    the offline text marked as the server's."""
    revise, draft = append_reply(REVISED), good_reply(data_file)

    def reply(body: dict[str, Any]) -> str:
        user = "\n".join(str(m.get("content", "")) for m in body.get("messages", []))
        return revise(body) if "作者的修改要求" in user else draft(body)

    return reply


@pytest.fixture
def model_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Running, StubServer]]:
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("DRAFTING_DEADLINE", "60")
    root = workspace(tmp_path, TOWNSHIP)
    with stub_server(reply=_replies(root / TOWNSHIP), chunk_delay=0.08) as stub:
        with running(root, model="openai:revise-model", base_url=stub.base_url) as s:
            yield s, stub


def test_draft_revise_accept_undo_download_and_a_cli_change_detected(
    page: Page, model_server: tuple[Running, StubServer]
) -> None:
    server, stub = model_server
    page.goto(f"{server.url}/r/{TOWNSHIP}/draft")
    assert "openai:revise-model" in page.locator(".model-link").inner_text()
    assert KEY not in page.content()  # the key never reaches the browser
    page.locator(".js-draft").click()
    page.locator(".js-progress li").first.wait_for()  # progress per section while the model writes
    page.wait_for_url(re.compile(r"/draft$"))
    page.locator(".paper").wait_for()
    assert SERVER_SENTENCE in page.locator(".paper").inner_text()

    # Revise 五（一）, asked from the keyboard: the answer streams in and is visible before it ends.
    page.select_option(".js-section", "problems")
    page.locator(".js-instruction").fill("补充：政策解读形式比较单一")
    page.locator(".js-instruction").press("Control+Enter")
    expect(page.locator(".js-stream-text")).not_to_be_empty()
    assert page.locator(".js-proposal").is_hidden()  # the stream is on the page; the answer is not done
    page.locator(".js-proposal").wait_for(state="visible", timeout=30_000)
    assert (
        REVISED in page.locator(".js-diff ins").all_inner_texts()[-1]
        or REVISED in page.locator(".js-diff").inner_text()
    )
    assert "没有新的问题" in page.locator(".js-proposal-findings").inner_text()

    # Retry: the same instruction goes to the model again, streamed in again, a new proposal.
    asked = len(stub.requests)
    page.locator(".js-retry").click()
    expect(page.locator(".js-stream")).to_be_visible()
    page.locator(".js-proposal").wait_for(state="visible", timeout=30_000)
    assert len(stub.requests) == asked + 1
    assert "补充：政策解读形式比较单一" in json.dumps(stub.requests[-1].body, ensure_ascii=False)
    assert REVISED in page.locator(".js-diff").inner_text()
    page.keyboard.press("Alt+a")  # accept from the keyboard
    expect(page.locator("#sec-problems")).to_contain_text(REVISED)

    # The Word file carries the accepted text.
    with page.expect_download() as download:
        page.get_by_role("link", name="Word 文档（.docx）").click()
    import docx

    document = docx.Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert any(REVISED in p.text for p in document.paragraphs)

    # A change that brings an error asks before it is accepted.
    page.locator(".js-manual").click()
    page.locator(".js-manual-text").fill("全年共收到政府信息公开申请999件。")
    page.locator(".js-manual-submit").click()
    page.locator(".js-proposal").wait_for(state="visible")
    assert "【新】错误" in page.locator(".js-proposal-findings").inner_text()
    page.locator(".js-accept").click()
    page.locator(".js-confirm").wait_for(state="visible")
    page.locator(".js-confirm-no").click()
    page.locator(".js-reject").click()
    assert "999" not in (server.root / "drafts" / "township-2024.draft.json").read_text(encoding="utf-8")

    # Undo: the revision goes, in the page and in the file.
    page.locator(".js-undo").click()
    expect(page.locator("#sec-problems")).not_to_contain_text(REVISED)
    expect(page.locator(".js-redo")).to_be_enabled()  # the page has reloaded after the undo

    # The CLI redoes it behind the page's back; the page's next change is refused with 412.
    redo = _cli("revise", str(server.root / "drafts" / "township-2024.draft.json"), "--redo")
    assert redo.returncode == 0, redo.stderr
    page.locator(".js-regenerate").click()
    conflict = page.locator(".js-conflict")
    conflict.wait_for(state="visible")
    assert "草稿已在别处改动" in conflict.inner_text()
    page.locator(".js-reload").click()
    expect(page.locator("#sec-problems")).to_contain_text(REVISED)
    assert stub.requests  # the model was reached over HTTP, never mocked


def test_findings_lead_to_the_fact_to_write_and_the_cell_to_fix(page: Page, server: Running) -> None:
    """The whole loop a new author goes round, offline: draft, see what is missing, write it where
    the finding leads, redraft; a figure that breaks a rule is found at its cell in the draft's
    table and fixed where it is typed."""
    page.goto(f"{server.url}/r/{TOWNSHIP}/draft")
    page.locator(".js-draft").click()  # no draft yet: the page offers to draft
    page.wait_for_url(re.compile(r"/draft$"))
    page.locator(".paper mark").first.wait_for()  # 【待补充】 shown in the text
    before = page.locator(".paper mark").count()
    finding = page.locator("ul.findings li", has_text="政府信息管理")
    finding.locator("a.to-data").click()  # 到正文素材中补写
    page.wait_for_url(re.compile(r"#topic-management$"))
    focused = page.evaluate(
        "document.activeElement.closest('fieldset') && document.activeElement.closest('fieldset').id"
    )
    assert focused == "topic-management"
    page.keyboard.press("Enter")  # 添加一条, from the keyboard
    page.keyboard.type("严格落实公开前保密审查制度")
    expect(page.locator(".js-save-state")).to_have_text("已保存")
    page.locator("a.go-draft").click()
    page.locator(".js-draft").click()  # 按最新数据重新起草
    page.wait_for_url(re.compile(r"/draft$"))
    expect(page.locator(".paper")).to_contain_text("严格落实公开前保密审查制度")
    assert page.locator(".paper mark").count() == before - 1

    # A figure that breaks 表三's balance: its cell in the draft's table, and where to type it.
    page.goto(f"{server.url}/r/{TOWNSHIP}")
    natural = _cell(page, "table3.new.natural")
    natural.fill(str(int(natural.input_value() or 0) + 3))
    expect(page.locator(".js-save-state")).to_have_text("已保存")
    expect(page.locator(".js-issue-count")).to_contain_text("1 处错误")
    page.goto(f"{server.url}/r/{TOWNSHIP}/draft")
    cell = page.locator("#cell-table3\\.carry_forward\\.natural")
    assert "flag-error" in (cell.get_attribute("class") or "")
    h2 = page.locator("ul.findings li", has_text="D3-H2")
    h2.locator("a.js-goto").click()
    expect(cell).to_have_class(re.compile("flash"))
    h2.locator("a.to-data").click()
    page.wait_for_url(re.compile(r"cells=table3.carry_forward.natural"))
    target = _cell(page, "table3.carry_forward.natural")
    expect(target).to_be_focused()
    assert target.evaluate("i => i.closest('td').classList.contains('linked')")


def test_an_edit_set_aside_by_a_redraft_comes_back_with_one_button(page: Page, tmp_path: Path) -> None:
    """Issue 14: an accepted edit whose numbers the redraft cannot restate with certainty is set
    aside; the draft page says so and 恢复另存的修改 brings it back as a change to review."""
    from .data_support import set_row

    root = workspace(tmp_path, TOWNSHIP)
    data = root / TOWNSHIP
    text = data.read_text(encoding="utf-8")
    data.write_text(set_row(text, "normative", issued=3, in_force=3), encoding="utf-8")
    mine = "（一）主动公开。本年度我镇制发行政规范性文件3件，其中3件涉及群众切身利益。"
    with running(root) as server:
        page.goto(f"{server.url}/r/{TOWNSHIP}/draft")
        page.locator(".js-draft").click()
        page.wait_for_url(re.compile(r"/draft$"))
        page.locator(".paper").wait_for()
        assert page.locator(".js-restore").is_hidden()  # nothing set aside yet
        page.select_option(".js-section", "overview")
        page.locator(".js-manual").click()
        lines = page.locator(".js-manual-text").input_value().split("\n")
        lines[1] = mine
        page.locator(".js-manual-text").fill("\n".join(lines))
        page.locator(".js-manual-submit").click()
        page.locator(".js-proposal").wait_for(state="visible")
        page.locator(".js-accept").click()
        expect(page.locator("#sec-overview")).to_contain_text("涉及群众切身利益")

        # The figure changes outside the page; the redraft cannot tell which 3 the edit meant.
        data.write_text(set_row(text, "normative", issued=5, in_force=5), encoding="utf-8")
        page.reload()
        page.locator(".js-draft").click()
        page.wait_for_url(re.compile(r"/draft$"))
        expect(page.locator("#sec-overview")).not_to_contain_text("涉及群众切身利益")
        notice = page.locator(".js-set-aside")
        expect(notice).to_contain_text("总体情况")
        page.select_option(".js-section", "overview")
        restore = page.locator(".js-restore")
        expect(restore).to_be_visible()
        restore.click()
        page.locator(".js-proposal").wait_for(state="visible")
        assert "涉及群众切身利益" in page.locator(".js-diff").inner_text()
        page.locator(".js-accept").click()
        confirm = page.locator(".js-confirm")  # the old 3件 no longer matches: asked, not silent
        confirm.wait_for(state="visible")
        page.locator(".js-confirm-yes").click()
        expect(page.locator("#sec-overview")).to_contain_text("涉及群众切身利益")
        expect(page.locator(".js-set-aside")).to_have_count(0)
