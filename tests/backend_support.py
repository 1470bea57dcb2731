"""Building an OpenAI-compatible backend against the loopback stub, with small timeouts and waits."""

from __future__ import annotations

import pytest

from drafting.backends.base import ChatRequest, Message
from drafting.backends.endpoints import Endpoint, RetryPolicy
from drafting.backends.openai_compat import OpenAICompatBackend

from .llm_support import KEY
from .openai_stub import StubServer

REQUEST = ChatRequest(
    (Message("system", "你是公文写作助手。"), Message("user", "请写一段话。")),
    temperature=0.2,
    max_tokens=300,
)


def make_backend(
    server: StubServer | str,
    monkeypatch: pytest.MonkeyPatch,
    *,
    stream: bool = True,
    timeout: float = 2.0,
    stall_timeout: float = 2.0,
    max_attempts: int = 4,
    deadline: float = 20.0,
    backoff_initial: float = 0.01,
    backoff_max: float = 0.05,
    max_retry_after: float = 5.0,
    provider: str = "openai",
    key_env: str = "OPENAI_API_KEY",
    key_required: bool = True,
) -> OpenAICompatBackend:
    monkeypatch.setenv(key_env, KEY)
    base_url = server if isinstance(server, str) else server.base_url
    endpoint = Endpoint(
        provider=provider,
        model="test-model",
        base_url=base_url,
        api_key_env=key_env,
        key_required=key_required,
        stream=stream,
        timeout=timeout,
        connect_timeout=timeout,
        stall_timeout=stall_timeout,
        retry=RetryPolicy(
            max_attempts=max_attempts,
            deadline=deadline,
            backoff_initial=backoff_initial,
            backoff_max=backoff_max,
            max_retry_after=max_retry_after,
        ),
    )
    return OpenAICompatBackend(endpoint)
