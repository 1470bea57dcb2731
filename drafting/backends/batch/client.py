"""The files and batches calls of an OpenAI-compatible provider, through the openai SDK.

As in ``openai_compat``, the SDK's own retries are off (``max_retries=0``) and one tenacity policy,
built from the endpoint's ``RetryPolicy``, retries 429 (honouring Retry-After), 5xx, timeouts and
dropped connections. Uploading a file and creating a batch are not idempotent: a retry after a
timeout first looks for what the lost attempt may have made (``find_file``, ``find_batch``), so a
flaky network never leaves two batches for one shard. Every message is Chinese and redacted.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2
import openai

from ..base import BackendError
from ..openai_compat import _retry_after, retry_policy, server_text
from .dialects import Dialect

if TYPE_CHECKING:
    from ...config import Endpoint

T = TypeVar("T")

TERMINAL = frozenset({"completed", "expired", "cancelled", "failed"})
# Pages of the remote lists we read when looking for what a lost call made: the newest first, and a
# crash is reconciled on the next run, so what we look for is near the top.
_SCAN_PAGES = 10


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


def remote_batch(raw: dict[str, Any]) -> RemoteBatch:
    """A batch object read defensively: ``request_counts`` is an object at OpenAI, DashScope and
    Moonshot, while Zhipu's reference also shows ``total``/``completed``/``failed`` beside it."""
    counts = raw.get("request_counts")
    source = counts if isinstance(counts, dict) else raw
    errors_raw = raw.get("errors")
    items = errors_raw.get("data") if isinstance(errors_raw, dict) else errors_raw
    errors = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            line = f"第 {item['line']} 行：" if item.get("line") else ""
            errors.append(line + str(item.get("message") or item.get("code") or ""))
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
        self._client = openai.OpenAI(
            base_url=endpoint.base_url,
            api_key=key or "not-needed",
            max_retries=0,
            timeout=httpx2.Timeout(endpoint.timeout, connect=endpoint.connect_timeout),
        )

    def close(self) -> None:
        self._cancelled.set()
        self._client.close()

    # --- the calls -------------------------------------------------------------------------------

    def upload(self, name: str, content: bytes) -> str:
        """Upload a JSONL file; its id. A retry first looks for the file a lost attempt uploaded."""

        def once(attempt: int) -> str:
            if attempt > 1 and (found := self.find_file(name, len(content))) is not None:
                return found
            purpose: Any = self.dialect.purpose
            uploaded = self._client.files.create(file=(name, content, "application/jsonl"), purpose=purpose)
            return str(uploaded.id)

        return self._call("上传批量请求文件", once)

    def find_file(self, name: str, size: int) -> str | None:
        """The id of an uploaded batch file with this name and size, if the provider has one."""

        def once(attempt: int) -> str | None:
            page: Any = self._client.files.list(purpose=self.dialect.purpose)
            for n, item in enumerate(page):
                if getattr(item, "filename", None) == name and _int(getattr(item, "bytes", 0)) == size:
                    return str(item.id)
                if n >= _SCAN_PAGES * 100:
                    break
            return None

        return self._call("查找已上传的批量请求文件", once)

    def create(self, file_id: str, metadata: dict[str, str]) -> RemoteBatch:
        """Create the batch for an uploaded file. A retry first looks for the batch a lost attempt made."""

        def once(attempt: int) -> RemoteBatch:
            if attempt > 1 and (found := self.find_batch(file_id)) is not None:
                return found
            endpoint: Any = self.dialect.endpoint
            window: Any = self.dialect.completion_window
            batch = self._client.batches.create(
                input_file_id=file_id, endpoint=endpoint, completion_window=window, metadata=metadata
            )
            return remote_batch(batch.model_dump())

        return self._call("创建批量任务", once)

    def find_batch(self, file_id: str) -> RemoteBatch | None:
        """The batch made from this uploaded file, if the provider has one (not cancelled or failed)."""

        def once(attempt: int) -> RemoteBatch | None:
            page: Any = self._client.batches.list(limit=100)
            for n, item in enumerate(page):
                batch = remote_batch(item.model_dump())
                if batch.input_file_id == file_id and batch.status not in {"failed", "cancelled"}:
                    return batch
                if n >= _SCAN_PAGES * 100:
                    break
            return None

        return self._call("查找已创建的批量任务", once)

    def retrieve(self, batch_id: str) -> RemoteBatch:
        return self._call(
            "查询批量任务", lambda attempt: remote_batch(self._client.batches.retrieve(batch_id).model_dump())
        )

    def cancel(self, batch_id: str) -> RemoteBatch:
        return self._call(
            "取消批量任务", lambda attempt: remote_batch(self._client.batches.cancel(batch_id).model_dump())
        )

    def content(self, file_id: str) -> bytes:
        """The bytes of a result file (output or errors)."""
        return self._call("下载批量结果", lambda attempt: self._client.files.content(file_id).read())

    # --- retries and errors ----------------------------------------------------------------------

    def _call(self, what: str, fn: Callable[[int], T]) -> T:
        """``fn(attempt)`` under the retry policy of ``openai_compat``; SDK errors become ours."""
        retrying = retry_policy(self.endpoint, self._cancelled, f"{self.dialect.label}批量接口")
        failure: BackendError | None = None
        try:
            for attempt in retrying:
                with attempt:
                    number = attempt.retry_state.attempt_number
                    try:
                        result = fn(number)
                    except openai.APIStatusError as exc:
                        raise self._status_error(what, exc) from None
                    except openai.APITimeoutError:
                        raise BackendError(
                            f"{what}时，{self.endpoint.display_url} 没有及时回应（超时）。",
                            kind="timeout",
                            hint="可稍后重试，或用 DRAFTING_TIMEOUT 调大等待时间。",
                        ) from None
                    except (openai.APIConnectionError, httpx2.TransportError):
                        raise BackendError(
                            f"{what}时无法连接 {self.endpoint.display_url}，或连接中断。",
                            kind="cancelled" if self._cancelled.is_set() else "connection",
                            hint="请检查网络和接口地址（--base-url）。",
                        ) from None
                    except ValueError:
                        raise BackendError(
                            f"{what}时，{self.endpoint.display_url} 返回的内容不是有效的 JSON。",
                            kind="invalid_response",
                        ) from None
        except BackendError as exc:
            failure = exc
        if failure is not None:
            raise failure  # outside the except: no chained SDK error
        return result

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
