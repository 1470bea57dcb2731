"""The ``<stem>.draft.json`` file: it round-trips, holds the sections by their stable ids and the
tables as data, records where it came from; several data files give one draft each; and writes are
atomic — a failure part-way leaves no temp file and no half file, and bad data leaves no output."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from drafting import official
from drafting.cli import cli
from drafting.data import load_data
from drafting.document import Draft, load_draft
from drafting.draft import data_hash, draft_report, write_draft
from drafting.errors import InputError, OutputError
from drafting.tables import Table, build_tables, render_text

from .conftest import REFERENCE_EXAMPLE
from .data_support import busy_text, example_text, set_row, set_value, write


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def draft_cli(data: Path, out: Path, formats: str = "md,txt") -> Result:
    return run("draft", str(data), "-o", str(out), "--format", formats)


def leftovers(directory: Path) -> list[str]:
    """Temporary files an interrupted write would leave (``atomic_write`` names them ``.<name>.*.tmp``)."""
    return sorted(p.name for p in directory.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp")


# --- the file itself ---------------------------------------------------------------------------------


@pytest.fixture
def drafted(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    result = draft_cli(REFERENCE_EXAMPLE, out)
    assert result.exit_code == 0, result.output
    return out / "daxinganling-2023.draft.json"


def test_draft_file_round_trips(drafted: Path) -> None:
    text = drafted.read_text(encoding="utf-8")
    draft = load_draft(drafted)
    assert draft.to_json() == text  # byte for byte
    assert json.loads(text)["schema"] == "drafting.draft/1"


def test_draft_file_has_the_sections_by_stable_id(drafted: Path) -> None:
    draft = load_draft(drafted)
    assert [s.id for s in draft.sections] == ["overview", "problems", "improvements", "other"]
    assert [s.id for s in draft.sections] == list(official.SECTION_IDS)
    for section in draft.sections:
        assert section.paragraphs and all(p.strip() for p in section.paragraphs)
        assert section.backend == "offline"
    assert draft.section("overview").heading == "一、总体情况"
    assert (
        draft.section("problems").heading
        == draft.section("improvements").heading
        == "五、存在的主要问题及改进情况"
    )
    assert draft.section("other").heading == "六、其他需要报告的事项"
    assert draft.title == "大兴安岭地区行政公署绿色产品产业发展局2023年政府信息公开工作年度报告"
    assert draft.year == 2023 and draft.preamble


def test_draft_file_holds_the_tables_as_data(drafted: Path) -> None:
    draft = load_draft(drafted)
    data = load_data(REFERENCE_EXAMPLE).data
    expected = build_tables(data)
    assert set(draft.tables) == {"table2", "table3", "table4"}
    for key, table in expected.items():
        stored = draft.table(key)
        assert isinstance(stored, Table)
        assert stored == table  # cells, spans and labels
        assert render_text(stored) == render_text(table)
        assert stored.values == json.loads(json.dumps(table.values, default=str))
    # …and the data it was drafted from, which validates again to the same figures.
    assert draft.report_data() == data


def test_provenance(drafted: Path) -> None:
    p = load_draft(drafted).provenance
    assert p.backend == "offline"
    assert p.data_file == str(REFERENCE_EXAMPLE)
    assert p.data_hash == data_hash(load_data(REFERENCE_EXAMPLE).data)
    assert p.data_hash.startswith("sha256:") and len(p.data_hash) == len("sha256:") + 64
    assert p.created.tzinfo is not None
    assert p.tool_version


def test_data_hash_is_stable_for_the_same_data_and_changes_with_it(tmp_path: Path) -> None:
    def hash_of(data: Path, out: str) -> str:
        result = draft_cli(data, tmp_path / out, "md")
        assert result.exit_code == 0, result.output
        return load_draft(tmp_path / out / f"{data.stem}.draft.json").provenance.data_hash

    first = hash_of(REFERENCE_EXAMPLE, "a")
    assert hash_of(REFERENCE_EXAMPLE, "b") == first  # another run, another time
    # The same data in another file, spelled differently (comments gone, JSON), hashes the same.
    raw = load_data(REFERENCE_EXAMPLE).raw
    as_json = write(tmp_path, json.dumps(raw, ensure_ascii=False, default=str), "same.json")
    assert hash_of(as_json, "c") == first
    # One cell changed: another hash.
    changed = write(tmp_path, set_value(example_text(), "licensing", 1), "changed.yaml")
    assert hash_of(changed, "d") != first
    # Facts are data too: the text would change, so the hash does.
    facts = write(tmp_path, example_text().replace("指定专人负责受理", "指定两名专人负责受理"), "facts.yaml")
    assert hash_of(facts, "e") != first


def test_a_damaged_draft_file_is_refused_clearly(drafted: Path) -> None:
    doc = json.loads(drafted.read_text(encoding="utf-8"))
    del doc["sections"]
    drafted.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_draft(drafted)
    assert "不是有效的草稿文件" in caught.value.message


# --- several data files ----------------------------------------------------------------------------


def test_several_data_files_write_one_draft_each(tmp_path: Path) -> None:
    files = [
        write(tmp_path, example_text(), "a.yaml"),
        write(tmp_path, busy_text(), "b.yaml"),
        write(tmp_path, set_value(example_text(), "licensing", 7), "c.yaml"),
    ]
    out = tmp_path / "out"
    result = run("draft", *map(str, files), "-o", str(out), "--format", "md")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "a.draft.json",
        "a.md",
        "b.draft.json",
        "b.md",
        "c.draft.json",
        "c.md",
    ]
    hashes = {load_draft(out / f"{f.stem}.draft.json").provenance.data_hash for f in files}
    assert len(hashes) == 3  # each draft is its own file's
    assert "新收政府信息公开申请5件" in (out / "b.md").read_text(encoding="utf-8")


def test_a_bad_file_among_several_does_not_stop_the_others(tmp_path: Path) -> None:
    good = write(tmp_path, example_text(), "good.yaml")
    bad = write(tmp_path, set_row(busy_text(), "prohibited_by_law", commercial=1), "bad.yaml")
    out = tmp_path / "out"
    result = run("draft", str(bad), str(good), "-o", str(out), "--format", "md")
    assert result.exit_code == 1
    assert "bad.yaml：未生成草稿" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["good.draft.json", "good.md"]


# --- bad data leaves nothing ---------------------------------------------------------------------------


@pytest.mark.parametrize("existing", [False, True])
def test_a_data_error_leaves_no_output(tmp_path: Path, existing: bool) -> None:
    bad = write(tmp_path, set_row(example_text(), "new", natural=-1))
    out = tmp_path / "out"
    if existing:
        out.mkdir()
    result = draft_cli(bad, out)
    assert result.exit_code == 1
    assert out.exists() == existing
    assert not existing or list(out.iterdir()) == []


# --- atomic writes -------------------------------------------------------------------------------------


def _failing_on_call(n: int, real: Callable[..., Any], error: BaseException) -> Callable[..., Any]:
    calls = {"n": 0}

    def replace(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == n:
            raise error
        return real(*args, **kwargs)

    return replace


def _draft() -> Draft:
    return draft_report(load_data(REFERENCE_EXAMPLE))


def test_a_failure_on_the_second_file_leaves_no_temp_or_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    draft = _draft()
    monkeypatch.setattr(
        os, "replace", _failing_on_call(2, os.replace, OSError(28, "No space left on device"))
    )
    with pytest.raises(OutputError) as caught:
        write_draft(draft, out, "report", ("md", "txt"))
    assert "report.md" in caught.value.message
    assert leftovers(out) == []
    # The files of one draft change together: the draft file replaced before the failure is taken
    # back, so nothing of this draft is left, rather than a draft file without its documents.
    assert not (out / "report.draft.json").exists()
    assert not (out / "report.md").exists() and not (out / "report.txt").exists()


def test_an_interrupt_while_writing_leaves_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(os, "fsync", _failing_on_call(1, os.fsync, KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_draft(_draft(), out, "report", ("md",))
    assert leftovers(out) == []
    assert list(out.iterdir()) == []


def test_a_failed_write_keeps_the_previous_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_draft(_draft(), out, "report", ("md",))
    before = (out / "report.md").read_bytes()
    monkeypatch.setattr(os, "replace", _failing_on_call(2, os.replace, OSError(13, "Permission denied")))
    changed = draft_report(load_data(write(tmp_path, busy_text())))
    with pytest.raises(OutputError):
        write_draft(changed, out, "report", ("md",))
    assert (out / "report.md").read_bytes() == before  # the old one, not a mix
    assert leftovers(out) == []


def test_a_failed_write_leaves_the_previous_draft_consistent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_draft(_draft(), out, "report", ("md",))
    old_json = (out / "report.draft.json").read_bytes()
    monkeypatch.setattr(os, "replace", _failing_on_call(2, os.replace, OSError(13, "Permission denied")))
    with pytest.raises(OutputError):
        write_draft(draft_report(load_data(write(tmp_path, busy_text()))), out, "report", ("md",))
    assert (out / "report.draft.json").read_bytes() == old_json


def test_the_cli_reports_a_write_failure_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    monkeypatch.setattr(
        os, "replace", _failing_on_call(1, os.replace, OSError(28, "No space left on device"))
    )
    result = draft_cli(REFERENCE_EXAMPLE, out, "md")
    assert result.exit_code == 2, result.output
    assert "无法写入" in result.output and "未生成草稿" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert leftovers(out) == [] and list(out.iterdir()) == []


def test_a_draft_file_that_is_not_utf8_is_named_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "report.draft.json"
    path.write_bytes('{"title": "年度报告"}'.encode("gbk"))
    with pytest.raises(InputError) as caught:
        load_draft(path)
    assert "不是 UTF-8 编码的文本" in caught.value.message
    assert "codec" not in caught.value.message  # not the decoder's own words
