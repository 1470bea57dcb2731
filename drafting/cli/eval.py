"""drafting eval [SUITE] [--prompts DIR …] [--model SPEC …] [--repeat N] [--json OUT] [--html OUT]
[--baseline RUN.json] [--min-pass-rate X] [--rescore RUN.json]"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rich.console import Console

    from ..evaluation.compare import Regression
    from ..evaluation.record import DraftRun, RunRecord

MODEL_HELP = (
    "模型，可重复：offline（离线规则，默认）；replay:<回放文件>（我们写好的回答）；openai:<模型名>"
    "（配合 --base-url）；或预设 deepseek、qwen、glm、kimi、ollama、vllm（可写作 预设:<模型名>）。"
)


@click.command("eval")
@click.argument("suite", required=False, type=click.Path(path_type=Path))
@click.option(
    "--prompts",
    "prompt_dirs",
    multiple=True,
    type=click.Path(path_type=Path),
    help="提示词目录，可重复（每个目录是一个提示词版本；默认为 prompts/）。",
)
@click.option("--model", "models", multiple=True, help=MODEL_HELP)
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
@click.option(
    "--min-pass-rate", type=float, default=None, help="最低通过率（0 到 1，如 0.9）：低于它时退出码为 1。"
)
@click.option(
    "--rescore", type=click.Path(path_type=Path), help="不调用模型，用当前的检查重新评分一份评测记录。"
)
@click.option("--case", "case_ids", multiple=True, help="只运行这些案例（案例 id，可重复）。")
@click.option("--concurrency", type=int, default=4, show_default=True, help="同时起草的草稿数。")
@click.option("--no-cache", is_flag=True, default=False, help="不使用也不写入响应缓存。")
@click.option("--base-url", default=None, help="模型接口地址，如 http://127.0.0.1:8000/v1。")
@click.option("--api-key-env", default=None, help="保存密钥的环境变量名（默认取预设）。")
@click.pass_context
def command(
    ctx: click.Context,
    suite: Path | None,
    prompt_dirs: tuple[Path, ...],
    models: tuple[str, ...],
    repeat: int | None,
    json_out: Path | None,
    html_out: Path | None,
    baseline: Path | None,
    min_pass_rate: float | None,
    rescore: Path | None,
    case_ids: tuple[str, ...],
    concurrency: int,
    no_cache: bool,
    base_url: str | None,
    api_key_env: str | None,
) -> None:
    """评测起草质量：评测集中的每个案例，按提示词版本 × 模型 × 重复次数起草，
    用检查库和案例的期望评分，输出通过率矩阵，并可写出 JSON 记录和 HTML 报告。

    SUITE 默认为 evals/suite.yaml。评测集、回放文件的写法见 evals/README.md。
    退出码：0 通过（或未设门槛）；1 有回归或通过率低于 --min-pass-rate；2 输入无法使用。
    """
    from ..errors import InputError
    from ..evaluation import compare
    from ..evaluation.record import load_record, write_record
    from ..evaluation.record import rescore as rescore_record
    from ..evaluation.report import render_html
    from ..evaluation.suite import DEFAULT_SUITE, load_suite
    from ..files import write_text
    from .eval_summary import print_summary

    if min_pass_rate is not None and not 0 <= min_pass_rate <= 1:
        raise InputError(
            f"--min-pass-rate 的值 {min_pass_rate:g} 无效。", hint="请写 0 到 1 之间的小数，如 0.9 表示 90%。"
        )
    if repeat is not None and repeat < 1:
        raise InputError(f"--repeat 的值 {repeat} 无效。", hint="请写不小于 1 的整数。")
    if concurrency < 1:
        raise InputError(f"--concurrency 的值 {concurrency} 无效。", hint="请写不小于 1 的整数。")
    base = load_record(baseline) if baseline is not None else None  # a bad baseline stops before the run

    if rescore is not None:
        given = [n for n, v in (("--prompts", prompt_dirs), ("--model", models), ("--repeat", repeat)) if v]
        if given or case_ids:
            raise InputError(
                f"--rescore 只用已保存的草稿重新评分，不能同时使用 {'、'.join(given or ['--case'])}。",
                hint="要重新起草，请去掉 --rescore。",
            )
        record = rescore_record(load_record(rescore), load_suite(suite).suite if suite else None)
    else:
        record = _run(
            suite or DEFAULT_SUITE,
            prompt_dirs,
            models,
            repeat,
            case_ids,
            concurrency=concurrency,
            cache=not no_cache,
            base_url=base_url,
            api_key_env=api_key_env,
        )

    html = render_html(record) if html_out is not None else None  # everything rendered before any write
    if json_out is not None:
        write_record(record, json_out)
    if html_out is not None and html is not None:
        write_text(html_out, html)

    console = _console()
    failed = False
    if base is not None:
        failed = _print_regressions(compare.regressions(base, record), record, console)
    else:
        print_summary(record, console)
    if min_pass_rate is not None:
        low = compare.below(record, min_pass_rate)
        for c in low:
            console.print(
                f"[red]通过率低于门槛[/red]：{c.prompt} · {c.model} 为 {c.rate * 100:.1f}%（{c.passed}/{c.drafts}），"
                f"门槛 {min_pass_rate * 100:g}%。",
                highlight=False,
            )
        failed = failed or bool(low)
    for path in (json_out, html_out):
        if path is not None:
            console.print(f"已写入 {path}", highlight=False)
    ctx.exit(1 if failed else 0)


def _run(
    suite_path: Path,
    prompt_dirs: tuple[Path, ...],
    models: tuple[str, ...],
    repeat: int | None,
    case_ids: tuple[str, ...],
    *,
    concurrency: int,
    cache: bool,
    base_url: str | None,
    api_key_env: str | None,
) -> RunRecord:
    from ..config import load_settings
    from ..evaluation.runner import Runner, load_prompt_versions, resolve_models
    from ..evaluation.suite import load_suite

    loaded = load_suite(suite_path)
    if case_ids:
        loaded = loaded.select(list(case_ids))
    spec = loaded.suite
    settings = load_settings(base_url=base_url, api_key_env=api_key_env, cache=None if cache else False)
    # Flags are relative to where the command runs; the suite's own defaults to the suite file.
    dirs = list(prompt_dirs) or [loaded.root / p for p in spec.prompts]
    if models:
        chosen = resolve_models(models, settings)
    else:
        chosen = resolve_models(spec.models or ["offline"], settings, base=loaded.root)
    runner = Runner(
        loaded,
        load_prompt_versions(dirs),
        chosen,
        repeat=repeat or spec.repeat,
        concurrency=concurrency,
        cache=settings.cache,
    )
    with _progress(len(runner.jobs())) as advance:
        return runner.run(on_done=advance)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[DraftRun], None]]:
    """A progress bar on a terminal (stderr); nothing otherwise."""
    from rich.console import Console

    console = Console(stderr=True)
    if total <= 1 or not console.is_terminal:
        yield lambda run: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    progress = Progress(
        TextColumn("评测中"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    task = progress.add_task("eval", total=total)
    with progress:
        yield lambda run: progress.advance(task)


def _console() -> Console:
    from rich.console import Console

    console = Console(highlight=False)
    if not console.is_terminal:  # a log or a pipe: wide enough that the tables stay readable
        console = Console(highlight=False, width=160)
    return console


def _print_regressions(found: list[Regression], record: RunRecord, console: Console) -> bool:
    from ..evaluation.report import overall, percent

    passed, total = overall(record)
    console.print(
        f"评测集：{record.suite.name}　草稿 {total} 份，通过 {passed} 份（{percent(passed / total if total else 0)}）。"
    )
    if not found:
        console.print("[green]与基线相比没有回归。[/green]")
        return False
    console.print(f"[red bold]与基线相比有 {len(found)} 处回归：[/red bold]")
    for r in found:
        console.print(f"  [red]✗[/red] {r.render()}", highlight=False, soft_wrap=True)
    return True
