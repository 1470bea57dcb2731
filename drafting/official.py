"""The official annual-report format (国办公开办函〔2021〕30号) as data.

This is the one module that knows the State Council's headings, table labels and cross-sum rules.
The data model, the table layer, the drafters, the checks and the writers all read it; none of them
spell an official label themselves. Data-file keys (``table3.withheld.state_secret``) are stable
ASCII ids; every id maps to its exact official label here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

FORMAT_NOTICE: Final = "国办公开办函〔2021〕30号"
REGULATION: Final = "《中华人民共和国政府信息公开条例》"
FIRST_FORMAT_YEAR: Final = 2021  # the 2021 format applies to reports on 2021 onward

TITLE_SUFFIX: Final = "政府信息公开工作年度报告"


def report_title(agency: str, year: int) -> str:
    return f"{agency}{year}年{TITLE_SUFFIX}"


def statistical_period(year: int) -> str:
    return f"{year}年1月1日至{year}年12月31日"


# ---------------------------------------------------------------------------------------------
# The six parts of the report, and the narrative sections a drafter writes.


@dataclass(frozen=True)
class Part:
    id: str
    heading: str
    table: str | None = None  # the table this part carries, if any


PARTS: Final = (
    Part("overview", "一、总体情况"),
    Part("proactive", "二、主动公开政府信息情况", table="table2"),
    Part("requests", "三、收到和处理政府信息公开申请情况", table="table3"),
    Part("appeals", "四、政府信息公开行政复议、行政诉讼情况", table="table4"),
    Part("problems_improvements", "五、存在的主要问题及改进情况"),
    Part("other", "六、其他需要报告的事项"),
)

# Heading variants seen in real reports that are equivalent to the official ones.
HEADING_VARIANTS: Final = {
    "五、政府信息公开工作存在的主要问题及改进情况": "problems_improvements",
    "四、政府信息公开行政复议和行政诉讼情况": "appeals",
}


@dataclass(frozen=True)
class NarrativeSection:
    """A section of prose a drafter writes. Its id is a contract (draft files, revise, checks)."""

    id: str
    part: str  # the Part it belongs to
    title: str  # a sub-heading inside the part, or "" when the section is the whole part


NARRATIVE_SECTIONS: Final = (
    NarrativeSection("overview", "overview", ""),
    NarrativeSection("problems", "problems_improvements", "（一）存在的主要问题"),
    NarrativeSection("improvements", "problems_improvements", "（二）改进措施"),
    NarrativeSection("other", "other", ""),
)
SECTION_IDS: Final = tuple(s.id for s in NARRATIVE_SECTIONS)
PART_BY_ID: Final = {p.id: p for p in PARTS}
SECTION_BY_ID: Final = {s.id: s for s in NARRATIVE_SECTIONS}


def part_heading(part_id: str) -> str:
    """``overview`` → ``一、总体情况``."""
    return PART_BY_ID[part_id].heading


def section_label(section_id: str, sep: str = "") -> str:
    """Where a narrative section stands, in the report's words: ``五、存在的主要问题及改进情况（一）存在的
    主要问题``. An id that is not a section is returned as it is."""
    spec = SECTION_BY_ID.get(section_id)
    if spec is None:
        return section_id
    return f"{part_heading(spec.part)}{sep}{spec.title}".strip()


# The words a user may name a section by, besides its id: its part's heading, its sub-heading,
# the sub-parts of 一 and the fact topics that feed it (numbering optional: ``（一）存在的主要问题``).
_SECTION_WORDS: Final = {
    "总体情况": "overview",
    "政府信息公开平台建设": "overview",
    "存在的主要问题": "problems",
    "主要问题": "problems",
    "存在问题": "problems",
    "存在的问题": "problems",
    "问题": "problems",
    "改进措施": "improvements",
    "改进情况": "improvements",
    "改进": "improvements",
    "其他需要报告的事项": "other",
    "其他事项": "other",
    "其他": "other",
}
_BOTH_PROBLEM_SECTIONS: Final = ("存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况")


def resolve_section(name: str) -> str:
    """The id of the narrative section ``name`` names: its id (``problems``), its number in the
    draft (1-4), or its Chinese name as the report writes it (``存在的主要问题``, ``（一）存在的主要问题``,
    ``五、…（一）存在的主要问题``, ``一、总体情况``, a sub-part of 一 such as ``主动公开``). The one place
    that reads a section's name: the command line, the terminal loop and the web workspace all call it."""
    from .errors import InputError

    text = re.sub(r"\s+", "", name).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    key = text.lower()
    if key in SECTION_BY_ID:
        return key
    if key.isdigit() and 1 <= int(key) <= len(SECTION_IDS):
        return SECTION_IDS[int(key) - 1]
    words = {**_SECTION_WORDS, **{label: "overview" for _, label in OVERVIEW_SUBSECTIONS}}
    words |= {label: key for key, label in FACT_TOPICS if key in SECTION_BY_ID}
    for _, label in FACT_TOPICS:
        words.setdefault(label, "overview")  # 依申请公开, 平台建设…: sub-parts of 一、总体情况
    rest = text
    for spec in NARRATIVE_SECTIONS:  # 五、存在的主要问题及改进情况（一）存在的主要问题
        heading = part_heading(spec.part)
        if spec.title and rest.startswith(heading) and len(rest) > len(heading):
            rest = rest[len(heading) :]
    plain = _strip_numbering(rest)
    if plain in words:
        return words[plain]
    choices = "、".join(f"{s.id}（{_section_name(s)}）" for s in NARRATIVE_SECTIONS)
    if plain in _BOTH_PROBLEM_SECTIONS:
        raise InputError(
            f"“{name}”包括两节：problems（存在的主要问题）和 improvements（改进措施）。",
            hint="请指明其中一节，如 --section 存在的主要问题 或 --section improvements。",
        )
    raise InputError(
        f"没有编号为“{name}”的节，也没有这个名字的节。", hint=f"可用的节（写编号或中文名均可）：{choices}。"
    )


