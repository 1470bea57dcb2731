"""A provider's batch API on the loopback stub: ``/files`` and ``/batches`` in the OpenAI shape, in the
dialects of OpenAI, DashScope, Zhipu and Moonshot (path prefix, line URL, upload purpose, limits,
one model per file, parameters refused), answering lines with the server's own reply callable.

Nothing advances by itself unless ``auto`` is set: a test moves batches on (``advance``), finishes
them (``complete_all``), lets one expire half-done (``expire``), makes chosen lines fail
(``line_fault``), holds a call at a named point (``hold``) to kill the client there, and answers a
call with one of the chat endpoint's fault modes (``fail_call``: the same faults, so that the batch
client is held to the same deadlines and key hygiene as the chat backend) or with a download that
stops half-way (``stall_body``). It checks
what a provider checks — an unknown line URL, a second model, a refused parameter, too many lines or
bytes — and fails the batch with the provider's kind of error, so a wrong dialect cannot pass.
"""

from __future__ import annotations

import dataclasses
import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .openai_stub import FAULTS, Reply, StubServer, StubState, _completion, _Handler, default_reply

MB = 1024 * 1024


@dataclass(frozen=True)
class StubDialect:
    """What a provider's batch API accepts (from its documentation; the product's own table is
    ``drafting.backends.batch.dialects``, and the tests check one against the other by use)."""

    prefix: str  # the base URL's path
    line_url: str
    endpoint: str
    purpose: str = "batch"
    max_requests: int = 50_000
    max_bytes: int = 100 * MB
    refused: tuple[str, ...] = ()  # body parameters the batch model refuses
    counts_flat: bool = False  # counts beside request_counts, as Zhipu's reference shows
    test_model: str = ""  # a free model that skips inference, with its own URL and limit
    test_url: str = ""
    test_max_requests: int = 0


DIALECTS = {
    "openai": StubDialect("/v1", "/v1/chat/completions", "/v1/chat/completions", max_bytes=200 * MB),
    "qwen": StubDialect(
        "/compatible-mode/v1",
        "/v1/chat/completions",
        "/v1/chat/completions",
        max_bytes=500 * MB,
        test_model="batch-test-model",
        test_url="/v1/chat/ds-test",
        test_max_requests=100,
    ),
    "glm": StubDialect("/api/paas/v4", "/v4/chat/completions", "/v4/chat/completions", counts_flat=True),
    "kimi": StubDialect("/v1", "/v1/chat/completions", "/v1/chat/completions", refused=("temperature",)),
}

LineFault = Callable[[str, dict[str, Any]], str | None]  # (custom_id, body) → a fault or None
LINE_FAULTS = (
    "server_error",
    "bad_request",
    "rate_limit",
    "length",
    "echo_key",  # an answer that repeats the key the batch was created with
    "error_echo",  # an error line whose message repeats that key
    "huge",  # an answer far longer than max_tokens allows
)
# The batch-API calls a fault can be put on (``fail_call``).
CALLS = ("upload", "files", "content", "create", "batches", "retrieve", "cancel")


@dataclass
class StubFile:
    id: str
    filename: str
    purpose: str
    content: bytes
    created_at: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "file",
            "bytes": len(self.content),
            "created_at": self.created_at,
            "filename": self.filename,
            "purpose": self.purpose,
            "status": "processed",
        }


@dataclass
class StubBatch:
    id: str
    input_file_id: str
    endpoint: str
    metadata: dict[str, str]
    created_at: int
    status: str = "validating"
    lines: list[dict[str, Any]] = field(default_factory=list)
    cursor: int = 0  # lines processed
    outputs: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    output_file_id: str | None = None
    error_file_id: str | None = None
    times: dict[str, int] = field(default_factory=dict)


@dataclass
class Hold:
    """A call held at a named point until released (or its client is killed). Released with
    ``drop``, a call held before its work (``upload``, ``create``) is dropped undone, as a request
    cut off by the client's death never reaches a real server."""

    point: str
    nth: int
    reached: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)
    seen: int = 0
    drop: bool = False

    def release(self, drop: bool = False) -> None:
        self.drop = drop
        self.released.set()


