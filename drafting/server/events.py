"""Work that takes time (a draft, a model's revision) runs on a thread and tells the page as it goes,
over Server-Sent Events.

A ``Channel`` is the list of events of one job. The worker thread publishes; each EventSource that
listens gets every event from the one it last saw (``Last-Event-ID`` after a reconnect), and is woken
on its own event loop the moment something is published, so a model's first characters reach the
page without waiting for a poll.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

KEEPALIVE_SECONDS = 15.0
_ids = itertools.count(1)


@dataclass
class Channel:
    kind: str  # draft | revise
    id: int = field(default_factory=lambda: next(_ids))
    events: list[tuple[str, str]] = field(default_factory=list)  # (event name, JSON data)
    closed: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = field(default_factory=set)

    def publish(self, event: str, data: dict[str, Any]) -> None:
        with self._lock:
            if self.closed:
                return
            self.events.append((event, json.dumps(data, ensure_ascii=False)))
            waiters = list(self._waiters)
        for loop, ready in waiters:
            loop.call_soon_threadsafe(ready.set)

    def close(self, event: str, data: dict[str, Any]) -> None:
        """The last event: the page stops listening when it sees it."""
        self.publish(event, data)
        with self._lock:
            self.closed = True
            waiters = list(self._waiters)
        for loop, ready in waiters:
            loop.call_soon_threadsafe(ready.set)

    async def stream(self, start: int = 0) -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        ready = asyncio.Event()
        waiter = (loop, ready)
        with self._lock:
            self._waiters.add(waiter)
        try:
            sent = start
            yield b"retry: 1000\n\n"
            while True:
                ready.clear()
                with self._lock:
                    batch = self.events[sent:]
                    closed = self.closed
                for n, (event, data) in enumerate(batch, sent + 1):
                    yield f"id: {n}\nevent: {event}\ndata: {data}\n\n".encode()
                sent += len(batch)
                if closed and sent >= len(self.events):
                    return
                try:
                    await asyncio.wait_for(ready.wait(), KEEPALIVE_SECONDS)
                except TimeoutError:
                    yield b": keep-alive\n\n"
        finally:
            with self._lock:
                self._waiters.discard(waiter)


class TextDeltas:
    """A backend's ``on_text`` (the whole answer so far) as small events: what was appended, or a
    fresh start when a retry began again from nothing."""

    def __init__(self, channel: Channel, event: str = "text", **extra: Any) -> None:
        self.channel = channel
        self.event = event
        self.extra = extra
        self.text = ""

    def __call__(self, text: str) -> None:
        if text.startswith(self.text):
            added = text[len(self.text) :]
            if added:
                self.channel.publish(self.event, {**self.extra, "append": added})
        else:
            self.channel.publish(self.event, {**self.extra, "reset": True, "append": text})
        self.text = text


def run_in_thread(target: Callable[[], None], name: str) -> threading.Thread:
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread
