"""The retry policy, observed from the server's side: which failures are retried, how long it waits
(Retry-After honoured, backoff growing), and that attempts and total time are bounded."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator

import pytest

from drafting.backends.base import BackendError

from .backend_support import REQUEST, make_backend
from .openai_stub import StubServer, stub_server


@pytest.fixture
def server() -> Iterator[StubServer]:
    with stub_server(reply=lambda body: "回答。") as s:
        yield s


def _gaps(server: StubServer) -> list[float]:
    """Seconds between the end of each answer and the next request."""
    reqs = server.requests
    return [b.start - a.end for a, b in itertools.pairwise(reqs)]


def test_429_waits_as_long_as_retry_after_says(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.retry_after = "0.4"
    server.fail("rate_limit")
    completion = make_backend(server, monkeypatch, backoff_initial=0.01).complete(REQUEST)
    assert completion.attempts == 2
    (gap,) = _gaps(server)
    assert gap >= 0.38  # the backoff alone would have waited about 0.01 s


def test_a_server_error_then_success(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.fail("server_error")
    completion = make_backend(server, monkeypatch).complete(REQUEST)
    assert (completion.attempts, completion.text) == (2, "回答。")
    assert [r.fault for r in server.requests] == ["server_error", ""]


def test_429_and_500_in_a_row_still_succeed(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.fail("rate_limit", "server_error")
    assert make_backend(server, monkeypatch, stream=False).complete(REQUEST).attempts == 3


def test_a_slow_answer_times_out_and_is_retried(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.slow_seconds = 2.0
    server.fail("slow")
    started = time.monotonic()
    completion = make_backend(server, monkeypatch, timeout=0.3).complete(REQUEST)
    assert completion.attempts == 2
    assert time.monotonic() - started < 1.5  # it gave up on the slow answer instead of waiting 2 s


def test_attempts_are_bounded(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "server_error"
    with pytest.raises(BackendError) as info:
        make_backend(server, monkeypatch, max_attempts=3).complete(REQUEST)
    assert len(server.requests) == 3
    assert info.value.kind == "server" and info.value.attempts == 3
    assert "已尝试 3 次" in info.value.message


def test_the_sdk_does_not_retry_on_its_own(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "server_error"
    with pytest.raises(BackendError):
        make_backend(server, monkeypatch, max_attempts=1).complete(REQUEST)
    assert len(server.requests) == 1  # the SDK's default would have sent 3


def test_the_deadline_bounds_the_total_time(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "server_error"
    started = time.monotonic()
    with pytest.raises(BackendError):
        make_backend(
            server, monkeypatch, max_attempts=50, deadline=0.6, backoff_initial=0.1, backoff_max=0.2
        ).complete(REQUEST)
    assert time.monotonic() - started < 3  # 50 attempts would take over 5 s
    assert 2 <= len(server.requests) < 10


def test_backoff_grows_between_attempts(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "server_error"
    with pytest.raises(BackendError):
        make_backend(server, monkeypatch, max_attempts=4, backoff_initial=0.05, backoff_max=5).complete(
            REQUEST
        )
    gaps = _gaps(server)
    assert len(gaps) == 3
    # 0.05·2^(n-1) plus up to 0.05 of jitter: about 0.05–0.1, 0.1–0.15, 0.2–0.25 s.
    assert gaps[0] >= 0.045 and gaps[1] >= 0.095 and gaps[2] >= 0.195
    assert gaps[2] > gaps[0]


def test_a_retry_after_beyond_our_patience_is_not_waited_for(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.state.retry_after = "120"
    server.state.always = "rate_limit"
    started = time.monotonic()
    with pytest.raises(BackendError) as info:
        make_backend(server, monkeypatch, max_retry_after=1).complete(REQUEST)
    assert time.monotonic() - started < 5  # far from the 120 s it was asked to wait
    assert len(server.requests) == 1
    assert "120 秒" in info.value.message and "429" in info.value.message


def test_client_errors_are_not_retried(server: StubServer, monkeypatch: pytest.MonkeyPatch) -> None:
    server.state.always = "unauthorized_echo"
    with pytest.raises(BackendError):
        make_backend(server, monkeypatch, max_attempts=5).complete(REQUEST)
    assert len(server.requests) == 1


def test_close_ends_the_wait_and_no_new_attempt_starts(
    server: StubServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.state.always = "server_error"
    backend = make_backend(server, monkeypatch, max_attempts=5, backoff_initial=8, backoff_max=8)
    errors: list[BackendError] = []

    def call() -> None:
        try:
            backend.complete(REQUEST)
        except BackendError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call)
    started = time.monotonic()
    thread.start()
    time.sleep(0.3)  # the first attempt failed; the policy now waits about 8 s
    backend.close()  # what Ctrl-C does
    thread.join(timeout=12)
    assert time.monotonic() - started < 4  # far from the 8 s wait
    assert [e.kind for e in errors] == ["cancelled"]
    assert len(server.requests) == 1
