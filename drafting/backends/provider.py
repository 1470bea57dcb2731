"""What every call of ours to an OpenAI-compatible provider shares, the chat answers
(``openai_compat``) and the batch files and jobs (``batch.client``) alike:

- the openai SDK client, its own retries off (``max_retries=0``), with a hook that hands each
  response to the ``Attempt`` running it (``attempt.py``), so the calling thread can hang it up;
- the one retry policy (``retry_policy``): retryable ``BackendError``s only, Retry-After honoured,
  exponential backoff with jitter, bounded attempts and total time, Ctrl-C ending every wait;
- the time one attempt may take: the call's own deadline (every retry included) or the enclosing
  work's (``deadlines.current()``), whichever is first, with the socket's own timeouts set a moment
  past it, so that the timer, with its clearer message, is what ends a silent call;
- the SDK's failures as our ``BackendError``: a timeout, a dropped connection, a body that is not
  JSON, and an HTTP error status, whose meaning each kind of call states in one table (``Refusals``).

Each client words its own messages (``模型接口 …`` for an answer, ``查询批量任务时 …`` for a batch
call); what is said the same way, and every decision, is made here.
"""

from __future__ import annotations

import email.utils
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import httpx2
import openai
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
from ..threads import submit
from .attempt import Attempt
from .base import SLOW_KINDS, BackendError, ErrorKind, redact

if TYPE_CHECKING:
    from .endpoints import Endpoint

log = logging.getLogger("drafting.backends")

R = TypeVar("R")

# The read timeout of an attempt runs this much past the timer, so that the timer, with its
# clearer message, is what ends a silent attempt.
GRACE = 1.0


class _StopWhen(stop_base):
    """A tenacity stop condition from a plain predicate (Ctrl-C, a Retry-After beyond our patience)."""

    def __init__(self, predicate: Callable[[RetryCallState], bool]) -> None:
        self.predicate = predicate

    def __call__(self, retry_state: RetryCallState) -> bool:
        return self.predicate(retry_state)


def retry_policy(endpoint: Endpoint, cancelled: threading.Event, name: str) -> Retrying:
    """The one retry policy of our calls to a provider: retryable ``BackendError``s only, Retry-After
    honoured (beyond our patience: give up), exponential backoff with jitter, bounded attempts and
    total time; ``cancelled`` (Ctrl-C) ends every wait at once."""
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


def retry_after(headers: Any) -> float | None:
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


@dataclass(frozen=True)
class Refusal:
    """What one HTTP error status means for a kind of call: our kind, and the message and hint as
    templates. ``{status}``, ``{note}`` (what the server said, framed) and the names the client
    gives (``{url}`` …) are filled in."""

    kind: ErrorKind
    message: str
    hint: str = ""
    wait: bool = False  # the server may say when to try again (Retry-After)

    def error(self, exc: openai.APIStatusError, said: str, **names: str) -> BackendError:
        note = f"（服务器说明：{said}）" if said else ""
        words = {**names, "status": exc.status_code, "note": note}
        return BackendError(
            self.message.format(**words),
            kind=self.kind,
            hint=self.hint.format(**words),
            retry_after=retry_after(exc.response.headers) if self.wait else None,
        )


@dataclass(frozen=True)
class Refusals:
    """Every HTTP error status for a kind of call: its own ``Refusal``, else ``server`` for a 5xx,
    else ``other``."""

    by_status: Mapping[int, Refusal]
    server: Refusal
    other: Refusal

    def error(self, exc: openai.APIStatusError, said: str, **names: str) -> BackendError:
        status = exc.status_code
        refusal = self.by_status.get(status) or (self.server if status >= 500 else self.other)
        return refusal.error(exc, said, **names)


def sdk_failure(
    exc: BaseException,
    *,
    subject: str,
    timeout: httpx2.Timeout,
    status: Callable[[openai.APIStatusError], BackendError],
    connection: Callable[[], BackendError],
) -> BackendError | None:
    """The SDK's failure ``exc`` as ours, or None for anything else (ours, Ctrl-C …). ``subject``
    begins a message with who failed (``模型接口 URL``); ``status`` and ``connection`` word the
    failures each kind of call says its own way."""
    if isinstance(exc, openai.APIStatusError):
        return status(exc)
    if isinstance(exc, openai.APITimeoutError):  # before its base class, APIConnectionError
        return BackendError(
            f"{subject} 在 {timeout.read:.0f} 秒内没有回应（超时）。",
            kind="timeout",
            hint="可稍后重试，或用 DRAFTING_TIMEOUT 调大等待时间。",
        )
    if isinstance(exc, (openai.APIConnectionError, httpx2.TransportError)):
        return connection()
    if isinstance(exc, ValueError):  # a body that is not JSON (json.JSONDecodeError is a ValueError)
        return BackendError(f"{subject} 返回的内容不是有效的 JSON。", kind="invalid_response")
    return None


