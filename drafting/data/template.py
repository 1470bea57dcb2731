"""The data-file template ``drafting init`` writes: every cell present, a Chinese comment per field.

Written as text rather than dumped, so the layout (one table row per line, the official label beside
it) reads like the printed table for the staff who fill it in.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from .. import official
from .model import (
    ApplicantRow,
    Contact,
    Outcomes,
    PreviousMeasure,
    PreviousYear,
    ReportData,
    Table2,
    Table3,
    Table4,
)

_KEY_WIDTH = 22  # values start here, so the rows of a table line up
_COMMENT_COLUMN = 100


def _str(value: str | None) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False)


def _num(value: int | Decimal) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def _flow(values: dict[str, int | Decimal]) -> str:
    return "{" + ", ".join(f"{k}: {_num(v)}" for k, v in values.items()) + "}"


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in an editor."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _line(indent: int, key: str, value: str, comment: str) -> str:
    head = f"{' ' * indent}{key}:"
    text = f"{head}{' ' * max(1, indent + _KEY_WIDTH - len(head))}{value}" if value else head
    if not comment:
        return text
    return f"{text}{' ' * max(2, _COMMENT_COLUMN - _width(text))}# {comment}"


def _applicants(row: ApplicantRow | None) -> dict[str, int | Decimal]:
    return {k: (getattr(row, k) if row else 0) for k in official.TABLE3_COLUMN_KEYS}


def _table2_lines(t: Table2 | None, indent: int, in_force_from: Table2 | None = None) -> list[str]:
    pad = " " * indent
    lines = [
        f"{pad}# 第二十条第（一）项：issued 本年制发件数 / repealed 本年废止件数 / in_force 现行有效件数"
    ]
    for key, label in official.TABLE2_GROUPS[0].rows:
        counts = getattr(t, key) if t else None
        values = {k: (getattr(counts, k) if counts else 0) for k, _ in official.TABLE2_GROUPS[0].columns}
        comment = label
        if in_force_from is not None:
            # C2: 现行有效 = last year's + 制发 − 废止. Starting from last year's figure keeps a fresh
            # file consistent; the author adjusts it with this year's 制发 and 废止.
            values["in_force"] = getattr(in_force_from, key).in_force
            comment += "（现行有效件数已按上年填入，请按本年制发、废止调整）"
        lines.append(_line(indent, key, _flow(values), comment))
    for group in official.TABLE2_GROUPS[1:]:
        column = group.columns[0][1]
        for key, label in group.rows:
            value = getattr(t, key) if t else 0
            lines.append(_line(indent, key, _num(value), f"{group.heading} {label} {column}"))
    return lines


def _table3_lines(t: Table3 | None, indent: int, carried: ApplicantRow | None = None) -> list[str]:
    pad = " " * indent
    lines = [
        f"{pad}# 每行六列：natural 自然人；法人或其他组织——commercial 商业企业、research 科研机构、",
        f"{pad}# social 社会公益组织、legal 法律服务机构、other 其他。总计由本工具计算，不必填写。",
    ]
    group_written = set()
    for spec in official.TABLE3_ROWS:
        if spec.path == "results_total":
            continue  # derived (H3); a file may still state it and have it checked
        parts = spec.path.split(".")
        row = t.row(spec.path) if t else None
        if spec.path == "carried_over" and carried is not None:
            row = carried
        if spec.path == "disclosed":
            lines.append(f"{pad}# {official.TABLE3_RESULTS_HEADING}")
        if len(parts) == 2:
            if parts[0] not in group_written:
                group_written.add(parts[0])
                lines.append(_line(indent, parts[0], "", official.TABLE3_GROUPS[parts[0]]))
            lines.append(_line(indent + 2, parts[1], _flow(_applicants(row)), spec.label))
        else:
            comment = spec.label
            if spec.path == "carried_over" and carried is not None:
                comment += "（已按上年“结转下年度继续办理”填入，请在办理结果或结转下年度中填写其去向）"
            lines.append(_line(indent, spec.path, _flow(_applicants(row)), comment))
    return lines


def _table4_lines(t: Table4 | None, indent: int) -> list[str]:
    pad = " " * indent
    lines = [
        f"{pad}# 每栏：upheld 结果维持 / corrected 结果纠正 / other 其他结果 / pending 尚未审结（总计由本工具计算）"
    ]
    for block, _ in official.TABLE4_BLOCKS:
        outcomes: Outcomes | None = getattr(t, block) if t else None
        values = {k: (getattr(outcomes, k) if outcomes else 0) for k, _ in official.TABLE4_COLUMNS}
        lines.append(_line(indent, block, _flow(values), official.table4_block_label(block)))
    return lines


def _contact_lines(c: Contact | None) -> list[str]:
    """联系方式 for the preamble; copied from last year's file by ``init --from``."""
    fields = (("address", "地址"), ("postcode", "邮编"), ("phone", "电话"), ("email", "电子邮箱"))
    return [
        # Numbers such as a postcode must be quoted, or YAML reads them as numbers (and drops a leading 0).
        _line(2, "contact", "", "联系方式（可不填），写入报告前言；邮编、电话请加英文双引号"),
        *(_line(4, key, _str(getattr(c, key) if c else None), f"{label}（可不填）") for key, label in fields),
    ]


