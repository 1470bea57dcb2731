"""Reading a data file (YAML 1.2 or JSON, UTF-8 or GBK/GB18030) into a validated ``ReportData``.

ruamel.yaml's round-trip loader gives a line and column for every key, so each problem can be
reported as "this cell, this line". Validation runs in two steps: pydantic for shape and types, then
the cross-sum rules. Every problem found is collected, so the user fixes them all in one pass.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .. import official
from ..errors import DataError, InputError, Issue, os_reason
from .fastyaml import parse_fast
from .model import ReportData
from .rules import check_rules

Position = tuple[int, int]  # 1-based line and column
Location = Position | str  # a Position in a text file, or "表三!D12" in a workbook


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
        raise InputError(f"无法读取文件 {path}：{os_reason(exc)}") from None
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
                f"{source} 第{exc.lineno}行第{exc.colno}列：JSON 格式错误（{_json_problem(exc.msg)}）。",
                hint="请检查该处附近的引号、逗号和括号是否成对。",
            ) from None
    fast = parse_fast(text)  # the same result from the C parser, when installed (see fastyaml.py)
    if fast is not None:
        return fast
    # JSON is YAML 1.2, so one loader serves both and gives positions for both.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.Constructor = _constructor()
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" 第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        problem, hint = _yaml_problem(str(exc.problem or exc.context or ""))
        raise InputError(f"{source}{where}：YAML 格式错误（{problem}）。", hint=hint) from None
    except YAMLError as exc:
        raise InputError(f"{source}：YAML 格式错误（{exc}）。", hint=_YAML_HINT) from None
    positions: dict[tuple[str, ...], Position] = {}
    return _plain(node, (), positions), positions


def _constructor() -> type:
    """ruamel's round-trip constructor, except that an impossible date (2024-13-40) stays text:
    ruamel fails on it with a bare ValueError and no line to report. As text it reaches pydantic,
    which names the field and its line like any other bad value."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
            try:
                return super().construct_yaml_timestamp(node, values)
            except ValueError:
                return str(node.value)

    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_yaml_timestamp)
    return Constructor


_YAML_HINT = "请检查该行的缩进（只能用空格，不能用 Tab）、冒号后是否有空格、引号是否成对。"

# ruamel's problem texts → what they mean for someone editing the file, and what to do.
_YAML_PROBLEMS = (
    ("'\\t'", "该处有 Tab 字符", "YAML 文件只能用空格缩进：请把该处的 Tab 换成空格。"),
    ("expected <block end>", "缩进与上下文不一致", "同一层的项目要左对齐，下一层比上一层多缩进两个空格。"),
    (
        "mapping values are not allowed",
        "此处不能出现冒号",
        "请检查该行的缩进；文字中含有冒号时，请给整段文字加上引号。",
    ),
    ("could not find expected ':'", "缺少冒号", "每一项都写成“项目名: 值”，冒号后留一个空格。"),
    ("expected ',' or '}'", "花括号内缺少逗号或右花括号", "一行内的各项用逗号分隔，并以 } 结尾。"),
    ("expected ',' or ']'", "方括号内缺少逗号或右方括号", "列表各项用逗号分隔，并以 ] 结尾。"),
    ("end of stream", "文件在引号或括号闭合之前结束", "请检查引号、括号是否成对。"),
    ("found unknown escape character", "双引号内有无法识别的反斜杠", "请去掉反斜杠，或改用单引号。"),
)


def _yaml_problem(problem: str) -> tuple[str, str]:
    duplicate = re.search(r'duplicate key "([^"]*)"', problem)
    if duplicate:
        return f"项目“{duplicate.group(1)}”写了两次", "每个项目只能出现一次：请删除或合并重复的那一行。"
    for needle, meaning, hint in _YAML_PROBLEMS:
        if needle in problem:
            return meaning, hint
    return (f"无法解析：{problem}" if problem else "无法解析"), _YAML_HINT


_JSON_PROBLEMS = (
    ("Expecting ',' delimiter", "缺少逗号"),
    ("Expecting ':' delimiter", "缺少冒号"),
    ("Expecting property name", "项目名须用双引号括起，或最后一项后多了逗号"),
    ("Expecting value", "缺少数值，或多了逗号"),
    ("Unterminated string", "引号没有成对"),
    ("Invalid control character", "引号内有换行或 Tab"),
    ("Extra data", "数据结束后还有多余内容"),
)


def _json_problem(msg: str) -> str:
    return next((meaning for needle, meaning in _JSON_PROBLEMS if msg.startswith(needle)), msg)


