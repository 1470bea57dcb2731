"""The registry of checks, keyed by rule id, and the context every check reads.

A check is a small function ``Context -> Iterable[Finding]`` registered with a name, a scope and the
rules it reports: each rule id with its category and a one-line Chinese description (``rules``), and
ids another check owns that this one may report too (``also``). ``document`` checks need the whole
report (headings, tables); ``narrative`` checks read paragraphs only, so they also run on a single
section's text (the revision loop, the model-output validator).

``RULES`` — the catalogue suites and tools name rules from — is derived from these registrations, so
it cannot list a rule no check reports nor miss one a check does; a test runs every check over the
defect corpus and holds each finding's rule to the check that reported it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from ..data.model import ReportData
from ..errors import Severity
from ..official import Cell
from ..reading.model import Paragraph, Report
from .finding import CATEGORIES, Category, Finding, cells_place, fingerprint

Scope = Literal["document", "narrative"]
# What a check may need read with confidence (``Report.located``): the part headings, a table.
Need = Literal["parts", "table2", "table3", "table4"]


@dataclass(frozen=True)
class Rule:
    id: str
    category: Category
    description: str  # one line of Chinese: what the rule guards
    checks: tuple[str, ...]  # the registered checks that may report it, its owner first
    family: bool = False  # ids of the form ``D3-<data rule>``: the data file's own problems


RULES: dict[str, Rule] = {}
_PENDING: dict[str, list[str]] = {}  # ids named in ``also`` before their owner registered


def rule_of(rule_id: str) -> Rule | None:
    """The catalogue entry of a finding's rule id (``D3-H1`` belongs to the family ``D3``)."""
    found = RULES.get(rule_id)
    if found is not None:
        return found
    head, dash, _ = rule_id.partition("-")
    family = RULES.get(head) if dash else None
    return family if family is not None and family.family else None


def register_rules(
    emitter: str,
    category: Category,
    rules: Mapping[str, str],
    also: Sequence[str] = (),
    *,
    family: bool = False,
) -> tuple[str, ...]:
    """Record that ``emitter`` reports ``rules`` (owned: id → description) and ``also`` (owned by
    another emitter). Returns every id it may report."""
    for rule_id, description in rules.items():
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice ({RULES[rule_id].checks[0]}, {emitter})")
        sharers = tuple(_PENDING.pop(rule_id, ()))
        RULES[rule_id] = Rule(rule_id, category, description, (emitter, *sharers), family)
    for rule_id in also:
        if rule_id in RULES:
            RULES[rule_id] = replace(RULES[rule_id], checks=(*RULES[rule_id].checks, emitter))
        else:
            _PENDING.setdefault(rule_id, []).append(emitter)
    return (*rules, *also)


def verify_catalogue() -> None:
    """Every rule a check reports has an owner that describes it; the catalogue in category order
    (called once the checks are loaded)."""
    if _PENDING:
        raise ValueError(f"rules reported but never registered with a description: {sorted(_PENDING)}")
    ordered = sorted(RULES.values(), key=lambda r: (CATEGORIES.index(r.category), r.id))
    RULES.clear()
    RULES.update((r.id, r) for r in ordered)