_FACT_HINTS = {
    "active": "主动公开：如 - 通过门户网站主动公开政府信息120条",
    "on_request": "依申请公开：如 - 规范接收、登记、办理、答复、归档流程",
    "management": "政府信息管理：如 - 落实“先审查、后公开”和三级审核",
    "platforms": "平台建设：如 - 以政府网站为第一平台，更新政府信息公开专栏",
    "oversight": "监督保障：如 - 将政务公开纳入年度绩效考核；组织培训2次",
    "problems": "存在问题：如 - 政策解读形式较为单一",
    "improvements": "改进措施（下一年度）：如 - 丰富图解、视频等解读形式",
    "other": "其他需要报告的事项；确实没有请写 []",
}


_LEADERSHIP = "领导表述（可不填），写在总体情况开头，如 在县委、县政府的正确领导下"


def template_yaml(agency: str, year: int, last: ReportData | None = None) -> str:
    """A complete data file for ``agency`` and ``year``: every cell 0, or carried from ``last``."""
    a = last.agency if last else None
    lines = [
        f"# {official.report_title(agency, year)} 数据文件",
        "# 由 drafting init 生成。每个数字格都要填写：没有就填 0，不能留空，不能写负数。",
        "# 填好后运行 drafting validate 本文件 检查数据，drafting draft 本文件 生成草稿。",
        "",
        _line(0, "agency", "", "机关信息"),
        _line(2, "name", _str(agency), "机关全称（用于标题）"),
        _line(
            2, "self_reference", _str(a.self_reference if a else "我局"), "正文中的自称：我局、本机关、我镇……"
        ),
        _line(2, "short_name", _str(a.short_name if a else None), "简称（可不填），如 地区绿产局"),
        _line(2, "website", _str(a.website if a else None), "报告电子版下载网址（可不填）"),
        _line(2, "leadership", _str(a.leadership if a else None), _LEADERSHIP),
        *_contact_lines(a.contact if a else None),
        _line(
            2,
            "kind",
            _str(a.kind if a else None),
            "机关类型（可不填）：部门 或 本级政府，用于核对发布期限（部门次年1月31日前，本级政府次年3月31日前）",
        ),
        _line(0, "year", str(year), "报告年度（统计期限为该年1月1日至12月31日）"),
        _line(0, "published", "", "发布日期（可不填），如 2025-01-20；填写后写入文末落款"),
        "",
        _line(0, "table2", "", "表二 主动公开政府信息情况"),
        *_table2_lines(None, 2, in_force_from=last.table2 if last else None),
        "",
        _line(0, "table3", "", "表三 收到和处理政府信息公开申请情况"),
        *_table3_lines(None, 2, carried=last.table3.carry_forward if last else None),
        "",
        _line(0, "table4", "", "表四 政府信息公开行政复议、行政诉讼情况"),
        *_table4_lines(None, 2),
        "",
        _line(0, "fees", "", "六、其他需要报告的事项：政府信息公开信息处理费（国办函〔2020〕109号）"),
        _line(2, "notices", "0", "发出政府信息公开收费通知件数"),
        _line(2, "billed", "0", "应收信息处理费（元）"),
        _line(2, "collected", "0", "实收信息处理费（元）"),
        "",
        "# 正文素材：每条一行，以“- ”开头，写具体做法和数字。",
        "# 不填的主题，草稿中会留下【待补充：…】标记；确实没有内容可写 []。",
        _line(0, "facts", "", "正文素材"),
        *[_line(2, key, "", _FACT_HINTS[key]) for key, _ in official.FACT_TOPICS],
    ]
    if last is not None:
        lines += _previous_lines(last, "由 drafting init --from 复制，请勿修改。")
    return "\n".join(lines) + "\n"


