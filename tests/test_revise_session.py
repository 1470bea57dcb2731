"""``RevisionSession`` as a library (what a web workspace would drive): history and the undo/redo
stacks across sections and across reopening, pins, findings on a proposal, streaming through the
backend's text callback, the tables-locked test, the revision prompt, and the Chinese diff."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from drafting.backends import BackendError, ChatRequest, Message, get_backend
from drafting.backends.scripted import ScriptedBackend
from drafting.cli.diffs import diff_text
from drafting.document import load_draft
from drafting.errors import DraftingError, InputError, OutputError
from drafting.prompts import load_prompts, load_task_prompt
from drafting.revise.checking import NUMBER_RULE, PIN_RESTORED_RULE, PIN_RULE
from drafting.revise.locked import NeedsModel, TablesLocked, asks_for_data_change
from drafting.revise.prompt import RevisionPrompts, locked_figures
from drafting.revise.session import RevisionSession
from drafting.textdiff import pieces, summary

from .revise_support import DATA, MODEL, REVISED, draft_dir, keyed, offline_text, revision_server


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    return draft_dir(tmp_path)


def _scripted(*answers: str) -> ScriptedBackend:
    return ScriptedBackend(list(answers), name="openai:scripted")


def _plus(section: str, sentence: str) -> str:
    paragraphs = offline_text(section)
    paragraphs[0] += sentence
    return "\n\n".join(paragraphs)


# --- history, undo, redo, reopening --------------------------------------------------------------


def test_every_accepted_change_is_saved_at_once_with_its_entry(draft: Path) -> None:
    session = RevisionSession(draft, _scripted(_plus("problems", REVISED)))
    proposal = session.revise("problems", "补充解读形式的问题")
    assert load_draft(draft).history == []  # a proposal is not saved
    entry = session.accept()
    on_disk = load_draft(draft)
    assert on_disk.history[-1]["n"] == entry.n == 1
    assert on_disk.section("problems").paragraphs == proposal.after.paragraphs
    assert on_disk == session.draft


def test_undo_and_redo_work_across_sections_and_survive_reopening(draft: Path) -> None:
    session = RevisionSession(
        draft, _scripted(_plus("problems", REVISED), _plus("other", "我局未设立收费项目。"))
    )
    session.revise("problems", "补充")
    session.accept()
    session.revise("other", "补充")
    session.accept()
    session.edit("improvements", "2024年，我局将加强培训。")
    session.accept()
    assert session.undo().section == "improvements"
    assert session.undo().section == "other"

    reopened = RevisionSession(draft)  # a new process: the stacks come back from the history
    assert reopened.stacks.undo == [1] and reopened.stacks.redo == [3, 2]
    assert reopened.section("other").paragraphs == offline_text("other")
    assert reopened.redo().section == "other"
    assert reopened.section("other").paragraphs[0].endswith("我局未设立收费项目。")
    assert reopened.undo().section == "other"
    assert reopened.undo().section == "problems"
    assert reopened.section("problems").paragraphs == offline_text("problems")
    with pytest.raises(DraftingError, match="没有可撤销的修改"):
        reopened.undo()
    # A new change clears what could have been redone, as in any editor.
    reopened.edit("problems", "新的问题段落。")
    reopened.accept()
    assert reopened.stacks.redo == []
    with pytest.raises(DraftingError, match="没有可重做的修改"):
        reopened.redo()
    kinds = [e["kind"] for e in load_draft(draft).history]
    assert kinds == ["revise", "revise", "manual", "undo", "undo", "redo", "undo", "undo", "manual"]


def test_undo_restores_who_wrote_the_text(draft: Path) -> None:
    before = load_draft(draft).section("problems")
    session = RevisionSession(draft)
    session.edit("problems", "我局的问题。")
    session.accept()
    assert session.section("problems").backend == "manual"
    session.undo()
    assert load_draft(draft).section("problems") == before


def test_a_failed_request_changes_nothing(draft: Path) -> None:
    before = draft.read_bytes()
    failing = ScriptedBackend([BackendError("接口出错。", kind="server")])
    session = RevisionSession(draft, failing)
    with pytest.raises(BackendError):
        session.revise("problems", "语气更正式")
    assert session.pending is None and draft.read_bytes() == before


def test_a_draft_changed_by_another_program_is_not_overwritten(draft: Path) -> None:
    session = RevisionSession(draft)
    session.edit("problems", "我局的问题。")
    other = RevisionSession(draft)
    other.edit("other", "其他事项。")
    other.accept()
    changed = draft.read_bytes()
    with pytest.raises(OutputError, match="被其他程序改动过"):
        session.accept()
    assert draft.read_bytes() == changed


def test_a_damaged_history_is_named(draft: Path) -> None:
    raw = json.loads(draft.read_text(encoding="utf-8"))
    raw["history"] = [{"n": 1, "kind": "teleport"}]
    draft.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError, match="修改历史第 1 条无法读取"):
        RevisionSession(draft)


# --- findings ------------------------------------------------------------------------------------


def test_a_number_the_data_does_not_support_is_the_first_new_finding(draft: Path) -> None:
    session = RevisionSession(draft, _scripted(_plus("problems", "全年举办培训27期。")))
    proposal = session.revise("problems", "补充培训")
    first = proposal.findings[0]
    assert first.new and first.is_error and first.about_numbers and "27" in first.message
    assert proposal.new_errors


def test_a_number_from_the_instruction_is_still_flagged_and_attributed(draft: Path) -> None:
    session = RevisionSession(draft, _scripted(_plus("problems", "全年组织培训2次。")))
    proposal = session.revise("problems", "补充：全年组织培训2次")
    flagged = [f for f in proposal.new_findings if f.about_numbers]
    assert flagged and "来自您的修改要求" in flagged[0].message


def test_unsupported_numbers_without_the_check_library(draft: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Our own number finding stands even where the check library says nothing."""
    from drafting.revise import checking

    monkeypatch.setattr(checking, "check_text", lambda section, paragraphs, data: [])
    session = RevisionSession(draft, _scripted(_plus("problems", "全年举办培训27期。")))
    (finding,) = session.revise("problems", "补充培训").new_findings
    assert finding.rule == NUMBER_RULE and "27" in finding.message


