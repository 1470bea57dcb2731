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
from .backends.base import OUTPUT_KINDS, Backend, BackendError, ChatRequest, Completion, Message, Usage
from .data.model import ReportData
from .document import SectionUsage

if TYPE_CHECKING:
    from .backends.ratelimit import RateLimiter
    from .config import Settings
    from .prompts import PromptSet

OFFLINE = "offline"


@dataclass(frozen=True)
class SectionOutcome:
    paragraphs: list[str]
    backend: str  # who wrote the text that stands: offline or openai:<model>
    notes: list[str] = field(default_factory=list)
    prompt_version: str | None = None
    usage: SectionUsage | None = None
    fell_back: bool = False


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
        line = offline.fullwidth(line)
        if not line or line.rstrip("：:。") in headings:
            continue
        out.append(line)
    return out


# --- checking a model's section -------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    code: str
    message: str  # Chinese, addressed to the model in a re-ask and to the user in a note


def _overview_shape(paragraphs: list[str]) -> list[Finding]:
    findings = []
    starts = [p[:3] for p in paragraphs]
    last = -1
    for n, (_, title) in enumerate(official.OVERVIEW_SUBSECTIONS, 1):
        label = official.paren_ordinal(n)
        where = [i for i, s in enumerate(starts) if s.startswith(label)]
        if not where:
            findings.append(
                Finding("structure", f"缺少小节“{label}{title}”：它应单独成段，以“{label}{title}。”开头")
            )
            continue
        i = where[0]
        if title not in paragraphs[i][: len(label) + len(title) + 6]:
            findings.append(Finding("structure", f"小节“{label}”应为“{label}{title}”"))
        if i < last:
            findings.append(Finding("structure", f"小节“{label}{title}”的顺序不对，应按（一）至（五）的顺序"))
        last = max(last, i)
    extra = official.paren_ordinal(len(official.OVERVIEW_SUBSECTIONS) + 1)
    if any(s.startswith(extra) for s in starts):
        findings.append(Finding("structure", f"本部分只有（一）至（五）五个小节，不应有“{extra}”"))
    return findings


def check_section(section: str, paragraphs: list[str], data: ReportData) -> list[Finding]:
    """The check of one model-written section: the check library's errors on its text (numbers
    bound to the data, claims, years, register, the fee statement of 六), plus what the library
    only warns about but a model's section must get right: all five sub-parts of 一, and
    改进措施 opening on year+1."""
    from .checks import check_section as library_check

    if not "\n".join(paragraphs).strip():
        return [Finding("empty", "正文为空")]
    # Warnings (e.g. a 【待补充】 marker the prompt asked for) do not justify a re-ask.
    findings = [
        Finding(f.rule, f.message.rstrip("。"))
        for f in library_check(section, paragraphs, data)
        if f.severity == "error"
    ]
    if section == "overview":
        findings += _overview_shape(paragraphs)
    elif section == "improvements":
        s, nxt = data.self_reference, data.year + 1
        if not paragraphs[0].startswith(("下一步", f"{nxt}年")):
            findings.append(Finding("opening", f"改进措施应以“{nxt}年，{s}将……”或“下一步，{s}将……”开头"))
    return findings


Check = Callable[[str, list[str], ReportData], list[Finding]]


# --- the model path ------------------------------------------------------------------------------


def reask_message(findings: list[Finding]) -> str:
    items = "\n".join(f"{n}. {f.message}。" for n, f in enumerate(findings, 1))
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


# An answer fetched before the writer runs (a batch result), or why there is none.
Answer = Completion | BackendError


class ModelWriter:
    """Writes a section with a prompt and a chat backend, checks it, re-asks once, falls back."""

    def __init__(
        self,
        backend: Backend,
        prompts: PromptSet,
        check: Check = check_section,
        limiter: RateLimiter | None = None,
    ) -> None:
        self.backend = backend
        self.prompts = prompts
        self.check = check
        self.limiter = limiter  # the quota its backend's requests go through, for a progress display

    @property
    def name(self) -> str:
        return self.backend.name

    @property
    def prompt_versions(self) -> dict[str, str]:
        return self.prompts.versions()

    def close(self) -> None:
        self.backend.close()

    def _ask(self, request: ChatRequest, tally: _Tally, answer: Answer | None = None) -> Completion:
        try:
            if isinstance(answer, BackendError):
                raise answer
            completion = answer if answer is not None else self.backend.complete(request)
        except BackendError as exc:
            tally.requests += exc.attempts
            tally.asks += 1
            raise
        tally.add(completion)
        return completion

    def write(self, section: str, data: ReportData, answers: Sequence[Answer] = ()) -> SectionOutcome:
        """The section, written by the model. ``answers`` are answers already fetched for the first
        asks (a provider batch's): they enter the same path — clean, check, re-ask, fallback — and
        only the asks beyond them go to the backend."""
        from .prompts import render

        rendered = render(self.prompts, section, data)
        started = time.monotonic()
        tally = _Tally()
        messages = rendered.request.messages
        reason = ""
        for ask in (1, 2):
            request = ChatRequest(messages, rendered.request.temperature, rendered.request.max_tokens)
            try:
                completion = self._ask(request, tally, answers[ask - 1] if ask <= len(answers) else None)
            except BackendError as exc:
                if exc.fatal or exc.kind == "cancelled":
                    raise  # a setting to fix, or Ctrl-C: no point writing this draft
                reason = f"模型接口调用失败：{exc.message}"
                if exc.kind not in OUTPUT_KINDS or ask == 2:
                    break  # the retry policy already spent its attempts on this one
                retry = Finding(exc.kind, f"回答无法使用（{exc.message.rstrip('。')}），请写得简洁完整")
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
            reason = "模型的回答未通过检查：" + "；".join(f.message for f in findings)
            messages = (
                *rendered.request.messages,
                Message("assistant", completion.text),
                Message("user", reask_message(findings)),
            )
        note = f"本节由模型 {self.name} 起草失败，已改用离线文本。原因：{reason}"
        return SectionOutcome(
            offline.write_section(section, data),
            OFFLINE,
            notes=[note],
            prompt_version=rendered.version,
            usage=self._usage(tally, started),
            fell_back=True,
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
    """The section writer a run's settings ask for. Only the model path loads prompts and the SDK."""
    if settings.model.strip().lower() == OFFLINE:
        return OfflineWriter()
    from .backends.base import get_backend
    from .cache import CachedBackend, ResponseCache
    from .config import resolve_endpoint
    from .prompts import load_prompts

    endpoint = resolve_endpoint(settings=settings)
    prompts = load_prompts()  # before the backend, so a broken prompt fails without a request
    backend: Backend = get_backend(endpoint)
    limiter = None
    if endpoint.rpm is not None or endpoint.tpm is not None:
        from .backends.ratelimit import RateLimitedBackend, RateLimiter

        # One limiter for the whole run: every section of every draft shares the endpoint's quota.
        limiter = RateLimiter(endpoint.rpm, endpoint.tpm, endpoint.rate_window)
        backend = RateLimitedBackend(backend, limiter)
    if settings.cache:  # outside the limiter: an answer from the cache costs no quota
        backend = CachedBackend(backend, ResponseCache(), endpoint.base_url, endpoint.model)
    return ModelWriter(backend, prompts, limiter=limiter)
