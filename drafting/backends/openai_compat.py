"""One backend for every OpenAI-compatible chat endpoint: DeepSeek, Qwen, GLM, Kimi, vLLM, Ollama.

The openai SDK speaks the wire protocol with its own retries turned off (``max_retries=0``): the
tenacity policy of ``provider.py`` is the only one, so attempts do not multiply and every wait can
be tested. It retries 429 (honouring Retry-After), 5xx, timeouts, dropped connections and garbled
bodies, with exponential backoff and jitter, a bounded number of attempts and a total deadline.
400/401/403/404 fail at once with a Chinese message naming the cause (``_REFUSALS``). The SDK does not validate answers, so every
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

import json
import math
import re
import time
from functools import partial
from typing import TYPE_CHECKING, Any

import httpx2
import openai
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from .. import deadlines
from ..keys import looks_like_key
from .attempt import Attempt
from .base import SLOW_KINDS, BackendError, ChatRequest, Completion, OnText, Usage, redact
from .provider import ProviderClient, Refusal, Refusals, sdk_failure

if TYPE_CHECKING:
    from .endpoints import Endpoint

_BASE_URL_HINT = (
    "兼容 OpenAI 的接口地址通常以 /v1 结尾，如 https://api.deepseek.com/v1；请用 --base-url 改正。"
)
_CALM_HINT = "可稍后重试，或用 --concurrency、--jobs 减少同时发出的请求。"

# What each HTTP error status means for a chat request; ``{url}``, ``{model}`` and ``{key_env}``
# are the endpoint's. 408 and 409 are worth another attempt here (a busy gateway, a concurrent
# request): a chat request changes nothing on the server.
_FORBIDDEN = Refusal(
    "forbidden",
    "模型接口 {url} 拒绝访问（HTTP {status}）：该密钥无权使用模型“{model}”，或账户余额不足、未开通服务。{note}",
    "请在服务商控制台确认模型权限和余额，或用 --model 换用其他模型。",
)
_BAD_REQUEST = Refusal(
    "bad_request",
    "模型接口 {url} 拒绝了请求（HTTP {status}）。{note}",
    "请检查模型名与接口地址是否匹配；若该服务不支持流式输出，可设置 DRAFTING_STREAM=false 后重试。",
)
_SERVER = Refusal("server", "模型接口 {url} 服务出错（HTTP {status}）。{note}", wait=True)
_REFUSALS = Refusals(
    {
        401: Refusal(
            "auth",
            "模型接口 {url} 拒绝了密钥（HTTP 401）：密钥无效、已过期或不属于该服务。{note}",
            "请检查环境变量 {key_env} 中的密钥是否为 {url} 的有效密钥（可用 --api-key-env 指定其他变量）。",
        ),
        402: _FORBIDDEN,
        403: _FORBIDDEN,
        404: Refusal(
            "not_found", "接口地址 {url} 上没有对话接口（HTTP 404）：接口地址可能不对。{note}", _BASE_URL_HINT
        ),
        400: _BAD_REQUEST,
        422: _BAD_REQUEST,
        429: Refusal("rate_limit", "模型接口 {url} 请求过于频繁（HTTP 429）。{note}", _CALM_HINT, wait=True),
        408: _SERVER,
        409: _SERVER,
    },
    server=_SERVER,
    other=Refusal("bad_request", "模型接口 {url} 返回错误（HTTP {status}）。{note}"),
)
# A 404 whose server text names the model: the model, not the address, is wrong.
_NO_SUCH_MODEL = Refusal(
    "not_found",
    "模型“{model}”不存在（HTTP 404，接口 {url}）。{note}",
    "请检查模型名（--model openai:<模型名>），名称须与服务商文档中的完全一致。",
)


# How long an endpoint that could not be reached is taken to be down.
_DOWN_FOR = 60.0


class OpenAICompatBackend(ProviderClient):
    """Chat completions over any base URL. Thread-safe: one instance serves every section and job."""

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(endpoint)
        # Once the endpoint could not be reached or gave no answer in time, the requests that
        # follow within ``_DOWN_FOR`` seconds (the rest of the draft, the next drafts of a batch)
        # fail at once with the same cause instead of each waiting out its own timeouts.
        self._down: BackendError | None = None
        self._down_until = 0.0

    def __repr__(self) -> str:
        return f"OpenAICompatBackend({self.name!r}, {self.endpoint.display_url!r})"

    @property
    def name(self) -> str:
        return self.endpoint.name

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
        completion, attempts = self._retried(
            self.name,
            lambda number: self._once(request, started, on_text),
            lambda failure, attempts: self._final(failure, attempts, started),
        )
        return Completion(
            text=completion.text,
            finish_reason=completion.finish_reason,
            usage=completion.usage,
            model=completion.model,
            latency=time.monotonic() - started,
            attempts=attempts,
        )

    def _final(self, error: BackendError, attempts: int, started: float) -> BackendError:
        """The error the request ends with, saying how long it tried; an endpoint that could not be
        reached, or gave no answer in time, is taken to be down for a while."""
        final = error
        if error.retryable and (attempts > 1 or error.retry_after is not None):
            elapsed = time.monotonic() - started
            policy = self.endpoint.retry
            if error.retry_after is not None and error.retry_after > policy.max_retry_after:
                why = f"服务器要求 {error.retry_after:.0f} 秒后再试，超过等待上限 {policy.max_retry_after:.0f} 秒"
            else:
                why = f"已尝试 {attempts} 次、用时 {elapsed:.1f} 秒仍未成功"
            final = BackendError(
                f"{error.message}（{why}）",
                kind=error.kind,
                hint=error.hint or "接口暂时不可用：请稍后重试，或换用其他模型。",
                attempts=attempts,
                begun=error.begun,
            )
        final.attempts = attempts
        # Unreachable, or no answer in time (not a deadline that ran out: the endpoint may just be
        # slower than the time that was left).
        if final.unreachable or (final.kind in SLOW_KINDS and error.retryable):
            self._down, self._down_until = final, time.monotonic() + _DOWN_FOR
        return final

    # --- one HTTP attempt ----------------------------------------------------------------------

    def _once(self, request: ChatRequest, started: float, on_text: OnText | None = None) -> Completion:
        """One request, its answer validated. Raises BackendError, never an SDK error."""
        if on_text is not None:
            on_text("")  # a new attempt: whatever an earlier one streamed is void
        stream = self.endpoint.stream
        kwargs: dict[str, Any] = {
            "model": self.endpoint.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "temperature": request.temperature,
            # max_tokens, not max_completion_tokens: the compatible servers know only this one.
            "max_tokens": request.max_tokens,
        }
        return self._attempt(
            started,
            send=lambda attempt, timeout: self._send(attempt, {**kwargs, "timeout": timeout}, stream),
            watch=lambda attempt, until, limit: self._watch(attempt, request, until, limit, on_text),
            failed=self._failed,
            out_of_time=lambda limit: self._out_of_time(limit, 0),
            stall=self.endpoint.stall_timeout if stream else None,
        )

    def _failed(self, exc: BaseException, attempt: Attempt, timeout: httpx2.Timeout) -> BackendError | None:
        error = sdk_failure(
            exc,
            subject=f"模型接口 {self.endpoint.display_url}",
            timeout=timeout,
            status=self._status_error,
            connection=lambda: self._connection_error(begun=attempt.response is not None),
        )
        if error is None and isinstance(exc, openai.APIError):  # an error event inside a stream
            error = self._provider_error(exc.body, str(exc.message), during_stream=True)
        return error

    def _send(self, attempt: Attempt, kwargs: dict[str, Any], stream: bool) -> None:
        """On a pool thread: send the request and hand over what arrives, until it ends or the
        calling thread abandons it (which shuts the socket and so ends any read in progress)."""
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
        except BaseException as exc:
            # Handed over before the stream is closed: a closed stream's connection is the pool's
            # again, and the calling thread must know the attempt is finished before it could
            # hang that connection up under the next request.
            attempt.finish("error", exc)
        finally:
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
            now = self._tick(until, partial(self._out_of_time, limit, chars))
            if streaming and now - progress >= stall:
                raise self._stalled(stall, keepalives=attempt.received > bytes_then)
            if attempt.received > request.max_bytes:
                raise self._too_long(request)
            wake = min(until, progress + stall) if streaming else until
            event = attempt.next(wake - now)
            if event is None:
                continue
            kind, value = event
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
        return self._late(
            limit,
            unfinished=f"模型接口 {url} 尚未答完{got}",
            own=f"模型接口 {url} 未能在每个请求 {self.endpoint.retry.deadline:.0f} 秒的总时限内答完{got}。",
            own_hint="可稍后重试，或用 DRAFTING_DEADLINE 调大每个请求的总时限。",
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
        said = self._server_text(exc)
        if exc.status_code == 429 and _QUOTA.search(f"{said} {_error_code(exc.body)}"):
            # OpenAI answers an exhausted quota with 429 insufficient_quota: no wait will fix it.
            return self._provider_error(exc.body, said)
        endpoint = self.endpoint
        names = {"url": endpoint.display_url, "model": endpoint.model, "key_env": endpoint.api_key_env}
        if exc.status_code == 404 and ("model" in said.lower() or "模型" in said):
            return _NO_SUCH_MODEL.error(exc, said, **names)
        return _REFUSALS.error(exc, said, **names)

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
                hint=_CALM_HINT,
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
