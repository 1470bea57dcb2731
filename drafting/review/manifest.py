"""The reviewer's list of reports (``--manifest FILE.csv``): what each file is, when its title alone
does not say — or says it wrong.

Columns, every one optional, in any order, named in English or Chinese: ``file`` (文件: the path under
the folder, or the file name), ``agency`` (机关), ``region`` (地区), ``level`` (层级: 市, 县, 部门, 乡镇),
``year`` (年度), ``url`` (网址: where it was published). UTF-8 (with or without BOM, as Excel writes
"CSV UTF-8") or GBK/GB18030 (Excel's plain "CSV" on a Chinese Windows). A row without ``file`` names
an agency: its region and level apply to that agency's reports, whatever their files.

A manifest that cannot be used stops the run (exit 2) with the line and what to change: an unknown
column, a year that is not a year, a level not in the list, a file named twice.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import InputError
from ..files import decode, read_bytes
from .agencies import LEVELS, agency_key

COLUMNS = {
    "file": "file",
    "文件": "file",
    "文件名": "file",
    "agency": "agency",
    "机关": "agency",
    "单位": "agency",
    "region": "region",
    "地区": "region",
    "level": "level",
    "层级": "level",
    "year": "year",
    "年度": "year",
    "url": "url",
    "网址": "url",
    "链接": "url",
}
_HINT = "清单的列（均可省略）：file（文件）、agency（机关）、region（地区）、level（层级：市、县、部门、乡镇）、year（年度）、url（网址）。"


@dataclass(frozen=True)
class Entry:
    """One row: what the reviewer says of a file (or of an agency, when ``file`` is empty)."""

    line: int
    file: str = ""
    agency: str = ""
    region: str = ""
    level: str = ""
    year: int | None = None
    url: str = ""


@dataclass
class Manifest:
    source: str = ""
    by_file: dict[str, Entry] = field(default_factory=dict)  # posix path under the folder → row
    by_name: dict[str, list[Entry]] = field(default_factory=dict)  # file name → rows
    by_agency: dict[str, Entry] = field(default_factory=dict)  # agency key → a row without a file

    def for_file(self, relative: str) -> Entry | None:
        """The row naming this file, by its path under the folder or, when unambiguous, its name."""
        found = self.by_file.get(relative)
        if found is not None:
            return found
        same_name = self.by_name.get(PurePosixPath(relative).name, [])
        return same_name[0] if len(same_name) == 1 else None

    def for_agency(self, agency: str) -> Entry | None:
        return self.by_agency.get(agency_key(agency)) if agency else None

    @property
    def files(self) -> list[Entry]:
        return list(self.by_file.values())


def read_manifest(path: Path) -> Manifest:
    """The manifest at ``path``, or an ``InputError`` (exit 2) naming the line and the fix."""
    source = str(path)
    raw = read_bytes(path, "清单文件", hint="请用 --manifest 指定一个 .csv 文件。")
    text = decode(raw, source)
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(cell.strip() for cell in rows[0]):
        rows.pop(0)
    if not rows:
        raise InputError(f"清单文件 {source} 是空的。", hint=_HINT)
    header = [_column(cell, source) for cell in rows[0]]
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise InputError(f"清单文件 {source} 第1行：列“{name}”出现了两次。", hint=_HINT)
        seen.add(name)
    manifest = Manifest(source)
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise InputError(
                f"清单文件 {source} 第{number}行：有 {len(cells)} 个值，但表头只有 {len(header)} 列。",
                hint="请检查该行是否多了逗号（含逗号的值要用英文双引号括起来）。",
            )
        values = {name: cells[k].strip() for k, name in enumerate(header) if name and k < len(cells)}
        entry = _entry(values, number, source)
        _add(manifest, entry, source)
    return manifest


def _column(cell: str, source: str) -> str:
    name = cell.strip().lstrip("\ufeff").strip().lower()
    if not name:
        return ""
    known = COLUMNS.get(name)
    if known is None:
        raise InputError(f"清单文件 {source} 第1行：不认识列名“{cell.strip()}”。", hint=_HINT)
    return known


def _entry(values: dict[str, str], line: int, source: str) -> Entry:
    year: int | None = None
    text = values.get("year", "")
    if text:
        m = re.fullmatch(r"((?:19|20)\d{2})\s*年?度?", text)
        if m is None:
            raise InputError(
                f"清单文件 {source} 第{line}行：年度“{text}”不是年份。", hint="年度请写四位数字，如 2024。"
            )
        year = int(m.group(1))
    level = values.get("level", "")
    if level and level not in LEVELS:
        raise InputError(
            f"清单文件 {source} 第{line}行：层级“{level}”不在可选范围内。",
            hint="层级请填写：" + "、".join(LEVELS) + "（或留空，由机关名称判断）。",
        )
    file = values.get("file", "").replace("\\", "/").strip("/")
    if file.startswith("./"):
        file = file[2:]
    return Entry(
        line,
        file,
        values.get("agency", ""),
        values.get("region", ""),
        level,
        year,
        values.get("url", ""),
    )


def _add(manifest: Manifest, entry: Entry, source: str) -> None:
    if entry.file:
        before = manifest.by_file.get(entry.file)
        if before is not None:
            raise InputError(
                f"清单文件 {source} 第{entry.line}行：文件“{entry.file}”在第{before.line}行已经列过。",
                hint="每个文件只列一行。",
            )
        manifest.by_file[entry.file] = entry
        manifest.by_name.setdefault(PurePosixPath(entry.file).name, []).append(entry)
        return
    if not entry.agency:
        raise InputError(
            f"清单文件 {source} 第{entry.line}行：既没有文件，也没有机关名称。",
            hint="每行至少填写 file（文件）或 agency（机关）之一。",
        )
    manifest.by_agency[agency_key(entry.agency)] = entry
