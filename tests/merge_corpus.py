"""A generated corpus of store operations that exercises the cross-article merge: many articles reporting
overlapping incidents (same place, nearby places, the same admin-1 area or country, a day apart), changed
articles re-put with a new extraction, identical re-puts, claims and anticipated events, counts that rise.

Invented articles at real GeoNames places; deterministic for a given seed. `dump` gives everything the
store holds except wall-clock timestamps, to compare two runs (or a run with the recorded reference in
tests/fixtures/merge_reference.json, made by the article-at-a-time store before batching).
"""
from __future__ import annotations

import datetime as dt
import random
from typing import Any

import duckdb

from gazetteer.place import Place
from geo.models import Article, Event, Evidence, Mention

from factories import DAY, KHARKIV, KHARKIV_OBL, UKRAINE

PLACES = [
    KHARKIV, KHARKIV_OBL, UKRAINE,
    Place("gn:711390", "Chuhuiv", "locality", "UA", "UA.07", 49.83534, 36.68800, 31000, 711390, "PPLA2"),
    Place("gn:703448", "Kyiv", "locality", "UA", "UA.12", 50.45466, 30.5238, 2797553, 703448, "PPLC"),
    Place("gn:698738", "Odesa Oblast", "admin1", "UA", "UA.17", 46.75, 30.33, 2300000, 698738, "ADM1"),
    Place("gn:698740", "Odesa", "locality", "UA", "UA.17", 46.47747, 30.73262, 1015826, 698740, "PPLA"),
    Place("gn:706448", "Kharkiv Raion", "admin2", "UA", "UA.07", 49.95, 36.3, 1700000, 706448, "ADM2"),
    # 3 km from Kharkiv's centre: point-level places within MERGE_KM merge.
    Place("x:kharkiv-airport", "Kharkiv Airport", "landmark", "UA", "UA.07", 49.9248, 36.2900, None, None, None),
    Place("gn:524901", "Moscow", "locality", "RU", "RU.48", 55.75222, 37.61556, 10381222, 524901, "PPLC"),
]
TYPES = ("strike", "strike", "strike", "clash", "outage", "talks")
CLAIMS = ("reported", "reported", "reported", "claimed", "disputed", "anticipated")
ACTORS = ("Russia", "Ukraine", None, "Russian forces")
SUBTYPES = {"strike": ("drone strike", "missile strike", "shelling", None), "clash": ("armed clash", None),
            "outage": ("power outage", None), "talks": (None,)}


def _article(rng: random.Random, aid: str, version: int) -> tuple[Article, list[Mention], list[Event]]:
    published = DAY + dt.timedelta(days=rng.randint(0, 3))
    n = rng.randint(0, 4)
    sentences = [f"Sentence {k} of {aid} version {version} about place {rng.randint(0, 99)}." for k in range(n + 1)]
    text = " ".join(sentences)
    art = Article(id=aid, text=text, title=f"{aid} v{version}", published=published,
                  source=rng.choice(("Wire A", "Wire B", None)), url=f"https://example.org/{aid}")
    mentions, events, pos = [], [], 0
    for k in range(n):
        sent = sentences[k]
        start = text.index(sent, pos)
        pos = start + len(sent)
        place = rng.choice(PLACES)
        precision = place.feature if rng.random() > 0.15 else "near"
        if place.feature == "country":
            precision = "country"
        if rng.random() < 0.8:
            mentions.append(Mention(article=aid, start=start, end=start + 8, surface=place.name, place=place,
                                    score=round(rng.random(), 3)))
        type_ = rng.choice(TYPES)
        counts = {f: (rng.choice((None, None, 1, 2, 3, 5, 12)) if type_ in ("strike", "clash") else None)
                  for f in ("fatalities", "injured")}
        events.append(Event(
            type=type_, subtype=rng.choice(SUBTYPES[type_]),
            date=published - dt.timedelta(days=rng.choice((0, 0, 1))) if rng.random() > 0.05 else None,
            date_precision=rng.choice(("day", "day", "day", "week")), place=place.name, place_id=place.id,
            geonameid=place.geonameid, country=place.country, admin1=place.admin1, lat=place.lat, lon=place.lon,
            precision=precision, location=place.name, geo_precision=rng.choice((1, 2, 3)),
            actor=rng.choice(ACTORS), actor2=rng.choice((None, "Civilians (Ukraine)")),
            inter1=rng.choice((None, 1, 8)), inter2=rng.choice((None, 7)), interaction=rng.choice((None, 17)),
            civilian_targeting=rng.choice((None, True)), target=rng.choice((None, "energy facility")),
            weapon=rng.choice((None, "drone", "missile")), quantity=rng.choice((None, None, 20, 111)),
            affected=rng.choice((None, 400000)) if type_ == "outage" else None,
            claim_status=rng.choice(CLAIMS), claimed_by=rng.choice((None, "Russian Defence Ministry")),
            evidence=[Evidence(aid, start, start + len(sent), sent)], articles=[aid],
            confidence=rng.choice((0.4, 0.5, 0.6, 0.75)), **counts))
    return art, mentions, events


def operations(seed: int = 13, n: int = 80) -> list[tuple[Article, list[Mention], list[Event]]]:
    """`n` store operations: mostly new articles; some changed re-puts and identical re-puts of earlier ones."""
    rng = random.Random(seed)
    ops: list[tuple[Article, list[Mention], list[Event]]] = []
    versions: dict[str, int] = {}
    for i in range(n):
        r = rng.random()
        if ops and r < 0.15:  # an earlier article, edited: its extraction is replaced
            aid = rng.choice(sorted(versions))
            versions[aid] += 1
            ops.append(_article(random.Random(f"{seed}-{aid}-{versions[aid]}"), aid, versions[aid]))
        elif ops and r < 0.22:  # an identical re-put
            aid = rng.choice(sorted(versions))
            ops.append(_article(random.Random(f"{seed}-{aid}-{versions[aid]}"), aid, versions[aid]))
        else:
            aid = f"art-{i:03d}"
            versions[aid] = 0
            ops.append(_article(random.Random(f"{seed}-{aid}-0"), aid, 0))
    return ops


_SKIP = {"created_at", "updated_at", "added_at", "ingested_at"}


def dump(path: str) -> dict[str, list[dict[str, Any]]]:
    """Every stored row (JSON-ready, no wall-clock columns), tables in a fixed order."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        out = {}
        for table, order in (("articles", "id"), ("places", "id"), ("mentions", "article_id, char_start"),
                             ("events", "event_id"), ("event_sources", "event_id, article_id")):
            cur = con.execute(f"SELECT * FROM {table} ORDER BY {order}")
            names = [d[0] for d in cur.description]
            out[table] = [{k: _plain(v) for k, v in zip(names, row) if k not in _SKIP} for row in cur.fetchall()]
        return out
    finally:
        con.close()


def _plain(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, float):
        return round(v, 9)
    if isinstance(v, tuple):
        return list(v)
    return v
