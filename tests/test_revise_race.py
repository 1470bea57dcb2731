"""Two windows saving one draft at once never lose an accepted change (issue 17, item 1).

The race itself is ``bench/bench_race.py`` (it prints the figures for the README and the issue);
here it runs with 100 pairs of real processes — the ``drafting revise`` command and the library
call, on one section and on two — plus a few started as a user starts them, and every change a
process said it saved must be in the final history, and none it refused."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest

from drafting.errors import OutputError
from drafting.locks import FileBusy, file_lock, holder, lock_path

from .bench_support import run_bench


def test_100_racing_pairs_lose_no_accepted_change() -> None:
    done = run_bench("bench_race.py", "--pairs", "100", "--exec-pairs", "10")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    total = re.search(r"total: pairs (\d+), lost (\d+), false-refused (\d+)", out)
    assert total, out
    assert total.groups() == ("110", "0", "0"), out
    for kind in ("cli", "lib", "mixed", "exec"):
        line = re.search(rf"{kind} +pairs +(\d+) +saved +(\d+) +refused +(\d+) .* other (\d+)", out)
        assert line, out
        pairs, saved, refused, other = map(int, line.groups())
        assert saved + refused == 2 * pairs and other == 0, out
    # Same-section pairs that start together do collide: the loser is told, not silently dropped.
    lib = re.search(r"lib +pairs +\d+ +saved +\d+ +refused +(\d+)", out)
    assert lib and int(lib.group(1)) > 0, out
    # A child that exited otherwise than 0, or 2 with the message, is printed: there is none.
    assert not re.search(r"pair \d+ \(", out), out
    assert "Traceback" not in done.stderr


# --- the lock itself --------------------------------------------------------------------------------


def test_a_second_holder_waits_then_is_told_who_holds_it(tmp_path: Path) -> None:
    target = tmp_path / "报告.draft.json"
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with file_lock(target):
            held.set()
            release.wait(10)

    other = threading.Thread(target=hold)
    other.start()
    assert held.wait(5)
    assert "进程" in holder(target)
    started = time.monotonic()
    with pytest.raises(
        FileBusy, match=r"正在被另一个窗口修改（进程 \d+：.*起），等待 0 秒后仍未完成"
    ) as busy:
        with file_lock(target, timeout=0.3):
            pass
    assert busy.value.exit_code == 2 and time.monotonic() - started >= 0.3
    release.set()
    other.join(5)
    with file_lock(target, timeout=1):  # free again
        pass
    assert not lock_path(target).exists()  # the sidecar goes with its holder


def test_a_waiter_gets_the_lock_when_it_is_let_go(tmp_path: Path) -> None:
    target = tmp_path / "data.yaml"
    order: list[str] = []

    def first() -> None:
        with file_lock(target):
            order.append("first in")
            time.sleep(0.3)
            order.append("first out")

    t = threading.Thread(target=first)
    t.start()
    while not order:
        time.sleep(0.01)
    with file_lock(target, timeout=5):
        order.append("second in")
    t.join()
    assert order == ["first in", "first out", "second in"]


def test_the_lock_is_reentrant_in_one_thread(tmp_path: Path) -> None:
    target = tmp_path / "a.draft.json"
    with file_lock(target, timeout=0.2), file_lock(target, timeout=0.2):
        assert lock_path(target).exists()
    assert not lock_path(target).exists()


def test_a_folder_that_cannot_be_written_is_said_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match=r"无法在 .* 建立修改锁"):
        with file_lock(tmp_path / "missing" / "a.draft.json"):
            pass


def test_a_holder_killed_with_sigkill_leaves_no_stale_lock(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys

    target = tmp_path / "a.draft.json"
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom drafting.locks import file_lock\n"
            f"with file_lock({str(target)!r}):\n    print('held', flush=True)\n    time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    with pytest.raises(FileBusy):
        with file_lock(target, timeout=0.2):
            pass
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert lock_path(target).exists()  # left behind by the killed holder, but not locked
    with file_lock(target, timeout=2):
        pass


def test_a_redraft_waits_for_a_save_in_progress_and_keeps_its_change(tmp_path: Path) -> None:
    from drafting.draft import draft_file
    from drafting.revise.session import RevisionSession

    from .conftest import REFERENCE_EXAMPLE
    from .revise_support import STEM, draft_dir

    draft = draft_dir(tmp_path)  # written to tmp_path / "out"
    mine = "我局还存在一些不足，记为保存中的修改。"
    holding = threading.Event()

    def save_slowly() -> None:
        session = RevisionSession(draft)
        session.edit("problems", mine)
        with file_lock(draft):  # as a save in progress holds it (the accept takes it again)
            holding.set()
            time.sleep(0.5)
            session.accept()

    saver = threading.Thread(target=save_slowly)
    saver.start()
    assert holding.wait(5)
    outcome = draft_file(REFERENCE_EXAMPLE, draft.parent, ("md",))  # drafting draft over it, meanwhile
    saver.join(5)
    assert outcome.error is None and outcome.written is not None
    assert draft.name == f"{STEM}.draft.json"
    kept = outcome.written.draft.section("problems")
    assert kept.paragraphs == [mine] and kept.edited  # carried over, not overwritten
    assert [e["kind"] for e in outcome.written.draft.history][:1] == ["manual"]
