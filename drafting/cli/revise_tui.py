"""The terminal loop of ``drafting revise``: prompt_toolkit reads, rich writes, the session
(``drafting.revise.session``, no terminal code) does the work.

The author picks a section (its number, id or Chinese name), then types an instruction in Chinese
at the prompt (or ``i`` for several lines, ``e`` to write it in the editor). The revision streams
in, then the diff and the checks' findings, new ones marked and numbers the data does not support
first; one key accepts (a change that brings errors asks once more), rejects, retries or opens the
text in the editor: ``$VISUAL``/``$EDITOR`` when set, else a built-in multi-line editor (never the
system's "Select an editor" prompt). Every command is listed by ``?``, and every screen fits an
80-column terminal, lines broken by the rules of Chinese typesetting (``wrapping.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click
from prompt_toolkit import PromptSession
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .. import official, pins
from ..backends.base import BackendError
from ..errors import DraftingError
from ..revise.checking import RevisionFinding
from ..revise.session import Proposal, RevisionSession, describe, split_paragraphs
from ..textdiff import summary
from .diffs import diff_text
from .wrapping import StreamWrap, wrap

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

    from ..history import Entry

Editor = Callable[[str], str | None]

COMMENT = "#"
INSTRUCTION_TEMPLATE = (
    "# 在下面写修改要求（可以多行），保存后关闭编辑器即提交；以 # 开头的行不算。\n"
    "# 表格和数字已锁定：改数据请修改数据文件后重新运行 drafting draft。\n"
)
EDIT_TEMPLATE = (
    "# 手工修改“{label}”：每行一段，保存后关闭编辑器即提交；以 # 开头的行不算。\n"
    "# 不保存就关闭，则不作改动。\n"
)

HELP: tuple[tuple[str, str], ...] = (
    ("1-4 或节名", "选择要修订的节（overview problems improvements other，或中文名如 存在的主要问题）"),
    ("直接输入中文", "把它作为修改要求发给模型，如：压缩到200字以内"),
    ("i", "输入多行修改要求（Ctrl-D 或 Esc 后 Enter 提交）"),
    ("e", "在编辑器中写修改要求（$EDITOR；未设置时用内置编辑）"),
    ("m", "在编辑器中手工修改本节"),
    ("g", "按数据重新生成本节（离线，固定的句子保留）"),
    ("restore", "恢复重新起草时另存的本节修改"),
    ("s", "显示本节正文、固定的句子和检查结果"),
    ("l", "列出各节及检查状态"),
    ("pin [编号|文字]", "固定一句（不带参数时列出句子编号，如 pin 1.2）"),
    ("unpin [编号]", "取消固定"),
    ("u", "撤销上一次修改（跨节）"),
    ("U 或 redo", "重做刚撤销的修改"),
    ("log", "修改历史；diff 编号：看某条修改的差异"),
    ("q", "退出（已接受的修改都已保存，并更新文档）"),
)
DECISION_HELP: tuple[tuple[str, str], ...] = (
    ("a", "接受并保存（带来新的错误时再确认一次）"),
    ("x", "放弃，本节不变"),
    ("t", "重试：请模型换一种写法"),
    ("m", "在编辑器中修改这一稿再决定"),
    ("d", "显示完整的差异"),
    ("?", "帮助"),
)
DECISION_KEYS = "axtmdn?q"


BUILTIN_HINT = "内置编辑：直接修改下面的文字，每行一段；Ctrl-D（或 Esc 后 Enter）提交，Ctrl-C 放弃。"


def click_editor(text: str) -> str | None:
    """``$EDITOR`` (or ``$VISUAL``) on ``text``; None when the author closed it without saving."""
    return click.edit(text, extension=".txt", require_save=True)


def editor_set() -> bool:
    """An editor the author chose. Without one, click would fall back to Debian's
    ``sensible-editor`` ("Select an editor: 1. vim 2. ed"), a trap for office staff."""
    return any(os.environ.get(name, "").strip() for name in ("VISUAL", "EDITOR"))


def _without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(COMMENT)).strip()


@dataclass
class Screen:
    """Where the loop reads and writes: a real terminal by default, pipes in tests."""

    console: Console = field(default_factory=Console)
    input: Input | None = None
    output: Output | None = None
    editor: Editor | None = None  # None: $VISUAL/$EDITOR when set, else the built-in editor
    # Every instruction typed is appended here as soon as Enter is pressed, so nothing typed is lost
    # to a failed model call or a killed process, and ↑ recalls it in the next session too.
    history_file: Path | None = None


class _KeylessHistory(FileHistory):
    """The file of typed instructions, with anything shaped like a key masked before it is
    written (the session refuses such an instruction, but Enter has already stored it)."""

    def store_string(self, string: str) -> None:
        from ..keys import redact

        super().store_string(redact(string))


class Loop:
    def __init__(self, session: RevisionSession, screen: Screen) -> None:
        self.session = session
        self.screen = screen
        self.out = screen.console
        self.current: str | None = None
        history: History = InMemoryHistory()
        if screen.history_file is not None:
            screen.history_file.parent.mkdir(parents=True, exist_ok=True)
            history = _KeylessHistory(str(screen.history_file))
        inp, out = screen.input, screen.output
        self.main = PromptSession[str](history=history, input=inp, output=out)
        self.lines = PromptSession[str](
            history=history, multiline=True, key_bindings=_editor_keys(), input=inp, output=out
        )
        self.keys = PromptSession[str](key_bindings=_single_keys(), input=inp, output=out)
        self.confirm = PromptSession[str](key_bindings=_single_keys("yYnN\r"), input=inp, output=out)
        self.builtin = PromptSession[str](multiline=True, key_bindings=_editor_keys(), input=inp, output=out)

    # --- output -----------------------------------------------------------------------------

    def say(self, text: str, style: str = "") -> None:
        self.show(Text(text, style=style))

    def show(self, text: Text) -> None:
        """Printed with its lines broken by the rules of Chinese typesetting."""
        self.out.print(wrap(text, self.out.width))

    def error(self, exc: DraftingError) -> None:
        self.say(exc.message, "bold red")
        if exc.hint:
            self.say(exc.hint, "yellow")

    def labels(self) -> list[tuple[str, str]]:
        return [(s.id, s.short) for s in self.session.status()]

    def show_list(self) -> None:
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
        for name in ("", "节", "字数", "检查", "状态"):
            table.add_column(name, no_wrap=name != "状态", overflow="fold")
        for n, st in enumerate(self.session.status(), 1):
            if st.errors:
                check = Text(f"{st.errors} 处错误", style="red")
            elif st.warnings:
                check = Text(f"{st.warnings} 处提示", style="yellow")
            else:
                check = Text("通过", style="green")
            state = []
            if st.edited:
                state.append("已修改")
            if st.pins:
                state.append(f"固定 {st.pins} 句")
            marker = "▶" if st.id == self.current else " "
            table.add_row(f"{marker}{n}", f"{st.short}（{st.id}）", str(st.chars), check, "，".join(state))
        self.out.print(table)

    def show_help(self, rows: tuple[tuple[str, str], ...] = HELP) -> None:
        table = Table(box=None, pad_edge=False, show_header=False)
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column(overflow="fold")
        for key, what in rows:
            table.add_row(key, what)
        self.out.print(table)

    def numbered(self, rows: list[tuple[str, Text]]) -> None:
        """Numbered lines with a hanging indent: Chinese has no spaces to wrap at, so a number
        followed by text would push the whole paragraph to the next line."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="dim", no_wrap=True)
        grid.add_column(overflow="fold")
        indent = max((len(number) for number, _ in rows), default=0) + 1
        for number, text in rows:
            grid.add_row(number, wrap(text, self.out.width - indent))
        self.out.print(grid)

    def show_findings(self, findings: list[RevisionFinding], *, only_new: bool = False) -> None:
        shown = [f for f in findings if f.new] if only_new else findings
        if not shown:
            self.say("检查：通过" if not findings else "检查：没有新的问题", "green")
            return
        for f in shown:
            style = "bold red" if f.is_error else "yellow"
            mark = "【新】" if f.new and not only_new else ""
            if f.about_numbers and f.new:
                mark = "【新·数字】"
            self.say(f"{mark}{f.render()}", style)

    def show_section(self) -> None:
        if self.current is None:
            return
        section = self.session.section(self.current)
        self.say(section.heading + section.title, "bold")
        self.numbered(
            [(str(n), _highlight_pins(p, section.pinned)) for n, p in enumerate(section.paragraphs, 1)]
        )
        if section.pinned:
            self.say(f"固定的句子 {len(section.pinned)} 句（黄色）", "yellow")
        self.show_findings(self.session.findings(self.current))

    def show_proposal(self, proposal: Proposal, *, full: bool = False) -> None:
        if not proposal.changed:
            self.say("这一稿与现在的正文相同。", "yellow")
        else:
            self.out.print(Text("差异：", style="bold"))
            self.show(
                diff_text(proposal.before.paragraphs, proposal.after.paragraphs, context=None if full else 40)
            )
            self.say(summary(proposal.before.paragraphs, proposal.after.paragraphs), "dim")
        self.show_findings(proposal.findings, only_new=True)
        old = [f for f in proposal.findings if not f.new]
        if old:
            self.say(f"（另有 {len(old)} 处原有的问题，输入 s 查看）", "dim")
        if proposal.new_errors:
            self.say(
                f"这一稿带来了 {len(proposal.new_errors)} 处新的错误，请核对后再决定是否接受。", "bold red"
            )

    # --- input ------------------------------------------------------------------------------

    def prompt(self) -> str:
        where = self.current or "revise"
        return self.main.prompt(f"{where}> ")

    def choose(self) -> str:
        extra = " [t]重试" if self.session.pending and self.session.pending.kind == "revise" else ""
        message = f"[a]接受 [x]放弃{extra} [m]手改 [d]差异 [?]帮助 > "
        return self.keys.prompt(message).strip()[:1]

    # --- the loop ---------------------------------------------------------------------------

    def run(self) -> None:
        draft = self.session.draft
        self.say(draft.title, "bold")
        model = self.session.model_name
        self.say(
            f"草稿：{self.session.path}    模型：{model}{'（只能手工修改和重新生成）' if model == 'offline' else ''}"
        )
        self.show_list()
        self.say("输入节的编号开始修订；输入 ? 查看全部命令。", "dim")
        while True:
            try:
                line = self.prompt().strip()
            except KeyboardInterrupt:
                self.say("（输入 q 退出）", "dim")
                continue
            except EOFError:
                break
            if not line:
                continue
            try:
                if self.handle(line) is False:
                    break
            except DraftingError as exc:
                self.error(exc)
            except KeyboardInterrupt:
                self.say("已取消。", "dim")

    def handle(self, line: str) -> bool | None:
        """One command. False ends the loop."""
        word, _, rest = line.partition(" ")
        rest = rest.strip()
        command = word if word in ("U",) else word.lower()
        sections = self.session.section_ids
        if command in ("q", "quit", "exit"):
            return False
        if command in ("?", "？", "h", "help", "帮助"):
            self.show_help()
            return None
        if command in ("l", "ls", "list"):
            self.show_list()
            return None
        if command.isdigit() or command in sections:
            index = int(command) - 1 if command.isdigit() else sections.index(command)
            if not 0 <= index < len(sections):
                self.say(f"没有第 {command} 节：请输入 1-{len(sections)}。", "red")
                return None
            self.current = sections[index]
            if rest:
                self.revise(rest)
            else:
                self.show_section()
            return None
        if command in ("u", "undo"):
            self.step(self.session.undo(), "撤销")
            return None
        if command in ("U", "redo"):
            self.step(self.session.redo(), "重做")
            return None
        if command in ("log", "history"):
            self.show_log()
            return None
        if not command.isascii() and not rest and self.select(line):
            return None
        if command == "diff":
            self.show_entry_diff(rest)
            return None
        if not command.isascii():
            self.revise(line)
            return None
        if self.current is None:
            self.say("请先选择一节：输入 1-4 或节名（? 查看命令）。", "yellow")
            return None
        if command in ("s", "show"):
            self.show_section()
        elif command in ("i", "r", "revise"):
            text = rest or self.read_lines()
            if text:
                self.revise(text)
        elif command == "e":
            composed = self.edit_text(INSTRUCTION_TEMPLATE, "")
            text = _without_comments(composed or "")
            if not text:
                self.say("没有写修改要求，未作改动。", "yellow")
            else:
                self.revise(text)
        elif command in ("m", "edit"):
            self.manual(self.session.section(self.current).paragraphs)
        elif command in ("g", "regen", "regenerate"):
            self.decide(self.session.regenerate(self.current))
        elif command == "restore":
            self.decide(self.session.restore(self.current))
        elif command == "pin":
            self.pin(rest)
        elif command == "unpin":
            self.unpin(rest)
        elif command in ("c", "check"):
            self.show_findings(self.session.findings(self.current))
        else:
            self.say(f"不认识的命令“{word}”：输入 ? 查看全部命令。", "yellow")
        return None

    def step(self, entry: Entry, done: str) -> None:
        """After an undo or a redo (``done`` says which): go to its section and show what stands."""
        self.current = entry.section
        self.say(f"已{done}：{describe(entry, self.labels())}（已保存）", "green")
        self.show_findings(self.session.findings(entry.section or ""))

    def edit_text(self, header: str, text: str) -> str | None:
        """``text`` edited by the author: in the editor the screen names, in ``$VISUAL``/``$EDITOR``
        when one is set (``header`` on top, as comment lines), else in the built-in multi-line
        editor. None when the author left without submitting."""
        editor = self.screen.editor
        if editor is None and editor_set():
            editor = click_editor
        if editor is not None:
            return editor(header + text)
        self.say(BUILTIN_HINT, "dim")
        try:
            return self.builtin.prompt("", default=text.rstrip("\n"))
        except (KeyboardInterrupt, EOFError):
            return None

    def select(self, name: str) -> bool:
        """A section named in Chinese (``存在的主要问题``, ``主动公开``): chosen; False if the
        words name none (they are then an instruction)."""
        try:
            section = official.resolve_section(name)
        except DraftingError:
            return False
        self.current = section
        self.show_section()
        return True

    def read_lines(self) -> str:
        self.say("输入修改要求，可以多行；按 Ctrl-D（或 Esc 后 Enter）提交，Ctrl-C 取消。", "dim")
        try:
            return self.lines.prompt("要求> ").strip()
        except (KeyboardInterrupt, EOFError):
            self.say("已取消。", "dim")
            return ""

    # --- proposals --------------------------------------------------------------------------

    def revise(self, instruction: str) -> None:
        if self.current is None:
            self.say("请先选择一节：输入 1-4 或节名（? 查看命令）。", "yellow")
            return
        proposal = self.stream(lambda on_text: self.session.revise(self.current or "", instruction, on_text))
        if proposal is not None:
            self.decide(proposal)

    def stream(self, ask: Callable[[Callable[[str], None]], Proposal]) -> Proposal | None:
        """Run a model request, showing its answer as it arrives. A failure or Ctrl-C leaves the
        section as it was; nothing is saved."""
        label = dict(self.labels()).get(self.current or "", "")
        self.say(f"正在请 {self.session.model_name} 修订“{label}”……（Ctrl-C 取消）", "dim")
        shown = ""
        lines = StreamWrap(self.out.width)

        def on_text(text: str) -> None:
            nonlocal shown, lines
            if shown and not text.startswith(shown):
                self.out.print(Text(lines.flush(), style="cyan"), end="", soft_wrap=True)
                self.out.print(Text("\n（连接中断，重新请求……）", style="yellow"))
                shown, lines = "", StreamWrap(self.out.width)
            self.out.print(Text(lines.feed(text[len(shown) :]), style="cyan"), end="", soft_wrap=True)
            shown = text

        try:
            proposal = ask(on_text)
        except BackendError as exc:
            self.out.print(Text(lines.flush(), style="cyan"), end="", soft_wrap=True)
            if shown:
                self.out.print()
            self.error(exc)
            self.say("本节未作改动，没有保存任何内容。", "yellow")
            return None
        except KeyboardInterrupt:
            self.out.print(Text(lines.flush(), style="cyan"), end="", soft_wrap=True)
            self.out.print()
            self.say("已取消本次修订，本节未作改动。", "yellow")
            return None
        self.out.print(Text(lines.flush(), style="cyan"), end="", soft_wrap=True)
        if shown:
            self.out.print()
        return proposal

    def manual(self, paragraphs: list[str]) -> None:
        assert self.current is not None
        label = dict(self.labels()).get(self.current, "")
        edited = self.edit_text(EDIT_TEMPLATE.format(label=label), "\n".join(paragraphs) + "\n")
        if edited is None:
            self.say("编辑器未保存，未作改动。", "yellow")
            return
        text = _without_comments(edited)
        if split_paragraphs(text) == self.session.section(self.current).paragraphs:
            self.say("正文没有变化。", "yellow")
            return
        self.decide(self.session.edit(self.current, text))

    def decide(self, proposal: Proposal) -> None:
        """Show a proposal and wait for one key: accept, reject, retry, edit by hand, diff."""
        self.show_proposal(proposal)
        while True:
            try:
                key = self.choose()
            except (KeyboardInterrupt, EOFError):
                key = "x"
            if key == "a":
                if not proposal.changed:
                    self.session.reject()
                    self.say("这一稿与现在的正文相同，未作改动。", "yellow")
                    return
                if proposal.new_errors and not self.sure(len(proposal.new_errors)):
                    self.say("未接受。可以再按 x 放弃、m 手改，或 a 确认接受。", "dim")
                    continue
                entry = self.session.accept()
                self.say(f"已接受并保存（修改历史第 {entry.n} 条）。输入 u 可撤销。", "green")
                return
            if key in ("x", "n", "q"):
                self.session.reject()
                self.say("已放弃这一稿，本节未作改动。", "yellow")
                return
            if key == "d":
                self.show_proposal(proposal, full=True)
            elif key == "m":
                self.session.reject()
                self.manual(proposal.after.paragraphs)
                return
            elif key == "t" and proposal.kind == "revise":
                retried = self.stream(lambda on_text: self.session.retry(on_text))
                if retried is None:
                    self.session.pending = proposal  # the earlier one still stands
                    self.say("上一稿仍可接受或放弃。", "dim")
                else:
                    proposal = retried
                    self.show_proposal(proposal)
            else:
                self.show_help(DECISION_HELP)

    def sure(self, errors: int) -> bool:
        """Asked before a change that brings errors is accepted: y accepts, anything else not."""
        message = f"这一稿带来了 {errors} 处新的错误（见上）。仍要接受吗？[y]接受 [n]返回 > "
        try:
            return self.confirm.prompt(message).strip().lower() == "y"
        except (KeyboardInterrupt, EOFError):
            return False

    # --- pins and history -------------------------------------------------------------------

    def pin(self, arg: str) -> None:
        assert self.current is not None
        section = self.session.section(self.current)
        numbered = pins.numbered_sentences(section.paragraphs)
        if not arg:
            self.numbered([(n, Text(s + ("（已固定）" if s in section.pinned else ""))) for n, s in numbered])
            self.say("输入 pin 编号（如 pin 1.2）固定一句，或 pin 后接原文中的一段文字。", "dim")
            return
        sentence = dict(numbered).get(arg, arg)
        self.session.pin(self.current, sentence)
        self.say(f"已固定：{sentence}（修订和重新生成都会原样保留）", "green")

    def unpin(self, arg: str) -> None:
        assert self.current is not None
        pinned = self.session.section(self.current).pinned
        if not arg:
            if not pinned:
                self.say("本节没有固定的句子。", "dim")
            self.numbered([(str(n), Text(sentence)) for n, sentence in enumerate(pinned, 1)])
            if pinned:
                self.say("输入 unpin 编号 取消固定。", "dim")
            return
        sentence = pinned[int(arg) - 1] if arg.isdigit() and 0 < int(arg) <= len(pinned) else arg
        self.session.unpin(self.current, sentence)
        self.say(f"已取消固定：{sentence}", "green")

    def show_log(self) -> None:
        if not self.session.history:
            self.say("还没有修改。", "dim")
            return
        labels = self.labels()
        undo, redo = self.session.next_undo(), self.session.next_redo()
        for entry in self.session.history:
            self.say(describe(entry, labels))
        if undo is not None:
            self.say(f"u 将撤销第 {undo.n} 条", "dim")
        if redo is not None:
            self.say(f"U 将重做第 {redo.n} 条", "dim")

    def show_entry_diff(self, arg: str) -> None:
        number = re.sub(r"\D", "", arg)
        if not number:
            self.say("用法：diff 编号（编号见 log）。", "yellow")
            return
        try:
            entry = self.session.entry(int(number))
        except StopIteration:
            self.say(f"修改历史中没有第 {number} 条。", "yellow")
            return
        if entry.before is None or entry.after is None:
            self.say(describe(entry, self.labels()))
            return
        self.say(describe(entry, self.labels()), "bold")
        self.show(diff_text(entry.before.paragraphs, entry.after.paragraphs))


