"""Edits survive a data change (issue 14, item 7), as an author meets it: draft, revise a section by
hand, change a figure in the data file, draft again. The numbers of the edit bound to the changed
cells are restated from the new data (named on the terminal); an edit whose numbers cannot all be
restated with certainty is set aside, and ``revise --restore`` brings it back."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner, Result

from drafting.carry import keep_edit, renumber
from drafting.cli import cli
from drafting.data import load_data
from drafting.document import load_draft
from drafting.revise.session import RevisionSession

from .data_support import example_text, set_row, write
from .revise_support import Terminal, revise_cli

ADDED = "上述文件均已按程序报送备案。"


def _draft(data: Path, out: Path) -> Result:
    return CliRunner().invoke(cli, ["draft", str(data), "-o", str(out), "--format", "md,txt"])


def _edited(tmp_path: Path, paragraph: str) -> tuple[Path, Path, list[str]]:
    """A data file with 3 normative documents, its draft, and 一、总体情况 revised by hand through
    ``revise --text-file``: the (一) paragraph replaced by ``paragraph`` (``{n}`` is where the
    count stands). The paragraphs as accepted."""
    data = write(tmp_path, set_row(example_text(), "normative", issued=3, in_force=3))
    out = tmp_path / "out"
    assert _draft(data, out).exit_code == 0
    draft = out / f"{data.stem}.draft.json"
    paragraphs = load_draft(draft).section("overview").paragraphs
    assert "制发行政规范性文件3件" in paragraphs[1]
    paragraphs[1] = paragraph.format(n=3)
    text = tmp_path / "overview.txt"
    text.write_text("\n".join(paragraphs), encoding="utf-8")
    result = revise_cli(draft, "--section", "总体情况", "--text-file", str(text))
    assert result.exit_code == 0, result.output
    return data, draft, paragraphs


def _redrafted(tmp_path: Path, paragraph: str, n: int) -> tuple[Path, Path, list[str], Result]:
    """``_edited``, then the author changes the count of normative documents to ``n`` in the data
    file and drafts again. The data file, the draft, the paragraphs as accepted, the redraft's result."""
    data, draft, accepted = _edited(tmp_path, paragraph)
    data.write_text(set_row(example_text(), "normative", issued=n, in_force=n), encoding="utf-8")
    result = _draft(data, draft.parent)
    assert result.exit_code == 0, result.output
    return data, draft, accepted, result


def test_an_edited_section_survives_a_figure_change_with_the_new_number(tmp_path: Path) -> None:
    mine = "（一）主动公开。2023年，我局制发行政规范性文件{n}件，现行有效行政规范性文件{n}件。" + ADDED
    data, draft, accepted, result = _redrafted(tmp_path, mine, 5)
    # Said which numbers, with the cells they are bound to.
    assert "您之前对本节的修改已保留，并按新数据更新了其中的数字" in result.output
    assert "表二 行政规范性文件 本年制发件数 3件→5件" in result.output
    assert "表二 行政规范性文件 现行有效件数 3件→5件" in result.output
    assert "未能保留" not in result.output

    overview = load_draft(draft).section("overview")
    assert overview.edited and overview.backend == "manual"
    assert overview.paragraphs[1] == mine.format(n=5)  # the author's sentence kept, the number new
    assert overview.paragraphs[0] == accepted[0] and overview.paragraphs[2:] == accepted[2:]
    assert mine.format(n=5) in draft.with_name(f"{data.stem}.md").read_text(encoding="utf-8")

    log = revise_cli(draft, "--log")
    assert "数字按新数据更新（表二 行政规范性文件 本年制发件数 3件→5件" in " ".join(log.output.split())

    # Drafting again on the same data keeps the edit as it is, and says so without the old note.
    again = _draft(data, draft.parent)
    assert "保留了您已接受的修改（所依据的数据未变）：一、总体情况" in again.output
    assert "更新了其中的数字" not in again.output
    assert load_draft(draft).section("overview").paragraphs[1] == mine.format(n=5)


