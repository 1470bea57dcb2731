"""The draft as data: what ``<stem>.draft.json`` holds, and what revision, checks and writers read.

The internal format is structured (sections → paragraphs, tables as data), never Markdown: the
rendered documents are outputs only. Section ids are a contract shared with ``revise`` and ``check``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from . import official
from .backends.base import FallbackCause
from .chars import writable
from .data.model import ReportData
from .errors import invalid_file
from .files import read_text, recover
from .tables import Table

SCHEMA: Literal["drafting.draft/1"] = "drafting.draft/1"

# Text a document will hold: a draft edited by hand (or saved by an older version) may carry
# control characters that python-docx refuses; they are dropped as the draft is read.
Writable = Annotated[str, AfterValidator(writable)]


class SectionUsage(BaseModel):
    """What writing one section with a model cost: tokens, time, requests."""

    model_config = ConfigDict(extra="forbid")

    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    estimated: bool = False  # the server sent no usage: counted from characters
    latency_s: float = 0.0  # wall time of the section, retries, waits and re-ask included
    asks: int = 0  # 1, or 2 after a re-ask
    requests: int = 0  # HTTP requests sent (retries included; 0 when answered from the cache)
    cached: int = 0  # answers taken from the response cache


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str  # overview / problems / improvements / other
    heading: str  # the official part heading it belongs to
    title: str = ""  # its sub-heading inside the part, if any
    paragraphs: list[Writable]
    backend: str = "offline"  # who wrote the current text: offline, openai:<model>, manual
    notes: list[str] = Field(default_factory=list)  # e.g. why a section fell back to offline text
    # Set when a model was asked and its text is not here: unreachable / timeout / server (the
    # endpoint: the model was not usable), unusable (an answer too long, empty or cut off) or
    # rejected (answers that failed the checks). ``backends.base.FallbackCause`` lists them.
    fallback: FallbackCause | None = None
    prompt_version: str | None = None  # the section prompt's version when a model was asked
    usage: SectionUsage | None = None  # None when no model was asked
    # Set by ``drafting revise``: the text is an accepted revision or manual edit, which
    # ``drafting draft`` keeps while the data it relies on is unchanged.
    edited: bool = False
    pinned: list[str] = Field(default_factory=list)  # sentences kept verbatim by revisions and redrafts


class Provenance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    backend: str
    prompt_versions: dict[str, str] = Field(default_factory=dict)
    data_file: str
    data_hash: str  # sha256 of the validated data, so a later run can tell whether it changed
    created: dt.datetime
    tool_version: str


class Draft(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    schema_: Literal["drafting.draft/1"] = Field(SCHEMA, alias="schema")
    title: Writable
    agency: Writable
    year: int
    preamble: list[Writable]
    sections: list[Section]
    tables: dict[str, dict[str, Any]]  # Table.as_dict() by id: table2, table3, table4
    data: dict[str, Any]  # the validated data the draft was written from
    provenance: Provenance
    # Revisions, undos, pins and redrafts, newest last (``drafting.history`` reads them).
    history: list[dict[str, Any]] = Field(default_factory=list)

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(section_id)

    def table(self, table_id: str) -> Table:
        return Table.from_dict(self.tables[table_id])

    def report_data(self) -> ReportData:
        return ReportData.model_validate(self.data)

    def to_json(self) -> str:
        return self.model_dump_json(by_alias=True, indent=2) + "\n"


def load_draft(path: Path | str) -> Draft:
    path = Path(path)
    recover(path.parent)  # a set of files a killed run left half-replaced is completed or taken back
    return parse_draft(read_text(path, "草稿文件", utf8_only=True, limit="draft"), str(path))


def parse_draft(content: str | dict[str, Any], source: str) -> Draft:
    """A draft from its JSON text, or from the object that text parses to; ``source`` names the
    file in the message when it is not a valid draft."""
    try:
        if isinstance(content, str):
            return Draft.model_validate_json(content)
        return Draft.model_validate(content)
    except ValidationError as exc:
        raise invalid_file(
            exc,
            f"{source} 不是有效的草稿文件",
            "草稿文件由 drafting draft 生成（*.draft.json），请勿手工改动其结构。",
        ) from None


part_heading = official.part_heading  # kept here too: drafts and their readers name parts this way