def test_old_findings_are_not_new(draft: Path) -> None:
    session = RevisionSession(draft)
    session.edit("problems", "全年举办培训27期。")
    session.accept()
    proposal = session.edit("problems", "全年举办培训27期。我局将改进。")
    assert [f for f in proposal.findings if "27" in f.message and not f.new]
    assert not [f for f in proposal.new_findings if "27" in f.message]


# --- pins ----------------------------------------------------------------------------------------

PINNED = "以行署门户网站为主、线下办公场所公示为辅，及时公开本局政府信息。"


def test_a_revision_that_drops_a_pin_gets_it_back_where_it_stood(draft: Path) -> None:
    paragraphs = [p.replace(PINNED, "") for p in offline_text("overview")]
    session = RevisionSession(draft, _scripted("\n\n".join(paragraphs)))
    session.pin("overview", PINNED)
    proposal = session.revise("overview", "语气更正式")
    assert proposal.after.paragraphs == offline_text("overview")  # back after 2.2, as before
    assert proposal.restored == [PINNED]
    assert any(f.rule == PIN_RESTORED_RULE for f in proposal.new_findings)


def test_a_manual_edit_that_deletes_a_pin_is_a_finding(draft: Path) -> None:
    session = RevisionSession(draft)
    session.pin("overview", PINNED)
    text = "\n".join(p.replace(PINNED, "") for p in offline_text("overview"))
    proposal = session.edit("overview", text)
    (pin,) = [f for f in proposal.new_findings if f.rule == PIN_RULE]
    assert pin.is_error and PINNED in pin.message
    session.accept()
    assert any(f.rule == PIN_RULE for f in session.findings("overview"))
    assert session.status()[0].errors >= 1


def test_pins_are_text_of_the_section(draft: Path) -> None:
    session = RevisionSession(draft)
    with pytest.raises(InputError, match="不在本节正文中"):
        session.pin("overview", "不存在的句子。")
    session.pin("overview", PINNED)
    with pytest.raises(InputError, match="已经固定"):
        session.pin("overview", PINNED)
    session.unpin("overview", PINNED)
    assert load_draft(draft).section("overview").pinned == []