def test_an_ambiguous_number_sets_the_edit_aside_and_restore_brings_it_back(tmp_path: Path) -> None:
    # "其中3件" names no figure: it may be the changed count or another one. Not guessed.
    mine = "（一）主动公开。2023年，我局制发行政规范性文件{n}件，其中{n}件涉及群众切身利益。" + ADDED
    data, draft, accepted, result = _redrafted(tmp_path, mine, 5)
    assert "您之前对本节的修改未能保留" in result.output and "“3件”" in result.output
    assert "--restore --section overview" in result.output
    overview = load_draft(draft).section("overview")
    assert not overview.edited and "制发行政规范性文件5件" in overview.paragraphs[1]

    # --undo has nothing to undo (the redraft starts the history again): it says so, points at
    # --restore, and does not claim to have updated anything.
    undo = revise_cli(draft, "--undo")
    assert undo.exit_code == 1
    assert "没有可撤销的修改" in undo.output and "--restore" in undo.output
    assert "已更新文档" not in undo.output

    restored = revise_cli(draft, "--restore")
    assert restored.exit_code == 0, restored.output
    assert "已恢复并保存“总体情况”另存的修改" in restored.output
    assert "与现在的数据不符" in restored.output  # the stale 3件 is named for the author to correct
    assert "已更新文档" in restored.output
    back = load_draft(draft).section("overview")
    assert back.edited and back.paragraphs == accepted
    assert mine.format(n=3) in draft.with_name(f"{data.stem}.txt").read_text(encoding="utf-8")

    again = revise_cli(draft, "--restore")
    assert again.exit_code == 2 and "没有重新起草时另存的修改" in again.output
    # The restore is a change like any other: undo takes it back.
    assert revise_cli(draft, "--undo").exit_code == 0
    assert "制发行政规范性文件5件" in load_draft(draft).section("overview").paragraphs[1]


def test_numbers_are_restated_only_where_their_words_bind_them() -> None:
    from .revise_support import DATA

    old = DATA.model_copy(
        update={
            "table2": DATA.table2.model_copy(
                update={"normative": DATA.table2.normative.model_copy(update={"issued": 3, "in_force": 3})}
            )
        }
    )
    new = old.model_copy(
        update={
            "table2": old.table2.model_copy(
                update={"normative": old.table2.normative.model_copy(update={"issued": 12, "in_force": 3})}
            )
        }
    )
    stale = {Decimal(3)}
    # Only the issued count changed: the in-force count, also 3, stays.
    done = renumber(["制发行政规范性文件3件，现行有效行政规范性文件3件。"], old, new, stale)
    assert done.problem is None
    assert done.paragraphs == ["制发行政规范性文件12件，现行有效行政规范性文件3件。"]
    assert [u.render() for u in done.updated] == ["表二 行政规范性文件 本年制发件数 3件→12件"]
    # Chinese numerals are restated too.
    assert renumber(["制发行政规范性文件三件。"], old, new, stale).paragraphs == ["制发行政规范性文件12件。"]
    # A bare 3 that no words bind is not guessed at.
    assert renumber(["全年共3件。"], old, new, stale).problem is not None
    # A sentence that does not state the changed figure is kept as it is.
    kept = keep_edit("problems", ["我局存在的问题是人员更换频繁。"], old, new)
    assert kept.reason is None and kept.paragraphs == ["我局存在的问题是人员更换频繁。"]
    # A zero that becomes a count changes what the words say (未制发): set aside in 一、总体情况.
    zero = old.model_copy(
        update={
            "table2": old.table2.model_copy(
                update={"normative": old.table2.normative.model_copy(update={"issued": 0, "in_force": 0})}
            )
        }
    )
    assert keep_edit("overview", ["2023年，我局未制发行政规范性文件。"], zero, old).reason is not None


def test_the_data_file_the_author_edits_is_what_the_draft_follows(tmp_path: Path) -> None:
    """The same through ``load_data``: the redraft reads the data file as the author left it."""
    data, draft, _, _ = _redrafted(tmp_path, "（一）主动公开。2023年，我局制发行政规范性文件{n}件。", 4)
    assert load_data(data).data.table2.normative.issued == 4
    assert "制发行政规范性文件4件。" in load_draft(draft).section("overview").paragraphs[1]


def test_restore_in_the_terminal_loop_asks_before_bringing_back_stale_numbers(tmp_path: Path) -> None:
    mine = "（一）主动公开。2023年，我局制发行政规范性文件{n}件，其中{n}件涉及群众切身利益。"
    _, draft, accepted, _ = _redrafted(tmp_path, mine, 5)
    entries = len(load_draft(draft).history)
    # The restored 3件 contradicts the data: a is asked about once more; n leaves it unsaved.
    screen = Terminal(RevisionSession(draft)).play("总体情况\r", "restore\r", "a", "n", "x", "q\r")
    assert "新的错误" in screen and "未接受" in screen and "已放弃" in screen
    assert len(load_draft(draft).history) == entries
    screen = Terminal(RevisionSession(draft)).play("总体情况\r", "restore\r", "a", "y", "q\r")
    assert "已接受并保存" in screen
    assert load_draft(draft).section("overview").paragraphs == accepted
    assert load_draft(draft).history[-1]["kind"] == "restore"
