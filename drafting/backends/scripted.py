"""A deterministic backend: answers from a list or a callable, and an error when the list runs out.

It implements the same Protocol as the OpenAI-compatible backend, so the section writer, the
re-ask and the fallback run unchanged against it. The eval harness and the docs use it to replay
fixed answers; tests use it where the wire does not matter.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable

from .base import BackendError, ChatRequest, Completion, OnText, Usage

Reply = str | Completion | BackendError
Script = Iterable[Reply] | Callable[[ChatRequest], Reply]


class ScriptedBackend:
    """``ScriptedBackend(["第一个回答", "第二个回答"])`` or ``ScriptedBackend(lambda req: "…")``.

    An item that is a ``BackendError`` is raised instead of answered. Every request is kept in
    ``requests`` (thread-safe), in the order it arrived."""

    def __init__(self, script: Script, name: str = "scripted") -> None:
        self._name = name
        self._call: Callable[[ChatRequest], Reply] | None = None
        self._queue: deque[Reply] = deque()
        if callable(script):
            self._call = script
        else:
            self._queue.extend(script)
        self._lock = threading.Lock()
        self.requests: list[ChatRequest] = []

    @property
    def name(self) -> str:
        return self._name

    def close(self) -> None:
        """Nothing to release."""

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion:
        with self._lock:
            self.requests.append(request)
            if self._call is None:
                if not self._queue:
                    raise BackendError(
                        f"预设回答已用完：第 {len(self.requests)} 个请求没有对应的回答。",
                        kind="exhausted",
                        hint="ScriptedBackend 的回答个数应不少于请求个数。",
                    )
                reply = self._queue.popleft()
        if self._call is not None:
            reply = self._call(request)
        if isinstance(reply, BackendError):
            raise reply
        if not isinstance(reply, Completion):
            prompt = sum(len(m.content) for m in request.messages)
            reply = Completion(
                text=reply, finish_reason="stop", usage=Usage(prompt, len(reply)), model=self._name
            )
        if on_text is not None:
            on_text(reply.text)  # the whole answer at once: nothing streams here
        return reply
