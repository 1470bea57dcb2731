"""Fixtures for the publishable outputs (docx, html, pdf) and the Excel template: a report with a
number in most cells, a fixed narrative, and golden-file plumbing.

The narrative is pinned here rather than taken from the offline drafter, so that the goldens change
only when a writer (or the official table layout) changes. Regenerate the goldens after an intended
change with::

    UPDATE_GOLDEN=1 python -m pytest tests/test_docx.py tests/test_html.py

and review the diff of ``tests/golden/`` before committing it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from drafting import official
from drafting.data import Loaded, validate_raw
from drafting.document import Draft
from drafting.draft import draft_report

GOLDEN = Path(__file__).parent / "golden"
AGENCY = "示例市示例局"
NOW = dt.datetime(2025, 1, 10, 8, 30, tzinfo=dt.UTC)


def sample_raw() -> dict[str, Any]:
    """A 2024 report with figures in most cells. Per column: 一 + 二 = （七） + 四 (H2)."""

    def row(values: list[int]) -> dict[str, int]:
        return dict(zip(official.TABLE3_COLUMN_KEYS, values, strict=True))

    zero = row([0] * 6)
    new = [8 + i for i in range(6)]
    carried = [i % 2 for i in range(6)]
    other = [n + c - 6 for n, c in zip(new, carried, strict=True)]  # what the fixed results leave
    table3: dict[str, Any] = {
        "new": row(new),
        "carried_over": row(carried),
        "disclosed": row([2] * 6),
        "partial": row([1] * 6),
        "withheld": {
            k: zero
            for k in (
                "state_secret",
                "prohibited_by_law",
                "three_safety",
                "third_party",
                "internal_affairs",
                "enforcement_files",
                "query_matters",
            )
        }
        | {"process_info": row([1] * 6)},
        "unable": {"not_held": row([1] * 6), "needs_creation": zero, "unclear": zero},
        "not_processed": {
            k: zero for k in ("petition", "repeated", "publications", "mass_repeated", "confirm_reissue")
        },
        "other_handling": {"overdue_correction": zero, "overdue_fee": zero, "other": row(other)},
        "carry_forward": row([1] * 6),
    }
    return {
        "agency": {"name": AGENCY, "self_reference": "我局", "website": "https://example.gov.cn/?a=1&b=2"},
        "year": 2024,
        "published": dt.date(2025, 1, 20),
        "table2": {
            "rules": {"issued": 1, "repealed": 0, "in_force": 5},
            "normative": {"issued": 12, "repealed": 3, "in_force": 40},
            "licensing": 320,
            "penalty": 45,
            "coercion": 2,
            "admin_fees": Decimal("12.5"),
        },
        "table3": table3,
        "table4": {
            "review": {"upheld": 3, "corrected": 1, "other": 0, "pending": 1},
            "litigation_direct": {"upheld": 1, "corrected": 0, "other": 1, "pending": 0},
            "litigation_after_review": {"upheld": 0, "corrected": 1, "other": 0, "pending": 0},
        },
        "fees": {"notices": 1, "billed": 100, "collected": 100},
        "facts": {"active": ["通过门户网站主动公开政府信息120条"], "other": []},
    }


def sample_loaded() -> Loaded:
    return validate_raw(sample_raw(), "sample")


# The narrative, fixed: a run-in heading, a 【待补充】 gap, and text that HTML must escape.
_PARAGRAPHS = {
    "overview": [
        "2024年，我局坚持以公开为常态、不公开为例外，依法做好政府信息公开工作。",
        "（一）主动公开。2024年，我局制发行政规范性文件12件，现行有效40件。",
        "（二）依申请公开。【待补充：依申请公开的工作流程】2024年，我局新收政府信息公开申请63件。",
    ],
    "problems": ["一是政策解读形式较为单一；二是队伍建设不足。"],
    "improvements": ["2025年，我局将丰富图解、视频等解读形式。"],
    "other": ["发出收费通知1件，收取信息处理费100元。网址 https://example.gov.cn/?a=1&b=2 <测试>。"],
}
PREAMBLE = "本报告根据《中华人民共和国政府信息公开条例》编制。统计期限自2024年1月1日起至2024年12月31日止。"


def sample_draft() -> Draft:
    draft = draft_report(sample_loaded(), now=NOW)
    sections = [s.model_copy(update={"paragraphs": _PARAGRAPHS[s.id]}) for s in draft.sections]
    return draft.model_copy(update={"preamble": [PREAMBLE], "sections": sections})


# --- golden files ---------------------------------------------------------------------------------


def check_golden(name: str, actual: str) -> None:
    """Compare ``actual`` with ``tests/golden/<name>``; with UPDATE_GOLDEN=1, write it instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.is_file(), f"missing golden {path}: run UPDATE_GOLDEN=1 python -m pytest {name}"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            list(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    actual.splitlines(keepends=True),
                    f"golden/{name}",
                    "actual",
                )
            )[:80]
        )
        raise AssertionError(f"{name} differs from its golden (UPDATE_GOLDEN=1 to accept):\n{diff}")


def docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def pretty_xml(data: bytes) -> str:
    """An XML part re-indented for readable diffs, with volatile bits (dates) normalised."""
    from lxml import etree

    root = etree.fromstring(data)
    text: str = etree.tostring(root, pretty_print=True, encoding="unicode")
    return re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", r"\1DATE", text)
