"""No English from a library reaches a user: every error path of bad input, through the installed
``drafting`` command in a subprocess, says what is wrong in Chinese and exits 1 (a rule broken) or
2 (a file unusable) — never a traceback, never pydantic's, ruamel's, json's, tomllib's or the
operating system's own words.

Each case makes its bad input under a fresh folder and runs one command. The error output must be
Chinese and say the case's telling fragment (the path the error took), and nothing printed may hold
an English sentence: the phrases libraries are known to use, or any run of four English words.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import EXAMPLES, REFERENCE_EXAMPLE, ROOT
from .data_support import busy_text, example_text, set_row, set_value

# What libraries say, word for word: pydantic, json, ruamel.yaml, tomllib, codecs, the OS, Python.
LIBRARY_PHRASES = (
    "Traceback",
    "Input should",
    "Field required",
    "Extra inputs",
    "validation error",
    "Value error",
    "Error:",
    "Expecting",
    "Unterminated",
    "Invalid",
    "invalid",
    "line 1 column",
    "at line",
    "Illegal",
    "mapping values",
    "could not find",
    "while parsing",
    "while scanning",
    "found character",
    "expected <",
    "Expected",
    "codec",
    "[Errno",
    "No such file",
    "Permission denied",
    "Is a directory",
    "NoneType",
    "object has no attribute",
)
# Four English words in a row: a sentence, whoever wrote it. Our own messages name files, keys,
# commands and options (``drafting init --xlsx``), never an English sentence.
ENGLISH_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?: +[A-Za-z']+){3,}\b")

Make = Callable[[Path], list[str]]  # writes the bad input under a folder; the command's arguments


@dataclass(frozen=True)
class Case:
    id: str
    make: Make
    exit_code: int
    says: str  # a fragment of the Chinese message that shows the right path was taken


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def validate(name: str, content: str | bytes) -> Make:
    return lambda d: ["validate", str(_write(d / name, content))]


def _draft(d: Path) -> Path:
    """A real draft file written by the command, for the cases that break one."""
    out = d / "out"
    done = subprocess.run(
        [_console_script(), "draft", str(REFERENCE_EXAMPLE), "-o", str(out), "--format", "md"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out / f"{REFERENCE_EXAMPLE.stem}.draft.json"


def _edited_draft(edit: Callable[[dict[str, object]], None]) -> Make:
    def make(d: Path) -> list[str]:
        path = _draft(d)
        content = json.loads(path.read_text(encoding="utf-8"))
        edit(content)
        path.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
        return ["revise", str(path), "--log"]

    return make


def _title_as_number(content: dict[str, object]) -> None:
    content["title"] = 12


def _broken_history(content: dict[str, object]) -> None:
    content["history"] = [{"n": "一", "kind": "manual"}]


def _suite(text: str) -> Make:
    return lambda d: ["eval", str(_write(d / "suite.yaml", text)), "--json", str(d / "run.json")]


def _district_suite(expect: str) -> str:
    data = EXAMPLES / "district-dept-2024.yaml"
    return f"name: 坏的评测集\ncases:\n  - id: a\n    data: {data}\n{expect}"


def _replay(name: str, content: str) -> Make:
    def make(d: Path) -> list[str]:
        replay = _write(d / name, content)
        return [
            "eval",
            str(ROOT / "evals" / "suite.yaml"),
            "--model",
            f"replay:{replay}",
            "--case",
            "daxinganling-2023",
        ]

    return make


def _record(content: str) -> Make:
    return lambda d: ["eval", "--rescore", str(_write(d / "run.json", content))]


def _config(text: str) -> Make:
    def make(d: Path) -> list[str]:
        _write(d / "home" / "config.toml", text)
        return ["--home-from", str(d / "home"), "draft", str(REFERENCE_EXAMPLE), "-o", str(d / "out")]

    return make


def _prompts(front_matter: str) -> Make:
    def make(d: Path) -> list[str]:
        folder = d / "prompts"
        for source in (ROOT / "drafting" / "prompt_files").glob("*.md"):
            _write(folder / source.name, source.read_text(encoding="utf-8"))
        text = (folder / "overview.md").read_text(encoding="utf-8")
        body = text.partition("\n---\n")[2]
        _write(folder / "overview.md", front_matter + "\n---\n" + body)
        return ["--prompts-from", str(folder), "prompts", "list"]

    return make


def _data_json(edit: Callable[[str], str]) -> Make:
    def make(d: Path) -> list[str]:
        from drafting.data import load_data

        raw = json.loads(json.dumps(load_data(REFERENCE_EXAMPLE).raw, ensure_ascii=False, default=str))
        return ["validate", str(_write(d / "data.json", edit(json.dumps(raw, ensure_ascii=False, indent=2))))]

    return make


CASES = [
    # --- data files: unusable (2) ---------------------------------------------------------------
    Case(
        "yaml-tab", validate("d.yaml", example_text().replace("\n  licensing:", "\n\tlicensing:")), 2, "Tab"
    ),
    Case(
        "yaml-indent",
        validate("d.yaml", example_text().replace("\n  licensing:", "\n   licensing:")),
        2,
        "缩进",
    ),
    Case("yaml-unclosed-quote", validate("d.yaml", 'agency:\n  name: "某局\nyear: 2023\n'), 2, "YAML"),
    Case("yaml-bad-escape", validate("d.yaml", 'agency:\n  name: "某局\\q"\n'), 2, "反斜杠"),
    Case(
        "json-missing-comma", _data_json(lambda t: t.replace('"year": 2023,', '"year": 2023')), 2, "缺少逗号"
    ),
    Case(
        "json-trailing-comma",
        _data_json(lambda t: t.replace('"collected": 0\n', '"collected": 0,\n')),
        2,
        "JSON",
    ),
    Case("json-truncated", _data_json(lambda t: t[: len(t) // 2]), 2, "JSON"),
    Case("utf16", validate("d.yaml", example_text().encode("utf-16")), 2, "编码"),
    Case("binary", validate("d.yaml", bytes(range(256)) * 4), 2, "编码"),
    Case("missing-file", lambda d: ["validate", str(d / "nowhere.yaml")], 2, "找不到文件"),
    Case("directory", lambda d: ["validate", str(_write(d / "x" / "a.txt", "").parent)], 2, "文件夹"),
    Case("empty", validate("d.yaml", ""), 2, "空的"),
    Case("wrong-suffix", validate("d.txt", example_text()), 2, "不支持的文件类型"),
    Case("not-a-workbook", validate("d.xlsx", example_text()), 2, "Excel"),
    # --- data files: rules broken (1) -----------------------------------------------------------
    Case("count-as-text", validate("d.yaml", set_value(example_text(), "licensing", '"5"')), 1, "应为整数"),
    Case(
        "count-as-list", validate("d.yaml", set_value(example_text(), "licensing", "[1, 2]")), 1, "应为整数"
    ),
    Case(
        "text-as-number", validate("d.yaml", set_value(example_text(), "self_reference", "12")), 1, "应为文字"
    ),
    Case(
        "agency-as-list",
        validate("d.yaml", example_text().replace("agency:\n", "agency: [1]\nx:\n", 1)),
        1,
        "键",
    ),
    Case(
        "negative",
        validate("d.yaml", set_row(example_text(), "prohibited_by_law", commercial=-1)),
        1,
        "不能为负数",
    ),
    Case("cross-sum", validate("d.yaml", set_row(busy_text(), "prohibited_by_law", commercial=1)), 1, "H2"),
    Case(
        "unknown-key", validate("d.yaml", example_text().replace("\n  penalty:", "\n  penalti:")), 1, "不认识"
    ),
    Case(
        "missing-key", validate("d.yaml", example_text().replace("\n  coercion:", "\n# coercion:")), 1, "缺少"
    ),
    Case("bad-date", validate("d.yaml", set_value(example_text(), "published", "2024-13-40")), 1, "应为日期"),
    Case("blank-year", validate("d.yaml", set_value(example_text(), "year", "", indent=0)), 1, "不能留空"),
    Case(
        "year-too-far", validate("d.yaml", set_value(example_text(), "year", "1899", indent=0)), 1, "报告年度"
    ),
    Case(
        "draft-bad-data",
        lambda d: [
            "draft",
            str(_write(d / "d.yaml", set_value(example_text(), "licensing", '"5"'))),
            "-o",
            str(d),
        ],
        1,
        "未生成草稿",
    ),
    Case(
        "draft-bad-format",
        lambda d: ["draft", str(REFERENCE_EXAMPLE), "--format", "odt", "-o", str(d)],
        2,
        "格式",
    ),
    Case("init-from-bad", lambda d: ["init", "--from", str(_write(d / "d.yaml", "year: [\n"))], 2, "YAML"),
    # --- drafts and reports ---------------------------------------------------------------------
    Case(
        "draft-json-syntax",
        lambda d: ["check", str(_write(d / "r.draft.json", '{"schema": "drafting.draft/1",'))],
        2,
        "JSON",
    ),
    Case(
        "draft-json-not-ours",
        lambda d: ["check", str(_write(d / "r.draft.json", '{"schema": "drafting.draft/1", "title": 1}'))],
        2,
        "不是有效的草稿文件",
    ),
    Case("draft-field-wrong-type", _edited_draft(_title_as_number), 2, "不是有效的草稿文件"),
    Case("draft-history-damaged", _edited_draft(_broken_history), 2, "修改历史"),
    Case(
        "draft-not-utf8",
        lambda d: ["revise", str(_write(d / "r.draft.json", "{“标题”}".encode("gbk"))), "--log"],
        2,
        "UTF-8",
    ),
    Case("revise-text-file-gbk", lambda d: _revise_text_file(d), 2, "UTF-8"),
    Case("check-pdf", lambda d: ["check", str(_write(d / "r.pdf", b"%PDF-1.4 binary"))], 2, "PDF"),
    Case("check-not-a-report", lambda d: ["check", str(_write(d / "r.txt", "今天开会。\n"))], 2, "没有找到"),
    Case(
        "check-fake-docx", lambda d: ["check", str(_write(d / "r.docx", b"PK\x03\x04 not a zip"))], 2, "Word"
    ),
    Case(
        "import-not-a-report",
        lambda d: ["import", str(_write(d / "r.html", "<html><p>你好</p></html>"))],
        2,
        "没有找到",
    ),
    # --- eval suites, replays and records -------------------------------------------------------
    Case("suite-missing", lambda d: ["eval", str(d / "nowhere.yaml")], 2, "找不到评测集"),
    Case("suite-syntax", _suite("name: [坏\ncases: []\n"), 2, "YAML"),
    Case("suite-unknown-key", _suite(_district_suite("    exepct: []\n")), 2, "不认识的项目"),
    Case(
        "suite-unknown-check",
        _suite(_district_suite("    expect:\n      - contians: 新收\n")),
        2,
        "不认识的检查项",
    ),
    Case(
        "suite-wrong-type",
        _suite(_district_suite("    expect:\n      - length: {section: other, min: 多}\n")),
        2,
        "应为整数",
    ),
    Case("suite-repeat-zero", _suite("name: x\nrepeat: 0\ncases: []\n"), 2, "评测集"),
    Case("suite-not-a-map", _suite("- 1\n- 2\n"), 2, "评测集"),
    Case("replay-syntax", _replay("r.yaml", "answers: [\n"), 2, "YAML"),
    Case(
        "replay-wrong-type",
        _replay("r.yaml", "answers:\n  - section: overview\n    reply: [1, {a: 2}]\n"),
        2,
        "回放",
    ),
    Case("replay-jsonl-syntax", _replay("r.jsonl", '{"section": "overview", "reply": "好"\n'), 2, "JSON"),
    Case("replay-jsonl-wrong-type", _replay("r.jsonl", '{"section": 3, "reply": "好"}\n'), 2, "回放"),
    Case("record-syntax", _record('{"schema": '), 2, "评测记录"),
    Case("record-wrong-type", _record('{"schema": "x", "runs": 3}'), 2, "评测记录"),
    Case("record-not-utf8", _record("{“记录”}".encode("gbk").decode("latin-1")), 2, "评测记录"),
    # --- the command line itself: click's own words ---------------------------------------------
    Case("no-such-command", lambda d: ["valdate", str(REFERENCE_EXAMPLE)], 2, "validate"),
    Case("no-such-option", lambda d: ["validate", "--nosuch", str(REFERENCE_EXAMPLE)], 2, "--nosuch"),
    Case("no-such-group-option", lambda d: ["--nosuch"], 2, "--nosuch"),
    Case("missing-argument", lambda d: ["validate"], 2, "DATA"),
    Case("option-without-value", lambda d: ["draft", str(REFERENCE_EXAMPLE), "--model"], 2, "--model"),
    Case("not-an-integer", lambda d: ["eval", "--repeat", "三"], 2, "应为整数"),
    Case("not-a-choice", lambda d: ["import", str(REFERENCE_EXAMPLE), "--format", "pdf"], 2, "cells"),
    Case("no-such-subcommand", lambda d: ["prompts", "lsit"], 2, "子命令"),
    Case("extra-argument", lambda d: ["prompts", "list", "more"], 2, "多余"),
    # --- settings and prompts -------------------------------------------------------------------
    Case("config-syntax", _config('model = "offline\n'), 2, "配置文件"),
    Case("config-unknown", _config('modle = "offline"\n'), 2, "配置文件"),
    Case("config-wrong-type", _config('concurrency = "多"\n'), 2, "concurrency"),
    Case("prompt-front-matter-syntax", _prompts("---\nid: overview\nsection: [overview\n"), 2, "提示词文件"),
    Case(
        "prompt-front-matter-type",
        _prompts("---\nid: overview\nsection: overview\nversion: 第一版\nvariables: []"),
        2,
        "提示词文件",
    ),
]


def _review(files: dict[str, str | bytes], *options: str) -> Make:
    """``drafting review`` of a folder holding ``files`` (a manifest or decisions file among them
    is named by the options, relative to the case's folder)."""

    def make(d: Path) -> list[str]:
        for name, content in files.items():
            _write(d / name, content)
        extra = [str(d / o) if "." in o and not o.startswith("-") else o for o in options]
        return ["review", str(d / "reports"), "-o", str(d / "out"), *extra]

    return make


_A_REPORT = {
    "reports/a.txt": (EXAMPLES.parent / "tests" / "fixtures" / "reference-layout-2023.txt").read_bytes()
}
REVIEW_CASES = [
    Case("review-no-folder", _review({}), 2, "找不到文件夹"),
    Case("review-no-reports", _review({"reports/readme.csv": "x"}), 2, "没有找到报告文件"),
    Case(
        "review-manifest-column",
        _review({**_A_REPORT, "m.csv": "文件,机构\na.txt,某局\n"}, "--manifest", "m.csv"),
        2,
        "不认识列名",
    ),
    Case(
        "review-manifest-year",
        _review({**_A_REPORT, "m.csv": "file,year\na.txt,二〇二四\n"}, "--manifest", "m.csv"),
        2,
        "第2行",
    ),
    Case(
        "review-decisions",
        _review({**_A_REPORT, "d.yaml": '"0123456789abcdef":\n  decision: maybe\n'}, "--decisions", "d.yaml"),
        2,
        "审核决定文件",
    ),
]
CASES += REVIEW_CASES


def _revise_text_file(d: Path) -> list[str]:
    text = _write(d / "mine.txt", "我局的新写法。".encode("utf-16"))
    return ["revise", str(_draft(d)), "--section", "problems", "--text-file", str(text)]


def _console_script() -> str:
    script = Path(sys.executable).with_name("drafting")
    assert script.exists(), "the drafting console script is installed beside the interpreter"
    return str(script)


def run(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    """The installed command; ``--home-from`` and ``--prompts-from`` (test-only words here) become
    the environment variables a user would set."""
    import os

    env = dict(os.environ)
    while args and args[0].startswith("--") and args[0].endswith("-from"):
        flag, value, *args = args
        env["DRAFTING_HOME" if flag == "--home-from" else "DRAFTING_PROMPTS"] = value
    env.setdefault("DRAFTING_HOME", str(home))
    return subprocess.run(
        [_console_script(), *args], capture_output=True, text=True, encoding="utf-8", timeout=120, env=env
    )


def english_in(output: str) -> list[str]:
    found = [p for p in LIBRARY_PHRASES if p in output]
    found += ENGLISH_SENTENCE.findall(output)
    return found


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_said_in_chinese_only(tmp_path: Path, case: Case) -> None:
    done = run(case.make(tmp_path), tmp_path / "home")
    output = done.stdout + done.stderr
    assert done.returncode == case.exit_code, output
    assert re.search(r"[\u4e00-\u9fff]", done.stderr), output
    assert case.says in output, output
    assert not english_in(output), output


def test_the_english_detector_sees_what_libraries_say() -> None:
    assert english_in("title：Input should be a valid string")
    assert english_in("JSON 格式错误（Expecting ',' delimiter）")
    assert english_in("无法读取：found character that cannot start any token")
    assert not english_in("请运行 drafting init --agency XX局 --year 2025 生成模板（.yaml 或 .xlsx）。")
