"""A backend wrapper that keeps every raw answer, by section and ask, before it is cleaned and
checked: the eval stores them beside each draft, so a run can be read (and re-scored) later."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from .base import Backend, ChatRequest, Completion, OnText


@dataclass(frozen=True)
class RecordedAnswer:
    section: str
    ask: int  # 1, or 2 for the re-ask
    text: str
    cached: bool


class Recorder:
    """Answers through ``inner`` and keeps the answers of requests that name their section."""

    def __init__(self, inner: Backend) -> None:
        self.inner = inner
        self.answers: list[RecordedAnswer] = []
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.inner.name

    def close(self) -> None:
        """The inner backend is shared (one client per model for a whole run): its owner closes it."""

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion:
        completion = self.inner.complete(request, on_text)
        if request.section is not None:
            answer = RecordedAnswer(request.section, request.ask, completion.text, completion.cached)
            with self._lock:
                self.answers.append(answer)
        return completion
