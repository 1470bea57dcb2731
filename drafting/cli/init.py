"""drafting init --agency NAME --year YYYY [--xlsx]"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..data.model import ReportData


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
    help="上年数据文件或上年草稿（.draft.json）：复制机关信息，结转下年度数转为上年结转，"
    "上年的存在问题和改进措施记入 previous，供本年说明整改落实情况。",
)
@click.option("--xlsx", is_flag=True, help="生成 Excel 工作簿（按官方表格排版，锁定标签、只留填写格）。")
@click.option("--force", is_flag=True, help="覆盖已存在的文件。")
def command(
    agency: str | None, year: int | None, output: Path | None, last: Path | None, xlsx: bool, force: bool
) -> None:
    """生成一份完整的数据文件模板：所有数字为 0，每项附中文说明（--xlsx 生成 Excel 工作簿）。"""
    from ..data.template import new_data_file

    source: Path | ReportData | None = last
    if last is not None and last.name.lower().endswith(".draft.json"):
        from ..document import load_draft

        source = load_draft(last).report_data()  # the data the draft was written from
    written = new_data_file(output, agency=agency, year=year, last=source, xlsx=xlsx, force=force)
    click.secho(f"已生成数据文件：{written}", fg="green")
    what = "在白色格子中填好数字" if written.suffix.lower() == ".xlsx" else "填好数字"
    click.echo(f"下一步：{what}后运行 drafting validate {written}，再运行 drafting draft {written}")
