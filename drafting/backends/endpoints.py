"""Model specs, presets and endpoints: where a named chat model lives and which variable holds its key.

A model is named with one string: ``offline`` (the default), ``openai:<model>`` for any
OpenAI-compatible server, a preset (``deepseek``, ``qwen:qwen-max``, ``ollama:qwen2.5:7b`` …) that
supplies the base URL and the key's variable, or ``replay:<file>`` (written answers). This module
turns a chat spec and the settings into an :class:`Endpoint`; ``resolve.py`` tells the kinds apart.
Light imports only: the offline path reads the constants.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from ..config import OFFLINE, Settings, load_settings
from ..errors import InputError
from ..keys import redact


@dataclass(frozen=True)
class Preset:
    base_url: str
    key_env: str
    default_model: str | None  # None: the user must name the model
    key_required: bool = True  # local servers usually accept any key
    # Quotas depend on the account's tier, so no preset assumes one; settings (rpm, tpm) give them.
    rpm: int | None = None
    tpm: int | None = None


PRESETS: dict[str, Preset] = {
    "openai": Preset("https://api.openai.com/v1", "OPENAI_API_KEY", None),
    "deepseek": Preset("https://api.deepseek.com/v1", "DEEPSEEK_API_KEY", "deepseek-chat"),
    "qwen": Preset("https://dashscope.aliyuncs.com/compatible-mode/v1", "DASHSCOPE_API_KEY", "qwen-plus"),
    "glm": Preset("https://open.bigmodel.cn/api/paas/v4", "ZHIPUAI_API_KEY", "glm-4-plus"),
    "kimi": Preset("https://api.moonshot.cn/v1", "MOONSHOT_API_KEY", "moonshot-v1-32k"),
    "ollama": Preset("http://127.0.0.1:11434/v1", "OLLAMA_API_KEY", None, key_required=False),
    "vllm": Preset("http://127.0.0.1:8000/v1", "VLLM_API_KEY", None, key_required=False),
}

REPLAY_PREFIX = "replay:"

# Every way to name a model, for option help and for the hint of a message about a bad spec.
MODEL_HELP = (
    f"{OFFLINE}（离线规则，默认）；openai:<模型名>（任何兼容 OpenAI 的接口，配合 --base-url）；"
    f"预设 {'、'.join(p for p in PRESETS if p != 'openai')}（可写作 预设:<模型名>，如 qwen:qwen-max）；"
    f"{REPLAY_PREFIX}<回放文件>（写好的回答，用于评测和演示）"
)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    deadline: float = 300.0
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    max_retry_after: float = 60.0


@dataclass(frozen=True)
class Endpoint:
    """A resolved model endpoint. It names the key's variable and never holds the key."""

    provider: str  # openai, deepseek, …
    model: str  # the provider's model name
    base_url: str
    api_key_env: str
    key_required: bool = True
    stream: bool = True
    timeout: float = 120.0
    connect_timeout: float = 10.0
    stall_timeout: float = 60.0  # a stream with no piece of the answer for this long has stalled
    retry: RetryPolicy = RetryPolicy()
    rpm: int | None = None  # requests per ``rate_window`` seconds; None: no quota of ours
    tpm: int | None = None
    rate_window: float = 60.0

    @property
    def name(self) -> str:
        """What a draft records as its backend: ``openai:deepseek-chat``."""
        return f"{self.provider}:{self.model}"

    @property
    def display_url(self) -> str:
        """The base URL for messages: without user:password@ or a query that could carry a secret."""
        return display_url(self.base_url)

    def read_key(self) -> str:
        """The key from its environment variable; a Chinese error naming the variable if absent."""
        key = os.environ.get(self.api_key_env, "").strip()
        if key or not self.key_required:
            return key
        raise InputError(
            f"没有找到调用模型 {self.name} 所需的密钥：环境变量 {self.api_key_env} 未设置。",
            hint=(
                f"请先设置该环境变量（如 export {self.api_key_env}=您的密钥），"
                "或用 --api-key-env 指定保存密钥的环境变量名；不用模型时请使用 --model offline。"
            ),
        )


