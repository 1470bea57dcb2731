"""A real OpenAI-compatible chat-completions server on 127.0.0.1, with faults a test can order.

The SDK under test talks HTTP to it exactly as it would to DeepSeek or a local vLLM: JSON answers,
SSE streams, status codes and headers. Nothing of ours is mocked. A test queues faults for the next
requests (``server.fail("rate_limit", "server_error")``) or for every request (``server.always``),
sets a fixed latency, answers by a callable, and reads back what was sent and when (start and end
times prove that requests overlapped). ``limit_rate(n, window)`` makes it a provider with a quota:
beyond ``n`` chat requests in any ``window`` seconds it answers 429; ``limit_tokens(n, window)`` the
same for tokens (see ``_over_tokens`` for how it counts them). Other services (the batch API
of ``batch_stub``) plug in as ``routes`` and share the same reply callable.

The faults are the ones a flaky network and a broken or hostile provider give (issue 17 tried 21
kinds; ``FAULTS`` has them all, and ``tests/test_fault_suite.py`` drives ``drafting draft`` through
each). Faults that never end on their own (``hang``, ``trickle``) end when the client hangs up or
the server stops, so no thread outlives a test by long.
"""

from __future__ import annotations

import json
import select
import socket
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Every fault mode the server knows. A fault applies to one request (queued) or to all (always).
FAULTS = (
    "rate_limit",  # 429 with Retry-After
    "server_error",  # 500 with a JSON error body
    "slow",  # answer only after ``slow_seconds`` (longer than the client's timeout)
    "invalid_json",  # 200, application/json, a body that is not JSON
    "html",  # 200 with an HTML page, as a portal or a login proxy gives
    "empty",  # 200, a well-formed completion with empty content
    "length",  # 200, finish_reason "length"
    "no_choices",  # 200, JSON without "choices"
    "cut_stream",  # SSE: a few chunks, then the connection drops mid-body
    "stream_no_finish",  # SSE: a clean end, but no finish_reason and no [DONE]
    "stream_error",  # SSE: an error event mid-stream, as an overloaded provider sends
    "unauthorized_echo",  # 401 whose message repeats the key the client sent
    "forbidden",  # 403
    "model_not_found",  # 404 naming the model
    "bad_request",  # 400
    # Stalls and floods (issue 17):
    "hang",  # accept the request, never answer (no status line, nothing)
    "trickle",  # SSE headers, then keep-alive comments every ``keepalive_interval``, never a token
    "keepalive_then_answer",  # keep-alives for ``keepalive_seconds``, then the answer (DeepSeek queueing)
    "slow_tokens",  # the answer one piece every ``token_interval`` seconds: progress, but never done in time
    "huge",  # an answer of ``huge_chars`` characters, whatever max_tokens said
    "sse_garbage",  # SSE whose data lines are not JSON
    "reset",  # read the request, then drop the connection without a word
    # Provider messages (issue 17):
    "error_200",  # 200 with {"error": "Insufficient quota"}
    "error_200_object",  # 200 with {"error": {"message": 账户余额不足…, "type": …}}
    "quota_429",  # 429 insufficient_quota, as OpenAI reports an exhausted plan
    "stream_quota",  # SSE: an error event mid-stream saying the balance ran out
    "echo_key",  # 200, an answer that repeats the key the client sent
)

Reply = Callable[[dict[str, Any]], str]
# A service plugged into the server: handles (handler, method, path, body) and says whether it did.
Route = Callable[["_Handler", str, str, bytes], bool]


@dataclass
class Recorded:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]  # names in lower case
    body: dict[str, Any]
    start: float  # time.monotonic() when the request arrived
    end: float = 0.0  # when the answer was finished
    fault: str = ""

    @property
    def user_text(self) -> str:
        messages = self.body.get("messages") or []
        return "\n".join(str(m.get("content", "")) for m in messages if m.get("role") == "user")


def default_reply(body: dict[str, Any]) -> str:
    return "桩服务器的回答。"


