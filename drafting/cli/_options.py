"""Options that several commands share, declared once (``drafting draft``, ``revise``, ``eval``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


class ModelOption(click.Option):
    """``--model``, whose help lists every way to name a model (``backends.endpoints.MODEL_HELP``).

    The list is read when the help is shown, not when the CLI starts: the spec grammar lives with
    the backends, beside the settings, and loading those for every command would slow start-up."""

    def __init__(self, *args: Any, lead: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lead = lead

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        from ..backends.endpoints import MODEL_HELP

        self.help = f"{self.lead}{MODEL_HELP}。"
        return super().get_help_record(ctx)


def model_option(*names: str, lead: str = "起草方式：", **kwargs: Any) -> Callable[[F], F]:
    """``--model`` (``lead`` opens its help; ``kwargs`` as for ``click.option``)."""
    return click.option(*(names or ("--model",)), cls=ModelOption, lead=lead, **kwargs)


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
    return model_option(default=None)(f)
