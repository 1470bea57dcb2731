"""drafting eval [SUITE] [--prompts DIR …] [--model SPEC …] [--repeat N] [--json OUT] [--html OUT]
[--baseline RUN.json] [--min-pass-rate X] [--rescore RUN.json] [--judge-model SPEC …] [--pairwise]
[--labels FILE]"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._options import F, model_option, packed_fields

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from ..evaluation.compare import Regression
    from ..evaluation.harness import EvalOptions
    from ..evaluation.record import DraftRun, RunRecord


def _eval_options() -> type[EvalOptions]:
    """Imported on use: the harness is not loaded for the other commands."""
    from ..evaluation.harness import EvalOptions

    return EvalOptions


# The thresholds that fail a run, in the order ``--help`` lists them: each a rate from 0 to 1
# (``check_options`` refuses any other), none by default.
GATES = (
    ("--min-pass-rate", "最低通过率（0 到 1，如 0.9）：低于它时退出码为 1。"),
    ("--min-faithful", "带 label 的回答：忠实回答的最低采用率（0 到 1）：低于它时退出码为 1。"),
    ("--min-recall", "带 label 的回答：错误的最低发现率（0 到 1），且每一类至少发现一次：否则退出码为 1。"),
)


def _gate_options(f: F) -> F:
    """``GATES`` as options, each a float or None."""
    for name, text in reversed(GATES):
        f = click.option(name, type=float, default=None, help=text)(f)
    return f


@click.command("eval")
@click.argument("suite", required=False, type=click.Path(path_type=Path))
@click.option(
    "--prompts",
    "prompt_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="提示词目录，可重复（每个目录是一个提示词版本；默认为随程序安装的提示词，或 DRAFTING_PROMPTS）。",
)
@model_option("--model", "models", lead="模型，可重复：", multiple=True)
@click.option(
    "--repeat", type=int, default=None, help="每个案例重复起草的次数（默认取评测集的 repeat，否则 1）。"
)
@click.option("--json", "json_out", type=click.Path(path_type=Path), help="把评测记录写入该 JSON 文件。")
@click.option("--html", "html_out", type=click.Path(path_type=Path), help="把评测报告写入该 HTML 文件。")
@click.option(
    "--baseline",
    type=click.Path(path_type=Path),
    help="基线评测记录（--json 生成）：只列出回归，有回归时退出码为 1。",
)
@_gate_options
@click.option(
    "--rescore", type=click.Path(path_type=Path), help="不调用模型，用当前的检查重新评分一份评测记录。"
)
@click.option(
    "--judge-model",
    "judge_models",
    multiple=True,
    help="评分模型，可重复（对话模型，如 deepseek、openai:<模型名>）：取代评测集中各 judge 的 model；--pairwise 用它比较。",
)
@click.option(
    "--pairwise",
    is_flag=True,
    default=False,
    help="两两比较各提示词版本的草稿（两种顺序各问一次），给出胜率。",
)
@click.option(
    "--labels",
    type=click.Path(path_type=Path),
    help="人工标注文件（HTML 报告中导出）：报告各项检查和评分与人工标注的一致程度。",
)
@click.option("--case", "case_ids", multiple=True, help="只运行这些案例（案例 id，可重复）。")
@click.option("--concurrency", type=int, default=4, show_default=True, help="同时起草的草稿数。")
@click.option(
    "--no-cache", "cache", is_flag=True, flag_value=False, default=True, help="不使用也不写入响应缓存。"
)
@click.option("--base-url", default=None, help="模型接口地址，如 http://127.0.0.1:8000/v1。")
@click.option("--api-key-env", default=None, help="保存密钥的环境变量名（默认取预设）。")
@click.pass_context
@packed_fields("options", _eval_options)
def command(ctx: click.Context, options: EvalOptions) -> None:
    """评测起草质量：评测集中的每个案例，按提示词版本 × 模型 × 重复次数起草，
    用检查库和案例的期望评分，输出通过率矩阵，并可写出 JSON 记录和 HTML 报告。

    SUITE 默认为 evals/suite.yaml。评测集、回放文件的写法见 evals/README.md。
    评测集中的 judge 由评分模型按评分标准打分；--pairwise 两两比较提示词版本；--labels 对照人工标注。
    回放中带 label 的回答（忠实或某类错误）另计忠实回答采用率和各类错误发现率。
    退出码：0 通过（或未设门槛）；1 有回归，或通过率、采用率、发现率低于门槛；2 输入无法使用。
    """
    from ..evaluation.harness import run_eval
    from .eval_summary import print_summary

    with _progress() as progress:
        result = run_eval(options, on_start=progress.start, on_done=progress.advance)

    console = _console()
    if result.regressions is not None:
        _print_regressions(result.regressions, result.record, console)
    else:
        print_summary(result.record, console)
    if result.agreement is not None:
        from .eval_quality import print_agreement

        print_agreement(result.agreement, console)
    for c in result.below:
        console.print(
            f"[red]通过率低于门槛[/red]：{c.prompt} · {c.model} 为 {c.rate * 100:.1f}%（{c.passed}/{c.drafts}），"
            f"门槛 {(options.min_pass_rate or 0) * 100:g}%。",
            highlight=False,
        )
    for line in result.label_gates:
        console.print(f"[red]低于门槛[/red]：{line}。", highlight=False)
    for path in result.written:
        console.print(f"已写入 {path}", highlight=False)
    ctx.exit(1 if result.failed else 0)


class _Progress:
    """A progress bar on a terminal (stderr), started once the number of drafts is known."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def start(self, total: int) -> None:
        from rich.console import Console

        console = Console(stderr=True)
        if total <= 1 or not console.is_terminal:
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("评测中"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task = self.bar.add_task("eval", total=total)
        self.bar.start()

    def advance(self, run: DraftRun) -> None:
        if self.bar is not None and self.task is not None:
            self.bar.advance(self.task)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def _progress() -> Iterator[_Progress]:
    progress = _Progress()
    try:
        yield progress
    finally:
        progress.stop()


def _console() -> Console:
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:  # a log or a pipe: wide enough that the tables stay readable
        console = Console(highlight=False, width=160)
    return console


def _print_regressions(found: list[Regression], record: RunRecord, console: Console) -> None:
    from ..evaluation.report import overall, percent

    passed, total = overall(record)
    console.print(
        f"评测集：{record.suite.name}　草稿 {total} 份，通过 {passed} 份（{percent(passed / total if total else 0)}）。"
    )
    if not found:
        console.print("[green]与基线相比没有回归。[/green]")
        return
    console.print(f"[red bold]与基线相比有 {len(found)} 处回归：[/red bold]")
    for r in found:
        console.print(f"  [red]✗[/red] {r.render()}", highlight=False, soft_wrap=True)
