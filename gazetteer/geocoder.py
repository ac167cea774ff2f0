"""A geopy `Geocoder` over the offline gazetteer: code written for geopy's Nominatim runs unchanged.

    >>> from gazetteer import Geocoder
    >>> geolocator = Geocoder()                       # instead of Nominatim(user_agent=...)
    >>> geolocator.geocode("Pokrovsk, Donetsk Oblast").point
    >>> geolocator.geocode({"city": "Rafah", "country": "Palestine"}, addressdetails=True).raw["address"]
    >>> geolocator.reverse((48.46, 35.04), zoom=5).address        # 'Dnipropetrovsk Oblast, Ukraine'

What an offline gazetteer can answer behaves as Nominatim does: free-form and structured (dict)
queries (``city``, ``county``, ``state``, ``country``; ``street`` and ``postalcode`` are not
known and make the query fail as Nominatim does for an unknown street), ``exactly_one``, ``limit``,
``country_codes`` (a code or a list; every code counts), ``viewbox`` with ``bounded``,
``featuretype`` (country, state, city, settlement), ``addressdetails`` (an ``address`` dict in
Nominatim's keys) and ``reverse(point, zoom=...)`` (3 country, 5 state, 8 county, 10+ town).
``Location.raw`` has Nominatim's keys (``lat``/``lon`` as strings, ``display_name``, ``class``,
``type``, ``addresstype``, ``importance``, ``boundingbox``, ``place_id``) plus the GeoNames
fields (``geonameid``, ``feature``, ``feature_code``, ``country_code``, ``admin1_code``,
``admin2_code``, ``population``, ``gn_name``, ``source``) and the admin chain (``admin``).
Names come in English (the display names); ``language`` is accepted and ignored.
"""
from __future__ import annotations

import math
from typing import Any, Iterable

from geopy.geocoders.base import Geocoder as _GeopyGeocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer.core import Gazetteer
from gazetteer.place import Place

FEATURETYPES = {"country": {"country"}, "state": {"admin1"}, "city": {"locality"},
                "settlement": {"locality", "admin2", "admin1", "country"}}
_STRUCTURED = ("city", "county", "state", "country", "street", "postalcode", "amenity")
LICENCE = "Data © GeoNames (CC BY 4.0), airportsdata (MIT) and geo-events curated files"


