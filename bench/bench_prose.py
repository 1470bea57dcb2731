#!/usr/bin/env python3
"""How alike the offline drafts of different agencies and years are (issue 14, 内容雷同).

Drafts N generated reports offline — N/2 agencies (county and city bureaus, offices, townships, each
with its own name and way of referring to itself), each for two years two apart, with random figures
that satisfy every cross-sum — and compares every pair of drafts sentence by sentence (preamble and
every narrative section; 【待补充：…】 markers, which are notes to the author, left out). A sentence
counts as shared when both drafts contain it word for word and it still has more than 30 characters
once the official phrases (``drafting.phrasing.OFFICIAL_PHRASES``, each with why it is official) are
taken out. The author's facts are not our wording, so every topic is either not given (a marker) or
given as nothing to add (``[]``), chosen per report.

Prints the number of distinct shared sentences over 30 characters, the pairs of drafts that share
one, the longest shared sentence, and how many pairs of drafts are word-identical in their narrative.
Figures are printed, never asserted.

    python bench/bench_prose.py             # 24 drafts
    python bench/bench_prose.py -n 40
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafting import official  # noqa: E402
from drafting.data.load import Loaded, validate_raw  # noqa: E402
from drafting.draft import draft_report  # noqa: E402
from drafting.evaluation.synthetic import random_data  # noqa: E402
from drafting.phrasing import own_words, sentences  # noqa: E402

PLACES = ("青山县", "临江市", "东湖区", "白沙县", "南岭县", "北川市", "西河区", "安平县", "清水市", "长乐区")
UNITS = (
    ("市场监督管理局", "我局", None),
    ("教育局", "我局", None),
    ("人民政府办公室", "我办", None),
    ("卫生健康委员会", "我委", None),
    ("财政局", "本机关", None),
    ("自然资源局", "我局", "资源局"),
    ("交通运输局", "我局", None),
    ("城关镇人民政府", "我镇", None),
    ("生态环境局", "我局", None),
    ("司法局", "我局", None),
    ("人力资源和社会保障局", "我局", "人社局"),
    ("住房和城乡建设局", "我局", "住建局"),
)
LIMIT = 30


def reports(n: int) -> list[tuple[str, int, Any]]:
    """(agency, year, data) for n drafts: n/2 agencies, each in two years two apart."""
    out = []
    for i in range(n // 2):
        place = PLACES[i % len(PLACES)]
        unit, self_ref, short = UNITS[(i * 5) % len(UNITS)]
        name = place + unit
        for year in (2023, 2025):
            seed = i * 10 + year
            base = random_data(seed, year=year).model_dump(mode="python")
            rng = random.Random(seed)
            base["agency"] = {"name": name, "self_reference": self_ref, "short_name": short}
            base["facts"] = {topic: (None if rng.random() < 0.5 else []) for topic, _ in official.FACT_TOPICS}
            out.append((name, year, validate_raw(base, f"bench-{seed}").data))
    return out


def narrative(data: Any) -> list[str]:
    d = draft_report(Loaded("bench", data))
    paragraphs = [*d.preamble, *(p for s in d.sections for p in s.paragraphs)]
    return [s for p in paragraphs for s in sentences(p)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=24, help="drafts (even, ≥ 20)")
    n = max(20, parser.parse_args().n // 2 * 2)
    drafts = [(f"{name}{year}", narrative(data)) for name, year, data in reports(n)]
    shared: dict[str, set[tuple[str, str]]] = {}
    identical = 0
    pairs_with = 0
    for (a, sa), (b, sb) in itertools.combinations(drafts, 2):
        if sa == sb:
            identical += 1
        common = {s for s in set(sa) & set(sb) if len(own_words(s)) > LIMIT}
        if common:
            pairs_with += 1
        for s in common:
            shared.setdefault(s, set()).add((a, b))
    pairs = n * (n - 1) // 2
    print(f"drafts: {n} ({n // 2} agencies × 2 years two apart), pairs compared: {pairs}")
    print(f"sentences per draft (mean): {sum(len(s) for _, s in drafts) / n:.1f}")
    print(f"distinct shared sentences > {LIMIT} own characters: {len(shared)}")
    print(f"pairs of drafts sharing at least one: {pairs_with} of {pairs}")
    print(f"pairs of drafts with word-identical narrative: {identical}")
    if shared:
        longest = max(shared, key=lambda s: len(own_words(s)))
        print(
            f"longest shared sentence ({len(longest)} characters, {len(own_words(longest))} own, in {len(shared[longest])} pairs):"
        )
        print(f"  {longest}")
        for s in sorted(shared, key=lambda s: -len(shared[s]))[:8]:
            print(f"  [{len(shared[s])} pairs, {len(own_words(s))} own] {s}")
    else:
        all_common = [s for (_, sa), (_, sb) in itertools.combinations(drafts, 2) for s in set(sa) & set(sb)]
        if all_common:
            longest = max(all_common, key=lambda s: len(own_words(s)))
            print(
                f"longest shared sentence ({len(longest)} characters, {len(own_words(longest))} own): {longest}"
            )


if __name__ == "__main__":
    main()
