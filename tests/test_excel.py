"""The Excel template, used as an office would: ``drafting init --xlsx``, fill the white cells with a
spreadsheet program (openpyxl here), ``drafting validate`` and ``drafting draft`` from the workbook."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from drafting import official
from drafting.cli import cli
from drafting.data import load_data
from drafting.data.excel import SHEET_FACTS, SHEET_PREVIOUS, SHEETS, workbook_layout
from drafting.draft import draft_report

from .output_support import AGENCY, sample_loaded, sample_raw


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = _run("init", "--agency", AGENCY, "--year", "2024", "--xlsx")
    assert result.exit_code == 0, result.output
    path = tmp_path / "report-2024.xlsx"  # the default name with --xlsx
    assert path.is_file()
    return path


def _value(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


def _fill(path: Path, data: dict[str, Any]) -> None:
    """Type every figure and fact of ``data`` into the white cells, as a user does."""
    wb = load_workbook(path)
    for spec in workbook_layout():
        ws = wb[spec.name]
        for cell in spec.inputs():
            value = _value(data, cell.path) if cell.path else None
            if value is not None:
                ws[cell.ref] = float(value) if isinstance(value, Decimal) else value
    ws = wb[SHEET_FACTS]
    row = 20
    for key, items in data.get("facts", {}).items():
        for item in items or ["无"]:
            ws[f"A{row}"], ws[f"B{row}"] = official.FACT_LABELS[key], item
            row += 1
    wb.save(path)


def _edit(path: Path, **cells: Any) -> None:
    """Set cells given as ``表三_D7=5`` (sheet and cell joined by an underscore)."""
    wb = load_workbook(path)
    for where, value in cells.items():
        sheet, ref = where.split("_")
        wb[sheet][ref] = value
    wb.save(path)


def test_template_is_laid_out_like_the_official_tables(template: Path) -> None:
    wb = load_workbook(template)
    assert wb.sheetnames == list(SHEETS)
    t3 = wb["表三"]
    assert t3["A4"].value == official.TABLE3_CORNER
    assert "A4:C6" in {str(r) for r in t3.merged_cells.ranges}
    assert t3["D4"].value == official.TABLE3_APPLICANTS and "D4:J4" in {
        str(r) for r in t3.merged_cells.ranges
    }
    assert t3["E5"].value == official.TABLE3_LEGAL_PERSONS and "E5:I5" in {
        str(r) for r in t3.merged_cells.ranges
    }
    assert t3["A7"].value == official.TABLE3_ROWS[0].label  # 一、本年新收…: input cells D7:I7
    assert t3["A9"].value == official.TABLE3_RESULTS_HEADING and "A9:A30" in {
        str(r) for r in t3.merged_cells.ranges
    }
    assert t3["C12"].value == "2.其他法律行政法规禁止公开"
    assert t3["J7"].value == "=SUM(D7,E7,F7,G7,H7,I7)"  # totals are formulas, for display only
    t4 = wb["表四"]
    assert (t4["A4"].value, t4["F4"].value) == (official.TABLE4_REVIEW, official.TABLE4_LITIGATION)
    assert t4["A7"].value == 0 and t4["E7"].value.startswith("=SUM(")


def test_labels_locked_inputs_unlocked_and_validated(template: Path) -> None:
    wb = load_workbook(template)
    for name in SHEETS:
        assert wb[name].protection.sheet, name
    t3 = wb["表三"]
    assert t3["C12"].protection.locked and t3["J7"].protection.locked  # a label, a total
    assert not t3["D7"].protection.locked and not t3["I31"].protection.locked  # inputs
    assert not wb["基本信息"]["B4"].protection.locked
    rules = {(dv.type, dv.operator, dv.formula1): dv for dv in t3.data_validations.dataValidation}
    whole = rules[("whole", "greaterThanOrEqual", "0")]
    assert "D7" in whole.sqref and "J7" not in whole.sqref
    money = {dv.type: dv for dv in wb["表二"].data_validations.dataValidation}["decimal"]
    assert money.operator == "greaterThanOrEqual" and money.formula1 == "0"
    assert "D4" not in str(money.sqref) and len(list(money.sqref.ranges)) == 1  # 行政事业性收费 only


def test_round_trip_validate_and_draft(template: Path, tmp_path: Path) -> None:
    _fill(template, sample_raw())
    result = _run("validate", str(template))
    assert result.exit_code == 0, result.output
    result = _run("draft", str(template), "-o", str(tmp_path / "out"), "--format", "md,docx")
    assert result.exit_code == 0, result.output
    saved = json.loads((tmp_path / "out" / "report-2024.draft.json").read_text(encoding="utf-8"))
    expected = draft_report(sample_loaded())
    assert saved["data"] == expected.model_dump(mode="json")["data"]
    assert saved["tables"] == expected.model_dump(mode="json")["tables"]
    assert (tmp_path / "out" / "report-2024.docx").is_file()


def test_totals_are_recomputed_not_read(template: Path) -> None:
    _fill(template, sample_raw())
    # A user who unprotected the sheet and typed over the formulas changes nothing.
    _edit(template, 表三_J7=999, 表三_D30=999, 表四_E7=999)
    loaded = load_data(template)
    assert loaded.data.table3.new.total is None and loaded.data.table3.results_total is None
    assert loaded.data.table3.new.sum == sum(sample_raw()["table3"]["new"].values())


def test_invalid_values_name_sheet_and_cell(template: Path) -> None:
    _fill(template, sample_raw())
    _edit(template, 表三_E7=-1, 表三_F8=None, 表三_G9=2.5, 表二_B6="五", 收费_B5="12.5元")
    result = _run("validate", str(template))
    assert result.exit_code == 1
    out = result.output
    assert "表三!E7" in out and "不能为负数" in out
    assert "表三!F8" in out and "不能留空" in out
    assert "表三!G9" in out and "应为整数" in out
    assert "表二!B6" in out and "收费!B5" in out
    assert "Traceback" not in out


def test_broken_cross_sum_names_the_cell(template: Path) -> None:
    _fill(template, sample_raw())
    _edit(template, 表三_D7=sample_raw()["table3"]["new"]["natural"] + 1)  # 一 no longer balances
    result = _run("validate", str(template))
    assert result.exit_code == 1
    assert "H2" in result.output and "表三!D31" in result.output  # 四、结转下年度继续办理 / 自然人


def test_moved_rows_are_refused_not_misread(template: Path) -> None:
    wb = load_workbook(template)
    wb["表三"].delete_rows(10)
    wb.save(template)
    result = _run("validate", str(template))
    assert result.exit_code == 2
    assert "表三!" in result.output and "表格结构与模板不一致" in result.output


def test_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "data.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    result = _run("validate", str(fake))
    assert result.exit_code == 2 and "无法作为 Excel 工作簿打开" in result.output
    wb = Workbook()
    wb.save(tmp_path / "other.xlsx")
    result = _run("validate", str(tmp_path / "other.xlsx"))
    assert result.exit_code == 2 and "缺少工作表" in result.output


def test_facts_one_per_row(template: Path) -> None:
    raw = sample_raw()
    _fill(template, raw)
    data = load_data(template).data
    assert data.facts.active == raw["facts"]["active"]
    assert data.facts.other == []  # “无”: nothing to add
    assert data.facts.problems is None  # no row: a 【待补充】 marker in the draft
    _edit(template, 正文素材_A30="乱写的主题", 正文素材_B30="一条事实")
    result = _run("validate", str(template))
    assert result.exit_code == 1 and "正文素材!A30" in result.output


def test_init_from_last_year_carries_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    last = tmp_path / "last.xlsx"
    assert _run("init", "--agency", AGENCY, "--year", "2024", "-o", str(last)).exit_code == 0
    _fill(last, sample_raw())
    result = _run("init", "--from", str(last), "--xlsx")
    assert result.exit_code == 0, result.output
    this = tmp_path / "report-2025.xlsx"
    wb = load_workbook(this)
    assert SHEET_PREVIOUS in wb.sheetnames and wb["基本信息"]["B4"].value == AGENCY
    carried = [wb["表三"].cell(8, c).value for c in range(4, 10)]
    assert carried == list(sample_raw()["table3"]["carry_forward"].values())
    # A fresh file balances once the carried-over applications have somewhere to go (H2).
    _edit(this, **{f"表三_{col}31": n for col, n in zip("DEFGHI", carried, strict=True)})
    loaded = load_data(this)
    assert loaded.data.previous is not None and loaded.data.previous.year == 2024
    assert loaded.data.previous.table3 is not None
    _edit(this, 表三_D8=carried[0] + 1)  # 上年结转 no longer matches last year's 结转下年度
    result = _run("validate", str(this))
    assert result.exit_code == 1 and "C1" in result.output and "表三!D8" in result.output


def test_xlsx_flag_needs_an_xlsx_name(tmp_path: Path) -> None:
    result = _run("init", "--agency", AGENCY, "--year", "2024", "--xlsx", "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2 and ".xlsx" in result.output
    assert not (tmp_path / "x.yaml").exists()


def test_a_bad_topic_does_not_hide_the_cell_errors_and_messages_speak_excel(template: Path) -> None:
    # Issue 14: one 正文素材 row with a topic not in the list used to stop reading there, and the
    # cells' own errors were only seen after it was fixed; fixes spoke of quotes and YAML keys.
    _fill(template, sample_raw())
    _edit(
        template,
        正文素材_A40="工作亮点",
        正文素材_B40="开展政务公开日活动",
        表三_G9=2.5,
        表二_B6="五",
        表三_E7=None,
    )
    result = _run("validate", str(template))
    assert result.exit_code == 1
    out = result.output
    assert "正文素材!A40" in out and "工作亮点" in out  # the topic
    assert "表三!G9" in out and "表二!B6" in out and "表三!E7" in out  # and every cell, at once
    assert "引号" not in out and "table3." not in out and "table2." not in out  # Excel's terms only
    assert "在此格填写整数" in out
