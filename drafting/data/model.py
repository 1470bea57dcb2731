"""The report's data (2021 format) as pydantic models: the shape and types of every cell.

Shape and type errors (missing or unknown keys, negatives, wrong types) come from pydantic here;
the cross-sum rules (勾稽关系) are plain functions in ``rules.py`` so that each can name its cell in
official terms. Totals are optional inputs: when a file gives one we check it, otherwise we derive it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from .. import official
from ..chars import char_name, unwritable

# Strict: a count is a whole number written as a number. "5", 5.0 and true are refused, so a typo
# in the data file is reported instead of silently coerced. No count of a report reaches a billion,
# and a larger number would not fit a table's cell.
MAX_COUNT = 999_999_999
Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]
# Money may carry decimals (万元 in 表二, 元 for fees); never negative, never beyond a trillion.
Money = Annotated[Decimal, Field(ge=0, le=Decimal("1e12"), allow_inf_nan=False)]


def _writable(text: str) -> str:
    """Refuse what no document can hold (python-docx refuses it at the last step, after the
    author was told the data was valid): said here, at its line, with the character's code."""
    bad = unwritable(text)
    if bad is not None:
        raise ValueError(
            f"含有看不见的控制字符（{char_name(bad)}），文档中无法写入：请删去该字符后重新输入这段文字"
        )
    return text


_LONG_NUMBER = re.compile(r"[0-9０-９]{31,}")


def _plausible_numbers(text: str) -> str:
    """A number longer than any count, amount, phone or file number (30 digits) is a slip or an
    attack; every check would carry it through the report."""
    m = _LONG_NUMBER.search(text)
    if m:
        raise ValueError(f"含有一个 {len(m.group())} 位的数字，位数太多，不可能是报告中的数字：请核对")
    return text


# Text of at most so many characters (what the Word file's properties and a page's title can hold),
# without control characters.
_Writable = AfterValidator(_writable)
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), _Writable]
# The agency's full name: the title, and the Word file's author (which holds at most 255).
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), _Writable]
# The self-reference (我局) and the short name.
Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), _Writable]
# One of the author's facts: a sentence or a paragraph.
Fact = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=5000),
    _Writable,
    AfterValidator(_plausible_numbers),
]
MAX_FACTS = 200  # per topic


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- Agency ----------------------------------------------------------------------------------


class Contact(Strict):
    address: Text | None = None
    postcode: Text | None = None
    phone: Text | None = None
    email: Text | None = None


# What the agency is, for its deadline (条例第四十九条、第五十条): a government's department sends its
# report by 31 January; a government publishes its own by 31 March (``official.deadline``).
AgencyKind = Literal["部门", "本级政府"]
AGENCY_KINDS: Final = get_args(AgencyKind)  # offered as a list where the kind is typed


class Agency(Strict):
    name: Name  # full name, as in the title
    self_reference: Short = "我局"  # how the text refers to the agency: 我局 / 本机关 / 我镇 …
    short_name: Short | None = None  # e.g. 地区绿产局
    website: Text | None = None  # where the electronic copy can be downloaded
    contact: Contact | None = None
    kind: AgencyKind | None = None  # 部门 / 本级政府; guessed from the name when absent
    # The framing real reports open 总体情况 with (在县委、县政府的正确领导下): written as given, so
    # the author says whose leadership; left out when not given.
    leadership: Short | None = None


# --- 表二 ------------------------------------------------------------------------------------


class DocumentCounts(Strict):
    issued: Count  # 本年制发件数
    repealed: Count  # 本年废止件数
    in_force: Count  # 现行有效件数


class Table2(Strict):
    rules: DocumentCounts  # 规章
    normative: DocumentCounts  # 行政规范性文件
    licensing: Count  # 行政许可 本年处理决定数量
    penalty: Count  # 行政处罚
    coercion: Count  # 行政强制
    admin_fees: Money  # 行政事业性收费 本年收费金额（万元）


# --- 表三 ------------------------------------------------------------------------------------


class ApplicantRow(Strict):
    """One row of 表三: the six applicant columns, and optionally the 总计 the file states."""

    natural: Count
    commercial: Count
    research: Count
    social: Count
    legal: Count
    other: Count
    total: Count | None = None  # checked against the sum when given (H1)

    def values(self) -> tuple[int, ...]:
        return tuple(getattr(self, k) for k in official.TABLE3_COLUMN_KEYS)

    @property
    def sum(self) -> int:
        return sum(self.values())

    @property
    def legal_persons(self) -> int:
        """法人或其他组织: the five columns other than 自然人."""
        return self.sum - self.natural


class Withheld(Strict):  # （三）不予公开
    state_secret: ApplicantRow
    prohibited_by_law: ApplicantRow
    three_safety: ApplicantRow
    third_party: ApplicantRow
    internal_affairs: ApplicantRow
    process_info: ApplicantRow
    enforcement_files: ApplicantRow
    query_matters: ApplicantRow


