"""Nothing lost: a process killed (SIGKILL, no cleanup) while saving leaves the draft file as it
was before the change or after it, loadable, its text and its history in step; the next run works.

The save is held open at a chosen step by a test-only wrapper around ``os.fsync`` / ``os.replace``
installed in the child process (no hook in the product), then the child is killed there. A second
test kills a busy loop of saves at random moments: after a random number of saves, counted as the
child reports them, so that the test holds on a machine of any speed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from drafting.document import load_draft
from drafting.history import CHANGE_KINDS
from drafting.revise.session import RevisionSession

from .revise_support import STEM, draft_dir, offline_text

HOLD = r"""
import os, sys, time
point, nth = sys.argv[1], int(sys.argv[2])
real = getattr(os, point)
calls = [0]
def held(*args, **kwargs):
    calls[0] += 1
    if calls[0] == nth:
        sys.stderr.write("HELD\n")
        sys.stderr.flush()
        time.sleep(60)
    return real(*args, **kwargs)
setattr(os, point, held)
from drafting.cli import cli
cli(sys.argv[3:], prog_name="drafting")
"""

MINE = "2023年，我局政府信息公开工作还存在一些不足。\n人员更换频繁，工作延续性不强。"


def _kill_when_held(args: list[str], point: str, nth: int) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, point, str(nth), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert line.strip() == "HELD", line + proc.stderr.read()
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=10) == -signal.SIGKILL


@pytest.mark.parametrize("point", ["fsync", "replace"])
def test_killed_while_saving_the_draft_leaves_it_as_it_was(tmp_path: Path, point: str) -> None:
    draft = draft_dir(tmp_path)
    text = tmp_path / "mine.txt"
    text.write_text(MINE, encoding="utf-8")
    before = draft.read_bytes()
    args = ["revise", str(draft), "--section", "problems", "--text-file", str(text)]
    _kill_when_held(args, point, 1)  # the first fsync/rename of the run is the draft's

    assert draft.read_bytes() == before
    assert load_draft(draft).section("problems").paragraphs == offline_text("problems")
    # What the kill left is a temp file beside it, never a half draft; the next run is unaffected.
    again = subprocess.run(
        [sys.executable, "-c", "from drafting.cli import main; main()", *args], capture_output=True, text=True
    )
    assert again.returncode == 0, again.stdout + again.stderr
    saved = load_draft(draft)
    assert saved.section("problems").paragraphs == MINE.split("\n")
    assert [e["kind"] for e in saved.history] == ["manual"]


def test_killed_while_rewriting_the_documents_keeps_the_saved_change(tmp_path: Path) -> None:
    draft = draft_dir(tmp_path)
    text = tmp_path / "mine.txt"
    text.write_text(MINE, encoding="utf-8")
    md = draft.with_name(f"{STEM}.md")
    old_md = md.read_bytes()
    args = ["revise", str(draft), "--section", "problems", "--text-file", str(text)]
    _kill_when_held(args, "replace", 2)  # the draft is in place; the .md is next

    saved = load_draft(draft)
    assert saved.section("problems").paragraphs == MINE.split("\n")
    assert [e["kind"] for e in saved.history] == ["manual"]
    assert md.read_bytes() == old_md  # stale, but whole
    # The next session sees the document is older than the draft and rewrites it.
    finished = RevisionSession(draft).finish()
    assert md in finished.written
    assert "人员更换频繁，工作延续性不强。" in md.read_text(encoding="utf-8")
    assert "一是部分干部" not in md.read_text(encoding="utf-8")


BUSY = r"""
import sys
from drafting.revise.session import RevisionSession
session = RevisionSession(sys.argv[1])
sys.stdout.write("READY\n")
sys.stdout.flush()
n = 0
while True:
    n += 1
    section = ("problems", "improvements", "other")[n % 3]
    session.edit(section, f"第{n}稿的正文。")
    session.accept()
    if n % 4 == 0:
        session.undo()
    if n % 8 == 0:
        session.redo()
    sys.stdout.write("SAVED\n")
    sys.stdout.flush()
"""


def _consistent(path: Path) -> None:
    """The draft loads, and each section's text is what its last history entry put there."""
    session = RevisionSession(path)
    for section_id in session.section_ids:
        changes = [
            e
            for e in session.history
            if e.section == section_id and (e.kind in CHANGE_KINDS or e.kind in ("undo", "redo"))
        ]
        if changes and changes[-1].after is not None:
            assert session.section(section_id).paragraphs == changes[-1].after.paragraphs, section_id


def test_killed_at_random_moments_in_a_loop_of_saves(tmp_path: Path) -> None:
    draft = draft_dir(tmp_path, formats="md")
    rng = random.Random(20261120)
    for _ in range(4):
        proc = subprocess.Popen(
            [sys.executable, "-c", BUSY, str(draft)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "READY", proc.stderr.read() if proc.stderr else ""
        for _ in range(rng.randint(2, 6)):  # let it save a few times, however long that takes …
            assert proc.stdout.readline().strip() == "SAVED", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0, 0.03))  # … then kill it somewhere in the saves that follow
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        _consistent(draft)
    assert len(load_draft(draft).history) > 4  # the loop did save, and was killed mid-stream of saves
