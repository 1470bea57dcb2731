"""``drafting batch submit | status | collect | cancel`` end to end, against the loopback batch API.

The issue's "done when": 200 agencies in one submit and one collect; a second submit sends nothing
new; a batch that expires half-done and lines that come back as errors are re-asked (in real time, or
in a follow-up batch) and reported; every answer goes through the same check and re-ask as ``draft``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from drafting.backends.batch.ledger import default_path
from drafting.data import load_data

from . import llm_support
from .batch_stub import BatchService, base_url, batch_server
from .batch_support import (
    agency_of,
    by_server,
    drafts,
    good_answer,
    invoke,
    make_agencies,
    reply_for,
    submit,
    submit_args,
)
from .llm_support import KEY, section_of
from .openai_stub import StubServer

_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


def _posts(service: BatchService, what: str) -> int:
    return sum(1 for method, path in service.calls if method == "POST" and path.endswith("/" + what))


def _ledger_rows(sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(default_path()) as db:
        return list(db.execute(sql))


def test_two_hundred_agencies_in_one_submit_and_one_collect(tmp_path: Path) -> None:
    paths, datas = make_agencies(tmp_path / "data", 200)
    out = tmp_path / "out"
    with batch_server(reply_for(datas)) as (server, service):
        url = base_url(server, "openai")
        first = invoke(*submit_args(paths, url, out))
        assert first.exit_code == 0, first.output
        assert "已提交 200 个机关的 800 个请求" in first.output
        assert (_posts(service, "files"), _posts(service, "batches")) == (1, 1)
        (batch,) = service.batches.values()
        assert batch.status == "validating"

        # Nothing new the second time: no upload, no batch.
        again = invoke(*submit_args(paths, url, out))
        assert again.exit_code == 0, again.output
        assert "200 个机关的请求此前已提交" in again.output and "没有新的请求" in again.output
        assert (_posts(service, "files"), _posts(service, "batches")) == (1, 1)

        waiting = invoke("batch", "status")
        assert "机关（0/200 已生成草稿）" in waiting.output and "校验中" in waiting.output

        service.complete_all()
        done = invoke("batch", "collect")
        assert done.exit_code == 0, done.output
        assert "本次生成草稿 200 份；等待中 0 份；未能生成 0 份" in done.output

        finished = invoke("batch", "status")
        assert "机关（200/200 已生成草稿）" in finished.output and "结果已取回" in finished.output

    written = drafts(out)
    assert len(written) == 200 and all(by_server(d) for d in written.values())
    # Each agency got its own answers (the figures are bound by the check, so a mix-up would fail).
    assert {d.agency for d in written.values()} == set(datas)
    assert not server.requests  # no real-time request was needed
    assert set(service.processed.values()) == {1} and len(service.processed) == 800
    assert _ledger_rows("SELECT state, COUNT(*) FROM requests GROUP BY state") == [("used", 800)]
    # The key is in neither the ledger nor the JSONL we uploaded.
    home = default_path().parent
    for path in home.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_the_jsonl_holds_what_draft_would_send(tmp_path: Path) -> None:
    """The lines are the rendered prompts of ``draft``, with ids naming agency, section, data and prompt."""
    paths, datas = make_agencies(tmp_path / "data", 2)
    with batch_server(reply_for(datas)) as (server, service):
        submit(paths, server, tmp_path / "out")
        content = next(iter(service.uploads)).content
    lines = [json.loads(line) for line in content.decode().splitlines()]
    assert len(lines) == 8 and {line["url"] for line in lines} == {"/v1/chat/completions"}
    ids = [line["custom_id"] for line in lines]
    assert len(set(ids)) == 8 and all(len(i) <= 64 and i.isascii() for i in ids)
    assert {i.split("-")[1] for i in ids} == {"overview", "problems", "improvements", "other"}
    body = lines[0]["body"]
    assert body["model"] == "test-model" and body["temperature"] == 0.3 and "max_tokens" in body
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert agency_of(body) == "某市第001局" and section_of(body) == "overview"


def test_a_changed_data_file_is_a_new_request(tmp_path: Path) -> None:
    paths, datas = make_agencies(tmp_path / "data", 3)
    out = tmp_path / "out"
    with batch_server(reply_for(datas), auto=True) as (server, service):
        url = base_url(server, "openai")
        invoke(*submit_args(paths, url, out))
        changed = (
            paths[1].read_text(encoding="utf-8").replace("licensing:            2", "licensing:            7")
        )
        paths[1].write_text(changed, encoding="utf-8")
        datas["某市第002局"] = load_data(paths[1]).data
        again = invoke(*submit_args(paths, url, out))
        assert "已提交 1 个机关的 4 个请求" in again.output and "2 个机关的请求此前已提交" in again.output
        assert _posts(service, "batches") == 2
        done = invoke("batch", "collect")
        assert "本次生成草稿 3 份" in done.output, done.output
    written = drafts(out)
    assert written["unit-002"].data["table2"]["licensing"] == 7 and all(
        by_server(d) for d in written.values()
    )
    # The first submission of the changed file was superseded, not drafted from stale answers.
    assert ("superseded", 1) in _ledger_rows("SELECT state, COUNT(*) FROM agencies GROUP BY state")


# --- expiry, error lines and answers that fail the check ----------------------------------------


BAD_FIRST = "某市第003局"  # its overview's first answer lacks the five sub-parts: the check re-asks


def _flaky_reply(datas: dict[str, Any]) -> Any:
    def reply(body: dict[str, Any]) -> str:
        first_ask = len(body["messages"]) == 2
        if first_ask and agency_of(body) == BAD_FIRST and section_of(body) == "overview":
            return "本年度政府信息公开工作总体平稳。"
        return good_answer(body, datas)

    return reply


def _faulty_lines(service: BatchService, errors: dict[str, str]) -> None:
    """Lines of these (agency, section) pairs fail with these faults, the first time they are sent."""
    seen: set[str] = set()

    def fault(cid: str, body: dict[str, Any]) -> str | None:
        key = f"{agency_of(body)}/{section_of(body)}"
        if key in errors and key not in seen:
            seen.add(key)
            return errors[key]
        return None

    service.line_fault = fault


ERRORS = {
    "某市第001局/other": "server_error",
    "某市第002局/problems": "rate_limit",
    "某市第004局/improvements": "length",
}


@pytest.fixture
def flaky(tmp_path: Path) -> Iterator[tuple[StubServer, BatchService, list[Path], Path]]:
    paths, datas = make_agencies(tmp_path / "data", 8)
    with batch_server(_flaky_reply(datas)) as (server, service):
        _faulty_lines(service, ERRORS)
        yield server, service, paths, tmp_path / "out"


def test_expired_half_done_batch_and_error_lines_are_reasked_in_real_time(
    flaky: tuple[StubServer, BatchService, list[Path], Path],
) -> None:
    server, service, paths, out = flaky
    submit(paths, server, out)
    service.expire(after=20)  # 20 of 32 lines answered, then the window ends
    done = invoke("batch", "collect")
    assert done.exit_code == 0, done.output
    assert "本次生成草稿 8 份" in done.output
    assert "已过期" in done.output  # reported
    written = drafts(out)
    assert len(written) == 8 and all(by_server(d) for d in written.values())
    # Real time: the 12 unanswered, the two error lines, and two re-asks (the length-cut answer and
    # the answer that failed the check) — each once, carrying the findings where there were some.
    chat = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert len(chat) == 12 + 2 + 2, len(chat)
    reasks = [r for r in chat if len(r.body["messages"]) > 2]
    assert len(reasks) == 2 and any("缺少小节" in r.user_text for r in reasks)
    notes = " ".join(n for d in written.values() for s in d.sections for n in s.notes)
    assert "重新提问后通过" in notes


def test_expired_and_error_lines_go_in_a_follow_up_batch(
    flaky: tuple[StubServer, BatchService, list[Path], Path],
) -> None:
    server, service, paths, out = flaky
    submit(paths, server, out)
    service.expire(after=20)
    first = invoke("batch", "collect", "--reask", "batch")
    assert first.exit_code == 0, first.output
    assert "已加入后续批量任务" in first.output
    assert _posts(service, "batches") == 2
    lines = service.input_lines(list(service.batches.values())[-1])
    # 12 unanswered + 2 retryable error lines sent again; 2 re-asks with the findings.
    assert len(lines) == 12 + 2 + 2, len(lines)
    reasks = [line for line in lines if len(line["body"]["messages"]) > 2]
    assert len(reasks) == 2
    assert all(line["custom_id"].endswith("-2") for line in lines)
    assert list(drafts(out)) == ["unit-005"]  # the one whose answers all passed is written already
    service.complete_all()
    second = invoke("batch", "collect", "--reask", "batch")
    assert second.exit_code == 0, second.output
    written = drafts(out)
    assert len(written) == 8 and all(by_server(d) for d in written.values())
    assert not [r for r in server.requests if r.path.endswith("/chat/completions")]  # nothing in real time


def test_a_line_the_provider_refuses_falls_back_with_its_reason(tmp_path: Path) -> None:
    paths, datas = make_agencies(tmp_path / "data", 2)
    with batch_server(reply_for(datas)) as (server, service):
        service.line_fault = lambda cid, body: "bad_request" if section_of(body) == "other" else None
        submit(paths, server, tmp_path / "out")
        service.complete_all()
        done = invoke("batch", "collect", "--reask", "batch")
    assert "本次生成草稿 2 份" in done.output, done.output
    assert "改用离线文本" in done.output and "HTTP 400" in done.output
    for draft in drafts(tmp_path / "out").values():
        assert draft.section("other").backend == "offline"
        assert draft.section("overview").backend == "openai:test-model"


@contextmanager
def _three_submitted(tmp_path: Path, answered: int) -> Iterator[tuple[StubServer, BatchService]]:
    """Three agencies (12 requests) submitted in one batch, ``answered`` of its lines processed."""
    paths, datas = make_agencies(tmp_path / "data", 3)
    with batch_server(reply_for(datas)) as (server, service):
        submit(paths, server, tmp_path / "out")
        service.advance(answered)
        yield server, service


def test_status_reports_each_batch_and_agency(tmp_path: Path) -> None:
    with _three_submitted(tmp_path, 5) as (_, service):
        shown = invoke("batch", "status")
        assert shown.exit_code == 0
        assert "处理中，已完成 5/12" in shown.output
        assert "某市第001局（unit-001.yaml）：等待中，4 个请求未完成" in shown.output
        service.complete_all()
        local = invoke("batch", "status", "--no-refresh")
        assert "已完成 5/12" in local.output  # what was last seen, without asking
        assert "待 collect 取回结果" in invoke("batch", "status").output


def test_cancel_then_collect_asks_the_rest_in_real_time(tmp_path: Path) -> None:
    with _three_submitted(tmp_path, 4) as (server, service):
        cancelled = invoke("batch", "cancel")
        assert cancelled.exit_code == 0 and "已取消 1 个批量任务" in cancelled.output
        assert next(iter(service.batches.values())).status == "cancelled"
        assert "没有进行中的批量任务" in invoke("batch", "cancel").output
        done = invoke("batch", "collect")
        assert "本次生成草稿 3 份" in done.output and "已取消" in done.output
        assert len([r for r in server.requests if r.path.endswith("/chat/completions")]) == 8
    assert all(by_server(d) for d in drafts(tmp_path / "out").values())


def test_deepseek_is_refused_with_the_off_peak_alternative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEEPSEEK_API_KEY", KEY)
    paths, _ = make_agencies(tmp_path / "data", 1)
    result = invoke("batch", "submit", str(paths[0]), "--model", "deepseek")
    assert result.exit_code == 1
    assert "DeepSeek 没有批量（Batch）接口" in result.output
    assert "错峰" in result.output and "drafting draft --model deepseek" in result.output
    assert "Traceback" not in result.output and not default_path().exists()


def test_batch_submit_needs_a_model_and_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths, _ = make_agencies(tmp_path / "data", 1)
    offline = invoke("batch", "submit", str(paths[0]))
    assert offline.exit_code == 2 and "批量起草需要模型" in offline.output
    monkeypatch.delenv("OPENAI_API_KEY")
    nokey = invoke(
        "batch", "submit", str(paths[0]), "--model", "openai:m", "--base-url", "http://127.0.0.1:9/v1"
    )
    assert nokey.exit_code == 2 and "OPENAI_API_KEY" in nokey.output


def test_a_file_that_cannot_be_read_is_named_and_the_rest_are_submitted(tmp_path: Path) -> None:
    paths, datas = make_agencies(tmp_path / "data", 2)
    broken = tmp_path / "data" / "broken.yaml"
    broken.write_text("agency: [\n", encoding="utf-8")
    with batch_server(reply_for(datas)) as (server, _service):
        result = invoke(*submit_args([*paths, broken], base_url(server, "openai"), tmp_path / "out"))
    assert result.exit_code == 2
    assert "broken.yaml：未提交" in result.output and "已提交 2 个机关的 8 个请求" in result.output
