"""Helpers for the data-file tests: edit the reference example as text, the way a user edits a file,
and read back what the loader says about it.

Edits work on whole lines of the example (the ``drafting init`` layout: one table row per line, as a
YAML flow map), so a test can also say exactly which line and column a message must point at.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from drafting.data import Loaded, load_data
from drafting.errors import Issue

from .conftest import REFERENCE_EXAMPLE


def example_text() -> str:
    return REFERENCE_EXAMPLE.read_text(encoding="utf-8")


def _unique_line(text: str, pattern: str) -> tuple[int, re.Match[str]]:
    """The 0-based index and match of the one line matching ``pattern`` (anchored at line start)."""
    lines = text.split("\n")
    hits = [(i, m) for i, line in enumerate(lines) if (m := re.match(pattern, line))]
    assert len(hits) == 1, f"expected one line matching {pattern!r}, found {len(hits)}"
    return hits[0]


def _row_pattern(key: str, indent: int | None) -> str:
    spaces = r"\s*" if indent is None else " " * indent
    return rf"^({spaces}{re.escape(key)}:\s*)\{{([^}}]*)\}}(.*)$"


def set_row(text: str, key: str, indent: int | None = None, **values: Any) -> str:
    """Change (or add) items of the flow-map row ``key: {…}``, keeping its comment."""
    i, m = _unique_line(text, _row_pattern(key, indent))
    items: dict[str, str] = {}
    for item in m.group(2).split(","):
        k, v = item.split(":", 1)
        items[k.strip()] = v.strip()
    for k, v in values.items():
        items[k] = _yaml_value(v)
    lines = text.split("\n")
    body = ", ".join(f"{k}: {v}" for k, v in items.items())
    lines[i] = f"{m.group(1)}{{{body}}}{m.group(3)}"
    return "\n".join(lines)


def set_value(text: str, key: str, value: Any, indent: int | None = None) -> str:
    """Change the scalar of the line ``key: value   # comment`` (``value`` is written as YAML)."""
    spaces = r"\s*" if indent is None else " " * indent
    i, m = _unique_line(text, rf"^({spaces}{re.escape(key)}:)(\s*)([^#]*?)(\s+#.*)?$")
    lines = text.split("\n")
    lines[i] = f"{m.group(1)} {_yaml_value(value)}{m.group(4) or ''}"
    return "\n".join(lines)


def replace_line(text: str, pattern: str, new: str) -> str:
    i, _ = _unique_line(text, pattern)
    lines = text.split("\n")
    lines[i] = new
    return "\n".join(lines)


def delete_line(text: str, pattern: str) -> str:
    i, _ = _unique_line(text, pattern)
    lines = text.split("\n")
    del lines[i]
    return "\n".join(lines)


def insert_after(text: str, pattern: str, new: str) -> str:
    i, _ = _unique_line(text, pattern)
    lines = text.split("\n")
    lines.insert(i + 1, new)
    return "\n".join(lines)


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    return str(value)


def position(text: str, pattern: str, word: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of ``word`` on the one line matching ``pattern`` (of the line's first
    non-blank character when ``word`` is None): where a message about that cell must point."""
    i, m = _unique_line(text, pattern)
    line = m.string
    if word is None:
        return i + 1, len(line) - len(line.lstrip()) + 1
    found = re.search(rf"(?<![\w]){re.escape(word)}:", line)
    assert found is not None, f"{word!r} not on line {line!r}"
    return i + 1, found.start() + 1


def row_position(text: str, key: str, column: str | None = None) -> tuple[int, int]:
    """Where the loader places a message about row ``key`` (its ``column`` item, or the row key)."""
    pattern = _row_pattern(key, None)
    return position(text, pattern, column) if column else position(text, pattern)


def write(directory: Path, text: str, name: str = "data.yaml", encoding: str = "utf-8") -> Path:
    path = directory / name
    path.write_bytes(text.encode(encoding))
    return path


def load_text(directory: Path, text: str, name: str = "data.yaml") -> Loaded:
    return load_data(write(directory, text, name))


def only(issues: list[Issue], rule: str) -> list[Issue]:
    return [i for i in issues if i.rule == rule]


def busy_text() -> str:
    """The example with applications in two columns that balance (H1–H3 hold):
    自然人 新收 3 = 予以公开 2 + 结转下年度 1; 商业企业 新收 2 = 不予公开 2.其他法律行政法规禁止公开 2."""
    text = example_text()
    text = set_row(text, "new", natural=3, commercial=2)
    text = set_row(text, "disclosed", natural=2)
    text = set_row(text, "prohibited_by_law", commercial=2)
    return set_row(text, "carry_forward", natural=1)
