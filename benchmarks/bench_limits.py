"""Bounded work per article (issue 16): a 20 MB article against a 200 KB one, and hostile inputs.

    python benchmarks/bench_limits.py [--lifted-mb N]

Each row reads a generated article from a file (ordinary news sentences, in paragraphs) and runs
read -> geoparse -> extract on it; it prints CPU seconds, the ratio against the 200 KB baseline of
the same run and the ratio of their sizes. Target: a 20 MB article finishes in proportion to its
size or is refused at once. With the default limits (geo/limits.py) a 20 MB .txt file is refused
before it is read; with GEO_LIMIT_FILE_BYTES raised it is read and cut to the article limit, so it
costs about what a 200,000-character article costs. The last rows lift the article limit too and
show how the pipeline itself scales with length (200 KB against N MB, default 1).
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
import warnings
from pathlib import Path

from geo.errors import InputError, InputWarning
from geo.extraction import extract_article
from geo.geoparser import geoparse_article
from geo.limits import Limits
from geo.models import Article
from geo.read import read_paths

PLACES = ["Kharkiv", "Odesa", "Lviv", "Dnipro", "Kherson", "Sumy", "Belgorod", "Donetsk", "Zaporizhzhia",
          "Kyiv", "Mykolaiv", "Poltava", "Khan Younis", "Goma", "Sagaing", "Izmail"]
SENTENCES = [
    "Russian drones struck {p} on Monday, killing {n} people and injuring {m} others, officials said.",
    "Air defence units shot down {n} drones over the {p} region overnight.",
    "Power was cut to {n} homes in {p} after a missile hit an energy facility.",
    "Officials in {p} said the shelling damaged a school and several apartment buildings.",
    "Hundreds of people rallied in {p} on Saturday to demand the release of prisoners.",
    "The governor of the {p} region said repair crews were working to restore heating.",
    "Delegations met in {p} for talks on a ceasefire, a spokesman said.",
    "Residents of {p} spent the night in shelters as sirens sounded across the city.",
    "The weather was cold and the markets were busy, according to local reporters.",
]


def article_text(chars: int, seed: int = 16) -> str:
    rnd = random.Random(seed)
    paras, n = [], 0
    while n < chars:
        para = " ".join(rnd.choice(SENTENCES).format(p=rnd.choice(PLACES), n=rnd.randint(2, 90), m=rnd.randint(1, 40))
                        for _ in range(rnd.randint(2, 5)))
        paras.append(para)
        n += len(para) + 2
    return "\n\n".join(paras)[:chars]


def run(path: Path, limits: Limits) -> tuple[float, str]:
    """CPU seconds of read -> geoparse -> extract for one file, and what the reader said."""
    said: list[InputError] = []
    t0 = time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InputWarning)
        articles = list(read_paths([str(path)], on_error=said.append, limits=limits))
    events = 0
    for a in articles:
        mentions = geoparse_article(a)
        events += len(extract_article(a, mentions))
    seconds = time.process_time() - t0
    if said and said[0].fatal:
        note = "refused: " + said[0].message[:70]
    elif said:
        note = f"cut to {len(articles[0].text):,} chars; {events} events"
    else:
        note = f"{events} events"
    return seconds, note


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lifted-mb", type=float, default=1.0, help="size of the no-limit row (MB)")
    args = ap.parse_args()
    warm = Article(id="warm", text="Russian drones struck Kharkiv on Monday, killing 3 people.")
    extract_article(warm, geoparse_article(warm))  # gazetteer, lexicons and the parser loaded first
    defaults = Limits()
    raised = Limits(file_bytes=64 * 2**20, record_bytes=64 * 2**20)
    lifted = Limits(file_bytes=64 * 2**20, record_bytes=64 * 2**20, article_chars=10**9, article_words=10**9)
    with tempfile.TemporaryDirectory() as d:
        small = Path(d) / "a200k.txt"
        small.write_text(article_text(200_000))
        big = Path(d) / "a20m.txt"
        big.write_text(article_text(20_000_000))
        mid = Path(d) / "lifted.txt"
        mid.write_text(article_text(int(args.lifted_mb * 1_000_000)))
        word = Path(d) / "word.txt"
        word.write_text("Drones struck Kharkiv on Monday. " + "x" * 1_000_000 + " The end.")
        line = Path(d) / "line.jsonl"
        line.write_text('{"id": "huge", "text": "' + "word " * 4_000_000 + '"}\n')
        deep = Path(d) / "deep.jsonl"
        deep.write_text('{"id": "deep", "text": "x", "m": ' + "[" * 1_000_000 + "]" * 1_000_000 + "}\n")

        base, note = run(small, defaults)
        print(f"{'input':44} {'CPU s':>8} {'x 200KB':>8} {'x size':>8}  note")
        print(f"{'200 KB article (baseline)':44} {base:8.2f} {1:8.1f} {1:8.1f}  {note}")
        rows = [
            ("20 MB article, default limits", big, defaults, 100.0),
            ("20 MB article, file limit raised", big, raised, 100.0),
            (f"{args.lifted_mb:g} MB article, no article limit", mid, lifted, args.lifted_mb * 5),
            ("1,000,000-character word", word, defaults, 5.0),
            ("20 MB JSONL line (4,000,000 words)", line, defaults, 100.0),
            ("JSONL record nested 1,000,000 deep", deep, defaults, 10.0),
        ]
        for label, path, limits, size_ratio in rows:
            seconds, note = run(path, limits)
            print(f"{label:44} {seconds:8.2f} {seconds / base:8.1f} {size_ratio:8.1f}  {note}")


if __name__ == "__main__":
    main()
