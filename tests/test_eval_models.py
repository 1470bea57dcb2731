"""``drafting eval`` against a real chat endpoint (the loopback OpenAI-compatible stub): through the
response cache, repeats in their own cache scope, drafts at once, and a missing key stopping the
run before any request."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import llm_support
from .eval_support import DISTRICT, district_case, record_of, run_eval, suite_text, write
from .llm_support import KEY, SERVER_SENTENCE, good_reply
from .openai_stub import Recorded, stub_server

MODEL = "openai:test-model"


_keyed = llm_support.keyed_fixture  # the key and fast retries for every test


def _suite(tmp_path: Path, *ids: str) -> Path:
    cases = "".join(district_case(i, f"contains: {SERVER_SENTENCE}\nfallback: false") for i in ids)
    return write(tmp_path / "s.yaml", suite_text(cases))


def test_a_second_run_is_answered_from_the_cache(tmp_path: Path) -> None:
    suite = _suite(tmp_path, "d")
    with stub_server(reply=good_reply(DISTRICT)) as server:
        args = ["--model", MODEL, "--base-url", server.base_url, "--repeat", "2"]
        first = run_eval(suite, *args, "--json", tmp_path / "1.json")
        sent = len(server.requests)
        second = run_eval(suite, *args, "--json", tmp_path / "2.json")
        after_cached_run = len(server.requests)
        third = run_eval(suite, *args, "--no-cache", "--json", tmp_path / "3.json")
        after_uncached_run = len(server.requests)
    assert first.exit_code == second.exit_code == third.exit_code == 0, first.output + second.output
    assert sent == 8  # four sections, two repeats: each repeat has its own cache scope
    assert after_cached_run == sent  # the second run made no HTTP request
    assert after_uncached_run == sent + 8
    one, two = record_of(tmp_path / "1.json"), record_of(tmp_path / "2.json")
    assert all(r.passed for r in one.runs + two.runs)
    assert [r.usage.cached for r in one.runs] == [0, 0] and [r.usage.requests for r in one.runs] == [4, 4]
    assert [r.usage.cached for r in two.runs] == [4, 4] and [r.usage.requests for r in two.runs] == [0, 0]
    assert all(a.cached for r in two.runs for a in r.answers) and not any(
        a.cached for r in one.runs for a in r.answers
    )
    assert [r.text("overview") for r in one.runs] == [r.text("overview") for r in two.runs]
    assert one.runs[0].usage.total_tokens > 0
    assert "缓存命中" in second.output
    assert KEY not in (tmp_path / "1.json").read_text(encoding="utf-8")


def _most_at_once(requests: list[Recorded]) -> int:
    events = sorted([(r.start, 1) for r in requests] + [(r.end, -1) for r in requests])
    now = most = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most


def test_drafts_run_at_once_up_to_the_concurrency(tmp_path: Path) -> None:
    suite = _suite(tmp_path, "a", "b", "c")
    with stub_server(reply=good_reply(DISTRICT), latency=0.3) as server:
        res = run_eval(
            suite, "--model", MODEL, "--base-url", server.base_url, "--concurrency", "3", "--no-cache"
        )
        together = _most_at_once(server.requests)
    assert res.exit_code == 0, res.output
    assert len(server.requests) == 12
    assert 4 < together <= 12  # sections of several drafts in flight at once
    with stub_server(reply=good_reply(DISTRICT), latency=0.3) as server:
        res = run_eval(
            suite, "--model", MODEL, "--base-url", server.base_url, "--concurrency", "1", "--no-cache"
        )
        alone = _most_at_once(server.requests)
    assert res.exit_code == 0
    assert alone <= 4  # one draft at a time: its four sections at most


def test_a_missing_key_stops_before_any_request(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY")
    suite = _suite(tmp_path, "d")
    with stub_server(reply=good_reply(DISTRICT)) as server:
        res = run_eval(suite, "--model", MODEL, "--base-url", server.base_url, "--json", tmp_path / "r.json")
        sent = len(server.requests)
    assert res.exit_code == 2
    assert "OPENAI_API_KEY" in res.output and sent == 0
    assert not (tmp_path / "r.json").exists()
