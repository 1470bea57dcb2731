"""The JSONL lines of a batch: the requests we send and the results we read back.

A request's ``custom_id`` names what decides its answer — the agency, the section, the data's digest
and the prompt's version (with the model and parameters) — plus the attempt. The same data and prompt
give the same id, so submitting twice sends nothing new; a changed data file or prompt is a new
request. Ids are ASCII and at most 64 characters, which every provider accepts.

Results are checked as the real-time backend checks an answer (``choices`` present, ``finish_reason``
``stop``, text not empty, no longer than its request allows, no key in it), because the SDK does not
validate what it downloads either; what the provider says about a failed line is redacted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ...errors import InputError
from ...keys import redact
from ..base import BackendError, ChatRequest, Completion, Usage
from .dialects import Dialect


def _digest(text: str, n: int) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


def prompt_digest(prompt_versions: Sequence[str], model: str, request: ChatRequest) -> str:
    """The prompt's version as it decides an answer: the prompt files' versions (system and section),
    the model and the parameters."""
    payload = json.dumps([list(prompt_versions), model, request.params()], sort_keys=True)
    return _digest(payload, 10)


def custom_id(agency: str, section: str, data_digest: str, prompt: str, attempt: int) -> str:
    """``a1b2c3d4-overview-d0123456789ab-p0123456789-1``: agency, section, data, prompt, attempt."""
    data = data_digest.removeprefix("sha256:")[:12]
    return f"a{_digest(agency, 8)}-{section}-d{data}-p{prompt}-{attempt}"


def line_body(dialect: Dialect, model: str, request: ChatRequest) -> dict[str, Any]:
    """The chat request as the provider's batch wants it in ``body``."""
    body: dict[str, Any] = {
        "model": model,
        "messages": [{"role": m.role, "content": m.content} for m in request.messages],
        # max_tokens, not max_completion_tokens: the compatible servers know only this one.
        "max_tokens": request.max_tokens,
    }
    if not dialect.fixed_sampling:
        body["temperature"] = request.temperature
    return body


def encode_line(dialect: Dialect, custom_id: str, body: dict[str, Any]) -> bytes:
    line = {"custom_id": custom_id, "method": "POST", "url": dialect.line_url, "body": body}
    return json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def plan_shards(sizes: Sequence[int], dialect: Dialect, where: Sequence[str] = ()) -> list[range]:
    """Consecutive groups of lines (by index) that each fit the provider's limits per file: at most
    ``max_requests`` lines and ``max_bytes`` bytes. ``where`` names each line for a message."""
    if dialect.max_line_bytes is not None:
        limit = min(dialect.max_line_bytes, dialect.max_bytes)
    else:
        limit = dialect.max_bytes
    out: list[range] = []
    start, size = 0, 0
    for i, n in enumerate(sizes):
        if n > limit:
            name = where[i] if i < len(where) else f"第 {i + 1} 个请求"
            raise InputError(
                f"{name} 的请求有 {n / 1024 / 1024:.1f} MB，超过{dialect.label}批量接口每行 {limit // 1024 // 1024} MB 的上限。",
                hint="请精简该机关数据文件中的 facts 素材后重新提交。",
            )
        if i > start and (i - start >= dialect.max_requests or size + n > dialect.max_bytes):
            out.append(range(start, i))
            start, size = i, 0
        size += n
    if start < len(sizes):
        out.append(range(start, len(sizes)))
    return out


# --- results ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineResult:
    """One line of an output or error file: an answer, or why there is none."""

    custom_id: str
    completion: Completion | None = None
    error: BackendError | None = None
    expired: bool = False  # not answered before the batch ended (expired or cancelled)


def _usage(raw: Any) -> Usage | None:
    if not isinstance(raw, dict):
        return None
    try:
        return Usage(int(raw.get("prompt_tokens") or 0), int(raw.get("completion_tokens") or 0))
    except (TypeError, ValueError):
        return None


def _estimate(text: str) -> Usage:
    return Usage(0, len(text), estimated=True)


def max_chars_of(body: dict[str, Any]) -> int:
    """The longest answer worth reading for a request line's body (``ChatRequest.max_chars``)."""
    try:
        max_tokens = int(body.get("max_tokens") or ChatRequest(()).max_tokens)
    except (TypeError, ValueError):
        max_tokens = ChatRequest(()).max_tokens
    return ChatRequest((), max_tokens=max_tokens).max_chars


