"""Which stored events a query wants: one `EventFilter` for `geo export`, `geo map` and `geo.open(db).events()`.

It lives below the store (it imports only the event model), so the store's SQL (`geo.store._filter_sql`)
and every renderer can use it without importing each other.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import get_args

from geo.errors import GeoError
from geo.models import EVENT_TYPES, FACTUAL_CLAIMS, ClaimStatus

CLAIM_STATUSES: tuple[str, ...] = get_args(ClaimStatus)


@dataclass
class EventFilter:
    """Which events to read. Every criterion is optional and they combine with AND.

    - `types`: event types (strike, capture, ...); `since` / `until`: dates, inclusive;
    - `countries`: ISO 3166-1 alpha-2 codes (any case); `bbox`: (min_lon, min_lat, max_lon, max_lat),
      crossing the antimeridian when min_lon > max_lon;
    - `claims`: claim statuses to keep (reported, claimed, disputed, anticipated, cancelled). When
      None, `facts_only` decides: True (the default) keeps the facts, reported, claimed and disputed
      (anticipated and cancelled events are not incidents); False keeps every status;
    - `title`: a case-insensitive substring of the title of at least one article reporting the event.
    """

    types: list[str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    countries: list[str] | None = None
    bbox: tuple[float, float, float, float] | None = None
    facts_only: bool = True
    claims: list[str] | None = None
    title: str | None = None

    def __post_init__(self) -> None:
        bad = [t for t in self.types or () if t not in EVENT_TYPES]
        if bad:
            raise GeoError(f"unknown event type {bad[0]!r}: use {', '.join(EVENT_TYPES)}")
        bad = [c for c in self.claims or () if c not in CLAIM_STATUSES]
        if bad:
            raise GeoError(f"unknown claim status {bad[0]!r}: use {', '.join(CLAIM_STATUSES)}")
        if self.bbox is not None:
            if len(self.bbox) != 4:
                raise GeoError(f"a bounding box has four numbers (min_lon, min_lat, max_lon, max_lat), not {self.bbox!r}")
            min_lon, min_lat, max_lon, max_lat = self.bbox
            if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
                raise GeoError(f"bounding box out of range: {self.bbox!r} (lon -180..180, lat -90..90, min_lat <= max_lat)")
        if self.since and self.until and self.since > self.until:
            raise GeoError(f"--since {self.since} is after --until {self.until}")
        if self.title is not None and not self.title.strip():
            self.title = None

    def claim_statuses(self) -> list[str] | None:
        """The claim statuses kept, sorted; None when any status is kept."""
        if self.claims:
            return sorted(set(self.claims))
        return sorted(FACTUAL_CLAIMS) if self.facts_only else None
