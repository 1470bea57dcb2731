"""Score the check library on the defect corpus: recall per rule, errors on clean cases, cells read.

    python evals/defects/score.py [evals/defects]     # exit 0 when the corpus bar is met, else 1

The scorer is ``drafting.evaluation.defects``; ``tests/test_eval_defects.py`` holds the same bar.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from drafting.evaluation.defects import format_score, passes, score  # noqa: E402


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else HERE
    result = score(root)
    print(format_score(result))
    return 0 if passes(result) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
