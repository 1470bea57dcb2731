"""The reviewer's decisions on findings (``review-decisions.yaml``): confirm or dismiss, with a
comment, each recorded against the finding's fingerprint — which names the finding by rule, report
(agency and year) and place, so the decision holds on every later run, wherever the file moves.

The file is the reviewer's, edited by hand: the dashboard (a static page, which cannot write files)
offers a snippet per finding to paste at its end (the fingerprint in quotes, so that YAML never reads
one made of digits as a number). The tool reads it and never writes it::

    # 某某市某某局 2024年 ［C2］表二 行政规范性文件 / 现行有效件数
    "3f2a9c0d1e2b4a5c":
      decision: 排除        # 排除（dismiss）：误报，不再计入；确认（confirm）：问题属实
      comment: "本年集中清理规范性文件，已在正文说明"

A dismissed finding is shown apart and counted nowhere (not in the ranking, not in the exit code,
not in the 整改清单); a confirmed one is marked as such.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StringConstraints

from ..yamlfile import read_yaml, validate

DISMISS, CONFIRM = "dismiss", "confirm"
LABELS = {DISMISS: "排除", CONFIRM: "确认"}
_WORDS = {"dismiss": DISMISS, "排除": DISMISS, "confirm": CONFIRM, "确认": CONFIRM}
_HINT = (
    "每条审核决定以问题的指纹（16位十六进制）为键，下面写 decision: 确认 或 排除"
    "（confirm / dismiss），可加 comment: 说明。总览页面中每条问题都有可复制的片段。"
)
Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]


class _Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["confirm", "dismiss", "确认", "排除"]
    comment: str | None = Field(default="")


class _File(RootModel[dict[Fingerprint, _Decision]]):
    pass


@dataclass(frozen=True)
class Decision:
    decision: str  # confirm / dismiss
    comment: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.decision]


def read_decisions(path: Path) -> dict[str, Decision]:
    """The decisions in ``path`` (none when it does not exist). A file that is not right stops the
    run with its line (exit 2): a decision silently ignored would put a dismissed finding back."""
    if not path.exists():
        return {}
    raw, positions, _ = read_yaml(path, "审核决定文件")
    if raw is None:
        return {}
    parsed = validate(
        _File,
        raw,
        str(path),
        positions,
        what="审核决定文件",
        hint=_HINT,
        known=("decision", "comment"),
    )
    return {fp: Decision(_WORDS[d.decision], d.comment or "") for fp, d in parsed.root.items()}


def snippet(fingerprint: str, context: str, decision: str = DISMISS, comment: str = "") -> str:
    """The lines to append to the decisions file for one finding (``context`` names it for a person:
    agency, year, rule, place)."""
    context = re.sub(r"\s+", " ", context).strip()
    return (
        f"# {context}\n"
        f'"{fingerprint}":\n'
        f"  decision: {LABELS[decision]}\n"
        f"  comment: {json.dumps(comment, ensure_ascii=False)}\n"
    )
