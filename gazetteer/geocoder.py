"""A geopy `Geocoder` backed by the offline gazetteer, so code written for Nominatim runs unchanged.

    >>> from gazetteer import Geocoder
    >>> Geocoder().geocode("Pokrovsk, Donetsk Oblast").point
"""
from __future__ import annotations

from typing import Any

from geopy.geocoders.base import Geocoder as _GeopyGeocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer.core import Gazetteer
from gazetteer.place import Place


class Geocoder(_GeopyGeocoder):
    """geopy's interface over `Gazetteer`: `geocode(query)` and `reverse((lat, lon))` return
    `geopy.location.Location` objects whose `raw` is the gazetteer Place as a dict."""

    def __init__(self, gazetteer: Gazetteer | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._gaz = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = Gazetteer.default()
        return self._gaz

    def geocode(self, query: str, *, exactly_one: bool = True, country_codes: str | list[str] | None = None,
                featuretype: str | None = None, limit: int = 10, **_: Any) -> Location | list[Location] | None:
        """Places named by `query` ("Kharkov", "Pokrovsk, Donetsk Oblast"), best first."""
        country = country_codes[0] if isinstance(country_codes, list) else country_codes
        places = self.gazetteer.lookup(query, country=country, feature=featuretype, limit=limit)
        if not places:
            return None
        locations = [self._location(p) for p in places]
        return locations[0] if exactly_one else locations

    def reverse(self, query: Any, *, exactly_one: bool = True, **_: Any) -> Location | list[Location] | None:
        """The town at or near a point (larger towns preferred), with its admin-1 in the address."""
        point = Point(query)
        found = self.gazetteer.reverse(point.latitude, point.longitude)
        place = found["locality"] or found["admin1"]
        if place is None:
            return None
        loc = self._location(place, found["admin1"])
        return loc if exactly_one else [loc]

    def _location(self, p: Place, admin1: Place | None = None) -> Location:
        parts = [p.name]
        area = admin1 or (self.gazetteer.admin1_place(p.admin1) if p.admin1 and p.feature != "admin1" else None)
        if area is not None and area.name != p.name:
            parts.append(area.name)
        country = self.gazetteer.country_place(p.country) if p.country and p.feature != "country" else None
        if country is not None:
            parts.append(country.name)
        return Location(", ".join(parts), (p.lat, p.lon, 0.0), p.to_dict())
