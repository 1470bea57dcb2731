"""The files and batches calls of an OpenAI-compatible provider, through the openai SDK.

The same rules as the chat backend (``openai_compat``), from the same parts:

- retries: the SDK's own are off (``max_retries=0``) and one tenacity policy (``retry_policy``)
  retries 429 (honouring Retry-After), 5xx, timeouts and dropped connections. Uploading a file and
  creating a batch are not idempotent: a retry after a timeout first looks for what the lost attempt
  may have made (``find_file``, ``find_batch``), so a flaky network never leaves two batches for one
  shard;
- time: each HTTP call runs on a pool thread as an ``Attempt`` (``attempt.py``) and the calling
  thread waits only until the earliest of the call's deadline (``DRAFTING_DEADLINE``, every retry
  included), the deadline of the work around it (``deadlines.current()``) and — once the response
  has begun — the stall timeout since the last bytes arrived. Then it hangs the socket up and says
  which call, which endpoint and why. (No stall timer before the response begins: an upload of a
  large file sends for a long time before the server can answer anything.) Ctrl-C ends every wait;
- secrets: every message is Chinese and goes through ``redact`` with the key; a result line whose
  answer carries the key or anything shaped like one is refused like a real-time answer, so it
  reaches neither the ledger nor a draft nor the response cache.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx2
import openai

from ... import deadlines
from ...keys import redact
from ...threads import submit
from ..attempt import Attempt
from ..base import BackendError
from ..openai_compat import _retry_after, retry_policy, server_text
from .dialects import Dialect
from .lines import LineResult, read_results

if TYPE_CHECKING:
    from ..endpoints import Endpoint

T = TypeVar("T")

TERMINAL = frozenset({"completed", "expired", "cancelled", "failed"})
# Pages of the remote lists we read when looking for what a lost call made: the newest first, and a
# crash is reconciled on the next run, so what we look for is near the top.
_SCAN_PAGES = 10
# How often the waiting calling thread looks at Ctrl-C and at the bytes received.
_TICK = 0.2
# The socket's read timeout runs this much past the timer, so that the timer, with its clearer
# message, is what ends a silent call.
_GRACE = 1.0

# One call of the SDK, given the attempt number (1, 2 …) and the socket timeout for this attempt.
Call = Callable[[int, httpx2.Timeout], T]


@dataclass(frozen=True)
class RemoteBatch:
    """A provider's batch as it stands."""

    id: str
    status: str
    input_file_id: str = ""
    output_file_id: str | None = None
    error_file_id: str | None = None
    total: int = 0
    completed: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def remote_batch(raw: dict[str, Any], secrets: tuple[str, ...] = ()) -> RemoteBatch:
    """A batch object read defensively: ``request_counts`` is an object at OpenAI, DashScope and
    Moonshot, while Zhipu's reference also shows ``total``/``completed``/``failed`` beside it. The
    provider's error texts are redacted: the ledger keeps them."""
    counts = raw.get("request_counts")
    source = counts if isinstance(counts, dict) else raw
    errors_raw = raw.get("errors")
    items = errors_raw.get("data") if isinstance(errors_raw, dict) else errors_raw
    errors = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            line = f"第 {item['line']} 行：" if item.get("line") else ""
            said = " ".join(str(item.get("message") or item.get("code") or "").split())
            errors.append(line + redact(said, secrets)[:200])
    metadata = raw.get("metadata")
    return RemoteBatch(
        id=str(raw.get("id") or ""),
        status=str(raw.get("status") or "").lower(),
        input_file_id=str(raw.get("input_file_id") or ""),
        output_file_id=raw.get("output_file_id") or None,
        error_file_id=raw.get("error_file_id") or None,
        total=_int(source.get("total")),
        completed=_int(source.get("completed")),
        failed=_int(source.get("failed")),
        errors=errors,
        metadata={str(k): str(v) for k, v in metadata.items()} if isinstance(metadata, dict) else {},
    )


