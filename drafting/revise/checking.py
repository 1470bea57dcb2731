"""The checks a revision runs after every change: the check library's ``check_section`` on the
section's text, and two of our own — a pinned sentence that went missing, and the numbers a change
introduced that the data does not support (the finding that matters most, shown first). "New" means
not found before the change.

Every finding is the check library's one ``Finding``; what revision adds — whether the change
brought it, whether it is about numbers, how to recognise it across an edit — lives on
``RevisionFinding``, which holds a finding rather than copying it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from .. import pins
from ..checks import Finding, check_section
from ..checks.finding import Category, HoldsFinding, fingerprint, identity
from ..data.model import ReportData
from ..errors import Severity
from ..figures import bindable_numbers, numbers_in

NUMBER_RULE = "NUM"  # a number the change introduced that the data does not support
PIN_RULE = "PIN"  # a pinned sentence is missing
PIN_RESTORED_RULE = "PIN+"  # a pinned sentence the model dropped, put back
_QUOTED = re.compile(r"“[^“”]*”")  # not across another “: linear in a long message


@dataclass(frozen=True)
class RevisionFinding(HoldsFinding):
    """A finding on a revised section, and whether the change brought it."""

    finding: Finding
    new: bool = False  # not there before the change

    @property
    def about_numbers(self) -> bool:
        """A number the data does not support, or one that contradicts its label (N0-N4)."""
        return self.rule == NUMBER_RULE or re.fullmatch(r"N\d", self.rule) is not None

    @property
    def key(self) -> tuple[str, str]:
        """What identifies a finding across an edit: quoted context and paragraph numbers change
        when the text around it does, so they are left out (the fingerprint keeps the paragraph)."""
        return self.rule, _QUOTED.sub("“”", self.message)

    def with_message(self, message: str) -> RevisionFinding:
        return replace(self, finding=replace(self.finding, message=message))


def _own(
    rule: str,
    category: Category,
    severity: Severity,
    message: str,
    evidence: str,
    section: str,
    data: ReportData,
) -> Finding:
    """A finding of revision's own (NUM, PIN, PIN+), fingerprinted like the library's."""
    place = f"section:{section}/{rule}:{evidence}"
    report = identity(data.agency.name, data.year)
    return Finding(rule, category, severity, message, "", evidence, (), fingerprint(rule, report, place))


def check_text(section: str, paragraphs: Sequence[str], data: ReportData) -> list[Finding]:
    """The check library's findings on one section's text."""
    return check_section(section, list(paragraphs), data)


def _number(n: Decimal) -> str:
    return format(n.normalize(), "f")


def unsupported_numbers(
    before: Sequence[str], after: Sequence[str], data: ReportData, allowed: set[Decimal] | None = None
) -> list[str]:
    """Numbers in ``after`` that ``before`` did not state and the data does not support."""
    allowed = bindable_numbers(data) if allowed is None else allowed
    old = set(numbers_in("\n".join(before)))
    found = numbers_in("\n".join(after))
    return list(dict.fromkeys(_number(n) for n in found if n not in old and n not in allowed))


def section_findings(
    section: str, paragraphs: Sequence[str], data: ReportData, pinned: Sequence[str]
) -> list[RevisionFinding]:
    """Every finding on a section as it stands: the checks, and pinned sentences gone missing."""
    out = [RevisionFinding(f) for f in check_text(section, paragraphs, data)]
    for pin in pins.missing(pinned, paragraphs):
        message = f"固定的句子“{pin}”不在本节中：请放回原文，或先取消固定（unpin）"
        out.append(RevisionFinding(_own(PIN_RULE, "revision", "error", message, pin, section, data)))
    return out


def _mentions(message: str, number: str) -> bool:
    """The message names ``number`` itself, not merely quotes text that contains it."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d.])", _QUOTED.sub("", message)) is not None


def change_findings(
    section: str,
    before: Sequence[str],
    after: Sequence[str],
    data: ReportData,
    pinned: Sequence[str],
    *,
    instruction: str = "",
    restored: Sequence[str] = (),
) -> list[RevisionFinding]:
    """The findings on ``after``, those the change brought marked ``new``. New findings about
    numbers come first: a number the data does not support is what a revision must never bring."""
    old = {f.key for f in section_findings(section, before, data, pinned)}
    findings = [replace(f, new=f.key not in old) for f in section_findings(section, after, data, pinned)]
    given = [_number(n) for n in numbers_in(instruction)]
    caught = [f for f in findings if f.new and f.about_numbers]
    for number in unsupported_numbers(before, after, data):
        if any(_mentions(f.message, number) for f in caught):
            continue  # the check library already named it, with its label
        message = f"修订引入了数据文件中没有的数字 {number}：表格和数字以数据文件为准，请核对"
        own = _own(NUMBER_RULE, "consistency", "error", message, number, section, data)
        findings.append(RevisionFinding(own, new=True))
    out = []
    for f in findings:
        if f.new and f.about_numbers and any(_mentions(f.message, n) for n in given):
            f = f.with_message(f.message + "（该数字来自您的修改要求）")
        out.append(f)
    out += [
        RevisionFinding(
            _own(
                PIN_RESTORED_RULE,
                "revision",
                "warning",
                f"修订删改了固定的句子“{pin}”，已按原文放回，请看是否通顺",
                pin,
                section,
                data,
            ),
            new=True,
        )
        for pin in restored
    ]
    return sorted(out, key=lambda f: (not f.new, not (f.about_numbers and f.is_error), not f.is_error))
