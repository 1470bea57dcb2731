"""Two windows saving one draft at once: are accepted changes ever lost? (issue 17, item 1)

Races pairs of processes on fresh copies of the reference draft and prints how many accepted
changes were lost. A pair is two processes that start together (a barrier) and each save one change:
- ``cli``: two ``drafting revise DRAFT --section … --text-file F`` runs (the real command, in a
  forked child that has the package imported already, so a pair costs milliseconds, not a start-up),
  the second a random 0–150 ms after the first;
- ``lib``: two ``RevisionSession``s that open the draft, make their edit, wait for each other, then
  accept at the same instant (the worst case for the compare-and-swap); in every other pair one
  side opens the draft only as the other starts saving;
- ``mixed``: one of each, on different sections;
- ``exec``: two ``drafting revise`` processes started with ``subprocess`` (interpreter start-up
  included, as a user runs them; slow, so fewer of them).

A change is *lost* when its process said ``已保存`` and exited 0 but its text is in no entry of the
final history; a change is *false-refused* when its process exited non-zero but its text is in the
file anyway. Both must be 0. Refusals (the loser told "changed by another program" or "being changed
in another window", exit 2) are expected and counted.

    python bench/bench_race.py [--pairs 100] [--exec-pairs 10] [--seed 1]

Prints figures; asserts nothing (``tests/test_revise_race.py`` runs it and reads them).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "daxinganling-2023.yaml"
STEM = "daxinganling-2023"
KINDS = ("cli", "lib", "mixed")
# Words for the unique text of each change: no digits, so no check refuses a figure it cannot bind.
WORDS = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏"


def token(pair: int, side: str) -> str:
    digits = []
    n = pair
    for _ in range(4):
        digits.append(WORDS[n % len(WORDS)])
        n //= len(WORDS)
    return f"{side}方修改{''.join(digits)}"


def change_text(pair: int, side: str) -> str:
    return f"我局还存在一些不足，记为{token(pair, side)}。\n人员更换频繁，工作延续性不强。"


@dataclass
class Side:
    side: str  # 甲 or 乙
    how: str  # cli / lib / exec
    section: str
    code: int = -1
    said: str = ""


# --- the two kinds of child ------------------------------------------------------------------------


def _child_cli(draft: str, section: str, text_file: str, out_file: str, barrier: Any, delay: float) -> None:
    """The real ``drafting revise`` command in this (forked) process, its output to a file. It
    starts ``delay`` seconds after the barrier, so that its reading of the draft may fall while
    the other side is saving."""
    fd = os.open(out_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    from drafting.cli import cli

    barrier.wait()
    time.sleep(delay)
    cli.main(
        ["revise", draft, "--section", section, "--text-file", text_file],
        prog_name="drafting",
        standalone_mode=True,
    )


def _child_lib(draft: str, section: str, text: str, out_file: str, barrier: Any, late: bool) -> None:
    """The library call the web workspace makes: open, edit, accept. Both sides accept together,
    or (``late``) this side opens the draft only when the other one starts saving."""
    from drafting.errors import DraftingError
    from drafting.revise.session import RevisionSession

    if late:
        barrier.wait()
    session = RevisionSession(draft)
    session.edit(section, text)
    if not late:
        barrier.wait()
    try:
        entry = session.accept()
    except DraftingError as exc:
        Path(out_file).write_text(exc.message, encoding="utf-8")
        os._exit(2)
    session.finish()
    Path(out_file).write_text(f"已保存：{draft}（修改历史第 {entry.n} 条）", encoding="utf-8")
    os._exit(0)


def _drafting_command() -> list[str]:
    script = Path(sys.executable).with_name("drafting")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from drafting.cli import main; main()"]


# --- one pair --------------------------------------------------------------------------------------


def _fresh_draft(template: Path, where: Path) -> Path:
    where.mkdir(parents=True)
    for f in template.iterdir():
        if not f.name.startswith("."):
            shutil.copy2(f, where / f.name)
    return where / f"{STEM}.draft.json"


def run_pair(ctx: Any, template: Path, work: Path, pair: int, kind: str) -> list[Side]:
    draft = _fresh_draft(template, work / f"pair{pair}")
    if kind == "mixed":
        sides = [Side("甲", "cli", "problems"), Side("乙", "lib", "other")]
    elif kind == "exec":
        sides = [Side("甲", "exec", "problems"), Side("乙", "exec", "problems")]
    else:
        sides = [Side("甲", kind, "problems"), Side("乙", kind, "problems")]
    if kind == "exec":
        procs = []
        for s in sides:
            text_file = draft.parent / f"{s.side}.txt"
            text_file.write_text(change_text(pair, s.side), encoding="utf-8")
            args = ["revise", str(draft), "--section", s.section, "--text-file", str(text_file)]
            procs.append(
                subprocess.Popen(
                    [*_drafting_command(), *args],
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        for s, p in zip(sides, procs, strict=True):
            out, _ = p.communicate(timeout=120)
            s.code, s.said = p.returncode, out
        return sides
    barrier = ctx.Barrier(len(sides))
    children = []
    rng = random.Random(pair)
    for n, s in enumerate(sides):
        out_file = draft.parent / f"{s.side}.out"
        text = change_text(pair, s.side)
        if s.how == "cli":
            text_file = draft.parent / f"{s.side}.txt"
            text_file.write_text(text, encoding="utf-8")
            delay = rng.uniform(0, 0.15) if n else 0.0
            args = (str(draft), s.section, str(text_file), str(out_file), barrier, delay)
            proc = ctx.Process(target=_child_cli, args=args)
        else:
            late = n == 1 and pair % 2 == 1
            args = (str(draft), s.section, text, str(out_file), barrier, late)
            proc = ctx.Process(target=_child_lib, args=args)
        proc.start()
        children.append((s, proc, out_file))
    for s, proc, out_file in children:
        proc.join(120)
        s.code = proc.exitcode if proc.exitcode is not None else -1
        s.said = out_file.read_text(encoding="utf-8") if out_file.exists() else ""
    return sides


def judge(draft: Path, pair: int, sides: list[Side]) -> dict[str, int]:
    """Lost and false-refused changes of one pair, from the final draft file."""
    raw = json.loads(draft.read_text(encoding="utf-8"))
    after = [" ".join((e.get("after") or {}).get("paragraphs", [])) for e in raw.get("history", [])]
    counts = {"saved": 0, "refused": 0, "lost": 0, "false_refused": 0, "other": 0}
    for s in sides:
        mine = token(pair, s.side)
        stored = any(mine in text for text in after)
        if s.code == 0 and "已保存" in s.said:
            counts["saved"] += 1
            counts["lost"] += not stored
        elif s.code != 0:
            counts["refused"] += 1
            counts["false_refused"] += stored
        else:
            counts["other"] += 1
    # The text that stands is the last change's text, for every section that has one.
    for section in raw["sections"]:
        last = [e for e in raw.get("history", []) if e.get("section") == section["id"] and e.get("after")]
        if last and last[-1]["after"]["paragraphs"] != section["paragraphs"]:
            counts["other"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=100, help="forked pairs (cli, lib, mixed in turn)")
    parser.add_argument("--exec-pairs", type=int, default=10, help="pairs started with subprocess")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    random.seed(args.seed)

    import drafting
    from drafting.data import load_data
    from drafting.draft import draft_report, write_draft

    print(f"package: {Path(drafting.__file__).parent}")
    # Children are forked from a server process that has the package imported and no threads.
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["drafting.cli", "drafting.cli.revise", "drafting.revise.session"])
    totals: dict[str, dict[str, int]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = work / "template"
        write_draft(draft_report(load_data(EXAMPLE)), template, STEM, ("md",))
        plan = [KINDS[i % len(KINDS)] for i in range(args.pairs)] + ["exec"] * args.exec_pairs
        for pair, kind in enumerate(plan):
            sides = run_pair(ctx, template, work, pair, kind)
            counts = judge(work / f"pair{pair}" / f"{STEM}.draft.json", pair, sides)
            into = totals.setdefault(kind, {"pairs": 0})
            into["pairs"] += 1
            for k, v in counts.items():
                into[k] = into.get(k, 0) + v
            for s in sides:
                if s.code not in (0, 2) or (s.code == 2 and not _told(s.said)):
                    print(f"  pair {pair} ({kind}) {s.side}: exit {s.code}: {s.said.strip()[:300]}")
    wall = time.perf_counter() - started
    all_pairs = sum(t["pairs"] for t in totals.values())
    lost = sum(t.get("lost", 0) for t in totals.values())
    false_refused = sum(t.get("false_refused", 0) for t in totals.values())
    print(f"race: {all_pairs} pairs in {wall:.1f} s")
    for kind, t in totals.items():
        print(
            f"  {kind:5} pairs {t['pairs']:3}  saved {t.get('saved', 0):3}  refused {t.get('refused', 0):3}"
            f"  lost {t.get('lost', 0)}  false-refused {t.get('false_refused', 0)}  other {t.get('other', 0)}"
        )
    print(f"total: pairs {all_pairs}, lost {lost}, false-refused {false_refused}")


def _told(said: str) -> bool:
    return "被其他程序改动过" in said or "正在被另一个窗口修改" in said


if __name__ == "__main__":
    main()
