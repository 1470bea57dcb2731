"""drafting import REPORT [-o data.yaml] [--format yaml|cells] [--force]"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ._options import path_argument, path_option
from .output import print_issues


@click.command("import")
@path_argument("report")
@path_option("-o", "--output", help="写出的数据文件（.yaml）；不给则打印到屏幕。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["yaml", "cells"]),
    default="yaml",
    show_default=True,
    help="yaml：数据文件；cells：以 JSON 打印读到的表格单元格。",
)
@click.option("--force", is_flag=True, help="覆盖已存在的文件；原表勾稽不平或有空白格时也照原样写出。")
@click.pass_context
def command(ctx: click.Context, report: Path, output: Path | None, fmt: str, force: bool) -> None:
    """从已发布的年度报告（.txt/.md/.html/.docx/.pdf 或草稿）读取表格，生成数据文件。

    原报告的表格不满足勾稽关系或有空白格时，列出问题并以退出码 1 结束、不写文件；
    加 --force 则照原样写出（之后 drafting validate 会指出同样的问题）。"""
    from ..data.template import data_yaml
    from ..errors import InputError
    from ..files import atomic_write
    from ..reading import read_report
    from ..reading.to_data import imported

    document = read_report(report)
    if fmt == "cells":
        cells = document.cells()
        if not any(cells.values()):
            raise InputError(
                f"{report}：未能读出表格（表二、表三、表四都没有读到数字），没有可导出的单元格。",
                hint="请确认文件中的表格是文字而不是图片；网页请保存为 .html 后再试。",
            )
        # Cells the reader holds without confidence are listed beside the values, under "unsure" (a
        # value it could not tie to its row is null): never printed as if certain.
        unsure = document.unsure_cells()
        if unsure:
            cells["unsure"] = unsure
        click.echo(json.dumps(cells, ensure_ascii=False, indent=2))
        for note in document.notes:
            click.secho(f"提示［{note.rule}］{note.location}：{note.message}", fg="yellow", err=True)
        if unsure:
            click.secho(
                "注意：“unsure”中列出的单元格没有读准（null 表示未能确认），请对照原报告核对。",
                fg="yellow",
                err=True,
            )
        return
    result = imported(document)
    if output is not None and output.exists() and not force:
        raise InputError(
            f"{output} 已存在，未做改动。", hint="如确需覆盖，请加 --force；或用 -o 指定另一个文件名。"
        )
    for text in result.notes:
        click.secho(f"提示：{text}", fg="yellow", err=True)
    if not result.ok:
        if result.blanks:
            shown = "；".join(result.blanks[:8]) + ("等" if len(result.blanks) > 8 else "")
            click.secho(
                f"原报告有 {len(result.blanks)} 个空白、未读到或未能确认的单元格：{shown}", fg="red", err=True
            )
        print_issues([i for i in result.issues if i.is_error])
        if not force:
            click.secho(
                "原报告的表格不满足格式规则，未写出数据文件。请对照原报告核对；如需照原样导出再手工修改，请加 --force。",
                fg="red",
                err=True,
            )
            ctx.exit(1)
        click.secho(
            "已按 --force 照原样写出：空白格写为 0，不一致的总计保留为 total，请逐项核对。",
            fg="yellow",
            err=True,
        )
    notes = [*result.notes, *(f"已填 0，请按原报告核对：{b}" for b in result.blanks)]
    text = data_yaml(result.data, notes)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write(output, text)
        click.secho(f"已生成数据文件：{output}", fg="green", err=True)
        click.echo(f"下一步：对照原报告核对后运行 drafting validate {output}", err=True)
    ctx.exit(1 if not result.ok else 0)
