"""Every HTTP error status a provider can answer, as the chat backend and the batch client say it:
the kind that decides retry or stop, and the Chinese message and hint word for word (they come
from one table per client, so a status whose words were mistyped would fail here, not in front of
a user). Against the loopback stub, which answers every request with the status under test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from drafting.backends.base import BackendError
from drafting.backends.batch.client import BatchClient
from drafting.backends.batch.dialects import DIALECTS

from .backend_support import REQUEST, make_backend
from .openai_stub import StubServer, stub_server

SAID = "服务器的说明文字"
NOTE = f"（服务器说明：{SAID}）"


@pytest.fixture
def server() -> Iterator[StubServer]:
    with stub_server() as s:
        s.state.routes.append(_refuse)
        yield s


def _refuse(handler: Any, method: str, path: str, raw: bytes) -> bool:
    """Answer with the status the test put in ``refused`` (a route of the stub: every path)."""
    status, message, code, headers = handler.server.state.refused
    handler._error(status, message, code, headers)
    return True


def _fails(call: Any) -> BackendError:
    with pytest.raises(BackendError) as info:
        call()
    return info.value


def _assert_says(error: BackendError, expected: tuple[str, str, str], url: str, status: int) -> None:
    """The error's kind, message and hint are the table's row word for word, with the endpoint's
    ``{url}``, the ``{status}`` and the server's ``{note}`` filled in."""
    kind, message, hint = expected
    words = {"url": url, "status": status, "note": NOTE}
    assert (error.kind, error.message, error.hint) == (
        kind,
        message.format(**words),
        hint.format(**words),
    )


CHAT_KEY_HINT = (
    "请检查环境变量 OPENAI_API_KEY 中的密钥是否为 {url} 的有效密钥（可用 --api-key-env 指定其他变量）。"
)
CHAT_BAD_REQUEST_HINT = (
    "请检查模型名与接口地址是否匹配；若该服务不支持流式输出，可设置 DRAFTING_STREAM=false 后重试。"
)
CHAT_FORBIDDEN = (
    "forbidden",
    "模型接口 {url} 拒绝访问（HTTP {status}）：该密钥无权使用模型“test-model”，或账户余额不足、未开通服务。{note}",
    "请在服务商控制台确认模型权限和余额，或用 --model 换用其他模型。",
)
CHAT_SERVER = ("server", "模型接口 {url} 服务出错（HTTP {status}）。{note}", "")

# status, what the server said → kind, message, hint (``{url}``, ``{status}`` and ``{note}`` filled in)
CHAT: list[tuple[int, str, tuple[str, str, str]]] = [
    (
        401,
        SAID,
        (
            "auth",
            "模型接口 {url} 拒绝了密钥（HTTP 401）：密钥无效、已过期或不属于该服务。{note}",
            CHAT_KEY_HINT,
        ),
    ),
    (402, SAID, CHAT_FORBIDDEN),
    (403, SAID, CHAT_FORBIDDEN),
    (
        404,
        SAID,
        (
            "not_found",
            "接口地址 {url} 上没有对话接口（HTTP 404）：接口地址可能不对。{note}",
            "兼容 OpenAI 的接口地址通常以 /v1 结尾，如 https://api.deepseek.com/v1；请用 --base-url 改正。",
        ),
    ),
    (
        404,
        "The model `test-model` does not exist",
        (
            "not_found",
            "模型“test-model”不存在（HTTP 404，接口 {url}）。（服务器说明：The model `test-model` does not exist）",
            "请检查模型名（--model openai:<模型名>），名称须与服务商文档中的完全一致。",
        ),
    ),
    (400, SAID, ("bad_request", "模型接口 {url} 拒绝了请求（HTTP 400）。{note}", CHAT_BAD_REQUEST_HINT)),
    (422, SAID, ("bad_request", "模型接口 {url} 拒绝了请求（HTTP 422）。{note}", CHAT_BAD_REQUEST_HINT)),
    (
        429,
        SAID,
        (
            "rate_limit",
            "模型接口 {url} 请求过于频繁（HTTP 429）。{note}",
            "可稍后重试，或用 --concurrency、--jobs 减少同时发出的请求。",
        ),
    ),
    (408, SAID, CHAT_SERVER),
    (409, SAID, CHAT_SERVER),
    (500, SAID, CHAT_SERVER),
    (503, SAID, CHAT_SERVER),
    (418, SAID, ("bad_request", "模型接口 {url} 返回错误（HTTP 418）。{note}", "")),
]


