"""Section writers: who writes the prose of one narrative section.

Two kinds, one shape (``write(section, data) -> SectionOutcome``): the offline rules
(``OfflineWriter``) and a prompt sent to a chat backend (``ModelWriter``). The model path is:
render the prompt → ask → ``judge`` (``cleaning``: chatter, notes, fences, Markdown and repeated
headings out; the strict checks of ``checks.model_findings``; an echoed prompt refused) → if wrong,
one re-ask written for the model (``reask_message``: the answer's own words, what the data says, what
to do) → if still wrong, the offline text, with the true reason (and what the re-ask broke anew)
recorded in the draft and shown on the terminal. A failing endpoint costs the user one section's prose, never the
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
from .config import OFFLINE
from .data.model import ReportData
from .document import SectionUsage

if TYPE_CHECKING:
    from .backends.ratelimit import RateLimiter
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
    # The requests and answers the accepted text stands on (the first ask's too when the re-ask
    # was accepted: the re-ask carries it); empty when it fell back. A batch's answers are kept in
    # the response cache from these, so that ``draft`` of the same data asks nothing again.
    answered: tuple[tuple[ChatRequest, Completion], ...] = ()


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


# --- cleaning and judging a model's answer ------------------------------------------------------


def clean(text: str, section: str, urls: Sequence[str] = ()) -> list[str]:
    """Paragraphs from a model's answer (``cleaning.clean_answer``): chatter, notes to the author,
    Markdown and repeated headings taken out, punctuation made full-width outside URLs and numbers."""
    from .cleaning import clean as clean_text

    return clean_text(text, section, urls)


Check = Callable[[str, list[str], ReportData], "list[Finding]"]


def model_check(section: str, paragraphs: list[str], data: ReportData) -> list[Finding]:
    """What a model's section is held to before it is accepted: the check library's errors on it,
    strict (every number bound to the data, the five sub-parts of 一, 改进措施 opening on next year,
    the facts as the only source of practices and problems). Warnings — a 【待补充】 marker the
    prompt asked for — do not justify a re-ask."""
    from .checks import check_section

    return [f for f in check_section(section, paragraphs, data, strict=True) if f.is_error]


@dataclass(frozen=True)
class Judged:
    """A model's answer read as the writer reads it: the paragraphs it would keep, what cleaning
    took out, and the errors it is sent back for, each with what the model is told."""

    paragraphs: list[str]
    removed: list[str]
    findings: list[tuple[Finding, str]]

    @property
    def ok(self) -> bool:
        return not self.findings

    def note(self) -> str | None:
        from .cleaning import Cleaned

        return Cleaned(self.paragraphs, self.removed).note()


def judge(section: str, text: str, data: ReportData, prompt: Sequence[Message] = ()) -> Judged:
    """Clean a model's answer and check it: the one judgement ``ModelWriter`` and the eval make.
    ``prompt`` (the messages sent): an answer that repeats the system prompt or the prompt's data
    is refused."""
    from .checks import model_findings
    from .checks.sources import prompt_echo
    from .cleaning import clean_answer
    from .facts import known_urls

    cleaned = clean_answer(text, section, known_urls(data))
    findings = model_findings(section, cleaned.paragraphs, data)
    if prompt:
        findings += prompt_echo(section, text, [m.content for m in prompt], data)
    return Judged(cleaned.paragraphs, cleaned.removed, findings)


def reask_message(findings: Sequence[tuple[Finding, str] | str], answer: str = "") -> str:
    """The follow-up that sends a rejected answer back, written for the model: one numbered line
    per problem, quoting only words of its answer, saying what the data says and what to do."""
    items = []
    for item in findings:
        if isinstance(item, str):
            items.append(item.rstrip("。") + "。")
            continue
        finding, told = item
        text = told or _for_model(finding)
        quoted = re.match(r"^“([^”]+)”：", text)
        if quoted is not None and answer and _loose(quoted.group(1)) not in _loose(answer):
            text = text[quoted.end() :]  # never quote words the answer does not have
        items.append(text.rstrip("。") + "。")
    listed = "\n".join(f"{n}. {text}" for n, text in enumerate(dict.fromkeys(items), 1))
    return (
        f"你上一次的回答有以下问题：\n{listed}\n"
        "其余内容不要改动。请输出本部分修改后的完整正文，不要加任何说明。"
    )


def _loose(text: str) -> str:
    """Text compared without spaces and with punctuation of either width (the answer before
    cleaning may write ``,`` where the quote has ``，``)."""
    from .chars import fullwidth_punctuation

    return re.sub(r"\s+", "", fullwidth_punctuation(text))


_AUTHOR_WORDS = re.compile(r"[，；]?请改正正文或表格[^。]*|，使两者一致")


def _for_model(finding: Finding) -> str:
    """A finding without words of its own for the model: its message, less what only an author can
    do (change the tables)."""
    return _AUTHOR_WORDS.sub("", finding.message)


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
        check: Check = model_check,
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
        first: Judged | None = None
        cause: FallbackCause = "rejected"
        answered: list[tuple[ChatRequest, Completion]] = []
        for ask in (1, 2):
            request = ChatRequest(
                messages,
                rendered.request.temperature,
                rendered.request.max_tokens,
                section=section,
                ask=ask,
            )
            try:
                completion = self._ask(request, tally, answers[ask - 1] if ask <= len(answers) else None)
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
            answered.append((request, completion))
            judged = self._judge(section, completion.text, data, rendered.request.messages)
            if judged.ok:
                notes = ["模型第一次的回答未通过检查，重新提问后通过。"] if ask == 2 else []
                cleaned = judged.note()
                if cleaned:
                    notes.append(cleaned)
                return SectionOutcome(
                    judged.paragraphs,
                    self.name,
                    notes=notes,
                    prompt_version=rendered.version,
                    usage=self._usage(tally, started),
                    answered=tuple(answered),
                )
            reason = _why(judged, first)
            first = first or judged
            cause = "rejected"
            messages = (
                *rendered.request.messages,
                Message("assistant", completion.text),
                Message("user", reask_message(judged.findings, completion.text)),
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

    def _judge(self, section: str, text: str, data: ReportData, prompt: Sequence[Message]) -> Judged:
        if self.check is model_check:
            return judge(section, text, data, prompt)
        # A writer given its own check (tests, tools): cleaned the same way, judged by that check.
        paragraphs = clean(text, section)
        return Judged(paragraphs, [], [(f, "") for f in self.check(section, paragraphs, data)])

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


def _why(judged: Judged, first: Judged | None) -> str:
    """Why an answer was not kept, truthfully: the problems of the answer that stood last, and —
    after a re-ask — which of them are new (a "repair" that broke something else)."""
    problems = [_for_model(f).rstrip("。") for f, _ in judged.findings]
    if first is None:
        return "模型的回答未通过检查：" + "；".join(problems)
    before = {f.fingerprint for f, _ in first.findings}
    new = [_for_model(f).rstrip("。") for f, _ in judged.findings if f.fingerprint not in before]
    kept = [_for_model(f).rstrip("。") for f, _ in judged.findings if f.fingerprint in before]
    parts = []
    if kept:
        parts.append("重新提问后仍有问题：" + "；".join(kept))
    if new:
        parts.append("重新提问后的回答出现了新的问题：" + "；".join(new))
    return "两次回答都未通过检查。" + "。".join(parts)


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
    limiter = None
    endpoint = model.endpoint
    if endpoint is not None and (endpoint.rpm is not None or endpoint.tpm is not None):
        from .backends.ratelimit import RateLimitedBackend, RateLimiter

        # One limiter for the whole run: every section of every draft shares the endpoint's quota.
        limiter = RateLimiter(endpoint.rpm, endpoint.tpm, endpoint.rate_window)
        backend = RateLimitedBackend(backend, limiter)
    if settings.cache and endpoint is not None:  # a replay is local and exact: never cached
        from .backends.cached import cached, max_bytes_of

        # Outside the limiter: an answer from the cache costs no quota.
        backend = cached(backend, endpoint, max_bytes=max_bytes_of(settings))
    return ModelWriter(backend, prompts, limiter=limiter)
