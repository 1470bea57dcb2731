"""Reading the numbers of long paragraphs: ``drafting.numbers.mentions`` must stay linear.

    python bench/bench_numbers.py            # 32,000-character paragraphs, 5 timed passes
    python bench/bench_numbers.py --quick    # smoke run: 8,000 characters, 1 pass

Issue 17 found a 32,000-character paragraph taking 31 s to check. Each line times one paragraph
shape (realistic report prose, and adversarial runs that would make a backtracking pattern
quadratic) at the full length and at a quarter of it: the ratio of the two times is ≈ 4 for linear
work and ≈ 16 for quadratic. Target: **≤ 50 ms** per realistic 32,000-character paragraph and a
length ratio ≤ 6 for every shape. Only the standard library times anything; nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafting.numbers import mentions  # noqa: E402

TARGET_MS = 50.0
REALISTIC = (
    "2024年，我局新收政府信息公开申请1,286件，其中自然人申请1,102件、法人或其他组织申请184件；上年结转37件。"
    "按照国办公开办函〔2021〕30号和《条例》第二十条第（八）项，均在20个工作日内答复，同比增长15.2%。"
    "报告全文见http://www.example.gov.cn/xxgk/，电话0000-12345678，统计期限为2024年1月1日至12月31日。"
    "一是政策解读形式单一；二是栏目更新不及时。组织政务公开业务培训两次，参训86人次，收费24252.311082万元。"
)
SHAPES = {
    "realistic prose": REALISTIC,
    "digits": "1",
    "digit-dash runs": "1-",
    "thousands groups": "1,000,",
    "Chinese numerals": "一二三四五六七八九十百千",
    "第 runs": "第一",
    "ASCII letters": "a",
    "ASCII with dashes": "a-b.",
    "years": "2024年",
    "times": "1:1:",
}


def _time(text: str, passes: int) -> float:
    runs = []
    for _ in range(passes):
        t0 = time.perf_counter()
        mentions(text)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: 8,000 characters, one pass")
    parser.add_argument("--chars", type=int, default=32000)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    size, passes = (8000, 1) if args.quick else (args.chars, args.passes)
    print(f"numbers.mentions: {size:,}-character paragraphs, median of {passes} pass(es)")
    print(f"{'shape':20s} {'mentions':>9s} {'ms':>9s} {'ms at 1/4':>10s} {'ratio':>6s}")
    for name, unit in SHAPES.items():
        full = (unit * (size // len(unit) + 1))[:size]
        quarter = full[: size // 4]
        found = len(mentions(full))
        ms, ms_quarter = _time(full, passes), _time(quarter, passes)
        ratio = ms / ms_quarter if ms_quarter else float("nan")
        print(f"{name:20s} {found:9d} {ms:9.1f} {ms_quarter:10.1f} {ratio:6.1f}")
        if name == "realistic prose":
            print(f"{'':20s} target ≤ {TARGET_MS:.0f} ms: {ms / TARGET_MS:.2f} of target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
