"""drafting draft DATA… [-o DIR] [--format md,docx] [--model offline|openai:<name>|<preset>] [--jobs N]"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._options import ModelFlags, Output, model_options, output_options, path_option
from .output import print_error, print_issues

if TYPE_CHECKING:
    from ..document import Draft, SectionUsage
    from ..draft import FileOutcome, Progress


Say = Callable[[str, str | None, bool], None]


def _clock(seconds: float) -> str:
    seconds = round(seconds)
    return (
        f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        if seconds >= 3600
        else f"{seconds // 60}:{seconds % 60:02d}"
    )


def status_text(p: Progress) -> str:
    """The line beside the bar: drafts in flight, requests waiting for the quota, time left."""
    parts = [f"进行中 {p.in_flight} 份"]
    if p.eta is not None:
        parts.append(f"等待配额 {p.waiting} 个请求")
        parts.append(f"预计剩余 {_clock(p.eta)}")
    return "｜".join(parts)


@contextmanager
def _display(total: int, numbers: Callable[[int], Progress]) -> Iterator[tuple[Say, Callable[[], None]]]:
    """Lines for the user, and a progress bar on a terminal when there are several files:
    done/total, then ``numbers(done)`` as ``status_text`` words them."""

    def plain(text: str, colour: str | None, err: bool) -> None:
        click.secho(text, fg=colour, err=err)

    if total <= 1:
        yield plain, lambda: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as Bar
    from rich.text import Text

    class Numbers(ProgressColumn):
        max_refresh = 0.5

        def render(self, task: Task) -> Text:
            return Text(status_text(numbers(int(task.completed))))

    class Remaining(TimeRemainingColumn):
        """rich's estimate from the pace so far, when no quota gives a better one."""

        def render(self, task: Task) -> Text:
            if numbers(int(task.completed)).eta is not None:
                return Text("")
            return super().render(task)

    console = Console(stderr=True)
    if not console.is_terminal:
        yield plain, lambda: None
        return
    progress = Bar(
        SpinnerColumn(),
        TextColumn("起草中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        Numbers(),
        Remaining(),
        console=console,
        transient=True,
        redirect_stdout=False,
        redirect_stderr=False,
    )
    task = progress.add_task("draft", total=total)

    def above(text: str, colour: str | None, err: bool) -> None:
        progress.console.print(Text(text, style=colour or ""), highlight=False, soft_wrap=True)

    with progress:
        yield above, lambda: progress.advance(task)


EPILOG = """\b
退出码：
  0  完成（提示已列出；个别部分没有用上模型时，终端和草稿文件都写明原因）
  1  数据文件违反规则（逐条列出），或模型设置有误（密钥无效、模型不存在、接口地址不对）
  2  文件无法读取或写入
  4  用了模型，但模型接口未能使用：每一部分都因接口无法连接、超时（或没有进展）、
     出错而改用了离线文本（草稿仍已写出）；请检查接口后重新运行
\b
时限（秒，可用环境变量或 config.toml 设置）：
  DRAFTING_STALL_TIMEOUT  等待回答的下一段文字（默认 60）
  DRAFTING_DEADLINE       每个请求，重试在内（默认 300）
  DRAFTING_DRAFT_DEADLINE 每份草稿，各部分、重问、重试在内（默认 600）
"""


@click.command("draft", epilog=EPILOG)
@click.argument("data", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_options
@model_options
@click.option("--concurrency", type=int, default=None, help="每份草稿同时发出的请求数（默认 4）。")
@click.option("-j", "--jobs", type=int, default=None, help="同时起草的文件数（默认 1）。")
@click.option("--rpm", type=int, default=None, help="接口每分钟请求数上限（按服务商给您账户的配额填写）。")
@click.option("--tpm", type=int, default=None, help="接口每分钟 tokens 上限。")
@click.option("--no-cache", is_flag=True, default=False, help="不使用也不写入响应缓存。")
@path_option(
    "--previous-report",
    help="上年已发布的报告或上年的草稿（.md/.txt/.html/.docx/.pdf/.draft.json）：草稿自查时核对上年结转，"
    "并提示与之雷同的正文（Y4 内容雷同）。",
)
@click.pass_context
def command(
    ctx: click.Context,
    data: tuple[Path, ...],
    output: Output,
    model_flags: ModelFlags,
    concurrency: int | None,
    jobs: int | None,
    rpm: int | None,
    tpm: int | None,
    no_cache: bool,
    previous_report: Path | None,
) -> None:
    """从数据文件生成年度报告初稿（<名称>.draft.json 及各格式文档）。

    设置的优先顺序：命令行选项 > 环境变量 DRAFTING_* > 配置文件 config.toml > 默认值。
    """
    from ..config import load_settings
    from ..draft import draft_files, progress, usage_total
    from ..narrative import ModelWriter, writer_for

    settings = load_settings(
        **model_flags,
        concurrency=concurrency,
        jobs=jobs,
        rpm=rpm,
        tpm=tpm,
        cache=False if no_cache else None,
    )
    last_report = None
    if previous_report is not None:  # read once, before any request; unreadable: exit 2 in Chinese
        from ..reading import read_report

        last_report = read_report(previous_report)
    writer = writer_for(settings)  # a missing key or a broken prompt stops here, before any request
    limiter = writer.limiter if isinstance(writer, ModelWriter) else None
    started = time.monotonic()
    outcomes: list[FileOutcome] = []
    worst = 0
    try:
        numbers = lambda done: progress(len(data), done, settings.jobs, limiter)  # noqa: E731
        with _display(len(data), numbers) as (say, advance):

            def done(outcome: FileOutcome) -> None:
                nonlocal worst
                outcomes.append(outcome)
                worst = max(worst, _report(outcome, say))
                advance()

            draft_files(
                list(data),
                output.dir,
                output.formats,
                previous=output.previous,
                writer=writer,
                jobs=settings.jobs,
                concurrency=settings.concurrency,
                on_done=done,
                deadline=settings.draft_deadline,
                previous_report=last_report,
            )
    except KeyboardInterrupt:
        writer.close()  # requests in flight fail fast; nothing half-written stays behind
        finished = sum(1 for o in outcomes if o.written)
        click.echo(f"已完成 {finished} 个草稿，其余未生成。", err=True)
        raise
    finally:
        writer.close()
    skipped = len(data) - len(outcomes)
    if skipped:
        click.secho(f"因上述错误停止：其余 {skipped} 个文件未起草。", fg="red", err=True)
    if writer.name != "offline":
        usages = [s.usage for o in outcomes if o.written for s in o.written.draft.sections]
        _print_totals(usage_total(usages), time.monotonic() - started)
    ctx.exit(worst)


def _report(outcome: FileOutcome, say: Say) -> int:
    """Tell the user how one file went; the exit code it deserves."""
    path = outcome.path
    if outcome.error is not None or outcome.written is None:
        if outcome.error is not None:
            print_error(outcome.error)
        say(f"{path}：未生成草稿。", "red", True)
        return outcome.error.exit_code if outcome.error is not None else 1
    print_issues(outcome.warnings)
    written = outcome.written
    say(f"{path} → " + "、".join(str(f) for f in written.files), "green", False)
    for note in outcome.notes:
        say(f"  {note}", "yellow", True)
    _print_findings(outcome, say)
    from ..carry import UPDATED_NOTE

    # An edit kept with its numbers updated is named by its note below, not as unchanged here.
    kept = [
        s.heading + s.title
        for s in written.draft.sections
        if s.edited and not any(n.startswith(UPDATED_NOTE) for n in s.notes)
    ]
    if kept:
        say(f"  保留了您已接受的修改（所依据的数据未变）：{'、'.join(kept)}", None, False)
    from ..draft import count_markers

    for section in written.draft.sections:
        for note in section.notes:
            where = section.heading + (section.title or "")
            say(f"  {where}：{note}", "yellow", True)
    markers = count_markers(written.draft)
    if markers:
        say(
            f"  草稿中有 {markers} 处【待补充】，请补充相应内容（或在数据文件 facts 中填写后重新生成）。",
            None,
            False,
        )
    return _model_summary(written.draft, say)


def _print_findings(outcome: FileOutcome, say: Say) -> None:
    """What the check library found on the draft just written, grouped as ``drafting check``
    groups it; the exit code stays 0 (the draft is written), the author is told what to fix."""
    from ..checks import CATEGORIES, CATEGORY_LABELS

    findings = outcome.findings
    if not findings:
        return
    errors = sum(1 for f in findings if f.is_error)
    say(
        f"  草稿自查：{errors} 个错误，{len(findings) - errors} 条提示（发布前请运行 drafting check --final 复核）",
        "red" if errors else "yellow",
        True,
    )
    for category in CATEGORIES:
        group = [f for f in findings if f.category == category]
        if not group:
            continue
        say(f"  【{CATEGORY_LABELS[category]}】", None, True)
        for f in group:
            say("    " + f.render(), "red" if f.is_error else "yellow", True)


def _model_summary(draft: Draft, say: Say) -> int:
    """How many sections the model wrote and why the others fell back; 4 when it was never usable."""
    from ..backends.base import CAUSE_LABELS
    from ..draft import never_reached

    sections = draft.sections
    fell = [s.fallback for s in sections if s.fallback is not None]
    if not fell:
        return 0
    why = "，".join(f"{CAUSE_LABELS[c]} {fell.count(c)} 部分" for c in CAUSE_LABELS if c in fell)
    if "timeout" in fell:
        say(
            "  时限可以调整：DRAFTING_STALL_TIMEOUT（等待下一段文字）、DRAFTING_DEADLINE（每个请求）、"
            "DRAFTING_DRAFT_DEADLINE（每份草稿），单位秒，也可写在 config.toml 中。",
            None,
            True,
        )
    if never_reached(draft):
        say(
            f"  模型 {draft.provenance.backend} 未能使用：{len(sections)} 部分都没有得到模型的回答（{why}），"
            "已全部改用离线文本。草稿已写出；请按上面的原因检查模型接口后重新运行 drafting draft（退出码 4）。",
            "red",
            True,
        )
        return 4
    say(
        f"  模型 {draft.provenance.backend} 写成 {len(sections) - len(fell)} 部分；{len(fell)} 部分改用了离线文本（{why}）。",
        "yellow",
        True,
    )
    return 0


def _print_totals(total: SectionUsage, wall: float) -> None:
    estimated = "（服务器未返回用量，部分按字数估算）" if total.estimated else ""
    click.echo(
        f"模型用量：请求 {total.requests} 次，缓存命中 {total.cached} 次；"
        f"输入 {total.prompt_tokens} tokens，输出 {total.completion_tokens} tokens，"
        f"合计 {total.total_tokens} tokens{estimated}；"
        f"各部分模型耗时合计 {total.latency_s:.1f} 秒，总用时 {wall:.1f} 秒。"
    )
