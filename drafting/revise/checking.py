"""The checks a revision runs after every change, behind one function (``check_text``), so the
check library can be swapped without touching the session.

Besides the check library's findings, two of our own: a pinned sentence that went missing, and
the numbers a change introduced that the data does not support (the finding that matters most,
shown first). "New" means not found before the change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from .. import pins
from ..data.model import ReportData
from ..figures import bindable_numbers, numbers_in

Severity = Literal["error", "warning"]
NUMBER_RULE = "NUM"  # a number the change introduced that the data does not support
PIN_RULE = "PIN"  # a pinned sentence is missing
PIN_RESTORED_RULE = "PIN+"  # a pinned sentence the model dropped, put back


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message: str  # Chinese: what is wrong and what to do
    location: str = ""
    new: bool = False  # not there before the change

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def about_numbers(self) -> bool:
        """A number the data does not support, or one that contradicts its label (N0-N4)."""
        return self.rule == NUMBER_RULE or re.fullmatch(r"N\d", self.rule) is not None

    @property
    def key(self) -> tuple[str, str]:
        """What identifies a finding across edits: quoted context and paragraph numbers change
        when text around it does, so they are left out."""
        return self.rule, _QUOTED.sub("“”", self.message)

    def render(self) -> str:
        where = f"（{self.location}）" if self.location else ""
        return f"{'错误' if self.is_error else '提示'}［{self.rule}］{where}{self.message}"


_QUOTED = re.compile(r"“[^”]*”")

Check = Callable[[str, list[str], ReportData], list[Finding]]


def _library_check() -> Check:
    """The check library's ``check_section`` when it is there, else the minimal narrative check."""
    try:
        from ..checks import check_section as library
    except ImportError:  # pragma: no cover - the library ships with the package
        from ..narrative import check_section as minimal

        def fallback(section: str, paragraphs: list[str], data: ReportData) -> list[Finding]:
            return [Finding(f.code, "error", f.message) for f in minimal(section, paragraphs, data)]

        return fallback

    def checked(section: str, paragraphs: list[str], data: ReportData) -> list[Finding]:
        return [
            Finding(f.rule, f.severity, f.message, f.location) for f in library(section, paragraphs, data)
        ]

    return checked


_CHECK: Check | None = None


def check_text(section: str, paragraphs: Sequence[str], data: ReportData) -> list[Finding]:
    """The check library's findings on one section's text."""
    global _CHECK
    if _CHECK is None:
        _CHECK = _library_check()
    return _CHECK(section, list(paragraphs), data)


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
) -> list[Finding]:
    """Every finding on a section as it stands: the checks, and pinned sentences gone missing."""
    out = check_text(section, paragraphs, data)
    for pin in pins.missing(pinned, paragraphs):
        out.append(
            Finding(
                PIN_RULE,
                "error",
                f"固定的句子“{pin}”不在本节中：请放回原文，或先取消固定（unpin）",
            )
        )
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
) -> list[Finding]:
    """The findings on ``after``, those the change brought marked ``new``. New findings about
    numbers come first: a number the data does not support is what a revision must never bring."""
    old = {f.key for f in section_findings(section, before, data, pinned)}
    findings = [replace(f, new=f.key not in old) for f in section_findings(section, after, data, pinned)]
    given = [_number(n) for n in numbers_in(instruction)]
    caught = [f for f in findings if f.new and f.about_numbers]
    for number in unsupported_numbers(before, after, data):
        if any(_mentions(f.message, number) for f in caught):
            continue  # the check library already named it, with its label
        findings.append(
            Finding(
                NUMBER_RULE,
                "error",
                f"修订引入了数据文件中没有的数字 {number}：表格和数字以数据文件为准，请核对",
                new=True,
            )
        )
    out = []
    for f in findings:
        if f.new and f.about_numbers and any(_mentions(f.message, n) for n in given):
            f = replace(f, message=f.message + "（该数字来自您的修改要求）")
        out.append(f)
    out += [
        Finding(
            PIN_RESTORED_RULE,
            "warning",
            f"修订删改了固定的句子“{pin}”，已按原文放回，请看是否通顺",
            new=True,
        )
        for pin in restored
    ]
    return sorted(out, key=lambda f: (not f.new, not (f.about_numbers and f.is_error), not f.is_error))
