"""Settings: which model, where it lives, how patient to be, and where our files go.

Each setting comes from the first of: a command-line flag, an environment variable ``DRAFTING_<NAME>``,
the config file (``config.toml`` in ``$DRAFTING_HOME`` or the user's config folder), the default.
The key itself is never a setting: settings name the environment variable that holds it, so no
file, cache or message of ours can carry it.

A model is named with one string: ``offline`` (the default), ``openai:<model>`` for any
OpenAI-compatible server, or a preset (``deepseek``, ``qwen:qwen-max``, ``ollama:qwen2.5:7b`` …)
that supplies the base URL and the key's variable. Light imports only: the offline path reads this.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InputError, os_reason

ENV_PREFIX = "DRAFTING_"
OFFLINE = "offline"
CONFIG_FILE = "config.toml"


# --- where our files live ----------------------------------------------------------------------


def home() -> Path | None:
    """``$DRAFTING_HOME``, which overrides every path of ours (config, cache), or None."""
    value = os.environ.get("DRAFTING_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    base = home()
    if base is not None:
        return base
    import platformdirs

    return platformdirs.user_config_path("drafting", appauthor=False)


def cache_dir() -> Path:
    base = home()
    if base is not None:
        return base / "cache"
    import platformdirs

    return platformdirs.user_cache_path("drafting", appauthor=False)


def data_dir() -> Path:
    """Where we keep what the author typed (the revision instructions' history)."""
    base = home()
    if base is not None:
        return base / "data"
    import platformdirs

    return platformdirs.user_data_path("drafting", appauthor=False)


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


# --- the settings ------------------------------------------------------------------------------


class Settings(BaseModel):
    """Every setting a run uses. Durations are seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = OFFLINE
    base_url: str | None = None
    api_key_env: str | None = None
    concurrency: int = Field(4, ge=1, le=64)  # requests of one draft at once
    jobs: int = Field(1, ge=1, le=64)  # drafts at once
    cache: bool = True
    stream: bool = True  # streamed answers: a slow model is not cut off by the read timeout
    timeout: float = Field(120.0, gt=0)  # longest silence while reading an answer
    connect_timeout: float = Field(10.0, gt=0)
    max_attempts: int = Field(4, ge=1, le=20)  # HTTP attempts per request, the first included
    deadline: float = Field(300.0, gt=0)  # for one request, every retry and wait included
    backoff_initial: float = Field(1.0, ge=0)
    backoff_max: float = Field(30.0, ge=0)
    max_retry_after: float = Field(60.0, ge=0)  # a longer Retry-After is not waited for
    rpm: int | None = Field(None, ge=1)  # requests per window (a minute) the endpoint allows; None: no quota
    tpm: int | None = Field(None, ge=1)  # tokens per window
    rate_window: float = Field(60.0, gt=0)  # the window rpm and tpm count over (1 for a per-second quota)


# Human names of the settings, for messages.
SETTING_LABELS = {
    "model": "起草方式/模型",
    "base_url": "接口地址",
    "api_key_env": "密钥环境变量名",
    "concurrency": "每份草稿的并发请求数",
    "jobs": "同时起草的文件数",
    "rpm": "每分钟请求数上限",
    "tpm": "每分钟 tokens 上限",
    "rate_window": "请求配额的计数时长（秒）",
}


def _env_values() -> dict[str, str]:
    out = {}
    for name in Settings.model_fields:
        value = os.environ.get(ENV_PREFIX + name.upper())
        if value is not None and value.strip():
            out[name] = value.strip()
    return out


def _file_values(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"无法读取配置文件 {path}：{os_reason(exc)}") from None
    try:
        values = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            f"配置文件 {path} 格式错误：{exc}。",
            hint='配置文件是 TOML 格式，每行一项，如 model = "deepseek"。',
        ) from None
    unknown = sorted(set(values) - set(Settings.model_fields))
    if unknown:
        raise InputError(
            f"配置文件 {path} 中有不认识的设置项：{'、'.join(unknown)}。",
            hint=f"可用的设置项：{'、'.join(Settings.model_fields)}。",
        )
    return values


def load_settings(**flags: Any) -> Settings:
    """Settings from flags (None = not given) over ``DRAFTING_*`` over the config file over defaults."""
    path = config_path()
    layers: list[tuple[str, dict[str, Any]]] = [
        (f"配置文件 {path}", _file_values(path)),
        (f"环境变量 {ENV_PREFIX}*", _env_values()),
        ("命令行选项", {k: v for k, v in flags.items() if v is not None}),
    ]
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for where, values in layers:
        merged.update(values)
        origin.update(dict.fromkeys(values, where))
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else ""
        where = origin.get(name, "")
        label = SETTING_LABELS.get(name, name)
        raise InputError(
            f"设置项 {name}（{label}）的值 {merged.get(name)!r} 无效：{first['msg']}。",
            hint=f"该值来自{where}；请改为有效的值，或删除该设置使用默认值。",
        ) from None


# --- model specs, presets and endpoints --------------------------------------------------------


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

MODEL_HELP = (
    "--model offline（离线，默认）、--model openai:<模型名>（任何兼容 OpenAI 的接口，配合 --base-url），"
    f"或预设：{'、'.join(p for p in PRESETS if p != 'openai')}（可写作 预设:<模型名>，如 qwen:qwen-max）"
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
    url = re.sub(r"//[^/@]*@", "//", url)
    return url.split("?", 1)[0]


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
        raise InputError("离线起草（offline）不使用模型接口。", hint=f"使用模型时：{MODEL_HELP}。")
    if provider not in PRESETS:
        raise InputError(f"不认识的起草方式“{spec}”。", hint=f"可用的写法：{MODEL_HELP}。")
    model = model.strip()
    if sep and not model:
        raise InputError(f"起草方式“{spec}”缺少模型名。", hint=f"请写成 --model {provider}:<模型名>。")
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
            f"起草方式“{spec}”需要写明模型名。",
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