# --- the answers instead of a revision -----------------------------------------------------------


@pytest.mark.parametrize(
    ("instruction", "data_change"),
    [
        ("把新收申请改为12件", True),
        ("新收申请应为十二件", True),
        ("修改表三", True),
        ("表二的规范性文件数调整一下", True),
        ("把收费金额改成100元", True),
        ("请更正数据", True),
        ("压缩到200字以内", False),
        ("补充：全年组织培训2次", False),
        ("语气更正式", False),
        ("把问题和改进措施一一对应", False),
        ("改为两段", False),
        ("表述更简洁，删去重复的话", False),
    ],
)
def test_what_counts_as_a_data_change(instruction: str, data_change: bool) -> None:
    assert asks_for_data_change(instruction) is data_change


def test_tables_locked_and_needs_model_are_input_errors(draft: Path) -> None:
    session = RevisionSession(draft)
    with pytest.raises(TablesLocked):
        session.revise("overview", "修改表三")
    with pytest.raises(NeedsModel):
        session.revise("overview", "语气更正式")
    with pytest.raises(InputError, match="修改要求是空的"):
        session.revise("overview", "   ")


# --- the prompt ----------------------------------------------------------------------------------


def test_the_revision_prompt_carries_text_instruction_locked_figures_and_pins() -> None:
    rendered = RevisionPrompts().render("problems", DATA, offline_text("problems"), "压缩到100字", [PINNED])
    system, user = rendered.request.messages
    assert system.role == "system" and "全角中文标点" in system.content  # the register rules
    assert offline_text("problems")[0] in user.content and "压缩到100字" in user.content
    for line in locked_figures(DATA):
        assert line in user.content
    assert f"- {PINNED}" in user.content
    assert "表格已经锁定" in user.content
    assert "{" not in system.content + user.content
    assert rendered.version == load_task_prompt("revise").version
    assert set(load_prompts().sections) == {"overview", "problems", "improvements", "other"}


def test_a_broken_revision_prompt_is_a_named_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from drafting.prompts import PromptError, default_dir

    copy = tmp_path / "prompts"
    shutil.copytree(default_dir(), copy)
    monkeypatch.setenv("DRAFTING_PROMPTS", str(copy))
    revise = copy / "revise.md"
    revise.write_text(revise.read_text(encoding="utf-8") + "\n{mood}\n", encoding="utf-8")
    load_prompts()  # drafting does not need it, so a broken revise.md never stops a draft
    with pytest.raises(PromptError, match="未声明的变量：mood") as info:
        RevisionPrompts()
    assert "revise.md" in info.value.message


# --- streaming -----------------------------------------------------------------------------------


def test_the_backend_tells_the_text_as_it_streams_and_restarts_on_a_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keyed(monkeypatch)
    answer = "甲乙丙丁戊己庚辛壬癸" * 8
    request = ChatRequest((Message("user", "写"),))
    with revision_server(lambda body: answer) as server:
        told: list[str] = []
        completion = get_backend(MODEL, base_url=server.base_url).complete(request, told.append)
        assert completion.text == answer
        assert told[0] == "" and told[-1] == answer and len(told) > 3
        assert all(b.startswith(a) for a, b in itertools.pairwise(told))

        server.fail("cut_stream")  # the first attempt is cut, the second answers
        told.clear()
        completion = get_backend(MODEL, base_url=server.base_url).complete(request, told.append)
        assert completion.text == answer and completion.attempts == 2
        restart = told.index("", 1)
        assert told[restart - 1] and told[-1] == answer


def test_scripted_and_cached_backends_tell_the_whole_answer(tmp_path: Path) -> None:
    from drafting.backends.cached import CachedBackend, ResponseCache

    request = ChatRequest((Message("user", "写"),))
    told: list[str] = []
    ScriptedBackend(["回答"]).complete(request, told.append)
    assert told == ["回答"]
    cached = CachedBackend(ScriptedBackend(["回答"]), ResponseCache(tmp_path / "c.sqlite3"), "u", "m")
    cached.complete(request)
    told.clear()
    cached.complete(request, told.append)  # from the cache
    assert told == ["回答"]


