"""drafting revise DRAFT.draft.json [--section ID (--instruction TEXT [--yes] | --regenerate | --text-file F
| --pin TEXT | --unpin TEXT | --show)] [--restore] [--undo] [--redo] [--log] [--model SPEC]"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ._options import ModelFlags, flag_options, model_options, packed_fields
from .output import print_error

if TYPE_CHECKING:
    from rich.console import Console

    from ..revise.request import RevisionRequest
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
  drafting revise out/报告.draft.json --show 存在的主要问题 > 问题.txt
  drafting revise out/报告.draft.json --section 存在的主要问题 --text-file 问题.txt
  drafting revise out/报告.draft.json --section problems --pin 1.2
  drafting revise out/报告.draft.json --undo
  drafting revise out/报告.draft.json --restore           （恢复重新起草时另存的修改）
\b
节名可写编号（overview、problems、improvements、other）、序号（1-4）或中文名（总体情况、
存在的主要问题、改进措施、其他需要报告的事项；主动公开等“一、总体情况”的小节指总体情况）。
"""


def _revision_request() -> type[RevisionRequest]:
    """The options named as its fields make the command's ``request`` (imported on use)."""
    from ..revise.request import RevisionRequest

    return RevisionRequest


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
    """Bring the documents beside the draft up to date, saying so before the first one is
    rendered (a PDF takes seconds) and naming each as it is made."""
    started = False

    def on_render(path: Path) -> None:
        nonlocal started
        if not started:
            started = True
            why = "按修订" if session.changed else "文档比草稿文件旧（上次修订未及更新），按草稿"
            click.echo(f"正在{why}重新生成文档……")
        click.echo(f"  {path.name}")

    done = session.finish(on_render=on_render)
    if done.written:
        click.echo("已更新文档：" + "、".join(str(p) for p in done.written))
    for path, why in done.failed:
        click.secho(f"未能更新 {path}：{why}", fg="yellow", err=True)
    for note in done.notes:
        click.secho(f"提示：{note}。", fg="yellow", err=True)


def _log(session: RevisionSession) -> None:
    from ..revise.session import describe

    labels = [(s.id, s.short) for s in session.status()]
    if not session.history:
        click.echo("还没有修改。")
    for entry in session.history:
        click.echo(describe(entry, labels))


@click.command("revise", epilog=EPILOG)
@click.argument("draft", type=click.Path(path_type=Path))
@click.option(
    "--section",
    metavar="节",
    help="要修订的节：编号（overview、problems、improvements、other）、序号 1-4 或中文名（如 存在的主要问题）。",
)
@click.option(
    "--instruction",
    help="请模型按这条中文要求修订该节，如“压缩到200字以内”（需要 --model）。不加 --yes 时只显示差异和检查结果，不保存。",
)
@flag_options(
    (
        "--yes",
        "保存 --instruction 的修订（不加时只预览）。--text-file、--regenerate 不加也直接保存，加了亦可。",
    ),
    ("--force", "修订、--text-file 或 --regenerate 带来新的错误时仍然保存（不加时不保存，退出码 1）。"),
    ("--regenerate", "按数据重新生成该节（离线）并保存，固定的句子保留；带来新的错误时须加 --force。"),
)
@click.option(
    "--text-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="手工修改：用该 UTF-8 文本文件的内容替换该节（每行一段）并保存；带来新的错误时须加 --force。",
)
@click.option(
    "--pin",
    metavar="句子或编号",
    help="固定该节中的一句并保存：写原文（一字不差）或句子编号“段.句”（如 1.2）。修订和重新起草都原样保留它。",
)
@click.option("--unpin", metavar="句子或编号", help="取消固定该节中的一句（原文或编号）并保存。")
@click.option(
    "--show",
    "show_section",
    metavar="节",
    help="只显示该节现在的正文（每行一段，可存为文件改后用 --text-file 交回），不作改动。",
)
@flag_options(
    (
        "--restore",
        "恢复最近一次重新起草（drafting draft）时未能保留而另存的修改并保存（加 --section 只恢复一节）。",
    ),
    ("--undo", "撤销最近一次修改或固定（任一节）并保存。"),
    ("--redo", "重做最近一次撤销的修改并保存。"),
)
@click.option("--log", "show_log", is_flag=True, help="列出修改历史（编号、时间、做了什么）。")
@model_options
@click.pass_context
@packed_fields("request", _revision_request)
def command(
    ctx: click.Context,
    draft: Path,
    request: RevisionRequest,
    text_file: Path | None,
    show_section: str | None,
    show_log: bool,
    model_flags: ModelFlags,
) -> None:
    """修订草稿：逐节按要求修改、看差异、接受或撤销（表格数据锁定）。

    不带 --section 等选项时进入交互修订（需在终端中）：选择一节，输入修改要求，
    模型的修订逐字显示，随后显示差异和检查结果，一键接受、放弃、重试或手工修改
    （未设置 $EDITOR 时用内置的多行编辑）；带来新的错误的修改要再确认一次才接受。
    可撤销、重做，每次接受都立即保存。退出后重新生成草稿旁的文档（.md 及已有的其他格式）。

    设置的优先顺序：命令行选项 > 环境变量 DRAFTING_* > 配置文件 config.toml > 默认值。
    """
    from ..config import load_settings
    from ..revise.session import RevisionSession, backend_for

    if show_section is not None:
        _show(draft, show_section)
        return
    if text_file is not None:  # read only now: --show does not read it
        request = replace(request, text=_read_text(text_file))
    request.check()
    interactive = request.interactive and not show_log
    backend = None
    if interactive or request.needs_model:
        settings = load_settings(**model_flags)
        backend = backend_for(settings)
    session = RevisionSession(draft, backend)
    try:
        if interactive:
            section = request.section
            if section is not None:
                section = session.section(section).id  # an unknown name is named before the loop starts
            _interactive(session, section)
            return
        code = _once(session, request)
        if show_log:
            _log(session)
        # Also brings documents up to date after a session that was killed; never after a refusal
        # ("nothing to undo"), which must not read as if something had been done.
        if session.changed or (not request.interactive and code == OK):
            _finish(session)
        ctx.exit(code)
    finally:
        session.close()


