"""One backend for every OpenAI-compatible chat endpoint: DeepSeek, Qwen, GLM, Kimi, vLLM, Ollama.

The openai SDK speaks the wire protocol with its own retries turned off (``max_retries=0``): the
tenacity policy here is the only one, so attempts do not multiply and every wait can be tested.
It retries 429 (honouring Retry-After), 5xx, timeouts, dropped connections and garbled bodies, with
exponential backoff and jitter, a bounded number of attempts and a total deadline. 400/401/403/404
fail at once with a Chinese message naming the cause. The SDK does not validate answers, so every
answer is checked here: its type, ``choices``, and ``finish_reason`` (``length``, or a stream that
ends without one, is a truncated answer). Messages go through ``redact``: never the key.

Time is held by a timer, not by what the server sends. Each HTTP attempt runs on a pool thread and
hands what arrives (the response, each chunk, the end or an error) to the calling thread through a
queue; the calling thread waits on that queue only until the earliest of: the request's deadline
(every retry included), the draft's deadline (``deadlines.current()``), and — on a stream — the
stall timeout since the last piece of the answer. SSE keep-alive comments never reach the queue,
so a server that sends only those is stalled however busy its socket looks. When time is up the
calling thread shuts the attempt's socket down, which wakes the pool thread blocked in ``recv``
(closing a socket from another thread does not), and raises a message that names the endpoint and
the cause. An attempt still waiting for the response headers cannot be reached that way; its read
timeout is set a moment past the stall timeout, so that thread ends on its own soon after.

An answer is read only up to ``ChatRequest.max_chars`` characters (and ``max_bytes`` bytes on the
wire): a server that ignores ``max_tokens`` is cut off and the answer refused (``too_long``).
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
import queue
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx2
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_any,
    stop_before_delay,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from .. import deadlines
from ..keys import looks_like_key
from ..threads import submit
from .attempt import Attempt
from .base import SLOW_KINDS, BackendError, ChatRequest, Completion, OnText, Usage, redact

if TYPE_CHECKING:
    from .endpoints import Endpoint

log = logging.getLogger("drafting.backends")

_BASE_URL_HINT = (
    "兼容 OpenAI 的接口地址通常以 /v1 结尾，如 https://api.deepseek.com/v1；请用 --base-url 改正。"
)


class _StopWhen(stop_base):
    """A tenacity stop condition from a plain predicate (Ctrl-C, a Retry-After beyond our patience)."""

    def __init__(self, predicate: Callable[[RetryCallState], bool]) -> None:
        self.predicate = predicate

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.predicate(retry_state)


# How long an endpoint that could not be reached is taken to be down.
_DOWN_FOR = 60.0
# How often a waiting calling thread looks at Ctrl-C and at the bytes received.
_TICK = 0.2
# The read timeout of an attempt runs this much past the timer, so that the timer, with its
# clearer message, is what ends a silent attempt.
_GRACE = 1.0


def retry_policy(endpoint: Endpoint, cancelled: threading.Event, name: str) -> Retrying:
    """The one retry policy of our calls to a provider (chat answers here, batch files and jobs in
    ``batch.client``): retryable ``BackendError``s only, Retry-After honoured (beyond our patience:
    give up), exponential backoff with jitter, bounded attempts and total time; ``cancelled`` (Ctrl-C)
    ends every wait at once."""
    policy = endpoint.retry
    backoff = wait_exponential_jitter(
        multiplier=policy.backoff_initial, max=policy.backoff_max, jitter=policy.backoff_initial
    )

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, BackendError) and error.retry_after is not None:
            return error.retry_after  # the server said when; sooner is pointless
        return float(backoff(state))

    def give_up(state: RetryCallState) -> bool:
        error = state.outcome.exception() if state.outcome else None
        too_long = (
            isinstance(error, BackendError)
            and error.retry_after is not None
            and error.retry_after > policy.max_retry_after
        )
        # An endpoint that gave no answer in time gets one more attempt, not more: each costs
        # a whole timeout, and a server that hung once mostly hangs again.
        slow_again = (
            isinstance(error, BackendError) and error.kind in SLOW_KINDS and state.attempt_number >= 2
        )
        return cancelled.is_set() or too_long or slow_again

    def before_sleep(state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        wait_s = state.upcoming_sleep
        log.info("%s：第 %d 次请求失败（%s），%.1f 秒后重试", name, state.attempt_number, error, wait_s)

    def sleep(seconds: float) -> None:
        cancelled.wait(seconds)  # Ctrl-C ends the wait at once

    return Retrying(
        stop=stop_any(
            stop_after_attempt(policy.max_attempts),
            stop_before_delay(policy.deadline),
            _StopWhen(give_up),
        ),
        wait=wait,
        retry=retry_if_exception(lambda e: isinstance(e, BackendError) and e.retryable),
        before_sleep=before_sleep,
        sleep=sleep,
        reraise=True,
    )


def server_text(exc: openai.APIStatusError, secrets: tuple[str, ...]) -> str:
    """What the server said in an error, one line, at most 200 characters, redacted; a web page is
    named, not quoted."""
    body = exc.body
    text: object = None
    if isinstance(body, dict):
        inner = body.get("error")
        text = body.get("message") or (inner.get("message") if isinstance(inner, dict) else inner)
    if not isinstance(text, str) or not text:
        text = exc.message
    if "<html" in text.lower():
        text = "（一个网页）"
    return redact(" ".join(text.split()), secrets)[:200]


class OpenAICompatBackend:
    """Chat completions over any base URL. Thread-safe: one instance serves every section and job."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        key = endpoint.read_key()
        self._secrets = (key,) if key else ()
        self._cancelled = threading.Event()
        # Once the endpoint could not be reached or gave no answer in time, the requests that
        # follow within ``_DOWN_FOR`` seconds (the rest of the draft, the next drafts of a batch)
        # fail at once with the same cause instead of each waiting out its own timeouts.
        self._down: BackendError | None = None
        self._down_until = 0.0
        self._local = threading.local()  # the attempt a pool thread is running, for the hook
        # A local server without keys still needs a non-empty string for the SDK's header. The
        # SDK's own client defaults, with a hook that hands each response to its attempt.
        self._client = openai.OpenAI(
            base_url=endpoint.base_url,
            api_key=key or "not-needed",
            max_retries=0,
            timeout=httpx2.Timeout(endpoint.timeout, connect=endpoint.connect_timeout),
            http_client=openai.DefaultHttpxClient(
                timeout=httpx2.Timeout(endpoint.timeout, connect=endpoint.connect_timeout),
                event_hooks={"response": [self._on_response]},
            ),
        )

    def _on_response(self, response: httpx2.Response) -> None:
        attempt = getattr(self._local, "attempt", None)
        if attempt is not None:
            attempt.opened(response)

    def __repr__(self) -> str:
        return f"OpenAICompatBackend({self.name!r}, {self.endpoint.display_url!r})"

    @property
    def name(self) -> str:
        return self.endpoint.name

    def close(self) -> None:
        """Stop: requests in flight fail fast, no new attempt starts (Ctrl-C)."""
        self._cancelled.set()
        self._client.close()

    # --- the retry policy ------------------------------------------------------------------

    def _policy(self) -> Retrying:
        return retry_policy(self.endpoint, self._cancelled, self.name)

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion:
        """The answer to ``request``; ``on_text`` is told the text so far as it streams in."""
        started = time.monotonic()
        down = self._down
        if down is not None and started < self._down_until and not self._cancelled.is_set():
            raise BackendError(
                f"{down.message.rstrip('。')}。此前的请求已是如此，本次未再请求，以免再等。",
                kind=down.kind,
                hint=down.hint,
                attempts=0,
                retryable=False,
            )
        attempts = 0
        failure: BackendError | None = None
        try:
            for attempt in self._policy():
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    if self._cancelled.is_set():
                        raise BackendError("已取消。", kind="cancelled", attempts=attempts)
                    completion = self._once(request, started, on_text)
        except BackendError as exc:
            failure = exc
        if failure is not None:
            final = self._final(failure, attempts, started)
            # Unreachable, or no answer in time (not a deadline that ran out: the endpoint may
            # just be slower than the time that was left).
            if final.unreachable or (final.kind in SLOW_KINDS and failure.retryable):
                self._down, self._down_until = final, time.monotonic() + _DOWN_FOR
            raise final  # outside the except: no chained SDK error
        return Completion(
            text=completion.text,
            finish_reason=completion.finish_reason,
            usage=completion.usage,
            model=completion.model,
            latency=time.monotonic() - started,
            attempts=attempts,
        )

    def _final(self, error: BackendError, attempts: int, started: float) -> BackendError:
        if self._cancelled.is_set():
            return BackendError("已取消。", kind="cancelled", attempts=attempts)
        if not error.retryable or (attempts <= 1 and error.retry_after is None):
            error.attempts = attempts
            return error
        elapsed = time.monotonic() - started
        policy = self.endpoint.retry
        if error.retry_after is not None and error.retry_after > policy.max_retry_after:
            why = f"服务器要求 {error.retry_after:.0f} 秒后再试，超过等待上限 {policy.max_retry_after:.0f} 秒"
        else:
            why = f"已尝试 {attempts} 次、用时 {elapsed:.1f} 秒仍未成功"
        return BackendError(
            f"{error.message}（{why}）",
            kind=error.kind,
            hint=error.hint or "接口暂时不可用：请稍后重试，或换用其他模型。",
            attempts=attempts,
            begun=error.begun,
        )

    # --- one HTTP attempt ----------------------------------------------------------------------

    def _once(self, request: ChatRequest, started: float, on_text: OnText | None = None) -> Completion:
        """One request, its answer validated. Raises BackendError, never an SDK error."""
        if on_text is not None:
            on_text("")  # a new attempt: whatever an earlier one streamed is void
        until, limit = self._until(started)
        remaining = until - time.monotonic()
        if remaining <= 0:
            raise self._out_of_time(limit, 0)
        stream = self.endpoint.stream
        # The socket's own timeouts only back the timer up (see the module's docstring).
        read = min(self.endpoint.timeout, remaining + _GRACE)
        if stream:
            read = min(read, self.endpoint.stall_timeout + _GRACE)
        timeout = httpx2.Timeout(read, connect=min(self.endpoint.connect_timeout, remaining + _GRACE))
        kwargs: dict[str, Any] = {
            "model": self.endpoint.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": request.temperature,
            # max_tokens, not max_completion_tokens: the compatible servers know only this one.
            "max_tokens": request.max_tokens,
            "timeout": timeout,
        }
        attempt = Attempt()
        submit(self._run, attempt, kwargs, stream)
        error: BackendError | None = None
        try:
            try:
                return self._watch(attempt, request, until, limit, on_text)
            except BaseException:
                attempt.abandon()  # given up (or failed): the pool thread stops reading at once
                raise
        except openai.APIStatusError as exc:
            error = self._status_error(exc)
        except openai.APITimeoutError:
            error = BackendError(
                f"模型接口 {self.endpoint.display_url} 在 {timeout.read:.0f} 秒内没有回应（超时）。",
                kind="timeout",
                hint="可稍后重试，或用 DRAFTING_TIMEOUT 调大等待时间。",
            )
        except (openai.APIConnectionError, httpx2.TransportError):
            error = self._connection_error(begun=attempt.response is not None)
        except ValueError:  # a body that is not JSON (json.JSONDecodeError is a ValueError)
            error = BackendError(
                f"模型接口 {self.endpoint.display_url} 返回的内容不是有效的 JSON。", kind="invalid_response"
            )
        except openai.APIError as exc:  # an error event inside a stream
            error = self._provider_error(exc.body, str(exc.message), during_stream=True)
        raise error

    def _until(self, started: float) -> tuple[float, deadlines.Deadline | None]:
        """When this request must be answered by: its own deadline (every retry included), or the
        enclosing work's (a draft's), whichever comes first; and that one if it is the work's."""
        return deadlines.earliest(started + self.endpoint.retry.deadline)

    def _run(self, attempt: Attempt, kwargs: dict[str, Any], stream: bool) -> None:
        """On a pool thread: send the request and hand over what arrives, until it ends or the
        calling thread abandons it (which shuts the socket and so ends any read in progress)."""
        self._local.attempt = attempt
        response: Any = None
        try:
            if not stream:
                attempt.finish("result", self._client.chat.completions.create(**kwargs))
                return
            response = self._client.chat.completions.create(
                **kwargs, stream=True, stream_options={"include_usage": True}
            )
            content_type = response.response.headers.get("content-type", "")
            if "text/event-stream" not in content_type:
                # Some servers ignore stream=true and answer with one JSON body, or a web page.
                body = response.response.read().decode("utf-8", "replace")
                attempt.finish("body", (content_type, body))
                return
            for chunk in response:
                if attempt.abandoned:
                    return
                attempt.put("chunk", chunk)
            attempt.finish("end")
        except BaseException as exc:  # handed to the calling thread, which maps it
            attempt.finish("error", exc)
        finally:
            self._local.attempt = None
            if response is not None:
                try:
                    response.close()
                except Exception:  # a socket already shut down by the calling thread
                    pass

    def _watch(
        self,
        attempt: Attempt,
        request: ChatRequest,
        until: float,
        limit: deadlines.Deadline | None,
        on_text: OnText | None,
    ) -> Completion:
        """In the calling thread: take what the attempt hands over until the answer is complete,
        or time, progress or length runs out."""
        stall = self.endpoint.stall_timeout
        streaming = self.endpoint.stream
        parts: list[str] = []
        chars = 0
        finish: str | None = None
        usage: Usage | None = None
        model = ""
        progress = time.monotonic()  # the last piece of the answer (or the response headers)
        bytes_then = 0  # bytes received by then: more since, without a piece, are keep-alives
        while True:
            now = time.monotonic()
            if self._cancelled.is_set():
                raise BackendError("已取消。", kind="cancelled")
            if now >= until:
                raise self._out_of_time(limit, chars)
            if streaming and now - progress >= stall:
                raise self._stalled(stall, keepalives=attempt.received > bytes_then)
            if attempt.received > request.max_bytes:
                raise self._too_long(request)
            wake = min(until, progress + stall) if streaming else until
            try:
                kind, value = attempt.events.get(timeout=max(0.0, min(wake - now, _TICK)))
            except queue.Empty:
                continue
            if kind == "error":
                raise value
            if kind == "result":
                return _told(self._read_completion(value, request), on_text)
            if kind == "body":
                content_type, body = value
                return _told(self._read_body(content_type, body, request), on_text)
            if kind == "end":
                break
            progress, bytes_then = time.monotonic(), attempt.received
            chunk = value
            if not isinstance(chunk, ChatCompletionChunk):
                raise self._invalid("数据流中有无法识别的内容")
            model = chunk.model or model
            if chunk.usage is not None:
                usage = _usage(chunk.usage)
            for choice in chunk.choices or []:
                if choice.delta is not None and choice.delta.content:
                    parts.append(choice.delta.content)
                    chars += len(choice.delta.content)
                    if chars > request.max_chars:
                        raise self._too_long(request)
                    if on_text is not None:
                        on_text("".join(parts))
                finish = choice.finish_reason or finish
        text = "".join(parts)
        if finish is None:
            raise BackendError(
                "模型的回答在完成前中断（数据流结束时没有 finish_reason），内容不完整。",
                kind="truncated",
                retryable=True,  # a connection that closed early, not the model's choice
            )
        return self._checked(text, finish, usage or _estimate(request, text), model)

    # --- time, progress and length ----------------------------------------------------------------

    def _out_of_time(self, limit: deadlines.Deadline | None, chars: int) -> BackendError:
        url = self.endpoint.display_url
        got = f"（已收到 {chars} 字）" if chars else ""
        if limit is not None:
            return BackendError(
                f"{limit.what}（{limit.seconds:.0f} 秒）已到，模型接口 {url} 尚未答完{got}。",
                kind="timeout",
                retryable=False,
                hint=f"可稍后重试，或用 {limit.setting} 调大该时限。",
            )
        deadline = self.endpoint.retry.deadline
        return BackendError(
            f"模型接口 {url} 未能在每个请求 {deadline:.0f} 秒的总时限内答完{got}。",
            kind="timeout",
            retryable=False,
            hint="可稍后重试，或用 DRAFTING_DEADLINE 调大每个请求的总时限。",
        )

    def _stalled(self, stall: float, *, keepalives: bool) -> BackendError:
        url = self.endpoint.display_url
        if keepalives:
            what = f"模型接口 {url} 在 {stall:.0f} 秒内只发来保持连接的空消息（keep-alive），没有送来回答的文字（没有进展）。"
        else:
            what = f"模型接口 {url} 已接受连接，但在 {stall:.0f} 秒内没有送来任何回答（没有进展）。"
        return BackendError(
            what,
            kind="stalled",
            hint=(
                "服务可能在排队或已卡住：可稍后重试；本地模型首次加载较慢时，"
                "可用 DRAFTING_STALL_TIMEOUT 调大等待时间。"
            ),
        )

    def _too_long(self, request: ChatRequest) -> BackendError:
        return BackendError(
            f"模型接口 {self.endpoint.display_url} 的回答超过了本节的长度上限（{request.max_chars} 字，"
            f"为提示词 max_tokens 的 {request.max_chars // max(1, request.max_tokens)} 倍左右），已停止接收并丢弃。",
            kind="too_long",
            hint="模型没有遵守长度限制：可换用其他模型，或在提示词中要求写得更简洁。",
        )

    def _connection_error(self, *, begun: bool = False) -> BackendError:
        hint = "请检查网络和接口地址（--base-url）；本地服务（Ollama、vLLM）请确认已启动。"
        if self._cancelled.is_set():
            return BackendError("已取消。", kind="cancelled")
        if begun:
            return BackendError(
                f"模型接口 {self.endpoint.display_url} 的连接在回答完成前中断。",
                kind="connection",
                hint=hint,
                begun=True,
            )
        return BackendError(f"无法连接模型接口 {self.endpoint.display_url}。", kind="connection", hint=hint)

    def _status_error(self, exc: openai.APIStatusError) -> BackendError:
        status = exc.status_code
        said = self._server_text(exc)
        note = f"（服务器说明：{said}）" if said else ""
        url, model, key_env = self.endpoint.display_url, self.endpoint.model, self.endpoint.api_key_env
        if status == 401:
            return BackendError(
                f"模型接口 {url} 拒绝了密钥（HTTP 401）：密钥无效、已过期或不属于该服务。{note}",
                kind="auth",
                hint=f"请检查环境变量 {key_env} 中的密钥是否为 {url} 的有效密钥（可用 --api-key-env 指定其他变量）。",
            )
        if status in (402, 403):
            return BackendError(
                f"模型接口 {url} 拒绝访问（HTTP {status}）：该密钥无权使用模型“{model}”，或账户余额不足、未开通服务。{note}",
                kind="forbidden",
                hint="请在服务商控制台确认模型权限和余额，或用 --model 换用其他模型。",
            )
        if status == 404:
            if "model" in said.lower() or "模型" in said:
                return BackendError(
                    f"模型“{model}”不存在（HTTP 404，接口 {url}）。{note}",
                    kind="not_found",
                    hint="请检查模型名（--model openai:<模型名>），名称须与服务商文档中的完全一致。",
                )
            return BackendError(
                f"接口地址 {url} 上没有对话接口（HTTP 404）：接口地址可能不对。{note}",
                kind="not_found",
                hint=_BASE_URL_HINT,
            )
        if status in (400, 422):
            return BackendError(
                f"模型接口 {url} 拒绝了请求（HTTP {status}）。{note}",
                kind="bad_request",
                hint="请检查模型名与接口地址是否匹配；若该服务不支持流式输出，可设置 DRAFTING_STREAM=false 后重试。",
            )
        if status == 429 and _QUOTA.search(f"{said} {_error_code(exc.body)}"):
            # OpenAI answers an exhausted quota with 429 insufficient_quota: no wait will fix it.
            return self._provider_error(exc.body, said)
        if status == 429:
            return BackendError(
                f"模型接口 {url} 请求过于频繁（HTTP 429）。{note}",
                kind="rate_limit",
                retry_after=_retry_after(exc.response.headers),
                hint="可稍后重试，或用 --concurrency、--jobs 减少同时发出的请求。",
            )
        if status >= 500 or status in (408, 409):
            return BackendError(
                f"模型接口 {url} 服务出错（HTTP {status}）。{note}",
                kind="server",
                retry_after=_retry_after(exc.response.headers),
            )
        return BackendError(f"模型接口 {url} 返回错误（HTTP {status}）。{note}", kind="bad_request")

    def _server_text(self, exc: openai.APIStatusError) -> str:
        return server_text(exc, self._secrets)

    def _provider_error(self, error: object, message: str, *, during_stream: bool = False) -> BackendError:
        """The provider's own words about a failure it reported in a body (a 200 with ``error``,
        an error event in a stream, a 429 for an exhausted quota), quoted as it wrote them —
        whitespace collapsed, keys redacted, length capped — in a Chinese frame that says what
        to do. Quota and key problems stop the run: no retry fixes them."""
        text: object = error
        if isinstance(error, dict):
            inner = error.get("error", error)
            text = inner.get("message") if isinstance(inner, dict) else inner
        if not isinstance(text, str) or not text.strip():
            text = message
        said = redact(" ".join(str(text).split()), self._secrets)[:200]
        quote = f"（服务器原话：“{said}”）" if said else ""
        url = self.endpoint.display_url
        words = f"{said} {_error_code(error)}"
        if _QUOTA.search(words):
            return BackendError(
                f"模型接口 {url} 报告账户额度或余额不足{quote}。",
                kind="forbidden",
                hint="请在服务商控制台查看额度和余额，充值或开通服务后重试；或用 --model 换用其他模型。",
            )
        if _AUTH.search(words):
            return BackendError(
                f"模型接口 {url} 不接受所用的密钥{quote}。",
                kind="auth",
                hint=f"请检查环境变量 {self.endpoint.api_key_env} 中的密钥是否为该服务的有效密钥（可用 --api-key-env 指定其他变量）。",
            )
        if _RATE.search(words):
            return BackendError(
                f"模型接口 {url} 报告请求过于频繁{quote}。",
                kind="rate_limit",
                hint="可稍后重试，或用 --concurrency、--jobs 减少同时发出的请求。",
            )
        when = "在回答过程中" if during_stream else ""
        return BackendError(
            f"模型接口 {url} {when}报告错误{quote}。",
            kind="server",
            hint="接口暂时不可用：请稍后重试；若一再出现，请把服务器原话告诉服务商。",
        )

    # --- validating answers ----------------------------------------------------------------------

    def _not_an_api(self) -> BackendError:
        return BackendError(
            f"接口地址 {self.endpoint.display_url} 返回的是网页，不是模型的回答：它可能是网站地址而不是接口地址。",
            kind="not_an_api",
            hint=_BASE_URL_HINT,
        )

    def _invalid(self, what: str) -> BackendError:
        return BackendError(
            f"模型接口 {self.endpoint.display_url} 的回答不完整：{what}。", kind="invalid_response"
        )

    def _read_completion(self, response: object, request: ChatRequest) -> Completion:
        if not isinstance(response, ChatCompletion):
            if isinstance(response, str) and "<html" in response[:500].lower():
                raise self._not_an_api()
            raise self._invalid(f"返回的是 {type(response).__name__}，不是对话回答")
        if not response.choices:
            said = (response.model_extra or {}).get("error")
            if said:  # a 200 that carries the provider's error ({"error": "Insufficient quota"})
                raise self._provider_error(said, "")
            raise self._invalid("缺少 choices")
        choice = response.choices[0]
        content = choice.message.content if choice.message is not None else None
        if content is not None and len(content) > request.max_chars:
            raise self._too_long(request)
        usage = _usage(response.usage) or _estimate(request, content or "")
        return self._checked(content or "", choice.finish_reason, usage, response.model or "")

    def _read_body(self, content_type: str, body: str, request: ChatRequest) -> Completion:
        """A stream request answered with one body instead of a stream."""
        if "html" in content_type or "<html" in body[:500].lower():
            raise self._not_an_api()
        try:
            raw = json.loads(body)
        except ValueError:
            raise self._invalid("返回的内容不是有效的 JSON") from None
        if isinstance(raw, dict) and raw.get("error") and not raw.get("choices"):
            raise self._provider_error(raw["error"], "")
        try:
            response = ChatCompletion.model_validate(raw)
        except ValueError:
            raise self._invalid("返回的内容不是对话回答") from None
        return self._read_completion(response, request)

    def _checked(self, text: str, finish: str | None, usage: Usage, model: str) -> Completion:
        if finish == "length":
            raise BackendError(
                "模型的回答达到长度上限被截断（finish_reason=length），内容不完整。",
                kind="truncated",
                hint="可在提示词文件中调大 max_tokens，或要求模型写得更简洁。",
            )
        if finish == "content_filter":
            raise BackendError(
                "模型的回答被服务商的内容审核拦截（finish_reason=content_filter）。", kind="filtered"
            )
        if finish != "stop":
            raise self._invalid(f"finish_reason 为 {finish!r}，不是 stop")
        if not text.strip():
            raise BackendError("模型返回了空的回答。", kind="empty")
        if any(secret in text for secret in self._secrets) or looks_like_key(text):
            # A server that echoes the request, or a model that repeats a key it saw: such an
            # answer must reach no draft, cache or history. Asking again gets the same answer.
            raise BackendError(
                f"模型接口 {self.endpoint.display_url} 的回答中有一段像是密钥的字符，已丢弃，不会写入草稿、缓存或修改历史。",
                kind="invalid_response",
                retryable=False,
                hint="接口可能把请求原样送回（代理或测试服务），请检查接口地址（--base-url）。",
            )
        return Completion(text=text, finish_reason=finish, usage=usage, model=model)


