"""Chat backends behind one Protocol, and the one resolver of model specs.

``base`` (the Protocol, requests, completions, errors), ``endpoints`` (specs, presets, endpoints),
``resolve`` (spec → model → backend), ``provider`` (what every call to an OpenAI-compatible
provider shares: the SDK client, retries, time, the SDK's failures as ours), and the backends and
wrappers: ``openai_compat`` (any OpenAI-compatible server; imports the SDK), ``scripted`` (answers
from a list or a callable), ``replay`` (answers from a replay file), ``cached`` (the response
cache), ``recorder`` (keeps the raw answers for the eval). Names are imported on first use, so
importing the package stays light.
"""

from __future__ import annotations

import importlib
from typing import Any

from .base import Backend, BackendError, ChatRequest, Completion, Message, Usage, redact

_LAZY = {
    "get_backend": "drafting.backends.resolve",
    "resolve_model": "drafting.backends.resolve",
    "ModelChoice": "drafting.backends.resolve",
}

__all__ = [
    "Backend",
    "BackendError",
    "ChatRequest",
    "Completion",
    "Message",
    "ModelChoice",
    "Usage",
    "get_backend",
    "redact",
    "resolve_model",
]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'drafting.backends' has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)
