"""Our exception types. Library code raises these; only the CLI turns them into exit codes and text.

Every message is Chinese, says where the problem is and what to do about it, and never carries a
secret (keys are redacted before a message is built).
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

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


def validation_problem(exc: ValidationError, whole: str = "") -> tuple[str, str]:
    """Where the first thing pydantic found wrong is, and what it is, for a Chinese message: the
    dotted path of the field (``whole`` when the value is wrong as a whole) and pydantic's text."""
    first = exc.errors()[0]
    return ".".join(str(p) for p in first["loc"]) or whole, first["msg"]
