"""Scripted replays: model answers we write ourselves, answered deterministically (``--model replay:FILE``).

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
repeat breaks a tie. Which section
a request is for comes from the rendered prompt it starts with, and which ask from the messages
after it, so the answer does not depend on timing, concurrency or the response cache.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..backends.base import BackendError, ChatRequest, Message
from ..backends.scripted import ScriptedBackend
from ..errors import InputError
from . import yamlfile
from .suite import SectionId

PREFIX = "replay:"
WHAT = "回放文件"
HINT = "回放文件的写法见 evals/README.md：每条回答写明 section（部分）和 replies（回答列表）或 reply。"


class ReplayEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    case: str | list[str] | None = None  # one case, several, or (left out) any case
    section: SectionId
    repeat: int | None = Field(None, ge=1)
    reply: Annotated[str, Field(min_length=1)] | None = None
    replies: list[Annotated[str, Field(min_length=1)]] = Field(default_factory=list)
    note: str = ""  # what this answer is for (a deliberate flaw, say); shown nowhere, read by people
    # What the answer is, for measuring the checks on it: "faithful" (must be accepted) or a fault
    # class (evals/answers/README.md). Optional, so replays written before it still load.
    label: str = ""

    @model_validator(mode="after")
    def _one_form(self) -> ReplayEntry:
        if (self.reply is None) == (not self.replies):
            raise ValueError("每条回答要写 reply（一个回答）或 replies（回答列表）之一，且只写一个")
        return self

    def matches(self, case: str) -> bool:
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

    def entry(self, case: str, section: str, repeat: int) -> ReplayEntry | None:
        best: tuple[int, ReplayEntry] | None = None
        for e in self.entries:
            if e.section != section or not e.matches(case) or e.repeat not in (None, repeat):
                continue
            # One case named beats a list of cases, which beats any case; a repeat named breaks ties.
            rank = (4 if isinstance(e.case, str) else 2 if e.case else 0) + (e.repeat is not None)
            if best is None or rank > best[0]:
                best = (rank, e)
        return best[1] if best else None

    def answer(self, case: str, section: str, repeat: int, ask: int) -> str | None:
        entry = self.entry(case, section, repeat)
        if entry is None:
            return None
        answers = entry.answers()
        return answers[min(ask, len(answers)) - 1]

    def require(self, cases: Sequence[str], sections: Sequence[str], repeats: int) -> None:
        """Every case × section × repeat has an answer, checked before the first draft."""
        for case in cases:
            for repeat in range(1, repeats + 1):
                missing = [s for s in sections if self.entry(case, s, repeat) is None]
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
    from ..data.load import read_text

    out = []
    for n, line in enumerate(read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(ReplayEntry.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise InputError(f"{WHAT} {path} 第{n}行不是一个 JSON 对象（{exc.msg}）。", hint=HINT) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "（整体）"
            raise InputError(f"{WHAT} {path} 第{n}行，{field}：{first['msg']}。", hint=HINT) from None
    if not out:
        raise InputError(f"{WHAT} {path} 是空的。", hint=HINT)
    return out


Prefixes = dict[tuple[Message, ...], str]


def ask_number(request: ChatRequest, prefix_len: int) -> int:
    """1 for the first ask; a re-ask appends the findings as a user message (after the answer)."""
    return 1 + sum(1 for m in request.messages[prefix_len:] if m.role == "user")


def section_for(request: ChatRequest, prefixes: Prefixes) -> tuple[str, int] | None:
    """Which section a request is for (the rendered prompt it starts with), and its length."""
    for prefix, section in prefixes.items():
        if request.messages[: len(prefix)] == prefix:
            return section, len(prefix)
    return None


def replay_backend(replay: Replay, name: str, case: str, repeat: int, prefixes: Prefixes) -> ScriptedBackend:
    """A ``ScriptedBackend`` answering one draft of ``case`` from the replay."""

    def reply(request: ChatRequest) -> str:
        found = section_for(request, prefixes)
        if found is None:
            raise BackendError(f"回放 {replay.path}：无法判断请求属于哪个部分。", kind="config")
        section, length = found
        text = replay.answer(case, section, repeat, ask_number(request, length))
        if text is None:  # require() ran first; only a replay edited mid-run gets here
            raise BackendError(
                f"回放 {replay.path} 没有案例“{case}”的“{section}”部分的回答。", kind="exhausted"
            )
        return text

    return ScriptedBackend(reply, name=name)


def spec_path(spec: str, base: Path | None = None) -> Path:
    path = Path(spec[len(PREFIX) :].strip())
    if not str(path) or str(path) == ".":
        raise InputError(
            f"回放模型“{spec}”缺少文件路径。", hint="请写成 --model replay:evals/replay/文件.yaml。"
        )
    return path if path.is_absolute() or base is None else base / path
