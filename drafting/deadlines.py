"""The time a piece of work may take as a whole, carried down to the model requests inside it.

A draft's sections are written on pool threads, each with a re-ask and retries inside; the total
time of the draft is set where the draft starts (``draft_report``), and must hold in every request
below it without every layer in between passing it along. So the deadline travels in a context
variable: ``within(seconds, …)`` opens one (never later than one already open), ``entered(d)``
carries it into a pool thread, and the chat backend reads ``current()`` and stops at the earlier of
it and its own per-request deadline, by a timer (``backends/openai_compat.py``), not when a chunk
happens to arrive. Layer 1: imports nothing of ours.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    at: float  # time.monotonic() by which the work must be done
    seconds: float  # as set, for messages
    what: str  # 本份草稿的总时限 …
    setting: str  # the setting that changes it, for the hint: DRAFTING_DRAFT_DEADLINE

    def remaining(self) -> float:
        return self.at - time.monotonic()

    @property
    def passed(self) -> bool:
        return self.remaining() <= 0


_current: ContextVar[Deadline | None] = ContextVar("drafting_deadline", default=None)


def current() -> Deadline | None:
    """The deadline of the work this thread is doing, if any."""
    return _current.get()


def earliest(own: float) -> tuple[float, Deadline | None]:
    """When a request must end: at ``own`` (a ``time.monotonic()``, its own deadline) or at the
    deadline of the work it is part of, whichever comes first; and that one when it is the work's
    (its message names the work's setting)."""
    scope = _current.get()
    if scope is not None and scope.at < own:
        return scope.at, scope
    return own, None


@contextmanager
def within(seconds: float | None, what: str, setting: str) -> Iterator[Deadline | None]:
    """Work that must end within ``seconds`` (None: no limit of its own); an enclosing deadline
    that comes first still holds."""
    if seconds is None:
        yield _current.get()
        return
    mine = Deadline(time.monotonic() + seconds, seconds, what, setting)
    outer = _current.get()
    with entered(outer if outer is not None and outer.at <= mine.at else mine) as deadline:
        yield deadline


@contextmanager
def entered(deadline: Deadline | None) -> Iterator[Deadline | None]:
    """Carry ``deadline`` into this thread (a pool thread starts with none) for the block."""
    token = _current.set(deadline)
    try:
        yield deadline
    finally:
        _current.reset(token)