class BatchService:
    """The batch API of one stub server, in one dialect."""

    def __init__(self, state: StubState, dialect: StubDialect, *, auto: bool = False) -> None:
        self.state = state
        self.dialect = dialect
        self.auto = auto
        self.line_fault: LineFault = lambda cid, body: None
        self.files: dict[str, StubFile] = {}
        self.batches: dict[str, StubBatch] = {}
        self.processed: dict[str, int] = {}  # custom_id → times answered
        self.calls: list[tuple[str, str]] = []  # (method, path) of every batch-API call
        self.holds: list[Hold] = []
        self.call_faults: dict[str, list[str]] = {}  # call → faults for its next requests
        self.keys: dict[str, str] = {}  # batch id → the key it was created with (for echo faults)
        self._ids = itertools.count(1)
        self.lock = threading.RLock()

    # --- what a test does ---------------------------------------------------------------------------

    def hold(self, point: str, nth: int = 1) -> Hold:
        """Hold the ``nth`` call at ``point``: ``upload`` (before the file is kept), ``uploaded``
        (kept, not yet answered), ``create``/``created`` (the same for a batch), ``content`` (a
        result file's download), ``chat`` (a real-time request, before it is answered)."""
        h = Hold(point, nth)
        self.holds.append(h)
        return h

    def fail_call(self, call: str, *faults: str) -> None:
        """Answer the next requests of ``call`` (``CALLS``) with these faults: the chat endpoint's
        (``openai_stub.FAULTS``: ``hang``, ``server_error``, ``unauthorized_echo`` …) or
        ``stall_body`` (the headers and half the body, then silence)."""
        assert call in CALLS, call
        assert all(f in FAULTS or f == "stall_body" for f in faults), faults
        with self.lock:
            self.call_faults.setdefault(call, []).extend(faults)

    def release_all(self) -> None:
        for h in self.holds:
            h.release()

    def advance(self, lines: int | None = None, batch_id: str | None = None) -> None:
        """Process up to ``lines`` more lines of each open batch (all by default)."""
        with self.lock:
            for batch in list(self.batches.values()):
                if batch_id is None or batch.id == batch_id:
                    self._advance(batch, lines)

    def complete_all(self) -> None:
        self.advance(None)

    def expire(self, batch_id: str | None = None, after: int = 0) -> None:
        """Answer ``after`` more lines, then let the batch expire: the rest go to the error file."""
        with self.lock:
            for batch in list(self.batches.values()):
                if batch.status in ("validating", "in_progress") and batch_id in (None, batch.id):
                    self._advance(batch, after)
                    if batch.status == "in_progress":
                        self._finish(batch, "expired", "batch_expired")

    def input_lines(self, batch: StubBatch) -> list[dict[str, Any]]:
        """The lines of a batch's input file, as uploaded."""
        content = self.files[batch.input_file_id].content
        return [json.loads(line) for line in content.decode("utf-8").splitlines()]

    @property
    def uploads(self) -> list[StubFile]:
        return [f for f in self.files.values() if f.purpose == self.dialect.purpose]

    # --- the HTTP side ------------------------------------------------------------------------------

    def route(self, handler: _Handler, method: str, path: str, raw: bytes) -> bool:
        prefix = self.dialect.prefix
        if path == prefix + "/chat/completions":
            self._checkpoint("chat")  # a test may hold a real-time request; the server answers it
            return False
        if not path.startswith(prefix + "/files") and not path.startswith(prefix + "/batches"):
            return False
        rest = path[len(prefix) :].strip("/").split("/")
        query = {k: v[0] for k, v in parse_qs(urlsplit(handler.path).query).items()}
        call = _call_name(method, rest)
        with self.lock:
            self.calls.append((method, path))
            queued = self.call_faults.get(call) or []
            fault = queued.pop(0) if queued else ""
        if fault == "stall_body":
            self._stall_body(handler)
            return True
        if fault:
            handler._answer({}, fault)  # the chat endpoint's fault, as the gateway in front gives it
            return True
        if rest[0] == "files":
            self._files(handler, method, rest[1:], raw, query)
        else:
            self._batches(handler, method, rest[1:], raw, query)
        return True

    def _stall_body(self, handler: _Handler) -> None:
        """Headers and half a body, then nothing until the client hangs up."""
        body = b'{"object": "list", "data": [' + b" " * 20_000 + b"]}"
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
        started = time.monotonic()
        while time.monotonic() - started < 60 and not handler._client_gone(0.2):
            pass
        handler.close_connection = True

    def _checkpoint(self, point: str) -> bool:
        """Wait here if a test holds this point; False when the held call is to be dropped."""
        for h in self.holds:
            if h.point == point:
                h.seen += 1
                if h.seen == h.nth:
                    h.reached.set()
                    h.released.wait(60)
                    return not h.drop
        return True

    def _page(self, handler: _Handler, items: list[dict[str, Any]], query: dict[str, str]) -> None:
        if "after" in query:
            ids = [i["id"] for i in items]
            items = items[ids.index(query["after"]) + 1 :] if query["after"] in ids else []
        limit = int(query.get("limit") or 20)
        page = items[:limit]
        handler._json(
            200,
            {
                "object": "list",
                "data": page,
                "has_more": len(items) > limit,
                "first_id": page[0]["id"] if page else None,
                "last_id": page[-1]["id"] if page else None,
            },
        )

    def _files(
        self, handler: _Handler, method: str, rest: list[str], raw: bytes, query: dict[str, str]
    ) -> None:
        if method == "POST" and not rest:
            if not self._checkpoint("upload"):
                handler.close_connection = True
                return
            fields = _multipart(handler.headers.get("Content-Type", ""), raw)
            purpose = fields.get("purpose", (None, b""))[1].decode()
            if purpose != self.dialect.purpose:
                handler._error(400, f"Invalid purpose: {purpose!r}", "invalid_request_error")
                return
            if "file" not in fields:
                handler._error(400, "Missing file", "invalid_request_error")
                return
            name, content = fields["file"]
            with self.lock:
                f = StubFile(f"file-{next(self._ids)}", name or "upload", purpose, content, int(time.time()))
                self.files[f.id] = f
            self._checkpoint("uploaded")
            handler._json(200, f.as_json())
            return
        if method == "GET" and not rest:
            with self.lock:
                items = [f.as_json() for f in reversed(self.files.values())]
            if "purpose" in query:
                items = [i for i in items if i["purpose"] == query["purpose"]]
            self._page(handler, items, query)
            return
        f = self.files.get(rest[0])
        if f is None:
            handler._error(404, f"No such file: {rest[0]}", "not_found")
        elif method == "GET" and len(rest) == 1:
            handler._json(200, f.as_json())
        elif method == "GET" and rest[1:] == ["content"]:
            self._checkpoint("content")
            handler._send(200, f.content, "application/octet-stream")
        elif method == "DELETE":
            with self.lock:
                self.files.pop(f.id, None)
            handler._json(200, {"id": f.id, "object": "file", "deleted": True})
        else:
            handler._error(404, "Not Found", "not_found")

    def _batches(
        self, handler: _Handler, method: str, rest: list[str], raw: bytes, query: dict[str, str]
    ) -> None:
        if method == "POST" and not rest:
            if not self._checkpoint("create"):
                handler.close_connection = True
                return
            body = json.loads(raw or b"{}")
            source = self.files.get(str(body.get("input_file_id")))
            if body.get("endpoint") not in (self.dialect.endpoint, self.dialect.test_url or None):
                handler._error(400, f"Unsupported endpoint {body.get('endpoint')!r}", "invalid_request_error")
                return
            if body.get("completion_window") != "24h" or source is None:
                handler._error(400, "Invalid completion_window or input_file_id", "invalid_request_error")
                return
            with self.lock:
                batch = StubBatch(
                    f"batch_{next(self._ids)}",
                    source.id,
                    str(body["endpoint"]),
                    dict(body.get("metadata") or {}),
                    int(time.time()),
                )
                self.batches[batch.id] = batch
                self.keys[batch.id] = handler.headers.get("Authorization", "").removeprefix("Bearer ")
                if self.auto:
                    self._advance(batch, None)
            self._checkpoint("created")
            handler._json(200, self._json(batch))
            return
        if method == "GET" and not rest:
            with self.lock:
                items = [self._json(b) for b in reversed(self.batches.values())]
            self._page(handler, items, query)
            return
        batch = self.batches.get(rest[0])
        if batch is None:
            handler._error(404, f"No such batch: {rest[0]}", "not_found")
        elif method == "GET" and len(rest) == 1:
            handler._json(200, self._json(batch))
        elif method == "POST" and rest[1:] == ["cancel"]:
            with self.lock:
                if batch.status in ("validating", "in_progress"):
                    self._finish(batch, "cancelled", "batch_cancelled")
            handler._json(200, self._json(batch))
        else:
            handler._error(404, "Not Found", "not_found")

    # --- processing ---------------------------------------------------------------------------------

    def _validate(self, batch: StubBatch) -> None:
        content = self.files[batch.input_file_id].content
        errors: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        models: set[str] = set()
        ids: set[str] = set()
        d = self.dialect
        first = json.loads(content.decode("utf-8").splitlines()[0]) if content.strip() else {}
        if d.test_model and (first.get("body") or {}).get("model") == d.test_model:
            d = dataclasses.replace(d, line_url=d.test_url, max_requests=d.test_max_requests, max_bytes=MB)
        if len(content) > d.max_bytes:
            errors.append(
                {"code": "file_too_large", "message": f"File exceeds {d.max_bytes} bytes", "line": None}
            )
        for n, text in enumerate(content.decode("utf-8").splitlines(), 1):
            try:
                line = json.loads(text)
            except ValueError:
                errors.append({"code": "invalid_json_line", "message": "Invalid JSON", "line": n})
                continue
            body = line.get("body") or {}
            if line.get("url") != d.line_url or line.get("method") != "POST":
                errors.append({"code": "invalid_url", "message": f"url must be {d.line_url}", "line": n})
            if line.get("custom_id") in ids:
                errors.append(
                    {"code": "duplicate_custom_id", "message": "custom_id must be unique", "line": n}
                )
            refused = [p for p in d.refused if p in body]
            if refused:
                errors.append(
                    {"code": "invalid_parameter", "message": f"{refused[0]} cannot be set", "line": n}
                )
            ids.add(str(line.get("custom_id")))
            models.add(str(body.get("model")))
            lines.append(line)
        if len(models) > 1:
            errors.append(
                {"code": "mixed_models", "message": "All requests must use the same model", "line": None}
            )
        if len(lines) > d.max_requests:
            errors.append(
                {"code": "too_many_requests", "message": f"At most {d.max_requests} requests", "line": None}
            )
        batch.lines = lines
        if errors:
            batch.errors = errors
            batch.status = "failed"
            batch.times["failed_at"] = int(time.time())
        else:
            batch.status = "in_progress"
            batch.times["in_progress_at"] = int(time.time())

    def _advance(self, batch: StubBatch, n: int | None) -> None:
        if batch.status == "validating":
            self._validate(batch)
        if batch.status != "in_progress":
            return
        stop = len(batch.lines) if n is None else min(len(batch.lines), batch.cursor + n)
        while batch.cursor < stop:
            self._answer(batch, batch.lines[batch.cursor])
            batch.cursor += 1
        if batch.cursor == len(batch.lines):
            self._finish(batch, "completed", "")

    def _answer(self, batch: StubBatch, line: dict[str, Any]) -> None:
        cid, body = str(line["custom_id"]), dict(line["body"])
        rid = f"batch_req_{next(self._ids)}"
        self.processed[cid] = self.processed.get(cid, 0) + 1
        fault = self.line_fault(cid, body)
        key = self.keys.get(batch.id, "")
        if fault in ("server_error", "bad_request", "rate_limit", "error_echo"):
            status = {"server_error": 500, "bad_request": 400, "rate_limit": 429, "error_echo": 401}[fault]
            message = f"Incorrect API key provided: {key}" if fault == "error_echo" else f"stub {fault}"
            error = {"error": {"message": message, "type": fault, "code": fault}}
            batch.failures.append(
                {
                    "id": rid,
                    "custom_id": cid,
                    "response": {"status_code": status, "body": error},
                    "error": None,
                }
            )
            return
        text = self.state.reply(body)
        if fault == "echo_key":
            text = f"{text}（请求所用的密钥：{key}）"
        if fault == "huge":
            # Past what any request allows (``ChatRequest.max_chars``: 4 a token, 4000 at least).
            text = "政府信息公开工作。" * (max(4000, int(body.get("max_tokens") or 2000) * 4) // 9 + 100)
        completion = _completion(
            str(body.get("model")), text, "length" if fault == "length" else "stop", body
        )
        batch.outputs.append(
            {
                "id": rid,
                "custom_id": cid,
                "response": {"status_code": 200, "request_id": rid, "body": completion},
                "error": None,
            }
        )

    def _finish(self, batch: StubBatch, status: str, code: str) -> None:
        for line in batch.lines[batch.cursor :]:  # never answered: expired or cancelled
            message = "This request could not be executed before the batch ended."
            batch.failures.append(
                {
                    "id": f"batch_req_{next(self._ids)}",
                    "custom_id": line["custom_id"],
                    "response": None,
                    "error": {"code": code, "message": message},
                }
            )
        batch.cursor = len(batch.lines)
        for kind, rows in (("output", batch.outputs), ("error", batch.failures)):
            if rows:
                content = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
                f = StubFile(
                    f"file-{next(self._ids)}",
                    f"{batch.id}_{kind}.jsonl",
                    "batch_output",
                    content,
                    int(time.time()),
                )
                self.files[f.id] = f
                setattr(batch, f"{kind}_file_id", f.id)
        batch.status = status
        batch.times[f"{status}_at"] = int(time.time())

    def _json(self, batch: StubBatch) -> dict[str, Any]:
        completed = len(batch.outputs)
        failed = len(batch.failures)
        counts = {"total": len(batch.lines), "completed": completed, "failed": failed}
        out: dict[str, Any] = {
            "id": batch.id,
            "object": "batch",
            "endpoint": batch.endpoint,
            "errors": {"object": "list", "data": batch.errors} if batch.errors else None,
            "input_file_id": batch.input_file_id,
            "completion_window": "24h",
            "status": batch.status,
            "output_file_id": batch.output_file_id,
            "error_file_id": batch.error_file_id,
            "created_at": batch.created_at,
            "expires_at": batch.created_at + 86400,
            "request_counts": counts,
            "metadata": batch.metadata,
            **batch.times,
        }
        if self.dialect.counts_flat:
            out.update(counts)
        return out


def _call_name(method: str, rest: list[str]) -> str:
    """Which batch-API call a request is (``CALLS``)."""
    if rest[0] == "files":
        if not rest[1:]:
            return "upload" if method == "POST" else "files"
        return "content" if rest[2:] == ["content"] else "files"
    if not rest[1:]:
        return "create" if method == "POST" else "batches"
    return "cancel" if rest[2:] == ["cancel"] else "retrieve"


def _multipart(content_type: str, raw: bytes) -> dict[str, tuple[str | None, bytes]]:
    """The fields of a multipart/form-data body: name → (file name, bytes)."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + raw)
    out: dict[str, tuple[str | None, bytes]] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        out[str(name)] = (part.get_filename(), payload)
    return out


@contextmanager
def batch_server(
    reply: Reply | None = None, dialect: str = "openai", *, auto: bool = False, latency: float = 0.0
) -> Iterator[tuple[StubServer, BatchService]]:
    """A stub server with a batch API; ``server.base_url`` is the dialect's base URL."""
    state = StubState(reply=reply or default_reply, latency=latency)
    d = DIALECTS[dialect]
    service = BatchService(state, d, auto=auto)
    state.routes.append(service.route)
    state.chat_paths.add(d.prefix + "/chat/completions")  # real-time re-asks go to the same server
    server = StubServer(state).start()
    try:
        yield server, service
    finally:
        service.release_all()
        server.stop()


def base_url(server: StubServer, dialect: str) -> str:
    return f"http://127.0.0.1:{server.port}{DIALECTS[dialect].prefix}"
