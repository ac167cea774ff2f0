"""Gazetteer benchmark: cold start, memory, lookups per second, reverse lookups.

    python benchmarks/bench_gazetteer.py

Cold start and memory are measured in fresh processes, the way `geo ingest` of one article meets
them: import + `Gazetteer.default()` + a few lookups, against a bare interpreter started the same
way (the baseline), and against decoding the whole name index into a dict, which is what a cache
that must be unpickled before use pays. Targets (issue 13): the whole ingest of one article
≤ 0.7 s and ≤ 300 MB, so the gazetteer's share should be a small part of that.
"""
from __future__ import annotations

import random
import subprocess
import sys
import time

from gazetteer import Gazetteer, build_cache

_COLD = """
import resource, time
t0 = time.perf_counter()
from gazetteer import Gazetteer
g = Gazetteer.default()
t1 = time.perf_counter()
for q in ("Kharkiv", "Pokrovsk, Donetsk Oblast", "Engels air base", "Zaporizhzhia Oblast", "Rafah"):
    g.lookup(q)
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
_BARE = "import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"


def _fresh(code: str, runs: int = 5) -> list[list[float]]:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        out.append([time.perf_counter() - t0, *map(float, res.stdout.split())])
    return out


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    path = build_cache()
    cold = _fresh(_COLD)
    bare = _fresh(_BARE)
    cold_wall, bare_wall = _median([r[0] for r in cold]), _median([r[0] for r in bare])
    load_s, lookups_s, rss = (_median([r[i] for r in cold]) for i in (1, 2, 3))
    bare_rss = _median([r[1] for r in bare])

    gaz = Gazetteer.load(path)
    t0 = time.perf_counter()
    as_dict = dict(gaz.names.items_raw())  # what an unpickled index costs before the first lookup
    dict_s = time.perf_counter() - t0
    keys = random.Random(1).sample(list(as_dict), 50_000)
    del as_dict
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
    pts = [(random.Random(i).uniform(44, 52), random.Random(i + 1).uniform(22, 40)) for i in range(500)]
    gaz.reverse(*pts[0])  # the admin-1 polygons load once
    t0 = time.perf_counter()
    for la, lo in pts:
        gaz.reverse(la, lo)
    reverse_rate = len(pts) / (time.perf_counter() - t0)

    print(f"places: {len(gaz):,}  names: {len(gaz.names):,}  cache: {path.stat().st_size / 1e6:.0f} MB (memory-mapped)")
    print(f"cold start, fresh process (median of {len(cold)}): {cold_wall:.2f} s wall; "
          f"import + Gazetteer.default(): {load_s * 1000:.0f} ms; 5 lookups: {lookups_s * 1000:.0f} ms")
    print(f"  bare interpreter: {bare_wall:.2f} s -> the gazetteer adds {cold_wall - bare_wall:.2f} s "
          f"({cold_wall / bare_wall:.1f}x a bare start)")
    print(f"peak RSS after default() + 5 lookups: {rss:.0f} MB (bare interpreter {bare_rss:.0f} MB: "
          f"gazetteer share {rss - bare_rss:.0f} MB)")
    print(f"decoding the whole name index into a dict instead: {dict_s:.2f} s "
          f"({dict_s / max(load_s, 1e-6):.0f}x the memory-mapped open)")
    print(f"exact candidate lookups: {exact_rate:,.0f}/s")
    print(f"ranked lookups (Gazetteer.lookup, no fuzzy): {ranked_rate:,.0f}/s")
    print(f"lookup with spelling-variant/fuzzy fallback: {fuzzy_ms:.1f} ms each")
    print(f"reverse lookups (town + admin-1 polygon): {reverse_rate:,.0f}/s")


if __name__ == "__main__":
    main()
