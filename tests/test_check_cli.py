"""``drafting check``: exit codes, the exact JSON shape, the grouped listing, unusable inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import cli

from .checks_support import busy, handwritten, replace_cell, table_line, write


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_clean_report_exits_0(tmp_path: Path) -> None:
    path = write(tmp_path / "report.txt", handwritten())
    code, out, _ = _run(str(path))
    assert code == 0
    assert "未发现问题" in out


def test_json_shape_is_exact(tmp_path: Path) -> None:
    text = handwritten()
    line = table_line(text, "本年新收")
    path = write(
        tmp_path / "report.txt",
        text.replace(line, replace_cell(line, 6, "151")).replace("（一）主动公开。", "(1)主动公开。"),
    )
    code, out, _ = _run(str(path), "--json")
    assert code == 1
    payload = json.loads(out)
    assert list(payload) == ["ok", "findings"]
    assert payload["ok"] is False
    assert payload["findings"]
    for finding in payload["findings"]:
        assert list(finding) == [
            "rule",
            "category",
            "severity",
            "message",
            "location",
            "evidence",
            "cells",
            "fingerprint",
        ]
        assert all(isinstance(v, str) for k, v in finding.items() if k != "cells")
        assert finding["category"] in {"structure", "table", "consistency", "year", "register", "data"}
        assert finding["severity"] in {"error", "warning"}
        assert finding["evidence"] and len(finding["fingerprint"]) == 16
        assert all(list(c) == ["table", "row", "column"] for c in finding["cells"])
    assert {"H1", "R5"} <= {f["rule"] for f in payload["findings"]}
    h1 = next(f for f in payload["findings"] if f["rule"] == "H1")
    # the cell the total was printed in, by the ids of the official format; the figures compared
    assert h1["cells"] == [{"table": "table3", "row": "new", "column": "total"}]
    assert "151" in h1["evidence"]
    r5 = next(f for f in payload["findings"] if f["rule"] == "R5")
    assert r5["cells"] == [] and "(1)" in r5["evidence"]


def test_fingerprints_hold_when_the_file_moves_and_its_wording_changes(tmp_path: Path) -> None:
    """A reviewer's decision is stored against a fingerprint: the same report in another folder, or
    with other words around the same problem, keeps it; another agency's report does not."""

    def prints(path: Path) -> dict[str, str]:
        _, out, _ = _run(str(path), "--json")
        return {f["rule"]: f["fingerprint"] for f in json.loads(out)["findings"]}

    broken = handwritten().replace("一是严格", "二是严格")
    (tmp_path / "a").mkdir()
    (tmp_path / "b" / "c").mkdir(parents=True)
    first = prints(write(tmp_path / "a" / "report.txt", broken))
    moved = prints(write(tmp_path / "b" / "c" / "另一个名字.txt", broken))
    assert first["R4"] == moved["R4"]
    reworded = broken.replace("二是严格公开前保密审查", "二是严格落实公开前的保密审查")
    assert reworded != broken
    assert prints(write(tmp_path / "reworded.txt", reworded))["R4"] == first["R4"]
    other = broken.replace(busy()[0].agency.name, "某县人民政府办公室", 1)
    assert prints(write(tmp_path / "other.txt", other))["R4"] != first["R4"]


def test_warnings_only_exit_0_and_ok_true(tmp_path: Path) -> None:
    path = write(
        tmp_path / "report.txt",
        handwritten().replace("（三）政府信息管理。", "（三）政府信息管理。【待补充：做法】"),
    )
    code, out, _ = _run(str(path), "--json")
    payload = json.loads(out)
    assert code == 0 and payload["ok"] is True
    assert [f["rule"] for f in payload["findings"]] == ["R1"]


def test_grouped_chinese_listing(tmp_path: Path) -> None:
    text = handwritten()
    line = table_line(text, "本年新收")
    path = write(
        tmp_path / "report.txt",
        text.replace(line, replace_cell(line, 6, "151")).replace("一是严格", "二是严格"),
    )
    code, out, _ = _run(str(path))
    assert code == 1
    assert "【表格勾稽】" in out and "【文字规范】" in out
    assert out.index("【表格勾稽】") < out.index("【文字规范】")
    assert "错误［H1］" in out and "个错误" in out


def test_data_and_previous_options(tmp_path: Path) -> None:
    data, draft = busy()
    data_file = write(tmp_path / "data.json", data.model_dump_json())
    report = write(tmp_path / "report.txt", handwritten())
    code, out, _ = _run(str(report), "--data", str(data_file), "--previous", str(data_file), "--json")
    payload = json.loads(out)
    # "previous" of the same year: last year's figures must be of the year before
    assert code == 1 and "C1" in {f["rule"] for f in payload["findings"]}
    code, _, _ = _run(str(report), "--data", str(data_file))
    assert code == 0
    draft_file = write(tmp_path / "r.draft.json", draft.to_json())
    assert _run(str(draft_file))[0] == 0


def test_invalid_data_file_becomes_findings(tmp_path: Path) -> None:
    data = busy()[0]
    raw = json.loads(data.model_dump_json())
    raw["table3"]["new"]["total"] = 999
    data_file = write(tmp_path / "data.json", json.dumps(raw, ensure_ascii=False))
    report = write(tmp_path / "report.txt", handwritten())
    code, out, _ = _run(str(report), "--data", str(data_file), "--json")
    assert code == 1
    assert any(f["category"] == "data" and f["rule"] == "D3-H1" for f in json.loads(out)["findings"])
    d3 = next(f for f in json.loads(out)["findings"] if f["rule"] == "D3-H1")
    assert d3["cells"] == [{"table": "table3", "row": "new", "column": "total"}]  # from the path
    assert "999" in d3["evidence"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.txt", None, "找不到文件"),
        ("garbage.txt", bytes(range(256)) * 8, "不是文本文件"),
        ("empty.txt", b"", "空的"),
        ("notes.txt", "今天天气很好。\n明天开会。\n".encode(), "没有找到年度报告"),
        ("fake.docx", b"PK\x03\x04 not really a zip file", "Word"),
        ("data.json", b'{"agency": {"name": "x"}}', "草稿文件"),
        ("report.pdf", b"%PDF-1.4 binary", "PDF"),
        ("old.doc", b"\xd0\xcf\x11\xe0 old word", "旧版 Word"),
    ],
)
def test_unusable_inputs_exit_2_in_chinese(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = _run(str(path))
    assert code == 2
    assert message in err
    assert "Traceback" not in out + err


def test_the_installed_command(tmp_path: Path) -> None:
    path = write(tmp_path / "report.txt", handwritten())
    done = subprocess.run(
        [sys.executable, "-m", "drafting.cli", "check", str(path), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if "No module named drafting.cli.__main__" in done.stderr:
        done = subprocess.run(
            [sys.executable, "-c", "from drafting.cli import main; main()", "check", str(path), "--json"],
            capture_output=True,
            text=True,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"ok": True, "findings": []}
