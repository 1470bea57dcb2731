"""The OpenAI-compatible backend on the wire: what it sends, and how it judges every kind of answer
a real server can give (JSON and SSE), against a loopback server."""

from __future__ import annotations

import logging
import socket
import traceback
from collections.abc import Iterator

import pytest

from drafting.backends.base import BackendError
from drafting.backends.endpoints import resolve_endpoint
from drafting.errors import InputError

from .backend_support import REQUEST, make_backend
from .llm_support import KEY
from .openai_stub import StubServer, stub_server


@pytest.fixture
def server() -> Iterator[StubServer]:
    with stub_server(reply=lambda body: "2023年，我局依法做好政府信息公开工作。") as s:
        yield s


def _fails(backend_call: object) -> BackendError:
    assert callable(backend_call)
    with pytest.raises(BackendError) as info:
        backend_call()
    return info.value


@pytest.mark.parametrize("stream", [True, False])
def test_an_answer_comes_back_with_its_usage(
    server: StubServer, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    backend = make_backend(server, monkeypatch, stream=stream)
    completion = backend.complete(REQUEST)
    assert completion.text == "2023年，我局依法做好政府信息公开工作。"
    assert completion.finish_reason == "stop"
    assert completion.attempts == 1
    assert completion.usage.completion_tokens == len(completion.text)
    assert not completion.usage.estimated
    (sent,) = server.requests
    assert sent.body["model"] == "test-model"
    assert sent.body["messages"] == [{"role": m.role, "content": m.content} for m in REQUEST.messages]
    assert sent.body["max_tokens"] == 300  # not max_completion_tokens, which compatible servers reject
    assert "max_completion_tokens" not in sent.body
    assert sent.body["temperature"] == 0.2
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    assert bool(sent.body.get("stream")) is stream
    if stream:
        assert sent.body["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize("stream", [True, False])
@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        ("length", "truncated", "截断"),
        ("empty", "empty", "空"),
        ("html", "not_an_api", "网页"),
    ],
)
def test_unusable_answers_are_named_and_not_retried(
    server: StubServer, monkeypatch: pytest.MonkeyPatch, stream: bool, fault: str, kind: str, words: str
) -> None:
    server.state.always = fault
    error = _fails(lambda: make_backend(server, monkeypatch, stream=stream).complete(REQUEST))
    assert error.kind == kind
    assert words in error.message
    assert len(server.requests) == 1  # retrying would get the same answer


def test_an_html_page_names_the_base_url(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "html"
    error = _fails(lambda: make_backend(server, monkeypatch).complete(REQUEST))
    assert server.base_url in error.message
    assert "/v1" in error.hint and "--base-url" in error.hint


@pytest.mark.parametrize("stream", [True, False])
def test_a_body_that_is_not_json_is_retried(
    server: StubServer, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    server.fail("invalid_json")
    completion = make_backend(server, monkeypatch, stream=stream).complete(REQUEST)
    assert completion.attempts == 2
    assert completion.text.startswith("2023年")


def test_an_answer_without_choices_is_retried_then_named(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.fail("no_choices")
    assert make_backend(server, monkeypatch, stream=False).complete(REQUEST).attempts == 2
    server.state.always = "no_choices"
    error = _fails(lambda: make_backend(server, monkeypatch, stream=False, max_attempts=2).complete(REQUEST))
    assert error.kind == "invalid_response"
    assert "choices" in error.message


def test_a_stream_cut_midway_is_retried(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.fail("cut_stream")
    completion = make_backend(server, monkeypatch).complete(REQUEST)
    assert completion.attempts == 2
    assert completion.text == "2023年，我局依法做好政府信息公开工作。"  # whole, not the half that came first


@pytest.mark.parametrize("fault", ["cut_stream", "stream_no_finish"])
def test_a_stream_that_never_finishes_is_truncated(
    server: StubServer, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    server.state.always = fault
    error = _fails(lambda: make_backend(server, monkeypatch, max_attempts=2).complete(REQUEST))
    assert error.kind in ("truncated", "connection")
    assert "2 次" in error.message
    assert len(server.requests) == 2
    if fault == "stream_no_finish":
        assert error.kind == "truncated" and "finish_reason" in error.message


def test_a_401_echoing_the_key_fails_at_once_without_the_key(
    server: StubServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server.state.always = "unauthorized_echo"
    error = _fails(lambda: make_backend(server, monkeypatch).complete(REQUEST))
    assert len(server.requests) == 1
    assert KEY in server.requests[0].headers["authorization"]  # the server did get it and echo it
    assert error.kind == "auth"
    assert "401" in error.message and "OPENAI_API_KEY" in error.hint
    shown = "".join(traceback.format_exception(error)) + repr(error) + str(error.args) + caplog.text
    assert KEY not in shown
    assert KEY[:12] not in shown  # not even a prefix
    assert error.__cause__ is None and error.__context__ is None  # the SDK's error is not chained


@pytest.mark.parametrize(
    ("fault", "kind", "words"),
    [
        ("forbidden", "forbidden", "403"),
        ("model_not_found", "not_found", "模型“test-model”不存在"),
        ("bad_request", "bad_request", "400"),
    ],
)
def test_client_errors_fail_at_once_naming_the_cause(
    server: StubServer, monkeypatch: pytest.MonkeyPatch, fault: str, kind: str, words: str
) -> None:
    server.state.always = fault
    error = _fails(lambda: make_backend(server, monkeypatch).complete(REQUEST))
    assert (error.kind, error.fatal) == (kind, True)
    assert words in error.message
    assert len(server.requests) == 1


def test_a_wrong_base_url_is_named(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    root = server.base_url.removesuffix("/v1")  # the classic mistake: /v1 left off
    error = _fails(lambda: make_backend(root, monkeypatch).complete(REQUEST))
    assert error.kind == "not_found"
    assert "接口地址" in error.message and root in error.message
    assert "/v1" in error.hint


def test_nothing_listening_is_a_connection_error_after_the_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nothing listens there
    url = f"http://127.0.0.1:{port}/v1"
    error = _fails(lambda: make_backend(url, monkeypatch, max_attempts=2).complete(REQUEST))
    assert error.kind == "connection"
    assert url in error.message and "2 次" in error.message


def test_a_missing_key_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPSEEK_API_KEY", raising=False)
    endpoint = resolve_endpoint("deepseek")
    with pytest.raises(InputError) as info:
        endpoint.read_key()
    assert "DEEPSEEK_API_KEY" in info.value.message
    assert "--api-key-env" in info.value.hint


def test_a_local_server_needs_no_key(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OLLAMA_API_KEY", raising=False)
    from drafting.backends import get_backend

    completion = get_backend("ollama:qwen2.5:7b", base_url=server.base_url).complete(REQUEST)
    assert completion.text
    assert server.requests[0].body["model"] == "qwen2.5:7b"


def test_an_error_event_inside_a_stream_is_retried_and_redacted(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.fail("stream_error")
    assert make_backend(server, monkeypatch).complete(REQUEST).attempts == 2
    server.state.always = "stream_error"
    error = _fails(lambda: make_backend(server, monkeypatch, max_attempts=2).complete(REQUEST))
    assert error.kind == "server" and "overloaded" in error.message
    assert KEY not in "".join(traceback.format_exception(error))
