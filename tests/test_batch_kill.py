"""Killed at any step, batch drafting resumes where it stopped and never does a step twice.

A child process runs the command against the loopback batch API, which holds the call of the chosen
step (``BatchService.hold``); the test kills the child there with SIGKILL (no cleanup, as a power
cut or ``kill -9``), then runs the command again. Afterwards every shard was uploaded once and made
into one batch, every line was answered once, and every agency has its draft, written by the server.
"""

from __future__ import annotations

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
    kill,
    make_agencies,
    submit,
    submit_args,
)
from .llm_support import section_of
from .openai_stub import StubServer

N = 6
SLOW_ONE = "某市第004局"  # its overview fails the check the first time: collect re-asks in real time


_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


@pytest.fixture
def world(tmp_path: Path) -> Iterator[tuple[StubServer, BatchService, list[Path], Path]]:
    paths, datas = make_agencies(tmp_path / "data", N)

    def reply(body: dict[str, Any]) -> str:
        if len(body["messages"]) == 2 and agency_of(body) == SLOW_ONE and section_of(body) == "overview":
            return "本年度政府信息公开工作总体平稳。"
        return good_answer(body, datas)

    with batch_server(reply) as (server, service):
        yield server, service, paths, tmp_path / "out"


def _kill_at(service: BatchService, point: str, args: list[str], drop: bool) -> None:
    hold = service.hold(point)
    proc = child(args)
    assert hold.reached.wait(120), proc.communicate(timeout=5)
    kill(proc)
    hold.release(drop=drop)


def _all_done(server: StubServer, service: BatchService, out: Path) -> None:
    assert len(service.uploads) == 1 and len(service.batches) == 1
    assert len(service.processed) == 4 * N and set(service.processed.values()) == {1}
    written = drafts(out)
    assert len(written) == N and all(by_server(d) for d in written.values())
    with Ledger() as ledger:
        assert {a.state for a in ledger.agencies()} == {"written"}


@pytest.mark.parametrize(
    ("point", "drop", "left"),
    [
        ("upload", True, "uploading"),  # the JSONL is written; the upload never arrives
        ("uploaded", False, "uploading"),  # the provider kept the file; we never heard its id
        ("create", True, "creating"),  # uploaded; the batch is never made
        ("created", False, "creating"),  # the provider made the batch; we never heard its id
    ],
)
def test_killed_while_submitting_resumes_without_a_second_upload_or_batch(
    world: tuple[StubServer, BatchService, list[Path], Path], point: str, drop: bool, left: str
) -> None:
    server, service, paths, out = world
    args = submit_args(paths, base_url(server, "openai"), out)
    _kill_at(service, point, args, drop)
    with Ledger() as ledger:
        (shard,) = ledger.shards()
        assert shard.state == left
    from drafting.batchdrafts.send import files_dir

    assert (files_dir() / shard.name).is_file()  # the JSONL was written before the upload began

    again = invoke(*args)
    assert again.exit_code == 0, again.output
    assert "没有新的请求" in again.output or "此前已提交" in again.output
    assert "已创建批量任务" in again.output or point == "created"
    service.complete_all()
    done = invoke("batch", "collect")
    assert done.exit_code == 0, done.output
    _all_done(server, service, out)


@pytest.mark.parametrize("point", ["content", "chat"])
def test_killed_while_collecting_resumes_and_writes_each_draft_once(
    world: tuple[StubServer, BatchService, list[Path], Path], point: str
) -> None:
    server, service, paths, out = world
    assert submit(paths, server, out).exit_code == 0
    service.complete_all()
    _kill_at(service, point, ["batch", "collect", "-j", "1"], drop=False)
    before = {p.name: p.stat().st_mtime_ns for p in out.glob("*")} if out.exists() else {}
    if point == "chat":
        # Killed during the real-time re-ask of the fourth agency: the first three are written.
        assert sorted(before) == [f"unit-00{i}.{ext}" for i in (1, 2, 3) for ext in ("draft.json", "md")]
    again = invoke("batch", "collect", "-j", "1")
    assert again.exit_code == 0, again.output
    assert f"本次生成草稿 {N - len(before) // 2} 份" in again.output
    assert all(p.stat().st_mtime_ns == before[p.name] for p in out.glob("*") if p.name in before)
    _all_done(server, service, out)