def _previous_lines(last: ReportData | PreviousYear, origin: str = "") -> list[str]:
    """``previous``: last year's tables, for C1, C2 and the year-on-year wording."""
    lines = [
        "",
        f"# 上年（{last.year}年）数据：用于核对上年结转和同比表述。{origin}",
        _line(0, "previous", "", "上年数据"),
        _line(2, "year", str(last.year), "上年年度"),
    ]
    if last.table2 is not None:
        lines += [_line(2, "table2", "", "上年表二"), *_table2_lines(last.table2, 4)]
    if last.table3 is not None:
        lines += [_line(2, "table3", "", "上年表三"), *_table3_lines(last.table3, 4)]
    if last.table4 is not None:
        lines += [_line(2, "table4", "", "上年表四"), *_table4_lines(last.table4, 4)]
    return lines + _carried_lines(last)


def _carried_lines(last: ReportData | PreviousYear) -> list[str]:
    """Last year's problems and measures: what this year's 五 reports on (issue 14)."""
    if isinstance(last, ReportData):
        problems, plain = last.carried_forward()
        measures = [PreviousMeasure(measure=m) for m in plain]
    else:
        problems, measures = list(last.problems or []), list(last.measures or [])
    if not problems and not measures:
        return []
    lines = [
        "  # 上年报告的存在问题和改进措施：本年报告第五部分要说明整改和落实情况。",
        "  # 请在每条措施的 result 后写明本年的落实情况；不写的，草稿中会留下【待补充】标记。",
    ]
    if problems:
        lines.append(_line(2, "problems", "", "上年存在的主要问题"))
        lines += [f"    - {_str(p)}" for p in problems]
    if measures:
        lines.append(_line(2, "measures", "", "上年提出的改进措施及本年落实情况"))
        for m in measures:
            lines.append(f"    - measure: {_str(m.measure)}")
            result = _str(m.result)
            lines.append(
                _line(6, "result", result, "落实情况，如 已制定《……》并组织培训3次" if not result else "")
            )
    return lines


def _stated(row: ApplicantRow | None) -> dict[str, int | Decimal]:
    """A row's six cells, and its 总计 only when the source stated one (so a file written from a
    published table keeps a total that disagrees, for ``validate`` to point at)."""
    values = _applicants(row)
    if row is not None and row.total is not None:
        values["total"] = row.total
    return values


IMPORT_HEADER = (
    "由 drafting import 从已发布的报告读取生成。请对照原报告核对每个数字，再运行 drafting validate 本文件。"
)


def data_yaml(data: ReportData, notes: Sequence[str] = (), *, header: str = IMPORT_HEADER) -> str:
    """A data file holding every field of ``data`` (read from a published report by ``drafting
    import``, or from a workbook), in the layout and with the comments of ``drafting init``.
    ``header`` says where it came from; ``notes`` follow it as comments."""
    a = data.agency
    published = data.published.isoformat() if data.published else ""
    lines = [
        f"# {data.title} 数据文件",
        f"# {header}",
        *(f"# 注意：{n}" for n in notes),
        "",
        _line(0, "agency", "", "机关信息"),
        _line(2, "name", _str(a.name), "机关全称（用于标题）"),
        _line(2, "self_reference", _str(a.self_reference), "正文中的自称：我局、本机关、我镇……"),
        _line(2, "short_name", _str(a.short_name), "简称（可不填）"),
        _line(2, "website", _str(a.website), "报告电子版下载网址（可不填）"),
        *([_line(2, "leadership", _str(a.leadership), _LEADERSHIP)] if a.leadership else []),
        *(_contact_lines(a.contact) if a.contact else []),
        *([_line(2, "kind", _str(a.kind), "机关类型：部门 或 本级政府（核对发布期限用）")] if a.kind else []),
        _line(0, "year", str(data.year), "报告年度（统计期限为该年1月1日至12月31日）"),
        _line(0, "published", published, "发布日期（可不填），如 2025-01-20"),
        "",
        _line(0, "table2", "", "表二 主动公开政府信息情况"),
        *_table2_lines(data.table2, 2),
        "",
        _line(0, "table3", "", "表三 收到和处理政府信息公开申请情况"),
    ]
    t = data.table3
    groups_written: set[str] = set()
    lines += [
        "  # 每行六列：natural 自然人；法人或其他组织——commercial 商业企业、research 科研机构、",
        "  # social 社会公益组织、legal 法律服务机构、other 其他。总计由本工具计算；原报告填写的总计与之不符时保留为 total。",
    ]
    for spec in official.TABLE3_ROWS:
        row = t.row(spec.path) if spec.path != "results_total" else t.results_total
        if spec.path == "results_total" and row is None:
            continue
        if spec.path == "disclosed":
            lines.append(f"  # {official.TABLE3_RESULTS_HEADING}")
        parts = spec.path.split(".")
        if len(parts) == 2:
            if parts[0] not in groups_written:
                groups_written.add(parts[0])
                lines.append(_line(2, parts[0], "", official.TABLE3_GROUPS[parts[0]]))
            lines.append(_line(4, parts[1], _flow(_stated(row)), spec.label))
        else:
            lines.append(_line(2, spec.path, _flow(_stated(row)), spec.label))
    lines += [
        "",
        _line(0, "table4", "", "表四 政府信息公开行政复议、行政诉讼情况"),
        "  # 每栏：upheld 结果维持 / corrected 结果纠正 / other 其他结果 / pending 尚未审结",
    ]
    for block, _ in official.TABLE4_BLOCKS:
        outcomes: Outcomes = getattr(data.table4, block)
        values: dict[str, int | Decimal] = {k: getattr(outcomes, k) for k, _ in official.TABLE4_COLUMNS}
        if outcomes.total is not None:
            values["total"] = outcomes.total
        lines.append(_line(2, block, _flow(values), official.table4_block_label(block)))
    f = data.fees
    lines += [
        "",
        _line(0, "fees", "", "六、其他需要报告的事项：政府信息公开信息处理费（国办函〔2020〕109号）"),
        _line(2, "notices", _num(f.notices), "发出政府信息公开收费通知件数"),
        _line(2, "billed", _num(f.billed), "应收信息处理费（元）"),
        _line(2, "collected", _num(f.collected), "实收信息处理费（元）"),
        "",
        "# 正文素材：每条一行，以“- ”开头。不填的主题，草稿中会留下【待补充：…】标记。",
        _line(0, "facts", "", "正文素材"),
        *_fact_lines(data),
    ]
    if data.previous is not None:
        lines += _previous_lines(data.previous)
    return "\n".join(lines) + "\n"