class ProviderClient:
    """A client of one endpoint: the SDK client, the key (to redact), Ctrl-C, and the run of a call
    (its retries) and of one attempt (its time, its failures). Thread-safe, as the SDK client is."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        key = endpoint.read_key()
        self._secrets = (key,) if key else ()
        self._cancelled = threading.Event()
        self._local = threading.local()  # the attempt a pool thread is running, for the hook
        # A local server without keys still needs a non-empty string for the SDK's header. The
        # SDK's own client defaults, with a hook that hands each response to its attempt.
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
        """Stop: calls in flight fail fast, no new attempt starts (Ctrl-C)."""
        self._cancelled.set()
        self._client.close()

    def _server_text(self, exc: openai.APIStatusError) -> str:
        return server_text(exc, self._secrets)

    # --- a call: its attempts under the retry policy ------------------------------------------------

    def _retried(
        self,
        name: str,
        once: Callable[[int], R],
        given_up: Callable[[BackendError, int], BackendError] | None = None,
    ) -> tuple[R, int]:
        """``once(attempt number)`` under the retry policy until it succeeds: its result and the
        attempts it took. Else the last error, as ``given_up`` words it, raised outside any
        ``except`` (no SDK error chained to it); after Ctrl-C, 已取消 whatever failed."""
        attempts = 0
        failure: BackendError | None = None
        try:
            for attempt in retry_policy(self.endpoint, self._cancelled, name):
                with attempt:
                    attempts = attempt.retry_state.attempt_number
                    if self._cancelled.is_set():
                        raise BackendError("已取消。", kind="cancelled", attempts=attempts)
                    result = once(attempts)
        except BackendError as exc:
            failure = exc
        if failure is None:
            return result, attempts
        if self._cancelled.is_set():
            raise BackendError("已取消。", kind="cancelled", attempts=attempts)
        raise failure if given_up is None else given_up(failure, attempts)

    # --- one attempt: on a pool thread, watched by the calling thread --------------------------------

    def _attempt(
        self,
        started: float,
        *,
        send: Callable[[Attempt, httpx2.Timeout], None],
        watch: Callable[[Attempt, float, deadlines.Deadline | None], R],
        failed: Callable[[BaseException, Attempt, httpx2.Timeout], BackendError | None],
        out_of_time: Callable[[deadlines.Deadline | None], BackendError],
        stall: float | None = None,
    ) -> R:
        """One HTTP attempt of a call that began at ``started``: ``send`` runs on a pool thread and
        hands what arrives to the attempt; ``watch``, in the calling thread, takes it until the call's
        time (``until``, and ``limit`` when that is the enclosing work's) runs out; any error is
        ``failed``'s to word, raised outside any ``except``. ``stall`` (a stream's) caps the read
        timeout too."""
        until, limit = deadlines.earliest(started + self.endpoint.retry.deadline)
        remaining = until - time.monotonic()
        if remaining <= 0:
            raise out_of_time(limit)
        # The socket's own timeouts only back the timer up.
        read = min(self.endpoint.timeout, remaining + GRACE)
        if stall is not None:
            read = min(read, stall + GRACE)
        timeout = httpx2.Timeout(read, connect=min(self.endpoint.connect_timeout, remaining + GRACE))
        attempt = Attempt()
        submit(self._pooled, attempt, lambda: send(attempt, timeout))
        try:
            try:
                return watch(attempt, until, limit)
            except BaseException:
                attempt.abandon()  # given up (or failed): the pool thread stops reading at once
                raise
        except Exception as exc:
            error = failed(exc, attempt, timeout)
            if error is None:
                raise
        raise error

    def _pooled(self, attempt: Attempt, send: Callable[[], None]) -> None:
        """On a pool thread: ``send``, with the attempt known to the response hook; an error is
        handed to the calling thread, which words it."""
        self._local.attempt = attempt
        try:
            send()
        except BaseException as exc:
            attempt.finish("error", exc)
        finally:
            self._local.attempt = None

    def _tick(self, until: float, out_of_time: Callable[[], BackendError]) -> float:
        """Now, for the calling thread waiting on an attempt; 已取消 after Ctrl-C, ``out_of_time``
        once the call's time (``until``) is up."""
        now = time.monotonic()
        if self._cancelled.is_set():
            raise BackendError("已取消。", kind="cancelled")
        if now >= until:
            raise out_of_time()
        return now

    def _late(
        self, limit: deadlines.Deadline | None, *, unfinished: str, own: str, own_hint: str
    ) -> BackendError:
        """Time is up: the enclosing work's (``limit``, named with its setting), where ``unfinished``
        says what is not done; else the call's own, which ``own`` and ``own_hint`` word."""
        if limit is not None:
            return BackendError(
                f"{limit.what}（{limit.seconds:.0f} 秒）已到，{unfinished}。",
                kind="timeout",
                retryable=False,
                hint=f"可稍后重试，或用 {limit.setting} 调大该时限。",
            )
        return BackendError(own, kind="timeout", retryable=False, hint=own_hint)
