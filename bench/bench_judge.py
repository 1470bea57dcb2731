#!/usr/bin/env python3
"""What the judges of issue 16 cost, and what a panel of graders and the two-order comparison buy,
on the project's suite against the loopback server.

``drafting eval evals/suite.yaml --prompts A --prompts B --model openai:writer --judge-model
openai:judge --pairwise`` runs through the real CLI command (click's runner) against
``tests/openai_stub.py``, in rounds that each start with an empty response cache (repeats would
not do: a repeat that writes the same text is judged by the same requests, asked once); version B's prompts make the writer add a sentence of stock phrases to
each overview (as ``tests/test_eval_two_versions.py`` does). The judge is scripted with a known
noise model, so the estimators can be checked against what they should find:

- **a grader** scores a draft its true quality (4 for A's drafts, 3 for B's stock phrases on the
  rubrics that read the overview) plus noise: −1, 0 or +1 with probabilities 0.2, 0.6, 0.2;
- **the comparing judge** prefers the draft without stock phrases, except that with probability
  ``--follow`` (0.25) it picks whichever draft stands first.

Printed: the requests and the wall time of the run and of its rerun (which must ask nothing); what
judging costs beside drafting (the stub bills characters: its usage is the prompt's and the
answer's characters — Chinese tokenizers give roughly one token per 1–1.5 characters, and real
judges' reasons run longer than the stub's); the graders' spread; the agreement with reviewers who
mark A's drafts good and B's bad, for the first grader alone and for the median of three (a
single grader's expected agreement on the overview rubrics is 80 %, a median of three's 89.6 %);
and the pairwise outcome: the flip rate (expected ``--follow``) and A's win rate with its interval.
The noise is the script's, not a real judge's: these figures check the machinery and the
estimators and measure cost in characters, not the quality of any real model.

    python bench/bench_judge.py              # 4 rounds of 22 drafts, each round with an empty cache
    python bench/bench_judge.py --quick      # one round, three cases
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests/openai_stub.py and the suite's scripted writer

from click.testing import CliRunner  # noqa: E402

from drafting.cli import cli  # noqa: E402
from drafting.evaluation.human_labels import Agreement, Label, LabelsFile, agreement, fingerprint  # noqa: E402
from drafting.evaluation.panels import judge_usage, rate_text, wilson, win_rates  # noqa: E402
from drafting.evaluation.record import RunRecord, load_record  # noqa: E402
from tests.eval_support import SUITE  # noqa: E402
from tests.judge_support import (  # noqa: E402
    SLOGANS,
    Billing,
    judged_text,
    pair_texts,
    prefer,
    score,
    two_versions,
)
from tests.llm_support import FAST  # noqa: E402
from tests.openai_stub import stub_server  # noqa: E402

NOISE = [(-1, 0.2), (0, 0.6), (1, 0.2)]


class Judge:
    """The scripted judge: noisy graders, a comparer that sometimes follows the position."""

    def __init__(self, follow: float, seed: int) -> None:
        self.follow = follow
        self.rng = random.Random(seed)
        self.lock = threading.Lock()

    def _draw(self) -> float:
        with self.lock:
            return self.rng.random()

    def grade(self, body: dict[str, Any]) -> str:
        truth = 3 if SLOGANS in judged_text(body) else 4
        x, noise = self._draw(), 0
        for step, p in NOISE:
            if x < p:
                noise = step
                break
            x -= p
        return score(truth + noise, "按脚本给分")

    def compare(self, body: dict[str, Any]) -> str:
        if self._draw() < self.follow:
            return prefer("A", "先出现的一份")
        first, _ = pair_texts(body)
        return prefer("B" if SLOGANS in first else "A", "另一份多了空话")


def run(args: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = CliRunner().invoke(cli, ["eval", *args])
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(f"the benchmark run failed:\n{result.output}")
    return elapsed, result.output


def labels_for(record: RunRecord, first_version: str) -> LabelsFile:
    """Reviewers who mark the first version's drafts good and the other's bad."""
    return LabelsFile(
        labels=[
            Label(
                prompt=r.prompt,
                model=r.model,
                case=r.case,
                repeat=r.repeat,
                draft=fingerprint(r),
                label="good" if r.prompt == first_version else "bad",
            )
            for r in record.runs
        ]
    )


def first_grader_only(record: RunRecord) -> RunRecord:
    """The same record as if each rubric had one grader: its first sample."""
    runs = []
    for run in record.runs:
        judgements = [j.model_copy(update={"grades": j.grades[:1]}) for j in run.judgements]
        runs.append(run.model_copy(update={"judgements": judgements}))
    return record.model_copy(update={"runs": runs})


def summed(rows: list[list[Agreement]]) -> dict[str, Agreement]:
    """The rubrics' agreement rows of several rounds, added up."""
    out: dict[str, Agreement] = {}
    for round_rows in rows:
        for r in round_rows:
            if r.kind != "评分":
                continue
            s = out.setdefault(r.name, Agreement(r.name, r.kind))
            s.labelled += r.labelled
            s.agree += r.agree
            s.false_pass += r.false_pass
            s.false_fail += r.false_fail
            s.undecided += r.undecided
            s.tokens += r.tokens
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: one round, three cases")
    parser.add_argument("--rounds", type=int, help="independent runs, each with an empty cache (default 4)")
    parser.add_argument("--follow", type=float, default=0.25, help="how often the comparer follows position")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 4)

    with tempfile.TemporaryDirectory(prefix="bench-judge-") as tmp:
        tmp_path = Path(tmp)
        os.environ.update(FAST)
        os.environ["OPENAI_API_KEY"] = "sk-bench-not-a-real-key"
        a, b = two_versions(tmp_path)
        judge = Judge(args.follow, args.seed)
        billing = Billing(judge=judge.grade, pairwise=judge.compare)

        records: list[RunRecord] = []
        with stub_server(reply=billing) as server:
            common = [str(SUITE), "--prompts", str(a), "--prompts", str(b), "--model", "openai:writer"]
            common += ["--judge-model", "openai:judge", "--pairwise"]
            common += ["--base-url", server.base_url, "--concurrency", "4"]
            if args.quick:
                common += ["--case", "daxinganling-2023", "--case", "township-2024", "--case", "pingtan-2022"]
            for n in range(1, rounds + 1):
                os.environ["DRAFTING_HOME"] = str(tmp_path / f"home-{n}")  # an empty cache: new answers
                out = tmp_path / f"run-{n}.json"
                seconds, output = run([*common, "--json", str(out)])
                records.append(load_record(out))
                if n == 1:
                    first_s, requests, first_bill = seconds, len(server.requests), dict(billing.billed)
                    first_asked = dict(billing.asked)
                    rerun_s, _ = run([*common, "--json", str(tmp_path / "rerun.json")])
                    rerun_requests = len(server.requests) - requests
                    if "评分模型用量" not in output:
                        raise SystemExit("the terminal report has no judge usage table")

        record = records[0]
        drafts = len(record.runs)
        print(
            f"suite {SUITE.name}: {len(record.cases)} cases × 2 prompt versions = {drafts} drafts a round, "
            f"{rounds} rounds (each with an empty cache)"
        )
        print(
            f"(1) one run: {requests} requests (drafting {first_asked['draft']}, grading {first_asked['judge']}, "
            f"comparing {first_asked['pairwise']}) in {first_s:.1f} s; "
            f"its rerun: {rerun_requests} requests in {rerun_s:.1f} s"
        )
        per_draft = first_bill["draft"] / drafts
        grading = first_bill["judge"] / drafts
        comparing = first_bill["pairwise"] / drafts
        print(
            f"(2) cost, characters billed per draft: drafting {per_draft:,.0f}; grading (4 rubrics × 3 graders) "
            f"{grading:,.0f} ({grading / per_draft:.1f}× drafting); pairwise {comparing:,.0f} "
            f"({first_bill['pairwise'] / max(1, first_asked['pairwise']):,.0f} per order, 2 orders per pair)"
        )
        for u in judge_usage(record):
            print(
                f"    {u.judge} {u.task}: {u.asked} asks, {u.cached} shared or cached, {u.tokens:,} billed, "
                f"{u.per_ask:,.0f} per ask, {u.spent:,} spent this run"
            )

        judgements = [j for r in records for run in r.runs for j in run.judgements]
        spreads = [s for j in judgements if (s := j.spread) is not None]
        majority = [j.majority is not None for j in judgements if j.scores]
        dist = {k: spreads.count(k) / len(spreads) for k in sorted(set(spreads))}
        print(
            f"(3) graders' spread over {len(spreads)} judgements: "
            + ", ".join(f"{k}: {v * 100:.1f}%" for k, v in dist.items())
            + f"; mean {statistics.mean(spreads):.2f}; a majority in {sum(majority) / len(majority) * 100:.1f}%"
        )

        alone = summed(
            [agreement(labels_for(r, r.prompts[0].label), first_grader_only(r)).rows for r in records]
        )
        panel = summed([agreement(labels_for(r, r.prompts[0].label), r).rows for r in records])
        print("(4) agreement with the reviewers (A good, B bad), one grader → median of three:")
        for name, row in panel.items():
            one = alone[name]
            print(
                f"    {name}: {(one.rate or 0) * 100:.1f}% → {(row.rate or 0) * 100:.1f}% of {row.labelled} "
                f"(false pass {one.false_pass} → {row.false_pass}, false fail {one.false_fail} → {row.false_fail}; "
                f"{one.tokens_per_draft or 0:,.0f} → {row.tokens_per_draft or 0:,.0f} characters a draft)"
            )

        outcomes = [c.outcome for r in records for c in r.pairwise]
        pairs = len(outcomes)
        wins_a, wins_b, ties = outcomes.count("a"), outcomes.count("b"), outcomes.count("tie")
        n = wins_a + wins_b + ties
        rate = (wins_a + ties / 2) / n if n else None
        print(
            f"(5) pairwise over {pairs} pairs: flips {outcomes.count('flip')} "
            f"({outcomes.count('flip') / pairs * 100:.1f}%, expected {args.follow * 100:.0f}%), "
            f"A wins {wins_a}, B wins {wins_b}, ties {ties}; "
            f"A's win rate {rate_text(rate, wilson(wins_a + ties / 2, n))}"
        )
        (w,) = win_rates(record)
        print(f"    one run alone: A's win rate {rate_text(w.rate_a, w.interval_a)}, flips {w.flips}")


if __name__ == "__main__":
    main()
