"""The ``drafting`` command: thin commands over the library, and the one error boundary.

Heavy libraries are imported inside the commands so that start-up stays light.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from ..errors import DraftingError

INTERNAL_ERROR = 3


class Boundary(click.Group):
    """Turns our errors into a Chinese message and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from .output import print_error

        try:
            return super().invoke(ctx)
        except DraftingError as exc:
            print_error(exc)
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


@click.group(cls=Boundary, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="drafting", prog_name="drafting")
def cli() -> None:
    """政府信息公开工作年度报告：从数据文件生成初稿、校验数据。"""


from . import draft, init, validate  # noqa: E402  (commands register themselves on cli)

__all__ = ["cli", "draft", "init", "main", "validate"]


def main() -> None:
    cli(prog_name="drafting")
    sys.exit(0)
