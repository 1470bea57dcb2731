"""The revision history kept in the draft file: every change, undo, redo, pin and redraft as one
entry, newest last.

The undo and redo stacks are not stored: they are replayed from the entries when a draft is
opened. The text, its history and the stacks are therefore written together, by one atomic rename
of one file, and can never disagree. (A sidecar file would need a second rename, and a process
killed between the two would leave the text and its history out of step.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .backends.base import FallbackCause
from .document import Draft, Section, SectionUsage
from .errors import invalid_file

ChangeKind = Literal["revise", "manual", "regenerate", "restore"]
EntryKind = Literal["revise", "manual", "regenerate", "restore", "undo", "redo", "pin", "unpin", "redraft"]
CHANGE_KINDS: tuple[ChangeKind, ...] = ("revise", "manual", "regenerate", "restore")
# Steps that undo can take back besides the changes of text: a pin is unpinned, an unpin pinned again.
PIN_KINDS: tuple[EntryKind, ...] = ("pin", "unpin")

KIND_LABELS: dict[str, str] = {
    "revise": "按要求修订",
    "manual": "手工修改",
    "regenerate": "按数据重新生成",
    "restore": "恢复另存的修改",
    "undo": "撤销",
    "redo": "重做",
    "pin": "固定句子",
    "unpin": "取消固定",
    "redraft": "重新起草（drafting draft）",
}


class TextState(BaseModel):
    """A section's text and who wrote it: what an undo puts back, or a redo puts again."""

    model_config = ConfigDict(extra="forbid")

    paragraphs: list[str]
    backend: str
    edited: bool = False
    prompt_version: str | None = None
    notes: list[str] = Field(default_factory=list)
    fallback: FallbackCause | None = None  # an offline text put in for a model's: why
    usage: SectionUsage | None = None

    @classmethod
    def of(cls, source: object) -> TextState:
        """The text of ``source``: a draft's ``Section``, or a writer's ``SectionOutcome`` (what it
        has no attribute for, such as ``edited``, takes the default). The fields are this class's:
        a new one is copied everywhere a section's text is (issue 9: the list stood four times)."""
        return cls.model_validate(
            {name: getattr(source, name) for name in cls.model_fields if hasattr(source, name)}
        )

    def _fields(self) -> dict[str, Any]:
        """This text's fields, copied: a section given them shares no list with this state (which
        an entry of the history may keep)."""
        return dict(self.model_copy(deep=True))

    def apply(self, section: Section) -> Section:
        """``section`` with this text; its pins and heading stay."""
        return section.model_copy(update=self._fields())

    def section(self, section_id: str, heading: str, title: str = "") -> Section:
        """A new section of a draft with this text."""
        return Section(id=section_id, heading=heading, title=title, **self._fields())


class Dropped(BaseModel):
    """An accepted edit that a redraft could not keep, with its text, so that nothing is lost."""

    model_config = ConfigDict(extra="forbid")

    section: str
    reason: str
    text: TextState


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    n: int = Field(ge=1)  # its number in the history, from 1
    time: dt.datetime
    kind: EntryKind
    section: str | None = None
    instruction: str = ""  # the author's words (revise), or what was done
    before: TextState | None = None  # changes: the text it replaced
    after: TextState | None = None  # changes: the text it put
    model: str = ""  # who wrote ``after``: openai:<model>, offline, manual
    prompt_version: str | None = None  # the revision prompt's version, when a model was asked
    findings: list[str] = Field(default_factory=list)  # what the checks said when it was accepted
    of: int | None = None  # undo/redo: the number of the change it reverts or re-applies
    sentence: str = ""  # pin/unpin
    kept: list[str] = Field(default_factory=list)  # redraft: edited sections kept
    dropped: list[Dropped] = Field(default_factory=list)  # redraft: edited sections given up
    # redraft: kept sections whose numbers were restated from the new data: id → "label 3件→5件"
    updated: dict[str, list[str]] = Field(default_factory=dict)
    data_file: str = ""  # redraft: the data file it was written from

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_defaults=True)


def entries(draft: Draft) -> list[Entry]:
    """The draft's history, validated. A damaged entry is named, not skipped."""
    out = []
    for index, raw in enumerate(draft.history, 1):
        try:
            out.append(Entry.model_validate(raw))
        except ValidationError as exc:
            raise invalid_file(
                exc,
                f"草稿文件的修改历史第 {index} 条无法读取",
                "修改历史由 drafting revise 写入，请勿手工改动；可从备份恢复草稿文件。",
            ) from None
    return out


@dataclass
class Stacks:
    """Numbers of the changes that undo and redo would act on, the next one last."""

    undo: list[int] = field(default_factory=list)
    redo: list[int] = field(default_factory=list)


def replay(history: list[Entry]) -> Stacks:
    """The undo and redo stacks the history leaves. A change or a pin clears redo, as in any
    editor; a redraft clears both, because the texts before it belong to data that may have
    changed (its edits set aside come back with ``revise --restore``)."""
    stacks = Stacks()
    for entry in history:
        if entry.kind in CHANGE_KINDS or entry.kind in PIN_KINDS:
            stacks.undo.append(entry.n)
            stacks.redo.clear()
        elif entry.kind == "undo" and stacks.undo and stacks.undo[-1] == entry.of:
            stacks.redo.append(stacks.undo.pop())
        elif entry.kind == "redo" and stacks.redo and stacks.redo[-1] == entry.of:
            stacks.undo.append(stacks.redo.pop())
        elif entry.kind == "redraft":
            stacks.undo.clear()
            stacks.redo.clear()
    return stacks


def next_number(history: list[Entry]) -> int:
    return history[-1].n + 1 if history else 1