def display_url(url: str) -> str:
    """A URL for messages: no user:password@, no query, nothing shaped like a key (some proxies
    take the key in the path)."""
    url = re.sub(r"//[^/@]*@", "//", url)
    return redact(url.split("?", 1)[0])


_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_env_name(name: str) -> str:
    """``--api-key-env`` takes a variable's name. A pasted key is refused without repeating it."""
    name = name.strip()
    if not _ENV_NAME.fullmatch(name) or ("_" not in name and len(name) >= 20):
        raise InputError(
            "--api-key-env（或 DRAFTING_API_KEY_ENV）应填写保存密钥的环境变量的名字，而不是密钥本身。",
            hint="例如先 export DEEPSEEK_API_KEY=您的密钥，再用 --api-key-env DEEPSEEK_API_KEY。",
        )
    return name


def parse_spec(spec: str) -> tuple[str, str | None]:
    """``openai:qwen-plus`` → (openai, qwen-plus); ``deepseek`` → (deepseek, None);
    ``ollama:qwen2.5:7b`` → (ollama, qwen2.5:7b): only the first colon separates."""
    provider, sep, model = spec.strip().partition(":")
    provider = provider.strip().lower()
    if provider == OFFLINE:
        raise InputError(
            "离线起草（offline）不使用模型接口。", hint=f"使用模型时，--model 可以写作：{MODEL_HELP}。"
        )
    if provider not in PRESETS:
        raise InputError(f"不认识的起草方式“{redact(spec)}”。", hint=f"--model 可用的写法：{MODEL_HELP}。")
    model = model.strip()
    if sep and not model:
        raise InputError(
            f"起草方式“{redact(spec)}”缺少模型名。", hint=f"请写成 --model {provider}:<模型名>。"
        )
    return provider, model or None


def resolve_endpoint(spec: str | None = None, settings: Settings | None = None, **flags: Any) -> Endpoint:
    """The endpoint a spec names, with base URL and key variable from settings over the preset.
    ``OPENAI_BASE_URL`` is honoured for ``openai:`` as the SDK users expect, below our own settings."""
    if settings is None:
        settings = load_settings(model=spec, **flags)
    spec = spec or settings.model
    provider, model = parse_spec(spec)
    preset = PRESETS[provider]
    model = model or preset.default_model
    if model is None:
        raise InputError(
            f"起草方式“{redact(spec)}”需要写明模型名。",
            hint=f"例如 --model {provider}:<模型名>（模型名见服务商或本地服务的模型列表）。",
        )
    base_url = settings.base_url
    if base_url is None and provider == "openai":
        base_url = os.environ.get("OPENAI_BASE_URL") or None
    base_url = (base_url or preset.base_url).strip().rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise InputError(
            f"接口地址“{display_url(base_url)}”无效：应以 http:// 或 https:// 开头。",
            hint="例如 --base-url https://api.deepseek.com/v1。",
        )
    return Endpoint(
        provider=provider,
        model=model,
        base_url=base_url,
        api_key_env=check_env_name(settings.api_key_env) if settings.api_key_env else preset.key_env,
        key_required=preset.key_required,
        stream=settings.stream,
        timeout=settings.timeout,
        connect_timeout=settings.connect_timeout,
        stall_timeout=settings.stall_timeout,
        retry=RetryPolicy(
            max_attempts=settings.max_attempts,
            deadline=settings.deadline,
            backoff_initial=settings.backoff_initial,
            backoff_max=settings.backoff_max,
            max_retry_after=settings.max_retry_after,
        ),
        rpm=settings.rpm if settings.rpm is not None else preset.rpm,
        tpm=settings.tpm if settings.tpm is not None else preset.tpm,
        rate_window=settings.rate_window,
    )