class Unable(Strict):  # （四）无法提供
    not_held: ApplicantRow
    needs_creation: ApplicantRow
    unclear: ApplicantRow


class NotProcessed(Strict):  # （五）不予处理
    petition: ApplicantRow
    repeated: ApplicantRow
    publications: ApplicantRow
    mass_repeated: ApplicantRow
    confirm_reissue: ApplicantRow


class OtherHandling(Strict):  # （六）其他处理
    overdue_correction: ApplicantRow
    overdue_fee: ApplicantRow
    other: ApplicantRow


class Table3(Strict):
    new: ApplicantRow
    carried_over: ApplicantRow
    disclosed: ApplicantRow
    partial: ApplicantRow
    withheld: Withheld
    unable: Unable
    not_processed: NotProcessed
    other_handling: OtherHandling
    results_total: ApplicantRow | None = None  # （七）总计; derived when absent, checked when given (H3)
    carry_forward: ApplicantRow

    def row(self, path: str) -> ApplicantRow | None:
        """The row at a dotted path of ``official.TABLE3_ROWS``."""
        node: object = self
        for part in path.split("."):
            node = getattr(node, part)
        return node if isinstance(node, ApplicantRow) else None


# --- 表四 ------------------------------------------------------------------------------------


class Outcomes(Strict):
    upheld: Count  # 结果维持
    corrected: Count  # 结果纠正
    other: Count  # 其他结果
    pending: Count  # 尚未审结
    total: Count | None = None  # 总计; checked when given (H4)

    @property
    def sum(self) -> int:
        return self.upheld + self.corrected + self.other + self.pending


class Table4(Strict):
    review: Outcomes  # 行政复议
    litigation_direct: Outcomes  # 行政诉讼 未经复议直接起诉
    litigation_after_review: Outcomes  # 行政诉讼 复议后起诉


# --- Section 六 and the author's facts ---------------------------------------------------------


class Fees(Strict):
    notices: Count  # 发出政府信息公开收费通知件数
    billed: Money  # 应收信息处理费（元）
    collected: Money  # 实收信息处理费（元）


FactList = Annotated[list[Fact], Field(max_length=MAX_FACTS)] | None


class Facts(Strict):
    """Short statements per topic. ``None`` (not given) leaves a 【待补充】 marker in the draft;
    an empty list says the author has nothing to add."""

    active: FactList = None  # 主动公开
    on_request: FactList = None  # 依申请公开
    management: FactList = None  # 政府信息管理
    platforms: FactList = None  # 平台建设
    oversight: FactList = None  # 监督保障
    problems: FactList = None  # 存在问题
    improvements: FactList = None  # 改进措施
    other: FactList = None  # 其他事项

    def get(self, topic: str) -> list[str] | None:
        value: list[str] | None = getattr(self, topic)
        return value


class PreviousMeasure(Strict):
    """One of last year's improvement measures and what became of it this year (the author's words;
    without ``result`` the draft asks for it with a 【待补充】 marker)."""

    measure: Fact
    result: Fact | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain(cls, value: Any) -> Any:
        # A measure written as a plain line (as ``init --from`` copies it) has no result yet.
        return {"measure": value} if isinstance(value, str) else value


class PreviousYear(Strict):
    """Last year: its figures, for carry-over (C1, C2) and year-on-year wording, and the problems and
    measures its report named, for this year's 五 to answer (``init --from`` copies them). All optional."""

    year: int
    table2: Table2 | None = None
    table3: Table3 | None = None
    table4: Table4 | None = None
    problems: FactList = None  # 上年报告的存在问题
    measures: Annotated[list[PreviousMeasure], Field(max_length=MAX_FACTS)] | None = None  # 上年改进措施

    def texts(self) -> list[str]:
        """Last year's problems, measures and their results: the author's words the 改进措施 may
        restate (a source for the checks, as facts are)."""
        out = list(self.problems or [])
        for m in self.measures or []:
            out += [m.measure, *([m.result] if m.result else [])]
        return out


class ReportData(Strict):
    agency: Agency
    year: Annotated[int, Field(strict=True, ge=2000, le=2100)]
    published: dt.date | None = None
    table2: Table2
    table3: Table3
    table4: Table4
    fees: Fees
    facts: Facts = Facts()
    previous: PreviousYear | None = None

    def as_previous(self) -> dict[str, Any]:
        """This year's data reduced to what next year's ``previous`` holds."""
        return self.model_dump(mode="python", include={"year", "table2", "table3", "table4"})

    def carried_forward(self) -> tuple[list[str], list[str]]:
        """This year's problems and improvement measures, which next year's 五 answers (issue 14:
        ``init --from`` keeps them in ``previous``)."""
        return list(self.facts.problems or []), list(self.facts.improvements or [])

    @property
    def self_reference(self) -> str:
        return self.agency.self_reference

    @property
    def title(self) -> str:
        return official.report_title(self.agency.name, self.year)