class Geocoder(_GeopyGeocoder):
    """geopy's interface over `Gazetteer`; see the module docstring for what is supported."""

    def __init__(self, gazetteer: Gazetteer | None = None, user_agent: str | None = None, **kwargs: Any) -> None:
        super().__init__(user_agent=user_agent, **kwargs)
        self._gaz = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = Gazetteer.default()
        return self._gaz

    # ------------------------------------------------------------ geocode
    def geocode(self, query: str | dict[str, str], *, exactly_one: bool = True, timeout: Any = None,
                limit: int | None = None, addressdetails: bool = False, language: Any = False,
                geometry: Any = None, extratags: bool = False, country_codes: str | list[str] | None = None,
                viewbox: Any = None, bounded: bool = False, featuretype: str | None = None,
                namedetails: bool = False) -> Location | list[Location] | None:
        """Places named by `query`, best first (one Location, a list, or None as Nominatim returns)."""
        codes = _country_codes(country_codes)
        if featuretype is not None and featuretype not in FEATURETYPES:
            raise ValueError(f"featuretype must be one of {sorted(FEATURETYPES)}, not {featuretype!r}")
        kinds = FEATURETYPES.get(featuretype) if featuretype else None
        box = _viewbox(viewbox)
        want = 1 if exactly_one else (limit or 10)
        places = self._search(query, codes, kinds, box, bounded, max(want, 50))
        if not places:
            return None
        locations = [self._location(p, addressdetails, namedetails) for p in places[:want]]
        return locations[0] if exactly_one else locations

    def _search(self, query: str | dict[str, str], codes: list[str], kinds: set[str] | None,
                box: tuple[float, float, float, float] | None, bounded: bool, limit: int) -> list[Place]:
        gaz = self.gazetteer
        if isinstance(query, dict):
            unknown = set(query) - set(_STRUCTURED)
            if unknown:
                raise ValueError(f"unknown structured query keys {sorted(unknown)}; use {list(_STRUCTURED)}")
            if query.get("street") or query.get("postalcode"):
                return []  # streets and postcodes are not in the gazetteer
            return self._structured(query, codes, kinds, box, bounded, limit)
        hits = gaz.lookup(str(query), limit=limit * 4)
        return _filter(hits, codes, kinds, box, bounded)[:limit]

    def _structured(self, q: dict[str, str], codes: list[str], kinds: set[str] | None,
                    box: Any, bounded: bool, limit: int) -> list[Place]:
        """The finest given part ("city" < "county" < "state" < "country") is the answer; the
        coarser parts narrow it: {"city": "Pokrovsk", "state": "Donetsk Oblast"}."""
        gaz = self.gazetteer
        country = (q.get("country") or "").strip()
        if country:
            c = gaz.lookup(country, feature="country", fuzzy=False, limit=1) or \
                [p for p in gaz.by_code(country) if p.feature == "country"][:1] or \
                ([gaz.country_place(country)] if len(country) == 2 and gaz.country_place(country) else [])
            if not c:
                return []
            codes = [c[0].country] if not codes else [x for x in codes if x == c[0].country]
            if not codes:
                return []
        state = county = None
        if q.get("state"):
            s = _filter(gaz.lookup(q["state"], limit=40), codes, {"admin1"}, None, False)
            if not s:
                return []
            state = s[0]
        if q.get("county"):
            c2 = [p for p in _filter(gaz.lookup(q["county"], limit=40), codes, {"admin2"}, None, False)
                  if state is None or p.admin1 == state.admin1]
            if not c2:
                return []
            county = c2[0]
        head = q.get("city") or q.get("amenity")
        if not head:
            top = county or state or (gaz.country_place(codes[0]) if country and codes else None)
            return _filter([top], codes, kinds, box, bounded) if top else []
        hits = gaz.lookup(head, limit=limit * 4)
        if state is not None:
            hits = [p for p in hits if p.admin1 == state.admin1]
        if county is not None:
            hits = [p for p in hits if p.admin2 == county.admin2 or p.admin2 is None]
        city_kinds = kinds or ({"locality", "admin2", "landmark"} if q.get("city") else None)
        return _filter(hits, codes, city_kinds, box, bounded)[:limit]

    # ------------------------------------------------------------ reverse
    def reverse(self, query: Any, *, exactly_one: bool = True, timeout: Any = None, language: Any = False,
                addressdetails: bool = True, zoom: int | None = None,
                namedetails: bool = False) -> Location | list[Location] | None:
        """The place at a point: the town at or near it (zoom ≥ 10, the default), its admin-2
        (zoom 8-9), admin-1 (5-7) or country (3-4), as Nominatim's zoom levels do."""
        point = Point(query)
        gaz = self.gazetteer
        found = gaz.reverse(point.latitude, point.longitude)
        z = 18 if zoom is None else int(zoom)
        town, area = found["locality"], found["admin1"]
        if z <= 4:
            cc = (area or town).country if (area or town) else None
            place = gaz.country_place(cc) if cc else None
        elif z <= 7:
            place = area
        elif z <= 9:
            place = (gaz.admin2_place(town.admin2) if town and town.admin2 else None) or area
        else:
            place = town or area
        if place is None:
            return None
        loc = self._location(place, addressdetails, namedetails, area=area)
        return loc if exactly_one else [loc]

    # ------------------------------------------------------------ results
    def _location(self, p: Place, addressdetails: bool = False, namedetails: bool = False,
                  area: Place | None = None) -> Location:
        chain = self._chain(p, area)
        parts = [p.name] + [c.name for c in chain if c.name != p.name]
        display = ", ".join(dict.fromkeys(parts))
        raw = self._raw(p, chain, display)
        if addressdetails:
            raw["address"] = self._address(p, chain)
        if namedetails:
            raw["namedetails"] = {"name": p.name, "name:en": p.name, "official_name": p.gn_name or p.name}
        return Location(display, (p.lat, p.lon, 0.0), raw)

    def _chain(self, p: Place, area: Place | None = None) -> list[Place]:
        """The admin units containing `p`, finest first: admin-2, admin-1, country."""
        gaz = self.gazetteer
        out: list[Place] = []
        if p.admin2 and p.feature not in ("admin2", "admin1", "country"):
            a2 = gaz.admin2_place(p.admin2)
            if a2 is not None:
                out.append(a2)
        if p.feature not in ("admin1", "country"):
            a1 = area if area is not None and area.admin1 == p.admin1 else (
                gaz.admin1_place(p.admin1) if p.admin1 else area)
            if a1 is not None and a1.id != p.id:
                out.append(a1)
        if p.country and p.feature != "country":
            c = gaz.country_place(p.country)
            if c is not None:
                out.append(c)
        return out

    def _raw(self, p: Place, chain: list[Place], display: str) -> dict[str, Any]:
        cls, typ, addresstype = _osm_class(p)
        d = 0.05 if p.feature in ("locality", "landmark") else 0.5 if p.feature in ("admin2",) else 2.0
        return {
            "place_id": p.id, "licence": LICENCE, "osm_type": None, "osm_id": None,
            "lat": f"{p.lat:.7f}", "lon": f"{p.lon:.7f}", "display_name": display,
            "class": cls, "type": typ, "addresstype": addresstype, "name": p.name,
            "importance": round(min(1.0, 0.2 + math.log10(p.population + 1) / 10), 4),
            "boundingbox": [f"{p.lat - d:.7f}", f"{p.lat + d:.7f}", f"{p.lon - d:.7f}", f"{p.lon + d:.7f}"],
            "geonameid": p.geonameid, "feature": p.feature, "feature_code": p.code,
            "country_code": (p.country or "").lower() or None, "admin1_code": p.admin1,
            "admin2_code": p.admin2, "population": p.population, "gn_name": p.gn_name, "source": p.source,
            "admin": [{"level": _level(c), "id": c.id, "name": c.name, "code": _unit_code(c)} for c in chain],
        }

    def _address(self, p: Place, chain: list[Place]) -> dict[str, str]:
        """Nominatim's address keys: city/town/village/hamlet (or the feature's own key), county,
        state, ISO3166-2-lvl4, country, country_code."""
        addr: dict[str, str] = {}
        _cls, _typ, own = _osm_class(p)
        if p.feature not in ("country",):
            addr[own] = p.name
        for c in chain:
            key = {"admin2": "county", "admin1": "state", "country": "country"}[c.feature]
            addr.setdefault(key, c.name)
        if p.feature == "country":
            addr["country"] = p.name
        if p.country:
            addr["country_code"] = p.country.lower()
        return addr


