"""The Excel data template (``drafting init --xlsx``) and its reader.

Most offices would rather fill a spreadsheet than a YAML file. The workbook is laid out like the
printed tables: 表二, 表三 and 表四 are drawn from the official layouts (``drafting.layout``) that
the Word and HTML writers render too (merged headers included), so a number is typed exactly where it stands in the report.
Labels are locked by sheet protection (no password: it guards against slips, not people), input
cells are unlocked, and Excel refuses negatives and fractions where counts belong.

Totals are formulas, for the author's convenience only: a workbook we wrote has never been
calculated, so openpyxl reads those cells as ``None``, and a user may overwrite them anyway. The
reader takes only the input cells and hands ``load.validate_raw`` the same plain dict a YAML file
gives, with each key's position as ``表三!D12`` so every message names the sheet and the cell.
"""

from __future__ import annotations

import datetime as dt
import io
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from .. import layout, official
from ..errors import DataError, InputError, Issue
from .model import AGENCY_KINDS, ReportData

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet


SHEET_INFO = "基本信息"
SHEET_TABLE2 = "表二"
SHEET_TABLE3 = "表三"
SHEET_TABLE4 = "表四"
SHEET_FEES = "收费"
SHEET_FACTS = "正文素材"
SHEET_PREVIOUS = "上年数据"
SHEETS = (SHEET_INFO, SHEET_TABLE2, SHEET_TABLE3, SHEET_TABLE4, SHEET_FEES, SHEET_FACTS)

NOTHING_TO_ADD = "无"  # a fact row saying the topic has nothing to report (YAML's [])
FACT_ROWS = 120  # blank rows offered on 正文素材 beyond one per topic
TABLE_TOP = 4  # the first row of a table on its sheet, under the title and the note

Role = Literal["title", "note", "label", "header", "input", "derived"]
Kind = Literal["count", "money", "text", "year", "date", "topic", "fact", "agency_kind", ""]


@dataclass(frozen=True)
class Placed:
    """One cell of the template: where it is, what it holds, and for inputs the data path."""

    ref: str  # A1-style, on its sheet
    role: Role
    text: str = ""  # label text, or a formula for derived cells
    path: str = ""  # the data path an input or derived cell stands for
    kind: Kind = ""
    rows: int = 1
    cols: int = 1
    value: Any = None  # the value an input starts with


@dataclass
class SheetSpec:
    name: str
    cells: list[Placed] = field(default_factory=list)
    widths: dict[str, float] = field(default_factory=dict)
    freeze: str | None = None
    landscape: bool = False

    def inputs(self) -> Iterator[Placed]:
        return (c for c in self.cells if c.role == "input")


# --- contact labels: form labels of this template, not labels of the official format ------------

_CONTACT = (
    ("address", "通讯地址"),
    ("postcode", "邮政编码"),
    ("phone", "联系电话"),
    ("email", "电子邮箱"),
)
_FACT_EXAMPLES = {
    "active": "如：通过门户网站主动公开政府信息120条",
    "on_request": "如：规范接收、登记、办理、答复、归档流程",
    "management": "如：落实“先审查、后公开”和三级审核",
    "platforms": "如：以政府网站为第一平台，更新政府信息公开专栏",
    "oversight": "如：将政务公开纳入年度绩效考核；组织培训2次",
    "problems": "如：政策解读形式较为单一",
    "improvements": "如：丰富图解、视频等解读形式（写下一年度的措施）",
    "other": f"确实没有其他需要报告的事项，请在内容栏写“{NOTHING_TO_ADD}”",
}


# =============================================================================================
# The layout, shared by the writer and the reader.


def workbook_layout(
    agency: str = "", year: int | None = None, last: ReportData | None = None
) -> list[SheetSpec]:
    """Every sheet of the template. Cell positions never depend on the arguments, which only fill
    in starting values, so the reader can call this with none."""
    return [
        _info_sheet(agency, year, last),
        _table_sheet(
            SHEET_TABLE2,
            official.PARTS[1].heading,
            layout.table2(),
            # 现行有效件数 starts from last year's (rule C2); the author adjusts it by this year's.
            start={f"table2.{k}.in_force": getattr(last.table2, k).in_force for k in ("rules", "normative")}
            if last
            else {},
        ),
        _table_sheet(
            SHEET_TABLE3,
            official.PARTS[2].heading,
            layout.table3(),
            start={
                f"table3.carried_over.{k}": getattr(last.table3.carry_forward, k)
                for k in official.TABLE3_COLUMN_KEYS
            }
            if last
            else {},
        ),
        _table_sheet(SHEET_TABLE4, official.PARTS[3].heading, layout.table4()),
        _fees_sheet(),
        _facts_sheet(),
    ]


