"""Measure the model path's judgement on the labelled answer corpus (issue 10): how many faithful
answers it throws away, and how many faults of each class it catches.

    python evals/answers/measure.py                   # the table of figures
    python evals/answers/measure.py --show faithful   # every rejected faithful answer, with its findings
    python evals/answers/measure.py --show label-swap # every answer of a class, caught or not
    python evals/answers/measure.py --json out.json   # the figures and every verdict, for comparing runs

Each labelled answer of ``answers.yaml`` goes through what ``drafting draft`` does to a model's
answer before it accepts it — ``narrative.clean`` then ``narrative.model_check`` against its case's
data (the case as ``suite.yaml`` loads it, with last year's data) — and nothing else: no re-ask, no
fallback, no model. An answer is rejected when the check returns any finding.

- A faithful answer must be accepted, and keep every text its case requires intact (URLs).
- Chatter, a repeated heading and a damaged URL must not reach the draft: kept out when the cleaned
  text no longer holds them, or when the answer is rejected.
- Any other fault must be rejected. "Own finding" counts the rejections with a finding the answer's
  faithful twin does not get, i.e. caught for its own sake rather than for a false alarm both share.

A draft script for now: phase 2 wires the same figures into ``drafting eval`` (terminal and HTML).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from drafting.backends.replay import load_replay  # noqa: E402
from drafting.data.model import ReportData  # noqa: E402
from drafting.evaluation.suite import Contains, NotContains, load_suite  # noqa: E402

FAITHFUL = "faithful"
KEEP_OUT = frozenset({"chatter-before", "chatter-after", "chatter-note", "repeated-heading", "url-damage"})


def judge(section: str, text: str, data: ReportData) -> tuple[list[str], list[tuple[str, str]]]:
    """(the cleaned paragraphs, the findings as (rule, message)): the model path's judgement
    (``narrative.judge``: cleaning, the strict checks, the prompt echo), on the prompt the
    package ships."""
    from drafting.narrative import judge as judge_answer
    from drafting.prompts import load_prompts, render

    prompt = render(_prompts(load_prompts), section, data).request.messages
    judged = judge_answer(section, text, data, prompt)
    return judged.paragraphs, [(f.rule, f.message) for f, _ in judged.findings]


_LOADED: list[object] = []


def _prompts(load: object) -> object:
    if not _LOADED:
        _LOADED.append(load())  # type: ignore[operator]
    return _LOADED[0]


@dataclass
class Verdict:
    id: str
    label: str
    section: str
    rejected: bool
    findings: list[tuple[str, str]]
    missing: list[str] = field(default_factory=list)  # required texts the cleaned answer lost
    leaked: list[str] = field(default_factory=list)  # texts that must stay out and did not
    own: bool = False  # a fault rejected with a finding its twin does not get

    @property
    def ok(self) -> bool:
        """Faithful: accepted and intact. Keep-out classes: nothing leaked. Other faults: rejected."""
        if self.label == FAITHFUL:
            return not self.rejected and not self.missing
        if self.label in KEEP_OUT:
            return self.rejected or not self.leaked
        return self.rejected


def measure(suite_path: Path, replay_path: Path) -> list[Verdict]:
    suite = load_suite(suite_path)
    cases = {c.id: c for c in suite.cases}
    replay = load_replay(replay_path)
    verdicts: list[Verdict] = []
    for entry in replay.entries:
        if not entry.label or not isinstance(entry.case, str):
            continue  # the plain answers for the sections not under test
        case = cases[entry.case]
        text = entry.answers()[0]
        paragraphs, findings = judge(entry.section, text, case.loaded.data)
        body = "\n".join(paragraphs)
        present = [t for e in case.expect if isinstance(e, Contains) for t in e.spec().texts()]
        absent = [t for e in case.expect if isinstance(e, NotContains) for t in e.spec().texts()]
        verdicts.append(
            Verdict(
                entry.case,
                entry.label,
                entry.section,
                bool(findings),
                findings,
                missing=[t for t in present if t not in body],
                leaked=[t for t in absent if t in body],
            )
        )
    by_id = {v.id: v for v in verdicts}
    for v in verdicts:
        twin = by_id.get(v.id.split("--", 1)[0]) if "--" in v.id else None
        if v.rejected and twin is not None:
            v.own = bool({m for _, m in v.findings} - {m for _, m in twin.findings})
    return verdicts


def report(verdicts: list[Verdict]) -> str:
    faithful = [v for v in verdicts if v.label == FAITHFUL]
    faults = [v for v in verdicts if v.label != FAITHFUL]
    rejected = [v for v in faithful if v.rejected]
    damaged = [v for v in faithful if v.missing]
    lines = [f"模型回答语料：{len(verdicts)} 条（忠实 {len(faithful)}，错误 {len(faults)}）", ""]
    lines.append(
        f"忠实回答被拒绝：{len(rejected)}/{len(faithful)}（误拒率 {_rate(len(rejected), len(faithful))}）；"
        f"网址等必须保留的文字被清理坏：{len(damaged)} 条"
    )
    by_section = Counter(v.section for v in rejected)
    totals = Counter(v.section for v in faithful)
    lines.append("  按部分：" + "，".join(f"{s} {by_section[s]}/{totals[s]}" for s in totals))
    reasons = Counter(code for v in rejected for code in {c for c, _ in v.findings})
    lines.append("  拒绝理由（规则，回答数）：" + "，".join(f"{c} {n}" for c, n in reasons.most_common()))
    caught = [v for v in faults if v.ok]
    lines.append("")
    lines.append(
        f"错误被发现：{len(caught)}/{len(faults)}（发现率 {_rate(len(caught), len(faults))}；"
        f"放过 {len(faults) - len(caught)} 条，{_rate(len(faults) - len(caught), len(faults))}）"
    )
    judged = [v for v in faults if v.label not in KEEP_OUT]
    own = sum(v.own for v in judged)
    lines.append(
        f"  其中须由检查拒绝的 {len(judged)} 条：拒绝 {sum(v.ok for v in judged)}，"
        f"因其自身的错误而拒绝（孪生的忠实回答没有这条发现）{own}（{_rate(own, len(judged))}）"
    )
    kept = [v for v in faults if v.label in KEEP_OUT]
    cleaned = sum(1 for v in kept if not v.leaked and not v.rejected)
    lines.append(
        f"  须挡在草稿外的 {len(kept)} 条（客套话、重复标题、坏网址）：清理掉 {cleaned}，"
        f"靠拒绝挡住 {sum(v.rejected for v in kept)}，进入草稿 {sum(not v.ok for v in kept)}"
    )
    lines.append(f"  {'类别':24s}{'条数':>4s}{'发现':>5s}{'自身发现':>7s}  说明")
    for label in sorted({v.label for v in faults}, key=_order):
        group = [v for v in faults if v.label == label]
        found = sum(v.ok for v in group)
        own = sum(v.own for v in group)
        how = "清理掉或拒绝" if label in KEEP_OUT else "拒绝"
        lines.append(f"  {label:24s}{len(group):4d}{found:5d}{own:7d}  {how}")
    lines += ["", "按来源和半数（A 半选定重合度门槛，B 半报告；见 tune.py）：", by_group(verdicts)]
    return "\n".join(lines)


def half(answer_id: str) -> str:
    """The half of the corpus an answer falls in, by the hash of its twin (a fault and its twin
    together): tune.py chooses the overlap thresholds on A and reports them on B."""
    twin = answer_id.split("--", 1)[0]
    return "A" if hashlib.sha256(twin.encode()).digest()[0] % 2 == 0 else "B"


# Where an answer comes from, by its id: the templates, or a hand-written batch (the third measured
# blind once, before any check was changed for it).
SOURCES = (("hw3-", "手写第三批"), ("hw2-", "手写第二批"), ("hw-", "手写第一批"), ("", "模板"))


def source(answer_id: str) -> str:
    return next(name for prefix, name in SOURCES if answer_id.startswith(prefix))


def by_group(verdicts: list[Verdict]) -> str:
    """Faithful answers accepted and faults caught per source and per half."""
    lines = [f"  {'':12s}{'忠实回答被采用':>12s}{'错误被发现':>12s}{'挡在草稿外':>10s}"]
    groups = [(name, [v for v in verdicts if source(v.id) == name]) for _, name in reversed(SOURCES)]
    groups += [(f"{h} 半", [v for v in verdicts if half(v.id) == h]) for h in ("A", "B")]
    for name, group in groups:
        faithful = [v for v in group if v.label == FAITHFUL]
        faults = [v for v in group if v.label != FAITHFUL]
        kept = [v for v in faults if v.label in KEEP_OUT]
        lines.append(f"  {name:12s}{_count(faithful):>14s}{_count(faults):>14s}{_count(kept):>12s}")
    return "\n".join(lines)


def _count(group: list[Verdict]) -> str:
    return f"{sum(v.ok for v in group)}/{len(group)}"


def _order(label: str) -> tuple[int, str]:
    return (1 if label in KEEP_OUT else 0, label)


def _rate(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "—"


def show(verdicts: list[Verdict], label: str) -> str:
    out = []
    for v in verdicts:
        if v.label != label or (label == FAITHFUL and v.ok):
            continue
        state = "通过" if v.ok else "未通过"
        out.append(f"{v.id}  [{state}]")
        out.extend(f"    {code}: {message}" for code, message in v.findings)
        out.extend(f"    清理后缺少：{t}" for t in v.missing)
        out.extend(f"    进入了正文：{t}" for t in v.leaked)
    return "\n".join(out) or "（无）"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", type=Path, default=HERE / "suite.yaml")
    parser.add_argument("--replay", type=Path, default=HERE / "answers.yaml")
    parser.add_argument(
        "--show", metavar="LABEL", help="list the answers of one label (faithful: the rejected ones)"
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every verdict as JSON")
    args = parser.parse_args()
    verdicts = measure(args.suite, args.replay)
    print(show(verdicts, args.show) if args.show else report(verdicts))
    if args.json:
        args.json.write_text(
            json.dumps([asdict(v) | {"ok": v.ok} for v in verdicts], ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
