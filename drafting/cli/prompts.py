"""drafting prompts list | show ID [--data FILE]"""

from __future__ import annotations

from pathlib import Path

import click

from ._options import path_option


@click.group("prompts")
def command() -> None:
    """查看起草用的提示词（随程序安装的提示词，或环境变量 DRAFTING_PROMPTS 指定的目录）。"""


@command.command("list")
def list_() -> None:
    """列出每个提示词的编号、版本、参数和变量。"""
    from ..prompts import SUFFIX, TASK_VARIABLES, load_prompts, load_task_prompt

    prompts = load_prompts()
    # Task prompts (revise.md) are not sections, but they are prompt files a user may edit too.
    folder = prompts.system.path.parent
    tasks = [load_task_prompt(t, folder) for t in TASK_VARIABLES if (folder / f"{t}{SUFFIX}").is_file()]
    for prompt in (prompts.system, *prompts.sections.values(), *tasks):
        params = prompt.meta.parameters
        setting = f"temperature={params.temperature} max_tokens={params.max_tokens}" if params else "（共用）"
        click.echo(f"{prompt.id:<13}{prompt.version:<16}{setting}")
        if prompt.meta.description:
            click.echo(f"    {prompt.meta.description}")
        click.echo(f"    变量：{'、'.join(prompt.meta.variables)}")
        click.echo(f"    文件：{prompt.path}")


@command.command("show")
@click.argument("prompt_id")
@path_option("--data", help="数据文件：显示按该文件渲染后发给模型的完整内容。")
def show(prompt_id: str, data: Path | None) -> None:
    """显示一个提示词；给出 --data 时显示渲染后的消息。"""
    from ..prompts import SYSTEM_ID, load_prompts, render, render_system

    prompts = load_prompts()
    prompt = prompts.get(prompt_id)
    click.echo(f"# {prompt.id} {prompt.version}（{prompt.path}）")
    if data is None:
        click.echo(prompt.body)
        return
    from ..data import load_data

    report = load_data(data).data
    if prompt_id == SYSTEM_ID:
        click.echo(render_system(prompts, report))
        return
    rendered = render(prompts, prompt_id, report)
    request = rendered.request
    click.echo(f"# temperature={request.temperature} max_tokens={request.max_tokens}")
    for message in request.messages:
        click.echo(f"\n===== {message.role} =====")
        click.echo(message.content)
