"""Findings, the context every check reads, and the registry of checks.

A check is a small function ``Context -> Iterable[Finding]`` registered with a name and a scope:
``document`` checks need the whole report (headings, tables); ``narrative`` checks read paragraphs
only, so they also run on a single section's text (the revision loop, the model-output validator).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..data.model import ReportData
from ..errors import Severity
from ..reading.model import Paragraph, Report

Category = Literal["structure", "table", "consistency", "year", "register", "data"]

# Every rule id a finding can carry, with what it guards. Suites and tools that name rules (the eval
# harness's ``passes: [N1]``) are held to this list, so a typo is refused rather than always passing;
# a test keeps it in step with the ids the checks actually emit.
RULES: dict[str, str] = {
    "S1": "六个一级标题齐全且顺序正确",
    "S2": "一级标题的写法（已知变体可接受，错字提示）",
    "S3": "必备的表格及其官方标签",
    "S4": "引言写明统计期限",
    "S5": "一、总体情况的五个小节",
    "S6": "引言所说的部分数与实际标题一致",
    "S7": "正文节不为空",
    "H1": "表三各行总计等于六类申请人之和",
    "H2": "表三每列：一加二等于三（七）加四",
    "H3": "表三（七）总计等于各项办理结果之和",
    "H4": "表四各栏总计等于四项之和",
    "H5": "表格单元格为不小于0的整数，不留空",
    "C1": "上年结转等于上年结转下年度",
    "C2": "现行有效件数与上年衔接",
    "P1": "县级及以下机关不应填写规章",
    "P2": "表格格式与报告年度相符",
    "F1": "六、其他需要报告的事项说明信息处理费情况",
    "F2": "逾期未缴费不再处理的件数不多于收费通知件数",
    "F3": "收取信息处理费须有收费通知",
    "N0": "正文中的数字能在数据中找到依据",
    "N1": "申请数量的口径（新收、办理、办结、结转）与表三一致",
    "N2": "办理结果的分项数与表三一致",
    "N3": "“未收到”“均获维持”“均已办结”等说法与数据相符",
    "N4": "规范性文件等数字与表二一致",
    "D1": "文档中的表格与数据文件一致",
    "D2": "文档中的机关与数据文件一致",
    "Y1": "标题、统计期限和正文的年份一致",
    "Y2": "正文中没有过时的年份",
    "Y3": "改进措施针对下一年度",
    "R1": "没有遗留的【待补充】或 XXX",
    "R2": "没有 Markdown 标记",
    "R3": "中文句子使用全角标点",
    "R4": "“一是、二是……”顺序正确",
    "R5": "序号写作（一）而不是 (1) 或 一)",
}
Scope = Literal["document", "narrative"]
CATEGORIES: tuple[Category, ...] = ("structure", "table", "consistency", "year", "register", "data")
CATEGORY_LABELS: dict[str, str] = {
    "structure": "结构",
    "table": "表格勾稽",
    "consistency": "正文与数据一致性",
    "year": "年份",
    "register": "文字规范",
    "data": "数据文件",
}


@dataclass(frozen=True)
class Finding:
    rule: str
    category: Category
    severity: Severity
    message: str  # Chinese: what is wrong and what to fix
    location: str  # where, in the report's own terms

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "message": self.message,
            "location": self.location,
        }


@dataclass
class Context:
    """What the checks read: the report, and the figures it is held to."""

    report: Report
    data: ReportData | None  # the author's data (a data file, or the data a draft was written from)
    doc: ReportData | None  # the document's own tables as data (stated totals kept)
    year: int | None
    blanks: dict[str, set[str]] = field(default_factory=dict)  # table3 row path → columns left blank
    strict_numbers: bool = False  # every number must bind (model output), not only labelled ones
    doc_extra_numbers: set[Decimal] = field(default_factory=set)  # 2019 表二 cells and the like

    @property
    def figures(self) -> ReportData | None:
        """The figures the narrative must agree with: the data when given, else the tables."""
        return self.data if self.data is not None else self.doc

    def paragraphs(self, part: str | None = None) -> list[Paragraph]:
        if part is None:
            return self.report.narrative()
        return self.report.part_paragraphs(part)


CheckFn = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    category: Category
    scope: Scope
    fn: CheckFn


CHECKS: dict[str, CheckSpec] = {}


def check(name: str, category: Category, scope: Scope = "document") -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        CHECKS[name] = CheckSpec(name, category, scope, fn)
        return fn

    return register