class BatchClient:
    """Files and batches at one endpoint, in one dialect. Thread-safe, as the SDK client is."""

    def __init__(self, endpoint: Endpoint, dialect: Dialect) -> None:
        self.endpoint = endpoint
        self.dialect = dialect
        key = endpoint.read_key()
        self._secrets = (key,) if key else ()
        self._cancelled = threading.Event()
        self._local = threading.local()  # the attempt a pool thread is running, for the hook
        timeout = httpx2.Timeout(endpoint.timeout, connect=endpoint.connect_timeout)
        self._client = openai.OpenAI(
            base_url=endpoint.base_url,
            api_key=key or "not-needed",
            max_retries=0,
            timeout=timeout,
            http_client=openai.DefaultHttpxClient(
                timeout=timeout, event_hooks={"response": [self._on_response]}
            ),
        )

    def _on_response(self, response: httpx2.Response) -> None:
        attempt = getattr(self._local, "attempt", None)
        if attempt is not None:
            attempt.opened(response)

    def close(self) -> None:
        self._cancelled.set()
        self._client.close()

    # --- the calls -------------------------------------------------------------------------------

    def upload(self, name: str, content: bytes) -> str:
        """Upload a JSONL file; its id. A retry first looks for the file a lost attempt uploaded."""

        def once(attempt: int, timeout: httpx2.Timeout) -> str:
            if attempt > 1 and (found := self._find_file(name, len(content), timeout)) is not None:
                return found
            purpose: Any = self.dialect.purpose
            uploaded = self._client.files.create(
                file=(name, content, "application/jsonl"), purpose=purpose, timeout=timeout
            )
            return str(uploaded.id)

        return self._call("上传批量请求文件", once)

    def find_file(self, name: str, size: int) -> str | None:
        """The id of an uploaded batch file with this name and size, if the provider has one."""
        return self._call("查找已上传的批量请求文件", lambda n, t: self._find_file(name, size, t))

    def _find_file(self, name: str, size: int, timeout: httpx2.Timeout) -> str | None:
        page: Any = self._client.files.list(purpose=self.dialect.purpose, timeout=timeout)
        for n, item in enumerate(page):
            if getattr(item, "filename", None) == name and _int(getattr(item, "bytes", 0)) == size:
                return str(item.id)
            if n >= _SCAN_PAGES * 100:
                break
        return None

    def create(self, file_id: str, metadata: dict[str, str]) -> RemoteBatch:
        """Create the batch for an uploaded file. A retry first looks for the batch a lost attempt made."""

        def once(attempt: int, timeout: httpx2.Timeout) -> RemoteBatch:
            if attempt > 1 and (found := self._find_batch(file_id, timeout)) is not None:
                return found
            endpoint: Any = self.dialect.endpoint
            window: Any = self.dialect.completion_window
            batch = self._client.batches.create(
                input_file_id=file_id,
                endpoint=endpoint,
                completion_window=window,
                metadata=metadata,
                timeout=timeout,
            )
            return remote_batch(batch.model_dump(), self._secrets)

        return self._call("创建批量任务", once)

    def find_batch(self, file_id: str) -> RemoteBatch | None:
        """The batch made from this uploaded file, if the provider has one (not cancelled or failed)."""
        return self._call("查找已创建的批量任务", lambda n, t: self._find_batch(file_id, t))

    def _find_batch(self, file_id: str, timeout: httpx2.Timeout) -> RemoteBatch | None:
        page: Any = self._client.batches.list(limit=100, timeout=timeout)
        for n, item in enumerate(page):
            batch = remote_batch(item.model_dump(), self._secrets)
            if batch.input_file_id == file_id and batch.status not in {"failed", "cancelled"}:
                return batch
            if n >= _SCAN_PAGES * 100:
                break
        return None

    def retrieve(self, batch_id: str) -> RemoteBatch:
        return self._call(
            "查询批量任务",
            lambda n, t: remote_batch(
                self._client.batches.retrieve(batch_id, timeout=t).model_dump(), self._secrets
            ),
        )

    def cancel(self, batch_id: str) -> RemoteBatch:
        return self._call(
            "取消批量任务",
            lambda n, t: remote_batch(
                self._client.batches.cancel(batch_id, timeout=t).model_dump(), self._secrets
            ),
        )

    def content(self, file_id: str) -> bytes:
        """The bytes of a result file (output or errors)."""
        return self._call("下载批量结果", lambda n, t: self._client.files.content(file_id, timeout=t).read())

    def results(self, file_id: str, max_chars: Mapping[str, int]) -> list[LineResult]:
        """The lines of a result file, each answer checked as a real-time answer is (bounded by its
        request's ``max_chars``, no key in it) and every provider text redacted."""
        return read_results(self.content(file_id), max_chars, self._secrets)

    # --- one call: retries, time and errors ------------------------------------------------------

    def _call(self, what: str, fn: Call[T]) -> T:
        """``fn`` under the retry policy of ``openai_compat``, each attempt watched by the timer;
        SDK errors become ours."""
        started = time.monotonic()
        retrying = retry_policy(self.endpoint, self._cancelled, f"{self.dialect.label}批量接口")
        failure: BackendError | None = None
        try:
            for attempt in retrying:
                with attempt:
                    if self._cancelled.is_set():
                        raise BackendError("已取消。", kind="cancelled")
                    result = self._once(what, fn, attempt.retry_state.attempt_number, started)
        except BackendError as exc:
            failure = exc
        if failure is not None:
            if self._cancelled.is_set():
                failure = BackendError("已取消。", kind="cancelled")
            raise failure  # outside the except: no chained SDK error
        return result

    def _once(self, what: str, fn: Call[T], number: int, started: float) -> T:
        until, limit = self._until(started)
        remaining = until - time.monotonic()
        if remaining <= 0:
            raise self._out_of_time(what, limit)
        # The socket's own timeouts only back the timer up.
        timeout = httpx2.Timeout(
            min(self.endpoint.timeout, remaining + _GRACE),
            connect=min(self.endpoint.connect_timeout, remaining + _GRACE),
        )
        attempt = Attempt()
        submit(self._run, attempt, fn, number, timeout)
        try:
            try:
                kind, value = self._watch(what, attempt, until, limit)
            except BaseException:
                attempt.abandon()  # given up: the pool thread stops reading at once
                raise
            if kind == "error":
                raise value
            return cast(T, value)
        except openai.APIStatusError as exc:
            error = self._status_error(what, exc)
        except openai.APITimeoutError:
            error = BackendError(
                f"{what}时，{self.endpoint.display_url} 在 {timeout.read:.0f} 秒内没有回应（超时）。",
                kind="timeout",
                hint="可稍后重试，或用 DRAFTING_TIMEOUT 调大等待时间。",
            )
        except (openai.APIConnectionError, httpx2.TransportError):
            error = BackendError(
                f"{what}时无法连接 {self.endpoint.display_url}，或连接中断。",
                kind="cancelled" if self._cancelled.is_set() else "connection",
                hint="请检查网络和接口地址；接口地址已变时，可用 --base-url 指定新地址。",
            )
        except ValueError:
            error = BackendError(
                f"{what}时，{self.endpoint.display_url} 返回的内容不是有效的 JSON。", kind="invalid_response"
            )
        raise error

    def _run(self, attempt: Attempt, fn: Call[T], number: int, timeout: httpx2.Timeout) -> None:
        """On a pool thread: the SDK call, its result or error handed to the calling thread."""
        self._local.attempt = attempt
        try:
            attempt.finish("result", fn(number, timeout))
        except BaseException as exc:  # handed to the calling thread, which maps it
            attempt.finish("error", exc)
        finally:
            self._local.attempt = None

    def _until(self, started: float) -> tuple[float, deadlines.Deadline | None]:
        """The call's own deadline (every retry included) or the enclosing work's, whichever is first."""
        return deadlines.earliest(started + self.endpoint.retry.deadline)

    def _watch(
        self, what: str, attempt: Attempt, until: float, limit: deadlines.Deadline | None
    ) -> tuple[str, Any]:
        """In the calling thread: wait for the attempt's one event until time or progress runs out."""
        stall = self.endpoint.stall_timeout
        seen: tuple[int, int] | None = None  # (which response, bytes received) at the last progress
        progress = time.monotonic()
        while True:
            now = time.monotonic()
            if self._cancelled.is_set():
                raise BackendError("已取消。", kind="cancelled")
            if now >= until:
                raise self._out_of_time(what, limit)
            response = attempt.response
            if response is not None:
                mark = (id(response), attempt.received)
                if mark != seen:
                    seen, progress = mark, now
                elif now - progress >= stall:
                    raise self._stalled(what, stall)
            try:
                return attempt.events.get(timeout=max(0.0, min(until - now, _TICK)))
            except queue.Empty:
                continue

    def _out_of_time(self, what: str, limit: deadlines.Deadline | None) -> BackendError:
        url = self.endpoint.display_url
        if limit is not None:
            return BackendError(
                f"{limit.what}（{limit.seconds:.0f} 秒）已到，{what}（{url}）尚未完成。",
                kind="timeout",
                retryable=False,
                hint=f"可稍后重试，或用 {limit.setting} 调大该时限。",
            )
        deadline = self.endpoint.retry.deadline
        return BackendError(
            f"{what}未能在每个请求 {deadline:.0f} 秒的总时限内完成（{url}）。",
            kind="timeout",
            retryable=False,
            hint="可稍后重试，或用 DRAFTING_DEADLINE 调大每个请求的总时限（上传或下载大文件时）。",
        )

    def _stalled(self, what: str, stall: float) -> BackendError:
        return BackendError(
            f"{what}时，{self.endpoint.display_url} 已开始回应，但在 {stall:.0f} 秒内没有再送来任何内容（没有进展）。",
            kind="stalled",
            hint="服务可能已卡住：可稍后重试，或用 DRAFTING_STALL_TIMEOUT 调大等待时间。",
        )

    def _status_error(self, what: str, exc: openai.APIStatusError) -> BackendError:
        status = exc.status_code
        said = self._server_text(exc)
        note = f"（服务器说明：{said}）" if said else ""
        url, label = self.endpoint.display_url, self.dialect.label
        if status == 401:
            return BackendError(
                f"{what}失败：接口拒绝了密钥（HTTP 401）。{note}",
                kind="auth",
                hint=f"请检查环境变量 {self.endpoint.api_key_env} 中的密钥是否为 {url} 的有效密钥。",
            )
        if status in (402, 403):
            return BackendError(
                f"{what}失败：接口拒绝访问（HTTP {status}），账户可能未开通批量推理或余额不足。{note}",
                kind="forbidden",
                hint=f"请在{label}控制台确认已开通批量（Batch）服务。",
            )
        if status == 404:
            return BackendError(
                f"{what}失败：{url} 上没有该批量接口或该任务（HTTP 404）。{note}",
                kind="not_found",
                hint=f"请确认接口地址（--base-url）是{label}的兼容接口地址，且该服务提供批量（Batch）接口。",
            )
        if status in (400, 409, 422):
            return BackendError(
                f"{what}失败：{label}拒绝了请求（HTTP {status}）。{note}",
                kind="bad_request",
                hint="请检查模型名是否支持批量推理（各服务商支持批量的模型不同）。",
            )
        if status == 429:
            return BackendError(
                f"{what}失败：请求过于频繁或批量任务数已达上限（HTTP 429）。{note}",
                kind="rate_limit",
                retry_after=_retry_after(exc.response.headers),
                hint="可稍后重试；各服务商对同时进行的批量任务数有上限。",
            )
        if status >= 500:
            return BackendError(f"{what}失败：服务出错（HTTP {status}）。{note}", kind="server")
        return BackendError(f"{what}失败（HTTP {status}）。{note}", kind="bad_request")

    def _server_text(self, exc: openai.APIStatusError) -> str:
        return server_text(exc, self._secrets)
