"""A reviewed report as every output shows it: its findings with the reviewer's decisions applied,
and the counts that rank it — errors and warnings not dismissed, 内容雷同 (Y4) not dismissed.

And the totals of the whole review, gathered one report at a time as the outputs stream: what was
found and read, what could not be read and why, the rules most often broken and in how many reports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..checks.registry import rule_of
from .decisions import CONFIRM, DISMISS, Decision
from .examine import FAILED, READ, UNREADABLE
from .run import Item

SIMILAR_RULE = "Y4"  # 内容雷同
# What the reader says of its own reading (rows it tied back by order, parts it could not locate): for
# the reviewer, on the dashboard and in the lists — not a defect to send the agency in its 整改清单.
NOT_SENT = frozenset({"READ"})
SEVERITY_LABELS = {"error": "错误", "warning": "提示"}
STATUS_LABELS = {READ: "已读取", UNREADABLE: "无法读取", FAILED: "读取出错", "pending": "未完成（已中断）"}


@dataclass
class Judged:
    finding: dict[str, Any]  # Finding.as_dict()
    decision: str = ""  # confirm / dismiss / "" (not decided)
    comment: str = ""

    @property
    def dismissed(self) -> bool:
        return self.decision == DISMISS

    @property
    def is_error(self) -> bool:
        return bool(self.finding.get("severity") == "error")

    @property
    def rule(self) -> str:
        return str(self.finding.get("rule", ""))

    @property
    def decision_label(self) -> str:
        return {CONFIRM: "确认", DISMISS: "排除"}.get(self.decision, "")


@dataclass
class Reviewed:
    item: Item
    record: dict[str, Any] | None
    findings: list[Judged]

    @property
    def live(self) -> list[Judged]:
        """The findings that count: not dismissed."""
        return [j for j in self.findings if not j.dismissed]

    @property
    def to_send(self) -> list[Judged]:
        """The findings an agency's 整改清单 lists: not dismissed, not the reader's own notices."""
        return [j for j in self.live if j.rule not in NOT_SENT]

    @property
    def errors(self) -> int:
        return sum(1 for j in self.live if j.is_error)

    @property
    def warnings(self) -> int:
        return sum(1 for j in self.live if not j.is_error)

    @property
    def dismissed(self) -> int:
        return sum(1 for j in self.findings if j.dismissed)

    @property
    def similar(self) -> bool:
        return any(j.rule == SIMILAR_RULE for j in self.live)

    @property
    def not_assessed(self) -> list[dict[str, Any]]:
        """The rules the checks could not assess on this report (what they need was not read with
        confidence), each entry ``{"rules", "check", "reason"}`` (``checks.NotAssessed``)."""
        found = self.record.get("not_assessed") if self.record else None
        return list(found) if isinstance(found, list) else []


def judge(item: Item, record: dict[str, Any] | None, decisions: dict[str, Decision]) -> Reviewed:
    found = record.get("findings", []) if record else []
    judged = []
    for finding in found:
        decision = decisions.get(str(finding.get("fingerprint", "")))
        judged.append(
            Judged(finding, decision.decision, decision.comment) if decision is not None else Judged(finding)
        )
    return Reviewed(item, record, judged)


def rule_label(rule: str) -> str:
    entry = rule_of(rule)
    return entry.description if entry is not None else ""


@dataclass
class Totals:
    found: int = 0
    read: int = 0
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)
    pending: int = 0
    errors: int = 0
    warnings: int = 0
    dismissed: int = 0
    confirmed: int = 0
    with_errors: int = 0  # reports with at least one error
    similar: int = 0  # reports with 内容雷同
    paired: int = 0  # reports checked against last year's
    partial: int = 0  # reports read in part: some rules could not be assessed on them
    rule_findings: Counter[str] = field(default_factory=Counter)
    rule_reports: Counter[str] = field(default_factory=Counter)
    rule_unassessed: Counter[str] = field(default_factory=Counter)  # reports a rule was not assessed on
    decided: set[str] = field(default_factory=set)  # fingerprints a decision applied to

    def add(self, r: Reviewed) -> None:
        self.found += 1
        status = r.item.status
        if status == READ:
            self.read += 1
        elif status == UNREADABLE:
            self.unreadable.append((r.item.source.relative, r.item.reason))
        elif status == FAILED:
            self.failed.append((r.item.source.relative, r.item.reason))
        else:
            self.pending += 1
        if r.item.last is not None:
            self.paired += 1
        self.errors += r.errors
        self.warnings += r.warnings
        self.dismissed += r.dismissed
        self.confirmed += sum(1 for j in r.findings if j.decision == CONFIRM)
        self.with_errors += int(r.errors > 0)
        self.similar += int(r.similar)
        rules = set()
        for j in r.findings:
            if j.decision:
                self.decided.add(str(j.finding.get("fingerprint", "")))
            if not j.dismissed:
                self.rule_findings[j.rule] += 1
                rules.add(j.rule)
        self.rule_reports.update(rules)
        unassessed = {rule for entry in r.not_assessed for rule in entry.get("rules", [])}
        self.partial += int(bool(unassessed))
        self.rule_unassessed.update(unassessed)

    @property
    def ok(self) -> bool:
        """No error that is not dismissed: what exit code 0 means."""
        return self.errors == 0
