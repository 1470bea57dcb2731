"""drafting batch submit DATA… --model SPEC [-o DIR] | status | collect [--reask realtime|batch] | cancel [ID…]"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._options import F, ModelFlags, Output, model_options, output_options, path_argument
from .output import print_error

if TYPE_CHECKING:
    from ..backends.batch.ledger import Shard
    from ..batchdrafts import AgencyOutcome, AgencyStatus, Collected

REMOTE_STATUS = {
    "validating": "校验中",
    "in_progress": "处理中",
    "finalizing": "整理结果中",
    "completed": "已完成",
    "expired": "已过期（未在时限内完成）",
    "cancelling": "取消中",
    "cancelled": "已取消",
    "failed": "未通过校验",
}
LOCAL_STATE = {
    "planned": "待写入",
    "written": "待上传",
    "uploading": "上传中断，待核对",
    "uploaded": "待创建",
    "creating": "创建中断，待核对",
}


def _say(text: str) -> None:
    click.echo(text, err=True)


def _base_url_option(f: F) -> F:
    """``--base-url`` for the commands that talk to a job's provider after submit."""
    return click.option(
        "--base-url",
        default=None,
        help="服务商接口地址已变时，指定新地址（如 https://dashscope.aliyuncs.com/compatible-mode/v1）；"
        "未完成的任务此后都使用新地址。",
    )(f)


@click.group("batch")
def command() -> None:
    """用服务商的批量接口（Batch API）起草多个机关的报告：价格约为实时调用的一半，24 小时内完成。

    先 submit 提交，再用 status 查看进度，完成后 collect 取回结果并生成草稿。每一步都记录在
    本地的批量任务记录中，中断后重新运行同一命令即可从中断处继续，不会重复提交。
    """


@command.command("submit")
@path_argument("data", nargs=-1, required=True)
@output_options
@model_options
@click.pass_context
def submit_command(
    ctx: click.Context,
    data: tuple[Path, ...],
    output: Output,
    model_flags: ModelFlags,
) -> None:
    """提交数据文件的起草请求（每个机关四个部分），已提交过的不会重复提交。"""
    from ..backends.endpoints import resolve_endpoint
    from ..backends.resolve import model_kind
    from ..batchdrafts import submit
    from ..config import load_settings
    from ..errors import InputError

    settings = load_settings(**model_flags)
    if model_kind(settings.model) != "chat":
        raise InputError(
            "批量起草需要模型：请用 --model 指定服务商的模型，如 --model qwen:qwen-plus。",
            hint="离线起草和回放文件不需要批量接口，直接用 drafting draft 即可。",
        )
    endpoint = resolve_endpoint(settings=settings)
    done = submit(list(data), endpoint, output.dir, output.formats, previous=output.previous, say=_say)
    for path, error in done.problems:
        print_error(error)
        click.secho(f"{path}：未提交。", fg="red", err=True)
    if done.requests:
        click.echo(f"已提交 {done.agencies} 个机关的 {done.requests} 个请求（任务 {done.job_id}）。")
    if done.already:
        click.echo(f"{done.already} 个机关的请求此前已提交，未重复提交。")
    if not done.requests and not done.shards:
        click.echo("没有新的请求需要提交。")
    for shard in done.shards:
        click.echo(f"  批量任务 {shard.batch_id or '—'}：{shard.requests} 个请求，文件 {shard.name}")
    click.echo("可用 drafting batch status 查看进度，完成后用 drafting batch collect 生成草稿。")
    ctx.exit(max((e.exit_code for _, e in done.problems), default=0))


def _when(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts).strftime("%m-%d %H:%M")


def _shard_line(shard: Shard) -> str:
    if shard.state in LOCAL_STATE:
        return f"{shard.name}：{LOCAL_STATE[shard.state]}（{shard.requests} 个请求；重新运行 batch submit 可继续）"
    state = REMOTE_STATUS.get(shard.remote_status or "", shard.remote_status or "未知")
    done = f"{shard.completed or 0}/{shard.total or shard.requests}"
    failed = f"，失败 {shard.failed}" if shard.failed else ""
    fetched = "，结果已取回" if shard.state == "downloaded" else ""
    line = (
        f"批量任务 {shard.batch_id}（{_when(shard.created)} 提交）：{state}，已完成 {done}{failed}{fetched}"
    )
    for error in shard.errors[:3]:
        line += f"\n    {error}"
    return line


def _agency_line(item: AgencyStatus) -> str:
    a = item.agency
    name = f"{a.agency}（{Path(a.data_path).name}）"
    if a.state == "written":
        return f"{name}：已生成草稿"
    answered = item.counts.get("answered", 0)
    failed = item.counts.get("failed", 0)
    ready = item.counts.get("ready", 0)
    note = f"；{a.note}" if a.note else ""
    if item.pending:
        return f"{name}：等待中，{item.pending} 个请求未完成{note}"
    if ready:
        return f"{name}：批量任务已结束，待 collect 取回结果并生成草稿"
    return f"{name}：结果已齐（{answered} 个回答、{failed} 个未答），待 collect 生成草稿{note}"


