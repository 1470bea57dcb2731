"""Settings: which model, how patient to be, and where our files go.

Each setting comes from the first of: a command-line flag, an environment variable ``DRAFTING_<NAME>``,
the config file (``config.toml`` in ``$DRAFTING_HOME`` or the user's config folder), the default.
The key itself is never a setting: settings name the environment variable that holds it, so no
file, cache or message of ours can carry it.

The model is named with one string (``offline``, the default, or a spec that ``backends`` resolves:
presets and endpoints live in ``backends/endpoints.py``). Light imports only: the offline path
reads this.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import InputError, explain, os_reason

ENV_PREFIX = "DRAFTING_"
OFFLINE = "offline"  # the default model: the offline rules, no model endpoint
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
    # Longest wait for the next piece of a streamed answer (the first one included). Keep-alive
    # comments are not a piece: a server that sends only those is stalled, not slow.
    stall_timeout: float = Field(60.0, gt=0)
    max_attempts: int = Field(4, ge=1, le=20)  # HTTP attempts per request, the first included
    deadline: float = Field(300.0, gt=0)  # for one request, every retry and wait included
    draft_deadline: float = Field(600.0, gt=0)  # for one draft: every section, re-ask and retry
    cache_max_mb: float = Field(200.0, gt=0)  # the response cache's size; least recently used go first
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
    "stall_timeout": "等待回答的下一段文字的最长时间（秒）",
    "deadline": "每个请求的总时限（秒）",
    "draft_deadline": "每份草稿的总时限（秒）",
    "cache_max_mb": "响应缓存的大小上限（MB）",
    "rpm": "每分钟请求数上限",
    "tpm": "每分钟 tokens 上限",
    "rate_window": "请求配额的计数时长（秒）",
}

# Settings that name a variable, a URL or a model: a key pasted into one of them is refused, and
# not repeated in the message.
_NAMING = {
    "model": "起草方式或模型名（如 deepseek、openai:qwen-plus）",
    "base_url": "接口地址（如 https://api.deepseek.com/v1）",
    "api_key_env": "保存密钥的环境变量的名字（如 DEEPSEEK_API_KEY）",
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
    import tomllib  # only when there is a file: most runs have none

    try:
        values = tomllib.loads(text)
    except RecursionError:  # tomllib recurses into nested arrays and tables
        raise InputError(
            f"配置文件 {path} 嵌套过深，无法读取。", hint='配置文件每行一项，如 model = "deepseek"。'
        ) from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib says where in English ("… (at line 3, column 5)"): keep the place, say it in Chinese.
        at = re.search(r"line (\d+), column (\d+)", str(exc))
        where = f"第{at.group(1)}行第{at.group(2)}列" if at else ""
        raise InputError(
            f"配置文件 {path} {where}格式错误。",
            hint='配置文件是 TOML 格式，每行一项，如 model = "deepseek"。',
        ) from None
    unknown = sorted(set(values) - set(Settings.model_fields))
    if unknown:
        from .keys import redact

        raise InputError(
            f"配置文件 {path} 中有不认识的设置项：{redact('、'.join(unknown))}。",
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
    from .keys import looks_like_key, redact

    for name, expected in _NAMING.items():
        value = merged.get(name)
        if isinstance(value, str) and looks_like_key(value):
            raise InputError(
                f"设置项 {name}（{SETTING_LABELS.get(name, name)}）的值像是一个密钥：这里应填写{expected}，"
                "不是密钥本身。为免泄露，这里不显示该值。",
                hint=(
                    f"该值来自{origin.get(name, '')}，请改正。密钥只放在环境变量里（如 export DEEPSEEK_API_KEY=您的密钥），"
                    "用 --api-key-env 或 api_key_env 写该变量的名字。"
                ),
            )
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else ""
        where = origin.get(name, "")
        label = SETTING_LABELS.get(name, name)
        shown = redact(repr(merged.get(name)))[:80]
        raise InputError(
            f"设置项 {name}（{label}）的值 {shown} 无效：{redact(explain(first)[0])}。",
            hint=f"该值来自{where}；请改为有效的值，或删除该设置使用默认值。",
        ) from None
