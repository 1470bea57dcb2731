"""Replays: model answers written beforehand, answered deterministically (``--model replay:FILE``).

A replay file (YAML, or JSONL with one entry per line) holds answers keyed by section, optionally
by case and by repeat:

    answers:
      - case: wrong-count          # a case, a list of cases, or (left out) any case
        section: overview
        repeat: 2                  # every repeat when left out
        replies:                   # the first ask gets the first reply, a re-ask the second;
          - 第一次的回答……          # when they run out, the last one is given again (a model that
          - 重新提问后的回答……      # repeats its mistake)
      - section: other
        reply: 一句回答              # one reply for every ask
        label: faithful              # optional: faithful, or the fault class the answer carries

The most specific entry wins: one case named, then a list of cases, then any case; an entry for the
repeat breaks a tie. Cases and repeats belong to eval suites; ``drafting draft`` has neither and uses
the entries that name no case. Which section a request is for, and which ask, the section writer
says on the request itself (``ChatRequest.section``/``ask``), so the answer does not depend on
timing, concurrency or the response cache.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .. import official, yamlfile
from ..errors import InputError, explain
from ..files import read_text
from .base import BackendError, ChatRequest
from .endpoints import REPLAY_PREFIX
from .scripted import ScriptedBackend

WHAT = "回放文件"
HINT = "回放文件的写法见 evals/README.md：每条回答写明 section（部分）和 replies（回答列表）或 reply。"


class ReplayEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    case: str | list[str] | None = None  # one case, several, or (left out) any case
    section: str
    repeat: int | None = Field(None, ge=1)
    reply: Annotated[str, Field(min_length=1)] | None = None
    replies: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    note: str = ""  # what this answer is for (a deliberate flaw, say); shown nowhere, read by people
    # What the answer is, for measuring the checks on it: "faithful" (must be accepted) or a fault
    # class (evals/answers/README.md). Optional, so replays written before it still load.
    label: str = ""

    @field_validator("section")
    @classmethod
    def _known_section(cls, value: str) -> str:
        if value not in official.SECTION_IDS:
            raise ValueError(f"“{value}”不是正文的部分，可用的部分：{'、'.join(official.SECTION_IDS)}")
        return value

    @model_validator(mode="after")
    def _one_form(self) -> ReplayEntry:
        if (self.reply is None) == (not self.replies):
            raise ValueError("每条回答要写 reply（一个回答）或 replies（回答列表）之一，且只写一个")
        return self

    def matches(self, case: str | None) -> bool:
        """``case`` None (a draft outside a suite) matches only the entries that name no case."""
        return self.case is None or case == self.case or (isinstance(self.case, list) and case in self.case)

    def answers(self) -> list[str]:
        return [self.reply] if self.reply is not None else list(self.replies)


class ReplayFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    description: str = ""
    answers: list[ReplayEntry] = Field(min_length=1)


KNOWN_KEYS = sorted({*ReplayFile.model_fields, *ReplayEntry.model_fields})


@dataclass(frozen=True)
class Replay:
    path: Path
    entries: tuple[ReplayEntry, ...]

    def entry(self, case: str | None, section: str, repeat: int) -> ReplayEntry | None:
        best: tuple[int, ReplayEntry] | None = None
        for e in self.entries:
            if e.section != section or not e.matches(case) or e.repeat not in (None, repeat):
                continue
            # One case named beats a list of cases, which beats any case; a repeat named breaks ties.
            rank = (4 if isinstance(e.case, str) else 2 if e.case else 0) + (e.repeat is not None)
            if best is None or rank > best[0]:
                best = (rank, e)
        return best[1] if best else None

    def answer(self, case: str | None, section: str, repeat: int, ask: int) -> str | None:
        entry = self.entry(case, section, repeat)
        if entry is None:
            return None
        answers = entry.answers()
        return answers[min(ask, len(answers)) - 1]

    def require(self, cases: Sequence[str | None], sections: Sequence[str], repeats: int = 1) -> None:
        """Every case × section × repeat has an answer, checked before the first draft."""
        for case in cases:
            for repeat in range(1, repeats + 1):
                missing = [s for s in sections if self.entry(case, s, repeat) is None]
                if missing and case is None:
                    raise InputError(
                        f"回放文件 {self.path} 没有这些部分的通用回答（不写 case 的回答）：{'、'.join(missing)}。",
                        hint="起草时没有评测案例，只用不写 case 的回答：请为每个部分写一条不写 case 的回答。",
                    )
                if missing:
                    rep = f"第{repeat}次重复的" if repeats > 1 else ""
                    raise InputError(
                        f"回放文件 {self.path} 没有案例“{case}”{rep}这些部分的回答：{'、'.join(missing)}。",
                        hint="请为每个案例的每个部分写一条回答（可省略 case，写一条通用的回答）。",
                    )


def load_replay(path: Path) -> Replay:
    if path.suffix.lower() == ".jsonl":
        return Replay(path, tuple(_jsonl(path)))
    raw, positions, _ = yamlfile.read_yaml(path, WHAT)
    if isinstance(raw, list):  # a bare list of entries is accepted too
        raw = {"answers": raw}
        positions = {("answers", *k): v for k, v in positions.items()}
    parsed = yamlfile.validate(ReplayFile, raw, str(path), positions, what=WHAT, hint=HINT, known=KNOWN_KEYS)
    return Replay(path, tuple(parsed.answers))


def _jsonl(path: Path) -> list[ReplayEntry]:
    if not path.is_file():
        raise InputError(f"找不到{WHAT} {path}。", hint="请检查路径是否正确。")
    out = []
    for n, line in enumerate(read_text(path, WHAT).splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(ReplayEntry.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            why = yamlfile.json_problem(exc.msg)
            raise InputError(f"{WHAT} {path} 第{n}行不是一个 JSON 对象（{why}）。", hint=HINT) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "（整体）"
            raise InputError(f"{WHAT} {path} 第{n}行，{field}：{explain(first)[0]}。", hint=HINT) from None
    if not out:
        raise InputError(f"{WHAT} {path} 是空的。", hint=HINT)
    return out


def replay_backend(replay: Replay, name: str, case: str | None = None, repeat: int = 1) -> ScriptedBackend:
    """A ``ScriptedBackend`` answering the drafts of ``case`` (None outside a suite) from the replay:
    each request gets the reply its section and ask number select."""

    def reply(request: ChatRequest) -> str:
        if request.section is None:
            raise BackendError(
                f"回放 {replay.path} 只能回答起草各部分的请求：这个请求没有说明它属于哪个部分。",
                kind="config",
                hint="回放模型用于 drafting draft 和 drafting eval。",
            )
        text = replay.answer(case, request.section, repeat, request.ask)
        if text is None:  # require() ran first; only a replay edited mid-run gets here
            whose = f"案例“{case}”的" if case is not None else ""
            raise BackendError(
                f"回放 {replay.path} 没有{whose}“{request.section}”部分的回答。", kind="exhausted"
            )
        return text

    return ScriptedBackend(reply, name=name)


def replay_path(spec: str, base: Path | None = None) -> Path:
    """The file a ``replay:<file>`` spec names; relative to ``base`` (a suite's folder) if given."""
    path = Path(spec[len(REPLAY_PREFIX) :].strip())
    if not str(path) or str(path) == ".":
        raise InputError(
            f"回放模型“{spec}”缺少文件路径。", hint="请写成 --model replay:evals/replay/文件.yaml。"
        )
    return path if path.is_absolute() or base is None else base / path