# What providers say when the account, not the request, is the problem (English and Chinese).
_QUOTA = re.compile(
    r"quota|insufficient|balance|billing|credit|payment|arrear|余额|欠费|额度|充值|账户.*(?:不足|停用)", re.I
)
_AUTH = re.compile(
    r"api[ _-]?key|unauthori[sz]ed|authenticat|invalid[ _]token|permission denied|密钥|鉴权|认证失败", re.I
)
_RATE = re.compile(r"rate[ _-]?limit|too many requests|请求过于频繁|限流", re.I)


def _error_code(body: object) -> str:
    """The ``code`` and ``type`` of an error body, as words for the patterns above."""
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return " ".join(str(inner.get(k) or "") for k in ("code", "type"))
    return ""


def _told(completion: Completion, on_text: OnText | None) -> Completion:
    """An answer that arrived whole (no stream) is told at once."""
    if on_text is not None:
        on_text(completion.text)
    return completion


def _usage(usage: Any) -> Usage | None:
    if usage is None:
        return None
    return Usage(int(usage.prompt_tokens or 0), int(usage.completion_tokens or 0))


def _estimate(request: ChatRequest, text: str) -> Usage:
    """About one token per Chinese character: an upper bound good enough for budgeting."""
    prompt = sum(len(m.content) for m in request.messages)
    return Usage(prompt, math.ceil(len(text)), estimated=True)


def _retry_after(headers: Any) -> float | None:
    """Seconds from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