def _section_name(spec: NarrativeSection) -> str:
    return spec.title[3:] if spec.title else part_heading(spec.part).split("、", 1)[-1]


# The five sub-parts of 一、总体情况 that the 2021 notice lists, in order.
OVERVIEW_SUBSECTIONS: Final = (
    ("active", "主动公开"),
    ("on_request", "依申请公开"),
    ("management", "政府信息管理"),
    ("platforms", "政府信息公开平台建设"),
    ("oversight", "监督保障"),
)

# The author's free-text facts, one short list per topic.
FACT_TOPICS: Final = (
    ("active", "主动公开"),
    ("on_request", "依申请公开"),
    ("management", "政府信息管理"),
    ("platforms", "平台建设"),
    ("oversight", "监督保障"),
    ("problems", "存在问题"),
    ("improvements", "改进措施"),
    ("other", "其他事项"),
)
FACT_LABELS: Final = dict(FACT_TOPICS)

# ---------------------------------------------------------------------------------------------
# 表二 主动公开政府信息情况 (2021 format)


_Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table2Group:
    heading: str  # 第二十条第（一）项
    columns: _Pairs  # (key, label); a single-value row has key ""
    rows: _Pairs  # (data key, label)


def _article20(item: str, columns: _Pairs, rows: _Pairs) -> Table2Group:
    """A group of 表二 by the 条例 第二十条 item it reports (``五``: 第二十条第（五）项)."""
    return Table2Group(f"第二十条第（{item}）项", columns, rows)


_DECISIONS: Final = (("", "本年处理决定数量"),)  # the one column of items (五) and (六)

