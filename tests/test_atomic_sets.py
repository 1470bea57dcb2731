"""A draft's files change together: a process killed (SIGKILL, no cleanup) at any step of writing
a set — between any two of its renames, or while its temporary files or its journal are written —
leaves, once the next run has looked at the folder, the whole old set (a command that did not
finish changed nothing), never a mix, and no temporary file, backup or journal; a run that
finished leaves the whole new one.

The kill is placed deterministically by a test-only wrapper around ``os.replace`` / ``os.fsync``
installed in the child process (no hook in the product): the child kills itself just before its
n-th call. Every rename and every flush of a four-file draft is a kill point in turn."""

from __future__ import annotations

import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from drafting.document import load_draft
from drafting.files import recover

from .conftest import DRAFTING, REFERENCE_EXAMPLE
from .hostile_support import example_text, with_agency_name

FORMATS = "md,docx,html"
FILES = ("d.draft.json", "d.md", "d.docx", "d.html")
OLD, NEW = "旧机关名称局", "新机关名称局"

KILL = r"""
import os, signal, sys
point, nth = sys.argv[1], int(sys.argv[2])
real = getattr(os, point)
calls = [0]
def killing(*args, **kwargs):
    calls[0] += 1
    if calls[0] == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
setattr(os, point, killing)
from drafting.cli import cli
cli(sys.argv[3:], prog_name="drafting")
"""


def _interrupted(point: str, nth: int, *args: str, instead: str | None = None) -> list[str]:
    """The command line of ``drafting ARGS`` whose ``nth`` call of ``os.<point>`` is replaced by
    ``instead`` (by default a SIGKILL, as a power cut)."""
    script = KILL if instead is None else KILL.replace("os.kill(os.getpid(), signal.SIGKILL)", instead)
    return [sys.executable, "-c", script, point, str(nth), *args]


def _drafting(*args: str, kill: tuple[str, int] | None = None) -> subprocess.CompletedProcess[str]:
    command = [*DRAFTING, *args] if kill is None else _interrupted(*kill, *args)
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120)


