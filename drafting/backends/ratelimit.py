"""Requests-per-minute and tokens-per-minute quotas, kept on our side so the provider never says 429.

One ``RateLimiter`` serves every request of a run (all sections of all drafts of ``draft --jobs N``):
a request reserves its place (one request, its estimated tokens) before it is sent, waiting while the
quota is spent, and its reservation is settled with the usage the answer reports.

Tokens as the provider counts them: a gateway cannot know an answer's length when the request
arrives, so it admits it by what it may use — its prompt and its ``max_tokens`` (OpenAI and Cerebras
document this) — and bills what it used. The reservation is that same figure (a token a Chinese
character, an upper bound), so a request the limiter lets through is one the gateway admits; the
settled usage frees the rest for the next ones. (A provider that kept counting ``max_tokens`` after
the answer would need the reservation to stand; no setting says so yet.)

Why a sliding log and not a token bucket: providers count requests in a window (a minute; some a
second). A bucket that holds N and refills N per minute lets 2N requests through within one
minute — a burst at the start and the refill — which a provider counting per window answers with
429s. A log of the sends in the last window allows exactly N in any window, the first N at once,
so it is never slower than the quota itself.

When a send counts: the provider stamps a request when it arrives, which is after we let it go —
later still when many go at once from a busy machine — and before its answer comes back. So a send
counts from its answer's time, or from ``dispatch`` seconds after we let it go if the answer takes
longer (a bound on how long a request takes to reach the server: 1 s, or 2 % of the window). The
guarantee then does not depend on how loaded the machine is, and it costs at most
``min(latency, dispatch)`` per window.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from .base import Backend, BackendError, ChatRequest, Completion, OnText

Clock = Callable[[], float]


@dataclass
class _Entry:
    at: float  # when the request was let through
    tokens: int  # reserved, then what the answer reported
    answered: float | None = None  # when its answer (or failure) came back

    def counts_from(self, dispatch: float) -> float:
        """The latest the provider can have stamped it: its answer, or ``dispatch`` after its release."""
        bound = self.at + dispatch
        return bound if self.answered is None else min(self.answered, bound)


@dataclass(frozen=True)
class LimiterStats:
    """What the quota is doing now, for a progress display."""

    in_flight: int  # requests let through and not yet answered
    waiting: int  # requests waiting for the quota
    sent: int  # requests let through so far
    waited: float  # seconds spent waiting, summed over requests


class RateLimiter:
    """At most ``rpm`` requests and ``tpm`` tokens in any ``window`` seconds (60: per minute).

    ``clock`` and ``sleep`` are injectable so that a test can run minutes of quota in no time;
    by default waits are on a condition, so ``close()`` (Ctrl-C) wakes every waiter at once."""

    def __init__(
        self,
        rpm: int | None = None,
        tpm: int | None = None,
        window: float = 60.0,
        *,
        clock: Clock = time.monotonic,
        sleep: Callable[[float], None] | None = None,
        margin: float | None = None,
    ) -> None:
        self.rpm, self.tpm, self.window = rpm, tpm, window
        self.dispatch = min(window * 0.5, max(1.0, window * 0.02))
        # Clocks and rounding: ours and the provider's need not agree to the millisecond.
        self.margin = margin if margin is not None else min(window * 0.1, max(0.05, window * 0.005))
        self._clock = clock
        self._sleep = sleep
        self._cond = threading.Condition()
        self._log: deque[_Entry] = deque()
        self._closed = False
        self._in_flight = 0
        self._waiting = 0
        self._sent = 0
        self._waited = 0.0
        self._latency = 0.0  # a running mean of answered requests' latency, for the ETA
        self._answered = 0
        self._tokens_per_request = 0.0

    @property
    def limited(self) -> bool:
        return self.rpm is not None or self.tpm is not None

    def close(self) -> None:
        """Wake every waiter: they raise ``BackendError`` kind ``cancelled``."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def _prune(self, now: float) -> list[_Entry]:
        """The sends that still count at ``now``, oldest first (by when they count from)."""
        expired = now - self.window
        self._log = deque(e for e in self._log if e.counts_from(self.dispatch) > expired)
        return sorted(self._log, key=lambda e: e.counts_from(self.dispatch))

    def _delay(self, now: float, tokens: int) -> float:
        """Seconds until one more request of ``tokens`` fits; 0 when it fits now."""
        log = self._prune(now)
        until = now
        if self.rpm is not None and len(log) >= self.rpm:
            until = max(until, log[len(log) - self.rpm].counts_from(self.dispatch) + self.window)
        if self.tpm is not None and log:
            excess = sum(e.tokens for e in log) + min(tokens, self.tpm) - self.tpm
            for entry in log:
                if excess <= 0:
                    break
                excess -= entry.tokens
                until = max(until, entry.counts_from(self.dispatch) + self.window)
        return 0.0 if until <= now else until - now + self.margin

    def acquire(self, tokens: int = 0) -> _Entry:
        """Wait until a request of about ``tokens`` fits the quota; its reservation."""
        with self._cond:
            self._waiting += 1
            try:
                while True:
                    if self._closed:
                        raise BackendError("已取消。", kind="cancelled")
                    now = self._clock()
                    delay = self._delay(now, tokens)
                    if delay <= 0:
                        break
                    self._waited += delay
                    if self._sleep is None:
                        self._cond.wait(delay)
                    else:
                        self._cond.release()
                        try:
                            self._sleep(delay)
                        finally:
                            self._cond.acquire()
            finally:
                self._waiting -= 1
            entry = _Entry(self._clock(), tokens)
            self._log.append(entry)
            self._in_flight += 1
            self._sent += 1
            return entry

    def settle(self, entry: _Entry, tokens: int | None, *, requests: int = 1, latency: float = 0.0) -> None:
        """The answer arrived (``tokens`` it used, ``requests`` it took with retries), or failed
        (``tokens`` None: the reservation stands, since the provider may have counted it)."""
        with self._cond:
            self._in_flight -= 1
            entry.answered = self._clock()
            if tokens is not None:
                entry.tokens = tokens
                self._answered += 1
                n = self._answered
                self._latency += (latency - self._latency) / n
                self._tokens_per_request += (tokens - self._tokens_per_request) / n
            now = self._clock()
            for _ in range(max(0, requests - 1)):  # retries the backend made were requests too
                self._log.append(_Entry(now, 0, now))
            self._cond.notify_all()  # a smaller actual usage may let a waiter through

    def stats(self) -> LimiterStats:
        with self._cond:
            return LimiterStats(self._in_flight, self._waiting, self._sent, self._waited)

    def eta(self, requests: int) -> float | None:
        """Seconds until ``requests`` more requests could be answered under the quota, from the sends
        of the last window and the mean latency so far; None without a quota."""
        if not self.limited:
            return None
        with self._cond:
            now = self._clock()
            starts = [e.counts_from(self.dispatch) for e in self._prune(now)]
            rpm = self.rpm
            if self.tpm is not None and self._tokens_per_request > 0:
                by_tokens = max(1, math.floor(self.tpm / self._tokens_per_request))
                rpm = by_tokens if rpm is None else min(rpm, by_tokens)
            last = now
            if rpm is not None:
                for _ in range(requests):
                    at = now if len(starts) < rpm else max(now, starts[-rpm] + self.window)
                    starts.append(at + min(self._latency, self.dispatch))
                    last = at
            return max(0.0, last - now) + self._latency


class RateLimitedBackend:
    """A backend whose requests go through a shared ``RateLimiter`` first."""

    def __init__(self, inner: Backend, limiter: RateLimiter) -> None:
        self.inner = inner
        self.limiter = limiter

    @property
    def name(self) -> str:
        return self.inner.name

    def close(self) -> None:
        self.limiter.close()
        self.inner.close()

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion:
        # About one token per Chinese character, plus the answer's ceiling: a reservation on the safe
        # side, settled with the usage the server reports.
        estimate = sum(len(m.content) for m in request.messages) + request.max_tokens
        entry = self.limiter.acquire(estimate)
        started = time.monotonic()
        try:
            completion = self.inner.complete(request, on_text)
        except BackendError as exc:
            self.limiter.settle(entry, None, requests=exc.attempts)
            raise
        except BaseException:
            self.limiter.settle(entry, None)
            raise
        self.limiter.settle(
            entry,
            completion.usage.total_tokens,
            requests=completion.attempts,
            latency=time.monotonic() - started,
        )
        return completion