@pytest.mark.parametrize(("status", "said", "expected"), CHAT)
def test_the_chat_backend_names_every_status(
    server: StubServer,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    said: str,
    expected: tuple[str, str, str],
) -> None:
    server.state.refused = (status, said, "some_code", {})  # type: ignore[attr-defined]
    backend = make_backend(server, monkeypatch, max_attempts=1)
    error = _fails(lambda: backend.complete(REQUEST))
    _assert_says(error, expected, server.base_url, status)


@pytest.mark.parametrize("status", [429, 408, 409, 500, 503])
def test_the_chat_backend_reads_retry_after_where_a_retry_may_help(
    server: StubServer, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    server.state.refused = (status, SAID, "some_code", {"Retry-After": "120"})  # type: ignore[attr-defined]
    error = _fails(lambda: make_backend(server, monkeypatch, max_retry_after=1).complete(REQUEST))
    assert f"（HTTP {status}）" in error.message
    assert "服务器要求 120 秒后再试，超过等待上限 1 秒" in error.message


def test_the_chat_backend_does_not_wait_on_a_request_it_refused(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.state.refused = (400, SAID, "some_code", {"Retry-After": "120"})  # type: ignore[attr-defined]
    error = _fails(lambda: make_backend(server, monkeypatch, max_retry_after=1).complete(REQUEST))
    assert (error.kind, error.retry_after) == ("bad_request", None)
    assert error.message == f"模型接口 {server.base_url} 拒绝了请求（HTTP 400）。{NOTE}"


def test_an_exhausted_quota_answered_with_429_stops_the_run(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.state.refused = (429, "You exceeded your current quota", "insufficient_quota", {})  # type: ignore[attr-defined]
    error = _fails(lambda: make_backend(server, monkeypatch, max_attempts=1).complete(REQUEST))
    assert error.kind == "forbidden" and error.fatal
    assert error.message == (
        f"模型接口 {server.base_url} 报告账户额度或余额不足（服务器原话：“You exceeded your current quota”）。"
    )


BATCH_FORBIDDEN = (
    "forbidden",
    "查询批量任务失败：接口拒绝访问（HTTP {status}），账户可能未开通批量推理或余额不足。{note}",
    "请在OpenAI控制台确认已开通批量（Batch）服务。",
)
BATCH_BAD_REQUEST = (
    "bad_request",
    "查询批量任务失败：OpenAI拒绝了请求（HTTP {status}）。{note}",
    "请检查模型名是否支持批量推理（各服务商支持批量的模型不同）。",
)
BATCH_SERVER = ("server", "查询批量任务失败：服务出错（HTTP {status}）。{note}", "")
BATCH_OTHER = ("bad_request", "查询批量任务失败（HTTP {status}）。{note}", "")

BATCH: list[tuple[int, tuple[str, str, str]]] = [
    (
        401,
        (
            "auth",
            "查询批量任务失败：接口拒绝了密钥（HTTP 401）。{note}",
            "请检查环境变量 OPENAI_API_KEY 中的密钥是否为 {url} 的有效密钥。",
        ),
    ),
    (402, BATCH_FORBIDDEN),
    (403, BATCH_FORBIDDEN),
    (
        404,
        (
            "not_found",
            "查询批量任务失败：{url} 上没有该批量接口或该任务（HTTP 404）。{note}",
            "请确认接口地址（--base-url）是OpenAI的兼容接口地址，且该服务提供批量（Batch）接口。",
        ),
    ),
    (400, BATCH_BAD_REQUEST),
    (409, BATCH_BAD_REQUEST),  # a batch in the wrong state: no retry makes it right
    (422, BATCH_BAD_REQUEST),
    (
        429,
        (
            "rate_limit",
            "查询批量任务失败：请求过于频繁或批量任务数已达上限（HTTP 429）。{note}",
            "可稍后重试；各服务商对同时进行的批量任务数有上限。",
        ),
    ),
    (500, BATCH_SERVER),
    (503, BATCH_SERVER),
    (408, BATCH_OTHER),
    (418, BATCH_OTHER),
]


@pytest.mark.parametrize(("status", "expected"), BATCH)
def test_the_batch_client_names_every_status(
    server: StubServer, monkeypatch: pytest.MonkeyPatch, status: int, expected: tuple[str, str, str]
) -> None:
    server.state.refused = (status, SAID, "some_code", {"Retry-After": "7"})  # type: ignore[attr-defined]
    endpoint = make_backend(server, monkeypatch, max_attempts=1, max_retry_after=60).endpoint
    client = BatchClient(endpoint, DIALECTS["openai"])
    try:
        error = _fails(lambda: client.retrieve("batch_1"))
    finally:
        client.close()
    _assert_says(error, expected, server.base_url, status)
    assert error.retry_after == (7.0 if expected[0] == "rate_limit" else None)
    assert error.__cause__ is None and error.__context__ is None  # the SDK's error is not chained
