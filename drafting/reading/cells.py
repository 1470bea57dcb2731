"""A table row as the reader read it — its values and the status of each cell — and what the reader
noticed and could not settle itself (``ReadingNotice``): the vocabulary ``rows`` and ``tables`` share.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, Protocol

from ..errors import Severity
from ..official import Cell

Value = int | Decimal | None
# ``ok`` read as printed (or split and confirmed by the sums); ``blank`` / ``na`` printed empty or "/";
# ``missing`` no cell there; ``derived`` a total the reader worked out; ``raw`` digits it could not
# split; ``guess`` a split chosen among several the sums allow; ``unconfirmed`` numbers it could not
# tie to this row with certainty (the value is withheld: ``None``).
Status = Literal["ok", "blank", "na", "missing", "derived", "raw", "guess", "unconfirmed"]
UNSURE: tuple[Status, ...] = ("raw", "guess", "unconfirmed")  # cells not read with confidence
OTHER_HANDLING_2019 = "other_handling"  # the single （六）其他处理 row of the 2019 format
READ = "READ"  # the rule of notices about what the reader could not locate or confirm


@dataclass(frozen=True)
class ReadingNotice:
    """Something the reader noticed in a table and could not settle itself: digits run together that
    it split by guess or could not split, a 总计 it had to work out, a row label that is not the
    official one.

    Not a finding yet, and kept apart from one on purpose: the reader sits below the check library
    and knows no rule catalogue, no report identity and no fingerprint. The check library decides
    what a notice becomes (``checks.tables.reading_notices`` reports each one as a finding, once
    last year's figures have had the chance to settle a split), and ``drafting import`` lists the
    notices for the author to check by hand. ``rule`` is the id the check will report it under."""

    rule: str
    severity: Severity
    message: str
    location: str
    evidence: str  # the digits or the label as printed
    cells: tuple[Cell, ...] = ()  # the cells it concerns, by the ids of ``official``
    place: str = ""  # where it stands when no cell says (a row label), for fingerprints


@dataclass
class Row:
    values: list[Value]
    status: list[Status]
    line: int | None = None
    para: int | None = None
    raw: str = ""  # the digits as printed, when they were run together
    page: int | None = None  # the PDF page the row is on

    def where(self) -> str:
        return "" if (where := row_where(self)) == "表格中" else where


def row_where(row: Placed) -> str:
    """Where a row stands, in the source's own terms: its line, its PDF page, its paragraph."""
    if row.line is not None:
        return f"第{row.line}行"
    if row.page is not None:
        return f"第{row.page}页"
    if row.para is not None:
        return f"第{row.para}段"
    return "表格中"


class Placed(Protocol):
    """Anything that stands somewhere in the source: a line, a PDF page, a paragraph."""

    line: int | None
    page: int | None
    para: int | None
