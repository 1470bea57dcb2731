"""Facts cleaned on the way in (issue 14), the agency's kind in the templates, and the PDF's
substitute fonts named: through their library calls and the commands that use them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from drafting import official
from drafting.cli import cli
from drafting.data import load_data
from drafting.data.excel import SHEET_INFO, workbook_layout
from drafting.facts import clean_fact


@pytest.mark.parametrize(
    ("pasted", "clean", "removed"),
    [
        (
            "一是2025年，我局通过门户网站公开信息326条。",
            "通过门户网站公开信息326条",
            ("一是", "2025年，", "我局", "。"),
        ),
        ("三是一是通过微信公众号发布", "通过微信公众号发布", ("三是", "一是")),
        ("四是1.按时公开预算；", "按时公开预算", ("四是", "1.", "；")),
        ("（1）组织培训2次", "组织培训2次", ("（1）",)),
        ("①开展培训", "开展培训", ("①",)),
        ("第一，落实三级审核", "落实三级审核", ("第一，",)),
        ("2025年，我局将加强培训。", "加强培训", ("2025年，", "我局将", "。")),
        # Not numbering, not the subject: a decimal, a year that is part of the thing said.
        ("1.5万元经费用于平台建设", "1.5万元经费用于平台建设", ()),
        ("2024年部门预算按时公开", "2024年部门预算按时公开", ()),
        ("全年未发生责任追究情况", "全年未发生责任追究情况", ()),
        ("按要求公开3.", "按要求公开3.", ()),
    ],
)
def test_clean_fact(pasted: str, clean: str, removed: tuple[str, ...]) -> None:
    got = clean_fact(pasted)
    assert (got.text, got.removed) == (clean, removed)


@pytest.mark.parametrize(
    "nothing", ["无", "无。", "暂无", "没有", "无其他需要报告的事项", "本年度无", "不涉及"]
)
def test_nothing_is_nothing(nothing: str) -> None:
    assert clean_fact(nothing).text is None


def test_the_agencys_own_self_reference_and_other_facts_keep_their_subject() -> None:
    assert clean_fact("2024年，我镇维护公开栏", "我镇").text == "维护公开栏"
    assert clean_fact("2024年，我局承办建议14件", subject=False).text == "2024年，我局承办建议14件"


def test_init_writes_the_kind_and_it_loads(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    result = CliRunner().invoke(
        cli, ["init", "--agency", "示例县人民政府", "--year", "2024", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "  kind:" in text and "本级政府" in text  # the key and what it takes, in its comment
    filled = text.replace("  kind:                ", '  kind:                 "本级政府"', 1)
    path.write_text(filled, encoding="utf-8")
    assert load_data(path).data.agency.kind == "本级政府"
    path.write_text(filled.replace('"本级政府"', '"单位"', 1), encoding="utf-8")
    wrong = CliRunner().invoke(cli, ["validate", str(path)])
    assert wrong.exit_code == 1 and "机关类型" in wrong.output


def _filled_template(tmp_path: Path) -> Path:
    """The Excel template as ``init --xlsx`` writes it, filled with the sample data."""
    from tests.output_support import AGENCY, sample_raw
    from tests.test_excel import _fill

    path = tmp_path / "t.xlsx"
    result = CliRunner().invoke(
        cli, ["init", "--agency", AGENCY, "--year", "2024", "--xlsx", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    _fill(path, sample_raw())
    return path


def _info_ref(key: str) -> str:
    """The cell of the 基本信息 sheet that holds ``key`` (its label sits in column A of its row)."""
    info = next(spec for spec in workbook_layout() if spec.name == SHEET_INFO)
    return next(c.ref for c in info.cells if c.path == key)


def test_the_excel_template_has_the_kind_and_an_older_workbook_still_reads(tmp_path: Path) -> None:
    path = _filled_template(tmp_path)
    ref = _info_ref("agency.kind")
    label = "A" + ref[1:]
    wb = load_workbook(path)
    assert wb[SHEET_INFO][label].value == official.cell_label("agency.kind")
    # Chosen from a list in Excel, as 主题 is: typing “县政府” is refused there already.
    offered = [v for v in wb[SHEET_INFO].data_validations.dataValidation if ref in v.sqref]
    assert len(offered) == 1 and offered[0].type == "list" and offered[0].formula1 == '"部门,本级政府"'
    wb[SHEET_INFO][ref] = "部门"
    wb.save(path)
    assert load_data(path).data.agency.kind == "部门"
    # A workbook made before the row existed: label and value blank.
    wb = load_workbook(path)
    wb[SHEET_INFO][label], wb[SHEET_INFO][ref] = None, None
    wb.save(path)
    assert load_data(path).data.agency.kind is None


def test_excel_has_the_leadership_phrase_and_older_workbooks_still_read(tmp_path: Path) -> None:
    path = _filled_template(tmp_path)
    ref = _info_ref("agency.leadership")
    wb = load_workbook(path)
    assert wb[SHEET_INFO]["A" + ref[1:]].value == official.cell_label("agency.leadership")
    wb[SHEET_INFO][ref] = "在县委、县政府的正确领导下"
    wb.save(path)
    assert load_data(path).data.agency.leadership == "在县委、县政府的正确领导下"
    # Made before the leadership row (and the kind row) existed: both blank, still read.
    wb = load_workbook(path)
    for key in ("agency.kind", "agency.leadership"):
        cell = _info_ref(key)
        wb[SHEET_INFO]["A" + cell[1:]], wb[SHEET_INFO][cell] = None, None
    wb.save(path)
    assert load_data(path).data.agency.leadership is None


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig (fc-list) is not installed")
def test_substitute_fonts_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from drafting.writers.pdf import font_note, official_fonts, substitute_fonts

    # A fontconfig that knows no font at all: every official font is missing.
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig><dir>' + str(tmp_path) + "</dir></fontconfig>")
    monkeypatch.setenv("FONTCONFIG_FILE", str(empty))
    missing = substitute_fonts()
    assert [name for name, _ in missing] == list(official_fonts())
    note = font_note(missing)
    assert note is not None and all(
        name in note for name in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312")
    )
    assert font_note([]) is None
