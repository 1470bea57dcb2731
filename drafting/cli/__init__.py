"""The ``drafting`` command: thin commands over the library, and the one error boundary.

Heavy libraries are imported inside the commands so that start-up stays light.
"""

from __future__ import annotations

import importlib
import keyword
import os
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import DraftingError, InputError

INTERNAL_ERROR = 3


class Commands(click.Group):
    """Each module of this package (but the terminal helpers in ``_NOT_COMMANDS``) holds one command named after the file
    (``import_.py`` → ``import``). Modules are imported only when their command runs, so start-up
    stays light and adding a command touches no shared file."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        here = Path(__file__).parent
        names = (
            p.stem for p in here.glob("*.py") if not p.stem.startswith("_") and p.stem not in _NOT_COMMANDS
        )
        return sorted(n.rstrip("_") for n in names)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """A wrong option before the command's name (``drafting --nosuch``), in Chinese too."""
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            from .output import print_usage_error

            print_usage_error(exc)
            ctx.exit(exc.exit_code)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            known = self.list_commands(ctx)
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            raise InputError(
                f"没有“{name}”这个命令。" + (f"是不是“{close[0]}”？" if close else ""),
                hint=f"可用的命令：{'、'.join(known)}；用 drafting -h 查看说明。",
            )
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.list_commands(ctx):
            return None
        module_name = cmd_name + "_" if keyword.iskeyword(cmd_name) else cmd_name
        module = importlib.import_module(f"{__name__}.{module_name}")
        command: click.Command = module.command
        return command

    def invoke(self, ctx: click.Context) -> Any:
        """The one error boundary: our errors become a Chinese message and an exit code."""
        from .output import print_error

        try:
            return super().invoke(ctx)
        except DraftingError as exc:
            print_error(exc)
            ctx.exit(exc.exit_code)
        except click.UsageError as exc:  # a wrong option or argument: click would say it in English
            from .output import print_usage_error

            print_usage_error(exc)
            ctx.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("已中断。已完成的文件保持完整。", err=True)
            ctx.exit(130)
        except Exception as exc:  # the last resort: a bug of ours, reported without a traceback
            if os.environ.get("DRAFTING_DEBUG"):
                raise
            click.echo(
                f"内部错误：{type(exc).__name__}: {exc}\n"
                "这是本工具的问题，不是您的数据的问题。设置环境变量 DRAFTING_DEBUG=1 后重试可看到详细信息，请一并反馈。",
                err=True,
            )
            ctx.exit(INTERNAL_ERROR)


# Modules of the terminal front end that are not commands themselves.
_NOT_COMMANDS = {"output", "diffs", "eval_summary", "revise_tui"}


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="drafting", prog_name="drafting")
def cli() -> None:
    """政府信息公开工作年度报告：从数据文件生成初稿、校验数据。"""


def main() -> None:
    if not os.environ.get("DRAFTING_DEBUG"):
        import warnings

        # Libraries warn in English (bs4 on a page that declares XML, openpyxl on an extension it
        # drops, PDFium on a form it cannot load) about nothing a user could act on; our own
        # messages are never warnings. DRAFTING_DEBUG=1 shows them again.
        warnings.simplefilter("ignore")
    cli(prog_name="drafting")
    sys.exit(0)
