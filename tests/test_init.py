"""``drafting init``: a complete data file that validates, a Chinese comment on every data line, no
silent overwrite, and ``--from LAST`` carrying 结转下年度 into 上年结转 and copying the agency."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from drafting import official
from drafting.cli import cli
from drafting.data import load_data
from drafting.errors import DataError
from drafting.yamlfile import parse_document

from .data_support import example_text, set_row, set_value, write

_CJK = re.compile(r"[\u4e00-\u9fff]")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def init(tmp_path: Path, *args: str, name: str = "new.yaml") -> Path:
    out = tmp_path / name
    result = run("init", *args, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_init_writes_a_file_that_validates(tmp_path: Path) -> None:
    path = init(tmp_path, "--agency", "某市交通运输局", "--year", "2024")
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "数据有效" in result.output and "提示" not in result.output
    data = load_data(path).data
    assert data.agency.name == "某市交通运输局" and data.year == 2024
    assert data.previous is None
    # Every cell 0; every fact topic left open (so the draft will mark it 【待补充】).
    assert data.table3.new.sum == 0 and data.table4.review.sum == 0 and data.fees.notices == 0
    assert all(data.facts.get(topic) is None for topic, _ in official.FACT_TOPICS)
    assert "validate" in run("init", "--agency", "x", "--year", "2024", "-o", str(tmp_path / "x.yaml")).output


def test_init_file_drafts(tmp_path: Path) -> None:
    path = init(tmp_path, "--agency", "某市交通运输局", "--year", "2024")
    result = run("draft", str(path), "-o", str(tmp_path / "drafts"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "drafts" / "new.draft.json").is_file()


def _key_lines(text: str) -> list[tuple[int, str]]:
    """Every line of the file that holds a key (``name: value`` or ``name:`` opening a block)."""
    return [
        (n, line)
        for n, line in enumerate(text.split("\n"), 1)
        if line.strip() and not line.lstrip().startswith("#") and re.match(r"^\s*[A-Za-z_]\w*:", line)
    ]


@pytest.mark.parametrize("with_previous", [False, True])
def test_every_data_line_has_a_chinese_comment(tmp_path: Path, with_previous: bool) -> None:
    args = ["--from", str(write(tmp_path, _last_year(), "2023.yaml"))] if with_previous else []
    path = init(tmp_path, "--agency", "某市交通运输局", "--year", "2024", *args)
    text = path.read_text(encoding="utf-8")
    lines = _key_lines(text)
    assert len(lines) > 60
    for n, line in lines:
        comment = line.split("#", 1)[1] if "  # " in line else ""
        assert _CJK.search(comment), f"line {n} has no Chinese comment: {line!r}"
    # Every one of the 25 rows of 表三 that a user fills in is there with its official label.
    for spec in official.TABLE3_ROWS:
        if spec.path != "results_total":
            assert spec.label in text


def test_default_output_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "--agency", "某市交通运输局", "--year", "2025")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "report-2025.yaml").is_file()


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("# 我已经填了一半\n", encoding="utf-8")
    result = run("init", "--agency", "某局", "--year", "2024", "-o", str(path))
    assert result.exit_code == 2
    assert "已存在" in result.output and "--force" in result.output
    assert "Traceback" not in result.output
    assert path.read_text(encoding="utf-8") == "# 我已经填了一半\n"
    result = run("init", "--agency", "某局", "--year", "2024", "-o", str(path), "--force")
    assert result.exit_code == 0, result.output
    assert load_data(path).data.agency.name == "某局"


def test_init_needs_agency_and_year(tmp_path: Path) -> None:
    result = run("init", "--year", "2024", "-o", str(tmp_path / "a.yaml"))
    assert result.exit_code == 2 and "--agency" in result.output
    assert not (tmp_path / "a.yaml").exists()


# --- --from LAST ---------------------------------------------------------------------------------

_CARRIED = {"natural": 1, "commercial": 2, "legal": 3}


def _last_year() -> str:
    """2023 data with applications pending at year end in three columns, and a full agency."""
    text = set_row(example_text(), "new", **_CARRIED)
    text = set_row(text, "carry_forward", **_CARRIED)
    text = set_row(text, "normative", issued=2, in_force=5)
    text = set_value(text, "self_reference", '"本局"')
    text = set_value(text, "website", '"https://www.dxal.gov.cn/lscy/xxgk"')
    return text.replace(
        '"https://www.dxal.gov.cn/lscy/xxgk"',
        '"https://www.dxal.gov.cn/lscy/xxgk"\n  contact: {address: "加格达奇区", postcode: "165000", phone: "0457-1234567"}',
        1,
    )


def test_from_carries_carry_forward_into_carried_over_and_copies_the_agency(tmp_path: Path) -> None:
    last_path = write(tmp_path, _last_year(), "2023.yaml")
    last = load_data(last_path).data
    path = init(tmp_path, "--from", str(last_path))  # agency and year from the file
    raw, _ = parse_document(path.read_text(encoding="utf-8"), str(path), ".yaml")
    assert raw["year"] == 2024
    carried = raw["table3"]["carried_over"]
    for key in official.TABLE3_COLUMN_KEYS:
        assert carried[key] == getattr(last.table3.carry_forward, key), key
    assert carried == {k: _CARRIED.get(k, 0) for k in official.TABLE3_COLUMN_KEYS}
    agency = raw["agency"]
    assert agency["name"] == last.agency.name
    assert agency["self_reference"] == "本局"
    assert agency["short_name"] == "地区绿产局"
    assert agency["website"] == "https://www.dxal.gov.cn/lscy/xxgk"
    assert agency["contact"] == {
        "address": "加格达奇区",
        "postcode": "165000",
        "phone": "0457-1234567",
        "email": None,
    }
    assert raw.get("published") is None  # last year's date is not this year's
    # This year's own figures start at 0; last year's are kept under previous.
    assert raw["table3"]["new"] == dict.fromkeys(official.TABLE3_COLUMN_KEYS, 0)
    assert raw["previous"]["year"] == 2023
    assert raw["previous"]["table3"]["carry_forward"] == {
        k: _CARRIED.get(k, 0) for k in official.TABLE3_COLUMN_KEYS
    }
    assert raw["previous"]["table2"]["normative"] == {"issued": 2, "repealed": 0, "in_force": 5}
    # 现行有效件数 continues from last year (C2); this year's 制发/废止 start at 0.
    assert raw["table2"]["normative"] == {"issued": 0, "repealed": 0, "in_force": 5}


def test_from_file_passes_c1_and_validates_once_the_carried_cases_are_recorded(tmp_path: Path) -> None:
    last_path = write(tmp_path, _last_year(), "2023.yaml")
    path = init(tmp_path, "--from", str(last_path))
    text = path.read_text(encoding="utf-8")
    # As written, the carried-over cases have no result yet: H2 asks where they went, C1 holds.
    with pytest.raises(DataError) as caught:
        load_data(path)
    assert not [i for i in caught.value.issues if i.rule == "C1"]
    assert {i.rule for i in caught.value.issues} == {"H2"}
    assert all(i.path.startswith("table3.carry_forward.") for i in caught.value.issues)
    # The user records them (all disclosed): the file validates, C1 and C2 included (现行有效 starts
    # from last year's figure, so the fresh file is consistent with 制发 0 and 废止 0).
    text = set_row(text, "disclosed", indent=2, **_CARRIED)
    loaded = load_data(write(tmp_path, text, "2024.yaml"))
    assert loaded.warnings == []
    assert loaded.data.previous is not None and loaded.data.previous.year == 2023
    # …and a change to 上年结转 that breaks the carry-over is caught.
    broken = set_row(text, "carried_over", indent=2, natural=0)
    broken = set_row(broken, "disclosed", indent=2, natural=0)
    with pytest.raises(DataError) as caught:
        load_data(write(tmp_path, broken, "broken.yaml"))
    assert [i.cell for i in caught.value.issues if i.rule == "C1"] == [
        "表三 二、上年结转政府信息公开申请数量 / 自然人"
    ]


def test_from_with_a_different_agency_name_keeps_the_given_name(tmp_path: Path) -> None:
    last_path = write(tmp_path, _last_year(), "2023.yaml")
    path = init(tmp_path, "--from", str(last_path), "--agency", "大兴安岭地区绿色产品产业发展局")
    assert load_data_raw(path)["agency"]["name"] == "大兴安岭地区绿色产品产业发展局"


def load_data_raw(path: Path) -> dict[str, Any]:
    raw, _ = parse_document(path.read_text(encoding="utf-8"), str(path), ".yaml")
    assert isinstance(raw, dict)
    return raw


def test_from_with_the_wrong_year_is_refused(tmp_path: Path) -> None:
    last_path = write(tmp_path, _last_year(), "2023.yaml")
    result = run("init", "--from", str(last_path), "--year", "2026", "-o", str(tmp_path / "new.yaml"))
    assert result.exit_code == 2
    assert "2024" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "new.yaml").exists()


def test_from_a_broken_file_writes_nothing(tmp_path: Path) -> None:
    last_path = write(tmp_path, set_row(_last_year(), "carry_forward", natural=9), "2023.yaml")
    result = run("init", "--from", str(last_path), "-o", str(tmp_path / "new.yaml"))
    assert result.exit_code == 1
    assert "表三 四、结转下年度继续办理 / 自然人" in result.output
    assert not (tmp_path / "new.yaml").exists()


def test_init_creates_the_folder_it_is_told_to_write_into(tmp_path: Path) -> None:
    target = tmp_path / "new" / "folder" / "2025.yaml"
    result = CliRunner().invoke(cli, ["init", "--agency", "某市某局", "--year", "2025", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.is_file()
