"""drafting revise DRAFT.draft.json [--section ID (--instruction TEXT [--yes] | --regenerate | --text-file F
| --pin TEXT | --unpin TEXT)] [--undo] [--redo] [--log] [--model SPEC]"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._options import model_options
from .output import print_error

if TYPE_CHECKING:
    from rich.console import Console

    from ..revise.session import Proposal, RevisionSession

# Exit codes (also in --help).
OK = 0
REFUSED = 1  # the revision brings new errors (not saved), or nothing to undo/redo
CANNOT = 2  # bad draft file, section, options; a data change; a free-form instruction offline
MODEL_FAILED = 4  # the model endpoint failed: nothing changed

EPILOG = """\b
退出码：
  0  完成：已保存；或（未加 --yes）预览中没有新的错误
  1  修订带来了新的错误，未保存（确需保存加 --force）；或没有可撤销/重做的修改
  2  无法照办：草稿文件或节名有误、选项用法不对、要求改动表格数据（请改数据文件后重新
     drafting draft）、离线模式下按文字要求修订（需指定 --model）
  4  模型接口调用失败，本节未作改动
\b
示例：
  drafting revise out/报告.draft.json                       （交互修订，需在终端中）
  drafting revise out/报告.draft.json --section problems \\
      --instruction "压缩到200字以内" --model deepseek --yes
  drafting revise out/报告.draft.json --undo
