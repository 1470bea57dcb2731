"""Options that several commands share, declared once (``drafting draft``, ``revise``, ``eval``).

A group of options reaches its commands as one value (``Output``, ``ModelFlags``), not as a
parameter each: the names of a group are then written here only, not again in every command's
signature and every call it makes with them."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypedDict, TypeVar, cast

import click

F = TypeVar("F", bound=Callable[..., object])


def packed(into: str, pack: Callable[..., object], *names: str) -> Callable[[F], F]:
    """A decorator for a command: its parameters ``names`` (options declared for it) are given to
    ``pack``, and what that returns is given to the command as the one parameter ``into``. Applied
    before the options are declared (below them), so that click's list of them is kept."""
    return _packing(into, pack, lambda given: names)


def packed_fields(into: str, load: Callable[[], type[Any]]) -> Callable[[F], F]:
    """As ``packed``, for the parameters named as a field of the dataclass ``load`` returns (loaded
    when the command runs, not when the CLI starts): a command whose options are the fields of one
    options object (``drafting eval`` → ``EvalOptions``, ``drafting revise`` → ``RevisionRequest``)
    names them once, in its declarations."""

    def construct(**given: Any) -> object:
        return load()(**given)

    def which(given: dict[str, Any]) -> tuple[str, ...]:
        names = {f.name for f in dataclasses.fields(load())}
        return tuple(name for name in given if name in names)

    return _packing(into, construct, which)


def flag_options(*rows: tuple[str, str]) -> Callable[[F], F]:
    """On/off options (``is_flag``), one row ``(name, help)`` each, in the order ``--help`` lists them."""

    def decorate(f: F) -> F:
        for name, text in reversed(rows):
            f = click.option(name, is_flag=True, help=text)(f)
        return f

    return decorate


def _packing(
    into: str, pack: Callable[..., object], which: Callable[[dict[str, Any]], tuple[str, ...]]
) -> Callable[[F], F]:
    def decorate(f: F) -> F:
        @functools.wraps(f)
        def command(*args: Any, **kwargs: Any) -> object:
            kwargs[into] = pack(**{name: kwargs.pop(name) for name in which(kwargs)})
            return f(*args, **kwargs)

        return cast(F, command)

    return decorate


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


def path_option(*names: str, **kwargs: Any) -> Callable[[F], F]:
    """An option naming a file or folder, given to the command as a ``Path`` (``kwargs`` as for
    ``click.option``): whether it must exist is the command's to say, in Chinese."""
    return click.option(*names, type=click.Path(path_type=Path), **kwargs)


def path_argument(name: str, **kwargs: Any) -> Callable[[F], F]:
    """An argument naming a file or folder, as ``path_option``."""
    return click.argument(name, type=click.Path(path_type=Path), **kwargs)


def model_option(*names: str, lead: str = "起草方式：", **kwargs: Any) -> Callable[[F], F]:
    """``--model`` (``lead`` opens its help; ``kwargs`` as for ``click.option``)."""
    return click.option(*(names or ("--model",)), cls=ModelOption, lead=lead, **kwargs)


@dataclasses.dataclass(frozen=True)
class Output:
    """Where drafts go (``-o/--output-dir``), in which formats (``--format``, checked), and last
    year's data (``--previous``)."""

    dir: Path
    formats: tuple[str, ...]
    previous: Path | None = None


def _output(output_dir: Path, formats: str, previous: Path | None) -> Output:
    return Output(output_dir, parse_formats(formats), previous)


def output_options(f: F) -> F:
    """``-o/--output-dir``, ``--format`` and ``--previous``, given to the command as ``output``
    (``Output``; an unknown format is refused before the command runs): ``drafting draft``,
    ``drafting batch submit``."""
    from ..writers import DEFAULT_FORMATS

    f = packed("output", _output, "output_dir", "formats", "previous")(f)
    f = click.option(
        "--previous", type=click.Path(path_type=Path), help="上年数据文件，用于结转核对和同比表述。"
    )(f)
    f = click.option(
        "--format",
        "formats",
        default=",".join(DEFAULT_FORMATS),
        show_default=True,
        help="输出格式，逗号分隔。",
    )(f)
    return click.option(
        "-o",
        "--output-dir",
        type=click.Path(path_type=Path),
        default=Path("drafts"),
        show_default=True,
        help="输出目录。",
    )(f)


def parse_formats(value: str) -> tuple[str, ...]:
    """``md,docx`` → ("md", "docx"), each a format we write; an unknown one is named."""
    from ..errors import InputError
    from ..writers import FORMATS

    formats = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise InputError(
            f"不支持的输出格式：{'、'.join(unknown) or '（空）'}。", hint=f"可用的格式：{','.join(FORMATS)}。"
        )
    return formats


class ModelFlags(TypedDict):
    """``--model``, ``--base-url`` and ``--api-key-env`` as given (None: not given), named as
    ``load_settings`` and ``ServerOptions`` take them: ``load_settings(**flags)``."""

    model: str | None
    base_url: str | None
    api_key_env: str | None


def _model_flags(model: str | None, base_url: str | None, api_key_env: str | None) -> ModelFlags:
    return ModelFlags(model=model, base_url=base_url, api_key_env=api_key_env)


def model_options(f: F) -> F:
    """``--model``, ``--base-url`` and ``--api-key-env``: which model endpoint, and which variable
    holds its key; given to the command as ``model_flags`` (``ModelFlags``)."""
    f = packed("model_flags", _model_flags, "model", "base_url", "api_key_env")(f)
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
