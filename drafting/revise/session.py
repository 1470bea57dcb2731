"""``RevisionSession``: revising a draft file section by section, with nothing lost.

A change is first a ``Proposal`` (a model's revision of an instruction, a manual edit, or the
section regenerated from the data) with the checks' findings on it, those it brought marked new.
Accepting it writes the whole draft file at once (``atomic_write``: temp file, fsync, rename) with
a history entry: time, instruction, text before and after, model and prompt version. Undo and redo
are entries too, replayed on opening (``history.py``), so reopening a draft resumes the session,
and a killed process leaves the file before or after a change, never between.

Tables are locked: an instruction that asks for a data change is answered, not sent to a model.
Pinned sentences are put back if a revision or regeneration loses them. No terminal code here: the
terminal loop (``cli/revise_tui.py``), the non-interactive command and a future web workspace all drive this.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from .. import official, offline, pins
from ..backends.base import Backend, BackendError, ChatRequest, OnText
from ..chars import writable
from ..config import OFFLINE
from ..document import Draft, Section, SectionUsage, load_draft, parse_draft
from ..errors import DraftingError, InputError, OutputError
from ..files import decode_utf8, read_bytes
from ..history import ChangeKind, Dropped, Entry, EntryKind, Stacks, TextState, entries, next_number, replay
from ..keys import looks_like_key
from ..narrative import clean
from .checking import RevisionFinding, change_findings, section_findings
from .locked import asks_for_data_change, needs_model, tables_locked
from .prompt import RevisionPrompts, retry_request

if TYPE_CHECKING:
    from ..config import Settings

DRAFT_SUFFIX = ".draft.json"
MANUAL = "manual"
# A proposal's fields its history entry keeps as they are (``Proposal.recorded``).
RECORDED = ("instruction", "before", "model", "prompt_version")


@dataclass(frozen=True)
class Proposal:
    """A change not yet accepted: what the section would become, and what the checks say."""

    section: str
    kind: ChangeKind
    instruction: str
    before: TextState
    after: TextState
    findings: list[RevisionFinding]  # on ``after``; ``new`` marks those the change brought
    restored: list[str] = field(default_factory=list)  # pinned sentences put back
    model: str = ""
    prompt_version: str | None = None
    usage: SectionUsage | None = None
    request: ChatRequest | None = None  # the revision request, for a retry
    answer: str = ""  # the model's raw answer

    @property
    def changed(self) -> bool:
        return self.before.paragraphs != self.after.paragraphs

    @property
    def new_findings(self) -> list[RevisionFinding]:
        return [f for f in self.findings if f.new]

    @property
    def new_errors(self) -> list[RevisionFinding]:
        return [f for f in self.findings if f.new and f.is_error]

    def recorded(self) -> dict[str, Any]:
        """What the history entry of this proposal, once accepted, keeps besides its kind, section
        and text after (``Entry``'s fields of the same names), and the new findings as the author saw them."""
        kept = {name: getattr(self, name) for name in RECORDED}
        return {**kept, "findings": [f.render() for f in self.new_findings]}


@dataclass(frozen=True)
class SectionStatus:
    id: str
    label: str  # 一、总体情况 / 五、…（一）存在的主要问题
    short: str  # 总体情况 / 存在的主要问题
    chars: int
    errors: int
    warnings: int
    edited: bool
    pins: int
    backend: str


@dataclass(frozen=True)
class Finished:
    written: list[Path]
    failed: list[tuple[Path, str]]  # a document that could not be rendered, and why
    notes: tuple[str, ...] = ()  # what to know about a document written (a PDF in substitute fonts)


def section_label(section: Section) -> str:
    return section.heading + section.title


def short_label(section: Section) -> str:
    if section.title:
        return section.title[3:]  # （一）存在的主要问题 → 存在的主要问题
    return section.heading.split("、", 1)[-1]


def split_paragraphs(text: str) -> list[str]:
    """The author's text as paragraphs: one per non-empty line (a form feed or a vertical tab
    breaks a line too), ends trimmed, and without the control characters no document can hold
    (saved, they made every later run fail until --undo)."""
    lines = (writable(line).strip() for line in text.splitlines())
    return [line for line in lines if line]


def draft_stem(path: Path) -> str:
    name = path.name
    return name[: -len(DRAFT_SUFFIX)] if name.endswith(DRAFT_SUFFIX) else path.stem


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RevisionSession:
    """One author revising one draft file. ``backend`` is the chat model (None: offline, where
    manual edits, regeneration, pins, undo and redo still work)."""

    def __init__(self, path: Path | str, backend: Backend | None = None, *, prompts_dir: Path | None = None):
        self.path = Path(path)
        # The draft and the digest the save compares against come from one read of the file: read
        # twice, another window's save could fall between them and be overwritten unseen.
        raw = read_bytes(self.path, "草稿文件")
        self.draft: Draft = parse_draft(decode_utf8(raw, str(self.path), "草稿文件"), str(self.path))
        self._digest = _digest(raw)
        try:
            self.data = self.draft.report_data()
        except ValidationError:
            raise InputError(
                f"草稿文件 {self.path} 中记录的数据无法读取。",
                hint="请用 drafting draft 从数据文件重新生成草稿。",
            ) from None
        self.history: list[Entry] = entries(self.draft)
        self.stacks: Stacks = replay(self.history)
        self.backend = backend
        self.pending: Proposal | None = None
        self.changed = False  # this session changed the draft file
        self._prompts_dir = prompts_dir
        self._prompts: RevisionPrompts | None = None
        self._checked: dict[tuple[Any, ...], list[RevisionFinding]] = {}

    # --- reading --------------------------------------------------------------------------------

    @property
    def model_name(self) -> str:
        return self.backend.name if self.backend is not None else OFFLINE

    @property
    def section_ids(self) -> list[str]:
        return [s.id for s in self.draft.sections]

    def section(self, name: str) -> Section:
        """The section ``name`` names: its id, its number, or its Chinese name
        (``official.resolve_section``)."""
        section_id = official.resolve_section(name)
        try:
            return self.draft.section(section_id)
        except KeyError:
            raise InputError(
                f"草稿中没有“{name}”这一节。",
                hint=f"可修订的节：{'、'.join(self.section_ids)}。",
            ) from None

    def findings(self, section_id: str) -> list[RevisionFinding]:
        """The checks on a section as it stands (kept until its text or pins change)."""
        section = self.section(section_id)
        key = (section.id, tuple(section.paragraphs), tuple(section.pinned))
        if key not in self._checked:
            self._checked[key] = section_findings(section.id, section.paragraphs, self.data, section.pinned)
        return self._checked[key]

    def status(self) -> list[SectionStatus]:
        out = []
        for section in self.draft.sections:
            found = self.findings(section.id)
            errors = sum(1 for f in found if f.is_error)
            out.append(
                SectionStatus(
                    id=section.id,
                    label=section_label(section),
                    short=short_label(section),
                    chars=sum(len(p) for p in section.paragraphs),
                    errors=errors,
                    warnings=len(found) - errors,
                    edited=section.edited,
                    pins=len(section.pinned),
                    backend=section.backend,
                )
            )
        return out

    def entry(self, number: int) -> Entry:
        return next(e for e in self.history if e.n == number)

    def next_undo(self) -> Entry | None:
        return self.entry(self.stacks.undo[-1]) if self.stacks.undo else None

    def next_redo(self) -> Entry | None:
        return self.entry(self.stacks.redo[-1]) if self.stacks.redo else None

    # --- proposing ------------------------------------------------------------------------------

    def revise(self, section_id: str, instruction: str, on_text: OnText | None = None) -> Proposal:
        """Ask the model to revise a section. Tables are locked: a data change is answered with
        what to do instead. A failed or interrupted request changes nothing."""
        section = self.section(section_id)
        instruction = instruction.strip()
        if not instruction:
            raise InputError("修改要求是空的。", hint="请写明要怎样修改，如“压缩到200字以内”。")
        if looks_like_key(instruction):
            raise InputError(
                "修改要求中有一段像是密钥（如 sk- 开头的一串字符）：为免泄露，这次没有发给模型，也没有记入修改历史。",
                hint="请删去这段字符后重新输入。密钥只放在环境变量里，不要写进修改要求。",
            )
        if asks_for_data_change(instruction):
            raise tables_locked(instruction, self.draft.provenance.data_file, str(self.path))
        if self.backend is None:
            raise needs_model()
        if self._prompts is None:
            self._prompts = RevisionPrompts(self._prompts_dir)
        prompt = self._prompts.render(section.id, self.data, section.paragraphs, instruction, section.pinned)
        return self._ask(section, instruction, prompt.request, prompt.request, prompt.version, on_text)

    def retry(self, on_text: OnText | None = None) -> Proposal:
        """Ask again for the pending revision, telling the model its last answer was not taken."""
        pending = self.pending
        if pending is None or pending.kind != "revise" or pending.request is None:
            raise InputError("没有可以重试的修订。", hint="重试用于模型的修订：先输入修改要求。")
        section = self.section(pending.section)
        request = retry_request(pending.request, pending.answer)
        return self._ask(
            section, pending.instruction, pending.request, request, pending.prompt_version, on_text
        )

    def _ask(
        self,
        section: Section,
        instruction: str,
        base: ChatRequest,
        request: ChatRequest,
        version: str | None,
        on_text: OnText | None,
    ) -> Proposal:
        assert self.backend is not None
        started = time.monotonic()
        completion = self.backend.complete(request, on_text)
        paragraphs = clean(completion.text, section.id)
        if not paragraphs:
            raise BackendError("模型返回的修订中没有正文，本节未作改动。", kind="empty")
        placed = pins.restore(paragraphs, section.pinned, section.paragraphs)
        usage = SectionUsage(
            prompt_tokens=completion.usage.prompt_tokens,
            completion_tokens=completion.usage.completion_tokens,
            total_tokens=completion.usage.total_tokens,
            estimated=completion.usage.estimated,
            latency_s=round(time.monotonic() - started, 3),
            asks=1,
            requests=completion.attempts,
            cached=int(completion.cached),
        )
        after = TextState(
            paragraphs=placed.paragraphs,
            backend=self.backend.name,
            edited=True,
            prompt_version=version,
            usage=usage,
        )
        return self._propose(
            section,
            "revise",
            instruction,
            after,
            restored=placed.restored,
            model=self.backend.name,
            prompt_version=version,
            usage=usage,
            request=base,
            answer=completion.text,
        )

    def edit(self, section_id: str, text: str) -> Proposal:
        """The author's own text for a section (one paragraph per line). Pins are not put back:
        the author's edit is taken as written, and the checks say if a pin went missing."""
        section = self.section(section_id)
        paragraphs = split_paragraphs(text)
        if not paragraphs:
            raise InputError("修改后的正文是空的，本节未作改动。")
        if looks_like_key(text):
            raise InputError(
                "修改后的正文中有一段像是密钥（如 sk- 开头的一串字符）：为免泄露，本节未作改动，也没有记入修改历史。",
                hint="请删去这段字符后重新保存。",
            )
        after = TextState(paragraphs=paragraphs, backend=MANUAL, edited=True)
        return self._propose(section, "manual", "手工修改", after, model=MANUAL)

    def regenerate(self, section_id: str) -> Proposal:
        """The section as the offline drafter writes it from the data, pins kept. No model needed."""
        section = self.section(section_id)
        placed = pins.restore(
            offline.write_section(section.id, self.data), section.pinned, section.paragraphs
        )
        after = TextState(paragraphs=placed.paragraphs, backend=OFFLINE)
        return self._propose(
            section, "regenerate", "按数据重新生成", after, restored=placed.restored, model=after.backend
        )

    def _propose(
        self, section: Section, kind: ChangeKind, instruction: str, after: TextState, **extra: Any
    ) -> Proposal:
        findings = change_findings(
            section.id,
            section.paragraphs,
            after.paragraphs,
            self.data,
            section.pinned,
            instruction=instruction if kind == "revise" else "",
            restored=extra.get("restored", ()),
        )
        self.pending = Proposal(
            section.id, kind, instruction, TextState.of(section), after, findings, **extra
        )
        return self.pending

    # --- deciding -------------------------------------------------------------------------------

    def reject(self) -> None:
        self.pending = None

    def accept(self) -> Entry:
        """Apply the pending proposal and save the draft with its history entry."""
        proposal = self.pending
        if proposal is None:
            raise InputError("没有待接受的修改。")
        section = self.section(proposal.section)
        if section.paragraphs != proposal.before.paragraphs:
            self.pending = None
            raise DraftingError("本节在这份修订提出之后已有改动，修订已作废，请重新提出。")
        return self._record(proposal.kind, proposal.section, proposal.after, **proposal.recorded())

    def undo(self) -> Entry:
        """Revert the last accepted change still standing (any section), and save."""
        return self._step("undo", self.next_undo())

    def redo(self) -> Entry:
        """Apply again the change last undone, and save."""
        return self._step("redo", self.next_redo())

    def _step(self, kind: Literal["undo", "redo"], target: Entry | None) -> Entry:
        """Undo goes from ``target``'s after back to its before; redo the other way (a pin is taken
        off, an unpin put back). Either is a history entry of its own, so the stacks can be replayed
        when the draft is reopened."""
        what = "撤销" if kind == "undo" else "重做"
        if target is None:
            raise self._nothing_to(what)
        assert target.section is not None
        if target.kind in ("pin", "unpin"):
            return self._step_pin(kind, target, what)
        assert target.before is not None and target.after is not None
        start, end = (target.after, target.before) if kind == "undo" else (target.before, target.after)
        self._check_current(target, start, what)
        return self._record(
            kind,
            target.section,
            end,
            instruction=f"{what}第 {target.n} 条（{target.instruction}）",
            before=start,
            of=target.n,
        )

    def _nothing_to(self, what: str) -> DraftingError:
        aside = self.set_aside()
        if what == "撤销" and aside:
            names = "、".join(official.section_label(d.section) for _, d in aside)
            return DraftingError(
                "没有可撤销的修改：重新起草（drafting draft）之后，修改历史从那一次重新算起。",
                hint=(
                    f"重新起草时未能保留的修改（{names}）已另存，可用 drafting revise {self.path} --restore "
                    "恢复（加 --section 只恢复一节）。"
                ),
            )
        return DraftingError(f"没有可{what}的修改。")

    def _step_pin(self, kind: Literal["undo", "redo"], target: Entry, what: str) -> Entry:
        """Undoing a pin unpins its sentence, undoing an unpin pins it again; redo the other way."""
        assert target.section is not None
        section = self.section(target.section)
        sentence = target.sentence
        pin = (target.kind == "pin") == (kind == "redo")
        if (pin and sentence in section.pinned) or (not pin and sentence not in section.pinned):
            raise DraftingError(
                f"无法{what}：第 {target.n} 条的句子“{sentence}”现在已经{'固定' if pin else '不是固定的句子'}。"
            )
        pinned = [*section.pinned, sentence] if pin else [p for p in section.pinned if p != sentence]
        label = "固定" if target.kind == "pin" else "取消固定"
        return self._record(
            kind,
            section.id,
            pinned=pinned,
            instruction=f"{what}第 {target.n} 条（{label}：{sentence}）",
            sentence=sentence,
            of=target.n,
        )

    def _check_current(self, target: Entry, expected: TextState, what: str) -> None:
        assert target.section is not None
        if self.section(target.section).paragraphs != expected.paragraphs:
            raise DraftingError(
                f"无法{what}：本节现在的文字与修改历史第 {target.n} 条记录的不一致（草稿可能被手工改动过）。",
                hint="可用手工修改（edit）直接改写本节。",
            )

    def sentence(self, section_id: str, given: str) -> str:
        """The sentence ``given`` names: its number as ``pin`` lists it (``1.2``: the second sentence
        of the first paragraph), or the text itself."""
        given = given.strip()
        if re.fullmatch(r"\d+[.．。]\d+", given):
            numbered = dict(pins.numbered_sentences(self.section(section_id).paragraphs))
            key = re.sub(r"[．。]", ".", given)
            if key not in numbered:
                raise InputError(
                    f"本节没有编号为 {given} 的句子。",
                    hint=f"编号是“段.句”，本节有 {len(numbered)} 句：可用 --show 或交互修订中的 pin 列出。",
                )
            return numbered[key]
        return given

    def pin(self, section_id: str, sentence: str) -> Entry:
        """Pin a piece of the section's text (or its sentence by number, ``1.2``): revisions and
        redrafts keep it verbatim."""
        section = self.section(section_id)
        sentence = self.sentence(section.id, sentence)
        if not sentence:
            raise InputError("要固定的句子是空的。")
        if sentence in section.pinned:
            raise InputError(f"“{sentence}”已经固定。")
        if not pins.present(sentence, section.paragraphs):
            raise InputError(
                f"“{sentence}”不在本节正文中：固定的句子须与正文一字不差。",
                hint="可先列出本节的句子编号（交互修订中输入 pin），再用编号固定，如 pin 1.2 或 --pin 1.2。",
            )
        return self._record("pin", section.id, pinned=[*section.pinned, sentence], sentence=sentence)

    def unpin(self, section_id: str, sentence: str) -> Entry:
        section = self.section(section_id)
        sentence = self.sentence(section.id, sentence)
        if sentence not in section.pinned:
            raise InputError(f"“{sentence}”不是本节固定的句子。")
        pinned = [p for p in section.pinned if p != sentence]
        return self._record("unpin", section.id, pinned=pinned, sentence=sentence)

    # --- edits a redraft set aside ----------------------------------------------------------------

    def set_aside(self, section_id: str | None = None) -> list[tuple[Entry, Dropped]]:
        """The accepted edits the last redraft could not keep (``carry``), not brought back yet:
        with the redraft's entry. Only the last redraft counts: the ones before it were written
        over data that has changed since."""
        wanted = None if section_id is None else self.section(section_id).id
        redraft = next((e for e in reversed(self.history) if e.kind == "redraft"), None)
        if redraft is None:
            return []
        return [
            (redraft, d)
            for d in redraft.dropped
            if (wanted is None or d.section == wanted)
            and self.section(d.section).paragraphs != d.text.paragraphs
        ]

    def restore(self, section_id: str) -> Proposal:
        """The edit the last redraft set aside for a section, as a change to accept (and undo)."""
        section = self.section(section_id)
        found = self.set_aside(section.id)
        if not found:
            raise InputError(
                f"“{short_label(section)}”没有重新起草时另存的修改。",
                hint="另存的修改只来自最近一次 drafting draft；可用 --log 查看修改历史。",
            )
        redraft, dropped = found[0]
        placed = pins.restore(dropped.text.paragraphs, section.pinned, section.paragraphs)
        after = dropped.text.model_copy(update={"paragraphs": placed.paragraphs, "edited": True})
        return self._propose(
            section,
            "restore",
            f"恢复重新起草时另存的修改（修改历史第 {redraft.n} 条：{dropped.reason}）",
            after,
            restored=placed.restored,
            model=after.backend,
        )

    # --- saving ---------------------------------------------------------------------------------

    def _record(
        self,
        kind: EntryKind,
        section_id: str,
        state: TextState | None = None,
        *,
        pinned: list[str] | None = None,
        **fields: Any,
    ) -> Entry:
        """Make ``section_id``'s text ``state`` (or its pins ``pinned``) and save the draft with the
        history entry that says so: numbered next, stamped now, ``after`` the new text, ``fields``
        its other fields (``Entry``). Only once saved is the change the session's: a failed save
        leaves the session, and the file, as they were."""
        entry = Entry(
            n=next_number(self.history), time=_now(), kind=kind, section=section_id, after=state, **fields
        )
        sections = []
        for section in self.draft.sections:
            if section.id == section_id:
                if state is not None:
                    section = state.apply(section)
                if pinned is not None:
                    section = section.model_copy(update={"pinned": pinned})
            sections.append(section)
        draft = self.draft.model_copy(
            update={"sections": sections, "history": [*self.draft.history, entry.as_json()]}
        )
        self._save(draft)
        self.draft = draft
        self.history.append(entry)
        self.stacks = replay(self.history)
        self.pending = None
        self.changed = True
        return entry

    def _disk_digest(self) -> str:
        try:
            return _digest(self.path.read_bytes())
        except OSError:
            return ""

    def _save(self, draft: Draft) -> None:
        """Compare and swap, under the draft's lock (``locks.py``): the file is replaced only if it
        is still the one this session read, and no other window can save between the comparison
        and the rename. Another window's save in progress is waited for (a bounded wait)."""
        from ..files import atomic_write
        from ..locks import file_lock

        text = draft.to_json()
        with file_lock(self.path):
            if self._disk_digest() != self._digest:
                raise OutputError(
                    f"草稿文件 {self.path} 在本次修订期间被其他程序改动过（可能另开了修订，或重新运行了 drafting draft），"
                    "为免覆盖别处的改动，这次修改没有保存。",
                    hint=f"请退出后重新打开：drafting revise {self.path}",
                )
            atomic_write(self.path, text)
        self._digest = _digest(text.encode("utf-8"))

    def documents(self) -> list[Path]:
        """The rendered documents beside the draft: the .md always, and every other format present."""
        from ..writers import FORMATS

        stem = draft_stem(self.path)
        found = [self.path.with_name(f"{stem}.{fmt}") for fmt in FORMATS]
        return [p for p in found if p.suffix == ".md" or p.exists()]

    def finish(self, *, force: bool = False, on_render: Callable[[Path], None] | None = None) -> Finished:
        """Rewrite the rendered documents if the draft changed (in this session, or in one that
        ended before it could: a document older than the draft). They are rendered first, then
        replaced together (``atomic_write_all``); one that cannot be rendered (PDF without
        LibreOffice) is reported and the others are still written. ``on_render`` is told of each
        document before it is rendered (a PDF takes seconds: the author is told what is happening).
        A session that changed nothing creates no document that was not there."""
        from ..files import atomic_write_all
        from ..locks import file_lock
        from ..writers import render

        with file_lock(self.path):  # the documents follow the draft file as it is on disk
            current = self.draft
            if self._disk_digest() not in (self._digest, ""):
                current = load_draft(self.path)  # another window saved after this session did
            try:
                stamp = self.path.stat().st_mtime
            except OSError:
                stamp = 0.0
            targets = self.documents()
            if not (force or self.changed):
                targets = [p for p in targets if p.exists() and p.stat().st_mtime < stamp]
                if not targets:
                    return Finished([], [])
            rendered: dict[Path, str | bytes] = {}
            failed: list[tuple[Path, str]] = []
            for path in targets:
                if on_render is not None:
                    on_render(path)
                try:
                    rendered[path] = render(current, path.suffix.lstrip("."))
                except DraftingError as exc:
                    failed.append((path, exc.message))
            try:
                atomic_write_all(rendered)
            except DraftingError as exc:
                return Finished([], failed + [(path, exc.message) for path in rendered])
        notes: tuple[str, ...] = ()
        if any(path.suffix == ".pdf" for path in rendered):
            from ..writers.pdf import pdf_font_note

            notes = tuple(n for n in (pdf_font_note(),) if n)
        return Finished(list(rendered), failed, notes)

    def close(self) -> None:
        if self.backend is not None:
            self.backend.close()


def backend_for(settings: Settings) -> Backend | None:
    """The chat backend of the model the settings name (``backends.resolve``), or None for
    offline. Revisions bypass the response cache: a retry must reach the model, and a revision's
    request (the current text) rarely repeats. A replay is refused: its answers are first drafts of
    each section, not answers to an instruction."""
    from ..backends.resolve import get_backend, model_kind, resolve_model

    if model_kind(settings.model) == "replay":
        raise InputError(
            f"修订不能使用回放模型“{settings.model}”：回放文件里是起草各部分时的回答，不是对修改要求的回答。",
            hint=(
                "按文字要求修订请用真实模型，如 --model deepseek 或 --model openai:<模型名>；"
                "用 --model offline 时仍可手工修改、按数据重新生成、固定句子、撤销和重做。"
            ),
        )
    model = resolve_model(settings=settings)
    return None if model.kind == "offline" else get_backend(model)


def describe(entry: Entry, labels: Sequence[tuple[str, str]] = ()) -> str:
    """One line for an entry: ``#3 2026-11-20 10:31 按要求修订 problems：压缩到200字以内``."""
    from ..history import KIND_LABELS

    names = dict(labels)
    where = names.get(entry.section or "", entry.section or "")
    what = entry.instruction or entry.sentence
    when = entry.time.astimezone().strftime("%Y-%m-%d %H:%M")
    text = f"#{entry.n} {when} {KIND_LABELS[entry.kind]}"
    if where:
        text += f" {where}"
    if what:
        text += f"：{what}"
    if entry.kind == "redraft":
        kept = "、".join(names.get(s, s) for s in entry.kept) or "无"
        text += f"：保留 {kept}"
        for section, numbers in entry.updated.items():
            text += f"；{names.get(section, section)} 中的数字按新数据更新（{'，'.join(numbers)}）"
        for d in entry.dropped:
            text += f"；未保留 {names.get(d.section, d.section)}（{d.reason}）"
    return text
