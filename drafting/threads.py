"""Bounded work on a shared pool of daemon threads: the sections of a draft, the drafts of a batch.

Why threads (not asyncio): a model call is one blocking HTTP request that waits on the network
with the GIL released; the openai client, tenacity, sqlite3 and the writers are synchronous, and
callers (CLI, tests, a future web workspace) get plain functions, no event loop.

Why not ``ThreadPoolExecutor``: the interpreter joins its workers at exit, so after Ctrl-C the
process would hang until every HTTP read in flight timed out (closing an HTTP client does not wake
a thread blocked in ``recv``). These workers are daemons, so the process exits at once; nothing is
lost, because each draft is written atomically and only once it is complete. The workers are kept
and reused: starting a thread costs a GIL hand-over (up to 5 ms on a busy interpreter), which a
batch of drafts would otherwise pay four times per draft.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

T = TypeVar("T")
R = TypeVar("R")


class _Pool:
    """Grows to the largest number of tasks ever run at once, never queues a task behind a busy
    worker (nested use — sections inside drafts — cannot deadlock), and never shrinks."""

    def __init__(self) -> None:
        self._tasks: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0
        self._count = 0

    def _work(self, first: Callable[[], None]) -> None:
        task = first
        while True:
            task()
            with self._lock:
                self._idle += 1
            task = self._tasks.get()

    def run(self, task: Callable[[], None]) -> None:
        with self._lock:
            if self._idle:
                self._idle -= 1  # that idle worker is now promised this task
                self._tasks.put(task)
                return
            self._count += 1
            name = f"drafting-{self._count}"
        threading.Thread(target=self._work, args=(task,), name=name, daemon=True).start()


_POOL = _Pool()


def submit(fn: Callable[..., R], *args: Any) -> Future[R]:
    """Run ``fn(*args)`` on a pool thread; its result or exception arrives in the future."""
    from concurrent.futures import Future  # and logging with it: not at start-up, for one draft

    future: Future[R] = Future()

    def task() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # handed to whoever waits on the future
            future.set_exception(exc)

    _POOL.run(task)
    return future


def map_bounded(
    fn: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    on_each: Callable[[int, R], bool] | None = None,
) -> dict[int, R]:
    """Run ``fn`` over ``items``, at most ``workers`` at once; results by index.

    ``on_each(index, result)`` runs in the calling thread as each result arrives; when it returns
    True no further item starts (those already running still report). An exception in ``fn`` is
    raised here at once. Ctrl-C in the calling thread propagates at once."""
    todo: queue.SimpleQueue[tuple[int, T]] = queue.SimpleQueue()
    for pair in enumerate(items):
        todo.put(pair)
    done: queue.SimpleQueue[tuple[int, R | None, BaseException | None]] = queue.SimpleQueue()
    stop = threading.Event()
    lock = threading.Lock()
    started = 0

    def runner() -> None:
        nonlocal started
        while True:
            with lock:
                if stop.is_set() or todo.empty():
                    return
                index, item = todo.get()
                started += 1
            try:
                done.put((index, fn(item), None))
            except BaseException as exc:  # handed to the calling thread, which re-raises it
                done.put((index, None, exc))

    for _ in range(min(workers, len(items))):
        _POOL.run(runner)
    results: dict[int, R] = {}
    received = 0
    while True:
        with lock:
            if received >= (started if stop.is_set() else len(items)):
                break
        index, result, error = done.get()
        received += 1
        if error is not None:
            stop.set()
            raise error
        results[index] = result  # type: ignore[assignment]  # error is None, so fn returned R
        if on_each is not None and on_each(index, results[index]):
            stop.set()
    return results