def _info_sheet(agency: str, year: int | None, last: ReportData | None) -> SheetSpec:
    sheet = SheetSpec(SHEET_INFO, widths={"A": 26, "B": 48, "C": 44})
    title = official.report_title(agency, year) if agency and year else official.TITLE_SUFFIX
    sheet.cells += [
        Placed("A1", "title", f"{title} 数据表", cols=3),
        Placed(
            "A2",
            "note",
            "白色格子为填写处，灰色格子为标签、蓝色格子为自动合计，均不能修改。"
            "每个数字格都要填：没有就填 0。填好后运行 drafting validate 本文件 检查，drafting draft 本文件 生成草稿。",
            cols=3,
            rows=2,
        ),
    ]
    a = last.agency if last else None
    contact = a.contact if a else None
    rows: list[tuple[str, str, Kind, Any, str]] = [
        ("agency.name", official.cell_label("agency.name"), "text", agency or None, "用于报告标题"),
        (
            "agency.self_reference",
            official.cell_label("agency.self_reference"),
            "text",
            a.self_reference if a else "我局",
            "正文中的自称：我局、本机关、我镇……",
        ),
        (
            "agency.short_name",
            official.cell_label("agency.short_name"),
            "text",
            a.short_name if a else None,
            "可不填",
        ),
        ("agency.website", official.cell_label("agency.website"), "text", a.website if a else None, "可不填"),
        *(
            (f"agency.contact.{key}", label, "text", getattr(contact, key) if contact else None, "可不填")
            for key, label in _CONTACT
        ),
        ("year", official.cell_label("year"), "year", year, "统计期限为该年1月1日至12月31日"),
        (
            "published",
            official.cell_label("published"),
            "date",
            None,
            "可不填；格式如 2025-01-20；填写后写入文末落款",
        ),
        # Added after the first templates were given out: last, so that no earlier cell moves, and
        # a workbook made before it (blank there) still reads (``_LATER``).
        (
            "agency.kind",
            official.cell_label("agency.kind"),
            "agency_kind",
            a.kind if a else None,
            "可不填：部门 或 本级政府（核对发布期限用）",
        ),
        (
            "agency.leadership",
            official.cell_label("agency.leadership"),
            "text",
            a.leadership if a else None,
            "可不填；填写后作为总体情况的开头，如 在县委、县政府的正确领导下",
        ),
    ]
    for i, (path, label, kind, value, note) in enumerate(rows, start=TABLE_TOP):
        sheet.cells += [
            Placed(f"A{i}", "label", label),
            Placed(f"B{i}", "input", path=path, kind=kind, value=value),
            Placed(f"C{i}", "note", note),
        ]
    return sheet


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``X`` or ``X | None``, if any."""
    candidates = (
        typing.get_args(annotation)
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union
        else (annotation,)
    )
    for c in candidates:
        if isinstance(c, type) and issubclass(c, BaseModel):
            return c
    return None


def _is_derived(path: str) -> bool:
    return path.endswith(f".{official.TOTAL_KEY}") or ".results_total." in path


def _table_sheet(
    name: str, heading: str, table: layout.Layout, start: dict[str, Any] | None = None
) -> SheetSpec:
    from openpyxl.utils import get_column_letter

    start = start or {}
    sheet = SheetSpec(name, landscape=table.n_cols > 4)
    sheet.cells += [
        Placed("A1", "title", heading, cols=table.n_cols),
        Placed(
            "A2",
            "note",
            "白色格子填数字（没有就填 0）；灰色为标签，蓝色为自动合计，均不能修改。合计仅供核对，以本工具重新计算的为准。",
            cols=table.n_cols,
        ),
    ]
    number_refs: dict[str, str] = {}
    for r, line in enumerate(table.grid()):
        for c, cell in enumerate(line):
            if cell is None:
                continue
            ref = f"{get_column_letter(c + 1)}{TABLE_TOP + r}"
            rows, cols = cell.rowspan, cell.colspan
            if cell.kind != "number":
                role: Role = "header" if cell.kind == "header" else "label"
                sheet.cells.append(Placed(ref, role, cell.text, rows=rows, cols=cols))
                continue
            path = cell.path
            number_refs[path] = ref
            if _is_derived(path):
                sheet.cells.append(Placed(ref, "derived", path=path, rows=rows, cols=cols))
                continue
            kind: Kind = "money" if _is_money(path) else "count"
            value = start.get(path, 0)
            sheet.cells.append(Placed(ref, "input", path=path, kind=kind, rows=rows, cols=cols, value=value))
    sheet.cells = [_with_formula(c, number_refs) if c.role == "derived" else c for c in sheet.cells]
    label_cols = max(table.label_cols, 1)
    widths = {"table2": [22, 16, 16, 16], "table3": [8, 14, 44]}.get(table.id, [])
    for c in range(table.n_cols):
        letter = get_column_letter(c + 1)
        sheet.widths[letter] = widths[c] if c < len(widths) else (10 if table.n_cols > 10 else 12)
    if table.header:
        sheet.freeze = f"{get_column_letter(label_cols + 1)}{TABLE_TOP + len(table.header)}"
    return sheet


def _with_formula(cell: Placed, refs: dict[str, str]) -> Placed:
    """A total as an Excel formula over the input cells it sums (for display only)."""
    head, _, key = cell.path.rpartition(".")
    if ".results_total" in cell.path and key != official.TOTAL_KEY:
        summed = [refs[f"table3.{leaf.path}.{key}"] for leaf in official.TABLE3_RESULT_LEAVES]
    else:
        summed = [ref for path, ref in refs.items() if path.rpartition(".")[0] == head and path != cell.path]
    return Placed(cell.ref, "derived", f"=SUM({','.join(summed)})", cell.path, rows=cell.rows, cols=cell.cols)


def _field(path: str) -> Any:
    """The pydantic field a data path names, or None."""
    model: type[BaseModel] | None = ReportData
    *parents, leaf = path.split(".")
    for part in parents:
        model = (
            _model_in(model.model_fields[part].annotation) if model and part in model.model_fields else None
        )
    return model.model_fields.get(leaf) if model else None


def _is_money(path: str) -> bool:
    """Whether the model types this cell as money (decimals allowed) rather than a count."""
    info = _field(path)
    annotation = info.annotation if info else None
    return annotation is Decimal or Decimal in typing.get_args(annotation)


def _required(path: str) -> bool:
    info = _field(path)
    return bool(info and info.is_required())


def _fees_sheet() -> SheetSpec:
    sheet = SheetSpec(SHEET_FEES, widths={"A": 40, "B": 18})
    sheet.cells += [
        Placed("A1", "title", f"{official.PARTS[5].heading}：信息处理费（{official.FEE_NOTICE}）", cols=2),
        Placed("A2", "note", "件数填整数，金额（元）可带小数；没有就填 0。", cols=2),
    ]
    for i, (key, label) in enumerate(official.FEE_FIELDS, start=TABLE_TOP):
        path = f"fees.{key}"
        kind: Kind = "money" if _is_money(path) else "count"
        sheet.cells += [
            Placed(f"A{i}", "label", label),
            Placed(f"B{i}", "input", path=path, kind=kind, value=0),
        ]
    return sheet


def _facts_sheet() -> SheetSpec:
    sheet = SheetSpec(SHEET_FACTS, widths={"A": 16, "B": 80, "C": 50}, freeze=f"A{TABLE_TOP + 1}")
    sheet.cells += [
        Placed("A1", "title", "正文素材：每行一条具体做法或数字，草稿据此写成正文", cols=3),
        Placed(
            "A2",
            "note",
            "“主题”从下拉列表中选择；同一主题可写多行。某主题一行也没填，草稿中会留下【待补充：…】标记；"
            f"确实没有内容可写，在该主题的内容栏填“{NOTHING_TO_ADD}”。",
            cols=3,
        ),
        Placed(f"A{TABLE_TOP}", "header", "主题"),
        Placed(f"B{TABLE_TOP}", "header", "内容"),
        Placed(f"C{TABLE_TOP}", "header", "说明"),
    ]
    row = TABLE_TOP + 1
    for key, label in official.FACT_TOPICS:
        sheet.cells += [
            Placed(f"A{row}", "input", kind="topic", value=label),
            Placed(f"B{row}", "input", kind="fact"),
            Placed(f"C{row}", "note", _FACT_EXAMPLES[key]),
        ]
        row += 1
    for _ in range(FACT_ROWS):
        sheet.cells += [Placed(f"A{row}", "input", kind="topic"), Placed(f"B{row}", "input", kind="fact")]
        row += 1
    return sheet


# =============================================================================================
# Writing


def template_workbook(agency: str, year: int, last: ReportData | None = None) -> bytes:
    """The .xlsx template's bytes: every number 0 (上年结转 carried from ``last``), the agency's
    details filled in, labels locked."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for spec in workbook_layout(agency, year, last):
        _write_sheet(wb.create_sheet(spec.name), spec)
    if last is not None:
        _write_previous(wb.create_sheet(SHEET_PREVIOUS), last)
    wb.properties.creator = agency
    wb.properties.lastModifiedBy = agency
    wb.properties.title = f"{official.report_title(agency, year)} 数据表"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


