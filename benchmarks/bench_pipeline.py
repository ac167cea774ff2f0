"""Pipeline benchmark: geoparsing and extraction throughput on one core, on the embedded samples.

    python benchmarks/bench_pipeline.py [PATH ...]

Target (issue 4): at least 200 articles per second for geoparsing alone.
"""
from __future__ import annotations

import sys
import time

from gazetteer import Gazetteer
from geo.extraction import extract_article
from geo.geoparser import geoparse_article
from geo.pipeline import samples_dir
from geo.read import read_paths


def main(paths: list[str]) -> None:
    articles = list(read_paths(paths or [str(samples_dir())]))
    Gazetteer.default()
    for a in articles[:2]:  # warm the lexicon caches
        geoparse_article(a)
    rounds = max(1, 400 // len(articles))
    t0 = time.perf_counter()
    for _ in range(rounds):
        mentions = [geoparse_article(a) for a in articles]
    gp = time.perf_counter() - t0
    t0 = time.perf_counter()
    for _ in range(rounds):
        for a, m in zip(articles, mentions):
            extract_article(a, m)
    ex = time.perf_counter() - t0
    n = rounds * len(articles)
    words = sum(len(a.text.split()) for a in articles) * rounds
    print(f"articles: {n} ({words / n:.0f} words on average)")
    print(f"geoparse: {n / gp:,.0f} articles/s")
    print(f"extract (given mentions): {n / ex:,.0f} articles/s")
    print(f"geoparse + extract: {n / (gp + ex):,.0f} articles/s")


if __name__ == "__main__":
    main(sys.argv[1:])
