"""Date-expression benchmark: `geo.dates.resolve_date` on sentences built from the team's own templates.

    python benchmarks/bench_dates.py [--sentences 2000] [--long 200]

Prints sentences/s for distinct sentences (the cache cold: every one is scanned), for the same
sentences asked again (the extractor asks per sentence, per trigger and per modality test: the cache
answers), their ratio, and the time for one long text of `--long` repeated sentences (a guard against
patterns that backtrack on long input).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo import dates  # noqa: E402

PUB = dt.date(2025, 12, 3)
WHEN = ["on Monday", "overnight", "on 19 November", "late on Tuesday", "last week", "two days ago",
        "on the evening of April 29", "between Friday and Sunday", "in the early hours of Sunday", "yesterday"]
TEMPLATES = ["Drones struck {place} {when}, officials said.",
             "{when}, shelling in {place} wounded {n} people.",
             "Talks in {place} are due to resume {when}.",
             "The governor of {place} said on Wednesday that {n} homes were hit {when}."]
PLACES = ["Lviv", "Sumy", "Goma", "Rafah", "Sittwe", "Gao", "Hodeidah", "Aleppo"]


def _sentences(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    return [rnd.choice(TEMPLATES).format(place=rnd.choice(PLACES), when=rnd.choice(WHEN), n=rnd.randint(2, 90))
            + f" (item {k})." for k in range(n)]


def _rate(sentences: list[str]) -> float:
    t0 = time.perf_counter()
    for s in sentences:
        dates.resolve_date(s, PUB)
    return len(sentences) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--long", type=int, default=200)
    args = ap.parse_args()
    sents = _sentences(args.sentences)
    dates.resolve_date("warm-up on Monday", PUB)
    cold = _rate(sents)
    warm = _rate(sents)
    text = " ".join(_sentences(args.long, seed=11))
    t0 = time.perf_counter()
    dates.resolve_date(text + " cold", PUB)
    long_s = time.perf_counter() - t0
    print(f"distinct sentences  {cold:10.0f} sentences/s")
    print(f"asked again (cache) {warm:10.0f} sentences/s   ratio {warm / cold:.1f}x")
    print(f"one text of {args.long} sentences: {long_s * 1000:.1f} ms")


if __name__ == "__main__":
    main()