_FILL = {"label": "F2F2F2", "header": "F2F2F2", "title": "FFFFFF", "note": "FFFFFF", "derived": "DDEBF7"}


def _write_sheet(ws: Worksheet, spec: SheetSpec) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.worksheet.properties import PageSetupProperties

    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    validations = _validations()
    for cell in spec.cells:
        target = ws[cell.ref]
        if cell.rows > 1 or cell.cols > 1:
            ws.merge_cells(
                start_row=target.row,
                start_column=target.column,
                end_row=target.row + cell.rows - 1,
                end_column=target.column + cell.cols - 1,
            )
        boxed = cell.role not in ("title", "note")
        if cell.role == "input":
            target.value = cell.value
            target.protection = Protection(locked=False)
            if cell.kind in validations:
                validations[cell.kind].add(cell.ref)
            if cell.kind == "date":
                target.number_format = "yyyy-mm-dd"
            elif cell.kind in ("text", "fact", "topic", "agency_kind"):
                target.number_format = "@"  # typed digits (a postcode) stay text
        else:
            target.value = cell.text
            target.fill = PatternFill("solid", fgColor=_FILL[cell.role])
        horizontal = (
            "center" if cell.role in ("header", "derived") or cell.kind in ("count", "money") else "left"
        )
        if cell.role == "label" and cell.rows > 1:
            horizontal = "center"
        target.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=True)
        if cell.role == "title":
            target.font = Font(bold=True, size=14)
        elif cell.role == "note":
            target.font = Font(color="595959", size=10)
        if boxed:  # a merged range shows the borders of each of its cells
            for row in ws.iter_rows(
                min_row=target.row,
                max_row=target.row + cell.rows - 1,
                min_col=target.column,
                max_col=target.column + cell.cols - 1,
            ):
                for c in row:
                    c.border = box
    for dv in validations.values():
        if dv.sqref:
            ws.add_data_validation(dv)
    for letter, width in spec.widths.items():
        ws.column_dimensions[letter].width = width
    _fit_rows(ws, spec)
    if spec.freeze:
        ws.freeze_panes = spec.freeze
    if spec.landscape:
        ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    _protect(ws, allow_rows=spec.name == SHEET_FACTS)


