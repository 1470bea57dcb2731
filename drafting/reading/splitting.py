"""Splitting digits that a page ran together (``713000074`` = 71 3 0 0 0 0 74).

Some portals print a table row with no separator at all (FORMAT.md §9, layout 5). The row width and
the cross-sums decide the split: a 表三 row's 总计 is the sum of its six applicant cells (H1), each
表四 block's 总计 the sum of its four outcomes (H4). Where a stray space survives (``500000 5``) it
is kept as a cut. Every split that satisfies the constraints is returned; the caller says so when
more than one remains.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

MAX_CANDIDATES = 64


def _cuts(runs: Sequence[str]) -> tuple[str, frozenset[int]]:
    text = "".join(runs)
    cuts, pos = set(), 0
    for run in runs[:-1]:
        pos += len(run)
        cuts.add(pos)
    return text, frozenset(cuts)


def _ok_part(text: str, start: int, end: int, cuts: frozenset[int]) -> bool:
    if end - start > 1 and text[start] == "0":
        return False
    return not any(start < c < end for c in cuts)


def _parts_summing(
    text: str, start: int, end: int, n: int, total: int, cuts: frozenset[int]
) -> Iterator[tuple[int, ...]]:
    """``text[start:end]`` cut into ``n`` numbers adding up to ``total`` (cuts respected)."""
    if n == 1:
        if _ok_part(text, start, end, cuts) and int(text[start:end]) == total:
            yield (total,)
        return
    max_len = len(str(total))
    for length in range(1, min(max_len, end - start - n + 1) + 1):
        stop = start + length
        if not _ok_part(text, start, stop, cuts):
            continue
        value = int(text[start:stop])
        if value > total:
            break
        for rest in _parts_summing(text, stop, end, n - 1, total - value, cuts):
            yield (value, *rest)


def split_with_total(runs: Sequence[str], parts: int) -> list[tuple[int, ...]]:
    """``parts - 1`` numbers followed by their sum (a 表三 row: six applicants and 总计)."""
    text, cuts = _cuts(runs)
    out: list[tuple[int, ...]] = []
    for start in range(len(text) - 1, parts - 2, -1):
        if not _ok_part(text, start, len(text), cuts):
            continue
        total = int(text[start:])
        for head in _parts_summing(text, 0, start, parts - 1, total, cuts):
            candidate = (*head, total)
            if _boundaries_ok(candidate, cuts):
                out.append(candidate)
                if len(out) >= MAX_CANDIDATES:
                    return out
    return out


def _boundaries_ok(values: Sequence[int], cuts: frozenset[int]) -> bool:
    pos, bounds = 0, set()
    for v in values:
        pos += len(str(v))
        bounds.add(pos)
    return cuts <= bounds


def split_blocks(
    runs: Sequence[str], blocks: int, per_block: int, allow_bad: int = 0
) -> list[tuple[int, ...]]:
    """``blocks`` groups of ``per_block - 1`` numbers each followed by their sum (表四: 3 × 5).
    With ``allow_bad``, up to that many groups may carry a total that is not their sum (a printed
    H4 error); splits with fewer such groups, and totals nearer their sums, come first."""
    text, cuts = _cuts(runs)
    found: list[tuple[int, tuple[int, ...]]] = []  # (distance of bad totals from their sums, split)

    def walk(start: int, left: int, acc: tuple[int, ...], bad: int, distance: int) -> None:
        if len(found) >= MAX_CANDIDATES * 4:
            return
        if left == 0:
            if start == len(text) and _boundaries_ok(acc, cuts):
                found.append((distance, acc))
            return
        for head in _free_parts(text, start, per_block - 1, cuts, max_len=5):
            pos = start + sum(len(str(v)) for v in head)
            total = str(sum(head))
            if text.startswith(total, pos) and _ok_part(text, pos, pos + len(total), cuts):
                walk(pos + len(total), left - 1, (*acc, *head, int(total)), bad, distance)
            elif bad < allow_bad:
                for length in range(1, 6):
                    end = pos + length
                    if end > len(text) or not _ok_part(text, pos, end, cuts):
                        continue
                    stated = int(text[pos:end])
                    if stated != int(total):
                        walk(
                            end, left - 1, (*acc, *head, stated), bad + 1, distance + abs(stated - int(total))
                        )

    walk(0, blocks, (), 0, 0)
    found.sort(key=lambda f: f[0])
    return [split for _, split in found][:MAX_CANDIDATES]


def _free_parts(
    text: str, start: int, n: int, cuts: frozenset[int], max_len: int
) -> Iterator[tuple[int, ...]]:
    if n == 0:
        yield ()
        return
    for length in range(1, max_len + 1):
        stop = start + length
        if stop > len(text):
            break
        if not _ok_part(text, start, stop, cuts):
            continue
        value = int(text[start:stop])
        for rest in _free_parts(text, stop, n - 1, cuts, max_len):
            yield (value, *rest)


def split_free(runs: Sequence[str], parts: int, max_len: int = 9) -> list[tuple[int, ...]]:
    """Every split into ``parts`` numbers (no constraint): for 表二 rows."""
    text, cuts = _cuts(runs)
    out = []
    for values in _free_parts(text, 0, parts, cuts, max_len):
        if sum(len(str(v)) for v in values) == len(text) and _boundaries_ok(values, cuts):
            out.append(values)
            if len(out) >= 4096:
                break
    return out


def document_counts_split(
    runs: Sequence[str], previous_in_force: int | None = None
) -> tuple[tuple[int, int, int] | None, int]:
    """表二 第二十条第（一）项 (本年制发 / 本年废止 / 现行有效) run together, e.g. ``8855698``.
    No sum ties the three, so: with last year's 现行有效件数, C2 decides; otherwise the usual
    shape (现行有效 ≥ 制发 and ≥ 废止, the smallest 现行有效 that allows it). Returns the split and how
    many splits were plausible (1 = unambiguous)."""
    splits = [s for s in split_free(runs, 3) if len(s) == 3]
    if not splits:
        return None, 0
    if previous_in_force is not None:
        exact = [s for s in splits if s[2] == previous_in_force + s[0] - s[1]]
        if exact:
            return (exact[0][0], exact[0][1], exact[0][2]), len(exact)
    plausible = [s for s in splits if s[2] >= max(s[0], s[1])]
    pool = plausible or splits
    best = min(pool, key=lambda s: (s[2], -s[0]))
    return (best[0], best[1], best[2]), len(pool)
