"""Section writers: who writes the prose of one narrative section.

Two kinds, one shape (``write(section, data) -> SectionOutcome``): the offline rules
(``OfflineWriter``) and a prompt sent to a chat backend (``ModelWriter``). The model path is:
render the prompt → ask → strip fences and markdown → check structure and numbers → if wrong, one
re-ask carrying the findings → if still wrong, the offline text, with the reason recorded in the
draft and shown on the terminal. A failing endpoint costs the user one section's prose, never the
draft; a wrong setting (bad key, unknown model, wrong base URL) stops the run with its cause.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from . import official, offline
from .backends.base import (
    OUTPUT_KINDS,
    Backend,
    BackendError,
    ChatRequest,
    Completion,
    FallbackCause,
    Message,
    Usage,
    cause_of,
)
from .chars import fullwidth_punctuation
from .config import OFFLINE
from .data.model import ReportData
from .document import SectionUsage

if TYPE_CHECKING:
    from .checks import Finding
    from .config import Settings
    from .prompts import PromptSet


@dataclass(frozen=True)
class SectionOutcome:
    paragraphs: list[str]
    backend: str  # who wrote the text that stands: offline or openai:<model>
    notes: list[str] = field(default_factory=list)
    prompt_version: str | None = None
    usage: SectionUsage | None = None
    fell_back: bool = False
    fallback: FallbackCause | None = None  # why, when it fell back (``Section.fallback``)


class SectionWriter(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def prompt_versions(self) -> dict[str, str]: ...

    def write(self, section: str, data: ReportData) -> SectionOutcome: ...

    def close(self) -> None: ...


class OfflineWriter:
    """The offline rules (``drafting.offline``): no model, no network, no heavy import."""

    name = OFFLINE

    @property
    def prompt_versions(self) -> dict[str, str]:
        return {}

    def write(self, section: str, data: ReportData) -> SectionOutcome:
        return SectionOutcome(offline.write_section(section, data), OFFLINE)

    def close(self) -> None:
        """Nothing to release."""


# --- cleaning a model's answer -----------------------------------------------------------------

_THINKING = re.compile(r"<think>.*?</think>", re.S)  # reasoning models served by Ollama or vLLM
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s*#{1,6}\s*")
_BULLET = re.compile(r"^\s*(?:[-*+•·]\s+)")
_EMPHASIS = re.compile(r"\*\*|__|`")
_LEADING_STAR = re.compile(r"^\*(?=\S)|(?<=\S)\*$")


def _headings(section: str) -> set[str]:
    spec = official.SECTION_BY_ID[section]
    heading = official.part_heading(spec.part)
    out = {heading, heading.split("、", 1)[-1], spec.title}
    if spec.title:
        out.add(spec.title[3:])  # （一）存在的主要问题 → 存在的主要问题
    return {h for h in out if h}


def clean(text: str, section: str) -> list[str]:
    """Paragraphs from a model's answer: a reasoning model's <think> block, fences, markdown
    headings, bullets and emphasis gone, a repeated section heading dropped, half-width
    punctuation made full-width."""
    headings = _headings(section)
    out = []
    for line in _THINKING.sub("", text).splitlines():
        if _FENCE.match(line):
            continue
        line = _HEADING.sub("", line)
        line = _BULLET.sub("", line)
        line = _LEADING_STAR.sub("", _EMPHASIS.sub("", line)).strip()
        line = fullwidth_punctuation(line)
        if not line or line.rstrip("：:。") in headings:
            continue
        out.append(line)
    return out


# --- checking a model's section -------------------------------------------------------------------

Check = Callable[[str, list[str], ReportData], "list[Finding]"]


def model_check(section: str, paragraphs: list[str], data: ReportData) -> list[Finding]:
    """What a model's section is held to before it is accepted: the check library's errors on it,
    strict (every number bound to the data, the five sub-parts of 一, 改进措施 opening on next year).
    Warnings — a 【待补充】 marker the prompt asked for — do not justify a re-ask."""
    from .checks import check_section

    return [f for f in check_section(section, paragraphs, data, strict=True) if f.is_error]


def reask_message(problems: Sequence[str]) -> str:
    """The follow-up that sends a rejected answer back, one numbered line per problem."""
    items = "\n".join(f"{n}. {p.rstrip('。')}。" for n, p in enumerate(problems, 1))
    return f"你上一次写的正文有以下问题：\n{items}\n请改正这些问题，按原来的要求重新输出本部分的完整正文（只输出正文）。"


@dataclass
class _Tally:
    usage: Usage = field(default_factory=Usage)
    requests: int = 0
    asks: int = 0
    cached: int = 0

    def add(self, completion: Completion) -> None:
        self.usage = self.usage + completion.usage
        self.requests += completion.attempts
        self.asks += 1
        self.cached += completion.cached


class ModelWriter:
    """Writes a section with a prompt and a chat backend, checks it, re-asks once, falls back."""

    def __init__(self, backend: Backend, prompts: PromptSet, check: Check = model_check) -> None:
        self.backend = backend
        self.prompts = prompts
        self.check = check

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def prompt_versions(self) -> dict[str, str]:
        return self.prompts.versions()

    def close(self) -> None:
        self.backend.close()

    def _ask(self, request: ChatRequest, tally: _Tally) -> Completion:
        try:
            completion = self.backend.complete(request)
        except BackendError as exc:
            tally.requests += exc.attempts
            tally.asks += 1
            raise
        tally.add(completion)
        return completion

    def write(self, section: str, data: ReportData) -> SectionOutcome:
        from .prompts import render

        rendered = render(self.prompts, section, data)
        started = time.monotonic()
        tally = _Tally()
        messages = rendered.request.messages
        reason = ""
        cause: FallbackCause = "rejected"
        for ask in (1, 2):
            request = ChatRequest(
                messages,
                rendered.request.temperature,
                rendered.request.max_tokens,
                section=section,
                ask=ask,
            )
            try:
                completion = self._ask(request, tally)
            except BackendError as exc:
                if exc.fatal or exc.kind == "cancelled":
                    raise  # a setting to fix, or Ctrl-C: no point writing this draft
                reason = f"模型接口调用失败：{exc.message}"
                cause = cause_of(exc)
                if exc.kind not in OUTPUT_KINDS or ask == 2:
                    break  # the retry policy already spent its attempts on this one
                retry = f"回答无法使用（{exc.message.rstrip('。')}），请写得简洁完整"
                messages = (*rendered.request.messages, Message("user", reask_message([retry])))
                continue
            paragraphs = clean(completion.text, section)
            findings = self.check(section, paragraphs, data)
            if not findings:
                return SectionOutcome(
                    paragraphs,
                    self.name,
                    notes=["模型第一次的回答未通过检查，重新提问后通过。"] if ask == 2 else [],
                    prompt_version=rendered.version,
                    usage=self._usage(tally, started),
                )
            problems = [f.message.rstrip("。") for f in findings]
            reason = "模型的回答未通过检查：" + "；".join(problems)
            cause = "rejected"
            messages = (
                *rendered.request.messages,
                Message("assistant", completion.text),
                Message("user", reask_message(problems)),
            )
        note = f"本节由模型 {self.name} 起草失败，已改用离线文本。原因：{reason}"
        return SectionOutcome(
            offline.write_section(section, data),
            OFFLINE,
            notes=[note],
            prompt_version=rendered.version,
            usage=self._usage(tally, started),
            fell_back=True,
            fallback=cause,
        )

    @staticmethod
    def _usage(tally: _Tally, started: float) -> SectionUsage:
        return SectionUsage(
            prompt_tokens=tally.usage.prompt_tokens,
            completion_tokens=tally.usage.completion_tokens,
            total_tokens=tally.usage.total_tokens,
            estimated=tally.usage.estimated,
            latency_s=round(time.monotonic() - started, 3),
            asks=tally.asks,
            requests=tally.requests,
            cached=tally.cached,
        )


def writer_for(settings: Settings) -> SectionWriter:
    """The section writer for the model the settings name (resolved by ``backends.resolve``):
    the offline rules, or a prompt sent to a chat model or a replay. Only the model path loads
    prompts and the SDK; a missing key, a bad replay or a broken prompt stops here, before any
    request."""
    from .backends.resolve import get_backend, resolve_model

    model = resolve_model(settings=settings)
    if model.kind == "offline":
        return OfflineWriter()
    from .prompts import load_prompts

    prompts = load_prompts()  # before the backend, so a broken prompt fails without a request
    if model.replay is not None:
        model.replay.require([None], official.SECTION_IDS)  # a draft has no eval case
    backend = get_backend(model)
    if settings.cache and model.endpoint is not None:  # a replay is local and exact: never cached
        from .backends.cached import cached, max_bytes_of

        backend = cached(backend, model.endpoint, max_bytes=max_bytes_of(settings))
    return ModelWriter(backend, prompts)
