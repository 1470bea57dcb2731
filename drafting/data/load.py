"""Reading a data file (YAML 1.2 or JSON, UTF-8 or GBK/GB18030) into a validated ``ReportData``.

ruamel.yaml's round-trip loader gives a line and column for every key, so each problem can be
reported as "this cell, this line". Validation runs in two steps: pydantic for shape and types, then
the cross-sum rules. Every problem found is collected, so the user fixes them all in one pass.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import official
from ..errors import DataError, InputError, Issue
from .model import ReportData
from .rules import check_rules

Position = tuple[int, int]  # 1-based line and column


@dataclass
class Loaded:
    """A data file read and validated: the data, and the warnings it still carries."""

    source: str
    data: ReportData
    warnings: list[Issue] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"找不到文件：{path}", hint="请检查文件路径是否正确。") from None
    except IsADirectoryError:
        raise InputError(f"{path} 是一个文件夹，不是数据文件。") from None
    except OSError as exc:
        raise InputError(f"无法读取文件 {path}：{exc.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"{path}：无法识别文件编码。",
        hint="请用 UTF-8 编码另存该文件（记事本“另存为”时选择 UTF-8）。",
    )


def parse_document(text: str, source: str, suffix: str) -> tuple[Any, dict[tuple[str, ...], Position]]:
    """Parse YAML or JSON text into plain Python values and a map of key paths to positions."""
    if suffix == ".json":
        try:
            json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{source} 第{exc.lineno}行第{exc.colno}列：JSON 格式错误（{exc.msg}）。",
                hint="请检查该处附近的引号、逗号和括号是否成对。",
            ) from None
    # JSON is YAML 1.2, so one loader serves both and gives positions for both.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" 第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        problem = exc.problem or exc.context or "格式错误"
        raise InputError(
            f"{source}{where}：YAML 格式错误（{problem}）。",
            hint="请检查该行的缩进（只能用空格，不能用 Tab）、冒号后是否有空格、引号是否成对。",
        ) from None
    except YAMLError as exc:
        raise InputError(f"{source}：YAML 格式错误（{exc}）。") from None
    positions: dict[tuple[str, ...], Position] = {}
    return _plain(node, (), positions), positions


def _plain(node: Any, path: tuple[str, ...], positions: dict[tuple[str, ...], Position]) -> Any:
    """ruamel's round-trip types → plain Python, recording where each key stands."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out = {}
        for key in node:
            line, col = node.lc.key(key)
            key_path = (*path, str(key))
            positions[key_path] = (line + 1, col + 1)
            out[str(key)] = _plain(node[key], key_path, positions)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for i, item in enumerate(node):
            line, col = node.lc.item(i)
            positions[(*path, str(i))] = (line + 1, col + 1)
            items.append(_plain(item, (*path, str(i)), positions))
        return items
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        # repr gives the shortest text that round-trips: what the author typed, as a Decimal.
        return Decimal(repr(float(node)))
    if isinstance(node, dt.datetime):
        return dt.datetime.fromisoformat(node.isoformat())
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if isinstance(node, str):
        return str(node)
    return node


