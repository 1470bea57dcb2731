"""One HTTP attempt of a call to a provider (a chat answer, a batch call), run on a pool thread
and watched from the calling thread (``openai_compat.py`` says why): what arrived, in order, and
the means to hang it up.

Hanging up is shutting the socket down (the ``network_stream`` response extension of httpx/httpcore
gives the socket): a thread blocked in ``recv`` wakes at once with an error, which closing the
socket from another thread does not do. Once the pool thread is done with the response the
connection belongs to the client's pool again, and is never shut down under the next request.
"""

from __future__ import annotations

import queue
import socket
import threading
from typing import Any

import httpx2

# How often a calling thread waiting on an attempt looks at Ctrl-C and at the bytes received.
TICK = 0.2


class Attempt:
    """One HTTP attempt, run on a pool thread, watched by the calling thread: what arrived, in
    order (``events``), and the response once its headers are in, to hang it up."""

    def __init__(self) -> None:
        self.events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self.response: httpx2.Response | None = None
        self.abandoned = False
        self.finished = False  # the pool thread is done with the connection (it may be reused)
        self._lock = threading.Lock()

    def put(self, kind: str, value: Any = None) -> None:
        self.events.put((kind, value))

    def finish(self, kind: str, value: Any = None) -> None:
        """The last event: from now on the connection is the pool's again, and must not be
        shut down under the next request that reuses it."""
        with self._lock:
            self.finished = True
        self.events.put((kind, value))

    def next(self, wait: float) -> tuple[str, Any] | None:
        """In the calling thread: the next event, if one arrives within ``wait`` seconds (at most
        ``TICK``, so that the calling thread looks at Ctrl-C and the clock that often). An error the
        pool thread ran into is raised here, for the calling thread to word."""
        try:
            kind, value = self.events.get(timeout=max(0.0, min(wait, TICK)))
        except queue.Empty:
            return None
        if kind == "error":
            raise value
        return kind, value

    def opened(self, response: httpx2.Response) -> None:
        """The response headers are in (the client's response hook, on the pool thread)."""
        with self._lock:
            self.response = response
            abandoned = self.abandoned
        if abandoned:
            hang_up(response)

    def abandon(self) -> None:
        """The calling thread has given up: wake the pool thread and let it end."""
        with self._lock:
            self.abandoned = True
            response = None if self.finished else self.response
        if response is not None:
            hang_up(response)

    @property
    def received(self) -> int:
        """Bytes of the body read from the wire so far."""
        response = self.response
        return response.num_bytes_downloaded if response is not None else 0


def hang_up(response: httpx2.Response) -> None:
    """Shut down the response's socket (the ``network_stream`` response extension): a thread
    blocked reading it wakes with an error. The plain socket's shutdown, even under TLS, so that
    the TLS state the reading thread is using is left alone."""
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if isinstance(sock, socket.socket):
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass  # already closed