@dataclass
class StubState:
    reply: Reply = default_reply
    latency: float = 0.0  # added to every answer
    chunk_delay: float = 0.0  # between the pieces of a stream: a model that writes slowly
    first_chunk_at: list[float] = field(default_factory=list)  # when each stream's first piece left
    slow_seconds: float = 2.0  # how long a "slow" fault waits
    retry_after: str = "0"  # the Retry-After header of a "rate_limit" fault
    keepalive_interval: float = 0.1  # between keep-alive comments ("trickle", "keepalive_then_answer")
    keepalive_seconds: float = 0.5  # keep-alives before the answer ("keepalive_then_answer")
    token_interval: float = 0.3  # between pieces of a "slow_tokens" answer
    huge_chars: int = 10_000_000  # the length of a "huge" answer
    endless: float = 600.0  # the longest a "hang" or "trickle" lasts if the client stays
    stopping: threading.Event = field(default_factory=threading.Event)  # the server is shutting down
    queued: deque[str] = field(default_factory=deque)
    always: str = ""  # a fault applied to every request
    requests: list[Recorded] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    routes: list[Route] = field(default_factory=list)
    chat_paths: set[str] = field(default_factory=lambda: {"/v1/chat/completions"})
    rate_limit: tuple[int, float] | None = None  # (requests, window seconds) a provider's quota
    accepted: deque[float] = field(default_factory=deque)  # arrival times within the window
    rejected: int = 0  # 429s sent for the quota
    token_limit: tuple[int, float] | None = None  # (tokens, window seconds) a provider's token quota
    token_log: deque[list[float]] = field(default_factory=deque)  # [arrival, tokens] within the window


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real endpoints do
    disable_nagle_algorithm = True  # headers and body go out at once, as from a real server
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read ``requests`` instead of a log."""

    def parse_request(self) -> bool:
        self.arrived = time.monotonic()  # the request line is in: as a provider's gateway stamps it
        return super().parse_request()

    # --- plumbing ---------------------------------------------------------------------------

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json", headers)

    def _error(self, status: int, message: str, code: str, headers: dict[str, str] | None = None) -> None:
        self._json(status, {"error": {"message": message, "type": code, "code": code}}, headers)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _client_gone(self, wait: float) -> bool:
        """Wait up to ``wait`` seconds; whether the client hung up (or the server is stopping)."""
        state = self.server.state
        if state.stopping.is_set():
            return True
        readable, _, _ = select.select([self.connection], [], [], wait)
        if readable:
            try:
                return self.connection.recv(1, socket.MSG_PEEK) == b""
            except OSError:
                return True
        return state.stopping.is_set()

    def _sse_headers(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    # --- the endpoint -----------------------------------------------------------------------

    def _routed(self, method: str) -> bytes | None:
        """The request body, or None when a plugged-in service answered it."""
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            for route in self.server.state.routes:
                if route(self, method, self.path.split("?")[0], raw):
                    return None
        except (BrokenPipeError, ConnectionResetError):
            return None  # the client hung up (a kill test)
        return raw

    def do_GET(self) -> None:
        if self._routed("GET") is not None:
            self._error(404, "Not Found", "not_found")

    def do_DELETE(self) -> None:
        if self._routed("DELETE") is not None:
            self._error(404, "Not Found", "not_found")

    def _over_quota(self) -> bool:
        """Whether this chat request exceeds the quota (counted on arrival, 429s not counted)."""
        state = self.server.state
        if state.rate_limit is None:
            return False
        limit, window = state.rate_limit
        with state.lock:
            now = self.arrived
            while state.accepted and state.accepted[0] <= now - window:
                state.accepted.popleft()
            if len(state.accepted) >= limit:
                state.rejected += 1
                return True
            state.accepted.append(now)
            return False

    def _over_tokens(self, body: dict[str, Any]) -> list[float] | bool | None:
        """Whether this chat request exceeds the token quota: True (refused), or its entry in the
        log (None without a quota). A request counts from its arrival, first at what it may use —
        its prompt (a token a character, as ``_usage`` reports) and its ``max_tokens`` — then, once
        answered, at the usage its answer reports: the gateway cannot know the answer's length when
        the request comes in, and bills what was used."""
        state = self.server.state
        if state.token_limit is None:
            return None
        limit, window = state.token_limit
        asked = _usage(body, "")["prompt_tokens"] + int(body.get("max_tokens") or 0)
        with state.lock:
            now = self.arrived
            while state.token_log and state.token_log[0][0] <= now - window:
                state.token_log.popleft()
            if sum(e[1] for e in state.token_log) + asked > limit:
                state.rejected += 1
                return True
            entry = [now, float(asked)]
            state.token_log.append(entry)
            return entry

    def do_POST(self) -> None:
        state = self.server.state
        raw = self._routed("POST")
        if raw is None:
            return
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            body = {}
        with state.lock:
            fault = state.queued.popleft() if state.queued else state.always
            headers = {k.lower(): v for k, v in self.headers.items()}
            record = Recorded(self.path, headers, body, time.monotonic(), fault=fault)
            state.requests.append(record)
        try:
            if self.path.split("?")[0] not in state.chat_paths:
                self._error(404, f"Unknown path {self.path}", "not_found")
                return
            if self._over_quota():
                record.fault = "quota"
                self._error(
                    429, "Rate limit reached for requests", "rate_limit_exceeded", {"Retry-After": "1"}
                )
                return
            tokens = self._over_tokens(body)
            if tokens is True:
                record.fault = "quota"
                self._error(
                    429, "Rate limit reached for tokens per min", "rate_limit_exceeded", {"Retry-After": "1"}
                )
                return
            if state.latency:
                time.sleep(state.latency)
            self.answered = ""
            self._answer(body, fault)
            if isinstance(tokens, list):
                with state.lock:
                    tokens[1] = _usage(body, self.answered)["total_tokens"]
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to answer
        finally:
            record.end = time.monotonic()

    def _answer(self, body: dict[str, Any], fault: str) -> None:
        state = self.server.state
        model = str(body.get("model", ""))
        if fault == "hang":
            started = time.monotonic()
            while time.monotonic() - started < state.endless and not self._client_gone(0.2):
                pass
            self.close_connection = True
            return
        if fault == "reset":
            # Linger 0: the close sends a reset, as a crashed proxy does.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        if fault == "trickle":
            self._sse_headers()
            started = time.monotonic()
            while time.monotonic() - started < state.endless and not state.stopping.is_set():
                self._chunk(b": keep-alive\n\n")
                time.sleep(state.keepalive_interval)
            self.close_connection = True
            return
        if fault == "error_200":
            self._json(200, {"error": "Insufficient quota"})
            return
        if fault == "error_200_object":
            self._json(
                200,
                {"error": {"message": "您的账户余额不足，请充值后再试。", "type": "insufficient_balance"}},
            )
            return
        if fault == "quota_429":
            message = "You exceeded your current quota, please check your plan and billing details."
            self._error(429, message, "insufficient_quota")
            return
        if fault == "rate_limit":
            self._error(
                429,
                "Rate limit reached, slow down",
                "rate_limit_exceeded",
                {"Retry-After": state.retry_after},
            )
            return
        if fault == "server_error":
            self._error(500, "The server had an error while processing your request", "server_error")
            return
        if fault == "unauthorized_echo":
            key = self.headers.get("Authorization", "").removeprefix("Bearer ")
            self._error(401, f"Incorrect API key provided: {key}. Check your key.", "invalid_api_key")
            return
        if fault == "forbidden":
            self._error(403, "You have no access to this model", "permission_denied")
            return
        if fault == "model_not_found":
            self._error(404, f"The model `{model}` does not exist", "model_not_found")
            return
        if fault == "bad_request":
            self._error(400, "Invalid parameter: messages", "invalid_request_error")
            return
        if fault == "slow":
            time.sleep(state.slow_seconds)
        if fault == "html":
            page = "<!DOCTYPE html><html><head><title>门户网站</title></head><body>欢迎</body></html>"
            self._send(200, page.encode(), "text/html; charset=utf-8")
            return
        if fault == "invalid_json":
            self._send(200, b'{"id": "x", "choices": [', "application/json")
            return
        if fault == "no_choices":
            self._json(200, {"id": "chatcmpl-stub", "object": "chat.completion", "model": model})
            return
        text = "" if fault == "empty" else state.reply(body)
        self.answered = text  # what the token quota bills
        if fault == "huge":
            text = ("政府信息公开工作。" * (state.huge_chars // 9 + 1))[: state.huge_chars]
        if fault == "echo_key":
            key = self.headers.get("Authorization", "").removeprefix("Bearer ")
            text = f"{text}（请求所用的密钥：{key}）"
        finish = "length" if fault == "length" else "stop"
        if body.get("stream"):
            self._stream(body, text, finish, fault)
        else:
            self._json(200, _completion(model, text, finish, body))

    def _stream(self, body: dict[str, Any], text: str, finish: str, fault: str) -> None:
        state = self.server.state
        self._sse_headers()
        model = str(body.get("model", ""))
        if fault == "keepalive_then_answer":
            started = time.monotonic()
            while time.monotonic() - started < state.keepalive_seconds:
                self._chunk(b": keep-alive\n\n")
                time.sleep(state.keepalive_interval)
        if fault == "sse_garbage":
            self._chunk(b"data: this is not json\n\n")
            self._chunk(b"")
            return
        size = {"huge": 4000, "slow_tokens": 2}.get(fault, 20)
        pieces = [text[i : i + size] for i in range(0, len(text), size)] or [""]
        if fault == "cut_stream":
            pieces = pieces[: max(1, len(pieces) // 2)]
        for n, piece in enumerate(pieces):
            if fault == "slow_tokens":
                time.sleep(state.token_interval)
            elif n and state.chunk_delay:
                time.sleep(state.chunk_delay)
            self._chunk(_sse(_chunk_payload(model, {"content": piece}, None)))
            if n == 0:
                state.first_chunk_at.append(time.monotonic())
        if fault == "stream_quota":
            error = {"error": {"message": "账户余额不足，请充值后继续使用。", "type": "insufficient_balance"}}
            self._chunk(_sse(error))
            self._chunk(b"")
            return
        if fault == "stream_error":
            key = self.headers.get("Authorization", "").removeprefix("Bearer ")
            error = {"error": {"message": f"overloaded (key {key})", "type": "server_error"}}
            self._chunk(_sse(error))
            self._chunk(b"")
            return
        if fault == "cut_stream":
            # Drop the connection without the terminating chunk, as a proxy reset does.
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if fault != "stream_no_finish":
            self._chunk(_sse(_chunk_payload(model, {}, finish)))
            if (body.get("stream_options") or {}).get("include_usage"):
                usage = _usage(body, text)
                self._chunk(_sse({**_chunk_payload(model, {}, None), "choices": [], "usage": usage}))
            self._chunk(b"data: [DONE]\n\n")
        self._chunk(b"")  # the terminating zero-length chunk


def _sse(payload: object) -> bytes:
    return b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n"


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages") or [])
    return {"prompt_tokens": prompt, "completion_tokens": len(text), "total_tokens": prompt + len(text)}


def _completion(model: str, text: str, finish: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
        "usage": _usage(body, text),
    }


def _chunk_payload(model: str, delta: dict[str, str], finish: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many drafts at once connect together; the default backlog is 5
    state: StubState

    def handle_error(self, request: object, client_address: object) -> None:
        """Quiet: a client that hangs up (timeouts, Ctrl-C tests) is expected here."""


class StubServer:
    """Start with ``with stub_server() as server:``; ``server.base_url`` is the ``/v1`` URL."""

    def __init__(self, state: StubState | None = None) -> None:
        self.state = state or StubState()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.state = self.state
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def requests(self) -> list[Recorded]:
        with self.state.lock:
            return list(self.state.requests)

    def limit_rate(self, requests: int, window: float = 60.0) -> None:
        """Answer 429 beyond ``requests`` chat requests in any ``window`` seconds, as a provider does."""
        with self.state.lock:
            self.state.rate_limit = (requests, window)
            self.state.accepted.clear()
            self.state.rejected = 0

    def limit_tokens(self, tokens: int, window: float = 60.0) -> None:
        """Answer 429 beyond ``tokens`` tokens in any ``window`` seconds (``_Handler._over_tokens``)."""
        with self.state.lock:
            self.state.token_limit = (tokens, window)
            self.state.token_log.clear()
            self.state.rejected = 0

    def fail(self, *faults: str) -> None:
        """Answer the next requests with these faults, in order; then normally."""
        unknown = [f for f in faults if f not in FAULTS]
        assert not unknown, f"unknown fault {unknown}"
        with self.state.lock:
            self.state.queued.extend(faults)

    def start(self) -> StubServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.state.stopping.set()  # a "hang" or "trickle" in progress ends
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def stub_server(
    reply: Reply | None = None, latency: float = 0.0, chunk_delay: float = 0.0
) -> Iterator[StubServer]:
    server = StubServer(
        StubState(reply=reply or default_reply, latency=latency, chunk_delay=chunk_delay)
    ).start()
    try:
        yield server
    finally:
        server.stop()


class Sink:
    """A loopback HTTP server that accepts anything and counts what it gets (a stand-in for a
    tracing endpoint such as LangSmith's)."""

    def __init__(self) -> None:
        hits: list[str] = []
        self.hits = hits

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                hits.append(f"{self.command} {self.path}")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            do_GET = do_POST = do_PATCH = do_PUT = _any

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> Sink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
