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
When the check library has the Y4 内容雷同 measure (``drafting.overlap`` and ``checks.yearly``, from
the review branch), it also prints, per narrative part (一、五、六, markers left out), the share of one
draft's own words found in another's — same agency two years apart, and two agencies in one year —
and how many parts reach Y4's threshold. Figures are printed, never asserted.

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

from drafting import official
from drafting.data.load import Loaded, validate_raw
from drafting.draft import draft_report
from drafting.evaluation.synthetic import random_data
from drafting.phrasing import own_words, sentences

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
    generated = reports(n)
    drafts = [(f"{name}{year}", narrative(data)) for name, year, data in generated]
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
    y4_figures(generated)


def y4_figures(data: list[tuple[str, int, Any]]) -> None:
    """The Y4 measure over the drafts' narrative parts, when the check library has it."""
    try:
        from drafting.checks.yearly import REPEAT_THRESHOLD, common_phrases  # type: ignore[import-not-found]
        from drafting.overlap import overlap  # type: ignore[import-not-found]
    except ImportError:
        print(
            "Y4 (内容雷同) measure: not in this check library (drafting.overlap comes with the review branch)"
        )
        return
    import re

    marker = re.compile(r"【待补充：[^】]*】")
    sections = {"一": ("overview",), "五": ("problems", "improvements"), "六": ("other",)}
    common = common_phrases()
    parts = []
    for name, year, d in data:
        dr = draft_report(Loaded("bench", d))
        texts = {
            k: marker.sub("", "\n".join(p for i in ids for p in dr.section(i).paragraphs))
            for k, ids in sections.items()
        }
        parts.append((name, year, texts))
    for label, same in (("same agency two years apart", True), ("two agencies, one year", False)):
        shares = []
        for (n1, y1, a), (n2, y2, b) in itertools.combinations(parts, 2):
            if (n1 == n2) != same or (not same and y1 != y2):
                continue
            this, last = (b, a) if y2 > y1 else (a, b)
            for k in sections:
                o = overlap(this[k], last[k], common=common)
                if o.counted >= 100:
                    shares.append(o.coverage)
        shares.sort()
        if shares:
            flagged = sum(1 for x in shares if x >= REPEAT_THRESHOLD)
            print(
                f"Y4 measure, {label}: {len(shares)} parts, median {shares[len(shares) // 2]:.2f}, "
                f"max {shares[-1]:.2f}, at or over {REPEAT_THRESHOLD}: {flagged}"
            )


if __name__ == "__main__":
    main()
