"""What each provider's batch API wants, as data: one ``Dialect`` per provider, no class per vendor.

All of them take the OpenAI shape — a JSONL file of ``{custom_id, method, url, body}`` lines uploaded
to ``<base_url>/files`` and a batch created at ``<base_url>/batches`` — and differ only in the URL each
line addresses, the upload purpose, the limits per file and a few quirks. The figures below are the
providers' own documentation as read in November 2026 (``source``); where a provider states no figure
we use the common one and say so.

DeepSeek and local servers (Ollama, vLLM's OpenAI server) have no batch API: asking for one is a
setting to change, refused with a message that names the alternative.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..base import BackendError

if TYPE_CHECKING:
    from ..endpoints import Endpoint

MB = 1024 * 1024


@dataclass(frozen=True)
class Dialect:
    """One provider's batch API. ``line_url`` goes in every JSONL line and, as ``endpoint``, in the
    create call."""

    provider: str  # the preset it belongs to (``qwen``, ``glm`` …), and its key in ``DIALECTS``
    label: str  # the provider's name, for messages
    line_url: str = "/v1/chat/completions"
    purpose: str = "batch"  # of the uploaded file
    max_requests: int = 50_000  # lines per file
    max_bytes: int = 100 * MB  # per file
    max_line_bytes: int | None = None
    one_model_per_file: bool = True
    completion_window: str = "24h"
    fixed_sampling: bool = False  # the batch model refuses temperature: it is left out of the body
    hosts: tuple[str, ...] = ()  # API hosts that speak this dialect, for ``openai:`` with --base-url
    source: str = ""  # where the figures come from
    test_models: tuple[str, ...] = ()  # free models that skip inference (whole-path tests)
    test_line_url: str = ""
    test_max_requests: int = 0
    test_max_bytes: int = 0

    @property
    def endpoint(self) -> str:
        """The create call's ``endpoint``: every provider so far names there the URL its lines address."""
        return self.line_url

    def for_model(self, model: str) -> Dialect:
        """The dialect for this model: a provider's free test model has its own URL and limits."""
        if model not in self.test_models:
            return self
        return dataclasses.replace(
            self,
            line_url=self.test_line_url,
            max_requests=self.test_max_requests,
            max_bytes=self.test_max_bytes,
        )


DIALECTS: dict[str, Dialect] = {
    d.provider: d
    for d in (
        Dialect(
            provider="openai",
            label="OpenAI",
            max_bytes=200 * MB,
            hosts=("api.openai.com",),
            source="platform.openai.com/docs/api-reference/batch (openai-python batches.create: 50,000 requests, 200 MB)",
        ),
        Dialect(
            provider="qwen",
            label="阿里云百炼（DashScope）",
            max_bytes=500 * MB,  # was 100 MB until 2025; the current page says 500 MB
            max_line_bytes=6 * MB,
            hosts=("dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com", "maas.aliyuncs.com"),
            source="help.aliyun.com/zh/model-studio/batch-interfaces-compatible-with-openai",
            test_models=("batch-test-model",),
            test_line_url="/v1/chat/ds-test",
            test_max_requests=100,
            test_max_bytes=1 * MB,
        ),
        Dialect(
            provider="glm",
            label="智谱（BigModel）",
            line_url="/v4/chat/completions",
            hosts=("open.bigmodel.cn",),
            source="docs.bigmodel.cn/cn/guide/tools/batch; docs.bigmodel.cn/api-reference 批处理 API、文件 API",
        ),
        Dialect(
            provider="kimi",
            label="月之暗面（Kimi）",
            # No request count is stated, only 100 MB per file; the common 50,000 is kept as a bound.
            fixed_sampling=True,  # "temperature, top_p … cannot be modified — do not include them"
            hosts=("api.moonshot.cn", "api.moonshot.ai"),
            source="platform.kimi.ai/docs/guide/use-batch-api; platform.kimi.ai/docs/api/batch-create",
        ),
    )
}

# Providers with no batch API, and what to do instead.
_NO_BATCH: dict[str, tuple[str, str]] = {
    "deepseek": (
        "DeepSeek 没有批量（Batch）接口，无法用 batch submit 提交。",
        "DeepSeek 的优惠方式是错峰计价：北京时间 9:00–12:00、14:00–18:00 以外的时段按半价计费"
        "（以 api-docs.deepseek.com 价格页为准）。可在这些时段用 drafting draft --model deepseek --jobs N "
        "实时起草；或改用有批量接口的 qwen、glm、kimi、openai。",
    ),
    "ollama": (
        "本地 Ollama 服务没有批量（Batch）接口。",
        "本地模型不按次计费，请直接用 drafting draft --model ollama:<模型名> --jobs N 实时起草。",
    ),
    "vllm": (
        "vLLM 的 OpenAI 兼容服务没有批量（Batch）接口。",
        "请直接用 drafting draft --model vllm:<模型名> --jobs N 实时起草。",
    ),
}


def _host(base_url: str) -> str:
    return (urlsplit(base_url).hostname or "").lower()


def dialect_for(endpoint: Endpoint) -> Dialect:
    """The batch dialect of an endpoint: its preset's, or for ``openai:`` with a provider's base URL,
    that provider's. A provider without a batch API is refused (``BackendError`` kind ``config``)."""
    provider = endpoint.provider
    if provider == "openai":
        host = _host(endpoint.base_url)
        for name, dialect in DIALECTS.items():
            if any(host == h or host.endswith("." + h) for h in dialect.hosts):
                provider = name
                break
        else:
            if host == "api.deepseek.com":
                provider = "deepseek"
    if provider in _NO_BATCH:
        message, hint = _NO_BATCH[provider]
        raise BackendError(message, kind="config", hint=hint)
    return DIALECTS[provider].for_model(endpoint.model)
