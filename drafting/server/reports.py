"""A report's data, as the data-entry page reads and changes it, and new reports: each a library call.

Reading gives the values the file holds (as typed, valid or not) and the issues ``drafting validate``
reports on it, each with the same Chinese text. A change is written into the file's text at once
(``data.edit.set_values``: only the value changes, comments stay), atomically, under the file's lock
and only if the file is still the one the page last saw (its ETag); then the file is validated again.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import DataError, DraftingError, InputError, Issue
from .grids import layout
from .workspace import Workspace, etag_of

MAX_FACT_CHARS = 2000
MAX_FACTS = 99  # a topic's facts are numbered 一是 … 九十九是


class Stale(DraftingError):
    """The file changed since the page read it (the CLI, an editor, another tab)."""

    def __init__(self, etag: str) -> None:
        super().__init__(
            "数据文件已在别处改动（可能是命令行、编辑器或另一个浏览器标签页），本次修改没有保存。",
            hint="请重新载入页面，看到最新内容后再修改。",
        )
        self.etag = etag


@dataclass
class DataState:
    name: str
    etag: str
    raw: dict[str, Any]  # the values as the file holds them
    issues: list[Issue] = field(default_factory=list)
    problem: str = ""  # the file cannot be read at all (syntax), in Chinese
    title: str = ""


def issue_json(issue: Issue) -> dict[str, Any]:
    return {
        "rule": issue.rule,
        "severity": issue.severity,
        "path": issue.path,
        "cell": issue.cell,
        "where": issue.where(),
        "text": issue.render(),
        "message": issue.message,
        "fix": issue.fix,
    }


def read_state(ws: Workspace, name: str) -> DataState:
    from ..files import decode
    from ..yamlfile import compose_fast, parse_document, plain_fast

    path = ws.data_path(name)
    content = path.read_bytes()
    suffix = path.suffix.lower()
    try:
        text = decode(content, str(path))
        tree = compose_fast(text) if suffix != ".json" else None
        fast = plain_fast(tree) if tree is not None else None
        parsed = fast if fast is not None else parse_document(text, str(path), suffix)
    except InputError as exc:
        return DataState(name, etag_of(content), {}, problem=ws.plain(str(exc)))
    return _validated(name, path, etag_of(content), parsed, tree if fast is not None else None)


def _validated(
    name: str, path: Path, etag: str, parsed: tuple[Any, Mapping[tuple[str, ...], Any]], tree: Any = None
) -> DataState:
    """What ``load_data`` (and so ``drafting validate``) reports on these values: the same
    ``validate_raw`` on the same values and positions."""
    from ..data.load import validate_raw

    raw, positions = parsed
    with _LOCK:
        _READ[path] = (etag, raw, tree)  # the next save starts from these instead of parsing again
    if not isinstance(raw, dict):
        return DataState(
            name, etag, {}, problem=f"{name}：文件内容不是数据表（应以 agency:、year: 等项目开头）。"
        )
    try:
        loaded = validate_raw(raw, str(path), positions)  # reads raw, never changes it
    except DataError as exc:
        return DataState(name, etag, raw, list(exc.issues), title=_title(raw, path))
    return DataState(name, etag, raw, list(loaded.warnings), title=loaded.data.title)


def _title(raw: dict[str, Any], path: Path) -> str:
    """The report's title from the values as they stand, even when they break a rule."""
    from .. import official

    agency, year = raw.get("agency"), raw.get("year")
    name = agency.get("name") if isinstance(agency, dict) else None
    if isinstance(name, str) and name.strip() and isinstance(year, int):
        return official.report_title(name.strip(), year)
    return path.stem


def save_changes(ws: Workspace, name: str, if_match: str | None, changes: Mapping[str, Any]) -> DataState:
    """Write ``changes`` (path → value as the page sends it) into the data file, then validate it."""
    from ..data.edit import apply_changes
    from ..files import atomic_write, decode

    path = ws.data_path(name)
    values = {p: _value(p, v) for p, v in changes.items()}
    with ws.save_lock(path):
        raw = path.read_bytes()
        current = etag_of(raw)
        if if_match is None or if_match != current:
            raise Stale(current)
        with _LOCK:
            known = _READ.get(path)
        old, tree = (known[1], known[2]) if known is not None and known[0] == current else (None, None)
        applied = apply_changes(decode(raw, str(path)), values, path.suffix.lower(), values=old, tree=tree)
        content = applied.text.encode("utf-8")
        atomic_write(path, content)
    return _validated(name, path, etag_of(content), (applied.values, applied.positions), applied.tree)


