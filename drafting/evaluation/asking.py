"""Asking a judge model: its clients, its prompt files, and one re-ask for an answer that cannot be read.

Judges are chat models named as drafting models are (``openai:<model>``, ``deepseek`` …), resolved
before the first draft so a missing key stops the run at once. One client per model serves the
whole run; each sample of a model has its own response-cache scope (``cached(sample=…)``), so
several samples at a temperature above 0 are several graders and a rerun answers them all from
the cache. An answer that cannot be read is sent back once with the problem; a second one that
cannot be read, or an endpoint that fails after the retry policy, leaves the grade without a score
and says why. A setting the provider refuses (a bad key, an unknown model) stops the run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .. import official, statements
from ..backends.base import OUTPUT_KINDS, Backend, BackendError, ChatRequest, Message
from ..backends.resolve import ModelChoice, get_backend, resolve_model
from ..config import Settings
from ..data.model import ReportData
from ..errors import InputError
from ..prompts import BUILT_IN, SUFFIX, PromptFile, default_dir, load_task_prompt
from ..threads import map_bounded
from .verdicts import Grade, PairOrder, Read


def judge_models(specs: Sequence[str], settings: Settings) -> dict[str, ModelChoice]:
    """Every judge model named, resolved (a missing key is an ``InputError`` here, before any draft)."""
    out: dict[str, ModelChoice] = {}
    for spec in dict.fromkeys(s.strip() for s in specs):
        try:
            choice = resolve_model(spec, settings)
        except InputError as exc:
            raise InputError(f"评分模型“{spec}”：{exc.message}", hint=exc.hint) from None
        if choice.kind != "chat":
            raise InputError(
                f"评分模型“{spec}”不能用于评分：评分要由对话模型回答。",
                hint="评分模型写作 openai:<模型名>（配合 --base-url）或预设，如 deepseek、qwen:qwen-max。",
            )
        out[spec] = choice
    return out


def task_prompt(task_id: str) -> PromptFile:
    """A judge's prompt file: the office's own (``DRAFTING_PROMPTS``) when it has one, else the
    package's — a folder copied before judges existed still drafts and judges."""
    folder = default_dir()
    return load_task_prompt(task_id, folder if (folder / f"{task_id}{SUFFIX}").is_file() else BUILT_IN)


@dataclass
class Clients:
    """Chat backends for an eval's drafts and its judges: one client per model for the whole run,
    one response-cache scope per repeat (an eval's) and per sample (a judge's), so that neither
    replays the first one's answer (``backends.cached.cached``)."""

    cache: bool = True
    max_bytes: int = 200_000_000
    _inner: dict[str, Backend] = field(default_factory=dict, init=False)
    _scoped: dict[tuple[str, int, int], Backend] = field(default_factory=dict, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)

    def backend(self, model: ModelChoice, sample: int = 1, *, repeat: int = 1) -> Backend:
        from ..backends.cached import cached

        assert model.endpoint is not None
        with self._lock:
            inner = self._inner.get(model.spec)
            if inner is None:
                inner = self._inner[model.spec] = get_backend(model)
            if not self.cache:
                return inner
            key = (model.spec, repeat, sample)
            backend = self._scoped.get(key)
            if backend is None:
                backend = cached(inner, model.endpoint, repeat, max_bytes=self.max_bytes, sample=sample)
                self._scoped[key] = backend
            return backend

    def close(self) -> None:
        for backend in self._inner.values():
            backend.close()


@dataclass(frozen=True)
class Asked:
    """What asking (and perhaps re-asking) gave: the answer read, or why there is none."""

    read: Read | None
    answers: list[str]
    cached: bool
    tokens: int
    unscored: str = ""

    def kept(self) -> dict[str, Any]:
        """What a grade or a pairwise order keeps of the asking, beside the value read."""
        reason = self.read.reason if self.read else ""
        return {
            "reason": reason,
            "unscored": self.unscored,
            "answers": self.answers,
            "cached": self.cached,
            "tokens": self.tokens,
        }


