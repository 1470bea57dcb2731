"""The C-parser fast path (``parse_fast`` in drafting/yamlfile.py) gives exactly what the round-trip loader gives,
and leaves every unusual or broken document to it."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from drafting import yamlfile
from drafting.files import read_text
from drafting.yamlfile import parse_fast

pytest.importorskip("_ruamel_yaml", reason="ruamel.yaml.clib is not installed: the fast path is off")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def round_trip(text: str, monkeypatch: pytest.MonkeyPatch, suffix: str = ".yaml") -> Any:
    with monkeypatch.context() as m:
        m.setattr(yamlfile, "parse_fast", lambda _text: None)
        return yamlfile.parse_document(text, "数据.yaml", suffix)


def bench_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_draft", ROOT / "bench" / "bench_draft.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_draft", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_read_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = read_text(path)
    fast = parse_fast(text)
    assert fast is not None
    assert fast == round_trip(text, monkeypatch)


def test_generated_files_read_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in bench_module().generate(tmp_path, 12, seed=5):
        text = path.read_text(encoding="utf-8")
        assert parse_fast(text) == round_trip(text, monkeypatch), path.name


SCALARS = """\
a: 010
b: 0o10
c: 1_000
d: 2024-01-22
e: true
f: ~
g: 1.5
h: 24252.311082
i: "中文"
j: {x: "中文中文", y: 1}
k: [1, "二", 3]
l: 2024-01-22 10:00:00
m: 0x1F
n: yes
o: 1e3
p:
q: |
  多行
  文本
r:
  - 第一条
  - 第二条，含：冒号
"""


def test_scalars_and_positions_match(monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_fast(SCALARS)
    assert fast is not None
    assert fast == round_trip(SCALARS, monkeypatch)
    _, positions = fast
    assert positions[("j", "y")] == (10, 16)  # columns count characters, not UTF-8 bytes
    assert positions[("r", "1")] == (22, 5)


def test_json_reads_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    text = '{"agency": {"name": "某局"},\n "year": 2024, "fees": {"billed": 12.50}}'
    assert parse_fast(text) == round_trip(text, monkeypatch, ".json")


UNUSUAL = {
    "anchor": "a: &x {n: 1}\nb: *x\n",
    "merge": "a: &x {n: 1}\nb:\n  <<: *x\n",
    "duplicate": "a: 1\na: 2\n",
    "directive": "%YAML 1.1\n---\na: 010\n",
    "custom tag": "a: !thing 1\n",
    "impossible date": "published: 2024-13-40\n",
    "tab": "a:\n\tb: 1\n",
    "unclosed": "a: {b: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "empty": "# only a comment\n",
}


@pytest.mark.parametrize("text", UNUSUAL.values(), ids=UNUSUAL.keys())
def test_unusual_documents_are_left_to_the_round_trip_loader(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parse_fast(text) is None
    # …so parse_document behaves exactly as without the fast path: same values, or the same error.
    fast_on = outcome(lambda: yamlfile.parse_document(text, "数据.yaml", ".yaml"))
    assert fast_on == outcome(lambda: round_trip(text, monkeypatch))


def outcome(read: Callable[[], Any]) -> str:
    try:
        return repr(read())
    except Exception as exc:  # the same exception, with the same message and hint
        return f"{type(exc).__name__}: {exc}"