@command.command("status")
@click.option("--no-refresh", is_flag=True, default=False, help="只看本地记录，不向服务商查询。")
@_base_url_option
def status_command(no_refresh: bool, base_url: str | None) -> None:
    """查看各批量任务和各机关的进度。"""
    from ..batchdrafts import status

    report = status(refresh=not no_refresh, base_url=base_url)
    if not report.shards:
        click.echo("没有批量任务。用 drafting batch submit 提交。")
        return
    click.echo("批量任务：")
    for shard in report.shards:
        click.echo("  " + _shard_line(shard))
    written = sum(1 for a in report.agencies if a.agency.state == "written")
    click.echo(f"机关（{written}/{len(report.agencies)} 已生成草稿）：")
    for item in report.agencies:
        click.echo("  " + _agency_line(item))


def _report_agency(outcome: AgencyOutcome) -> None:
    name = f"{outcome.agency.agency}（{Path(outcome.agency.data_path).name}）"
    if outcome.state == "written":
        click.secho(f"{name} → " + "、".join(str(f) for f in outcome.files), fg="green")
        for note in outcome.notes:
            click.secho(f"  {note}", fg="yellow", err=True)
        if outcome.never_reached:
            click.secho(
                "  模型接口未能使用：各部分都没有得到模型的回答，已全部改用离线文本；请检查接口后对该机关重新起草。",
                fg="red",
                err=True,
            )
    elif outcome.state in ("stale", "failed"):
        click.secho(f"{name}：未生成草稿：{outcome.reason}", fg="red", err=True)


def _summary(done: Collected) -> int:
    written = [o for o in done.agencies if o.state == "written"]
    waiting = [o for o in done.agencies if o.state == "waiting"]
    bad = [o for o in done.agencies if o.state in ("stale", "failed")]
    busy = [o for o in done.agencies if o.state == "busy"]
    fell_back = sum(1 for o in written for n in o.notes if "改用离线文本" in n)
    for job in done.moved:
        click.echo(f"任务 {job.id} 的接口地址已改为 {job.base_url}。")
    click.echo(f"本次生成草稿 {len(written)} 份；等待中 {len(waiting)} 份；未能生成 {len(bad)} 份。")
    if busy:
        click.echo(f"另有 {len(busy)} 份由同时运行的另一个 collect 处理。")
    if fell_back:
        click.secho(f"其中 {fell_back} 个部分由模型起草失败，已改用离线文本（见上方说明）。", fg="yellow")
    queued = sum(o.queued for o in done.agencies)
    if queued:
        click.echo(f"{queued} 个请求（重新提问或重新发送）已加入后续批量任务，完成后请再次运行 collect。")
    for shard in done.running:
        click.echo("  " + _shard_line(shard))
    for shard in done.finished:
        if shard.remote_status in ("expired", "cancelled", "failed"):
            state = REMOTE_STATUS[shard.remote_status]
            click.secho(f"批量任务 {shard.batch_id} {state}：未答的请求已另行处理。", fg="yellow", err=True)
            for error in shard.errors[:3]:
                click.echo(f"    {error}", err=True)
    if written:
        from ..draft import usage_total

        total = usage_total([o.usage for o in written])
        click.echo(
            f"模型用量：输入 {total.prompt_tokens} tokens，输出 {total.completion_tokens} tokens，"
            f"合计 {total.total_tokens} tokens。"
        )
    if bad:
        return 1
    # As ``draft``: 4 when a draft was written without a single answer from the model (endpoint).
    return 4 if any(o.never_reached for o in written) else 0


COLLECT_EPILOG = """\b
退出码：
  0  完成（或仍在等待批量任务）
  1  有机关未能生成草稿（数据文件在提交后已修改、无法写入等，逐个列出）
  2  批量任务记录或文件无法读取或写入
  4  写出的草稿中，有的每一部分都因模型接口无法连接、超时或出错而改用了离线文本
"""


@command.command("collect", epilog=COLLECT_EPILOG)
@click.option(
    "--reask",
    type=click.Choice(["realtime", "batch"]),
    default="realtime",
    show_default=True,
    help="未通过检查的回答和未完成的请求：realtime 立即实时重新提问；batch 加入后续批量任务（更省钱，需再次 collect）。",
)
@click.option(
    "-j", "--jobs", type=int, default=4, show_default=True, help="同时处理的机关数（实时重新提问时）。"
)
@_base_url_option
@click.pass_context
def collect_command(ctx: click.Context, reask: str, jobs: int, base_url: str | None) -> None:
    """取回已完成的批量结果，检查后生成草稿。"""
    from ..batchdrafts import collect

    done = collect(
        reask="batch" if reask == "batch" else "realtime",
        jobs=jobs,
        base_url=base_url,
        say=_say,
        on_agency=_report_agency,
    )
    if not done.agencies and not done.running and not done.finished:
        click.echo("没有待取回的批量任务。")
    ctx.exit(_summary(done))


@command.command("cancel")
@click.argument("batch_ids", nargs=-1)
@_base_url_option
def cancel_command(batch_ids: tuple[str, ...], base_url: str | None) -> None:
    """取消进行中的批量任务（全部，或列出的任务编号）。已完成的部分仍可 collect。"""
    from ..batchdrafts import cancel

    cancelled = cancel(batch_ids=batch_ids, say=_say, base_url=base_url)
    if not cancelled:
        click.echo("没有进行中的批量任务。")
        return
    click.echo(f"已取消 {len(cancelled)} 个批量任务；已完成的部分可用 drafting batch collect 取回。")