def reask_message(problem: str) -> str:
    return f"你的回答无法使用：{problem.rstrip('。')}。请按原来的要求重新回答：只输出一个 JSON 对象，不要输出其他任何文字。"


def ask(backend: Backend, request: ChatRequest, read: Callable[[str], Read]) -> Asked:
    """Ask; re-ask once when the answer cannot be read (or came back unusable); never guess."""
    messages = request.messages
    answers: list[str] = []
    tokens = 0
    from_cache = True
    problem = ""
    for n in (1, 2):
        try:
            completion = backend.complete(
                ChatRequest(messages, request.temperature, request.max_tokens, ask=n)
            )
        except BackendError as exc:
            if exc.fatal or exc.kind == "cancelled":
                raise  # a setting to fix, or Ctrl-C
            if exc.kind in OUTPUT_KINDS and n == 1:
                problem = exc.message
                messages = (*request.messages, Message("user", reask_message(problem)))
                continue
            return Asked(None, answers, False, tokens, f"模型接口调用失败：{exc.message}")
        answers.append(completion.text)
        tokens += completion.usage.total_tokens
        from_cache = from_cache and completion.cached
        got = read(completion.text)
        if got.ok:
            return Asked(got, answers, from_cache, tokens)
        problem = got.problem
        messages = (
            *request.messages,
            Message("assistant", completion.text),
            Message("user", reask_message(problem)),
        )
    return Asked(None, answers, from_cache and bool(answers), tokens, f"重新提问后仍无法使用：{problem}")


T = TypeVar("T")
A = TypeVar("A", Grade, PairOrder)  # what a judge's answer becomes


def ask_each_once(
    tasks: Sequence[T],
    key: Callable[[T], Hashable],
    work: Callable[[T], A],
    workers: int,
    on_done: Callable[[], None] | None = None,
) -> list[A]:
    """``work`` over ``tasks``, in their order, each distinct request (``key``) asked once: drafts
    that read the same (two prompt versions that differ elsewhere, repeats that wrote the same
    text) would otherwise race each other past the response cache and pay twice. A task whose
    request an earlier one asked gets that answer marked as from the cache: it cost nothing more."""
    firsts: dict[Hashable, int] = {}
    for i, task in enumerate(tasks):
        firsts.setdefault(key(task), i)
    unique = list(firsts.values())

    def each(_: int, __: A) -> bool:
        if on_done is not None:
            on_done()
        return False

    asked = map_bounded(work, [tasks[i] for i in unique], max(1, workers), on_each=each)
    by_key = {key(tasks[i]): asked[n] for n, i in enumerate(unique)}
    out: list[A] = []
    for i, task in enumerate(tasks):
        got = by_key[key(task)]
        shared = firsts[key(task)] != i and bool(got.answers)  # a failure is not a cache hit
        out.append(got.model_copy(update={"cached": True}) if shared else got)
    return out


# --- what the judge reads ------------------------------------------------------------------------


def draft_text(paragraphs: Callable[[str], list[str]], sections: Sequence[str] = ()) -> str:
    """The narrative the judge reads: each part (``sections``, default all) under its heading."""
    blocks = []
    for sid in sections or official.SECTION_IDS:
        paras = paragraphs(sid)
        if paras:
            blocks.append(official.section_label(sid, " ") + "\n" + "\n".join(paras))
    return "\n\n".join(blocks)


def facts_text(data: ReportData, sections: Sequence[str] = ()) -> str:
    """The author's facts of those parts, topic by topic, as the drafting prompts show them."""
    lines: list[str] = []
    for sid in sections or official.SECTION_IDS:
        lines.extend(line for line in statements.fact_lines(sid, data) if line not in lines)
    return "\n".join(lines)


def base_values(data: ReportData) -> dict[str, str]:
    return {"agency": data.agency.name, "year": str(data.year)}
