"""The sqlite response cache: what the key covers (never the API key), what is stored (JSON, only
good answers), where it lives, and ``drafting cache stats|clear``."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import config
from drafting.backends.base import BackendError, ChatRequest, Message
from drafting.backends.cached import CachedBackend, ResponseCache, cache_key, default_path
from drafting.backends.scripted import ScriptedBackend
from drafting.cli import cli
from drafting.errors import OutputError

from .backend_support import REQUEST, make_backend
from .llm_support import KEY
from .openai_stub import stub_server

URL = "http://127.0.0.1:9/v1"


def test_the_key_covers_what_decides_the_answer() -> None:
    base = cache_key(URL, "m", REQUEST)
    assert cache_key(URL + "/", "m", REQUEST) == base  # a trailing slash is the same endpoint
    other_messages = ChatRequest((Message("user", "另一个问题"),), REQUEST.temperature, REQUEST.max_tokens)
    variants = [
        cache_key("http://127.0.0.1:10/v1", "m", REQUEST),
        cache_key(URL, "m2", REQUEST),
        cache_key(URL, "m", other_messages),
        cache_key(URL, "m", ChatRequest(REQUEST.messages, 0.9, REQUEST.max_tokens)),
        cache_key(URL, "m", ChatRequest(REQUEST.messages, REQUEST.temperature, 99)),
    ]
    assert len({base, *variants}) == 6


def test_a_different_api_key_still_hits(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ResponseCache()
    with stub_server(reply=lambda body: "缓存的回答。") as server:
        first = make_backend(server, monkeypatch)
        cached = CachedBackend(first, cache, server.base_url, "test-model")
        assert not cached.complete(REQUEST).cached
        monkeypatch.setenv("OPENAI_API_KEY", "sk-another-key-999999999")
        second = CachedBackend(first.__class__(first.endpoint), cache, server.base_url, "test-model")
        hit = second.complete(REQUEST)
        assert hit.cached and hit.text == "缓存的回答。" and hit.attempts == 0
        assert len(server.requests) == 1


def test_values_are_json_and_hold_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ResponseCache()
    with stub_server(reply=lambda body: "第一段。") as server:
        CachedBackend(make_backend(server, monkeypatch), cache, server.base_url, "test-model").complete(
            REQUEST
        )
    assert cache.path == config.cache_dir() / "responses.sqlite3" == default_path()
    with sqlite3.connect(cache.path) as conn:
        ((value,),) = conn.execute("SELECT value FROM responses").fetchall()
    assert json.loads(value)["text"] == "第一段。"
    for file in cache.path.parent.iterdir():
        assert KEY.encode() not in file.read_bytes()


def test_errors_and_unusable_answers_are_not_cached() -> None:
    cache = ResponseCache()
    inner = ScriptedBackend(
        [
            BackendError("服务器出错", kind="server"),
            BackendError("回答被截断", kind="truncated"),
            "好的回答。",
        ]
    )
    backend = CachedBackend(inner, cache, URL, "m")
    for _ in range(2):
        with pytest.raises(BackendError):
            backend.complete(REQUEST)
    assert cache.stats().entries == 0
    assert backend.complete(REQUEST).text == "好的回答。"
    assert backend.complete(REQUEST).cached  # the script is used up: this one came from the cache
    assert len(inner.requests) == 3


def test_concurrent_writers_share_one_file() -> None:
    cache = ResponseCache()
    backend = CachedBackend(ScriptedBackend(lambda req: req.messages[0].content + "。"), cache, URL, "m")

    def work(n: int) -> None:
        for i in range(10):
            backend.complete(ChatRequest((Message("user", f"问题{n}-{i}"),)))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.stats().entries == 60


def test_a_broken_cache_file_is_named_with_the_way_out() -> None:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(OutputError) as info:
        ResponseCache().get("x")
    assert str(path) in info.value.message
    assert "--no-cache" in info.value.hint and "drafting cache clear" in info.value.hint
    cleared = CliRunner().invoke(cli, ["cache", "clear"])  # the way out the hint names works
    assert cleared.exit_code == 0, cleared.output
    backend = CachedBackend(ScriptedBackend(["回答。"]), ResponseCache(), URL, "m")
    backend.complete(REQUEST)
    assert backend.complete(REQUEST).cached


def test_cli_stats_and_clear(tmp_path: Path) -> None:
    backend = CachedBackend(ScriptedBackend(["一。", "二。"]), ResponseCache(), URL, "qwen-plus")
    backend.complete(REQUEST)
    backend.complete(ChatRequest((Message("user", "再来"),)))
    runner = CliRunner()
    stats = runner.invoke(cli, ["cache", "stats"])
    assert stats.exit_code == 0, stats.output
    assert str(default_path()) in stats.output
    assert "条数：2" in stats.output and "qwen-plus" in stats.output
    cleared = runner.invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0 and "已清除 2 条缓存" in cleared.output
    assert "条数：0" in runner.invoke(cli, ["cache", "stats"]).output


# --- bounded (issue 17, item 7) ----------------------------------------------------------------


def _ask(n: int) -> ChatRequest:
    return ChatRequest((Message("user", f"问题{n}"),))


def test_the_cache_keeps_under_its_cap_by_dropping_the_least_recently_used() -> None:
    answer = "政府信息公开。" * 300  # ~6.4 KB stored per answer
    cache = ResponseCache(max_bytes=40_000)
    backend = CachedBackend(ScriptedBackend(lambda req: answer), cache, URL, "m")
    for n in range(5):
        backend.complete(_ask(n))
    assert cache.stats().entries == 5
    assert backend.complete(_ask(0)).cached  # used again: now the most recent
    for n in range(5, 9):
        backend.complete(_ask(n))
    stats = cache.stats()
    assert stats.stored_bytes <= 40_000 and stats.entries < 9
    assert backend.complete(_ask(0)).cached  # kept: used recently
    assert not backend.complete(_ask(1)).cached  # dropped: used least recently


def test_an_over_long_answer_stored_by_an_older_version_is_a_miss() -> None:
    cache = ResponseCache()
    huge = "很长的回答。" * (REQUEST.max_chars // 3)
    assert len(huge) > REQUEST.max_chars
    backend = CachedBackend(ScriptedBackend([huge, "正常的回答。"]), cache, URL, "m")
    first = backend.complete(REQUEST)  # a scripted backend does not bound its answers
    assert first.text == huge
    again = backend.complete(REQUEST)
    assert not again.cached and again.text == "正常的回答。"  # asked again, and replaced
    assert backend.complete(REQUEST).cached


def test_a_cache_file_from_before_the_cap_gains_its_columns() -> None:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE responses (key TEXT PRIMARY KEY, model TEXT NOT NULL, value TEXT NOT NULL,"
            " created REAL NOT NULL)"
        )
        value = json.dumps(
            {"text": "旧的回答。", "finish_reason": "stop", "model": "m", "usage": {}}, ensure_ascii=False
        )
        conn.execute("INSERT INTO responses VALUES (?, 'm', ?, 1.0)", (cache_key(URL, "m", REQUEST), value))
    cache = ResponseCache()
    hit = CachedBackend(ScriptedBackend([]), cache, URL, "m").complete(REQUEST)
    assert hit.cached and hit.text == "旧的回答。"
    assert cache.stats().stored_bytes == len(value.encode("utf-8"))


def test_cli_stats_shows_the_cap_from_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_CACHE_MAX_MB", "5")
    CachedBackend(ScriptedBackend(["一。"]), ResponseCache(), URL, "m").complete(REQUEST)
    stats = CliRunner().invoke(cli, ["cache", "stats"])
    assert stats.exit_code == 0, stats.output
    assert "上限 5 MB" in stats.output and "最久未用" in stats.output
