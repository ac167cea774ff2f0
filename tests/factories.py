"""Places and event builders shared by the store and export tests (invented data, real GeoNames ids)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from gazetteer.place import Place
from geo.models import Article, Event, Evidence

DAY = dt.date(2024, 11, 19)
KHARKIV = Place("gn:706483", "Kharkiv", "locality", "UA", "UA.07", 49.98081, 36.25272, 1430885, 706483, "PPLA")
KHARKIV_OBL = Place("gn:706482", "Kharkiv Oblast", "admin1", "UA", "UA.07", 49.5, 36.5, 2700000, 706482, "ADM1")
UKRAINE = Place("gn:690791", "Ukraine", "country", "UA", None, 49.0, 32.0, 40000000, 690791, "PCLI")


def event_at(art: Article, place: Place, type_: str, date: dt.date, evidence: Evidence, **kw: Any) -> Event:
    """A reported, day-precise event of `art` at `place`; keyword arguments override any field."""
    fields = dict(type=type_, date=date, date_precision="day", place=place.name, place_id=place.id,
                  geonameid=place.geonameid, country=place.country, admin1=place.admin1, lat=place.lat,
                  lon=place.lon, precision=place.feature, claim_status="reported", confidence=0.6,
                  evidence=[evidence], articles=[art.id])
    fields.update(kw)
    return Event(**fields)


def hand_parse(words: list[tuple[str, str, str, int]]):
    """A Parsed sentence built by hand, (word, part of speech, dependency, head index) per token: tests
    of the parser's misreadings that a real parse gives only for some wordings."""
    from geo.events.nlp import Parsed, Tok
    toks, at = [], 0
    for i, (w, pos, dep, head) in enumerate(words):
        toks.append(Tok(i, at, at + len(w), w, w.lower(), pos, dep, head))
        at += len(w) + 1
    return Parsed(0, at, toks)
