"""Our exception types. Library code raises these; only the CLI turns them into exit codes and text.

Every message is Chinese, says where the problem is and what to do about it, and never carries a
secret (keys are redacted before a message is built).
"""

from __future__ import annotations

import errno
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pydantic import ValidationError

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem found in a data file: which cell, where in the file, what is wrong, how to fix it.

    It shares the check library's conventions (the ``Severity`` below; ``message`` says what is
    wrong, ``fix`` what to do) and keeps what a finding has not: the file's line and column.
    ``checks.data.issue_findings`` makes findings of issues (D3-<rule>), cells from ``path``."""

    rule: str  # H1…H5, C1, F2, … or a shape rule such as "unknown_key"
    severity: Severity
    cell: str  # the cell or field in official terms, e.g. 表三 （一）予以公开 / 自然人
    path: str  # the data-file key, e.g. table3.disclosed.natural
    message: str  # what was found and what was expected
    fix: str  # what to do
    line: int | None = None  # 1-based position in the source file, when known
    column: int | None = None
    ref: str | None = None  # the cell in a workbook instead, e.g. 表三!D12

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def where(self) -> str:
        if self.ref is not None:
            return self.ref
        if self.line is None:
            return ""
        return f"第{self.line}行第{self.column}列" if self.column else f"第{self.line}行"

    def render(self) -> str:
        kind = "错误" if self.is_error else "提示"
        where = self.where()
        head = f"{kind}［{self.rule}］{self.cell}"
        if self.path:
            head += f"（{self.path}"
            head += f"，{where}）" if where else "）"
        elif where:
            head += f"（{where}）"
        return f"{head}：{self.message}。{self.fix}"


_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘为只读",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
}


def os_reason(exc: OSError | UnicodeDecodeError) -> str:
    """Why a file could not be read or written, in Chinese: users should not have to read
    ``[Errno 13] Permission denied`` or a codec's byte offsets."""
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 编码的文本"
    return _OS_REASONS.get(exc.errno or 0, exc.strerror or "未知原因")


class DraftingError(Exception):
    """Base of every error a user may see. ``exit_code`` is what the CLI exits with."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class InputError(DraftingError):
    """A file that cannot be used at all: missing, unreadable, not YAML/JSON, wrong encoding."""

    exit_code = 2


class DataError(DraftingError):
    """A data file that was read but breaks the format's rules. Carries every issue found."""

    exit_code = 1

    def __init__(self, source: str, issues: Sequence[Issue]) -> None:
        errors = [i for i in issues if i.is_error]
        super().__init__(f"{source}：数据有 {len(errors)} 处错误。")
        self.source = source
        self.issues = list(issues)


class OutputError(DraftingError):
    """A file we were asked to write could not be written."""

    exit_code = 2


# --- pydantic's errors in Chinese ---------------------------------------------------------------
# pydantic words its errors in English ("Input should be a valid integer"). Every file a person
# edits (data files, suites, replays, settings, prompts) and every file we wrote that comes back
# damaged (drafts, eval records) is validated by pydantic, so this one table and ``explain`` say
# each kind of error in Chinese; the text pydantic wrote never reaches a user.

_MESSAGES = {
    "missing": "缺少这一项",
    "extra_forbidden": "不认识这一项",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "string_pattern_mismatch": "写法不对",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "decimal_type": "应为数字",
    "decimal_parsing": "应为数字",
    "decimal_finite_number": "应为有限的数字",
    "decimal_max_digits": "位数太多",
    "decimal_max_places": "小数位数太多",
    "finite_number": "应为有限的数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（每条一行，以“- ”开头）",
    "tuple_type": "应为列表（每条一行，以“- ”开头）",
    "set_type": "应为列表（每条一行，以“- ”开头）",
    "model_type": "应为一组“键: 值”",
    "model_attributes_type": "应为一组“键: 值”",
    "dict_type": "应为一组“键: 值”",
    "date_type": "应为日期",
    "date_parsing": "应为日期",
    "date_from_datetime_parsing": "应为日期",
    "date_from_datetime_inexact": "应为日期（不含时间）",
    "datetime_type": "应为日期和时间",
    "datetime_parsing": "应为日期和时间",
    "datetime_from_date_parsing": "应为日期和时间",
    "literal_error": "取值不在允许的范围内",
    "enum": "取值不在允许的范围内",
    "union_tag_not_found": "应为检查项的名字，或“检查项: 参数”",
    "union_tag_invalid": "不认识的种类",
    "too_short": "至少要有一项",
    "too_long": "项数太多",
    "greater_than_equal": "数值太小",
    "greater_than": "数值太小",
    "less_than_equal": "数值太大",
    "less_than": "数值太大",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "url_parsing": "不是有效的网址",
    "url_scheme": "不是有效的网址",
}
_BOUNDS = {"ge": "不小于", "gt": "大于", "le": "不大于", "lt": "小于"}


