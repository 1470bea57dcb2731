"""Quotas for real-time drafting: one limiter shared by every draft of a ``--jobs`` run keeps requests
and tokens within the endpoint's per-minute limits, so a provider enforcing them never says 429.

The limiter's rules are checked on a fake clock (minutes of quota in no time); the whole path is
checked against the loopback server enforcing 60 requests per window, and a token quota, with the
window shortened to a few seconds (``rate_window``) so that the tests run in seconds over real HTTP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from drafting.backends.base import BackendError, ChatRequest, Completion, Message, Usage
from drafting.backends.ratelimit import RateLimitedBackend, RateLimiter
from drafting.backends.scripted import ScriptedBackend
from drafting.cli.draft import status_text
from drafting.draft import progress

from .backend_support import REQUEST, make_backend
from .batch_support import by_server, drafts, make_agencies, reply_for, run_child
from .llm_support import KEY, fast_settings
from .openai_stub import Recorded, StubServer, stub_server


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _limiter(t: FakeTime, **kwargs: float | int | None) -> RateLimiter:
    return RateLimiter(clock=t.clock, sleep=t.sleep, margin=0.0, **kwargs)  # type: ignore[arg-type]


def test_requests_per_window_let_the_first_n_through_then_wait_for_the_oldest() -> None:
    t = FakeTime()
    limiter = _limiter(t, rpm=3, window=60)
    times = []
    for _ in range(7):
        limiter.settle(limiter.acquire(), 10)
        times.append(t.now)
    assert times == [0, 0, 0, 60, 60, 60, 120]


def test_never_more_than_the_quota_in_any_window() -> None:
    t = FakeTime()
    limiter = RateLimiter(rpm=5, window=10, clock=t.clock, sleep=t.sleep, margin=0.001)
    sent = []
    for n in range(40):
        entry = limiter.acquire()
        sent.append(t.now)
        t.now += (n % 3) * 0.7  # requests take a while, unevenly
        limiter.settle(entry, 1)
    assert all(sum(1 for s in sent if at - 10 < s <= at) <= 5 for at in sent)
    assert sent[-1] - sent[0] < 40 / 5 * 10  # and no slower than the quota requires


def test_a_send_counts_from_its_answer_or_from_its_dispatch_bound() -> None:
    """The provider stamps a request between our release and its answer: a quick answer bounds the
    stamp; a slow one counts from the dispatch bound (1.2 s for a minute) after release."""
    t = FakeTime()
    limiter = _limiter(t, rpm=1, window=60)
    assert limiter.dispatch == pytest.approx(1.2)
    quick = limiter.acquire()
    t.now = 0.5
    limiter.settle(quick, 1)
    slow = limiter.acquire()
    assert t.now == pytest.approx(60.5)
    t.now = 70.0
    limiter.settle(slow, 1)
    limiter.acquire()
    assert t.now == pytest.approx(60.5 + 1.2 + 60)


def test_tokens_are_reserved_then_settled_with_the_usage() -> None:
    t = FakeTime()
    limiter = _limiter(t, tpm=1000, window=60)
    first = limiter.acquire(600)
    limiter.settle(first, 300)  # the answer used less than reserved: the rest is free again
    limiter.settle(limiter.acquire(600), 600)
    assert t.now == 0
    limiter.settle(limiter.acquire(600), 600)  # 300 + 600 + 600 > 1000: wait for the first to age
    assert t.now == 60
    big = limiter.acquire(5000)  # larger than the quota alone: goes when the window is empty
    assert t.now == 120
    limiter.settle(big, 5000)


def test_a_failed_request_keeps_its_reservation_and_retries_count() -> None:
    t = FakeTime()
    limiter = _limiter(t, rpm=4, window=60)
    limiter.settle(limiter.acquire(), None, requests=3)  # the backend retried twice before giving up
    assert limiter.stats().sent == 1
    limiter.settle(limiter.acquire(), 1)
    assert t.now == 0
    limiter.acquire()
    assert t.now == 60


def test_eta_follows_the_quota() -> None:
    t = FakeTime()
    limiter = _limiter(t, rpm=8, window=60)
    for _ in range(8):
        limiter.settle(limiter.acquire(), 100, latency=0.0)
    assert limiter.eta(0) == 0.0
    assert limiter.eta(8) == 60.0 and limiter.eta(32) == 240.0
    assert RateLimiter().eta(5) is None  # no quota, no estimate from it


def test_progress_numbers_and_their_words() -> None:
    t = FakeTime()
    limiter = _limiter(t, rpm=8, window=60)
    for _ in range(8):
        limiter.settle(limiter.acquire(), 100)
    p = progress(10, 2, 4, limiter)
    assert (p.total, p.done, p.in_flight, p.waiting, p.eta) == (10, 2, 4, 0, 240.0)
    assert status_text(p) == "进行中 4 份｜等待配额 0 个请求｜预计剩余 4:00"
    assert status_text(progress(10, 9, 4)) == "进行中 1 份"


def test_waiters_are_counted_and_woken_by_close() -> None:
    limiter = RateLimiter(rpm=1, window=60)
    limiter.acquire()
    errors: list[BaseException] = []

    def wait() -> None:
        try:
            limiter.acquire()
        except BackendError as exc:
            errors.append(exc)

    thread = threading.Thread(target=wait)
    thread.start()
    deadline = time.monotonic() + 5
    while limiter.stats().waiting == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert limiter.stats().waiting == 1 and limiter.stats().in_flight == 1
    limiter.close()
    thread.join(5)
    assert len(errors) == 1 and isinstance(errors[0], BackendError) and errors[0].kind == "cancelled"


def test_the_limited_backend_settles_with_the_usage_it_reports() -> None:
    t = FakeTime()
    limiter = _limiter(t, tpm=140, window=60)
    answer = Completion("好", "stop", Usage(10, 5))
    backend = RateLimitedBackend(ScriptedBackend([answer] * 7), limiter)
    request = ChatRequest((Message("user", "x" * 10),), max_tokens=40)  # reserves 50, uses 15
    for _ in range(6):
        assert backend.complete(request).text == "好"
    assert t.now == 0  # 5 × 15 used + 50 reserved fits; 6 × 50 reserved would not have
    backend.complete(ChatRequest((Message("user", "x" * 10),), max_tokens=90))  # 90 + 100: waits
    assert t.now == 60


# --- over real HTTP -----------------------------------------------------------------------------------


@pytest.fixture
def keyed(monkeypatch: pytest.MonkeyPatch) -> None:
    fast_settings(monkeypatch, OPENAI_API_KEY=KEY)


def test_the_stub_enforces_its_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without our limiter the server says 429 beyond its quota (so the next test can fail)."""
    with stub_server() as server:
        server.limit_rate(3, 60)
        backend = make_backend(server, monkeypatch, stream=False, max_attempts=1)
        for _ in range(3):
            backend.complete(REQUEST)
        with pytest.raises(BackendError) as caught:
            backend.complete(REQUEST)
    assert caught.value.kind == "rate_limit" and server.state.rejected == 1


