"""The traps of the terminal revision (issue 14, item 8), each driven as an author meets it: the
installed command in a pseudo-terminal of 80 columns, keys typed after the prompt shows, the draft
file on disk. No $EDITOR, and a ``sensible-editor`` on the PATH that would print Debian's "Select an
editor" prompt if anything called it."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from drafting import pins
from drafting.cli.wrapping import CLOSING, OPENING
from drafting.document import load_draft

from . import revise_support
from .pty_support import Pty
from .revise_support import MODEL, offline_text, revise_cli, revision_server

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")

_keyed = revise_support.keyed_fixture
draft = revise_support.draft_fixture

# A hand edit of 存在的主要问题: its first sentence reworded, and a second paragraph.
PROBLEMS_EDITED = (
    "2023年，我局政府信息公开工作还存在一些不足：一是部分干部主动公开的意识不强，对公开信息的理解不够深入；"
    "二是队伍建设不足，人员更换频繁，工作延续性不强。"
)
SECOND = "此外，政策解读形式比较单一。"


def _env(tmp_path: Path) -> dict[str, str]:
    """The author's terminal: no editor chosen, and the system's editor chooser on the PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name in ("sensible-editor", "editor", "vim", "vi", "nano"):
        script = bin_dir / name
        script.write_text(
            "#!/bin/sh\necho 'Select an editor.  To change later, run select-editor.'\nexit 1\n"
        )
        script.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    env.update(TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1", PATH=f"{bin_dir}{os.pathsep}{env['PATH']}")
    return env


def _open(draft: Path, tmp_path: Path, *extra: str, prompt: str = "revise>") -> Pty:
    term = Pty(["revise", str(draft), "--model", "offline", *extra], _env(tmp_path))
    term.expect(prompt)
    return term


def _edit_by_hand(term: Pty, text: str, shown: str = "工作延续性不强。") -> None:
    """``m`` in the built-in editor: once it shows the section (ending in ``shown``), delete it,
    type ``text``, submit with Ctrl-D."""
    term.send("m\r")
    term.expect("内置编辑")
    term.expect(shown, after=term.text.rindex("内置编辑"))  # the editor's own copy, after the hint
    # Delete the text the editor opened with, from the end where the cursor stands: Ctrl-U clears
    # to the start of the line, Backspace joins the line before (Emacs keys, prompt_toolkit's own).
    for _ in range(10):
        term.send("\x15\x7f")
    term.send(text.replace("\n", "\r"))
    term.send("\x04")


def _keys(term: Pty, *steps: tuple[str, str]) -> None:
    """Each step: type its keys, then wait until the loop shows its words."""
    for keys, words in steps:
        term.send(keys)
        term.expect(words)


def _accept_by_hand(term: Pty, text: str) -> None:
    """存在的主要问题 edited by hand in the built-in editor, and the change accepted."""
    term.send("2\r")
    term.expect("problems>")
    _edit_by_hand(term, text)
    term.expect("[a]接受")
    term.send("a")
    term.expect("已接受并保存")


def test_without_an_editor_the_built_in_one_edits_the_section(draft: Path, tmp_path: Path) -> None:
    term = _open(draft, tmp_path)
    try:
        _accept_by_hand(term, PROBLEMS_EDITED + "\n" + SECOND)
        term.send("q\r")
        term.expect("已更新文档")
    finally:
        code = term.close()
    assert code == 0, term.text[-2000:]
    assert "Select an editor" not in term.text
    assert load_draft(draft).section("problems").paragraphs == [PROBLEMS_EDITED, SECOND]


def test_a_change_that_brings_an_error_is_accepted_only_when_confirmed(draft: Path, tmp_path: Path) -> None:
    wrong = offline_text("problems")[0] + "全年共组织培训27次。"
    term = _open(draft, tmp_path)
    try:
        term.send("2\r")
        term.expect("problems>")
        _edit_by_hand(term, wrong)
        term.expect("[a]接受")
        _keys(term, ("a", "仍要接受吗"), ("n", "未接受"))
        assert load_draft(draft).history == []  # nothing saved on the first a
        _keys(term, ("a", "仍要接受吗"), ("y", "已接受并保存"), ("q\r", "已更新文档"))
    finally:
        term.close()
    saved = load_draft(draft)
    assert saved.section("problems").paragraphs == [wrong]
    assert any("27" in f for f in saved.history[-1]["findings"])


def test_a_pin_survives_regeneration_once_and_undo_takes_it_back(draft: Path, tmp_path: Path) -> None:
    term = _open(draft, tmp_path)
    try:
        _accept_by_hand(term, PROBLEMS_EDITED + "\n" + SECOND)
        assert [e["kind"] for e in load_draft(draft).history] == ["manual"]
        _keys(term, ("pin 1.1\r", "已固定"), ("g\r", "[a]接受"), ("a", "已接受并保存（修改历史第 3 条）"))
        regenerated = load_draft(draft).section("problems")
        # The pinned sentence took the place of the sentence it rewords: said once, not twice.
        assert regenerated.paragraphs == [PROBLEMS_EDITED]
        assert regenerated.pinned == [PROBLEMS_EDITED]

        _keys(
            term,
            ("u\r", "已撤销：#4"),  # the regeneration
            ("u\r", "已撤销：#5"),  # the pin, not the manual edit before it
        )
        undone = load_draft(draft).section("problems")
        assert undone.pinned == [] and undone.paragraphs == [PROBLEMS_EDITED, SECOND]
        _keys(
            term,
            ("U\r", "已重做：#6"),  # and redo pins it again
            ("q\r", "已更新文档"),
        )
    finally:
        term.close()
    assert load_draft(draft).section("problems").pinned == [PROBLEMS_EDITED]


def _no_line_starts_with_closing_punctuation(term: Pty, start: str) -> None:
    """Every line the loop printed from ``start`` on (the editor's input area before it is
    prompt_toolkit's, which wraps by cells only)."""
    text = term.text
    lines = text[text.index(start) :].split("\n")
    for shown in (part for line in lines for part in line.split("\r")):
        text = shown.strip()
        assert not text or text[0] not in CLOSING, f"a line starts with {text[0]!r}: {shown!r}"
        # Only the screen's own lines: an opening mark may end a line of the author's text only
        # when the whole line is marks, which these texts do not have.
        assert not text or text[-1] not in OPENING or len(text) == 1, (
            f"a line ends with {text[-1]!r}: {shown!r}"
        )


def test_wrapped_lines_never_start_with_closing_punctuation(draft: Path, tmp_path: Path) -> None:
    # At 80 columns a numbered paragraph has 78 cells: 39 characters, then the comma. rich folds
    # there, and the line would start with "，"; so it would with the 40th character streamed.
    paragraph = "一" * 39 + "，" + "二" * 37 + "。" + "（三）" + "四" * 36 + "，" + "五" * 10 + "。"
    term = _open(draft, tmp_path)
    try:
        _accept_by_hand(term, paragraph)
        _keys(term, ("s\r", "检查"), ("q\r", "已更新文档"))
    finally:
        term.close()
    assert "五" * 10 in term.text.replace("\n", "")
    _no_line_starts_with_closing_punctuation(term, "差异：")


def test_a_streamed_revision_breaks_lines_by_the_same_rules(draft: Path, tmp_path: Path) -> None:
    answer = "六" * 40 + "，" + "七" * 39 + "。" + "八" * 20 + "。"
    with revision_server(lambda body: answer) as server:
        env = _env(tmp_path)
        term = Pty(["revise", str(draft), "--model", MODEL, "--base-url", server.base_url], env)
        try:
            term.expect("revise>")
            _keys(term, ("2\r", "problems>"), ("改写\r", "[a]接受"), ("x", "已放弃"))
            term.send("q\r")
        finally:
            term.close()
    assert "八" * 20 in term.text.replace("\n", "")
    _no_line_starts_with_closing_punctuation(term, "改写")


def test_quitting_says_the_documents_are_being_made_before_they_are(draft: Path, tmp_path: Path) -> None:
    term = _open(draft, tmp_path)
    try:
        _accept_by_hand(term, PROBLEMS_EDITED)
        term.send("q\r")
        term.expect("已更新文档")
    finally:
        term.close()
    text = term.text
    progress = text.index("正在按修订重新生成文档")
    assert progress < text.index(".md", progress) < text.index("已更新文档")


def test_sections_by_their_chinese_names_in_the_loop(draft: Path, tmp_path: Path) -> None:
    term = _open(draft, tmp_path, "--section", "主动公开", prompt="overview>")
    try:
        _keys(term, ("存在的主要问题\r", "problems>"), ("（二）改进措施\r", "improvements>"))
        term.send("q\r")
    finally:
        term.close()
    assert load_draft(draft).history == []  # names chose sections: nothing went to a model


# --- the command line --------------------------------------------------------------------------


def test_show_prints_the_section_and_text_file_takes_it_back(draft: Path, tmp_path: Path) -> None:
    shown = revise_cli(draft, "--show", "存在的主要问题")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.splitlines() == offline_text("problems")
    assert "存在的主要问题" in shown.stderr  # what it is, beside the text, not in it

    text = tmp_path / "问题.txt"
    text.write_text(shown.stdout.replace("人员更换频繁", "人员调整较多"), encoding="utf-8")
    # --yes with --text-file saves, as the help says (it used to be refused).
    saved = revise_cli(draft, "--section", "存在的主要问题", "--text-file", str(text), "--yes")
    assert saved.exit_code == 0, saved.output
    assert "人员调整较多" in load_draft(draft).section("problems").paragraphs[0]
    assert revise_cli(draft, "--show", "没有这节").exit_code == 2


def test_pin_by_number_and_chinese_section_names_on_the_command_line(draft: Path) -> None:
    # Sentence 2.2 as the draft words it (the offline wording varies per agency and year: issue 14).
    second = pins.sentences(load_draft(draft).section("overview").paragraphs[1])[1]
    pinned = revise_cli(draft, "--section", "一、总体情况", "--pin", "2.2")
    assert pinned.exit_code == 0, pinned.output
    assert load_draft(draft).section("overview").pinned == [second]
    missing = revise_cli(draft, "--section", "overview", "--pin", "9.9")
    assert missing.exit_code == 2 and "没有编号为 9.9 的句子" in missing.output
    both = revise_cli(draft, "--section", "五、存在的主要问题及改进情况", "--regenerate")
    assert both.exit_code == 2 and "包括两节" in both.output
    undone = revise_cli(draft, "--undo")
    assert undone.exit_code == 0 and "撤销" in undone.output
    assert load_draft(draft).section("overview").pinned == []


def test_the_help_says_what_each_flag_does(draft: Path) -> None:
    result = revise_cli(draft, "--help")
    assert result.exit_code == 0
    help_text = " ".join(result.output[result.output.index("Options:") :].split())
    for flag, words in {
        "--yes": "--text-file",  # which changes it saves, and that the others save without it
        "--force": "新的错误",
        "--pin": "1.2",
        "--show": "--text-file",
        "--restore": "drafting draft",
        "--undo": "固定",
        "--section": "存在的主要问题",
    }.items():
        at = help_text.index(flag + " ")
        assert words in help_text[at : at + 200], f"{flag}: {help_text[at : at + 200]}"
