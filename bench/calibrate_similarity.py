"""Calibrate the 内容雷同 threshold (rule Y4): how much of this year's narrative part repeats last
year's, on pairs whose answer is known.

    python bench/calibrate_similarity.py            # built pairs, and ../shared/real when present
    python bench/calibrate_similarity.py --quick    # fewer pairs (smoke test)

Built pairs (``drafting.evaluation.similar_pairs``): copies with the year and figures changed and
0–80 % of the sentences rewritten; two agencies' narratives sharing only the official phrases; one
agency's two years written afresh. Real pairs (``../shared/real``, when beside the checkout): each
report's narrative parts against every other agency's (never copies), one agency's reports two
years apart (2019, 2021), and each report against itself with its years and figures changed (copies).

For each kind it prints the coverage (share of this year's own words found last year, common phrases
left out) — min, median, max — and whether the threshold in ``checks.yearly`` separates them.
"""

from __future__ import annotations

import argparse
import itertools
import random
import re
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drafting.checks.yearly import MIN_CHARS, NARRATIVE_PARTS, REPEAT_THRESHOLD, common_phrases  # noqa: E402
from drafting.evaluation import similar_pairs  # noqa: E402
from drafting.overlap import N, overlap  # noqa: E402

REAL = ROOT.parent / "shared" / "real"


def _coverage(this: str, last: str, *, masked: bool = True) -> tuple[float, int]:
    found = overlap(this, last, common=common_phrases() if masked else ())
    return found.coverage, found.counted


def _line(name: str, values: list[float], flagged_should: bool) -> str:
    if not values:
        return f"  {name:<44} (none)"
    flagged = sum(1 for v in values if v >= REPEAT_THRESHOLD)
    right = flagged if flagged_should else len(values) - flagged
    return (
        f"  {name:<44} n={len(values):<4} min {min(values):.3f}  median {statistics.median(values):.3f}  "
        f"max {max(values):.3f}   {'flagged' if flagged_should else 'not flagged'} {right}/{len(values)}"
    )


def built(count: int) -> list[str]:
    lines = ["built pairs (drafting.evaluation.similar_pairs):"]
    pairs = similar_pairs.pairs(count)
    by: dict[str, list[float]] = {}
    unmasked: list[float] = []
    for p in pairs:
        key = p.kind if p.kind != "copied" else f"copied, {p.rewritten:.0%} rewritten"
        by.setdefault(key, []).append(_coverage(p.this, p.last)[0])
        if p.kind == "other_agency":
            unmasked.append(_coverage(p.this, p.last, masked=False)[0])
    for key in sorted(by):
        should = key in ("copied, 0% rewritten", "copied, 20% rewritten", "copied, 40% rewritten")
        lines.append(_line(key, by[key], should))
    lines.append(_line("other_agency, common phrases counted too", unmasked, False))
    return lines


def _parts(path: Path) -> tuple[str, int | None, dict[str, str]] | None:
    from drafting.errors import DraftingError
    from drafting.reading import read_report

    try:
        report = read_report(path)
    except DraftingError:
        return None
    texts = {p: "\n".join(x.text for x in report.part_paragraphs(p)) for p in NARRATIVE_PARTS}
    return report.agency, report.year, texts


def _next_year(text: str, rng: random.Random) -> str:
    def figure(m: re.Match[str]) -> str:
        value = int(m.group())
        return str(value + 1) if 1990 <= value <= 2100 else str(value + rng.randint(1, 30))

    return re.sub(r"\d+", figure, text)


def real() -> list[str]:
    if not REAL.is_dir():
        return [f"real pairs: {REAL} is not beside this checkout (skipped)"]
    reports = {}
    for path in sorted(REAL.iterdir()):
        if path.suffix in (".txt", ".md", ".html", ".pdf"):
            read = _parts(path)
            if read is not None:
                reports[path.name] = read
    lines = [f"real pairs ({len(reports)} reports in {REAL}):"]
    different, different_raw, same, copies = [], [], [], []
    rng = random.Random(1)
    for (_, ra), (_, rb) in itertools.permutations(reports.items(), 2):
        for part in NARRATIVE_PARTS:
            this, last = ra[2][part], rb[2][part]
            coverage, counted = _coverage(this, last)
            if counted < MIN_CHARS or len(last) < MIN_CHARS:
                continue
            if ra[0] == rb[0]:
                if (ra[1] or 0) > (rb[1] or 0):
                    same.append(coverage)
            else:
                different.append(coverage)
                different_raw.append(_coverage(this, last, masked=False)[0])
    for _, (_, _, texts) in reports.items():
        for part in NARRATIVE_PARTS:
            if len(texts[part]) >= MIN_CHARS:
                copies.append(_coverage(_next_year(texts[part], rng), texts[part])[0])
    lines.append(_line("different agencies", different, False))
    lines.append(_line("different agencies, common phrases counted too", different_raw, False))
    lines.append(_line("one agency, two years apart", same, False))
    lines.append(_line("a report copied with year and figures changed", copies, True))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="10 built pairs of each kind (the copies spread over five rewrite levels)",
    )
    parser.add_argument("--count", type=int, default=60, help="built pairs of each kind")
    args = parser.parse_args()
    count = 10 if args.quick else args.count
    print(
        f"Y4 内容雷同: {N}-character n-grams; threshold {REPEAT_THRESHOLD}; parts of ≥ {MIN_CHARS} own characters"
    )
    for line in built(count) + real():
        print(line)


if __name__ == "__main__":
    main()