def _fit_rows(ws: Worksheet, spec: SheetSpec) -> None:
    """Row heights for wrapped labels. Neither Excel nor LibreOffice fits a row to wrapped text
    when opening a file, and merged cells are never fitted."""
    import math

    from openpyxl.utils import get_column_letter

    lines: dict[int, int] = {}
    for cell in spec.cells:
        if cell.role not in ("label", "header", "note") or cell.rows > 1:
            continue
        row, col = ws[cell.ref].row, ws[cell.ref].column
        width = sum(spec.widths.get(get_column_letter(c), 9.0) for c in range(col, col + cell.cols))
        # A Chinese character takes about two width units of the default 11 pt font.
        need = math.ceil(2 * len(cell.text) / max(width - 1, 1))
        lines[row] = max(lines.get(row, 1), need)
    for row, n in lines.items():
        if n > 1:
            ws.row_dimensions[row].height = 14.5 * n + 2


def _validations() -> dict[str, DataValidation]:
    """Excel's own checks on typing: the reader checks again, since a paste bypasses them."""
    topics = ",".join(label for _, label in official.FACT_TOPICS)
    return {
        "count": _rule("whole", "greaterThanOrEqual", "0", "请填写不小于 0 的整数，没有就填 0。"),
        "money": _rule("decimal", "greaterThanOrEqual", "0", "请填写不小于 0 的数字，可带小数。"),
        "year": _rule("whole", "between", "2000", "请填写四位年份，如 2025。", formula2="2100"),
        "topic": _rule("list", None, f'"{topics}"', "请从下拉列表中选择主题。"),
        "agency_kind": _rule(
            "list", None, f'"{",".join(AGENCY_KINDS)}"', "请从下拉列表中选择：部门 或 本级政府。"
        ),
    }