@dataclass(frozen=True)
class NotAssessed:
    """Rules a check could not assess on this report, and why (in Chinese): what they need was not
    read with confidence. ``drafting check --json`` lists them beside the findings."""

    rules: tuple[str, ...]
    reason: str
    check: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"rules": list(self.rules), "check": self.check, "reason": self.reason}


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
    identity: str = ""  # the report as a reviewer names it (``finding.identity``): agency and year
    strict: bool = False  # a model's section: hold it to the shape the prompt asked for
    section: str | None = None  # the narrative section checked on its own (``check_section``)
    previous_report: Report | None = None  # last year's report as read, when given as a report
    # What a model is told about a finding when its answer is sent back (``narrative.reask_message``):
    # written by the check that knows what the data says; a finding without one is not sent.
    reasks: dict[Finding, str] = field(default_factory=dict)
    # What several checks read once per report (the bindings of each paragraph's numbers).
    memo: dict[str, Any] = field(default_factory=dict)
    not_assessed: list[NotAssessed] = field(default_factory=list)  # what the checks had to leave
    running: str = ""  # the check being run, named in what it leaves unassessed

    def confident(self, what: str) -> bool:
        """Whether ``what`` (``parts``, ``table2``…) was read with confidence."""
        return self.report.certainty(what).confident

    def skip(self, rules: Iterable[str], reason: str) -> None:
        """Record that ``rules`` could not be assessed here, and why."""
        self.not_assessed.append(NotAssessed(tuple(rules), reason, self.running))

    @property
    def figures(self) -> ReportData | None:
        """The figures the narrative must agree with: the data when given, else the tables."""
        return self.data if self.data is not None else self.doc

    def paragraphs(self, part: str | None = None) -> list[Paragraph]:
        if part is None:
            return self.report.narrative()
        return self.report.part_paragraphs(part)

    def found(
        self,
        rule: str,
        severity: Severity,
        message: str,
        location: str,
        *,
        evidence: str,
        place: str = "",
        cells: Iterable[Cell] = (),
        reask: str = "",
    ) -> Finding:
        """A finding of this report: its category from the catalogue, its fingerprint from the
        rule, the report's identity and ``place`` (the cells when not given) — structured, never
        the human location, whose line numbers depend on the file's layout."""
        entry = rule_of(rule)
        if entry is None:
            raise KeyError(f"rule {rule} is not registered")
        cells = tuple(cells)
        where = place or cells_place(cells)
        if not where:
            raise ValueError(f"a finding of {rule} needs a place or cells for its fingerprint")
        finding = Finding(
            rule,
            entry.category,
            severity,
            message,
            location,
            evidence,
            cells,
            fingerprint(rule, self.identity, where),
        )
        if reask:
            self.reasks[finding] = reask
        return finding

    def in_paragraph(
        self,
        p: Paragraph,
        rule: str,
        severity: Severity,
        message: str,
        detail: str = "",
        *,
        evidence: str,
        cells: Iterable[Cell] = (),
        reask: str = "",
    ) -> Finding:
        """A finding about paragraph ``p``: located where it is printed, fingerprinted by its
        structured place (``paragraph_place``, with ``detail`` telling apart two findings of one rule
        in one paragraph)."""
        return self.found(
            rule,
            severity,
            message,
            p.where(),
            evidence=evidence,
            place=paragraph_place(p, detail),
            cells=cells,
            reask=reask,
        )


def paragraph_place(p: Paragraph, detail: str = "") -> str:
    """A paragraph's structured place — its part and its number within the part — for fingerprints;
    ``detail`` tells apart two findings of one rule in one paragraph (never quoted text)."""
    place = f"{p.part or 'preamble'}#{p.index}"
    return f"{place}/{detail}" if detail else place


CheckFn = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    scope: Scope
    rules: tuple[str, ...]  # every rule id it may report
    fn: CheckFn
    needs: tuple[Need, ...] = ()  # what must be read with confidence for the check to run at all


CHECKS: list[CheckSpec] = []  # in registration order: the order findings are collected in


def check(
    name: str,
    category: Category,
    rules: Mapping[str, str],
    *,
    also: Sequence[str] = (),
    scope: Scope = "document",
    needs: Sequence[Need] = (),
) -> Callable[[CheckFn], CheckFn]:
    """Register a check that reports ``rules`` (its own, with their descriptions; their category is
    ``category``) and may report ``also`` (rules another check owns and describes). ``needs``: what
    must be read with confidence for it to run — otherwise it is skipped and its rules listed as not
    assessed (a check that needs only part of a table gates itself, through ``Context.skip``)."""

    def register(fn: CheckFn) -> CheckFn:
        ids = register_rules(name, category, rules, also)
        CHECKS.append(CheckSpec(name, scope, ids, fn, tuple(needs)))
        return fn

    return register


ModelCheckFn = Callable[[Context, ReportData, str], Iterable[Finding]]


def model_check(
    name: str, category: Category, rules: Mapping[str, str], *, also: Sequence[str] = ()
) -> Callable[[ModelCheckFn], CheckFn]:
    """Register a strict, model-only check (``check`` with scope ``narrative``): it judges a model's
    section against the author's data, so it runs only when the context is strict and has both, and
    is called with them (``fn(ctx, data, section id)``); anywhere else it reports nothing."""

    def register(fn: ModelCheckFn) -> CheckFn:
        def run(ctx: Context) -> Iterable[Finding]:
            if not ctx.strict or ctx.data is None or ctx.section is None:
                return ()
            return fn(ctx, ctx.data, ctx.section)

        run.__name__, run.__qualname__, run.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
        return check(name, category, rules, also=also, scope="narrative")(run)

    return register


def checks_for(rule_ids: Iterable[str]) -> list[CheckSpec]:
    """The checks that may report any of ``rule_ids``, in registration order."""
    wanted = set(rule_ids)
    unknown = sorted(r for r in wanted if rule_of(r) is None)
    if unknown:
        raise ValueError(f"unknown rule ids: {unknown}")
    return [spec for spec in CHECKS if wanted & set(spec.rules)]