def _draft_within_quota(
    folder: Path, agencies: int, window: float, jobs: int, quota: Callable[[StubServer], None], *limits: str
) -> tuple[list[Recorded], float]:
    """Drafts ``agencies`` data files in a process of its own (in the server's process its threads
    would delay the server's own clock on arrivals) against the stub enforcing ``quota``, with our
    limiter set by ``limits`` (``--rpm 60``, ``--tpm …``). Checks that the server never refused a
    request and every draft came from it; returns the requests it saw and the run's duration."""
    paths, datas = make_agencies(folder / "data", agencies)
    with stub_server(reply=reply_for(datas), latency=0.05) as server:
        quota(server)
        started = time.monotonic()
        result = run_child(
            [
                "draft", *map(str, paths), "-o", str(folder / "out"), "--format", "md", "--no-cache",
                "--model", "openai:test-model", "--base-url", server.base_url,
                "--jobs", str(jobs), "--concurrency", "4", *limits,
            ]
        )  # fmt: skip
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert server.state.rejected == 0 and not [r for r in server.requests if r.fault == "quota"]
    written = drafts(folder / "out")
    assert len(written) == agencies and all(by_server(d) for d in written.values())
    return server.requests, elapsed


@pytest.mark.usefixtures("keyed")
def test_draft_jobs_within_60_requests_per_window_never_get_a_429(tmp_path: Path) -> None:
    window = 6.0  # as ``short_window`` tells the limiter
    requests, elapsed = _draft_within_quota(
        tmp_path, 20, window, 8, lambda server: server.limit_rate(60, window), "--rpm", "60"
    )  # 80 requests: more than one window's quota
    assert len(requests) == 80
    assert elapsed >= window  # the quota bound: the last 20 waited for the window to move on


def test_the_stub_enforces_its_token_quota(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server counts a request at its arrival by its prompt and ``max_tokens``, then by the usage
    its answer reports: one that may use more than the quota is refused, small ones pass."""
    with stub_server() as server:
        server.limit_tokens(3000, 60)
        backend = make_backend(server, monkeypatch, stream=False, max_attempts=1)
        small = ChatRequest((Message("user", "x" * 100),), max_tokens=1000)  # may use 1100, uses 108
        for _ in range(10):
            backend.complete(small)
        with pytest.raises(BackendError) as caught:
            backend.complete(ChatRequest((Message("user", "x" * 100),), max_tokens=2000))  # 10 × 108 + 2100
    assert caught.value.kind == "rate_limit" and server.state.rejected == 1


@pytest.mark.usefixtures("keyed")
def test_draft_jobs_within_a_token_quota_never_get_a_429(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--tpm`` over real HTTP: three drafts at once would ask for ~30,000 tokens (prompts and
    ``max_tokens``) and use ~18,000 against a quota of 12,000 per 2-second window. The limiter
    reserves what each request may use and settles it with what the answer reports, as the server
    counts, so the server never refuses one; and the quota binds (the run outlasts a window)."""
    window = 2.0
    monkeypatch.setenv("DRAFTING_RATE_WINDOW", str(window))
    requests, elapsed = _draft_within_quota(
        tmp_path, 3, window, 3, lambda server: server.limit_tokens(12_000, window), "--tpm", "12000"
    )
    assert len(requests) == 12
    used = sum(len(str(m["content"])) for r in requests for m in r.body["messages"])
    assert used > 12_000  # the prompts alone exceed one window's quota
    assert elapsed >= window


@pytest.fixture(autouse=True)
def short_window(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DRAFTING_RATE_WINDOW", "6")
