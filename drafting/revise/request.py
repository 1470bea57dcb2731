"""One revision asked for without the terminal loop: what the author wants done to a draft, as one
options object, checked, and done on a ``RevisionSession``.

``drafting revise DRAFT --section problems --instruction … --yes`` builds a ``RevisionRequest`` and
calls ``carry_out``; the web workspace makes the same call. What was done comes back as a
``RevisionDone`` for the front end to show; nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import DraftingError, InputError
from ..history import Entry
from .session import Proposal, RevisionSession


@dataclass(frozen=True)
class RevisionRequest:
    section: str | None = None  # overview / problems / improvements / other
    instruction: str | None = None  # revise with a model, from the author's words
    regenerate: bool = False  # write the section again from the data (offline, pins kept)
    text: str | None = None  # the author's own text for the section (one paragraph a line)
    pin: str | None = None  # a sentence to keep verbatim
    unpin: str | None = None
    restore: bool = False  # bring back the edits the last redraft set aside (one section, or all)
    yes: bool = False  # save a model's revision (without it: a preview)
    force: bool = False  # save even when the change brings new errors
    undo: bool = False
    redo: bool = False

    @property
    def actions(self) -> int:
        """How many of the section actions were asked for (at most one may be)."""
        given = (self.instruction, self.text, self.pin, self.unpin)
        return sum(v is not None for v in given) + self.regenerate + self.restore

    @property
    def interactive(self) -> bool:
        """Nothing to do here: the author revises in the terminal loop instead."""
        return not (self.actions or self.undo or self.redo)

    @property
    def needs_model(self) -> bool:
        return self.instruction is not None

    def check(self) -> None:
        """Options that cannot go together, refused before the draft is opened."""
        if self.actions > 1:
            raise InputError(
                "--instruction、--regenerate、--text-file、--pin、--unpin、--restore 一次只能用一个。",
                hint="要做几件事，请分几次运行，或进入交互修订。",
            )
        if self.actions and self.section is None and not self.restore:
            raise InputError(
                "请用 --section 指明要修订的节。", hint="可用的节：overview、problems、improvements、other。"
            )
        if self.actions and (self.undo or self.redo):
            raise InputError("--undo、--redo 不能与修订选项同用。")
        changes = self.instruction is not None or self.regenerate or self.text is not None
        # --yes says "save": the changes that save without it (--text-file, --regenerate) take it too.
        if self.yes and not changes:
            raise InputError("--yes 只用于 --instruction、--regenerate 或 --text-file。")
        if self.force and not changes:
            raise InputError("--force 只用于 --instruction、--regenerate 或 --text-file。")


@dataclass
class RevisionDone:
    """What ``carry_out`` did: a pin or unpin, or a proposal and whether it was saved, and the
    undos and redos done."""

    pinned: Entry | None = None
    unpinned: Entry | None = None
    proposal: Proposal | None = None
    saved: Entry | None = None
    preview: bool = False  # a model's revision shown, not saved (no --yes)
    refused: int = 0  # new errors that kept the proposal from being saved (no --force)
    restored: list[tuple[Proposal, Entry]] = field(default_factory=list)  # --restore: each one saved
    undone: list[Entry] = field(default_factory=list)
    redone: list[Entry] = field(default_factory=list)
    not_done: DraftingError | None = None  # why an undo or redo could not be done


def carry_out(session: RevisionSession, request: RevisionRequest) -> RevisionDone:
    """Do the section action the request names, or its undo and redo. A model that fails raises
    ``BackendError`` before anything changed; nothing to undo or redo is said in ``not_done``."""
    done = RevisionDone()
    section = request.section
    if request.restore:
        _restore(session, section, done)
    elif section is not None:
        session.section(section)  # an unknown id is named before any request
        _act(session, section, request, done)
    for wanted, act, into in (
        (request.undo, session.undo, done.undone),
        (request.redo, session.redo, done.redone),
    ):
        if not wanted:
            continue
        try:
            into.append(act())
        except DraftingError as exc:
            done.not_done = exc
            break
    return done


def _restore(session: RevisionSession, section: str | None, done: RevisionDone) -> None:
    """Bring back the edits the last redraft set aside: the author's own text, saved even when its
    numbers no longer agree with the data (the findings say which to correct; undo takes it back)."""
    if section is not None:
        wanted = [session.section(section).id]
    else:
        wanted = [d.section for _, d in session.set_aside()]
        if not wanted:
            raise InputError(
                "没有重新起草时另存的修改。",
                hint="另存的修改只来自最近一次 drafting draft（其说明见起草时的提示和 --log）。",
            )
    for section_id in wanted:
        proposal = session.restore(section_id)
        done.restored.append((proposal, session.accept()))


def _act(session: RevisionSession, section: str, request: RevisionRequest, done: RevisionDone) -> None:
    if request.pin is not None:
        done.pinned = session.pin(section, request.pin)
        return
    if request.unpin is not None:
        done.unpinned = session.unpin(section, request.unpin)
        return
    if request.regenerate:
        proposal = session.regenerate(section)
    elif request.text is not None:
        proposal = session.edit(section, request.text)
    elif request.instruction is not None:
        proposal = session.revise(section, request.instruction)
    else:
        return
    done.proposal = proposal
    errors = len(proposal.new_errors)
    if request.instruction is not None and not request.yes:
        done.preview = True
    elif errors and not request.force:
        done.refused = errors
    elif proposal.changed:
        done.saved = session.accept()