"""


def _console(err: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=err, highlight=False, soft_wrap=False)


def _print_proposal(console: Console, proposal: Proposal) -> None:
    from rich.text import Text

    from ..textdiff import summary
    from .diffs import diff_text

    if not proposal.changed:
        console.print("修订结果与现在的正文相同。")
    else:
        plain = not console.is_terminal or console.no_color
        console.print(diff_text(proposal.before.paragraphs, proposal.after.paragraphs, markers=plain))
        console.print(Text(summary(proposal.before.paragraphs, proposal.after.paragraphs), style="dim"))
    new = proposal.new_findings
    if not new:
        console.print(Text("检查：没有新的问题。", style="green"))
    for f in new:
        console.print(Text("【新】" + f.render(), style="bold red" if f.is_error else "yellow"))


def _finish(session: RevisionSession) -> None:
    done = session.finish()
    if done.written:
        click.echo("已更新文档：" + "、".join(str(p) for p in done.written))
    for path, why in done.failed:
        click.secho(f"未能更新 {path}：{why}", fg="yellow", err=True)


def _log(session: RevisionSession) -> None:
    from ..revise.session import describe

    labels = [(s.id, s.short) for s in session.status()]
    if not session.history:
        click.echo("还没有修改。")
    for entry in session.history:
        click.echo(describe(entry, labels))


@click.command("revise", epilog=EPILOG)
@click.argument("draft", type=click.Path(path_type=Path))
@click.option("--section", help="要修订的节：overview、problems、improvements、other。")
@click.option("--instruction", help="修改要求（中文），如“压缩到200字以内”。需要模型（--model）。")
@click.option("--yes", is_flag=True, help="接受修订并保存；不加时只显示差异和检查结果，不保存。")
@click.option("--force", is_flag=True, help="与 --yes 同用：修订带来新的错误时也保存。")
@click.option("--regenerate", is_flag=True, help="按数据重新生成该节（离线，固定的句子保留）。")
@click.option(
    "--text-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="手工修改：用该 UTF-8 文本文件的内容替换该节（每行一段）。",
)
@click.option("--pin", "pin_text", metavar="TEXT", help="固定该节中的一句（须与正文一字不差）。")
@click.option("--unpin", "unpin_text", metavar="TEXT", help="取消固定该节中的一句。")
@click.option("--undo", is_flag=True, help="撤销最近一次已接受的修改。")
@click.option("--redo", is_flag=True, help="重做最近一次撤销的修改。")
@click.option("--log", "show_log", is_flag=True, help="列出修改历史。")
@model_options
@click.pass_context
def command(
    ctx: click.Context,
    draft: Path,
    section: str | None,
    instruction: str | None,
    yes: bool,
    force: bool,
    regenerate: bool,
    text_file: Path | None,
    pin_text: str | None,
    unpin_text: str | None,
    undo: bool,
    redo: bool,
    show_log: bool,
    model: str | None,
    base_url: str | None,
    api_key_env: str | None,
) -> None:
    """修订草稿：逐节按要求修改、看差异、接受或撤销（表格数据锁定）。

    不带 --section 等选项时进入交互修订（需在终端中）：选择一节，输入修改要求，
    模型的修订逐字显示，随后显示差异和检查结果，一键接受、放弃、重试或手工修改；
    可撤销、重做，每次接受都立即保存。退出后重新生成草稿旁的文档（.md 及已有的其他格式）。

    设置的优先顺序：命令行选项 > 环境变量 DRAFTING_* > 配置文件 config.toml > 默认值。
    """
    from ..config import load_settings
    from ..errors import InputError
    from ..revise.session import RevisionSession, backend_for

    actions = [instruction is not None, regenerate, text_file is not None, pin_text is not None]
    actions += [unpin_text is not None]
    if sum(actions) > 1:
        raise InputError(
            "--instruction、--regenerate、--text-file、--pin、--unpin 一次只能用一个。",
            hint="要做几件事，请分几次运行，或进入交互修订。",
        )
    if any(actions) and section is None:
        raise InputError(
            "请用 --section 指明要修订的节。", hint="可用的节：overview、problems、improvements、other。"
        )
    if any(actions) and (undo or redo):
        raise InputError("--undo、--redo 不能与修订选项同用。")
    if yes and instruction is None:
        raise InputError("--yes 只用于 --instruction 的修订（--regenerate、--text-file 直接保存）。")
    if force and not (instruction is not None or regenerate or text_file is not None):
        raise InputError("--force 只用于 --instruction、--regenerate 或 --text-file。")
    interactive = not (any(actions) or undo or redo or show_log)
    needs_model = interactive or instruction is not None
    backend = None
    if needs_model:
        settings = load_settings(model=model, base_url=base_url, api_key_env=api_key_env)
        backend = backend_for(settings)
    session = RevisionSession(draft, backend)
    try:
        if section is not None:
            session.section(section)  # an unknown id is named before any request
        if interactive:
            _interactive(session, section)
            return
        code = _once(session, section, instruction, yes, force, regenerate, text_file, pin_text, unpin_text)
        if not code:
            code = _undo_redo(session, undo, redo)
        if show_log:
            _log(session)
        if session.changed or any(actions) or undo or redo:
            _finish(session)  # also brings documents up to date after a session that was killed
        ctx.exit(code)
    finally:
        session.close()


def _interactive(session: RevisionSession, section: str | None) -> None:
    from ..errors import InputError
    from . import revise_tui

    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputError(
            "交互修订需要在终端中运行。",
            hint="脚本中请用 --section ID --instruction 要求 [--yes]，或 --undo、--regenerate、--text-file。",
        )
    try:
        revise_tui.run(session, section=section)
    finally:
        _finish(session)


def _once(
    session: RevisionSession,
    section: str | None,
    instruction: str | None,
    yes: bool,
    force: bool,
    regenerate: bool,
    text_file: Path | None,
    pin_text: str | None,
    unpin_text: str | None,
) -> int:
    """One non-interactive action on a section; the exit code."""
    from ..backends.base import BackendError
    from ..errors import InputError, os_reason
    from ..history import KIND_LABELS

    if section is None:
        return OK
    if pin_text is not None:
        entry = session.pin(section, pin_text)
        click.echo(f"已固定（修改历史第 {entry.n} 条）：{entry.sentence}")
        return OK
    if unpin_text is not None:
        entry = session.unpin(section, unpin_text)
        click.echo(f"已取消固定（修改历史第 {entry.n} 条）：{entry.sentence}")
        return OK
    if regenerate:
        proposal = session.regenerate(section)
    elif text_file is not None:
        try:
            text = text_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                f"无法读取文件 {text_file}：{os_reason(exc)}", hint="请用 UTF-8 编码保存。"
            ) from None
        proposal = session.edit(section, text)
    elif instruction is not None:
        try:
            proposal = session.revise(section, instruction)
        except BackendError as exc:
            print_error(exc)
            click.secho("本节未作改动，没有保存任何内容。", fg="yellow", err=True)
            return MODEL_FAILED
    else:
        return OK
    console = _console()
    label = session.status()[session.section_ids.index(section)].short
    console.print(f"{label}（{section}）：{KIND_LABELS[proposal.kind]}", style="bold")
    _print_proposal(console, proposal)
    errors = proposal.new_errors
    if instruction is not None and not yes:
        click.echo("（预览：未保存。确认无误后加 --yes 保存。）")
        return REFUSED if errors else OK
    if errors and not force:
        click.secho(
            f"修订带来了 {len(errors)} 处新的错误，未保存。请修改要求后重试，或确需保存时加 --force。",
            fg="red",
            err=True,
        )
        return REFUSED
    if not proposal.changed:
        return OK
    entry = session.accept()
    click.echo(f"已保存：{session.path}（修改历史第 {entry.n} 条）")
    return OK


def _undo_redo(session: RevisionSession, undo: bool, redo: bool) -> int:
    from ..errors import DraftingError
    from ..revise.session import describe

    labels = [(s.id, s.short) for s in session.status()]
    for wanted, act, word in ((undo, session.undo, "撤销"), (redo, session.redo, "重做")):
        if not wanted:
            continue
        try:
            entry = act()
        except DraftingError as exc:
            print_error(exc)
            return REFUSED
        click.echo(f"已{word}并保存：{describe(entry, labels)}")
    return OK
