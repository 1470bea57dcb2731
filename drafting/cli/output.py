"""Terminal output: one place that knows how to show our errors and issues to a person."""

from __future__ import annotations

from collections.abc import Iterable

import click

from ..errors import DataError, DraftingError, Issue


def print_issues(issues: Iterable[Issue]) -> None:
    for issue in issues:
        colour = "red" if issue.is_error else "yellow"
        click.secho("  " + issue.render(), fg=colour, err=True)


def print_error(exc: DraftingError) -> None:
    click.secho(exc.message, fg="red", bold=True, err=True)
    if isinstance(exc, DataError):
        print_issues([i for i in exc.issues if i.is_error])
        print_issues([i for i in exc.issues if not i.is_error])
    if exc.hint:
        click.echo(exc.hint, err=True)


# click's own words for a wrong command line, in Chinese: the type names click gives its values.
_TYPES = {
    "integer": "应为整数",
    "float": "应为数字",
    "boolean": "应为 true 或 false",
    "choice": "不在可选的值中",
}


def print_usage_error(exc: click.UsageError) -> None:
    """A wrong option or argument, said in Chinese, with how to see the command's help."""
    message = _usage_message(exc)
    click.secho(message, fg="red", bold=True, err=True)
    ctx = exc.ctx
    if ctx is not None:
        usage = ctx.get_usage().removeprefix("Usage:").strip()
        click.echo(f"用法：{usage}\n查看说明：{ctx.command_path} -h", err=True)


def _usage_message(exc: click.UsageError) -> str:
    if isinstance(exc, click.NoSuchOption):
        close = f"是不是 {'、'.join(sorted(exc.possibilities))}？" if exc.possibilities else ""
        return f"没有 {exc.option_name} 这个选项。{close}"
    if isinstance(exc, click.BadOptionUsage):
        return f"选项 {exc.option_name} 的用法有误：它后面要跟一个值。"
    if isinstance(exc, click.MissingParameter):
        return f"缺少{_name(exc.param)}。"
    if isinstance(exc, click.BadParameter):
        param = exc.param
        kind = getattr(param, "type", None)
        why = _TYPES.get(getattr(kind, "name", ""), "无效")
        if isinstance(kind, click.Choice):
            why += "（可选：" + "、".join(map(str, kind.choices)) + "）"
        return f"{_name(param)} 的值{why}。"
    if "No such command" in exc.message:
        return "没有这个子命令。"
    if "extra argument" in exc.message:
        return "命令行中有多余的参数。"
    return "命令行的用法有误。"


def _name(param: click.Parameter | None) -> str:
    if isinstance(param, click.Option):
        return f"选项 {param.opts[-1]}"
    if param is not None:
        return f"参数 {param.human_readable_name}"
    return "参数"
