"""``drafting draft`` over a revised draft: accepted edits stay while the data they rely on is
unchanged; those whose data changed are dropped, named on the terminal and kept (with their text)
in the history; pinned sentences survive either way."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from drafting.carry import why_dropped
from drafting.cli import cli
from drafting.document import load_draft
from drafting.revise.session import RevisionSession

from .data_support import example_text, insert_after, set_row, write
from .revise_support import DATA, offline_text

PROBLEMS = "2023年，我局政府信息公开工作还存在一些不足：人员更换频繁，工作延续性不强。"
OVERVIEW_PIN = "我局高度重视政务公开工作。"


def redraft(data: Path, out: Path) -> Result:
    return CliRunner().invoke(cli, ["draft", str(data), "-o", str(out), "--format", "md"])


def revised(tmp_path: Path) -> tuple[Path, Path]:
    """A data file, its draft with a manual edit of problems, and a pinned sentence in overview."""
    data = write(tmp_path, example_text())
    out = tmp_path / "out"
    assert redraft(data, out).exit_code == 0
    draft = out / f"{data.stem}.draft.json"
    session = RevisionSession(draft)
    session.edit("problems", PROBLEMS)
    session.accept()
    overview = offline_text("overview")
    overview[0] += OVERVIEW_PIN
    session.edit("overview", "\n".join(overview))
    session.accept()
    session.pin("overview", OVERVIEW_PIN)
    return data, draft


def test_the_same_data_keeps_every_edit_and_pin(tmp_path: Path) -> None:
    data, draft = revised(tmp_path)
    before = load_draft(draft)
    result = redraft(data, draft.parent)
    assert result.exit_code == 0, result.output
    assert "保留了您已接受的修改" in result.output
    after = load_draft(draft)
    for section_id in ("overview", "problems"):
        assert after.section(section_id).paragraphs == before.section(section_id).paragraphs
        assert after.section(section_id).edited
    assert after.section("overview").pinned == [OVERVIEW_PIN]
    entry = after.history[-1]
    assert entry["kind"] == "redraft" and sorted(entry["kept"]) == ["overview", "problems"]
    assert after.history[:-1] == before.history
    assert PROBLEMS in draft.with_name(f"{data.stem}.md").read_text(encoding="utf-8")


def test_a_table_change_drops_the_overview_edit_keeps_problems_and_the_pin(tmp_path: Path) -> None:
    data, draft = revised(tmp_path)
    old_overview = load_draft(draft).section("overview").paragraphs
    data.write_text(set_row(example_text(), "normative", issued=2, in_force=2), encoding="utf-8")
    result = redraft(data, draft.parent)
    assert result.exit_code == 0, result.output
    assert "您之前对本节的修改未能保留" in result.output and "本节依据的数据变了" in result.output
    assert "一、总体情况" in result.output
    assert (
        "保留了您已接受的修改（所依据的数据未变）：五、存在的主要问题及改进情况（一）存在的主要问题"
        in result.output
    )

    after = load_draft(draft)
    overview = after.section("overview")
    assert not overview.edited and overview.backend == "offline"
    # the new figure (the wording around it varies per agency and year)
    assert "制发行政规范性文件2件" in overview.paragraphs[1]
    assert OVERVIEW_PIN in overview.paragraphs[0] and overview.pinned == [OVERVIEW_PIN]  # the pin survived
    assert after.section("problems").paragraphs == [PROBLEMS]
    entry = after.history[-1]
    (dropped,) = entry["dropped"]
    assert dropped["section"] == "overview" and "数据变了" in dropped["reason"]
    assert dropped["text"]["paragraphs"] == old_overview  # nothing lost: the dropped text is kept
    assert entry["kept"] == ["problems"]


def test_a_facts_change_drops_the_edit_that_relied_on_them(tmp_path: Path) -> None:
    data, draft = revised(tmp_path)
    text = insert_after(example_text(), r"^\s*- 队伍建设不足", "    - 政策解读形式较为单一")
    data.write_text(text, encoding="utf-8")
    result = redraft(data, draft.parent)
    assert result.exit_code == 0, result.output
    assert "素材" in result.output and "未能保留" in result.output
    after = load_draft(draft)
    assert "政策解读形式较为单一" in after.section("problems").paragraphs[0]
    assert [d["section"] for d in after.history[-1]["dropped"]] == ["problems"]
    assert after.section("overview").edited  # its facts and figures did not change


def test_an_edit_is_dropped_only_if_it_states_a_figure_that_changed() -> None:
    changed = DATA.model_copy(update={"table2": DATA.table2.model_copy(update={"licensing": 5})})
    mentions = ["2023年，我局行政许可处理决定0件，存在的问题是人员更换频繁。"]
    silent = ["2023年，我局存在的问题是人员更换频繁。"]
    assert why_dropped("problems", silent, DATA, changed) is None
    reason = why_dropped("problems", mentions, DATA, changed)
    assert reason is not None and "0" in reason and "行政许可" in reason
    assert why_dropped("overview", silent, DATA, changed) is not None  # the overview restates the tables


def test_a_draft_never_revised_gets_no_history(tmp_path: Path) -> None:
    data = write(tmp_path, example_text())
    out = tmp_path / "out"
    assert redraft(data, out).exit_code == 0
    assert redraft(data, out).exit_code == 0
    assert load_draft(out / f"{data.stem}.draft.json").history == []
