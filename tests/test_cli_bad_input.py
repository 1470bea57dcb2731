"""Bad input through the command line, the way a user meets it: every case runs through
``drafting validate`` and ``drafting draft``. Each must exit with the documented code (0 valid, 1 data
error, 2 unreadable), say in Chinese where the problem is, print no traceback, and — for ``draft`` —
write no output file at all."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from drafting.cli import cli

from .data_support import busy_text, example_text, insert_after, set_row, set_value, write

Make = Callable[[Path], Path]


@dataclass(frozen=True)
class Case:
    id: str
    make: Make  # writes the bad input under a directory, returns the path to pass
    exit_code: int
    says: tuple[str, ...]  # fragments the message must contain (the place, what is wrong)
    line: int | None = None  # the line the message must name, when the file has one
    extra: tuple[str, ...] = field(default=())


def text_file(text: str, name: str = "data.yaml", encoding: str = "utf-8") -> Make:
    return lambda d: write(d, text, name, encoding)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def _json_text() -> str:
    raw = json.loads(json.dumps(_example_raw(), ensure_ascii=False, default=str))
    return json.dumps(raw, ensure_ascii=False, indent=2)


def _example_raw() -> dict[str, object]:
    from drafting.data import load_data

    from .conftest import REFERENCE_EXAMPLE

    return load_data(REFERENCE_EXAMPLE).raw


def _directory(d: Path) -> Path:
    (d / "data").mkdir()
    return d / "data"


def _bad_indent() -> str:
    return example_text().replace("\n  licensing:", "\n   licensing:")


def _tab() -> str:
    return example_text().replace("\n  licensing:", "\n\tlicensing:")


def _duplicate() -> str:
    return example_text().replace("\n  penalty:", "\n  licensing: 0\n  penalty:")


def _json_missing_comma() -> str:
    return _json_text().replace('"year": 2023,', '"year": 2023')


def _json_trailing_comma() -> str:
    return _json_text().replace('"collected": 0\n', '"collected": 0,\n')


def _broken_h1() -> str:
    return set_row(busy_text(), "prohibited_by_law", total=3)


def _broken_h2() -> str:
    return set_row(busy_text(), "prohibited_by_law", commercial=1)


def _broken_h3() -> str:
    text = insert_after(
        busy_text(),
        r"^  carry_forward:",
        "  results_total:        {natural: 3, commercial: 2, research: 0, social: 0, legal: 0, other: 0}",
    )
    return text


def _broken_h4() -> str:
    return set_row(example_text(), "litigation_direct", upheld=1, total=2)


CASES = [
    # --- the file cannot be read as data at all: exit 2 ----------------------------------------
    Case(
        "yaml-bad-indentation", text_file(_bad_indent()), 2, ("缩进",), _line_of(_bad_indent(), "licensing")
    ),
    Case("yaml-tab", text_file(_tab()), 2, ("Tab",), _line_of(_tab(), "licensing")),
    Case(
        "yaml-duplicate-key",
        text_file(_duplicate()),
        2,
        ("licensing", "两次"),
        _line_of(_duplicate(), "penalty") - 1,
    ),
    Case(
        "json-missing-comma",
        text_file(_json_missing_comma(), "data.json"),
        2,
        ("JSON", "缺少逗号"),
        _line_of(_json_missing_comma(), '"year"') + 1,
    ),
    Case("json-trailing-comma", text_file(_json_trailing_comma(), "data.json"), 2, ("JSON",)),
    # A merge key copies cells with no position of their own: the file is still read and judged.
    Case(
        "yaml-merge-key",
        text_file("row: &r {natural: 0, commercial: 0}\nother:\n  <<: *r\n  natural: 1\n"),
        1,
        ("缺少这一项", "agency"),
    ),
    Case("empty-file", text_file(""), 2, ("空的",)),
    Case("only-comments", text_file("# 数据文件\n# 还没有填写\n"), 2, ("空的",)),
    Case("yaml-list-at-top", text_file("- agency: 某局\n- year: 2023\n"), 2, ("不是数据表", "drafting init")),
    Case("json-list-at-top", text_file("[1, 2, 3]", "data.json"), 2, ("不是数据表",)),
    Case("plain-text-in-yaml", text_file("这是一份报告\n"), 2, ("不是数据表",)),
    Case("directory", _directory, 2, ("文件夹",)),
    Case("missing-file", lambda d: d / "nowhere.yaml", 2, ("找不到文件",)),
    Case("xlsx-not-a-workbook", text_file(example_text(), "data.xlsx"), 2, ("Excel",)),
    Case("xls-suffix", lambda d: write(d, "\xd0\xcf\x11\xe0", "data.xls"), 2, ("不支持的文件类型", ".xls")),
    Case("txt-suffix", text_file(example_text(), "data.txt"), 2, ("不支持的文件类型", ".txt")),
    Case("undecodable-bytes", lambda d: _bytes(d, b"\xff\xfe\x00\x81\x00"), 2, ("编码", "UTF-8")),
    # --- the file is read but breaks the format: exit 1 -----------------------------------------
    Case(
        "count-as-string",
        text_file(set_value(example_text(), "licensing", '"5"')),
        1,
        ("表二 第二十条第（五）项 行政许可", "应为整数", "不带引号"),
        _line_of(example_text(), "licensing:"),
    ),
    Case(
        "count-as-decimal",
        text_file(set_row(example_text(), "new", research=1.5)),
        1,
        ("表三 一、本年新收政府信息公开申请数量 / 科研机构", "应为整数"),
        _line_of(example_text(), "  new:"),
    ),
    Case(
        "count-as-boolean",
        text_file(set_row(example_text(), "review", other="true")),
        1,
        ("表四 行政复议 / 其他结果", "应为整数"),
        _line_of(example_text(), "  review:"),
    ),
    Case(
        "blank-cell",
        text_file(set_value(example_text(), "coercion", "")),
        1,
        ("行政强制", "不能留空", "没有就填 0"),
        _line_of(example_text(), "coercion:"),
    ),
    Case(
        "negative-table3",
        text_file(set_row(example_text(), "prohibited_by_law", commercial=-1)),
        1,
        ("表三 （三）不予公开 2.其他法律行政法规禁止公开 / 商业企业", "不能为负数"),
        _line_of(example_text(), "prohibited_by_law:"),
    ),
    Case(
        "negative-table4",
        text_file(set_row(example_text(), "litigation_after_review", pending=-2)),
        1,
        ("表四 行政诉讼 复议后起诉 / 尚未审结", "不能为负数"),
        _line_of(example_text(), "litigation_after_review:"),
    ),
    Case(
        "negative-fee",
        text_file(set_value(example_text(), "collected", -5)),
        1,
        ("实收信息处理费", "不能为负数"),
        _line_of(example_text(), "collected:"),
    ),
    Case(
        "missing-cell",
        text_file(example_text().replace("\n  coercion:", "\n# coercion:")),
        1,
        ("行政强制", "缺少这一项", "coercion: 0"),
    ),
    Case(
        "missing-table",
        text_file(example_text().replace("\ntable4:", "\ntable_four:")),
        1,
        ("表四 政府信息公开行政复议、行政诉讼情况", "缺少这一项", "不认识这一项", "是不是“table4”"),
    ),
    Case(
        "unknown-key",
        text_file(example_text().replace("\n  penalty:", "\n  penalti:")),
        1,
        ("不认识这一项", "是不是“penalty”"),
        _line_of(example_text(), "penalty:"),
    ),
    Case(
        "impossible-date",
        text_file(set_value(example_text(), "published", "2024-13-40")),
        1,
        ("发布日期", "应为日期"),
        _line_of(example_text(), "published:"),
    ),
    Case(
        "year-as-text",
        text_file(set_value(example_text(), "year", '"二〇二三"', indent=0)),
        1,
        ("报告年度", "应为整数"),
        _line_of(example_text(), "year:"),
    ),
    Case(
        "broken-h1",
        text_file(_broken_h1()),
        1,
        ("［H1］", "表三 （三）不予公开 2.其他法律行政法规禁止公开 / 总计", "把总计改为 2"),
        _line_of(_broken_h1(), "prohibited_by_law:"),
    ),
    Case(
        "broken-h2",
        text_file(_broken_h2()),
        1,
        ("［H2］", "表三 四、结转下年度继续办理 / 商业企业", "请先逐行核对本列的办理结果"),
        _line_of(_broken_h2(), "carry_forward:"),
    ),
    Case(
        "broken-h3",
        text_file(_broken_h3()),
        1,
        ("［H3］", "表三 （七）总计 / 自然人", "把（七）总计改为 2"),
        _line_of(_broken_h3(), "results_total:"),
    ),
    Case(
        "broken-h4",
        text_file(_broken_h4()),
        1,
        ("［H4］", "表四 行政诉讼 未经复议直接起诉 / 总计", "把总计改为 1"),
        _line_of(_broken_h4(), "litigation_direct:"),
    ),
]


def _bytes(d: Path, data: bytes) -> Path:
    path = d / "data.yaml"
    path.write_bytes(data)
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_clean_failure(result: Result, case: Case, path: Path) -> None:
    out = result.output
    assert result.exit_code == case.exit_code, out
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out
    assert re.search(r"[\u4e00-\u9fff]", out), out
    assert path.name in out, out  # names the file…
    for fragment in case.says:  # …and what is wrong where
        assert fragment in out, out
    if case.line is not None:
        assert f"第{case.line}行" in out, out


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validate_rejects_bad_input(tmp_path: Path, case: Case) -> None:
    path = case.make(tmp_path)
    assert_clean_failure(run("validate", str(path)), case, path)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_draft_rejects_bad_input_and_writes_nothing(tmp_path: Path, case: Case) -> None:
    path = case.make(tmp_path)
    out = tmp_path / "out"
    before = _tree(tmp_path)
    result = run("draft", str(path), "-o", str(out), "--format", "md,txt")
    assert_clean_failure(result, case, path)
    assert "未生成草稿" in result.output
    assert not out.exists()
    assert _tree(tmp_path) == before  # no temp file or half file anywhere, not even beside the data


def _tree(d: Path) -> set[Path]:
    return set(d.rglob("*"))


# --- valid files in other encodings ----------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig"])
def test_valid_file_in_a_chinese_encoding_validates_and_drafts(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, example_text(), "data.yaml", encoding)
    assert path.read_bytes() != example_text().encode("utf-8")  # really another encoding
    result = run("validate", str(path))
    assert result.exit_code == 0, result.output
    assert "数据有效" in result.output
    out = tmp_path / "out"
    result = run("draft", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    markdown = (out / "data.md").read_text(encoding="utf-8")
    assert "大兴安岭地区行政公署绿色产品产业发展局2023年政府信息公开工作年度报告" in markdown


def test_valid_json_indented_with_tabs_validates(tmp_path: Path) -> None:
    text = json.dumps(json.loads(_json_text()), ensure_ascii=False, indent="\t")
    result = run("validate", str(write(tmp_path, text, "data.json")))
    assert result.exit_code == 0, result.output


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    text = set_value(example_text(), "published", "2023-12-01")  # P2 warning
    result = run("validate", str(write(tmp_path, text)))
    assert result.exit_code == 0, result.output
    assert "1 条提示" in result.output and "发布日期" in result.output


def test_the_worst_exit_code_wins_over_several_files(tmp_path: Path) -> None:
    good = write(tmp_path, example_text(), "good.yaml")
    broken = write(tmp_path, _broken_h2(), "broken.yaml")
    result = run("validate", str(good), str(broken), str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2, result.output
    assert "good.yaml：数据有效" in result.output
    assert "broken.yaml" in result.output and "找不到文件" in result.output


# --- the real entry point ------------------------------------------------------------------------

_SUBPROCESS_CASES = [
    c for c in CASES if c.id in ("yaml-tab", "broken-h2", "negative-table3", "impossible-date")
]


def _console_script() -> str:
    script = Path(sys.executable).with_name("drafting")
    assert script.exists(), "the drafting console script is installed beside the interpreter"
    return str(script)


@pytest.mark.parametrize("case", _SUBPROCESS_CASES, ids=[c.id for c in _SUBPROCESS_CASES])
def test_console_script_reports_without_traceback(tmp_path: Path, case: Case) -> None:
    path = case.make(tmp_path)
    out = tmp_path / "out"
    for args in (["validate", str(path)], ["draft", str(path), "-o", str(out)]):
        proc = subprocess.run(
            [_console_script(), *args], capture_output=True, text=True, encoding="utf-8", timeout=60
        )
        assert proc.returncode == case.exit_code, proc.stderr
        assert "Traceback" not in proc.stdout + proc.stderr
        for fragment in case.says:
            assert fragment in proc.stderr, proc.stderr
    assert not out.exists()
