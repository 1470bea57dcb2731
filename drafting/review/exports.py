"""The findings as lists a reviewer files and sorts: ``问题清单.csv`` (UTF-8 with a BOM, so that Excel
opens it in Chinese) and ``问题清单.xlsx`` — one row per finding, dismissed ones included with their
decision, so the list is the full record of the review.

Both are written as the reports stream past (openpyxl's write-only mode), so a province's list
takes no more memory than a county's.
"""

from __future__ import annotations

import csv
import io
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from ..files import atomic_file
from .judged import SEVERITY_LABELS, Reviewed

CSV_NAME = "问题清单.csv"
XLSX_NAME = "问题清单.xlsx"
COLUMNS = (
    ("机关", 28),
    ("地区", 14),
    ("层级", 6),
    ("年度", 6),
    ("文件", 30),
    ("规则", 6),
    ("严重程度", 8),
    ("位置", 30),
    ("问题", 60),
    ("依据", 50),
    ("审核决定", 8),
    ("审核意见", 30),
    ("指纹", 18),
)


def rows(r: Reviewed) -> list[list[Any]]:
    item = r.item
    out = []
    for j in r.findings:
        f = j.finding
        out.append(
            [
                item.agency,
                item.region,
                item.level,
                item.year if item.year is not None else "",
                item.source.relative,
                f.get("rule", ""),
                SEVERITY_LABELS.get(str(f.get("severity")), ""),
                f.get("location", ""),
                f.get("message", ""),
                f.get("evidence", ""),
                j.decision_label,
                j.comment,
                f.get("fingerprint", ""),
            ]
        )
    return out


class FindingLists:
    """Both lists, open while the reports stream past; they appear in ``out_dir`` on ``close``."""

    def __init__(self, out_dir: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self._stack = ExitStack()
        raw = self._stack.enter_context(atomic_file(out_dir / CSV_NAME))
        self._csv_file = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._csv_file)
        self._csv.writerow([name for name, _ in COLUMNS])
        self._xlsx_path = out_dir / XLSX_NAME
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("问题清单")
        self._sheet.freeze_panes = "A2"
        for n, (_, width) in enumerate(COLUMNS):
            self._sheet.column_dimensions[_letter(n)].width = width
        self._bold = Font(bold=True)
        self._sheet.append([self._header(name) for name, _ in COLUMNS])
        self.count = 0

    def _header(self, name: str) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(self._sheet, value=name)
        cell.font = self._bold
        return cell

    def add(self, r: Reviewed) -> None:
        for row in rows(r):
            self._csv.writerow(row)
            self._sheet.append([self._cell(v) for v in row])
            self.count += 1

    def _cell(self, value: Any) -> Any:
        """Text stays text: a finding that quotes ``=…`` must not become a formula."""
        if isinstance(value, str) and value.startswith("="):
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(self._sheet, value=value)
            cell.data_type = "s"
            return cell
        return value

    def __enter__(self) -> FindingLists:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        try:
            self._csv_file.flush()
            self._csv_file.detach()  # the file itself is atomic_file's to finish or remove
            if kind is None:
                self._sheet.auto_filter.ref = f"A1:{_letter(len(COLUMNS) - 1)}{self.count + 1}"
                with atomic_file(self._xlsx_path) as f:
                    self._book.save(f)
        finally:
            self._stack.__exit__(kind, exc, tb)


def _letter(n: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(n + 1)