def _data(folder: Path, name: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(with_agency_name(example_text(), name), encoding="utf-8")
    return path


def _whose(path: Path) -> str:
    """Which agency a file of the set was written for."""
    raw = path.read_bytes()
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            raw = z.read("word/document.xml")
    text = raw.decode("utf-8")
    found = {name for name in (OLD, NEW) if name in text}
    assert len(found) == 1, (path, found)
    return found.pop()


def _ours(folder: Path) -> list[str]:
    """Hidden files a write leaves: temporary files, backups, journals. A draft's ``.lock`` sidecar
    (``locks.py``) is not one: harmless once its holder is dead, it goes at the next release."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") and not p.name.endswith(".lock"))


@pytest.fixture(scope="module")
def old_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete draft set of the old data, drafted once for the module."""
    folder = tmp_path_factory.mktemp("old")
    from drafting.data import load_data
    from drafting.draft import draft_report, write_draft

    loaded = load_data(_data(folder, OLD))
    write_draft(draft_report(loaded), folder / "out", "d", FORMATS.split(","))
    return folder / "out"


@pytest.fixture
def old_set(tmp_path: Path, old_template: Path) -> tuple[Path, Path]:
    """A folder holding a complete draft set of the old data, and the new data to draft over it."""
    import shutil

    out = tmp_path / "out"
    shutil.copytree(old_template, out)
    new = tmp_path / "new" / "d.yaml"
    new.parent.mkdir()
    new.write_text(with_agency_name(example_text(), NEW), encoding="utf-8")
    return out, new


# A four-file set: flushes of the journal (1), of the four temporary files (2-5) and of the folder
# after the renames (6); the four renames.
KILL_POINTS = [("fsync", n) for n in range(1, 7)] + [("replace", n) for n in range(1, 5)]


@pytest.mark.parametrize("point", KILL_POINTS, ids=[f"{p}-{n}" for p, n in KILL_POINTS])
def test_a_kill_at_any_step_leaves_the_old_set_or_the_new_one(
    old_set: tuple[Path, Path], point: tuple[str, int]
) -> None:
    out, new = old_set
    killed = _drafting("draft", str(new), "-o", str(out), "--format", FORMATS, kill=point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # The next run that reads the draft from the folder makes the set whole first.
    load_draft(out / "d.draft.json")
    owners = {name: _whose(out / name) for name in FILES}
    assert set(owners.values()) == {OLD}, owners  # never a mix: the set is taken back whole
    assert _ours(out) == []
    # And the same command, run again to the end, writes the whole new set.
    done = _drafting("draft", str(new), "-o", str(out), "--format", FORMATS)
    assert done.returncode == 0, done.stderr
    assert {_whose(out / name) for name in FILES} == {NEW} and _ours(out) == []


def test_a_kill_while_recovering_is_recovered_by_the_run_after(old_set: tuple[Path, Path]) -> None:
    out, new = old_set
    killed = _drafting("draft", str(new), "-o", str(out), "--format", FORMATS, kill=("replace", 3))
    assert killed.returncode == -signal.SIGKILL
    # The first recovery is killed at its first rename (putting the first file back) ...
    again = _drafting("check", str(out / "d.draft.json"), kill=("replace", 1))
    assert again.returncode == -signal.SIGKILL
    assert any(name.endswith(".journal") for name in _ours(out))
    # ... and the one after it (any command that reads the draft) finishes taking the set back.
    after = _drafting("check", str(out / "d.draft.json"))
    assert after.returncode in (0, 1), after.stderr
    assert {_whose(out / name) for name in FILES} == {OLD}
    assert _ours(out) == []


def test_a_failed_rename_takes_the_set_back(old_set: tuple[Path, Path]) -> None:
    """An error (not a kill) on the third rename: the two files already replaced get their old
    content back at once, and the command says so."""
    out, new = old_set
    failing = "raise PermissionError(13, 'denied')"
    done = subprocess.run(
        _interrupted("replace", 3, "draft", str(new), "-o", str(out), "--format", FORMATS, instead=failing),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "已恢复原样" in done.stderr
    assert {_whose(out / name) for name in FILES} == {OLD}
    assert _ours(out) == []


def test_leftovers_of_a_killed_run_are_removed_but_a_living_writers_files_are_not(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "d.md").write_text("旧", encoding="utf-8")
    stale = [out / ".d.md.a1b2c3d4.tmp", out / ".d.draft.json.x_9Zq8k1.bak", out / ".d.md.00ff00ff.journal"]
    for path in stale:
        path.write_text("半", encoding="utf-8")
    unrelated = [out / ".hidden", out / "d.md.tmp", out / ".d.md.toolongname.tmp"]
    for path in unrelated:
        path.write_text("别人的", encoding="utf-8")

    # A living writer: held before its first rename, its journal and temporary files locked.
    holder = subprocess.Popen(
        _interrupted(
            "replace",
            1,
            "draft",
            str(_data(tmp_path, NEW)),
            "-o",
            str(out),
            "--format",
            "md",
            instead="sys.stderr.write('HELD\\n'); sys.stderr.flush(); __import__('time').sleep(60)",
        ),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert holder.stderr is not None
        assert holder.stderr.readline().strip() == "HELD"
        # The holder's own start cleaned the stale files; a second run now must not touch its files.
        living = set(_ours(out))
        assert living and not any(p.name in living for p in stale)
        recover(out)
        assert set(_ours(out)) >= living
    finally:
        holder.kill()
        holder.wait(timeout=10)
    recover(out)  # dead now, before its last rename: the files it added are taken away
    assert _ours(out) == sorted(p.name for p in unrelated if p.name.startswith("."))
    assert all(p.exists() for p in unrelated)
    assert not (out / f"{NEW}.md").exists() and not (out / f"{NEW}.draft.json").exists()
    assert (out / "d.md").read_text(encoding="utf-8") == "旧"


def test_a_single_file_is_never_half_written(tmp_path: Path) -> None:
    """``atomic_write`` of one file: killed before its rename, the old file stays and its temporary
    file is removed by the next run."""
    data = tmp_path / "d.yaml"
    data.write_text("旧内容\n", encoding="utf-8")
    out = tmp_path / "imported.yaml"
    out.write_text("旧内容\n", encoding="utf-8")
    killed = _drafting("import", str(_html_report(tmp_path)), "-o", str(out), "--force", kill=("replace", 1))
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert out.read_text(encoding="utf-8") == "旧内容\n"
    assert _ours(tmp_path)  # the temporary file a kill leaves
    recover(tmp_path)
    assert _ours(tmp_path) == []


def _html_report(folder: Path) -> Path:
    from drafting.data import load_data
    from drafting.draft import draft_report
    from drafting.writers import render

    path = folder / "r.html"
    text = render(draft_report(load_data(REFERENCE_EXAMPLE)), "html")
    assert isinstance(text, str)
    path.write_text(text, encoding="utf-8")
    return path


def test_writers_in_one_folder_never_take_each_others_files_for_leftovers(tmp_path: Path) -> None:
    """Many sets written at once into one folder (``batch collect`` and ``draft --jobs`` do this), each
    write's ``recover`` looking at the others' files: none is removed from under its writer. A file
    made under its final name stood unlocked for an instant, and a draft of 200 failed with
    "文件或文件夹不存在" once in a while."""
    import threading

    from drafting.files import atomic_write, atomic_write_all

    failures: list[BaseException] = []
    stop = threading.Event()

    def writer(n: int) -> None:
        try:
            for i in range(40):
                outputs = {tmp_path / f"r{n}.{ext}": f"{n}-{i}-{ext}" * 50 for ext in ("md", "txt", "json")}
                atomic_write_all(outputs)
                atomic_write(tmp_path / f"single{n}.txt", f"{n}-{i}")
        except BaseException as exc:  # collected for the assertion below
            failures.append(exc)

    def recoverer() -> None:
        while not stop.is_set():
            recover(tmp_path)

    sweeper = threading.Thread(target=recoverer)
    sweeper.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    sweeper.join()
    assert not failures, failures
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f"r{n}.{ext}" for n in range(6) for ext in ("md", "txt", "json")]
        + [f"single{n}.txt" for n in range(6)]
    )
    assert (tmp_path / "r3.md").read_text() == "3-39-md" * 50
