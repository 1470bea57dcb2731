"""Helpers for the check-library tests: clean reports in any layout, and findings by rule."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from drafting.checks import Finding, run_checks
from drafting.data.model import ReportData
from drafting.document import Draft
from drafting.evaluation.synthetic import Page, expected_cells, make_draft, page_of, random_data, render_page
from drafting.reading import Report, read_report, read_text

from .conftest import EXAMPLES, SHARED

REFERENCE_TEXT = SHARED / "reference" / "2023-daxinganling-green-products-bureau.txt"
CORPUS = SHARED / "corpus"
# Our own page in the reference report's layout, and our example with a real report's figures:
# what the tests of the shared files cover, without them (tests/fixtures/README.md).
REFERENCE_LAYOUT = Path(__file__).parent / "fixtures" / "reference-layout-2023.txt"
REAL_FIGURES = EXAMPLES / "pingtan-2021.yaml"  # the figures of real-003, in a data file of ours
needs_reference = pytest.mark.skipif(
    not REFERENCE_TEXT.is_file(),
    reason=f"the shared reference report is not beside this checkout: {REFERENCE_TEXT}",
)
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared corpus is not beside this checkout: {CORPUS}"
)
DEFECTS = EXAMPLES.parent / "evals" / "defects"
BUSY_SEED = 5  # random_data(5): applications in every group, 表四 cases, carry-over


@cache
def busy() -> tuple[ReportData, Draft]:
    data = random_data(BUSY_SEED)
    return data, make_draft(data)


def busy_page() -> Page:
    return page_of(busy()[1])


def text_of(page: Page, layout: str = "txt") -> str:
    out = render_page(page, layout)
    assert isinstance(out, str)
    return out


def read(text: str, layout: str = "txt") -> Report:
    kind = "md" if layout == "md" else "html" if layout == "html" else "txt"
    return read_text(text, kind)


def findings_of(text: str, layout: str = "txt", data: ReportData | None = None) -> list[Finding]:
    return run_checks(read(text, layout), data)


def rules(findings: Iterable[Finding], severity: str | None = None) -> set[str]:
    return {f.rule for f in findings if severity is None or f.severity == severity}


def errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.is_error]


def cells_json(page: Page) -> dict[str, Any]:
    return json.loads(json.dumps(expected_cells(page), default=str))


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def read_file(path: Path) -> Report:
    return read_report(path)


def handwritten(data: ReportData | None = None) -> str:
    """A complete report as page text, its narrative written here by hand (not by the drafter) from
    the figures of ``data``, its tables tab-separated as published pages print them."""
    from drafting.figures import compute, group_total
    from drafting.tables import build_tables, render_text

    data = data or busy()[0]
    f = compute(data)
    y = data.year
    n = data.table2.normative
    t = build_tables(data)
    review = f.review
    return "\n".join(
        [
            data.title,
            "",
            "　　本报告根据《中华人民共和国政府信息公开条例》编制，由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
            "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六个部分组成。"
            f"本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。",
            "",
            "一、总体情况",
            f"　　{y}年，我局坚持以公开为常态、不公开为例外，扎实推进政府信息公开工作。",
            f"　　（一）主动公开。{y}年，我局制发行政规范性文件{n.issued}件，废止{n.repealed}件，现行有效行政规范性文件{n.in_force}件。",
            f"　　（二）依申请公开。{y}年，我局新收政府信息公开申请{f.new}件，上年结转{f.carried_over}件，合计办理{f.handled}件。"
            f"全年办结{f.concluded}件，其中予以公开{f.groups['disclosed']}件、部分公开{f.groups['partial']}件、"
            f"不予公开{group_total(data.table3, 'withheld')}件。结转下年度继续办理{f.carry_forward}件。"
            f"全年被申请政府信息公开行政复议{review['total']}件（结果纠正{review['corrected']}件、其他结果{review['other']}件）；"
            "未发生政府信息公开行政诉讼案件。",
            "　　（三）政府信息管理。一是严格公开前保密审查；二是落实三级审核制度。",
            "　　（四）政府信息公开平台建设。以政府网站为第一平台，优化政府信息公开专栏。",
            "　　（五）监督保障。将政务公开纳入年度绩效考核。",
            "",
            "二、主动公开政府信息情况",
            render_text(t["table2"]),
            "",
            "三、收到和处理政府信息公开申请情况",
            render_text(t["table3"]),
            "",
            "四、政府信息公开行政复议、行政诉讼情况",
            render_text(t["table4"]),
            "",
            "五、存在的主要问题及改进情况",
            "（一）存在的主要问题",
            f"　　{y}年，我局政府信息公开工作还存在一些不足：一是政策解读形式较为单一；二是队伍不够稳定。",
            "（二）改进措施",
            f"　　{y + 1}年，我局将重点做好以下工作：一是丰富解读形式；二是加强业务培训。",
            "",
            "六、其他需要报告的事项",
            f"　　{y}年，我局发出政府信息公开收费通知{data.fees.notices}件，应收信息处理费{data.fees.billed}元，未实际收取信息处理费。",
            "",
        ]
    )


def table_line(text: str, label: str) -> str:
    """The whole line of a tab-separated table row whose label contains ``label``."""
    return next(line for line in text.splitlines() if label in line and "\t" in line)


def replace_cell(line: str, index: int, value: str) -> str:
    """The tab-separated ``line`` with its ``index``-th number cell (0 = first) replaced."""
    cells = line.split("\t")
    numbers = [n for n, c in enumerate(cells) if c.strip().isdigit()]
    cells[numbers[index]] = value
    return "\t".join(cells)