def _fact_lines(data: ReportData) -> list[str]:
    """Each topic: its facts one per line, ``[]`` for nothing to add, or empty (a 【待补充】 marker)."""
    lines = []
    for key, _ in official.FACT_TOPICS:
        facts = data.facts.get(key)
        lines.append(_line(2, key, "[]" if facts == [] else "", _FACT_HINTS[key]))
        lines += [f"    - {_str(fact)}" for fact in facts or []]
    return lines


def new_data_file(
    output: Path | None = None,
    *,
    agency: str | None = None,
    year: int | None = None,
    last: Path | ReportData | None = None,
    xlsx: bool = False,
    force: bool = False,
) -> Path:
    """Write a complete data file to fill in (YAML, or the Excel workbook) and return its path.
    ``last`` is last year's data file (or its data, read from last year's draft by the caller): its
    agency is copied, its 结转下年度 becomes 上年结转, its problems and measures go to ``previous``,
    and the year defaults to the one after it. Nothing is overwritten unless ``force``."""
    from ..errors import InputError
    from ..files import atomic_write
    from .load import load_data

    previous = load_data(last).data if isinstance(last, Path) else last
    if previous is not None:
        agency = agency or previous.agency.name
        if year is None:
            year = previous.year + 1
        elif year != previous.year + 1:
            raise InputError(
                f"--from 给出的是 {previous.year} 年的数据，报告年度应为 {previous.year + 1}，而不是 {year}。",
                hint="请去掉 --year，或换用上一年度的数据文件。",
            )
    if not agency or year is None:
        raise InputError(
            "请用 --agency 给出机关全称、用 --year 给出报告年度。",
            hint="例如：drafting init --agency XX市XX局 --year 2025",
        )
    if output is not None and output.suffix.lower() == ".xlsx":
        xlsx = True
    elif output is not None and xlsx:
        raise InputError(
            f"--xlsx 生成的是 Excel 工作簿，输出文件应以 .xlsx 结尾，而不是“{output.name}”。",
            hint=f"例如：-o {output.with_suffix('.xlsx')}",
        )
    output = output or Path(f"report-{year}.{'xlsx' if xlsx else 'yaml'}")
    if output.is_dir():
        raise InputError(f"{output} 是一个文件夹。", hint="请用 -o 给出文件名，如 -o 2025.yaml。")
    if output.exists() and not force:
        raise InputError(
            f"{output} 已存在，未做改动。", hint="如确需覆盖，请加 --force；或用 -o 指定另一个文件名。"
        )
    output.parent.mkdir(parents=True, exist_ok=True)  # -o drafts/2025.yaml into a new folder
    if xlsx:
        from .excel import template_workbook

        atomic_write(output, template_workbook(agency, year, previous))
    else:
        atomic_write(output, template_yaml(agency, year, previous))
    return output