TABLE2_GROUPS: Final = (
    _article20(
        "一",
        (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数")),
        (("rules", "规章"), ("normative", "行政规范性文件")),
    ),
    _article20("五", _DECISIONS, (("licensing", "行政许可"),)),
    _article20("六", _DECISIONS, (("penalty", "行政处罚"), ("coercion", "行政强制"))),
    _article20("八", (("", "本年收费金额（单位：万元）"),), (("admin_fees", "行政事业性收费"),)),
)
TABLE2_INFO_HEADER: Final = "信息内容"

# ---------------------------------------------------------------------------------------------
# 表三 收到和处理政府信息公开申请情况

TABLE3_CORNER: Final = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
TABLE3_APPLICANTS: Final = "申请人情况"
TABLE3_LEGAL_PERSONS: Final = "法人或其他组织"
TABLE3_COLUMNS: Final = (
    ("natural", "自然人"),
    ("commercial", "商业企业"),
    ("research", "科研机构"),
    ("social", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
)
TABLE3_COLUMN_KEYS: Final = tuple(k for k, _ in TABLE3_COLUMNS)
TOTAL_KEY: Final = "total"
TOTAL_LABEL: Final = "总计"
TABLE3_RESULTS_HEADING: Final = "三、本年度办理结果"


@dataclass(frozen=True)
class Table3Row:
    path: str  # dotted key in the data file under table3
    label: str  # the official label of the row itself
    group: str = ""  # （三）不予公开 … for leaf rows inside a group
    in_results: bool = False  # under 三、本年度办理结果

    @property
    def full_label(self) -> str:
        """The label that names the row on its own, e.g. ``（三）不予公开 1.属于国家秘密``."""
        return f"{self.group} {self.label}" if self.group else self.label

    @property
    def cells_label(self) -> str:
        """The label used by ``import --format cells``: ``（三）不予公开/1.属于国家秘密``."""
        return f"{self.group}/{self.label}" if self.group else self.label


TABLE3_GROUPS: Final = {
    "withheld": "（三）不予公开",
    "unable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other_handling": "（六）其他处理",
}


def _leaf(group: str, key: str, label: str) -> Table3Row:
    return Table3Row(f"{group}.{key}", label, TABLE3_GROUPS[group], in_results=True)


TABLE3_ROWS: Final = (
    Table3Row("new", "一、本年新收政府信息公开申请数量"),
    Table3Row("carried_over", "二、上年结转政府信息公开申请数量"),
    Table3Row("disclosed", "（一）予以公开", in_results=True),
    Table3Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", in_results=True),
    _leaf("withheld", "state_secret", "1.属于国家秘密"),
    _leaf("withheld", "prohibited_by_law", "2.其他法律行政法规禁止公开"),
    _leaf("withheld", "three_safety", "3.危及“三安全一稳定”"),
    _leaf("withheld", "third_party", "4.保护第三方合法权益"),
    _leaf("withheld", "internal_affairs", "5.属于三类内部事务信息"),
    _leaf("withheld", "process_info", "6.属于四类过程性信息"),
    _leaf("withheld", "enforcement_files", "7.属于行政执法案卷"),
    _leaf("withheld", "query_matters", "8.属于行政查询事项"),
    _leaf("unable", "not_held", "1.本机关不掌握相关政府信息"),
    _leaf("unable", "needs_creation", "2.没有现成信息需要另行制作"),
    _leaf("unable", "unclear", "3.补正后申请内容仍不明确"),
    _leaf("not_processed", "petition", "1.信访举报投诉类申请"),
    _leaf("not_processed", "repeated", "2.重复申请"),
    _leaf("not_processed", "publications", "3.要求提供公开出版物"),
    _leaf("not_processed", "mass_repeated", "4.无正当理由大量反复申请"),
    _leaf("not_processed", "confirm_reissue", "5.要求行政机关确认或重新出具已获取信息"),
    _leaf(
        "other_handling",
        "overdue_correction",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    _leaf(
        "other_handling",
        "overdue_fee",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    _leaf("other_handling", "other", "3.其他"),
    Table3Row("results_total", "（七）总计", in_results=True),
    Table3Row("carry_forward", "四、结转下年度继续办理"),
)
TABLE3_ROW_BY_PATH: Final = {r.path: r for r in TABLE3_ROWS}
# The 21 leaf rows whose sum is （七）总计 (rule H3).
TABLE3_RESULT_LEAVES: Final = tuple(r for r in TABLE3_ROWS if r.in_results and r.path != "results_total")

# ---------------------------------------------------------------------------------------------
# 表四 政府信息公开行政复议、行政诉讼情况: one data row of 15 numbers.

TABLE4_REVIEW: Final = "行政复议"
TABLE4_LITIGATION: Final = "行政诉讼"
TABLE4_BLOCKS: Final = (
    ("review", TABLE4_REVIEW),  # the block is its header: 行政复议 has no sub-blocks
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
TABLE4_COLUMNS: Final = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
)


def table4_block_label(block: str) -> str:
    label = dict(TABLE4_BLOCKS)[block]
    return label if block == "review" else f"{TABLE4_LITIGATION} {label}"


# ---------------------------------------------------------------------------------------------
# Section 六: the 信息处理费 under 国办函〔2020〕109号.

FEE_NOTICE: Final = "国办函〔2020〕109号"
FEE_FIELDS: Final = (
    ("notices", "发出收费通知件数"),
    ("billed", "应收信息处理费（元）"),
    ("collected", "实收信息处理费（元）"),
)

# ---------------------------------------------------------------------------------------------
# Chinese numbering used in the register.

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 101 → 一百零一, 110 → 一百一十 (enumerations of the
    author's facts, which may run past ninety-nine, and sub-headings)."""
    if not 1 <= n <= 9999:
        raise ValueError(f"ordinal out of range: {n}")
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
        return head + (_DIGITS[ones] if ones else "")
    out, gap = "", False
    for digit, unit in zip(f"{n:04d}", ("千", "百", "十", ""), strict=True):
        if digit == "0":
            gap = bool(out)  # one 零 stands for any run of missing places: 一千零一
            continue
        out += ("零" if gap else "") + _DIGITS[int(digit)] + unit
        gap = False
    return out


def paren_ordinal(n: int) -> str:
    """1 → （一）"""
    return f"（{chinese_ordinal(n)}）"


# ---------------------------------------------------------------------------------------------
# Naming a data-file path in official terms, for messages.

_TABLE2_ROWS: Final = {key: (g, label) for g in TABLE2_GROUPS for key, label in g.rows}
_TABLE3_COLUMN_LABELS: Final = {**dict(TABLE3_COLUMNS), TOTAL_KEY: TOTAL_LABEL}
_TABLE4_COLUMN_LABELS: Final = {**dict(TABLE4_COLUMNS), TOTAL_KEY: TOTAL_LABEL}
_FIELD_LABELS: Final = {
    "agency": "机关信息",
    "agency.name": "机关全称",
    "agency.self_reference": "正文自称（如 我局、本机关）",
    "agency.short_name": "机关简称",
    "agency.website": "报告电子版下载网址",
    "agency.kind": "机关类型（部门 / 本级政府）",
    "agency.leadership": "领导表述（总体情况的开头）",
    "agency.contact": "联系方式",
    "year": "报告年度",
    "published": "发布日期",
    "table2": "表二 主动公开政府信息情况",
    "table3": "表三 收到和处理政府信息公开申请情况",
    "table4": "表四 政府信息公开行政复议、行政诉讼情况",
    "fees": "六、其他需要报告的事项 信息处理费",
    "facts": "正文素材",
    "previous": "上年数据",
    "previous.year": "上年数据 年度",
}


def cell_label(path: str) -> str:
    """Name a data-file path in official terms: ``table3.withheld.state_secret.commercial`` →
    ``表三 （三）不予公开 1.属于国家秘密 / 商业企业``."""
    parts = path.split(".")
    if parts[0] == "previous" and len(parts) > 1 and parts[1].startswith("table"):
        return "上年 " + cell_label(".".join(parts[1:]))
    if parts[0] == "previous" and len(parts) > 2 and parts[2].isdigit():
        # ``previous.measures.0.result``: last year's problems and measures, one per item.
        n = int(parts[2]) + 1
        if parts[1] == "problems":
            return f"上年存在的主要问题 第{n}条"
        if parts[1] == "measures":
            return f"上年改进措施 第{n}条" + ("的本年落实情况" if parts[3:] == ["result"] else "")
    if path in _FIELD_LABELS:
        return _FIELD_LABELS[path]
    head, rest = parts[0], parts[1:]
    if head == "table3" and rest:
        for n in (2, 1):
            row = TABLE3_ROW_BY_PATH.get(".".join(rest[:n]))
            if row and len(rest) in (n, n + 1):
                label = f"表三 {row.full_label}"
                if len(rest) == n + 1:
                    label += f" / {_TABLE3_COLUMN_LABELS.get(rest[n], rest[n])}"
                return label
        if rest[0] in TABLE3_GROUPS:
            return f"表三 {TABLE3_GROUPS[rest[0]]}"
    if head == "table2" and rest and rest[0] in _TABLE2_ROWS:
        group, label = _TABLE2_ROWS[rest[0]]
        text = f"表二 {group.heading} {label}"
        columns = dict(group.columns)
        column = columns.get(rest[1]) if len(rest) > 1 else columns.get("")
        return f"{text} / {column}" if column else text
    if head == "table4" and rest and rest[0] in dict(TABLE4_BLOCKS):
        text = f"表四 {table4_block_label(rest[0])}"
        return f"{text} / {_TABLE4_COLUMN_LABELS.get(rest[1], rest[1])}" if len(rest) > 1 else text
    if head == "fees" and rest:
        return f"六、其他需要报告的事项 {dict(FEE_FIELDS).get(rest[0], rest[0])}"
    if head == "facts" and rest:
        return f"正文素材 {FACT_LABELS.get(rest[0], rest[0])}"
    if head == "agency" and rest and rest[0] == "contact":
        return "联系方式"
    return _FIELD_LABELS.get(head, path)


@dataclass(frozen=True)
class Cell:
    """One cell of an official table by its ids, as findings point at it: ``table`` (``table2``,
    ``table3``, ``table4``), ``row`` (a 表二 row key, a 表三 row path such as ``withheld.state_secret``,
    a 表四 block) and ``column`` (a column key, ``total`` for 总计, "" for a 表二 row of one value)."""

    table: str
    row: str
    column: str

    def as_dict(self) -> dict[str, str]:
        return {"table": self.table, "row": self.row, "column": self.column}

    @property
    def path(self) -> str:
        """The data-file key of this cell (``table3.withheld.state_secret.commercial``; a 表二 row of
        one value is ``table2.rules``): the inverse of ``cells_of_path``."""
        return ".".join(part for part in (self.table, self.row, self.column) if part)


def row_cells(table: str, row: str) -> tuple[Cell, ...]:
    """Every cell of one row, in the order the table prints them."""
    if table == "table3":
        return tuple(Cell(table, row, key) for key in (*TABLE3_COLUMN_KEYS, TOTAL_KEY))
    if table == "table4":
        return tuple(Cell(table, row, key) for key, _ in (*TABLE4_COLUMNS, (TOTAL_KEY, "")))
    if table == "table2" and row in _TABLE2_ROWS:
        return tuple(Cell(table, row, key) for key, _ in _TABLE2_ROWS[row][0].columns)
    return ()


def cells_of_path(path: str) -> tuple[Cell, ...]:
    """The cells of this year's tables a data-file path names: one for a cell
    (``table3.withheld.state_secret.commercial``), the whole row for a row (``table3.new``), none for
    anything else (fees, the year, last year's figures)."""
    head, _, rest = path.partition(".")
    if head not in ("table2", "table3", "table4") or not rest:
        return ()
    if head == "table3":
        for row in (rest, rest.rpartition(".")[0]):
            if row in TABLE3_ROW_BY_PATH:
                column = rest[len(row) + 1 :]
                return (Cell(head, row, column),) if column else row_cells(head, row)
        return ()
    row, _, column = rest.partition(".")
    cells = row_cells(head, row)
    if not column:
        return cells
    return tuple(c for c in cells if c.column == column)


def _strip_numbering(label: str) -> str:
    """``（三）不予公开`` → ``不予公开``; ``1.属于国家秘密`` → ``属于国家秘密``."""
    return re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", "", label)


# Official labels a user might type as a key, mapped to our key, for did-you-mean suggestions.
LABEL_TO_KEY: Final = {
    **{label: key for key, label in TABLE3_COLUMNS},
    TOTAL_LABEL: TOTAL_KEY,
    **{label: key for key, label in TABLE4_COLUMNS},
    **{label: key for key, label in TABLE4_BLOCKS},
    **{label: key for g in TABLE2_GROUPS for key, label in g.rows},
    **{label: key for g in TABLE2_GROUPS for key, label in g.columns if key},
    **{label: key for key, label in FACT_TOPICS},
    **{_strip_numbering(r.label): r.path.split(".")[-1] for r in TABLE3_ROWS},
    **{_strip_numbering(label): key for key, label in TABLE3_GROUPS.items()},
    "表二": "table2",
    "表三": "table3",
    "表四": "table4",
    "年度": "year",
    "机关": "agency",
}


# ---------------------------------------------------------------------------------------------
# Reading published reports (drafting.reading, drafting.checks): the older layout and wordings.

# 国办公开办函〔2019〕60号 年度报告格式（试行）: reports on 2019 and 2020, and reports of later years
# still printed in it (flagged, FORMAT.md §9).
FORMAT_NOTICE_2019: Final = "国办公开办函〔2019〕60号"
# The 2019 columns of items (五), (六) and (八): projects last year and the change this year.
_PROJECTS_2019: Final = (("last_year", "上一年项目数量"), ("change", "本年增/减"))
_PROJECTS_DECISIONS_2019: Final = (*_PROJECTS_2019, ("decisions", "处理决定数量"))
TABLE2_2019_GROUPS: Final = (
    _article20(
        "一",
        (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量")),
        (("rules", "规章"), ("normative", "规范性文件")),
    ),
    _article20(
        "五",
        _PROJECTS_DECISIONS_2019,
        (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")),
    ),
    _article20("六", _PROJECTS_DECISIONS_2019, (("penalty", "行政处罚"), ("coercion", "行政强制"))),
    _article20("八", _PROJECTS_2019, (("admin_fees", "行政事业性收费"),)),
    _article20(
        "九", (("projects", "采购项目数量"), ("amount", "采购总金额")), (("procurement", "政府集中采购"),)
    ),
)

# More heading wordings seen in real reports, equivalent to the official ones (FORMAT.md §1).
HEADING_VARIANTS_MORE: Final = {
    "四、因政府信息公开申请行政复议、提起行政诉讼的情况": "appeals",
    "四、政府信息公开行政复议、诉讼情况": "appeals",
    "五、政府信息公开工作存在的主要问题及改进情况": "problems_improvements",
    "五、存在的主要问题和改进情况": "problems_improvements",
    "三、收到和处理政府信息公开申请的情况": "requests",
    "二、主动公开政府信息的情况": "proactive",
}


# --- 落款 and the deadline (条例第四十九条、第五十条) ------------------------------------------------

# The day of the year after the report's year by which it is due: a department's report by 31
# January (to the government's 政府信息公开工作主管部门, which publishes it), a government's own by
# 31 March.
DEADLINES: Final = {"部门": (1, 31), "本级政府": (3, 31)}
_GOVERNMENT: Final = re.compile(r"(?:省|市|县|区|州|盟|旗)人民政府(?:办公厅|办公室)?$")


def agency_kind(name: str, kind: str | None) -> tuple[str, bool]:
    """The agency's kind for its deadline, and whether it was guessed: as given, else 本级政府 for
    a government at county level or above (``…县人民政府``), else 部门."""
    if kind is not None:
        return kind, False
    stripped = re.sub(r"\s", "", name)
    is_government = _GOVERNMENT.search(stripped) is not None and not stripped.endswith(("办公厅", "办公室"))
    return ("本级政府" if is_government else "部门"), True


def deadline(year: int, kind: str) -> tuple[int, int, int]:
    """(year, month, day) by which the report of ``year`` is due for an agency of ``kind``."""
    month, day = DEADLINES[kind]
    return year + 1, month, day


def signature_date(published: object) -> str:
    """A date as the 落款 writes it: 2025年1月20日."""
    y, m, d = (getattr(published, a) for a in ("year", "month", "day"))
    return f"{y}年{m}月{d}日"
