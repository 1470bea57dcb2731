"""Options that several commands share, declared once (``drafting draft``, ``drafting revise``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])

MODEL_HELP = (
    "起草方式：offline（离线，默认）；openai:<模型名>（任何兼容 OpenAI 的接口，配合 --base-url）；"
    "或预设 deepseek、qwen、glm、kimi、ollama、vllm（可写作 预设:<模型名>）。"
)


def model_options(f: F) -> F:
    """``--model``, ``--base-url`` and ``--api-key-env``: which model endpoint, and which variable holds its key."""
    f = click.option(
        "--api-key-env",
        default=None,
        help="保存密钥的环境变量名（默认取预设，如 DEEPSEEK_API_KEY、OPENAI_API_KEY）。",
    )(f)
    f = click.option(
        "--base-url",
        default=None,
        help="模型接口地址，如 http://127.0.0.1:8000/v1（默认取预设或 OPENAI_BASE_URL）。",
    )(f)
    return click.option("--model", default=None, help=MODEL_HELP)(f)