# Each data file as last read or written, by its ETag (the hash of its bytes): its values, and its
# node tree when the fast parser read it. A save whose ETag matches starts from them, so the file's
# text is parsed once per save (the read-back of what it wrote), not again before it.
_READ: dict[Path, tuple[str, Any, Any]] = {}
_LOCK = threading.Lock()

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _value(path: str, value: Any) -> Any:
    """A value from the page as the data file should hold it. What the author typed is kept even
    when it is wrong (``12a``, ``-3``): the file then fails ``validate`` with the usual message."""
    lay = layout()
    if path not in lay.paths:
        raise InputError(f"“{path}”不是本页可以修改的项目。")
    if path.startswith("facts."):
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError("正文素材应为若干条文字。")
        facts = [v.strip() for v in value if v.strip()]
        if len(facts) > MAX_FACTS or any(len(v) > MAX_FACT_CHARS for v in facts):
            raise InputError(f"每个主题最多 {MAX_FACTS} 条，每条最多 {MAX_FACT_CHARS} 字。")
        return facts
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if not isinstance(value, str):
        raise InputError(f"“{path}”的值无法识别。")
    text = value.strip()
    if len(text) > MAX_FACT_CHARS:
        raise InputError(f"填写的内容超过 {MAX_FACT_CHARS} 字。")
    if not text:
        return None
    kind = lay.kinds.get(path, "")
    if kind in ("count", "money", "year") and _NUMBER.fullmatch(text):
        return int(text) if "." not in text else _decimal(text)
    if kind == "date" and _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _decimal(text: str) -> Decimal | str:
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


# --- new reports -----------------------------------------------------------------------------


def create_blank(ws: Workspace, file_name: str, agency: str, year: int) -> Path:
    from ..data.template import template_yaml
    from ..files import atomic_write

    agency = agency.strip()
    if not agency:
        raise InputError("请填写机关全称。", hint="例如：XX市XX局。")
    _check_year(year)
    path = ws.new_data_path(file_name or f"report-{year}.yaml")
    atomic_write(path, template_yaml(agency, year))
    return path


def create_from_last(ws: Workspace, file_name: str, last_name: str) -> Path:
    """``drafting init --from``: last year's data file → this year's, agency copied, 结转 carried."""
    from ..data import load_data
    from ..data.template import template_yaml
    from ..files import atomic_write

    last = load_data(ws.data_path(last_name)).data
    year = last.year + 1
    path = ws.new_data_path(file_name or f"report-{year}.yaml")
    atomic_write(path, template_yaml(last.agency.name, year, last))
    return path


@dataclass
class Created:
    path: Path | None
    notes: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # with their workbook cells (表三!D12)


def create_from_workbook(ws: Workspace, file_name: str, upload: Path) -> Created:
    """An Excel template filled in (``drafting init --xlsx``): its values, as a YAML data file.
    Cells that are not numbers where numbers belong are named by sheet and cell, and nothing is
    written; a cross-sum that does not hold is written anyway and shown at its cell on the page."""
    from pydantic import ValidationError

    from ..data.excel import read_workbook
    from ..data.load import validate_raw
    from ..data.model import ReportData
    from ..data.template import data_yaml
    from ..files import atomic_write

    raw, positions = read_workbook(upload)
    try:
        loaded = validate_raw(raw, upload.name, positions)
        data, issues = loaded.data, list(loaded.warnings)
    except DataError as exc:
        try:
            data = ReportData.model_validate(raw)  # only cross-sums are wrong: shown at their cells
        except ValidationError:
            return Created(None, issues=list(exc.issues))
        issues = list(exc.issues)
    path = ws.new_data_path(file_name or f"report-{data.year}.yaml")
    atomic_write(path, data_yaml(data, header="由 Excel 数据表导入（drafting serve）。"))
    return Created(path, issues=issues)


def create_from_report(ws: Workspace, file_name: str, upload: Path) -> Created:
    """Last year's published report (``drafting import``): its tables become ``previous``, so the
    new file for the year after starts with 上年结转 and 现行有效件数 carried over."""
    from ..data.template import template_yaml
    from ..files import atomic_write
    from ..reading import read_report
    from ..reading.to_data import imported

    result = imported(read_report(upload))
    last = result.data
    notes = list(result.notes)
    if result.blanks:
        notes.append(
            f"原报告有 {len(result.blanks)} 个空白或未读到的单元格，已按 0 计："
            + "；".join(result.blanks[:8])
        )
    year = last.year + 1
    path = ws.new_data_path(file_name or f"report-{year}.yaml")
    atomic_write(path, template_yaml(last.agency.name, year, last))
    return Created(path, notes, [i for i in result.issues if i.is_error])


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise InputError(f"报告年度 {year} 无效。", hint="请填写四位年份，如 2025。")


def spooled(source: BinaryIO, suffix: str) -> tempfile._TemporaryFileWrapper[bytes]:
    """An upload (already spooled to disk by the multipart parser) as a named temporary file with
    its suffix, since the readers take a path; removed when closed."""
    handle = tempfile.NamedTemporaryFile(prefix="drafting-upload-", suffix=suffix)
    shutil.copyfileobj(source, handle)
    handle.flush()
    return handle
