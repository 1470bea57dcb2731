"""Each provider's batch dialect, by use: a loopback batch API that checks what that provider checks
(path prefix, line URL, upload purpose, refused parameters, one model, limits) takes our submission
and gives back drafts; the wrong dialect fails there with the provider's reason, shown in Chinese."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafting.backends.base import BackendError, ChatRequest, Message
from drafting.backends.batch.dialects import DIALECTS, MB, dialect_for
from drafting.backends.batch.lines import (
    custom_id,
    encode_line,
    line_body,
    plan_shards,
    prompt_digest,
    read_line,
    read_results,
)
from drafting.backends.endpoints import resolve_endpoint
from drafting.errors import InputError

from .batch_stub import base_url, batch_server
from .batch_support import by_server, drafts, invoke, make_agencies, reply_for, submit_args
from .llm_support import FAST, KEY

KEYS = {
    "qwen": "DASHSCOPE_API_KEY",
    "glm": "ZHIPUAI_API_KEY",
    "kimi": "MOONSHOT_API_KEY",
    "openai": "OPENAI_API_KEY",
}


@pytest.fixture(autouse=True)
def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in FAST.items():
        monkeypatch.setenv(name, value)
    for name in KEYS.values():
        monkeypatch.setenv(name, KEY)


@pytest.mark.parametrize(
    ("dialect", "model", "line_url"),
    [
        ("qwen", "qwen:qwen-plus", "/v1/chat/completions"),
        ("glm", "glm:glm-4-plus", "/v4/chat/completions"),
        ("kimi", "kimi:kimi-k2.5", "/v1/chat/completions"),
        ("openai", "openai:gpt-test", "/v1/chat/completions"),
    ],
)
def test_each_provider_dialect_drafts_through_its_batch_api(
    tmp_path: Path, dialect: str, model: str, line_url: str
) -> None:
    paths, datas = make_agencies(tmp_path / "data", 2)
    out = tmp_path / "out"
    with batch_server(reply_for(datas), dialect) as (server, service):
        sent = invoke(*submit_args(paths, base_url(server, dialect), out, model))
        assert sent.exit_code == 0, sent.output
        service.complete_all()
        done = invoke("batch", "collect")
        assert done.exit_code == 0, done.output
        (upload,) = service.uploads
        (batch,) = service.batches.values()
    assert batch.status == "completed" and upload.purpose == "batch"
    lines = [json.loads(line) for line in upload.content.decode().splitlines()]
    assert {line["url"] for line in lines} == {line_url}
    assert {line["body"]["model"] for line in lines} == {model.split(":", 1)[1]}
    # Moonshot's batch model refuses temperature: it is left out; the others send the prompt's.
    assert all(("temperature" in line["body"]) == (dialect != "kimi") for line in lines)
    written = drafts(out)
    assert len(written) == 2 and all(by_server(d) for d in written.values())


def test_the_wrong_dialect_is_refused_by_the_provider_with_its_reason(tmp_path: Path) -> None:
    """``openai:`` lines (``/v1/chat/completions``) at Zhipu's batch API: creating the batch fails."""
    paths, datas = make_agencies(tmp_path / "data", 1)
    with batch_server(reply_for(datas), "glm") as (server, service):
        result = invoke(*submit_args(paths, base_url(server, "glm"), tmp_path / "out", "openai:glm-4-plus"))
        assert result.exit_code == 1
        assert "创建批量任务失败" in result.output and "HTTP 400" in result.output
        assert "Unsupported endpoint" in result.output
        assert "Traceback" not in result.output and not service.batches
        # The refused shard does not hold up collect; cancel drops it, and collect asks in real time.
        held = invoke("batch", "collect")
        assert held.exit_code == 0 and "未能提交" in held.output and "batch cancel" in held.output
        assert "已取消 1 个批量任务" in invoke("batch", "cancel").output
        done = invoke("batch", "collect")
        assert "本次生成草稿 1 份" in done.output, done.output
    assert all(by_server(d) for d in drafts(tmp_path / "out").values())


