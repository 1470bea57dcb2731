"""Reading our own YAML/JSON files (suites, replays) into strict pydantic models, with every
problem reported in Chinese at its line, as ``drafting.data.load`` does for data files.

The positions come from ``load.parse_document`` (ruamel's marks). A pydantic error's location also
names the union member it tried (``str``, ``TextSpec``); walking the raw document along the location
keeps only the keys and indexes the file really has, so the message points at the right line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..data.load import parse_document, read_text
from ..errors import InputError

Position = tuple[int, int]
Positions = Mapping[tuple[str, ...], Position]
M = TypeVar("M", bound=BaseModel)

# pydantic's error types → what they mean for someone editing the file.
_MESSAGES = {
    "missing": "缺少这一项",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每条一行，以“- ”开头）",
    "model_type": "应为一组“键: 值”",
    "dict_type": "应为一组“键: 值”",
    "literal_error": "取值不在允许的范围内",
    "enum": "取值不在允许的范围内",
    "union_tag_not_found": "应为检查项的名字，或“检查项: 参数”",
    "too_short": "至少要有一项",
    "greater_than_equal": "数值太小",
    "less_than_equal": "数值太大",
    "string_pattern_mismatch": "写法不对",
}


def read_yaml(path: Path, what: str) -> tuple[Any, Positions, str]:
    """The plain values of a YAML/JSON file, where each key stands, and its text."""
    if not path.is_file():
        raise InputError(f"找不到{what} {path}。", hint="请检查路径是否正确。")
    text = read_text(path)
    suffix = ".json" if path.suffix.lower() == ".json" else ".yaml"
    raw, positions = parse_document(text, str(path), suffix)
    return raw, positions, text


def where(path: tuple[str, ...], positions: Positions) -> str:
    """``第12行第5列`` for a key path, or for its nearest parent that has a position."""
    parts = path
    while parts and parts not in positions:
        parts = parts[:-1]
    if not parts:
        return ""
    line, column = positions[parts]
    return f"第{line}行第{column}列"


def line_of(path: tuple[str, ...], positions: Positions) -> int | None:
    parts = path
    while parts and parts not in positions:
        parts = parts[:-1]
    return positions[parts][0] if parts else None


def _clean_path(raw: Any, loc: Sequence[int | str], kind: str) -> tuple[str, ...]:
    """The key path a pydantic location really names in the document, union members skipped."""
    out: list[str] = []
    node = raw
    for n, part in enumerate(loc):
        if isinstance(node, dict) and str(part) in node:
            node = node[str(part)]
            out.append(str(part))
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            out.append(str(part))
        elif n == len(loc) - 1 and kind == "missing" and isinstance(node, dict):
            out.append(str(part))  # a key the file lacks
    return tuple(out)


def _explain(err: Any, known: Sequence[str]) -> tuple[str, str]:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    loc = err["loc"]
    key = str(loc[-1]) if loc else ""
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
        return f"不认识的项目“{key}”", f"是不是“{close[0]}”？请改正拼写" if close else "请删除或改正这一项"
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag", ""))
        expected = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        close = difflib.get_close_matches(tag, expected, n=1, cutoff=0.5)
        fix = f"是不是“{close[0]}”？" if close else ""
        return f"不认识的检查项“{tag}”", fix + f"可用的检查项：{'、'.join(expected)}"
    if kind == "missing":
        return f"缺少“{key}”这一项", f"请补上“{key}: …”"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])), ""
    message = _MESSAGES.get(kind, "填写有误")
    given = err.get("input")
    if kind not in ("missing", "union_tag_not_found") and isinstance(given, str | int | float | bool):
        message += f"，实际填写“{given}”"
    if kind == "literal_error" and "expected" in ctx:
        return message, f"可用的值：{str(ctx['expected']).replace(' or ', '、')}"
    return message, ""


def _rank(err: Any) -> int:
    """Errors that name the problem first; "this is not a list/bool/text" last."""
    kind = str(err["type"])
    if kind in ("value_error", "extra_forbidden", "missing", "union_tag_invalid", "union_tag_not_found"):
        return 0
    if kind.endswith(("_type", "_parsing")) or kind == "literal_error":
        return 2
    return 1


def _best(errors: list[tuple[tuple[str, ...], Any]]) -> list[tuple[tuple[str, ...], Any]]:
    """One error per place, the most telling one: when a value could take several forms (text, a
    list, a mapping), the errors of the forms it plainly is not say nothing useful."""
    by_path: dict[tuple[str, ...], list[Any]] = {}
    for path, err in errors:
        by_path.setdefault(path, []).append(err)
    # A deeper error (an unknown key inside a mapping) explains its parent's type mismatches.
    paths = [p for p in by_path if not any(q != p and q[: len(p)] == p for q in by_path)]
    out = []
    for p in paths:
        errs = sorted(by_path[p], key=_rank)
        out.append((p, errs[0]))
    return out


def validate(
    adapter: type[M],
    raw: Any,
    source: str,
    positions: Positions,
    *,
    what: str,
    hint: str,
    known: Sequence[str] = (),
) -> M:
    """``raw`` as the model, or an ``InputError`` listing every problem at its line. ``known`` is
    every key the file may use, for "did you mean"."""
    try:
        return TypeAdapter(adapter).validate_python(raw)
    except ValidationError as exc:
        errors = [(_clean_path(raw, e["loc"], e["type"]), e) for e in exc.errors()]
        raise _error(source, what, hint, _best(errors), positions, known) from None


def _error(
    source: str,
    what: str,
    hint: str,
    errors: list[tuple[tuple[str, ...], Any]],
    positions: Positions,
    known: Sequence[str],
) -> InputError:
    lines = []
    errors.sort(key=lambda pe: (line_of(pe[0], positions) or 0, pe[0]))
    for path, err in errors:
        message, fix = _explain(err, known)
        place = where(path, positions)
        field = ".".join(path) or "（整体）"
        lines.append(f"{place + '，' if place else ''}{field}：{message}。{fix}".rstrip("。") + "。")
    if len(lines) == 1:
        return InputError(f"{what} {source} {lines[0]}", hint=hint)
    body = "\n".join(f"  {line}" for line in lines)
    return InputError(f"{what} {source} 有 {len(lines)} 处错误：\n{body}", hint=hint)


def problem(source: str, what: str, path: tuple[str, ...], positions: Positions, message: str) -> str:
    """One problem found after validation (a missing file, a duplicate id), at its line."""
    place = where(path, positions)
    return f"{what} {source} {place + '，' if place else ''}{'.'.join(path)}：{message}"
