"""Rubrics: what a judge scores a draft on, 1 to 5, written in Chinese.

Four ship with the package (``rubrics/*.yaml``, package data, so a suite finds them after a normal
install as well as in a checkout): ``register`` (公文文风), ``concision`` (简洁不重复), ``specificity``
(具体而非口号) and ``correspondence`` (问题与措施对应). A suite names one by its id
(``judge: register``) or writes its own rubric in Chinese in place of the id. A rubric's version
is its author's number and a hash of its text, so stored scores are never read against an edited
rubric (``--rescore`` sets them aside instead).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .. import official, yamlfile
from ..errors import InputError

RUBRICS_DIR = Path(__file__).resolve().parent / "rubrics"
WHAT = "评分标准文件"
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_\-]*")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class RubricFile(BaseModel):
    """One shipped rubric file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_\-]*$")]
    title: Annotated[str, Field(min_length=1)]
    version: int = Field(ge=1)
    sections: list[str] = Field(default_factory=list)  # empty: the whole narrative
    description: str = ""
    rubric: Annotated[str, Field(min_length=1)]

    @field_validator("sections")
    @classmethod
    def _sections(cls, value: list[str]) -> list[str]:
        unknown = [s for s in value if s not in official.SECTION_IDS]
        if unknown:
            raise ValueError(
                f"“{'、'.join(unknown)}”不是正文的部分（可用：{'、'.join(official.SECTION_IDS)}）"
            )
        return value


@dataclass(frozen=True)
class Rubric:
    id: str  # a shipped rubric's id, or ``inline-<hash>`` for one written in a suite
    title: str
    text: str
    sections: tuple[str, ...]  # the parts of the draft the judge reads, in official order
    version: str  # ``v1-<hash>`` (shipped) or ``inline-<hash>``

    @property
    def shipped(self) -> bool:
        return not self.id.startswith("inline-")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shipped_ids() -> list[str]:
    """The shipped rubrics' ids, from their file names (nothing parsed: the suite's schema uses it)."""
    return sorted(p.stem for p in RUBRICS_DIR.glob("*.yaml"))


@cache
def shipped() -> dict[str, Rubric]:
    """The rubrics that ship with the package, by id."""
    out: dict[str, Rubric] = {}
    for path in sorted(RUBRICS_DIR.glob("*.yaml")):
        raw, positions, text = yamlfile.read_yaml(path, WHAT)
        parsed = yamlfile.validate(
            RubricFile,
            raw,
            str(path),
            positions,
            what=WHAT,
            hint="评分标准文件需要 id、title、version、rubric。",
        )
        if parsed.id != path.stem:
            raise InputError(f"{WHAT} {path} 的 id 为“{parsed.id}”，应与文件名一致（{path.stem}）。")
        out[parsed.id] = Rubric(
            parsed.id,
            parsed.title,
            parsed.rubric.strip(),
            tuple(s for s in official.SECTION_IDS if s in parsed.sections),
            f"v{parsed.version}-{_digest(text)[:10]}",
        )
    return out


def check_reference(value: str) -> str:
    """A suite's ``rubric:`` value, checked: a shipped rubric's id, or a rubric written in Chinese.
    A word that is not a shipped id is refused rather than sent to the judge as the rubric."""
    value = value.strip()
    if _ID.fullmatch(value):
        if value not in shipped():
            raise ValueError(
                f"没有编号为“{value}”的评分标准（可用：{'、'.join(shipped())}；也可以直接用中文写出评分标准）"
            )
        return value
    if not _CJK.search(value):
        raise ValueError(
            f"评分标准应为随程序提供的评分标准编号（{'、'.join(shipped())}），或用中文写出的评分标准"
        )
    return value


def resolve(value: str, sections: tuple[str, ...] | None = None) -> Rubric:
    """The rubric a checked ``rubric:`` value names; ``sections`` (the suite's ``section:``)
    overrides the parts the rubric reads."""
    value = value.strip()
    rubric = shipped().get(value)
    if rubric is None:
        digest = _digest(value)
        first = re.split(r"[，。；：\n]", value, maxsplit=1)[0]
        title = first if len(first) <= 16 else first[:15] + "…"
        rubric = Rubric(f"inline-{digest[:8]}", title, value, (), f"inline-{digest[:10]}")
    if sections:
        ordered = tuple(s for s in official.SECTION_IDS if s in sections)
        rubric = Rubric(rubric.id, rubric.title, rubric.text, ordered, rubric.version)
    return rubric