def read_completion(body: Any, max_chars: int | None = None, secrets: Sequence[str] = ()) -> Completion:
    """A chat completion from a result line's body, checked as a real-time answer is."""
    if not isinstance(body, dict) or not isinstance(body.get("choices"), list) or not body["choices"]:
        raise BackendError("批量结果中的回答不完整：缺少 choices。", kind="invalid_response")
    choice = body["choices"][0]
    message = choice.get("message") if isinstance(choice, dict) else None
    content = message.get("content") if isinstance(message, dict) else None
    text = content if isinstance(content, str) else ""
    finish = choice.get("finish_reason") if isinstance(choice, dict) else None
    if finish == "length":
        raise BackendError(
            "模型的回答达到长度上限被截断（finish_reason=length），内容不完整。", kind="truncated"
        )
    if finish == "content_filter":
        raise BackendError(
            "模型的回答被服务商的内容审核拦截（finish_reason=content_filter）。", kind="filtered"
        )
    if finish != "stop":
        raise BackendError(
            f"批量结果中的回答不完整：finish_reason 为 {finish!r}，不是 stop。", kind="invalid_response"
        )
    if not text.strip():
        raise BackendError("模型返回了空的回答。", kind="empty")
    if max_chars is not None and len(text) > max_chars:
        raise BackendError(
            f"批量结果中的回答超过了本节的长度上限（{max_chars} 字），已丢弃。",
            kind="too_long",
            hint="模型没有遵守长度限制：可换用其他模型，或在提示词中要求写得更简洁。",
        )
    if redact(text, secrets) != text:
        # A server that echoes the request, or a model that repeats a key it saw: such an answer
        # must reach no ledger, draft or cache. Asking again gets the same answer.
        raise BackendError(
            "批量结果中的回答有一段像是密钥的字符，已丢弃，不会写入批量任务记录、草稿或缓存。",
            kind="invalid_response",
            retryable=False,
            hint="接口可能把请求原样送回（代理或测试服务），请检查接口地址（--base-url）。",
        )
    usage = _usage(body.get("usage")) or _estimate(text)
    return Completion(text=text, finish_reason="stop", usage=usage, model=str(body.get("model") or ""))


_EXPIRED_CODES = {"batch_expired", "batch_cancelled", "expired", "cancelled"}


def _error_text(raw: Any) -> tuple[str, str]:
    """(code, message) of an error object, whatever its nesting (``{"error": {...}}`` or flat)."""
    if isinstance(raw, dict) and isinstance(raw.get("error"), dict):
        raw = raw["error"]
    if not isinstance(raw, dict):
        return "", str(raw or "")
    return str(raw.get("code") or raw.get("type") or ""), str(raw.get("message") or "")


def _line_error(status: int | None, code: str, message: str, secrets: Sequence[str] = ()) -> BackendError:
    said = redact(" ".join(message.split()), secrets)[:200]
    note = f"（服务商说明：{said}）" if said else ""
    if code in _EXPIRED_CODES:
        return BackendError(f"批量任务结束时该请求尚未处理{note}。", kind="timeout")
    if status == 429 or code in {"rate_limit_exceeded", "rate_limit"}:
        return BackendError(f"该请求被服务商限流（HTTP 429）{note}。", kind="rate_limit")
    if status is not None and status >= 500:
        return BackendError(f"服务商处理该请求时出错（HTTP {status}）{note}。", kind="server")
    where = f"HTTP {status}" if status else (code or "未知原因")
    # A line the provider refused (400, a bad parameter …) fails again if resent as it is.
    return BackendError(f"服务商拒绝了该请求（{where}）{note}。", kind="invalid_response", retryable=False)


def read_line(
    raw: dict[str, Any], max_chars: int | None = None, secrets: Sequence[str] = ()
) -> LineResult | None:
    """One result line; None when it names no request (a line we cannot attribute is ignored)."""
    cid = raw.get("custom_id")
    if not isinstance(cid, str) or not cid:
        return None
    response = raw.get("response")
    status = response.get("status_code") if isinstance(response, dict) else None
    status = status if isinstance(status, int) else None
    if raw.get("error"):
        code, message = _error_text(raw["error"])
        error = _line_error(status, code, message, secrets)
        return LineResult(cid, error=error, expired=code in _EXPIRED_CODES)
    if not isinstance(response, dict):
        return LineResult(cid, error=BackendError("批量结果中该请求没有回答。", kind="invalid_response"))
    body = response.get("body")
    if status is not None and status != 200:
        code, message = _error_text(body)
        return LineResult(cid, error=_line_error(status, code, message, secrets))
    try:
        return LineResult(cid, completion=read_completion(body, max_chars, secrets))
    except BackendError as exc:
        return LineResult(cid, error=exc)


def read_results(
    content: bytes, max_chars: Mapping[str, int] | None = None, secrets: Sequence[str] = ()
) -> list[LineResult]:
    """Every attributable line of an output or error file; garbled lines are skipped (their requests
    count as unanswered and are sent again). ``max_chars`` bounds each request's answer by its
    custom id; ``secrets`` are redacted from what the provider says and refused in answers."""
    out = []
    for line in content.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError:
            continue
        limit = (max_chars or {}).get(str(raw.get("custom_id"))) if isinstance(raw, dict) else None
        if isinstance(raw, dict) and (result := read_line(raw, limit, secrets)) is not None:
            out.append(result)
    return out


def request_of(body: dict[str, Any]) -> Iterable[tuple[str, str]]:
    """The (role, content) pairs of a stored line body, for rebuilding a request."""
    for m in body.get("messages") or []:
        yield str(m.get("role")), str(m.get("content"))
