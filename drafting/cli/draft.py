"""drafting draft DATA… [-o DIR] [--format md,txt]"""

from __future__ import annotations

from pathlib import Path

import click

from .output import print_error, print_issues


def _formats(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in value.split(",") if f.strip()))


@click.command("draft")
@click.argument("data", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path),
    default=Path("drafts"),
    show_default=True,
    help="输出目录。",
)
@click.option("--format", "formats", default="md", show_default=True, help="输出格式，逗号分隔：md,txt。")
@click.option("--previous", type=click.Path(path_type=Path), help="上年数据文件，用于结转核对和同比表述。")
@click.option("--model", default="offline", show_default=True, help="起草方式：offline（离线，默认）。")
@click.pass_context
def command(
    ctx: click.Context,
    data: tuple[Path, ...],
    output_dir: Path,
    formats: str,
    previous: Path | None,
    model: str,
) -> None:
    """从数据文件生成年度报告初稿（<名称>.md 与 <名称>.draft.json）。"""
    from ..data import load_data
    from ..draft import count_markers, draft_report, write_draft
    from ..errors import DraftingError, InputError
    from ..writers import FORMATS

    if model != "offline":
        raise InputError(f"暂不支持的起草方式“{model}”。", hint="目前可用：--model offline。")
    fmts = _formats(formats)
    unknown = [f for f in fmts if f not in FORMATS]
    if unknown or not fmts:
        raise InputError(
            f"不支持的输出格式：{'、'.join(unknown) or '（空）'}。", hint=f"可用的格式：{','.join(FORMATS)}。"
        )
    worst = 0
    for path in data:
        try:
            loaded = load_data(path, previous=previous)
            report = draft_report(loaded)
            written = write_draft(report, output_dir, path.stem, fmts)
        except DraftingError as exc:
            print_error(exc)
            click.secho(f"{path}：未生成草稿。", fg="red", err=True)
            worst = max(worst, exc.exit_code)
            continue
        print_issues(loaded.warnings)
        click.secho(f"{path} → " + "、".join(str(f) for f in written.files), fg="green")
        markers = count_markers(report)
        if markers:
            click.echo(
                f"  草稿中有 {markers} 处【待补充】，请补充相应内容（或在数据文件 facts 中填写后重新生成）。"
            )
    ctx.exit(worst)
