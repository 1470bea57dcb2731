"""Batch drafting beside the rest of a user's work: two ``collect``s at once, a provider that moved to
a new address, and a later ``draft`` of the same data that finds every answer already paid for.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drafting.backends.batch.ledger import Ledger

from . import llm_support
from .batch_stub import BatchService, base_url, batch_server
from .batch_support import (
    agency_of,
    by_server,
    child,
    drafts,
    good_answer,
    invoke,
    make_agencies,
    reply_for,
    submit,
    submit_args,
)
from .llm_support import section_of
from .openai_stub import StubServer

_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


def _chat(server: StubServer) -> list[Any]:
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


# --- two collects at once ---------------------------------------------------------------------------


N = 6


@pytest.fixture
def expired(tmp_path: Path) -> Iterator[tuple[StubServer, BatchService, Path]]:
    """N agencies whose batch expired before any line was answered: collect asks all 4 × N in real
    time, each taking a moment."""
    paths, datas = make_agencies(tmp_path / "data", N)
    with batch_server(reply_for(datas), latency=0.2) as (server, service):
        out = tmp_path / "out"
        assert submit(paths, server, out).exit_code == 0
        service.expire(after=0)
        yield server, service, out


def test_two_collects_at_once_ask_each_agency_once(
    expired: tuple[StubServer, BatchService, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first collect's first real-time request is held at the server; a second collect runs from
    start to end meanwhile. It leaves the agency the first one holds (and the batch the first one
    read), takes only agencies nobody has, and says so; then the first one finishes its own."""
    server, service, out = expired
    # The held request waits while the second collect starts and runs (seconds on a loaded machine):
    # it must not time out and be sent again, which is not what this test is about.
    monkeypatch.setenv("DRAFTING_TIMEOUT", "300")
    hold = service.hold("chat")
    first = child(["batch", "collect", "-j", "2"])
    try:
        assert hold.reached.wait(120), first.communicate(timeout=5)
        second = child(["batch", "collect", "-j", "2"])
        out2, err2 = second.communicate(timeout=300)
    finally:
        hold.release()
    out1, err1 = first.communicate(timeout=300)
    assert first.returncode == 0, out1 + err1
    assert second.returncode == 0, out2 + err2
    assert "由同时运行的另一个 collect 处理" in out2  # the agency the first one holds at least
    asked = collections.Counter((agency_of(r.body), section_of(r.body)) for r in _chat(server))
    assert len(asked) == 4 * N and set(asked.values()) == {1}, asked
    written = drafts(out)
    assert len(written) == N and all(by_server(d) for d in written.values())
    with Ledger() as ledger:
        assert {a.state for a in ledger.agencies()} == {"written"}
    # Between them the two reported every draft once.
    reported = out1.count(" → ") + out2.count(" → ")
    assert reported == N, out1 + out2


# --- the provider moved --------------------------------------------------------------------------------


def test_base_url_when_the_endpoint_moved(tmp_path: Path) -> None:
    """The provider's gateway moves twice: ``status --base-url`` and ``collect --base-url`` take the
    jobs there for good; in between, a collect to the old address says what to do."""
    paths, datas = make_agencies(tmp_path / "data", 2)
    out = tmp_path / "out"
    with batch_server(reply_for(datas)) as (server, service):
        assert submit(paths, server, out).exit_code == 0
        service.complete_all()
        # The same account behind another address; the old one answers no more.
        second = StubServer(server.state).start()
        server.stop()
        shown = invoke("batch", "status", "--base-url", f"http://127.0.0.1:{second.port}/v1")
        assert shown.exit_code == 0 and "已完成" in shown.output, shown.output
        third = StubServer(server.state).start()
        second.stop()
        try:
            stuck = invoke("batch", "collect")
            assert stuck.exit_code != 0 and "无法连接" in stuck.output and "--base-url" in stuck.output
            assert "Traceback" not in stuck.output and not drafts(out)
            new = f"http://127.0.0.1:{third.port}/v1"
            done = invoke("batch", "collect", "--base-url", new)
            assert done.exit_code == 0, done.output
            assert f"接口地址已改为 {new}" in done.output and "本次生成草稿 2 份" in done.output
            # Later commands use the new address without being told again.
            assert invoke("batch", "status").exit_code == 0
            bad = invoke("batch", "collect", "--base-url", "dashscope.aliyuncs.com")
            assert bad.exit_code == 2 and "http://" in bad.output
        finally:
            third.stop()
    assert all(by_server(d) for d in drafts(out).values())
    with Ledger() as ledger:
        assert {j.base_url for j in ledger.jobs()} == {new}


