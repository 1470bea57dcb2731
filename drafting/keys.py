"""What an API key looks like, so that none is ever echoed, stored or sent where it does not belong.

The key itself is never a setting (settings name the variable that holds it), but people paste keys
into the wrong place: ``--api-key-env sk-…``, ``--base-url sk-…``, ``DRAFTING_MODEL=sk-…``, a
revision instruction, a hand edit. Every message that repeats what a person typed goes through
:func:`redact`, every setting that names a variable, a URL or a model is refused when it
:func:`looks_like_key`, and revision instructions and hand edits are refused before they are sent
or stored (``revise/session.py``). Layer 1: imports nothing of ours.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# The shapes of the common providers' keys, and bearer headers:
# sk-… (OpenAI, DeepSeek, DashScope, Moonshot, Anthropic sk-ant-, OpenRouter sk-or-), ak-…,
# Zhipu's <32 hex>.<secret>, Baidu Qianfan's ALTAK-…, Hugging Face hf_…, Google AIza…,
# AWS AKIA…, GitHub ghp_/github_pat_…, Slack xox?-…; and any run of 32 or more letters and digits
# that has both (a hex or base62 secret with no prefix at all).
_SHAPES = (
    r"\b(?:sk|ak)-[A-Za-z0-9_\-]{6,}",
    r"\bBearer\s+\S+",
    r"\b[A-Fa-f0-9]{32}\.[A-Za-z0-9]{8,}",
    r"\bALTAK-[A-Za-z0-9_\-/]{8,}",
    r"\bhf_[A-Za-z0-9]{20,}",
    r"\bAIza[0-9A-Za-z_\-]{30,}",
    r"\bAKIA[0-9A-Z]{16}\b",
    r"\b(?:ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}",
    r"\bxox[abpr]-[A-Za-z0-9\-]{10,}",
    r"(?<![A-Za-z0-9])(?=[A-Za-z0-9]*[0-9])(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{32,}(?![A-Za-z0-9])",
)
KEY_LIKE = re.compile("|".join(_SHAPES), re.ASCII)
MASK = "***"


def looks_like_key(text: str) -> bool:
    """Whether ``text`` holds something shaped like an API key anywhere in it."""
    return KEY_LIKE.search(text) is not None


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every given secret and anything shaped like a key replaced by ``***``."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, MASK)
    return KEY_LIKE.sub(MASK, text)
