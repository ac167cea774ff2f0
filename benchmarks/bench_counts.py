"""Count-phrase benchmark: `geo.numbers.find_counts` on sentences built from the team's own templates.

    python benchmarks/bench_counts.py [--sentences 400] [--rounds 20] [--baseline REV]

Prints sentences/s and µs per sentence for this checkout's `find_counts` and, with `--baseline REV`
(default: `main` when the repository has it), for `geo/numbers.py` as it is at git revision REV,
loaded from `git show` into the same process so both run on the same machine at the same time.
The ratio is baseline time / current time (higher is better). Where the baseline has the old
per-token phrase matcher (`_match_phrase`), the number of its calls is printed too.
"""
from __future__ import annotations

import argparse
import importlib.util
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]

PLACES = ["Lviv", "Sumy", "Mykolaiv", "Bryansk", "Goma", "Rafah", "Sittwe", "Gao", "Hodeidah", "Aleppo"]
ACTORS = ["Russian forces", "the army", "rebels", "an armed group", "police", "local officials"]
COUNTS = ["3", "12", "at least 14", "more than 40", "nearly 9,600", "about fifty", "dozens of",
          "two hundred and fifty", "1.2 million", "12 000", "a score of", "between 10 and 15",
          "10-15", "several", "hundreds of", "twenty-five", "some 300", "a few", "up to 40"]
NOUNS = ["people", "civilians", "drones", "missiles", "homes", "soldiers", "residents", "shells"]
NOISE = ["on November 19", "at 10:30", "in 2024", "about 40% of the city", "worth $5 billion",
         "after the 28-point plan", "near route 5", "by 7 a.m.", "three-day", "F-16 jets"]
TEMPLATES = [
    "{actor} said {count} {noun} were hit in {place} {noise}.",
    "{count} {noun} were reported in {place}, and {count2} more {noise}, {actor} said.",
    "Officials in {place} said {count} {noun} had been evacuated {noise} while {count2} {noun2} stayed.",
    "The attack on {place} {noise} left {count} {noun} without power, according to {actor}.",
    "{actor} fired {count} {noun} at {place}; {count2} of them were shot down {noise}.",
    "No one was hurt in {place}, {actor} said, but one another {noise} blamed the {noun}.",
]


def sentences(n: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        t = rnd.choice(TEMPLATES)
        s = t.format(actor=rnd.choice(ACTORS), count=rnd.choice(COUNTS), count2=rnd.choice(COUNTS),
                     noun=rnd.choice(NOUNS), noun2=rnd.choice(NOUNS), place=rnd.choice(PLACES),
                     noise=rnd.choice(NOISE))
        out.append(s[0].upper() + s[1:])
    return out


def load_revision(rev: str) -> ModuleType | None:
    """geo/numbers.py at git revision `rev` as a module (None when git or the revision is missing)."""
    try:
        src = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:geo/numbers.py"], check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = Path(tempfile.mkdtemp()) / f"numbers_{rev.replace('/', '_')}.py"
    path.write_text(src, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[path.stem] = mod
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def time_it(find_counts, texts: list[str], rounds: int) -> float:
    for t in texts[:20]:
        find_counts(t)  # warm caches (lexicon, compiled patterns)
    t0 = time.perf_counter()
    for _ in range(rounds):
        for t in texts:
            find_counts(t)
    return (time.perf_counter() - t0) / (rounds * len(texts))


def phrase_calls(mod: ModuleType, texts: list[str]) -> int | None:
    if not hasattr(mod, "_match_phrase"):
        return None
    calls = 0
    inner = mod._match_phrase

    def counting(*a, **k):
        nonlocal calls
        calls += 1
        return inner(*a, **k)

    mod._match_phrase = counting
    try:
        for t in texts:
            mod.find_counts(t)
    finally:
        mod._match_phrase = inner
    return calls


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--baseline", default="main", help="git revision to compare with ('' for none)")
    args = ap.parse_args()
    from geo import numbers

    texts = sentences(args.sentences)
    words = sum(len(t.split()) for t in texts) / len(texts)
    cur = time_it(numbers.find_counts, texts, args.rounds)
    found = sum(len(numbers.find_counts(t)) for t in texts)
    print(f"sentences: {len(texts)} ({words:.0f} words on average), {found} counts found")
    print(f"current : {1 / cur:,.0f} sentences/s ({cur * 1e6:.1f} µs per sentence)")
    calls = phrase_calls(numbers, texts)
    if calls is not None:
        print(f"current : _match_phrase called {calls:,} times ({calls / len(texts):.1f} per sentence)")
    base = load_revision(args.baseline) if args.baseline else None
    if base is not None:
        b = time_it(base.find_counts, texts, args.rounds)
        bfound = sum(len(base.find_counts(t)) for t in texts)
        print(f"baseline ({args.baseline}): {1 / b:,.0f} sentences/s ({b * 1e6:.1f} µs per sentence), "
              f"{bfound} counts found")
        bcalls = phrase_calls(base, texts)
        if bcalls is not None:
            print(f"baseline: _match_phrase called {bcalls:,} times ({bcalls / len(texts):.1f} per sentence)")
        print(f"speed-up: {b / cur:.1f}x")


if __name__ == "__main__":
    main()
