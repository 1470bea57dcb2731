"""The failures every call to a provider can meet, said word for word by the chat backend and by the
batch client (``backends/provider.py`` decides, each client words): time up by the call's own
deadline or the enclosing work's, a socket that timed out, a body that is not JSON, nothing
listening. Against the loopback stub; one attempt each, so the message is the attempt's own."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from drafting import deadlines
from drafting.backends.base import BackendError
from drafting.backends.batch.client import BatchClient
from drafting.backends.batch.dialects import DIALECTS

from .backend_support import REQUEST, make_backend
from .batch_stub import BatchService, base_url, batch_server
from .openai_stub import StubServer, stub_server

WORK = ("本份草稿的总时限", "DRAFTING_DRAFT_DEADLINE")


@pytest.fixture
def server() -> Iterator[StubServer]:
    with stub_server() as s:
        yield s


@pytest.fixture
def batch() -> Iterator[tuple[StubServer, BatchService]]:
    with batch_server() as both:
        yield both


def _fails(call: Callable[[], Any]) -> BackendError:
    with pytest.raises(BackendError) as info:
        call()
    return info.value


def _said(error: BackendError) -> tuple[str, str, str]:
    return error.kind, error.message, error.hint


def _client(url: str, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> BatchClient:
    endpoint = make_backend(url, monkeypatch, max_attempts=1, **settings).endpoint
    return BatchClient(endpoint, DIALECTS["openai"])


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    return f"http://127.0.0.1:{port}/v1"


# --- the chat backend ----------------------------------------------------------------------------


def test_chat_time_up_by_its_own_deadline(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "hang"
    backend = make_backend(server, monkeypatch, stream=False, timeout=10, deadline=1, max_attempts=1)
    assert _said(_fails(lambda: backend.complete(REQUEST))) == (
        "timeout",
        f"模型接口 {server.base_url} 未能在每个请求 1 秒的总时限内答完。",
        "可稍后重试，或用 DRAFTING_DEADLINE 调大每个请求的总时限。",
    )


def test_chat_time_up_by_the_works_deadline(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "hang"
    backend = make_backend(server, monkeypatch, stream=False, timeout=10, max_attempts=1)
    with deadlines.within(1, *WORK):
        error = _fails(lambda: backend.complete(REQUEST))
    assert _said(error) == (
        "timeout",
        f"本份草稿的总时限（1 秒）已到，模型接口 {server.base_url} 尚未答完。",
        "可稍后重试，或用 DRAFTING_DRAFT_DEADLINE 调大该时限。",
    )


def test_chat_socket_timeout(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "slow"
    server.state.slow_seconds = 5
    backend = make_backend(server, monkeypatch, stream=False, timeout=1, max_attempts=1)
    assert _said(_fails(lambda: backend.complete(REQUEST))) == (
        "timeout",
        f"模型接口 {server.base_url} 在 1 秒内没有回应（超时）。",
        "可稍后重试，或用 DRAFTING_TIMEOUT 调大等待时间。",
    )


def test_chat_body_not_json(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "invalid_json"
    backend = make_backend(server, monkeypatch, stream=False, max_attempts=1)
    assert _said(_fails(lambda: backend.complete(REQUEST))) == (
        "invalid_response",
        f"模型接口 {server.base_url} 返回的内容不是有效的 JSON。",
        "",
    )


def test_chat_nothing_listening(monkeypatch: pytest.MonkeyPatch) -> None:
    url = _closed_port_url()
    backend = make_backend(url, monkeypatch, max_attempts=1)
    assert _said(_fails(lambda: backend.complete(REQUEST))) == (
        "connection",
        f"无法连接模型接口 {url}。",
        "请检查网络和接口地址（--base-url）；本地服务（Ollama、vLLM）请确认已启动。",
    )


# --- the batch client ----------------------------------------------------------------------------


def test_batch_time_up_by_the_works_deadline(
    batch: tuple[StubServer, BatchService], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, service = batch
    url = base_url(server, "openai")
    service.fail_call("retrieve", "hang")
    client = _client(url, monkeypatch, timeout=10)
    with deadlines.within(1, *WORK):
        error = _fails(lambda: client.retrieve("batch_1"))
    client.close()
    assert _said(error) == (
        "timeout",
        f"本份草稿的总时限（1 秒）已到，查询批量任务（{url}）尚未完成。",
        "可稍后重试，或用 DRAFTING_DRAFT_DEADLINE 调大该时限。",
    )


def test_batch_time_up_by_its_own_deadline(
    batch: tuple[StubServer, BatchService], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, service = batch
    url = base_url(server, "openai")
    service.fail_call("retrieve", "hang")
    client = _client(url, monkeypatch, timeout=10, deadline=1)
    error = _fails(lambda: client.retrieve("batch_1"))
    client.close()
    assert _said(error) == (
        "timeout",
        f"查询批量任务未能在每个请求 1 秒的总时限内完成（{url}）。",
        "可稍后重试，或用 DRAFTING_DEADLINE 调大每个请求的总时限（上传或下载大文件时）。",
    )


def test_batch_socket_timeout(
    batch: tuple[StubServer, BatchService], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, service = batch
    url = base_url(server, "openai")
    server.state.slow_seconds = 5
    service.fail_call("retrieve", "slow")
    client = _client(url, monkeypatch, timeout=1)
    error = _fails(lambda: client.retrieve("batch_1"))
    client.close()
    assert _said(error) == (
        "timeout",
        f"查询批量任务时，{url} 在 1 秒内没有回应（超时）。",
        "可稍后重试，或用 DRAFTING_TIMEOUT 调大等待时间。",
    )


def test_batch_body_not_json(batch: tuple[StubServer, BatchService], monkeypatch: pytest.MonkeyPatch) -> None:
    server, service = batch
    url = base_url(server, "openai")
    service.fail_call("retrieve", "invalid_json")
    client = _client(url, monkeypatch)
    error = _fails(lambda: client.retrieve("batch_1"))
    client.close()
    assert _said(error) == (
        "invalid_response",
        f"查询批量任务时，{url} 返回的内容不是有效的 JSON。",
        "",
    )


def test_batch_nothing_listening(monkeypatch: pytest.MonkeyPatch) -> None:
    url = _closed_port_url()
    client = _client(url, monkeypatch)
    error = _fails(lambda: client.retrieve("batch_1"))
    client.close()
    assert _said(error) == (
        "connection",
        f"查询批量任务时无法连接 {url}，或连接中断。",
        "请检查网络和接口地址；接口地址已变时，可用 --base-url 指定新地址。",
    )
