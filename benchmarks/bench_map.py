"""Map benchmark: build time, file size and Chromium load time of `geo map` for synthetic databases.

    python benchmarks/bench_map.py [N ...]          # default: 1000 10000 100000

For each N it writes a DuckDB file of N synthetic events (bulk SQL inserts into the real schema:
articles, events, event_sources; ~0.6 articles per event, each with a title, outlet and URL;
evidence sentences of 20-45 words drawn Zipf-like from an English word list, so the text
compresses like prose), builds the map from it as `geo map` does (reading the events and their
sources with SQL, then the page; both times printed) and opens it in headless Chromium through playwright with the
network off, timing until the page reports it has drawn (``window.geoMapReady``). Targets (issue 14):
100,000 events give a file of at most 20 MB that opens in at most 5 s. Ratios are against the
smallest N of the same run.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from geo.render.maps import build_map, save
from geo.render.query import map_events
from geo.store import Store

COUNTRIES = ("UA", "RU", "SY", "SD", "PS", "IL", "MM", "CD", "ML", "BF", "SO", "YE", "LB", "IQ", "NG")
TYPES = (("strike", 40), ("clash", 18), ("interception", 12), ("capture", 6), ("outage", 6), ("protest", 8),
         ("talks", 3), ("exchange", 2), ("other", 5))
CLAIMS = (("reported", 80), ("claimed", 12), ("disputed", 5), ("anticipated", 2), ("cancelled", 1))
OUTLETS = tuple(f"{w} News" for w in ("Kyiv", "Levant", "Sahel", "Delta", "Harbour", "Frontline", "Civic", "Daily",
                                      "Morning", "Evening", "Regional", "Border", "Capital", "Coast", "River"))
SIZE_LIMIT_MB, LOAD_LIMIT_S = 20.0, 5.0


def _words(rng: random.Random, n: int = 5000) -> list[str]:
    from english_words import get_english_words_set

    pool = sorted(w for w in get_english_words_set(["web2"], lower=True) if 2 <= len(w) <= 9)
    return rng.sample(pool, n)


def _zipf(rng: random.Random, words: list[str], k: int) -> str:
    n = len(words)
    return " ".join(words[min(n - 1, int(n ** rng.random()) - 1)] for _ in range(k))


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w for w, _ in weighted], [c for _, c in weighted])[0]


def make_db(path: Path, n: int, seed: int = 14) -> Path:
    """A geo database of `n` synthetic events over a year in COUNTRIES (80 % at towns, 10 % near a
    town, 7 % admin-1 level, 3 % country level), written with set-based inserts."""
    from gazetteer.boundaries import admin1_centres

    rng = random.Random(seed)
    words = _words(rng)
    Store(path).close()  # the real schema
    centres = [(code, lat, lon) for code, (lat, lon) in admin1_centres().items() if code[:2] in COUNTRIES]
    towns = [(f"{_zipf(rng, words, 1).title()}", code, lat + rng.uniform(-0.6, 0.6), lon + rng.uniform(-0.6, 0.6))
             for code, lat, lon in centres for _ in range(12)]
    day0 = dt.date(2025, 1, 1)
    n_art = max(1, int(n * 0.6))
    arts = {"id": [], "title": [], "source": [], "url": [], "published": [], "text": [], "content_hash": []}
    for k in range(n_art):
        title = _zipf(rng, words, rng.randint(6, 12)).capitalize()
        outlet = rng.choice(OUTLETS)
        pub = day0 + dt.timedelta(days=rng.randrange(365))
        arts["id"].append(f"art-{k}")
        arts["title"].append(title)
        arts["source"].append(outlet)
        arts["url"].append(f"https://{outlet.split()[0].lower()}.example/{pub:%Y/%m}/{'-'.join(title.lower().split()[:6])}")
        arts["published"].append(pub)
        arts["text"].append("")
        arts["content_hash"].append(f"h{k}")
    ev: dict[str, list] = {c: [] for c in ("event_id", "type", "subtype", "date", "date_precision", "place", "country",
                                           "admin1", "lat", "lon", "precision", "geo_precision", "actor", "actor2",
                                           "weapon", "quantity", "fatalities", "injured", "claim_status", "evidence",
                                           "articles", "confidence", "n_sources", "first_article")}
    src: dict[str, list] = {"event_id": [], "article_id": [], "evidence": []}
    town_weights = [1.0 / (1 + i) ** 0.8 for i in range(len(towns))]
    for k in range(n):
        kind = rng.random()
        name, a1, lat, lon = rng.choices(towns, town_weights)[0]
        cc = a1[:2]
        if kind < 0.80:
            precision, gp = "locality", 1
        elif kind < 0.90:
            precision, gp = "near", 2
            lat, lon = lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05)
        elif kind < 0.97:
            precision, gp, name = "admin1", 3, f"{a1} region"
        else:
            precision, gp, name, a1 = "country", 3, cc, None
        sources = sorted({f"art-{rng.randrange(n_art)}" for _ in range(rng.choice((1, 1, 1, 2, 3)))})
        evidence = _zipf(rng, words, rng.randint(20, 45)).capitalize() + "."
        t = _pick(rng, TYPES)
        for col, val in (("event_id", f"SYN{k:09d}"), ("type", t), ("subtype", f"{t} ({rng.choice('abc')})"),
                         ("date", day0 + dt.timedelta(days=rng.randrange(365))), ("date_precision", "day"),
                         ("place", name), ("country", cc), ("admin1", a1), ("lat", lat), ("lon", lon),
                         ("precision", precision), ("geo_precision", gp), ("actor", rng.choice(("Side A", "Side B"))),
                         ("actor2", rng.choice((None, "Civilians", "Side A", "Side B"))),
                         ("weapon", rng.choice((None, "drones", "missiles", "artillery"))),
                         ("quantity", rng.choice((None, None, rng.randint(1, 120)))),
                         ("fatalities", rng.choice((None, 0, rng.randint(1, 30)))),
                         ("injured", rng.choice((None, rng.randint(1, 60)))), ("claim_status", _pick(rng, CLAIMS)),
                         ("evidence", evidence), ("articles", sources), ("confidence", 0.6),
                         ("n_sources", len(sources)), ("first_article", sources[0])):
            ev[col].append(val)
        for a in sources:
            src["event_id"].append(f"SYN{k:09d}")
            src["article_id"].append(a)
            src["evidence"].append(evidence)
    con = duckdb.connect(str(path))
    try:
        for table, data in (("articles", arts), ("events", ev), ("event_sources", src)):
            con.register("_new", pa.table(data))
            cols = ", ".join(data)
            con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _new")
            con.unregister("_new")
    finally:
        con.close()
    return path


def chromium_load(html: Path) -> tuple[float, float]:
    """(seconds from navigation until the map has drawn, the page's own figure) in headless Chromium
    with every request other than the file itself refused."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu", "--proxy-server=127.0.0.1:9"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            t0 = time.perf_counter()
            page.goto(html.resolve().as_uri(), timeout=120_000)
            page.wait_for_function("window.geoMapReady === true", timeout=120_000, polling=50)
            wall = time.perf_counter() - t0
            in_page = page.evaluate("performance.now()") / 1000
        finally:
            browser.close()
    return wall, in_page


def main(sizes: list[int]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-map-"))
    rows = []
    try:
        for n in sizes:
            db = tmp / f"syn-{n}.duckdb"
            t0 = time.perf_counter()
            make_db(db, n)
            made = time.perf_counter() - t0
            t0 = time.perf_counter()
            features, articles = map_events(db)
            query = time.perf_counter() - t0
            out = save(build_map(features, articles=articles), tmp / f"map-{n}.html")
            build = time.perf_counter() - t0
            size_mb = out.stat().st_size / 1e6
            load, in_page = chromium_load(out)
            rows.append((n, build, size_mb, load, in_page))
            print(f"{n:>7,} events: database {made:5.1f} s | build {build:5.2f} s (reading events {query:5.2f} s, "
                  f"page {build - query:5.2f} s) | file {size_mb:6.2f} MB | Chromium load {load:5.2f} s "
                  f"(page's own clock {in_page:5.2f} s)", flush=True)
        base = rows[0]
        print(f"\nratios against {base[0]:,} events (same run):")
        for n, build, size_mb, load, _ in rows[1:]:
            print(f"{n:>7,}: x{n / base[0]:.0f} events -> build x{build / base[1]:.1f}, size x{size_mb / base[2]:.1f}, "
                  f"load x{load / base[3]:.1f}")
        for n, _, size_mb, load, _ in rows:
            if n >= 100_000:
                ok = size_mb <= SIZE_LIMIT_MB and load <= LOAD_LIMIT_S
                print(f"\ntarget for {n:,} events: file <= {SIZE_LIMIT_MB:.0f} MB ({size_mb:.1f}), load <= "
                      f"{LOAD_LIMIT_S:.0f} s ({load:.2f}): {'met' if ok else 'NOT met'}")
    finally:
        if not os.environ.get("GEO_BENCH_KEEP"):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000])