def _rule(
    kind: Literal["whole", "decimal", "list"],
    operator: Literal["greaterThanOrEqual", "between"] | None,
    formula1: str,
    error: str,
    formula2: str | None = None,
) -> DataValidation:
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type=kind,
        operator=operator,
        formula1=formula1,
        formula2=formula2,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle="填写有误",
        error=error,
    )


def _protect(ws: Worksheet, *, allow_rows: bool) -> None:
    """Labels locked, inputs open; columns and rows may still be resized, and on 正文素材 rows may be
    added. No password: this guards against slips, and an office may need to unprotect."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    if allow_rows:
        p.insertRows = False
        p.deleteRows = False


def _write_previous(ws: Worksheet, last: ReportData) -> None:
    """Last year's figures, one per row, locked: read back as ``previous`` for the carry-over checks.
    Below them last year's problems and measures (issue 14, as ``init --from`` keeps them in YAML),
    each measure followed by an open cell for what became of it this year."""
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    ws.append([f"上年（{last.year}年）数据：由 drafting init --from 复制，用于核对上年结转，请勿修改。"])
    ws["A1"].font = Font(bold=True)
    ws.append(["项目", "键", "数值"])
    for path, value in _flatten(last.as_previous(), "previous"):
        ws.append([official.cell_label(path), path, value])
    problems, measures = last.carried_forward()
    if problems or measures:
        ws.append([])
        ws.append([CARRIED_NOTE])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        ws.append(["项目", "键", "内容"])
    for i, problem in enumerate(problems):
        ws.append([official.cell_label(f"previous.problems.{i}"), f"previous.problems.{i}", problem])
    for i, measure in enumerate(measures):
        for key, value in (
            (f"previous.measures.{i}.measure", measure),
            (f"previous.measures.{i}.result", None),
        ):
            ws.append([official.cell_label(key) + ("（请填写）" if value is None else ""), key, value])
        result = ws.cell(ws.max_row, 3)
        result.protection = Protection(locked=False)  # the one thing on this sheet the author writes
        result.fill = PatternFill("solid", fgColor="FFFFFF")
        result.number_format = "@"
    for row in ws.iter_rows(min_row=3, min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 36
    ws.column_dimensions["C"].width = 60 if problems or measures else 12
    ws.protection.sheet = True  # every other cell stays locked


CARRIED_NOTE = (
    "上年报告的存在问题和改进措施：本年报告第五部分要说明整改和落实情况。请在每条措施下一行的“内容”栏写明"
    "本年的落实情况，如“已制定《……》并组织培训3次”；不写的，草稿中会留下【待补充】标记。"
)
_CARRIED = ("problems", "measures")  # the lists of ``previous`` the sheet holds one row per item


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}")
    elif value is not None:
        yield prefix, value


# =============================================================================================
# Reading


Positions = dict[tuple[str, ...], str]


def read_workbook(path: Path) -> tuple[dict[str, Any], Positions]:
    """The workbook's inputs as the plain dict a YAML data file gives, and where each key stands
    (``表三!D12``). Blank number cells become ``None`` so validation says "不能留空" at that cell.
    Raises ``DataError`` for cells that cannot be read (``read_workbook_all`` returns them)."""
    raw, positions, problems = read_workbook_all(path)
    if problems:
        raise DataError(str(path), problems)
    return raw, positions


def read_workbook_all(path: Path) -> tuple[dict[str, Any], Positions, list[Issue]]:
    """``read_workbook``, with the cells that could not be read (a formula, a topic not in the
    list) returned beside what was read, so that validation of the rest still runs and the author
    sees every error at once (issue 14: one bad 正文素材 topic hid every cell error)."""
    wb = _open(path)
    source = str(path)
    missing = [name for name in SHEETS if name not in wb.sheetnames]
    if missing:
        raise InputError(
            f"{source}：工作簿缺少工作表“{'”“'.join(missing)}”。",
            hint="请在 drafting init --xlsx 生成的模板中填写，不要删除或重命名工作表。",
        )
    raw: dict[str, Any] = {}
    positions: Positions = {}
    problems: list[Issue] = []
    for spec in workbook_layout():
        ws = wb[spec.name]
        _check_labels(ws, spec, source)
        if spec.name == SHEET_FACTS:
            _read_facts(ws, raw, positions, problems)
            continue
        for cell in spec.cells:
            if cell.role == "derived":
                positions[tuple(cell.path.split("."))] = f"{spec.name}!{cell.ref}"
            if cell.role != "input":
                continue
            keys = tuple(cell.path.split("."))
            _note_parents(positions, keys, f"{spec.name}!{cell.ref}")
            if _formula(ws[cell.ref], f"{spec.name}!{cell.ref}", cell.path, cell.kind, problems):
                continue
            value = _convert(ws[cell.ref].value, cell.kind)
            if value is None and not _required(cell.path):
                continue  # an optional detail left blank, as if the line were left out of a YAML file
            _put(raw, keys, value)
    _tidy_agency(raw)
    if SHEET_PREVIOUS in wb.sheetnames:
        _read_previous(wb[SHEET_PREVIOUS], raw, positions, problems)
    return raw, positions, problems


def _open(path: Path) -> Workbook:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    from ..files import read_bytes
    from ..limits import check_package, quiet

    if not path.is_file():
        raise InputError(f"找不到文件：{path}", hint="请检查文件路径是否正确。")
    raw = read_bytes(path, "Excel 数据文件", limit="workbook")
    check_package(raw, str(path), "Excel 工作簿")  # sizes and DTDs, before openpyxl inflates a byte
    quiet("openpyxl")
    try:
        # The raw cells, not the cached results of formulas: we recompute every total ourselves.
        return load_workbook(io.BytesIO(raw), data_only=False)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InputError(
            f"{path}：无法作为 Excel 工作簿打开（{type(exc).__name__}）。",
            hint="请确认文件是 .xlsx 格式（旧版 .xls 请在 Excel 中“另存为”.xlsx），且未被其他程序损坏或加密。",
        ) from None


# Labels of rows added to a sheet after the first templates were given out: an older workbook has
# them blank, and is read as if the row were left empty.
_LATER = frozenset({official.cell_label("agency.kind"), official.cell_label("agency.leadership")})


def _check_labels(ws: Worksheet, spec: SheetSpec, source: str) -> None:
    """The labels must stand where the template put them: if rows or columns were inserted or
    deleted, every number would be read into the wrong cell, so stop and say so."""
    for cell in spec.cells:
        if cell.role not in ("label", "header"):
            continue
        found = ws[cell.ref].value
        if _same_text(found, cell.text) or (found is None and cell.text in _LATER):
            continue
        raise InputError(
            f"{source}：{spec.name}!{cell.ref} 应为“{cell.text}”，实际为“{'' if found is None else found}”，"
            "表格结构与模板不一致（可能插入、删除或移动了行列）。",
            hint="请在 drafting init --xlsx 生成的模板中填写，只改白色格子，不要插入或删除行列。",
        )


def _formula(cell: Any, ref: str, path: str, kind: Kind, problems: list[Issue]) -> bool:
    """An input cell holding a formula is refused at its cell. A workbook we wrote was never
    calculated, so openpyxl has no result for it (LIBRARIES.md, finding 12), and we evaluate no
    formula ourselves; in a text cell it would become the report's words verbatim
    (``=cmd|' /C calc'!A0`` as the title). Text that merely starts with = is not a formula."""
    if getattr(cell, "data_type", None) != "f":
        return False
    shown = str(cell.value if isinstance(cell.value, str) else getattr(cell.value, "text", "") or "=…")
    shown = shown if len(shown) <= 30 else shown[:30] + "…"
    what = "文字" if kind in ("text", "fact", "topic", "") else "数字" if kind != "date" else "日期"
    problems.append(
        Issue(
            "shape",
            "error",
            official.cell_label(path),
            path,
            f"此格是公式（{shown}），本工具不计算输入格中的公式",
            f"请直接填写{what}，不要以 = 开头",
            ref=ref,
        )
    )
    return True


def _same_text(found: Any, expected: str) -> bool:
    return isinstance(found, str) and "".join(found.split()) == "".join(expected.split())


def _note_parents(positions: Positions, keys: tuple[str, ...], ref: str) -> None:
    """Each key, and every parent not yet placed, points at the first cell under it, so an issue on
    a whole row or table still names a cell."""
    for n in range(len(keys), 0, -1):
        positions.setdefault(keys[:n], ref)


def _put(raw: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    node = raw
    for key in keys[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            return  # a key under a value (previous.year.x, typed on 上年数据): nothing to put it in
    node[keys[-1]] = value


def _tidy_agency(raw: dict[str, Any]) -> None:
    agency = raw.get("agency")
    if isinstance(agency, dict) and "contact" in agency and not agency["contact"]:
        del agency["contact"]


def _convert(value: Any, kind: Kind) -> Any:
    """A cell's value as the YAML loader would give it. What cannot be read as the right type is
    passed on unchanged, so validation names it with the cell."""
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
    if value is None:
        return None
    if kind in ("count", "year"):
        if isinstance(value, float) and value.is_integer():
            return int(value)  # spreadsheets keep every number as a float
        if isinstance(value, str) and value.isdigit():
            return int(value)  # a number typed into a text-formatted cell
        return value
    if kind == "money":
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return value
        if isinstance(value, float):
            return Decimal(repr(value))
        if isinstance(value, str):
            try:
                return Decimal(value)
            except InvalidOperation:
                return value
        return value
    if kind == "date":
        if isinstance(value, dt.datetime):
            return value.date()
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, str) else str(value)


def _read_facts(ws: Worksheet, raw: dict[str, Any], positions: Positions, problems: list[Issue]) -> None:
    """One fact per row: 主题 in column A, 内容 in B. “无” alone says the topic has nothing to add."""
    by_label = {label: key for key, label in official.FACT_TOPICS}
    facts: dict[str, list[str]] = {}
    # Only the rows that hold a cell in A or B. Asking openpyxl for any other cell creates it: one
    # stray character at row 1,048,576 would make two million cells (0.5 GB, a minute).
    rows = sorted({row for row, column in ws._cells if column <= 2 and row > TABLE_TOP})
    for row in rows:
        if _formula(ws.cell(row, 2), f"{SHEET_FACTS}!B{row}", "facts", "fact", problems):
            continue
        topic = _convert(ws.cell(row, 1).value, "topic")
        text = _convert(ws.cell(row, 2).value, "fact")
        if text is None:
            continue
        ref = f"{SHEET_FACTS}!B{row}"
        key = by_label.get("".join(str(topic or "").split()))
        if key is None:
            problems.append(
                Issue(
                    "shape",
                    "error",
                    official.cell_label("facts"),
                    "facts",
                    f"第{row}行的主题“{topic or ''}”不是可选的主题",
                    "请从下拉列表中选择：" + "、".join(label for _, label in official.FACT_TOPICS),
                    ref=f"{SHEET_FACTS}!A{row}",
                )
            )
            continue
        items = facts.setdefault(key, [])
        if text != NOTHING_TO_ADD:
            positions[("facts", key, str(len(items)))] = ref
            items.append(text)
        positions.setdefault(("facts", key), ref)
    positions.setdefault(("facts",), f"{SHEET_FACTS}!B{TABLE_TOP + 1}")
    raw["facts"] = facts


def _read_previous(ws: Worksheet, raw: dict[str, Any], positions: Positions, problems: list[Issue]) -> None:
    # Only the rows that hold a key (see _read_facts); a key is at most previous.table3.withheld.x.y.
    for row in sorted({row for row, column in ws._cells if column == 2 and row >= 3}):
        path, cell = ws.cell(row, 2).value, ws.cell(row, 3)
        if not isinstance(path, str) or not path.startswith("previous.") or path.count(".") > 5:
            continue
        keys = tuple(path.split("."))
        kind: Kind = (
            "fact"
            if keys[1] in _CARRIED
            else "money"
            if _is_money(path.removeprefix("previous."))
            else "count"
        )
        if _formula(cell, f"{ws.title}!C{row}", path, kind, problems):
            continue
        _put(raw, keys, _convert(cell.value, kind))
        _note_parents(positions, keys, f"{ws.title}!C{row}")
    previous = raw.get("previous")
    if not isinstance(previous, dict):
        return
    for key in _CARRIED:
        # ``previous.problems.0`` was put as a dict keyed "0": the loader wants the list, in order.
        items = previous.get(key)
        if isinstance(items, dict) and all(str(k).isdigit() for k in items):
            previous[key] = [items[k] for k in sorted(items, key=int)]