def shown(value: object) -> str:
    """A value as the user typed it, for "实际填写 …"."""
    if value is None:
        return "空白"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        # A long value is named by its start and length: the message must stay a line, not a page.
        return f"“{value}”" if len(value) <= 40 else f"“{value[:20]}……”（共 {len(value)} 字）"
    if isinstance(value, int) and len(str(abs(value)) if abs(value) < 10**40 else "x" * 41) > 40:
        return "一个位数过多的数"
    if isinstance(value, dict):
        return "一组“键: 值”"
    if isinstance(value, list):
        return "一个列表"
    return str(value)


def explain(err: Mapping[str, Any], known: Sequence[str] = ()) -> tuple[str, str]:
    """What one pydantic error means and how to fix it, in Chinese: ``(message, fix)``. ``known``
    lists the keys the file may use there, for "did you mean"."""
    kind = str(err.get("type", ""))
    ctx: Mapping[str, Any] = err.get("ctx") or {}
    loc = err.get("loc") or ()
    key = str(loc[-1]) if loc else ""
    given = err.get("input")
    if kind == "missing":
        return f"缺少“{key}”这一项", f"请补上“{key}: …”"
    import difflib  # here, not at the top: every command imports this module at start-up

    if kind == "extra_forbidden":
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.7)
        return f"不认识的项目“{key}”", f"是不是“{close[0]}”？请改正拼写" if close else "请删除或改正这一项"
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag", ""))
        expected = [t.strip().strip("'") for t in str(ctx.get("expected_tags", "")).split(",")]
        close = difflib.get_close_matches(tag, expected, n=1, cutoff=0.5)
        fix = f"是不是“{close[0]}”？" if close else ""
        return f"不认识的检查项“{tag}”", fix + f"可用的检查项：{'、'.join(expected)}"
    if kind in ("value_error", "assertion_error"):
        # Our own validators raise ValueError with a Chinese sentence; pydantic prefixes English.
        error = ctx.get("error")
        return (str(error) if error is not None else "填写有误"), ""
    if kind in ("greater_than_equal", "greater_than") and ctx.get("ge", ctx.get("gt")) == 0:
        return f"不能为负数，实际填写 {shown(given)}", "改为 0 或实际数量"
    if kind in _BOUNDS_KINDS:
        bound = next((f"{word} {ctx[k]}" for k, word in _BOUNDS.items() if k in ctx), "")
        return f"数值 {shown(given)} 超出合理范围", f"请核对（应{bound}）" if bound else "请核对"
    message = _MESSAGES.get(kind, "填写有误")
    if kind in ("string_too_long", "too_long") and "max_length" in ctx:
        unit = "个字" if kind == "string_too_long" else "项"
        message += f"（最多 {ctx['max_length']} {unit}）"
    if kind == "union_tag_not_found" or (isinstance(given, dict | list) and kind not in _TYPE_KINDS):
        return message, ""
    if given is not None or kind in _TYPE_KINDS:
        message += f"，实际填写 {shown(given)}"
    if kind == "literal_error" and "expected" in ctx:
        return message, f"可用的值：{str(ctx['expected']).replace(' or ', '、')}"
    return message, ""


_BOUNDS_KINDS = frozenset(("greater_than_equal", "greater_than", "less_than_equal", "less_than"))
_TYPE_KINDS = frozenset(k for k in _MESSAGES if k.endswith(("_type", "_parsing", "_inexact", "_number")))


def is_type_error(err: Mapping[str, Any]) -> bool:
    """A value of the wrong kind (text for a number, a list for text, …), rather than a wrong value."""
    return str(err.get("type", "")) in _TYPE_KINDS


def invalid_file(exc: ValidationError, what_file: str, hint: str) -> InputError:
    """A file that parsed but does not have the shape it must: ``what_file`` says which and what it
    should be (``a.json 不是有效的草稿文件``); the first problem pydantic found follows in Chinese."""
    where, what = validation_problem(exc, "（整体）")
    return InputError(f"{what_file}（{where}：{what}）。", hint=hint)


def validation_problem(exc: ValidationError, whole: str = "") -> tuple[str, str]:
    """Where the first thing pydantic found wrong is, and what it is, in Chinese: the dotted path
    of the field (``whole`` when the value is wrong as a whole) and what is wrong with it."""
    first = exc.errors()[0]
    message, _ = explain(first)
    return ".".join(str(p) for p in first["loc"]) or whole, message
