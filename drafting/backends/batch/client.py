"""The files and batches calls of an OpenAI-compatible provider, through the openai SDK.

The same rules as the chat backend (``openai_compat``), from the same parts (``provider.py``):

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

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import httpx2
import openai

from ... import deadlines
from ...keys import redact
from ..attempt import Attempt
from ..base import BackendError
from ..provider import ProviderClient, Refusal, Refusals, sdk_failure
from .dialects import Dialect
from .lines import LineResult, read_results

if TYPE_CHECKING:
    from ..endpoints import Endpoint

T = TypeVar("T")

TERMINAL = frozenset({"completed", "expired", "cancelled", "failed"})
# Pages of the remote lists we read when looking for what a lost call made: the newest first, and a
# crash is reconciled on the next run, so what we look for is near the top.
_SCAN_PAGES = 10

# One call of the SDK, given the attempt number (1, 2 …) and the socket timeout for this attempt.
Call = Callable[[int, httpx2.Timeout], T]

# What each HTTP error status means for a batch call; ``{what}`` is the call (查询批量任务 …),
# ``{label}`` the provider's name, ``{url}`` and ``{key_env}`` the endpoint's. A 409 is a batch in
# the wrong state (cancelling a finished one): no retry makes it right.
_BAD_REQUEST = Refusal(
    "bad_request",
    "{what}失败：{label}拒绝了请求（HTTP {status}）。{note}",
    "请检查模型名是否支持批量推理（各服务商支持批量的模型不同）。",
)
_FORBIDDEN = Refusal(
    "forbidden",
    "{what}失败：接口拒绝访问（HTTP {status}），账户可能未开通批量推理或余额不足。{note}",
    "请在{label}控制台确认已开通批量（Batch）服务。",
)
_REFUSALS = Refusals(
    {
        401: Refusal(
            "auth",
            "{what}失败：接口拒绝了密钥（HTTP 401）。{note}",
            "请检查环境变量 {key_env} 中的密钥是否为 {url} 的有效密钥。",
        ),
        402: _FORBIDDEN,
        403: _FORBIDDEN,
        404: Refusal(
            "not_found",
            "{what}失败：{url} 上没有该批量接口或该任务（HTTP 404）。{note}",
            "请确认接口地址（--base-url）是{label}的兼容接口地址，且该服务提供批量（Batch）接口。",
        ),
        400: _BAD_REQUEST,
        409: _BAD_REQUEST,
        422: _BAD_REQUEST,
        429: Refusal(
            "rate_limit",
            "{what}失败：请求过于频繁或批量任务数已达上限（HTTP 429）。{note}",
            "可稍后重试；各服务商对同时进行的批量任务数有上限。",
            wait=True,
        ),
    },
    server=Refusal("server", "{what}失败：服务出错（HTTP {status}）。{note}"),
    other=Refusal("bad_request", "{what}失败（HTTP {status}）。{note}"),
)


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


class BatchClient(ProviderClient):
    """Files and batches at one endpoint, in one dialect. Thread-safe, as the SDK client is."""

    def __init__(self, endpoint: Endpoint, dialect: Dialect) -> None:
        super().__init__(endpoint)
        self.dialect = dialect

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
        """``fn`` under the one retry policy, each attempt watched by the timer; SDK errors become
        ours."""
        started = time.monotonic()
        result, _ = self._retried(
            f"{self.dialect.label}批量接口", lambda number: self._once(what, fn, number, started)
        )
        return result

    def _once(self, what: str, fn: Call[T], number: int, started: float) -> T:
        result = self._attempt(
            started,
            send=lambda attempt, timeout: attempt.finish("result", fn(number, timeout)),
            watch=lambda attempt, until, limit: self._watch(what, attempt, until, limit),
            failed=lambda exc, attempt, timeout: self._failed(what, exc, timeout),
            out_of_time=lambda limit: self._out_of_time(what, limit),
        )
        return cast(T, result)

    def _failed(self, what: str, exc: BaseException, timeout: httpx2.Timeout) -> BackendError | None:
        url = self.endpoint.display_url
        return sdk_failure(
            exc,
            subject=f"{what}时，{url}",
            timeout=timeout,
            status=lambda e: self._status_error(what, e),
            connection=lambda: BackendError(
                f"{what}时无法连接 {url}，或连接中断。",
                kind="cancelled" if self._cancelled.is_set() else "connection",
                hint="请检查网络和接口地址；接口地址已变时，可用 --base-url 指定新地址。",
            ),
        )

    def _status_error(self, what: str, exc: openai.APIStatusError) -> BackendError:
        return _REFUSALS.error(
            exc,
            self._server_text(exc),
            what=what,
            url=self.endpoint.display_url,
            label=self.dialect.label,
            key_env=self.endpoint.api_key_env,
        )

    def _watch(self, what: str, attempt: Attempt, until: float, limit: deadlines.Deadline | None) -> Any:
        """In the calling thread: wait for the attempt's one event (its result, or the error it
        raised) until time or progress runs out."""
        stall = self.endpoint.stall_timeout
        seen: tuple[int, int] | None = None  # (which response, bytes received) at the last progress
        progress = time.monotonic()
        while True:
            now = self._tick(until, lambda: self._out_of_time(what, limit))
            response = attempt.response
            if response is not None:
                mark = (id(response), attempt.received)
                if mark != seen:
                    seen, progress = mark, now
                elif now - progress >= stall:
                    raise self._stalled(what, stall)
            event = attempt.next(until - now)
            if event is not None:
                return event[1]  # the one event of a call that is not a stream: its result

    def _out_of_time(self, what: str, limit: deadlines.Deadline | None) -> BackendError:
        url = self.endpoint.display_url
        return self._late(
            limit,
            unfinished=f"{what}（{url}）尚未完成",
            own=f"{what}未能在每个请求 {self.endpoint.retry.deadline:.0f} 秒的总时限内完成（{url}）。",
            own_hint="可稍后重试，或用 DRAFTING_DEADLINE 调大每个请求的总时限（上传或下载大文件时）。",
        )

    def _stalled(self, what: str, stall: float) -> BackendError:
        return BackendError(
            f"{what}时，{self.endpoint.display_url} 已开始回应，但在 {stall:.0f} 秒内没有再送来任何内容（没有进展）。",
            kind="stalled",
            hint="服务可能已卡住：可稍后重试，或用 DRAFTING_STALL_TIMEOUT 调大等待时间。",
        )
