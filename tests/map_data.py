"""Invented articles and events for the map, plot and CLI tests, stored in a real DuckDB file.

Every kind of drawing has a case: three events at one town (a cluster that fans out), one "near" a
town, one known only at country level, one only at admin-1 level (an old row without
geo_precision), one at a region with no shape (listed only), one undated, claimed and disputed
ones, and two non-facts (anticipated, cancelled) that must never be drawn. Dates spread over a
month so the time control has something to filter.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from gazetteer.place import Place
from geo.models import Article, Event, Evidence
from geo.store import Store

from factories import KHARKIV, KHARKIV_OBL, UKRAINE, event_at

DAY = dt.date(2025, 11, 20)
POKROVSK = Place("gn:704508", "Pokrovsk", "locality", "UA", "UA.05", 48.282, 37.176, 60000, 704508, "PPL")
IZIUM = Place("gn:707308", "Izium", "locality", "UA", "UA.07", 49.212, 37.256, 45000, 707308, "PPL")
BELGOROD = Place("gn:578072", "Belgorod", "locality", "RU", "RU.09", 50.61, 36.58, 340000, 578072, "PPLA")

XSS = {
    "title": '<img src=x onerror="window.__xss=1">Breaking',
    "text": "<script>window.__xss=2</script>Drones struck the depot.",
    "place": '<svg onload="window.__xss=3">Depot',
    "url": "javascript:window.__xss=4",
    "actor": '"><img src=y onerror="window.__xss=5">',
    "outlet": '<b onmouseover="window.__xss=6">Outlet</b>',
}


def _ev(art: Article, text: str) -> Evidence:
    return Evidence(art.id, 0, len(text), text)


def articles_and_events() -> list[tuple[Article, list[Event]]]:
    """(article, its events) pairs; `event_id`s are given by the store."""
    a1 = Article("kh-strikes", "Missiles hit Kharkiv again overnight.", title="Missile strikes on Kharkiv",
                 published=DAY, source="Kyiv Daily", url="https://kyiv-daily.example/2025/11/kharkiv-strikes")
    a2 = Article("front", "Russia claims to have taken Pokrovsk.", title="Front line report",
                 published=DAY - dt.timedelta(days=10), source="Front Wire", url="http://front.example/report")
    a3 = Article("air", "Air defence shot down drones over the country.", title="Air defence overnight",
                 published=DAY - dt.timedelta(days=3), source="Air Watch", url="https://air.example/a")
    a4 = Article("grid", "Power cuts across the Kharkiv region.", title="Blackouts in the region",
                 published=DAY - dt.timedelta(days=25), source="Grid News", url="ftp://grid.example/not-a-web-link")
    a5 = Article("misc", "A protest somewhere in Donbas; talks planned.", title="Roundup", published=DAY,
                 source="Roundup", url=None)
    ev1 = _ev(a1, "A missile hit Kharkiv overnight & killed 4.")
    events = [
        (a1, [event_at(a1, KHARKIV, "strike", DAY, ev1, subtype="missile strike", fatalities=4, injured=17,
                       actor="Russia", actor2="Civilians", weapon="missiles", quantity=3, geo_precision=1),
              event_at(a1, KHARKIV, "clash", DAY - dt.timedelta(days=1), _ev(a1, "Fighting on the outskirts."),
                       geo_precision=1),
              event_at(a1, KHARKIV, "strike", DAY - dt.timedelta(days=2), _ev(a1, "Another strike days earlier."),
                       geo_precision=1),
              event_at(a1, IZIUM, "strike", DAY - dt.timedelta(days=5), _ev(a1, "Shelling near Izium."),
                       precision="near", geo_precision=2)]),
        (a2, [event_at(a2, POKROVSK, "capture", DAY - dt.timedelta(days=10), _ev(a2, "Russia claims Pokrovsk."),
                       claim_status="claimed", claimed_by="Russian MoD", geo_precision=1),
              event_at(a2, BELGOROD, "strike", DAY - dt.timedelta(days=9), _ev(a2, "Drones hit Belgorod."),
                       claim_status="disputed", geo_precision=1)]),
        (a3, [event_at(a3, UKRAINE, "interception", DAY - dt.timedelta(days=3),
                       _ev(a3, "Air defence shot down 41 drones."), quantity=41, weapon="drones", geo_precision=3)]),
        (a4, [event_at(a4, KHARKIV_OBL, "outage", DAY - dt.timedelta(days=25),
                       _ev(a4, "Power cuts across the region."), affected=120000)]),  # no geo_precision: old row
        (a5, [Event(type="protest", date=None, place="Donbas", country="UA", precision="region", geo_precision=3,
                    claim_status="reported", evidence=[_ev(a5, "A protest somewhere in Donbas.")], articles=[a5.id]),
              event_at(a5, KHARKIV, "talks", DAY + dt.timedelta(days=4), _ev(a5, "Talks planned."),
                       claim_status="anticipated"),
              event_at(a5, POKROVSK, "exchange", DAY, _ev(a5, "Exchange called off."), claim_status="cancelled")]),
    ]
    return events


FACTS = 9         # events drawn or listed (not the anticipated and cancelled ones)
NOT_FACTS = 2
TYPES_DRAWN = ("strike", "capture", "clash", "interception", "outage", "protest")


def xss_articles_and_events() -> list[tuple[Article, list[Event]]]:
    """An article whose every field carries a script or an event handler."""
    art = Article("xss", XSS["text"], title=XSS["title"], published=DAY, source=XSS["outlet"], url=XSS["url"])
    depot = Place("x:depot", XSS["place"], "locality", "UA", "UA.07", 49.9, 36.3)
    evs = [event_at(art, depot, "strike", DAY, _ev(art, XSS["text"]), actor=XSS["actor"], subtype=XSS["place"],
                    location=XSS["place"] + " (as reported)", geo_precision=1),
           event_at(art, UKRAINE, "outage", DAY, _ev(art, XSS["text"]), actor=XSS["actor"], geo_precision=3),
           Event(type="other", date=DAY, place=XSS["place"], country="UA", precision="region", geo_precision=3,
                 evidence=[_ev(art, XSS["text"])], articles=[art.id])]
    return [(art, evs)]


def make_db(path: Path, pairs: list[tuple[Article, list[Event]]] | None = None) -> Path:
    """Store the pairs (default: `articles_and_events()`) in a new DuckDB file."""
    with Store(path) as store:
        for art, evs in pairs or articles_and_events():
            store.put(art, [], evs)
    return path
