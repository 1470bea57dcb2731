"""Hostile inputs through the installed command: nothing explodes, nothing hangs, nothing is lost.

Every case of ``hostile_support.CASES`` (alias bombs, nesting 50,000 deep, zip bombs, spans of 100
million columns, DTDs, control characters, formulas, mojibake, and plausible files on formerly
quadratic paths) is made on the spot and run through ``drafting`` in a child process whose address
space is capped at ``ADDRESS_SPACE_MB``, so a file that explodes fails in a second with a
MemoryError instead of swapping the machine. Each must end with its exit code (0/1/2 only), a
Chinese message without library English, within ``SECONDS`` of the child's own CPU time and
``PEAK_MB`` of resident memory (both from ``wait4``, so the load other processes put on a shared
machine does not count), and without writing a file unless the case may.

The ceilings are the issue's limits for any single input, not speed targets: the slow cases took
30 s to minutes before, and a regression to a quadratic path goes far past them.
``bench/bench_hostile.py`` prints the figures.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafting.cli import cli

from .hostile_support import CASES, Hostile, example_text, run_command
from .test_no_library_english import english_in

SECONDS = 10.0
PEAK_MB = 500.0
ADDRESS_SPACE_MB = 2000  # far above the peak allowed, far below what an explosion reaches


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_hostile_input_ends_quickly_in_chinese_and_writes_nothing(tmp_path: Path, case: Hostile) -> None:
    args = case.make(tmp_path)
    before = _files(tmp_path)
    env = dict(os.environ, DRAFTING_HOME=str(tmp_path / "home"))
    outcome = run_command(args, env=env, timeout=60, address_space_mb=ADDRESS_SPACE_MB)
    output = outcome.stdout + outcome.stderr

    assert not outcome.timed_out, f"{case.id}: still running after 60 s"
    assert outcome.exit_code in case.exit_codes, f"{case.id}: exit {outcome.exit_code}\n{output}"
    assert outcome.exit_code in (0, 1, 2)
    assert outcome.cpu_seconds <= SECONDS, f"{case.id}: {outcome.cpu_seconds:.1f} s of CPU"
    assert outcome.max_rss_mb <= PEAK_MB, f"{case.id}: {outcome.max_rss_mb:.0f} MB"
    assert re.search(r"[\u4e00-\u9fff]", output), output
    assert case.says in output, output
    assert not english_in(output), output
    written = _files(tmp_path) - before - {p for p in _files(tmp_path) if "home" in p.parts}
    if not case.writes:
        assert written == set(), f"{case.id} wrote {sorted(map(str, written))}"
    else:
        _check_written(case.id, tmp_path)


def _check_written(case_id: str, folder: Path) -> None:
    """What a case that may write wrote, read back: the writers coped with what validation let
    through, and the author's words arrive as words."""
    out = folder / "out"
    if case_id == "hundred-facts-draft":
        md = (out / "d.md").read_text(encoding="utf-8")
        assert "九十九是" in md and "一百是" in md and "一百二十是" in md
    elif case_id == "script-in-fact-draft":
        md = (out / "d.md").read_text(encoding="utf-8")
        assert "<script>" not in md and "&lt;script>" in md and "<b>" not in md
        html = (out / "d.html").read_text(encoding="utf-8")
        assert "<script>alert" not in html and "&lt;script&gt;" in html
        with zipfile.ZipFile(out / "d.docx") as z:
            assert "&lt;script&gt;" in z.read("word/document.xml").decode("utf-8")
    elif case_id == "revise-control-chars":
        saved = json.loads((out / "r.draft.json").read_text(encoding="utf-8"))
        problems = next(s for s in saved["sections"] if s["id"] == "problems")
        assert problems["paragraphs"] == ["新的写法", "第二段。[K红字", "第三段。"]
        with zipfile.ZipFile(out / "r.docx") as z:
            assert "第二段。[K红字" in z.read("word/document.xml").decode("utf-8")
    elif case_id == "docx-grid-span-import":
        assert (out / "imported.yaml").exists()
    else:  # pragma: no cover - a new writing case needs its own check here
        raise AssertionError(f"no check for what {case_id} wrote")


# --- fuzzing the data file --------------------------------------------------------------------------

_LINES = example_text().split("\n")
_VALUES = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=40).map(lambda t: json.dumps(t, ensure_ascii=False)),
    st.text(max_size=20),
    st.sampled_from(
        ["[", "]", "{", "}", "&a", "*a", "<<: *a", "!!binary x", "|", ">", "~", "null", "- x", "\t", "#"]
    ),
    st.recursive(
        st.integers(0, 9).map(str),
        lambda inner: st.lists(inner, max_size=3).map(lambda v: f"[{', '.join(v)}]"),
        max_leaves=6,
    ),
)


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    """The example with a few lines changed: a value replaced, a line cut, duplicated or indented."""
    lines = list(_LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["value", "cut", "double", "indent", "insert"]))
        if action == "value" and ":" in lines[i]:
            key = lines[i].split(":", 1)[0]
            lines[i] = f"{key}: {draw(_VALUES)}"
        elif action == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif action == "double":
            lines.insert(i, lines[i])
        elif action == "indent":
            lines[i] = " " * draw(st.integers(1, 9)) + lines[i]
        else:
            lines.insert(i, draw(st.text(max_size=30)))
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_mutated(), as_json=st.booleans())
def test_fuzzed_data_files_end_with_a_message_never_a_traceback(
    tmp_path: Path, text: str, as_json: bool
) -> None:
    path = tmp_path / ("d.json" if as_json else "d.yaml")
    if as_json:
        try:  # the same mutation, as JSON: the YAML parsed, then dumped; else the text as it is
            from drafting.yamlfile import parse_document

            raw, _ = parse_document(text, "x", ".yaml")
            text = json.dumps(raw, ensure_ascii=False, default=str)
        except Exception:
            pass
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output and "内部错误" not in result.output, result.output