def test_a_batch_that_fails_validation_shows_why_and_is_asked_in_real_time(tmp_path: Path) -> None:
    """Lines with temperature at a Moonshot-like API: the batch fails validation, collect says why
    (the provider's reason, line by line) and asks every request in real time."""
    paths, datas = make_agencies(tmp_path / "data", 2)
    with batch_server(reply_for(datas), "kimi") as (server, service):
        invoke(*submit_args(paths, base_url(server, "kimi"), tmp_path / "out", "openai:kimi-k2.5"))
        service.complete_all()
        status = invoke("batch", "status")
        assert "未通过校验" in status.output and "第 1 行：temperature cannot be set" in status.output
        done = invoke("batch", "collect")
        assert "未通过校验" in done.output and "temperature cannot be set" in done.output
        assert len([r for r in server.requests if r.path.endswith("/chat/completions")]) == 8
    assert all(by_server(d) for d in drafts(tmp_path / "out").values())


def test_dashscope_test_model_has_its_own_url_and_a_100_line_limit(tmp_path: Path) -> None:
    paths, datas = make_agencies(tmp_path / "data", 30)  # 120 requests: two files
    with batch_server(reply_for(datas), "qwen") as (server, service):
        sent = invoke(
            *submit_args(paths, base_url(server, "qwen"), tmp_path / "out", "qwen:batch-test-model")
        )
        assert sent.exit_code == 0, sent.output
        service.complete_all()
        assert sorted(len(service.input_lines(b)) for b in service.batches.values()) == [20, 100]
        assert {b.status for b in service.batches.values()} == {"completed"}
        assert {line["url"] for b in service.batches.values() for line in service.input_lines(b)} == {
            "/v1/chat/ds-test"
        }
        assert "本次生成草稿 30 份" in invoke("batch", "collect").output


# --- the dialect table ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "base", "provider", "line_url", "max_bytes"),
    [
        ("openai:gpt-4o-mini", None, "openai", "/v1/chat/completions", 200 * MB),
        ("qwen", None, "qwen", "/v1/chat/completions", 500 * MB),
        ("glm", None, "glm", "/v4/chat/completions", 100 * MB),
        ("kimi", None, "kimi", "/v1/chat/completions", 100 * MB),
        # openai: at a provider's address speaks that provider's dialect
        (
            "openai:qwen-plus",
            "https://dashscope.aliyuncs.com/compatible-mode/v1",
            "qwen",
            "/v1/chat/completions",
            500 * MB,
        ),
        ("openai:glm-4", "https://open.bigmodel.cn/api/paas/v4", "glm", "/v4/chat/completions", 100 * MB),
    ],
)
def test_dialect_for_each_endpoint(
    spec: str, base: str | None, provider: str, line_url: str, max_bytes: int
) -> None:
    dialect = dialect_for(resolve_endpoint(spec, base_url=base))
    assert (dialect.provider, dialect.line_url, dialect.max_bytes) == (provider, line_url, max_bytes)
    assert (
        dialect.purpose == "batch" and dialect.max_requests == 50_000 and dialect.completion_window == "24h"
    )
    assert dialect.source


@pytest.mark.parametrize(
    ("spec", "base", "words"),
    [
        ("deepseek", None, ["DeepSeek 没有批量（Batch）接口", "错峰"]),
        ("openai:deepseek-chat", "https://api.deepseek.com/v1", ["DeepSeek 没有批量（Batch）接口"]),
        ("ollama:qwen2.5:7b", None, ["Ollama 服务没有批量（Batch）接口", "drafting draft"]),
        ("vllm:qwen", None, ["vLLM", "drafting draft"]),
    ],
)
def test_providers_without_a_batch_api_are_refused(spec: str, base: str | None, words: list[str]) -> None:
    with pytest.raises(BackendError) as caught:
        dialect_for(resolve_endpoint(spec, base_url=base))
    error = caught.value
    assert error.kind == "config" and error.fatal
    assert all(w in str(error) for w in words), str(error)


def test_dashscope_test_model_dialect() -> None:
    test = DIALECTS["qwen"].for_model("batch-test-model")
    assert (test.line_url, test.endpoint, test.max_requests, test.max_bytes) == (
        "/v1/chat/ds-test",
        "/v1/chat/ds-test",
        100,
        MB,
    )
    assert DIALECTS["qwen"].for_model("qwen-plus") is DIALECTS["qwen"]


# --- lines ----------------------------------------------------------------------------------------------


def test_shards_respect_the_request_and_byte_limits() -> None:
    small = DIALECTS["openai"].__class__(
        **{**DIALECTS["openai"].__dict__, "max_requests": 3, "max_bytes": 100}
    )
    assert plan_shards([10] * 7, small) == [range(0, 3), range(3, 6), range(6, 7)]
    assert plan_shards([40, 40, 40, 10, 90], small) == [range(0, 2), range(2, 4), range(4, 5)]
    assert plan_shards([], small) == []
    with pytest.raises(InputError, match="某局 overview 的请求"):
        plan_shards([10, 101], small, ["x", "某局 overview"])