def _country_codes(codes: str | Iterable[str] | None) -> list[str]:
    if not codes:
        return []
    if isinstance(codes, str):
        codes = codes.split(",")
    return [c.strip().upper() for c in codes if c and c.strip()]


def _viewbox(viewbox: Any) -> tuple[float, float, float, float] | None:
    """(south, north, west, east) from geopy's ((lat1, lon1), (lat2, lon2)) or two Points."""
    if not viewbox:
        return None
    a, b = (Point(v) for v in viewbox)
    return (min(a.latitude, b.latitude), max(a.latitude, b.latitude),
            min(a.longitude, b.longitude), max(a.longitude, b.longitude))


def _in_box(p: Place, box: tuple[float, float, float, float]) -> bool:
    s, n, w, e = box
    return s <= p.lat <= n and w <= p.lon <= e


def _filter(places: list[Place], codes: list[str], kinds: set[str] | None,
            box: tuple[float, float, float, float] | None, bounded: bool) -> list[Place]:
    out = [p for p in places if (not codes or p.country in codes) and (kinds is None or p.feature in kinds)]
    if box is not None:
        inside = [p for p in out if _in_box(p, box)]
        out = inside if bounded else inside + [p for p in out if not _in_box(p, box)]
    return out


def _osm_class(p: Place) -> tuple[str, str, str]:
    """(class, type, addresstype) as Nominatim would give them for this kind of place."""
    if p.feature == "locality":
        kind = ("city" if p.population >= 100_000 else "town" if p.population >= 10_000
                else "village" if p.population >= 500 else "hamlet")
        return "place", kind, kind
    if p.feature == "country":
        return "boundary", "administrative", "country"
    if p.feature == "admin1":
        return "boundary", "administrative", "state"
    if p.feature == "admin2":
        return "boundary", "administrative", "county"
    if p.feature == "water":
        return "natural", "water", "water"
    if p.feature == "landmark":
        code = p.code or ""
        if code.startswith("AIR"):
            return "aeroway", "aerodrome", "aeroway"
        if code in ("PRT", "NVB"):
            return "landuse", "harbour" if code == "PRT" else "military", "landuse"
        if code in ("MILB", "INSM"):
            return "landuse", "military", "military"
        if code in ("PS", "PSN", "DAM"):
            return "power", "plant", "power"
        return "man_made", "works" if code.startswith(("OIL", "GAS", "NUC")) else "yes", "man_made"
    return "place", p.feature, p.feature


def _level(p: Place) -> int:
    return {"country": 0, "admin1": 1, "admin2": 2}.get(p.feature, 3)


def _unit_code(p: Place) -> str | None:
    return {"country": p.country, "admin1": p.admin1, "admin2": p.admin2}.get(p.feature)
