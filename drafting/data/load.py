"""Reading a data file (YAML 1.2, JSON or the Excel template; UTF-8 or GBK/GB18030) into a
validated ``ReportData``.

``drafting.yamlfile`` gives a line and column for every key (the workbook reader a cell such as
``表三!D12``), so each problem can be reported as "this cell, this line". Validation runs in two
steps: pydantic for shape and types, then the cross-sum rules. Every problem found is collected, so the user fixes them all in one pass.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError

from .. import official
from ..errors import DataError, InputError, Issue, explain, is_type_error
from ..files import read_text
from ..yamlfile import Position, parse_document
from .model import ReportData
from .rules import check_rules

Location = Position | str  # a Position in a text file, or "表三!D12" in a workbook


@dataclass
class Loaded:
    """A data file read and validated: the data, and the warnings it still carries."""

    source: str
    data: ReportData
    warnings: list[Issue] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    # Where each key stands in the file, so that a later check can name the line (``locate``).
    positions: Mapping[tuple[str, ...], Location] = field(default_factory=dict)

    def locate(self, issue: Issue) -> Issue:
        """An issue found after loading (``facts.fact_issues``), placed at its line in the file."""
        return _locate(issue, self.positions)


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
    unread: list[Issue] = []
    if suffix == ".xlsx":
        from .excel import read_workbook_all

        raw, positions, unread = read_workbook_all(path)
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
        raw["previous"] = load_data(previous).data.as_previous()
    if not unread:
        return validate_raw(raw, source, positions)
    # Cells of the workbook that could not be read, with every other problem of the rest: a
    # problem already named at an unread cell (it is then missing) is not said twice.
    try:
        loaded = validate_raw(raw, source, positions)
    except DataError as exc:
        named = {i.path for i in unread}
        rest = [i for i in exc.issues if not any(i.path == p or i.path.startswith(p + ".") for p in named)]
        raise DataError(source, [*unread, *rest]) from None
    raise DataError(source, [*unread, *(i for i in loaded.warnings if i.is_error)])


def validate_raw(
    raw: dict[str, Any], source: str, positions: Mapping[tuple[str, ...], Location] | None = None
) -> Loaded:
    positions = positions or {}
    try:
        data = ReportData.model_validate(raw)
    except ValidationError as exc:
        workbook = any(isinstance(p, str) for p in positions.values())
        issues = [_shape_issue(err, positions, workbook=workbook) for err in exc.errors()]
        raise DataError(source, issues) from None
    issues = [_locate(i, positions) for i in check_rules(data)]
    if any(i.is_error for i in issues):
        raise DataError(source, issues)
    return Loaded(source, data, issues, raw, positions)


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


def _shape_issue(err: Any, positions: Mapping[tuple[str, ...], Location], *, workbook: bool = False) -> Issue:
    """One pydantic error as an issue at its place; in a workbook's terms (the cell, what to type
    into it) when the data came from the Excel template: quotes and keys mean nothing there."""
    loc = tuple(str(p) for p in err["loc"])
    path = ".".join(loc)
    kind = err["type"]
    given = err.get("input")
    # A missing cell breaks H5 (fill 0, never leave blank); other shape problems get their own ids.
    rule = "H5" if _is_cell(loc) else "shape"
    if kind == "missing":
        # The issue names the cell already: "缺少这一项" and how to add it, in this file's terms.
        message, fix = "缺少这一项", _missing_fix(loc)
        if workbook:
            fix = "在此格填写 0（没有此类情况也要填 0，不能留空）" if _is_value_cell(loc) else "请在此格填写"
        rule = "H5" if _is_value_cell(loc) else "missing_key"
    elif kind == "extra_forbidden":
        message, fix, rule = "不认识这一项", _unknown_fix(loc), "unknown_key"
    elif given is None and is_type_error(err):
        # `key:` with nothing after it reads as null: say "blank", not Python's None.
        message = "不能留空"
        fix = "没有就填 0" if _is_cell(loc) else "请填写这一项；不需要的可选项请整行删除"
        if workbook and not _is_cell(loc):
            fix = "请在此格填写"
    else:
        message, fix = explain(err)
        if is_type_error(err) or not fix:
            fix = _type_fix(kind, workbook)
    issue = Issue(rule, "error", official.cell_label(path), path, message, fix)
    return _locate(issue, positions)


def _is_cell(loc: tuple[str, ...]) -> bool:
    return bool(loc) and loc[0] in ("table2", "table3", "table4", "fees")


def _family(kind: str) -> str:
    """A pydantic error kind by what the author must write instead: ``int_parsing`` → ``int``,
    ``decimal_…`` and ``finite_number`` → ``decimal``, ``date_…`` → ``date``; others as they are."""
    if kind == "finite_number":
        return "decimal"
    return next((family for family in ("int", "decimal", "date") if kind.startswith(family)), kind)


_LIST_IN_WORKBOOK: Final = "每条素材单独占一行：A 列选主题，B 列写内容"
# What to write instead of a value of the wrong kind, by its family: (in a data file, in a
# workbook's cell: no quotes, no keys); a workbook's None: the data file's words serve.
_TYPE_FIXES: Final[dict[str, tuple[str, str | None]]] = {
    "value_error": ("", None),  # our own validators say the fix in their message
    "string_too_long": ("请删减到规定的字数以内", None),
    "too_long": ("请合并或删减", _LIST_IN_WORKBOOK),
    "int": (
        "填写不带引号、不带小数的阿拉伯数字，如 0、12；没有就填 0",
        "在此格填写整数（阿拉伯数字），如 0、12；没有就填 0",
    ),
    "decimal": (
        "填写阿拉伯数字，可带小数，如 0 或 12.5；不要带单位",
        "在此格填写数字，可带小数，如 0 或 12.5；不要带单位",
    ),
    "date": ("按 2025-01-20 的格式填写", "在此格填写日期，如 2025-01-20"),
    "string_type": ('请给这段文字加上英文双引号，如 "165000"（否则数字会被当作数值读取）', "在此格填写文字"),
    "list_type": ("每条内容单独一行，以“- ”开头", _LIST_IN_WORKBOOK),
}
_ANY_TYPE_FIX: Final = ("请按 drafting init 生成的模板填写", "请按 drafting init --xlsx 生成的模板填写")


def _type_fix(kind: str, workbook: bool) -> str:
    """What to write instead of a value of the wrong kind, in a data file's or a workbook's terms."""
    in_file, in_cell = _TYPE_FIXES.get(_family(kind), _ANY_TYPE_FIX)
    return in_cell if workbook and in_cell is not None else in_file


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
