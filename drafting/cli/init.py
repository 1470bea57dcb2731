"""drafting init --agency NAME --year YYYY [--xlsx]"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("init")
@click.option("--agency", help="机关全称，如 XX市XX局。使用 --from 时可省略。")
@click.option("--year", type=int, help="报告年度，如 2025。使用 --from 时默认为上年加一。")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="输出文件（默认 report-<年度>.yaml，或 .xlsx）。"
)
@click.option(
    "--from",
    "last",
    type=click.Path(path_type=Path),
    help="上年数据文件：复制机关信息，结转下年度数转为上年结转。",
)
@click.option("--xlsx", is_flag=True, help="生成 Excel 工作簿（按官方表格排版，锁定标签、只留填写格）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
def command(
    agency: str | None, year: int | None, output: Path | None, last: Path | None, xlsx: bool, force: bool
) -> None:
    """生成一份完整的数据文件模板：所有数字为 0，每项附中文说明（--xlsx 生成 Excel 工作簿）。"""
    from ..data import load_data
    from ..data.template import template_yaml
    from ..errors import InputError
    from ..files import atomic_write

    previous = load_data(last).data if last else None
    if previous is not None:
        agency = agency or previous.agency.name
        if year is None:
            year = previous.year + 1
        elif year != previous.year + 1:
            raise InputError(
                f"--from 给出的是 {previous.year} 年的数据，报告年度应为 {previous.year + 1}，而不是 {year}。",
                hint="请去掉 --year，或换用上一年度的数据文件。",
            )
    if not agency or year is None:
        raise InputError(
            "请用 --agency 给出机关全称、用 --year 给出报告年度。",
            hint="例如：drafting init --agency XX市XX局 --year 2025",
        )
    if output is not None and output.suffix.lower() == ".xlsx":
        xlsx = True
    elif output is not None and xlsx:
        raise InputError(
            f"--xlsx 生成的是 Excel 工作簿，输出文件应以 .xlsx 结尾，而不是“{output.name}”。",
            hint=f"例如：-o {output.with_suffix('.xlsx')}",
        )
    output = output or Path(f"report-{year}.{'xlsx' if xlsx else 'yaml'}")
    if output.is_dir():
        raise InputError(f"{output} 是一个文件夹。", hint="请用 -o 给出文件名，如 -o 2025.yaml。")
    if output.exists() and not force:
        raise InputError(
            f"{output} 已存在，未做改动。", hint="如确需覆盖，请加 --force；或用 -o 指定另一个文件名。"
        )
    output.parent.mkdir(parents=True, exist_ok=True)  # -o drafts/2025.yaml into a new folder
    if xlsx:
        from ..data.excel import template_workbook

        atomic_write(output, template_workbook(agency, year, previous))
    else:
        atomic_write(output, template_yaml(agency, year, previous))
    click.secho(f"已生成数据文件：{output}", fg="green")
    what = "在白色格子中填好数字" if xlsx else "填好数字"
    click.echo(f"下一步：{what}后运行 drafting validate {output}，再运行 drafting draft {output}")
