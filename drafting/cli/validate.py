"""drafting validate DATA…"""

from __future__ import annotations

from pathlib import Path

import click

from ._options import path_argument, path_option
from .output import print_error, print_issues


@click.command("validate")
@path_argument("data", nargs=-1, required=True)
@path_option("--previous", help="上年数据文件，用于核对上年结转。")
@click.pass_context
def command(ctx: click.Context, data: tuple[Path, ...], previous: Path | None) -> None:
    """校验数据文件：勾稽关系、必填项、数值。有错误时退出码为 1，文件无法读取时为 2。"""
    from ..data import load_data
    from ..errors import DraftingError

    worst = 0
    for path in data:
        try:
            loaded = load_data(path, previous=previous)
        except DraftingError as exc:
            print_error(exc)
            worst = max(worst, exc.exit_code)
            continue
        from ..facts import fact_issues

        warnings = [*loaded.warnings, *fact_issues(loaded)]
        note = f"（{len(warnings)} 条提示）" if warnings else ""
        click.secho(f"{path}：数据有效{note}", fg="green")
        print_issues(warnings)
    ctx.exit(worst)