def _show(draft: Path, name: str) -> None:
    """The section's paragraphs on stdout, one a line (a file ``--text-file`` takes back); what it
    is and its pinned sentences on stderr, so that a redirection keeps only the text."""
    from ..revise.session import RevisionSession, section_label

    session = RevisionSession(draft)
    section = session.section(name)
    click.echo(
        f"{section_label(section)}（{section.id}，{sum(len(p) for p in section.paragraphs)} 字）", err=True
    )
    for paragraph in section.paragraphs:
        click.echo(paragraph)
    for pin in section.pinned:
        click.echo(f"固定的句子：{pin}", err=True)


def _read_text(path: Path) -> str:
    from ..files import read_text

    return read_text(path, "文本文件")


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


def _once(session: RevisionSession, request: RevisionRequest) -> int:
    """One non-interactive request, shown; the exit code."""
    from ..backends.base import BackendError
    from ..history import KIND_LABELS
    from ..revise.request import carry_out
    from ..revise.session import describe

    try:
        done = carry_out(session, request)
    except BackendError as exc:
        print_error(exc)
        click.secho("本节未作改动，没有保存任何内容。", fg="yellow", err=True)
        return MODEL_FAILED
    if done.pinned is not None:
        click.echo(f"已固定（修改历史第 {done.pinned.n} 条）：{done.pinned.sentence}")
    if done.unpinned is not None:
        click.echo(f"已取消固定（修改历史第 {done.unpinned.n} 条）：{done.unpinned.sentence}")
    code = OK
    for restored, entry in done.restored:
        label = session.status()[session.section_ids.index(restored.section)].short
        click.echo(f"已恢复并保存“{label}”另存的修改（修改历史第 {entry.n} 条，可用 --undo 撤销）。")
        errors = restored.new_errors
        _print_proposal(_console(), restored)
        if errors:
            click.secho(
                f"恢复的文字中有 {len(errors)} 处与现在的数据不符（见上），请逐一核对修改（--show 查看，--text-file 交回）。",
                fg="yellow",
                err=True,
            )
    proposal = done.proposal
    if proposal is not None and request.section is not None:
        console = _console()
        label = session.status()[session.section_ids.index(proposal.section)].short
        console.print(f"{label}（{proposal.section}）：{KIND_LABELS[proposal.kind]}", style="bold")
        _print_proposal(console, proposal)
        if done.preview:
            click.echo("（预览：未保存。确认无误后加 --yes 保存。）")
            code = REFUSED if proposal.new_errors else OK
        elif done.refused:
            click.secho(
                f"修订带来了 {done.refused} 处新的错误，未保存。请修改要求后重试，或确需保存时加 --force。",
                fg="red",
                err=True,
            )
            code = REFUSED
        elif done.saved is not None:
            click.echo(f"已保存：{session.path}（修改历史第 {done.saved.n} 条）")
    labels = [(s.id, s.short) for s in session.status()]
    for entries, word in ((done.undone, "撤销"), (done.redone, "重做")):
        for entry in entries:
            click.echo(f"已{word}并保存：{describe(entry, labels)}")
    if done.not_done is not None:
        print_error(done.not_done)
        code = REFUSED
    return code
