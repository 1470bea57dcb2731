"""One backend for every OpenAI-compatible chat endpoint: DeepSeek, Qwen, GLM, Kimi, vLLM, Ollama.

The openai SDK speaks the wire protocol with its own retries turned off (``max_retries=0``): the
tenacity policy here is the only one, so attempts do not multiply and every wait can be tested.
It retries 429 (honouring Retry-After), 5xx, timeouts, dropped connections and garbled bodies, with
exponential backoff and jitter, a bounded number of attempts and a total deadline. 400/401/403/404
fail at once with a Chinese message naming the cause. The SDK does not validate answers, so every
answer is checked here: its type, ``choices``, and ``finish_reason`` (``length``, or a stream that
ends without one, is a truncated answer). Messages go through ``redact``: never the key.
"""

from __future__ import annotations

import email.utils
import json
import logging
import math
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

from .base import BackendError, ChatRequest, Completion, OnText, Usage, redact

if TYPE_CHECKING:
    from ..config import Endpoint

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
        return cancelled.is_set() or too_long

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
        # A local server without keys still needs a non-empty string for the SDK's header.
        self._client = openai.OpenAI(
            base_url=endpoint.base_url,
            api_key=key or "not-needed",
            max_retries=0,
            timeout=httpx2.Timeout(endpoint.timeout, connect=endpoint.connect_timeout),
        )

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
            raise self._final(failure, attempts, started)  # outside the except: no chained SDK error
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
        )

    # --- one HTTP attempt ----------------------------------------------------------------------

    def _once(self, request: ChatRequest, started: float, on_text: OnText | None = None) -> Completion:
        """One request, its answer validated. Raises BackendError, never an SDK error."""
        if on_text is not None:
            on_text("")  # a new attempt: whatever an earlier one streamed is void
        remaining = self.endpoint.retry.deadline - (time.monotonic() - started)
        timeout = httpx2.Timeout(
            max(0.05, min(self.endpoint.timeout, remaining)), connect=self.endpoint.connect_timeout
        )
        kwargs: dict[str, Any] = {
            "model": self.endpoint.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": request.temperature,
            # max_tokens, not max_completion_tokens: the compatible servers know only this one.
            "max_tokens": request.max_tokens,
            "timeout": timeout,
        }
        error: BackendError | None = None
        try:
            if self.endpoint.stream:
                stream = self._client.chat.completions.create(
                    **kwargs, stream=True, stream_options={"include_usage": True}
                )
                return self._read_stream(stream, request, started, on_text)
            response = self._client.chat.completions.create(**kwargs)
            return _told(self._read_completion(response, request), on_text)
        except openai.APIStatusError as exc:
            error = self._status_error(exc)
        except openai.APITimeoutError:
            error = BackendError(
                f"模型接口 {self.endpoint.display_url} 在 {timeout.read:.0f} 秒内没有回应（超时）。",
                kind="timeout",
                hint="可稍后重试，或用 DRAFTING_TIMEOUT 调大等待时间。",
            )
        except (openai.APIConnectionError, httpx2.TransportError):
            error = self._connection_error()
        except ValueError:  # a body that is not JSON (json.JSONDecodeError is a ValueError)
            error = BackendError(
                f"模型接口 {self.endpoint.display_url} 返回的内容不是有效的 JSON。", kind="invalid_response"
            )
        except openai.APIError as exc:  # an error event inside a stream
            said = redact(" ".join(str(exc.message).split()), self._secrets)[:200]
            error = BackendError(f"模型接口在回答过程中报告错误（服务器说明：{said}）。", kind="server")
        raise error

    def _connection_error(self) -> BackendError:
        return BackendError(
            f"无法连接模型接口 {self.endpoint.display_url}，或连接在回答完成前中断。",
            kind="cancelled" if self._cancelled.is_set() else "connection",
            hint="请检查网络和接口地址（--base-url）；本地服务（Ollama、vLLM）请确认已启动。",
        )

    def _status_error(self, exc: openai.APIStatusError) -> BackendError:
        status = exc.status_code
        said = self._server_text(exc)
        note = f"（服务器说明：{said}）" if said else ""
        url, model, key_env = self.endpoint.display_url, self.endpoint.model, self.endpoint.api_key_env
        if status == 401:
            return BackendError(
                f"模型接口拒绝了密钥（HTTP 401）：密钥无效、已过期或不属于该服务。{note}",
                kind="auth",
                hint=f"请检查环境变量 {key_env} 中的密钥是否为 {url} 的有效密钥（可用 --api-key-env 指定其他变量）。",
            )
        if status in (402, 403):
            return BackendError(
                f"模型接口拒绝访问（HTTP {status}）：该密钥无权使用模型“{model}”，或账户余额不足、未开通服务。{note}",
                kind="forbidden",
                hint="请在服务商控制台确认模型权限和余额，或用 --model 换用其他模型。",
            )
        if status == 404:
            if "model" in said.lower() or "模型" in said:
                return BackendError(
                    f"模型“{model}”不存在（HTTP 404）。{note}",
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
                f"模型接口拒绝了请求（HTTP {status}）。{note}",
                kind="bad_request",
                hint="请检查模型名与接口地址是否匹配；若该服务不支持流式输出，可设置 DRAFTING_STREAM=false 后重试。",
            )
        if status == 429:
            return BackendError(
                f"模型接口请求过于频繁（HTTP 429）。{note}",
                kind="rate_limit",
                retry_after=_retry_after(exc.response.headers),
                hint="可稍后重试，或用 --concurrency、--jobs 减少同时发出的请求。",
            )
        if status >= 500 or status in (408, 409):
            return BackendError(
                f"模型接口服务出错（HTTP {status}）。{note}",
                kind="server",
                retry_after=_retry_after(exc.response.headers),
            )
        return BackendError(f"模型接口返回错误（HTTP {status}）。{note}", kind="bad_request")

    def _server_text(self, exc: openai.APIStatusError) -> str:
        return server_text(exc, self._secrets)

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
            raise self._invalid("缺少 choices")
        choice = response.choices[0]
        content = choice.message.content if choice.message is not None else None
        usage = _usage(response.usage) or _estimate(request, content or "")
        return self._checked(content or "", choice.finish_reason, usage, response.model or "")

    def _read_stream(
        self, stream: Any, request: ChatRequest, started: float, on_text: OnText | None = None
    ) -> Completion:
        content_type = stream.response.headers.get("content-type", "")
        if "text/event-stream" not in content_type:
            # Some servers ignore stream=true and answer with one JSON body, or with a web page.
            body = stream.response.read().decode("utf-8", "replace")
            if "html" in content_type or "<html" in body[:500].lower():
                raise self._not_an_api()
            try:
                response = ChatCompletion.model_validate(json.loads(body))
            except ValueError:
                raise self._invalid("返回的内容不是有效的 JSON") from None
            return _told(self._read_completion(response, request), on_text)
        parts: list[str] = []
        finish: str | None = None
        usage: Usage | None = None
        model = ""
        deadline = self.endpoint.retry.deadline
        try:
            for chunk in stream:
                if not isinstance(chunk, ChatCompletionChunk):
                    raise self._invalid("数据流中有无法识别的内容")
                model = chunk.model or model
                if chunk.usage is not None:
                    usage = _usage(chunk.usage)
                for choice in chunk.choices or []:
                    if choice.delta is not None and choice.delta.content:
                        parts.append(choice.delta.content)
                        if on_text is not None:
                            on_text("".join(parts))
                    finish = choice.finish_reason or finish
                if time.monotonic() - started > deadline:
                    raise BackendError(
                        f"模型接口 {self.endpoint.display_url} 的回答超过了 {deadline:.0f} 秒的总时限。",
                        kind="timeout",
                        retryable=False,
                    )
        finally:
            stream.close()
        text = "".join(parts)
        if finish is None:
            raise BackendError(
                "模型的回答在完成前中断（数据流结束时没有 finish_reason），内容不完整。",
                kind="truncated",
                retryable=True,  # a connection that closed early, not the model's choice
            )
        return self._checked(text, finish, usage or _estimate(request, text), model)

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
        return Completion(text=text, finish_reason=finish, usage=usage, model=model)


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
