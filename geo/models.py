"""Typed records that flow through the pipeline: Article -> Mention -> Event.

Each stage is a function from one of these to the next; the CLI, the store and the exports only
ever see these types (or their `to_dict()` form), so a stage can be rewritten without touching the
others. `Place` lives in the gazetteer package because the gazetteer is usable on its own.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from gazetteer.place import Place

Use = Literal["literal", "metonymic", "demonym", "embedded"]
EventType = Literal["strike", "capture", "clash", "interception", "outage", "talks", "exchange",
                    "protest", "other"]
ClaimStatus = Literal["reported", "claimed", "disputed", "anticipated", "cancelled"]
FACTUAL_CLAIMS: frozenset[str] = frozenset({"reported", "claimed", "disputed"})

# ACLED's geo_precision of an event located at each kind of place: 1 the place itself, 2 near it or a
# part of a region (admin-2), 3 a larger unit. The extractor sets it; exports fall back to it.
GEO_PRECISION: dict[str, int] = {"locality": 1, "landmark": 1, "near": 2, "admin2": 2, "water": 3, "admin1": 3,
                                 "region": 3, "country": 3}

EVENT_TYPES: tuple[str, ...] = ("strike", "capture", "clash", "interception", "outage", "talks",
                                "exchange", "protest", "other")


@dataclass(slots=True)
class Article:
    """One news report. `id` is the record id (JSONL/CSV) or the file name without extension."""

    id: str
    text: str
    title: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    origin: str | None = None  # where it was read from ("path:line"), for error messages

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


@dataclass(slots=True)
class Mention:
    """A place name found in an article's text, with Python str offsets (end exclusive)."""

    article: str
    start: int
    end: int
    surface: str
    place: Place | None
    use: Use = "literal"
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON line of `geo geoparse` (DESIGN.md output contract)."""
        p = self.place
        return {
            "article": self.article, "start": self.start, "end": self.end, "surface": self.surface,
            "geonameid": p.geonameid if p else None, "name": p.name if p else None,
            "feature": p.feature if p else None, "country": p.country if p else None,
            "admin1": p.admin1 if p else None, "lat": p.lat if p else None,
            "lon": p.lon if p else None, "use": self.use, "score": round(self.score, 3),
            "place_id": p.id if p else None,
        }


@dataclass(slots=True)
class Evidence:
    """The passage of one article that supports an event."""

    article: str
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Event:
    """A typed, located, dated incident (DESIGN.md "Fields of an event").

    `precision` follows ACLED's geo_precision idea: locality, near, admin2, admin1, country, water.
    `date_precision` follows ACLED's time_precision: day, week, month, unknown.
    """

    type: str
    subtype: str | None = None
    date: dt.date | None = None
    date_precision: str = "unknown"
    place: str | None = None
    place_id: str | None = None
    geonameid: int | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    precision: str | None = None
    location: str | None = None       # the place as the text names it (kept when the gazetteer lacks it)
    geo_precision: int | None = None  # ACLED: 1 the place itself, 2 near it or part of a region, 3 a larger unit
    actor: str | None = None          # ACLED actor1: the side that acted
    assoc_actor_1: str | None = None
    actor2: str | None = None         # the side acted upon (a party, or civilians)
    assoc_actor_2: str | None = None
    inter1: int | None = None         # ACLED inter codes: 1 state forces ... 8 external/other forces
    inter2: int | None = None
    interaction: int | None = None    # ACLED: the two inter codes, lower first (13 = state forces vs political militia)
    civilian_targeting: bool | None = None
    target: str | None = None
    weapon: str | None = None
    quantity: int | None = None
    fatalities: int | None = None
    injured: int | None = None
    missing: int | None = None
    affected: int | None = None
    claim_status: str = "reported"
    claimed_by: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    confidence: float = 0.5
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    event_id: str | None = None

    @property
    def is_fact(self) -> bool:
        """Only reported, claimed and disputed events are drawn as incidents."""
        return self.claim_status in FACTUAL_CLAIMS

    def to_dict(self) -> dict[str, Any]:
        """Flat properties for GeoJSON and the store: dates as ISO strings, evidence as text plus spans."""
        d = {f: getattr(self, f) for f in EVENT_FIELDS}
        d["date"] = self.date.isoformat() if self.date else None
        d["evidence"] = " … ".join(e.text for e in self.evidence)
        d["evidence_spans"] = [{"article": e.article, "start": e.start, "end": e.end} for e in self.evidence]
        d["articles"] = list(self.articles)
        return d


# Order of the flat event properties in every export (GeoJSON, store, CSV).
EVENT_FIELDS: tuple[str, ...] = (
    "event_id", "type", "subtype", "date", "date_precision", "place", "place_id", "geonameid",
    "country", "admin1", "lat", "lon", "precision", "location", "geo_precision", "actor",
    "assoc_actor_1", "actor2", "assoc_actor_2", "inter1", "inter2", "interaction",
    "civilian_targeting", "target", "weapon", "quantity",
    "fatalities", "injured", "missing", "affected", "claim_status", "claimed_by", "evidence",
    "articles", "confidence", "acled_event_type", "acled_sub_event_type",
)