def _plain(node: Any, path: tuple[str, ...], positions: dict[tuple[str, ...], Position]) -> Any:
    """ruamel's round-trip types → plain Python, recording where each key stands."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out = {}
        for key in node:
            key_path = (*path, str(key))
            # Keys brought in by a merge (<<: *anchor) have no position of their own.
            mark = node.lc.data.get(key)
            if mark is not None:
                positions[key_path] = (mark[0] + 1, mark[1] + 1)
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
    if path.is_dir():  # before the suffix test: a folder is not "a file of the wrong type"
        raise InputError(
            f"{source} 是一个文件夹，不是数据文件。", hint="请给出文件夹中的 .yaml 或 .json 数据文件。"
        )
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
        raise InputError(
            f"{source}：不支持的文件类型“{path.suffix or '无扩展名'}”。",
            hint="数据文件应为 .yaml、.yml、.json 或 .xlsx；可用 drafting init（或 drafting init --xlsx）生成一份模板。",
        )
    positions: Mapping[tuple[str, ...], Location]
    if suffix == ".xlsx":
        from .excel import read_workbook

        raw, positions = read_workbook(path)
    else:
        raw, positions = parse_document(read_text(path), source, suffix)
    if raw is None:  # an empty file, or one holding only comments
        raise InputError(
            f"{source}：文件是空的，没有任何数据。",
            hint="可用 drafting init 生成一份完整模板，再填入数字。",
        )
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
    raw: dict[str, Any], source: str, positions: Mapping[tuple[str, ...], Location] | None = None
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


def _locate(issue: Issue, positions: Mapping[tuple[str, ...], Location]) -> Issue:
    parts = tuple(issue.path.split("."))
    # A derived cell (e.g. a 总计 the file left out) has no position: point at its nearest parent.
    while parts and parts not in positions:
        parts = parts[:-1]
    if not parts:
        return issue
    where = positions[parts]
    if isinstance(where, str):
        return replace(issue, ref=where)
    line, column = where
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
    "finite_number": "应为有限的数字",
}


def _shape_issue(err: Any, positions: Mapping[tuple[str, ...], Location]) -> Issue:
    loc = tuple(str(p) for p in err["loc"])
    path = ".".join(loc)
    kind = err["type"]
    given = err.get("input")
    limit = err.get("ctx", {})
    # A missing cell breaks H5 (fill 0, never leave blank); other shape problems get their own ids.
    rule = "H5" if _is_cell(loc) else "shape"
    if kind == "missing":
        message, fix = "缺少这一项", _missing_fix(loc)
        rule = "H5" if _is_value_cell(loc) else "missing_key"
    elif kind == "extra_forbidden":
        message, fix, rule = "不认识这一项", _unknown_fix(loc), "unknown_key"
    elif given is None and kind in _TYPE_MESSAGES:
        # `key:` with nothing after it reads as null: say "blank", not Python's None.
        message = "不能留空"
        fix = "没有就填 0" if _is_cell(loc) else "请填写这一项；不需要的可选项请整行删除"
    elif kind in ("greater_than_equal", "greater_than") and limit.get("ge", limit.get("gt")) == 0:
        message = f"不能为负数，实际填写 {given}"
        fix = "改为 0 或实际数量"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next((f"{word} {limit[k]}" for k, word in _BOUNDS.items() if k in limit), "")
        message, fix = f"数值 {given} 超出合理范围", f"请核对（应{bound}）" if bound else "请核对"
    elif kind in _TYPE_MESSAGES:
        message = f"{_TYPE_MESSAGES[kind]}，实际填写 {_show(given)}"
        fix = _type_fix(kind)
    else:
        message, fix = "填写有误", "请按 drafting init 生成的模板填写"
    issue = Issue(rule, "error", official.cell_label(path), path, message, fix)
    return _locate(issue, positions)


_BOUNDS = {"ge": "不小于", "gt": "大于", "le": "不大于", "lt": "小于"}


def _is_cell(loc: tuple[str, ...]) -> bool:
    return bool(loc) and loc[0] in ("table2", "table3", "table4", "fees")


def _show(value: Any) -> str:
    if value is None:
        return "空白"
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
    if kind.startswith("decimal") or kind == "finite_number":
        return "填写阿拉伯数字，可带小数，如 0 或 12.5；不要带单位"
    if kind.startswith("date"):
        return "按 2025-01-20 的格式填写"
    if kind == "string_type":
        return '请给这段文字加上英文双引号，如 "165000"（否则数字会被当作数值读取）'
    if kind == "list_type":
        return "每条内容单独一行，以“- ”开头"
    return "请按 drafting init 生成的模板填写"


def _is_value_cell(loc: tuple[str, ...]) -> bool:
    """A single number of a table (not a whole table or row, which hold keys of their own)."""
    return _is_cell(loc) and not _allowed_keys(loc)


def _missing_fix(loc: tuple[str, ...]) -> str:
    if _is_value_cell(loc):
        return f"补上“{loc[-1]}: 0”（没有此类情况也要填 0，不能留空）"
    if _allowed_keys(loc):
        return f"补上“{loc[-1]}:”这一部分及其各项；可参照 drafting init 生成的模板"
    return f"补上“{loc[-1]}”这一项；可参照 drafting init 生成的模板"


def _unknown_fix(loc: tuple[str, ...]) -> str:
    allowed = _allowed_keys(loc[:-1])
    typed = loc[-1]
    if typed in official.LABEL_TO_KEY and official.LABEL_TO_KEY[typed] in allowed:
        return (
            f"请把“{typed}”改为“{official.LABEL_TO_KEY[typed]}”（数据文件的项目名用英文键，中文写在注释里）"
        )
    import difflib  # only for a key to correct, not for every load

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
