"""The drafting pipeline: validated data → tables → narrative sections → a ``Draft``.

Kept free of terminal code: the CLI, the future web workspace and the tests all call
``draft_report`` and ``write_draft`` directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import __version__, official, offline
from .data.load import Loaded
from .data.model import ReportData
from .document import Draft, Provenance, Section, part_heading
from .tables import build_tables
from .writers import atomic_write, render

DEFAULT_FORMATS = ("md",)


def data_hash(data: ReportData) -> str:
    canonical = json.dumps(data.model_dump(mode="json"), ensure_ascii=False, sort_keys=True)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def draft_report(loaded: Loaded, *, now: dt.datetime | None = None) -> Draft:
    """A complete first draft from validated data, written by the offline drafter."""
    data = loaded.data
    sections = [
        Section(
            id=spec.id,
            heading=part_heading(spec.part),
            title=spec.title,
            paragraphs=offline.write_section(spec.id, data),
        )
        for spec in official.NARRATIVE_SECTIONS
    ]
    return Draft(
        title=data.title,
        agency=data.agency.name,
        year=data.year,
        preamble=offline.preamble(data),
        sections=sections,
        tables={key: t.as_dict() for key, t in build_tables(data).items()},
        data=data.model_dump(mode="json"),
        provenance=Provenance(
            backend="offline",
            data_file=loaded.source,
            data_hash=data_hash(data),
            created=now or dt.datetime.now(dt.UTC).replace(microsecond=0),
            tool_version=__version__,
        ),
    )


@dataclass(frozen=True)
class Written:
    draft: Draft
    files: list[Path]


def write_draft(draft: Draft, out_dir: Path, stem: str, formats: Sequence[str] = DEFAULT_FORMATS) -> Written:
    """Write ``<stem>.draft.json`` and one document per format. Everything is rendered before the
    first byte is written, and each file is replaced atomically, so a failure leaves no half file."""
    outputs = {out_dir / f"{stem}.draft.json": draft.to_json()}
    for fmt in formats:
        outputs[out_dir / f"{stem}.{fmt}"] = render(draft, fmt)
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, text in outputs.items():
        atomic_write(path, text)
    return Written(draft, list(outputs))


def count_markers(draft: Draft) -> int:
    return sum(p.count(offline.MARKER_OPEN) for s in draft.sections for p in s.paragraphs)
