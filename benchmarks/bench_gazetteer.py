"""Gazetteer benchmark: cold load from cache, peak memory, exact and fuzzy lookups per second.

    python benchmarks/bench_gazetteer.py

Targets (issue 3): load < 1 s, peak RSS < 600 MB, exact lookups > 100,000/s.
"""
from __future__ import annotations

import random
import resource
import time

from gazetteer import Gazetteer, build_cache


def main() -> None:
    path = build_cache()
    t0 = time.perf_counter()
    gaz = Gazetteer.load(path)
    load_s = time.perf_counter() - t0
    keys = random.Random(1).sample(sorted(gaz.names), 50_000)
    t0 = time.perf_counter()
    for k in keys:
        gaz.candidates(k)
    exact_rate = len(keys) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for k in keys[:2_000]:
        gaz.lookup(k, fuzzy=False)
    ranked_rate = 2_000 / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for k in ("Kupjansk", "Zaporozhe", "Dnipropetrovs'k", "Khar'kov", "Mariupol'"):
        gaz.lookup(k)
    fuzzy_ms = (time.perf_counter() - t0) / 5 * 1000
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"places: {len(gaz):,}  names: {len(gaz.names):,}  cache: {path.stat().st_size / 1e6:.0f} MB")
    print(f"cold load from cache: {load_s:.2f} s")
    print(f"peak RSS: {rss_mb:.0f} MB")
    print(f"exact candidate lookups: {exact_rate:,.0f}/s")
    print(f"ranked lookups (Gazetteer.lookup, no fuzzy): {ranked_rate:,.0f}/s")
    print(f"lookup with spelling-variant/fuzzy fallback: {fuzzy_ms:.1f} ms each")


if __name__ == "__main__":
    main()
