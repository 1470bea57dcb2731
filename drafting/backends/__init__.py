"""Chat backends behind one Protocol: the OpenAI-compatible one and a scripted one for tests.

Only ``base`` is light; ``openai_compat`` imports the SDK and is loaded by ``get_backend``.
"""

from .base import Backend, BackendError, ChatRequest, Completion, Message, Usage, get_backend, redact

__all__ = [
    "Backend",
    "BackendError",
    "ChatRequest",
    "Completion",
    "Message",
    "Usage",
    "get_backend",
    "redact",
]
