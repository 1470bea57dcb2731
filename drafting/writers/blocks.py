"""The reading order of a report, shared by every writer: title, preamble, the six parts in order,
each with its narrative sections or its table."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import official
from ..document import Draft, Section
from ..tables import Table


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" | "subheading" | "paragraph" | "table" | "signature"
    text: str = ""
    table: Table | None = None


def blocks(draft: Draft) -> Iterator[Block]:
    for paragraph in draft.preamble:
        yield Block("paragraph", paragraph)
    by_part: dict[str, list[Section]] = {}
    for spec in official.NARRATIVE_SECTIONS:
        by_part.setdefault(spec.part, []).append(draft.section(spec.id))
    for part in official.PARTS:
        yield Block("heading", part.heading)
        if part.table:
            yield Block("table", table=draft.table(part.table))
        for section in by_part.get(part.id, []):
            if section.title:
                yield Block("subheading", section.title)
            for paragraph in section.paragraphs:
                yield Block("paragraph", paragraph)
    yield from signature(draft)


def signature(draft: Draft) -> Iterator[Block]:
    """The 落款 (issue 14): the agency and the date, right-aligned under the text, as a published
    report ends — when the data gives the date (``published``); without it there is none to write."""
    published = draft.data.get("published") if isinstance(draft.data, dict) else None
    if not published:
        return
    import datetime as dt

    try:
        when = dt.date.fromisoformat(str(published))
    except ValueError:
        return
    yield Block("signature", draft.agency)
    yield Block("signature", official.signature_date(when))