# --- two submits at once ------------------------------------------------------------------------------


def test_a_submit_waits_while_another_records_its_requests(tmp_path: Path) -> None:
    """Finding what is new and recording it is one step under the ledger's ``submit`` lock: a
    second submit meanwhile waits (here the test holds the lock), then finds everything known."""
    paths, datas = make_agencies(tmp_path / "data", 3)
    with batch_server(reply_for(datas)) as (server, service):
        args = submit_args(paths, base_url(server, "openai"), tmp_path / "out")
        with Ledger() as ledger, ledger.lock("submit"):
            waiting = child(args)
            time.sleep(3)
            assert waiting.poll() is None and not service.calls and not ledger.jobs()
            invoke(*args)  # the other submit, in this process: the lock is this thread's
        out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out + err
    assert "3 个机关的请求此前已提交" in out and "没有新的请求" in out
    assert len(service.uploads) == 1 and len(service.batches) == 1


# --- the response cache -------------------------------------------------------------------------------


BAD_FIRST = "某市第002局"  # its overview's first answer fails the check: collect re-asks in real time


def test_draft_after_collect_pays_for_nothing(tmp_path: Path) -> None:
    """Every answer a batch paid for and a section accepted is in the response cache under the key
    ``draft`` uses — the re-ask's too, and the first answer it carries — so drafting the same data
    in real time sends nothing and writes the same text."""
    paths, datas = make_agencies(tmp_path / "data", 3)

    def reply(body: dict[str, Any]) -> str:
        if len(body["messages"]) == 2 and agency_of(body) == BAD_FIRST and section_of(body) == "overview":
            return "本年度政府信息公开工作总体平稳。"
        return good_answer(body, datas)

    with batch_server(reply, auto=True) as (server, _service):
        url = base_url(server, "openai")
        assert invoke(*submit_args(paths, url, tmp_path / "batch")).exit_code == 0
        collected = invoke("batch", "collect")
        assert collected.exit_code == 0, collected.output
        assert len(_chat(server)) == 1  # the one re-ask
        again = invoke(
            "draft", *map(str, paths), "--model", "openai:test-model", "--base-url", url,
            "-o", str(tmp_path / "realtime"), "--format", "md",
        )  # fmt: skip
        assert again.exit_code == 0, again.output
        assert len(_chat(server)) == 1, "draft asked again for answers the batch paid for"
        assert "请求 0 次，缓存命中 13 次" in again.output  # 12 first asks and the re-ask
    batch, realtime = drafts(tmp_path / "batch"), drafts(tmp_path / "realtime")
    assert all(by_server(d) for d in realtime.values())
    for name, draft in batch.items():
        assert [s.paragraphs for s in draft.sections] == [s.paragraphs for s in realtime[name].sections]


def test_a_section_that_fell_back_leaves_nothing_in_the_cache(tmp_path: Path) -> None:
    """Answers that never passed the checks are not kept: a later draft asks afresh."""
    paths, datas = make_agencies(tmp_path / "data", 1)
    with batch_server(lambda body: "本年度共受理政府信息公开申请98765件。", auto=True) as (server, _service):
        url = base_url(server, "openai")
        invoke(*submit_args(paths, url, tmp_path / "batch"))
        assert invoke("batch", "collect", "--reask", "batch").exit_code == 0  # a follow-up batch
        assert invoke("batch", "collect", "--reask", "batch").exit_code == 0  # re-asks fail again
        assert not _chat(server)
        written = drafts(tmp_path / "batch")["unit-001"]
        assert {s.backend for s in written.sections} == {"offline"}
        server.state.reply = reply_for(datas)
        started = time.monotonic()
        again = invoke(
            "draft", str(paths[0]), "--model", "openai:test-model", "--base-url", url,
            "-o", str(tmp_path / "realtime"), "--format", "md",
        )  # fmt: skip
        assert again.exit_code == 0, again.output
        assert time.monotonic() - started < 60
    assert len(_chat(server)) == 4 and "缓存命中 0 次" in again.output
