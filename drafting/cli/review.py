"""drafting review FOLDER [-o OUT_DIR] [--manifest FILE.csv] [--previous FOLDER] [--jobs N] [--json]"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ._options import path_argument, path_option

if TYPE_CHECKING:
    from ..review.judged import Reviewed
    from ..review.outputs import Outputs
    from ..review.run import Review

_STAGES = {"hash": "计算文件指纹", "read": "读取并检查", "pair": "与上年报告比对"}
INTERRUPTED = 130


@click.command("review")
@path_argument("folder")
@path_option(
    "-o",
    "--output-dir",
    default=Path("审核结果"),
    show_default=True,
    help="输出文件夹：审核总览.html、问题清单.csv 和 .xlsx、整改清单/，以及检查结果缓存。",
)
@path_option(
    "--manifest", help="报告清单 CSV（列 file、agency、region、level、year、url，均可省略；UTF-8 或 GBK）。"
)
@path_option("--previous", help="上年报告所在的文件夹（上年报告也可以直接放在 FOLDER 中）。")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), default=None, help="同时检查的进程数（默认：全部 CPU 核心）。"
)
@path_option("--decisions", help="审核决定文件（默认：输出文件夹中的 review-decisions.yaml）。")
@click.option("--office", default="", help="审核单位名称，写在整改清单的落款处。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出每份报告的结果和问题，供脚本使用。")
@click.pass_context
def command(
    ctx: click.Context,
    folder: Path,
    output_dir: Path,
    manifest: Path | None,
    previous: Path | None,
    jobs: int | None,
    decisions: Path | None,
    office: str,
    as_json: bool,
) -> None:
    """审核一个文件夹中的全部政府信息公开工作年度报告（含子文件夹中的 .html/.htm/.pdf/.docx/.txt/.md）：
    逐份检查，与同一机关的上年报告比对（上年结转、现行有效件数、数字异常波动、内容雷同），
    按错误数排名，写出审核总览（网页）、问题清单（CSV 和 Excel）和每个机关的整改清单（Word）。
    未改动的文件直接取用上次的检查结果。没有错误时退出码为 0，有错误时为 1，文件夹或清单无法使用时为 2。"""
    from ..review import ReviewOptions, review_folder
    from ..review.outputs import write_outputs

    options = ReviewOptions(folder, output_dir, manifest, previous, jobs, decisions)
    with _progress() as progress:
        review = review_folder(options, progress)
    rows: list[tuple[int, int, str, int | None, str]] = []
    stream = _JsonStream(review) if as_json else None

    def sink(r: Reviewed) -> None:
        rows.append((r.errors, r.warnings, r.item.agency, r.item.year, r.item.source.relative))
        if stream is not None:
            stream.add(r)

    outputs = write_outputs(review, office=office, sink=sink)
    if stream is not None:
        stream.finish(outputs)
    else:
        _print(review, outputs, rows)
    if review.interrupted:
        ctx.exit(INTERRUPTED)
    ctx.exit(0 if outputs.totals.ok else 1)


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar with counts and time left on a terminal; plain lines otherwise (a log)."""
    from rich.console import Console

    console = Console(stderr=True)
    if not console.is_terminal:
        last = [0.0]

        def plain(stage: str, done: int, total: int) -> None:
            now = time.monotonic()
            if stage != "hash" and done and (done in (1, total) or now - last[0] >= 5):
                last[0] = now
                click.echo(f"{_STAGES.get(stage, stage)}：{done}/{total}", err=True)

        yield plain
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("已用"),
        TimeElapsedColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    )
    tasks: dict[str, TaskID] = {}

    def show(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
        bar.update(tasks[stage], completed=done, total=total)

    with bar:
        yield show


def _print(review: Review, outputs: Outputs, rows: list[tuple[int, int, str, int | None, str]]) -> None:
    t = outputs.totals
    out = review.options.out_dir
    if review.interrupted:
        click.secho(
            f"已中断：{t.found - t.pending}/{t.found} 份报告已完成，结果已保存；再次运行将从中断处继续。",
            fg="yellow",
            bold=True,
        )
    click.echo(
        f"找到报告 {t.found} 份：已读取 {t.read} 份，无法读取 {len(t.unreadable)} 份"
        + (f"，读取出错 {len(t.failed)} 份" if t.failed else "")
        + (f"，未完成 {t.pending} 份" if t.pending else "")
        + "。"
        + (f"其中 {t.partial} 份有内容未能确认，相关规则未作检查（见审核总览）。" if t.partial else "")
    )
    colour = "red" if t.errors else ("yellow" if t.warnings else "green")
    click.secho(
        f"错误 {t.errors} 条（涉及 {t.with_errors} 份报告），提示 {t.warnings} 条，内容雷同 {t.similar} 份"
        + (f"；已排除 {t.dismissed} 条" if t.dismissed else "")
        + "。",
        fg=colour,
        bold=True,
    )
    click.echo(
        f"本次检查 {review.checked} 份，取自缓存 {review.cached} 份，与上年报告比对 {t.paired} 份，"
        f"用时 {review.seconds:.1f} 秒。"
    )
    for file, reason in t.unreadable[:10]:
        click.secho(f"  无法读取 {file}：{reason}", fg="yellow")
    if len(t.unreadable) > 10:
        click.echo(f"  ……另有 {len(t.unreadable) - 10} 份无法读取，见审核总览。")
    ranked = sorted((r for r in rows if r[0] or r[1]), key=lambda r: (-r[0], -r[1], r[2]))
    if ranked:
        click.echo("问题最多的报告：")
        for n, (errors, warnings, agency, year, file) in enumerate(ranked[:10], 1):
            who = f"{agency or '（未识别机关）'} {year or ''}{'年' if year else ''}"
            click.echo(f"  {n:>2}. {who}：错误 {errors} 条，提示 {warnings} 条（{file}）")
    if outputs.unmatched_decisions:
        click.echo(f"审核决定文件中有 {outputs.unmatched_decisions} 条决定没有对应的问题（可能已整改）。")
    click.echo(f"审核总览：{outputs.dashboard}")
    click.echo(f"问题清单：{outputs.csv}、{outputs.xlsx.name}")
    click.echo(f"整改清单：{len(outputs.notices)} 份，在 {out / '整改清单'}")
    click.echo(
        f"审核决定：{review.options.decisions_path}"
        + ("" if outputs.decisions else "（尚未创建；片段可在审核总览中复制）")
    )


class _JsonStream:
    """``--json``: every report as it is written, then the totals — one JSON object on stdout."""

    def __init__(self, review: Review) -> None:
        self.first = True
        head = {"folder": str(review.options.folder), "output_dir": str(review.options.out_dir)}
        sys.stdout.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "reports": [\n')

    def add(self, r: Reviewed) -> None:
        item = r.item
        report: dict[str, Any] = {
            "file": item.source.relative,
            "agency": item.agency,
            "region": item.region,
            "level": item.level,
            "year": item.year,
            "url": item.url,
            "status": item.status,
            "reason": item.reason,
            "previous_file": item.last.relative if item.last is not None else None,
            "errors": r.errors,
            "warnings": r.warnings,
            "dismissed": r.dismissed,
            "similar": r.similar,
            "not_assessed": r.not_assessed,
            "findings": [{**j.finding, "decision": j.decision, "comment": j.comment} for j in r.findings],
        }
        sys.stdout.write(("" if self.first else ",\n") + json.dumps(report, ensure_ascii=False))
        self.first = False

    def finish(self, outputs: Outputs) -> None:
        t = outputs.totals
        tail = {
            "totals": {
                "found": t.found,
                "read": t.read,
                "unreadable": len(t.unreadable),
                "failed": len(t.failed),
                "pending": t.pending,
                "errors": t.errors,
                "warnings": t.warnings,
                "with_errors": t.with_errors,
                "similar": t.similar,
                "paired": t.paired,
                "partial": t.partial,
                "dismissed": t.dismissed,
                "confirmed": t.confirmed,
            },
            "outputs": {
                "dashboard": str(outputs.dashboard),
                "csv": str(outputs.csv),
                "xlsx": str(outputs.xlsx),
                "notices": [str(p) for p in outputs.notices],
            },
            "ok": t.ok,
        }
        sys.stdout.write("\n]," + json.dumps(tail, ensure_ascii=False)[1:] + "\n")
        sys.stdout.flush()
