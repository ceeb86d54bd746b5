"""The 号段 table against phonenumbers' geocoder (the attribution before issue 17), and what a look-up costs.

    python benchmarks/mobile_attribution.py [ROWS]

1. Verdicts: for every block the table puts in Guangxi, whether the 0-prefix rule's answer (Nanning: no 0;
   anything else, unknown included: a 0) changes from the geocoder's to the table's, by kind of change.
2. Cost per ROWS (default 50 000) mobiles of Guangxi blocks, beside a bare python-calamine read of a 50 000-row
   frame (the baseline of bench_core): the validation's pass for unknown blocks (phones.unknown_blocks over the
   column), every row's decision from cold (the `check` command's path), and the exporter's prefix per distinct block from cold; the old
   geocoder's look-up per distinct block from cold beside them.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import phonenumbers  # noqa: E402
from phonenumbers import geocoder  # noqa: E402  # the old attribution, for comparison only

from forms.checks import phones  # noqa: E402
from forms.checks.mobile_blocks import table  # noqa: E402


def geocoder_place(block: str) -> str:
    return str(geocoder.description_for_number(phonenumbers.parse("+86" + block + "0000"), "zh"))


def guangxi_blocks() -> list[str]:
    t = table()
    return [str(n + t.first) for n, number in enumerate(t.numbers)
            if number and t.places[number].province == "广西"]  # type: ignore[union-attr]


def verdicts(blocks: list[str]) -> Counter[str]:
    """Each Guangxi block's change of verdict, keyed by what happened."""
    changes: Counter[str] = Counter()
    for block in blocks:
        old_place = geocoder_place(block)
        old, new = phones.NANNING[1] in old_place, phones.nanning_decision(block + "0000").is_nanning
        if old == new:
            changes["same verdict"] += 1
        elif new:
            changes[{"中国": "Nanning, geocoder: only 中国", "": "Nanning, geocoder: no answer"}.get(
                old_place, "Nanning, geocoder: another city")] += 1
        else:
            changes["other Guangxi city, geocoder: Nanning"] += 1
    return changes


def best(fn: Callable[[], object], before: Callable[[], object] = lambda: None, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def costs(blocks: list[str], rows: int) -> None:
    from benchmarks.bench_core import bare_read
    from benchmarks.data import write_xlsx

    rng = random.Random(17)
    column = [rng.choice(blocks) + f"{rng.randrange(10_000):04d}" for _ in range(rows)]
    distinct = sorted({m[:7] for m in column})
    source = write_xlsx(Path(tempfile.mkdtemp(prefix="bench-mobile-")) / "附件2.xlsx", 50_000)
    bare_read(source)
    read = best(lambda: bare_read(source))
    phones.load_data()
    geocoder_place("1387711")  # its data loaded before timing, as the old warm-up did
    figures = {
        "unknown-block pass over the column (validation)": best(lambda: phones.unknown_blocks(column)),
        "decision for every row, from cold (check --json)": best(lambda: [phones.nanning_decision(m) for m in column],
                                                                 phones._table_decision.cache_clear),
        "export prefix per distinct block, cold": best(lambda: [phones.export_prefix(m[:7]) for m in column],
                                                       phones.export_prefix.cache_clear),
        "old: geocoder per distinct block, cold": best(lambda: [geocoder_place(b) for b in distinct], runs=3),
    }
    print(f"\n{rows} mobiles of {len(distinct)} distinct Guangxi blocks; bare calamine read of 50 000 rows: "
          f"{read * 1000:.0f} ms")
    for label, seconds in figures.items():
        print(f"  {label:<50} {seconds * 1000:7.1f} ms  ({seconds / read:5.1%} of the read)")


def main(rows: int) -> None:
    blocks = guangxi_blocks()
    changes = verdicts(blocks)
    print(f"号段 table {table().vintage}: {len(blocks)} Guangxi blocks")
    for what, count in changes.most_common():
        print(f"  {what:<40} {count:6d}")
    print(f"  {'changed verdict in all':<40} {len(blocks) - changes['same verdict']:6d}")
    costs(blocks, rows)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000)