def load_data(path: Path | str, *, previous: Path | str | None = None) -> Loaded:
    """Read, validate and return a data file. Raises ``InputError`` when it cannot be read and
    ``DataError`` (with every issue) when it breaks a rule. ``previous`` names last year's data
    file, which fills ``previous`` when the file itself gives none."""
    path = Path(path)
    source = str(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise InputError(
            f"{source}：不支持的文件类型“{path.suffix or '无扩展名'}”。",
            hint="数据文件应为 .yaml、.yml 或 .json；可用 drafting init 生成一份模板。",
        )
    raw, positions = parse_document(read_text(path), source, path.suffix.lower())
    if not isinstance(raw, dict):
        raise InputError(
            f"{source}：文件内容不是数据表（应以 agency:、year: 等项目开头）。",
            hint="可用 drafting init 生成一份完整模板，再填入数字。",
        )
    if previous is not None and "previous" not in raw:
        raw["previous"] = previous_from(load_data(previous).data)
    return validate_raw(raw, source, positions)


def previous_from(last: ReportData) -> dict[str, Any]:
    """Last year's data reduced to what ``previous`` holds."""
    return last.model_dump(mode="python", include={"year", "table2", "table3", "table4"})


def validate_raw(
    raw: dict[str, Any], source: str, positions: Mapping[tuple[str, ...], Position] | None = None
) -> Loaded:
    positions = positions or {}
    try:
        data = ReportData.model_validate(raw)
    except ValidationError as exc:
        issues = [_shape_issue(err, positions) for err in exc.errors()]
        raise DataError(source, issues) from None
    issues = [_locate(i, positions) for i in check_rules(data)]
    if any(i.is_error for i in issues):
        raise DataError(source, issues)
    return Loaded(source, data, issues, raw)


def _locate(issue: Issue, positions: Mapping[tuple[str, ...], Position]) -> Issue:
    parts = tuple(issue.path.split("."))
    # A derived cell (e.g. a 总计 the file left out) has no position: point at its nearest parent.
    while parts and parts not in positions:
        parts = parts[:-1]
    if not parts:
        return issue
    line, column = positions[parts]
    return replace(issue, line=line, column=column)


# --- pydantic errors → Issues ----------------------------------------------------------------

_TYPE_MESSAGES = {
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing": "应为整数",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_finite_number": "应为有限的数字",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "list_type": "应为列表（每条一行，以“- ”开头）",
    "model_type": "应为一组“键: 值”",
    "model_attributes_type": "应为一组“键: 值”",
    "dict_type": "应为一组“键: 值”",
    "date_type": "应为日期",
    "date_parsing": "应为日期",
    "date_from_datetime_parsing": "应为日期",
    "date_from_datetime_inexact": "应为日期（不含时间）",
}


def _shape_issue(err: Any, positions: Mapping[tuple[str, ...], Position]) -> Issue:
    loc = tuple(str(p) for p in err["loc"])
    path = ".".join(loc)
    kind = err["type"]
    given = err.get("input")
    if kind == "missing":
        message, fix = "缺少这一项", _missing_fix(loc)
    elif kind == "extra_forbidden":
        message, fix = "不认识这一项", _unknown_fix(loc)
    elif kind in ("greater_than_equal", "greater_than"):
        message = f"不能为负数，实际填写 {given}"
        fix = "改为 0 或实际数量"
    elif kind in ("less_than_equal", "less_than"):
        message, fix = f"数值 {given} 超出合理范围", "请核对"
    elif kind in _TYPE_MESSAGES:
        message = f"{_TYPE_MESSAGES[kind]}，实际填写 {_show(given)}"
        fix = _type_fix(kind)
    else:
        message, fix = f"填写有误（{err['msg']}）", "请按模板填写"
    issue = Issue("H5" if _is_cell(loc) else "shape", "error", official.cell_label(path), path, message, fix)
    return _locate(issue, positions)


def _is_cell(loc: tuple[str, ...]) -> bool:
    return bool(loc) and loc[0] in ("table2", "table3", "table4", "fees")


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, dict):
        return "一组“键: 值”"
    if isinstance(value, list):
        return "一个列表"
    return str(value)


def _type_fix(kind: str) -> str:
    if kind.startswith("int"):
        return "填写不带引号、不带小数的阿拉伯数字，如 0、12；没有就填 0"
    if kind.startswith("decimal"):
        return "填写阿拉伯数字，可带小数，如 0 或 12.5；不要带单位"
    if kind.startswith("date"):
        return "按 2025-01-20 的格式填写"
    if kind == "list_type":
        return "每条内容单独一行，以“- ”开头"
    return "请按 drafting init 生成的模板填写"


def _missing_fix(loc: tuple[str, ...]) -> str:
    if _is_cell(loc):
        return f"补上“{loc[-1]}: 0”（没有此类情况也要填 0，不能留空）"
    return f"补上“{loc[-1]}”这一项；可参照 drafting init 生成的模板"


def _unknown_fix(loc: tuple[str, ...]) -> str:
    allowed = _allowed_keys(loc[:-1])
    typed = loc[-1]
    if typed in official.LABEL_TO_KEY and official.LABEL_TO_KEY[typed] in allowed:
        return (
            f"请把“{typed}”改为“{official.LABEL_TO_KEY[typed]}”（数据文件的项目名用英文键，中文写在注释里）"
        )
    close = difflib.get_close_matches(typed, allowed, n=1, cutoff=0.6)
    if close:
        return f"是不是“{close[0]}”？请改正拼写"
    if allowed:
        return "此处可用的项目有：" + "、".join(allowed)
    return "请删除这一项"


def _allowed_keys(loc: tuple[str, ...]) -> list[str]:
    """The keys the model accepts at ``loc`` (for did-you-mean)."""
    model: Any = ReportData
    for part in loc:
        if not _is_model(model) or part not in model.model_fields:
            return []
        model = _model_type(model.model_fields[part].annotation)
    return list(model.model_fields) if _is_model(model) else []


def _is_model(obj: Any) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)


def _model_type(annotation: Any) -> Any:
    """The pydantic model inside ``X``, ``X | None`` or ``Annotated[X, …]``, if any."""
    for candidate in _walk_annotation(annotation):
        if _is_model(candidate):
            return candidate
    return None


def _walk_annotation(annotation: Any) -> Iterator[Any]:
    yield annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) in (
        typing.Union,
        typing.Annotated,
    ):
        for arg in typing.get_args(annotation):
            yield from _walk_annotation(arg)
