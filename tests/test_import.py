"""``drafting import``: a published report → a data file that loads, or its cells as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import official
from drafting.cli import cli
from drafting.data import load_data
from drafting.evaluation.synthetic import corpus_data, make_draft, page_of, render_page

from .checks_support import (
    CORPUS,
    REAL_FIGURES,
    REFERENCE_LAYOUT,
    REFERENCE_TEXT,
    busy,
    busy_page,
    cells_json,
    handwritten,
    needs_corpus,
    needs_reference,
    replace_cell,
    table_line,
    write,
)


def _import(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["import", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("layout", ["txt", "md", "concat", "html", "docx"])
def test_import_writes_a_data_file_that_loads(layout: str, tmp_path: Path) -> None:
    data, _ = busy()
    suffix = {"md": ".md", "html": ".html", "docx": ".docx"}.get(layout, ".txt")
    out = render_page(busy_page(), layout)
    report = write(tmp_path / f"report{suffix}", out)
    target = tmp_path / "data.yaml"
    code, _, err = _import(str(report), "-o", str(target))
    assert code == 0, err
    loaded = load_data(target).data
    assert loaded.table3 == data.table3
    assert loaded.table4 == data.table4
    assert loaded.table2 == data.table2
    assert loaded.year == data.year and loaded.agency.name == data.agency.name
    assert loaded.fees.notices == data.fees.notices
    text = target.read_text(encoding="utf-8")
    assert "# 一、本年新收政府信息公开申请数量" in text  # the init template's comments


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(REFERENCE_TEXT, marks=needs_reference, id="published"),
        pytest.param(REFERENCE_LAYOUT, id="ours"),
    ],
)
def test_import_of_the_reference_report(tmp_path: Path, page: Path) -> None:
    target = tmp_path / "ref.yaml"
    code, _, err = _import(str(page), "-o", str(target))
    assert code == 0, err
    data = load_data(target).data
    assert data.year == 2023 and data.table3.new.sum == 0
    assert data.agency.self_reference == "我局"
    assert "表三有 19 行缺少“总计”" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "figures",
    [pytest.param("corpus", marks=needs_corpus, id="corpus"), pytest.param("example", id="example")],
)
def test_cells_format(tmp_path: Path, figures: str) -> None:
    data = corpus_data(CORPUS / "real-003.yaml") if figures == "corpus" else load_data(REAL_FIGURES).data
    page = page_of(make_draft(data))
    report = write(tmp_path / "r.txt", str(render_page(page, "concat")))
    code, out, _ = _import(str(report), "--format", "cells")
    assert code == 0
    cells = json.loads(out)
    assert cells == cells_json(page)
    assert list(cells) == ["table2", "table3", "table4"]
    assert cells["table2"]["行政规范性文件"] == {"本年制发件数": 69, "本年废止件数": 3, "现行有效件数": 665}
    assert cells["table2"]["行政许可"] == {"本年处理决定数量": 2293}
    assert list(cells["table3"]) == ["rows"]
    assert list(cells["table3"]["rows"]) == [r.cells_label for r in official.TABLE3_ROWS]
    assert cells["table3"]["rows"]["（三）不予公开/5.属于三类内部事务信息"] == [1, 0, 0, 0, 0, 0, 1]
    assert cells["table4"] == [1, 0, 2, 0, 3, 12, 0, 0, 0, 12, 0, 0, 0, 0, 0]


def test_blank_cell_is_null_in_cells(tmp_path: Path) -> None:
    text = handwritten()
    line = table_line(text, "（一）予以公开")
    report = write(tmp_path / "r.txt", text.replace(line, replace_cell(line, 2, "")))
    cells = json.loads(_import(str(report), "--format", "cells")[1])
    assert cells["table3"]["rows"]["（一）予以公开"][2] is None


def test_broken_cross_sums_are_refused_unless_forced(tmp_path: Path) -> None:
    text = handwritten()
    line = table_line(text, "本年新收")
    report = write(tmp_path / "r.txt", text.replace(line, replace_cell(line, 6, "151")))
    target = tmp_path / "data.yaml"
    code, _, err = _import(str(report), "-o", str(target))
    assert code == 1
    assert not target.exists()
    assert "H1" in err and "--force" in err
    code, _, err = _import(str(report), "-o", str(target), "--force")
    assert code == 1 and target.exists()
    assert "total: 151" in target.read_text(encoding="utf-8")  # kept for validate to point at
    result = CliRunner().invoke(cli, ["validate", str(target)])
    assert result.exit_code == 1


def test_existing_file_is_not_overwritten(tmp_path: Path) -> None:
    report = write(tmp_path / "r.txt", handwritten())
    target = write(tmp_path / "data.yaml", "keep me\n")
    code, _, err = _import(str(report), "-o", str(target))
    assert code == 2 and "已存在" in err
    assert target.read_text(encoding="utf-8") == "keep me\n"


def test_yaml_to_stdout_without_output(tmp_path: Path) -> None:
    report = write(tmp_path / "r.txt", handwritten())
    code, out, _ = _import(str(report))
    assert code == 0
    assert out.startswith("# ") and "table3:" in out


def test_import_of_something_without_tables_exits_2(tmp_path: Path) -> None:
    report = write(
        tmp_path / "r.txt",
        "某局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n　　2023年，我局依法公开。\n",
    )
    code, out, err = _import(str(report), "-o", str(tmp_path / "d.yaml"))
    assert code == 2 and "表三" in err
    assert "Traceback" not in out + err