def _highlight_pins(paragraph: str, pinned: list[str]) -> Text:
    text = Text(paragraph)
    for pin in pinned:
        start = paragraph.find(pin)
        if start >= 0:
            text.stylize("bold yellow", start, start + len(pin))
    return text


def _single_keys(keys: str = DECISION_KEYS) -> KeyBindings:
    """The decision prompt answers on one key press, no Enter needed."""
    bindings = KeyBindings()
    for key in keys:
        name = "enter" if key == "\r" else key

        @bindings.add(name, eager=True)
        def _(event: KeyPressEvent, key: str = key) -> None:
            event.app.exit(result=key)

    return bindings


def _editor_keys() -> KeyBindings:
    """Multi-line input submitted by Ctrl-D as well as Esc Enter (Enter adds a line)."""
    bindings = KeyBindings()

    @bindings.add("c-d", eager=True)
    def _(event: KeyPressEvent) -> None:
        event.app.exit(result=event.current_buffer.text)

    return bindings


def run(session: RevisionSession, screen: Screen | None = None, *, section: str | None = None) -> None:
    """The interactive session until the author quits, starting on ``section`` if given. Every
    accepted change is already saved when this returns; the caller then rewrites the documents
    (``session.finish()``)."""
    if screen is None:
        from ..config import data_dir

        screen = Screen(history_file=data_dir() / "revise-history.txt")
    loop = Loop(session, screen)
    loop.current = section
    loop.run()