def test_custom_ids_name_agency_section_data_prompt_and_attempt() -> None:
    request = ChatRequest((Message("system", "s"), Message("user", "u")), 0.3, 1500)
    prompt = prompt_digest(["v1-aaaaaaaaaa", "v1-bbbbbbbbbb"], "qwen-plus", request)
    cid = custom_id("某市第001局", "overview", "sha256:" + "0" * 64, prompt, 1)
    assert cid.isascii() and len(cid) <= 64 and cid.endswith("-1") and "-overview-" in cid
    assert cid == custom_id("某市第001局", "overview", "sha256:" + "0" * 64, prompt, 1)  # stable
    others = {
        custom_id("某市第002局", "overview", "sha256:" + "0" * 64, prompt, 1),
        custom_id("某市第001局", "other", "sha256:" + "0" * 64, prompt, 1),
        custom_id("某市第001局", "overview", "sha256:" + "1" * 64, prompt, 1),
        custom_id(
            "某市第001局",
            "overview",
            "sha256:" + "0" * 64,
            prompt_digest(["v2-c", "v1-b"], "qwen-plus", request),
            1,
        ),
        custom_id(
            "某市第001局",
            "overview",
            "sha256:" + "0" * 64,
            prompt_digest(["v1-a", "v1-b"], "qwen-max", request),
            1,
        ),
        custom_id("某市第001局", "overview", "sha256:" + "0" * 64, prompt, 2),
    }
    assert cid not in others and len(others) == 6


def test_lines_are_jsonl_in_the_dialect() -> None:
    request = ChatRequest((Message("user", "写一段话"),), 0.2, 100)
    line = json.loads(encode_line(DIALECTS["glm"], "x-1", line_body(DIALECTS["glm"], "glm-4", request)))
    assert line == {
        "custom_id": "x-1",
        "method": "POST",
        "url": "/v4/chat/completions",
        "body": {
            "model": "glm-4",
            "messages": [{"role": "user", "content": "写一段话"}],
            "max_tokens": 100,
            "temperature": 0.2,
        },
    }


def _ok(text: str, finish: str = "stop") -> dict[str, object]:
    body = {
        "model": "m",
        "choices": [{"message": {"content": text}, "finish_reason": finish}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 2},
    }
    return {"custom_id": "c", "response": {"status_code": 200, "body": body}, "error": None}


@pytest.mark.parametrize(
    ("raw", "kind", "retryable", "expired"),
    [
        (_ok("你好"), None, None, False),
        (_ok("你好", "length"), "truncated", False, False),
        (_ok("  "), "empty", False, False),
        (_ok("你好", "content_filter"), "filtered", False, False),
        (
            {"custom_id": "c", "response": {"status_code": 429, "body": {"error": {"message": "slow"}}}},
            "rate_limit",
            True,
            False,
        ),
        (
            {"custom_id": "c", "response": {"status_code": 503, "body": {"error": {"message": "busy"}}}},
            "server",
            True,
            False,
        ),
        (
            {"custom_id": "c", "response": {"status_code": 400, "body": {"error": {"message": "bad"}}}},
            "invalid_response",
            False,
            False,
        ),
        (
            {"custom_id": "c", "response": None, "error": {"code": "batch_expired", "message": "late"}},
            "timeout",
            True,
            True,
        ),
        (
            {"custom_id": "c", "response": {"status_code": 200, "body": {"choices": []}}},
            "invalid_response",
            True,
            False,
        ),
    ],
)
def test_result_lines_are_checked_like_real_time_answers(
    raw: dict[str, object], kind: str | None, retryable: bool | None, expired: bool
) -> None:
    result = read_line(raw)  # type: ignore[arg-type]
    assert result is not None and result.custom_id == "c" and result.expired == expired
    if kind is None:
        assert result.completion is not None and result.completion.text == "你好"
        assert result.completion.usage.total_tokens == 5
    else:
        assert result.error is not None and result.error.kind == kind and result.error.retryable == retryable
        assert result.error.message.isascii() is False  # a Chinese message


def test_garbled_result_lines_are_skipped() -> None:
    content = b'{"custom_id": "a", "response": null, "error": {"code": "batch_expired"}}\nnot json\n\n{"no": "id"}\n'
    assert [r.custom_id for r in read_results(content)] == ["a"]