# --- the diff ------------------------------------------------------------------------------------


def test_the_diff_is_by_character_and_keeps_shared_text() -> None:
    before = "2023年，我局政府信息公开工作还存在一些不足。"
    after = "2023年，我局政府信息公开工作仍有不足。"
    assert [(p.op, p.text) for p in pieces(before, after)] == [
        ("equal", "2023年，我局政府信息公开工作"),
        ("delete", "还存在一些"),
        ("insert", "仍有"),
        ("equal", "不足。"),
    ]
    assert diff_text(before, after, markers=True).plain == (
        "2023年，我局政府信息公开工作[-还存在一些-]{+仍有+}不足。"
    )
    assert summary(before, after).startswith("删 5 字，增 2 字")


def test_one_shared_character_between_changes_does_not_split_them() -> None:
    assert [(p.op, p.text) for p in pieces("工作的意识不强", "队伍的素质较弱")] == [
        ("delete", "工作的意识不强"),
        ("insert", "队伍的素质较弱"),
    ]
    runs = pieces("部分干部公开意识不足", "有的同志公开的意识淡薄")
    assert [p.text for p in runs if p.op == "equal"] == ["公开", "意识"]  # shared words stay


def test_long_unchanged_text_is_shortened_and_styles_mark_the_change() -> None:
    same = "依法做好政府信息公开工作，" * 10
    text = diff_text(same + "甲。" + same, same + "乙。" + same, context=10)
    assert "……" in text.plain and len(text.plain) < len(same)
    styles = {str(span.style) for span in text.spans}
    assert "bold red strike" in styles and "bold green underline" in styles


def test_revision_findings_hold_the_check_librarys_finding(draft: Path) -> None:
    from drafting.checks import Finding

    session = RevisionSession(draft, _scripted(_plus("problems", "全年举办培训27期。")))
    proposal = session.revise("problems", "补充培训")
    number = next(f for f in proposal.new_findings if f.about_numbers)  # the library's N0 names it
    assert isinstance(number.finding, Finding) and "27" in number.finding.evidence
    assert number.finding.category == "consistency" and len(number.finding.fingerprint) == 16
    assert number.render() == number.finding.render() and number.is_error


def test_revisions_own_findings_are_findings_too(draft: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafting.revise import checking

    monkeypatch.setattr(checking, "check_text", lambda section, paragraphs, data: [])
    session = RevisionSession(draft, _scripted(_plus("problems", "全年举办培训27期。")))
    (number,) = session.revise("problems", "补充培训").new_findings
    assert number.rule == NUMBER_RULE and number.finding.evidence == "27"
    assert number.finding.category == "consistency" and len(number.finding.fingerprint) == 16


def test_one_request_object_drives_a_revision_without_the_terminal(draft: Path) -> None:
    # What ``drafting revise --section … --text-file …`` and the web workspace both call.
    from drafting.revise.request import RevisionRequest, carry_out

    with pytest.raises(InputError, match="一次只能用一个"):
        RevisionRequest(section="problems", text="甲。", regenerate=True).check()
    with pytest.raises(InputError, match="--section"):
        RevisionRequest(pin="一句").check()
    session = RevisionSession(draft)
    try:
        mine = RevisionRequest(section="problems", text="我局的新写法。")
        mine.check()
        done = carry_out(session, mine)
        assert done.saved is not None and done.proposal is not None and not done.preview
        assert session.section("problems").paragraphs == ["我局的新写法。"]
        undone = carry_out(session, RevisionRequest(undo=True))
        assert [e.of for e in undone.undone] == [done.saved.n]
        assert session.section("problems").paragraphs == offline_text("problems")
        nothing = carry_out(session, RevisionRequest(redo=True, undo=False))
        assert nothing.redone and nothing.not_done is None
        again = carry_out(session, RevisionRequest(redo=True))
        assert again.not_done is not None and not again.redone  # nothing left to redo
    finally:
        session.close()
