"""What every chat backend speaks: a request, a completion, its usage, and the errors it raises.

A backend is named with one string (``openai:qwen-plus``, ``deepseek``, ``ollama:qwen2.5:7b``,
``replay:answers.yaml``) and resolved in one place, ``resolve.py``. The offline drafter is not a
backend: it writes from the data, not from rendered prompts (see ``narrative.OfflineWriter``).
This module imports no other backend module, so every backend can import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, Protocol

from ..errors import DraftingError
from ..keys import redact as redact  # the backends redact every message with it

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """Everything that decides the answer. Timeouts and retries are the backend's, not the request's."""

    messages: tuple[Message, ...]
    temperature: float = 0.3
    max_tokens: int = 2000
    # Who asks: the narrative section this request writes, and which ask (1, or 2 for the re-ask).
    # A replay answers by them and the eval recorder files answers under them; they follow from
    # the messages, so the cache key leaves them out.
    section: str | None = None
    ask: int = 1

    def params(self) -> dict[str, float | int]:
        return {"temperature": self.temperature, "max_tokens": self.max_tokens}

    @property
    def max_chars(self) -> int:
        """The longest answer worth reading: a generous multiple of what ``max_tokens`` allows (a
        Chinese character is about one token). A server that ignores ``max_tokens`` and sends more
        is cut off there: the answer is refused, never stored, never sent back in a re-ask."""
        return max(MIN_ANSWER_CHARS, CHARS_PER_TOKEN_LIMIT * self.max_tokens)

    @property
    def max_bytes(self) -> int:
        """The most bytes read from the wire for one answer (streams carry ~100–250 bytes of JSON
        around each few characters), a guard for memory against one endless line."""
        return 256 * self.max_chars + 1_000_000


CHARS_PER_TOKEN_LIMIT = 4
MIN_ANSWER_CHARS = 4000


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    estimated: bool = False  # the server sent no usage; counted from characters instead

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.estimated or other.estimated,
        )


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str
    usage: Usage = field(default_factory=Usage)
    model: str = ""
    latency: float = 0.0  # seconds spent on this answer, retries and waits included
    attempts: int = 1  # HTTP requests it took (1 when the first one succeeded)
    cached: bool = False


# Told the answer so far as it streams in: the whole text of the current attempt, not a delta.
# Each HTTP attempt starts with ``""``, so a display can tell that a retry began again.
OnText = Callable[[str], None]


class Backend(Protocol):
    """A chat model. ``name`` is what the draft records (``openai:deepseek-chat``)."""

    @property
    def name(self) -> str: ...

    def complete(self, request: ChatRequest, on_text: OnText | None = None) -> Completion: ...

    def close(self) -> None: ...


ErrorKind = Literal[
    "config",  # no key, bad spec: our caller's setting
    "auth",  # 401
    "forbidden",  # 403
    "not_found",  # 404: unknown model or wrong base URL
    "bad_request",  # 400/422
    "not_an_api",  # 200 with an HTML page: the base URL points at a website
    "rate_limit",  # 429
    "server",  # 5xx
    "timeout",  # no answer within the read timeout, or past the request's (or the draft's) deadline
    "stalled",  # a stream with no piece of the answer for the stall timeout (keep-alives only)
    "connection",  # refused, reset, dropped mid-stream (``begun`` tells the last apart)
    "invalid_response",  # not JSON, no choices, wrong shape
    "truncated",  # finish_reason length, or a stream that ended without a finish reason
    "too_long",  # far longer than the request allows: cut off and refused
    "empty",  # a well-formed answer with no text
    "filtered",  # finish_reason content_filter
    "cancelled",  # the user pressed Ctrl-C
    "exhausted",  # a scripted backend ran out of replies
]

# Kinds worth another HTTP attempt with the same request.
RETRYABLE: frozenset[ErrorKind] = frozenset(
    {"rate_limit", "server", "timeout", "stalled", "connection", "invalid_response"}
)
# Of those, the kinds where the endpoint gave no answer in time: one more attempt, not more (a
# server that hung once mostly hangs again, and each attempt costs a whole timeout).
SLOW_KINDS: frozenset[ErrorKind] = frozenset({"timeout", "stalled"})
# Kinds where the answer arrived but cannot be used: worth a re-ask, not an HTTP retry.
OUTPUT_KINDS: frozenset[ErrorKind] = frozenset({"truncated", "empty", "filtered", "too_long"})
# Kinds that no retry or re-ask can fix: the user must change a setting, so the run stops.
FATAL: frozenset[ErrorKind] = frozenset(
    {"config", "auth", "forbidden", "not_found", "bad_request", "not_an_api", "exhausted"}
)


class BackendError(DraftingError):
    """A model call that failed. The message is Chinese, names the cause and the fix, and has been
    through :func:`redact`: it never carries a key."""

    def __init__(
        self,
        message: str,
        *,
        kind: ErrorKind,
        hint: str = "",
        retry_after: float | None = None,
        attempts: int = 1,
        retryable: bool | None = None,
        begun: bool = False,
    ) -> None:
        super().__init__(message, hint=hint)
        self.kind: ErrorKind = kind
        self.retry_after = retry_after
        self.attempts = attempts
        self._retryable = retryable
        # The endpoint had begun to answer (a connection that broke mid-stream): it was reached.
        self.begun = begun

    @property
    def unreachable(self) -> bool:
        """The endpoint could not be reached at all (refused, reset before any answer)."""
        return self.kind == "connection" and not self.begun

    @property
    def retryable(self) -> bool:
        """Worth another HTTP attempt with the same request (the kind's default unless overridden)."""
        return self.kind in RETRYABLE if self._retryable is None else self._retryable

    @property
    def fatal(self) -> bool:
        return self.kind in FATAL


# Why a section holds the offline text instead of the model's, as the draft file records it
# (``Section.fallback``): the endpoint was never reached, gave no answer in time, or failed
# (``ENDPOINT_CAUSES``: the model was not usable); or it answered, but the answer could not be used
# or failed the checks after the re-ask.
FallbackCause = Literal["unreachable", "timeout", "server", "unusable", "rejected"]
ENDPOINT_CAUSES: frozenset[str] = frozenset({"unreachable", "timeout", "server"})
CAUSE_LABELS: dict[str, str] = {
    "unreachable": "无法连接模型接口",
    "timeout": "模型接口超时或没有进展",
    "server": "模型接口出错",
    "unusable": "模型的回答无法使用",
    "rejected": "模型的回答未通过检查",
}


def cause_of(error: BackendError) -> FallbackCause:
    """The fallback cause a failed request stands for."""
    kind = error.kind
    if error.unreachable or kind == "cancelled":
        return "unreachable"
    if kind in SLOW_KINDS:
        return "timeout"
    if kind in OUTPUT_KINDS:
        return "unusable"
    return "server"
