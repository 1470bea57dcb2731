"""The batch client held to the chat backend's rules, against the loopback batch API answering with
the chat endpoint's fault modes: a call that hangs ends at its deadline by the timer, a download that
stops half-way is a stall, and the key never reaches a message, the ledger, a draft or the cache —
not even when the provider sends it back in an error, an answer or a refused line.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from drafting.backends.batch.ledger import default_path

from . import llm_support
from .batch_stub import batch_server
from .batch_support import by_server, drafts, invoke, make_agencies, reply_for, submit
from .llm_support import KEY, section_of

_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


def test_a_hung_batch_call_ends_at_its_deadline_by_the_timer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server accepts ``GET /batches/{id}`` and never answers. The socket would wait 30 s; the
    call's deadline (2 s, every retry included) ends it, and the message says which call."""
    paths, datas = make_agencies(tmp_path / "data", 1)
    with batch_server(reply_for(datas)) as (server, service):
        assert submit(paths, server, tmp_path / "out").exit_code == 0
        monkeypatch.setenv("DRAFTING_TIMEOUT", "30")
        monkeypatch.setenv("DRAFTING_DEADLINE", "2")
        service.fail_call("retrieve", "hang", "hang", "hang")
        started = time.monotonic()
        shown = invoke("batch", "status")
        elapsed = time.monotonic() - started
    assert shown.exit_code == 1, shown.output
    assert "查询批量任务未能在每个请求 2 秒的总时限内完成" in shown.output
    assert "DRAFTING_DEADLINE" in shown.output and "Traceback" not in shown.output
    assert elapsed < 10, elapsed


def test_a_download_that_stops_half_way_is_a_stall_and_collect_resumes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths, datas = make_agencies(tmp_path / "data", 2)
    out = tmp_path / "out"
    with batch_server(reply_for(datas)) as (server, service):
        assert submit(paths, server, out).exit_code == 0
        service.complete_all()
        monkeypatch.setenv("DRAFTING_STALL_TIMEOUT", "1")
        service.fail_call("content", "stall_body", "stall_body")
        started = time.monotonic()
        stalled = invoke("batch", "collect")
        elapsed = time.monotonic() - started
        assert stalled.exit_code == 1, stalled.output
        assert "下载批量结果时" in stalled.output and "没有进展" in stalled.output
        assert elapsed < 15, elapsed  # two attempts of about a second each, not the deadline (20 s)
        assert not drafts(out)
        done = invoke("batch", "collect")
        assert done.exit_code == 0 and "本次生成草稿 2 份" in done.output, done.output
    assert all(by_server(d) for d in drafts(out).values())


def _no_key_under(*folders: Path) -> None:
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                assert KEY.encode() not in path.read_bytes(), path


def test_a_key_the_provider_echoes_in_an_error_is_never_shown(tmp_path: Path) -> None:
    paths, datas = make_agencies(tmp_path / "data", 1)
    with batch_server(reply_for(datas)) as (server, service):
        service.fail_call("upload", "unauthorized_echo")
        refused = submit(paths, server, tmp_path / "out")
    assert refused.exit_code == 1 and "HTTP 401" in refused.output and "***" in refused.output
    assert KEY not in refused.output
    _no_key_under(default_path().parent)


def test_the_ledger_never_holds_the_key(tmp_path: Path) -> None:
    """The provider sends the key back three ways: in an answer, in a refused line's error, in an
    answer far over its length. None of them is kept: each section is asked again in real time, and
    afterwards neither the ledger (with its journal), nor the uploaded JSONL, the response cache or
    the drafts hold the key, while the provider's own result file did."""
    paths, datas = make_agencies(tmp_path / "data", 2)
    out = tmp_path / "out"
    faults = {
        "某市第001局/overview": "echo_key",
        "某市第002局/problems": "error_echo",
        "某市第001局/other": "huge",
    }

    def fault(cid: str, body: dict[str, Any]) -> str | None:
        from .batch_support import agency_of

        return faults.get(f"{agency_of(body)}/{section_of(body)}")

    with batch_server(reply_for(datas)) as (server, service):
        service.line_fault = fault
        assert submit(paths, server, out).exit_code == 0
        service.complete_all()
        done = invoke("batch", "collect")
        results = [f.content for f in service.files.values() if f.purpose == "batch_output"]
    assert done.exit_code == 0, done.output
    assert any(KEY.encode() in content for content in results)  # the provider did send it back
    assert KEY not in done.output
    chat = [r for r in server.requests if r.path.endswith("/chat/completions")]
    assert len(chat) == 3  # each refused answer asked again, the over-long one with a note
    assert any("长度上限" in r.user_text for r in chat)
    written = drafts(out)
    assert len(written) == 2 and all(by_server(d) for d in written.values())
    ledger = default_path()
    assert ledger.is_file()
    _no_key_under(ledger.parent, out, tmp_path / "drafting-home")
