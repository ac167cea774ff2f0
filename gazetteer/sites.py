"""Point sites that conflict news names: air bases, airports, ports, refineries, plants, dams.

Two sources:
- `airportsdata` (PyPI, MIT): ~28,000 airports and airstrips with ICAO/IATA codes and coordinates;
- ``data/gazetteer/sites.tsv``: curated military air bases, naval bases, ports, oil terminals and
  refineries, power and nuclear plants and dams, each with its source. A row with an ``icao`` that
  airportsdata holds adds its names to that airport instead of making a second row.

Every site is a `landmark` with a GeoNames-like feature code (AIRB, AIRP, NVB, PRT, OILR, OILT,
PSN, PS, DAM...). It answers to its own name and to the forms ``data/gazetteer/site_forms.tsv``
generates from its base name for its code ("Engels air base", "Engels airfield", "port of Odesa",
"Ryazan oil refinery"), never to the bare base name: "Engels" and "Saky" stay the towns. IATA and
ICAO codes go to the code index (``Gazetteer.by_code``), not to the names.
"""
from __future__ import annotations

import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

from gazetteer.normalize import fold
from gazetteer.tables import ALIAS, GENERATED, PRIMARY, Tables

SITE_COLUMNS = ("id", "name", "code", "country", "admin1", "lat", "lon", "base", "aliases", "icao",
                "weight", "source")
# The words an airport name ends with, to find its base ("Boryspil International Airport" -> Boryspil).
_FACILITY = re.compile(
    r"\s+(?:(?:international|intl\.?|regional|municipal|national|domestic|civil|military|naval|"
    r"county|city|state|executive|memorial|joint|army|air force)\s+)*"
    r"(?:airport|airfield|air\s*base|air\s*force\s*base|afb|aerodrome|air\s*station|airstrip|airpark|"
    r"air\s*park|heliport|naval\s+air\s+station|naval\s+air\s+base)$", re.I)
# Names that are an airport's only when the facility word is there ("Lowell Field" is as often a
# ballpark): such names are indexed only for airports with an IATA code (scheduled service).
_WEAK_ENDINGS = re.compile(r"\b(?:field|ranch|farms?|strip|landing|park|acres|lodge|estates?)$", re.I)
_PREFIX = re.compile(r"^(?:RAF|RNAS|CFB|NAS|MCAS|JB|Joint Base|Camp)\s+\S", re.I)
_MILITARY = re.compile(r"\b(?:air\s*base|air\s*force|afb|military|naval|navy|army|raf|rnas|cfb|"
                       r"air\s*station|nas)\b", re.I)


def _data(name: str) -> Path:
    return Path(str(resources.files("geo_data").joinpath("gazetteer", name)))


def _tsv(path: Path) -> list[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8") as f:
        lines = [(n, ln) for n, ln in enumerate(f, 1) if ln.strip() and not ln.startswith("#")]
    if not lines:
        return []
    header = lines[0][1].rstrip("\n").split("\t")
    out = []
    for n, ln in lines[1:]:
        cols = ln.rstrip("\n").split("\t")
        if len(cols) != len(header):
            raise ValueError(f"{path}:{n}: expected {len(header)} tab-separated columns "
                             f"({', '.join(header)}), found {len(cols)}")
        out.append((n, dict(zip(header, cols))))
    return out


def site_forms() -> dict[str, list[str]]:
    """feature code -> name templates ("{base} air base", "port of {base}")."""
    forms: dict[str, list[str]] = {}
    for _n, r in _tsv(_data("site_forms.tsv")):
        forms[r["code"]] = [f.strip() for f in r["forms"].split("|") if f.strip()]
    return forms


def add_sites(t: Tables) -> None:
    """Airports from airportsdata, then the curated sites (which may add names to an airport)."""
    forms = site_forms()
    by_icao = _add_airports(t, forms)
    _add_curated_sites(t, _data("sites.tsv"), forms, by_icao)


def site_base(name: str) -> str | None:
    """"Boryspil International Airport" -> "Boryspil"; None when the name has no facility word."""
    base = _FACILITY.sub("", name).strip()
    return base if base and base != name and "/" not in base and "(" not in base else None


def index_forms(t: Tables, base: str, row: int, code: str, forms: dict[str, list[str]]) -> None:
    """Index the generated forms of `code` for `base` ("{base} air base" -> "Engels air base")."""
    for template in forms.get(code, ()):
        t.index(template.format(base=base), row, GENERATED)


# ---------------------------------------------------------------- airportsdata
def _airport_code(name: str) -> str:
    low = name.lower()
    if "heliport" in low or "helipad" in low:
        return "AIRH"
    return "AIRB" if _MILITARY.search(name) else "AIRP"


def _airport_weight(iata: str, name: str) -> int:
    """A ranking weight like a population: international airports above regional ones above strips."""
    if not iata:
        return 500
    return 300_000 if "international" in name.lower() else 60_000


def _add_airports(t: Tables, forms: dict[str, list[str]]) -> dict[str, int]:
    try:
        import airportsdata
    except ImportError:  # an optional source: the gazetteer works without it
        return {}
    by_icao: dict[str, int] = {}
    city_rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    towns = _town_points(t)
    for icao, a in sorted(airportsdata.load("ICAO").items()):
        name, iata = a["name"].strip(), a["iata"].strip()
        if not name:
            continue
        code = _airport_code(name)
        lat, lon = float(a["lat"]), float(a["lon"])
        cc = a["country"] or None
        admin1 = _admin1_of(lat, lon, cc)  # None off the polygons or in a neighbour's (border airports)
        row = t.add(f"icao:{icao}", name, "landmark", cc, admin1, lat, lon, _airport_weight(iata, name),
                    None, code, source="airportsdata")
        strong = bool(_FACILITY.search(name) or _PREFIX.match(name)) or (
            bool(iata) and bool(_WEAK_ENDINGS.search(name)))
        if not strong:
            _unindex(t, name, row)  # "Miller Farm", "Christina Lake": not names to find in text
            t.index(f"{name} airport" if code != "AIRB" else f"{name} air base", row, GENERATED)
        base = site_base(name)
        if base:
            index_forms(t, base, row, code, forms)
            own = _after_town(base, cc, lat, lon, towns)
            if own:
                index_forms(t, own, row, code, forms)
        t.add_code(icao, row)
        if iata:
            t.add_code(iata, row)
        if a.get("city") and iata:
            city_rows[(cc or "", a["city"])].append(row)
        by_icao[icao] = row
    for (_cc, city), rows in city_rows.items():
        for row in rows:  # "Kyiv airport": every scheduled airport of the city, ranked by weight
            index_forms(t, city, row, t.code[row], forms)
    return by_icao


_NOT_OWN_NAMES = frozenset({"north", "south", "east", "west", "central", "international", "regional", "municipal",
                            "city", "main", "new", "old", "yuzhny", "severny", "vostochny", "zapadny", "bay"})


def _after_town(base: str, cc: str | None, lat: float, lon: float,
                towns: dict[tuple[str | None, str], list[tuple[float, float]]]) -> str | None:
    """"Chelyabinsk Balandino" -> "Balandino": the airport's own name after the town it serves (within
    60 km), which reports leave out ("Balandino airport"); None when the base does not open with such a town or
    what follows is no name of its own ("Kursk East", "Omsk Central")."""
    from gazetteer.core import km

    words = base.split()
    for n in (2, 1):
        if len(words) <= n or not words[n][:1].isupper() or words[n].lower() in _NOT_OWN_NAMES:
            continue
        if any(km(lat, lon, a, b) <= 60 for a, b in towns.get((cc, fold(" ".join(words[:n]))), ())):
            return " ".join(words[n:])
    return None


def _town_points(t: Tables) -> dict[tuple[str | None, str], list[tuple[float, float]]]:
    """(country, folded name) -> the points of the localities of that primary name."""
    out: dict[tuple[str | None, str], list[tuple[float, float]]] = defaultdict(list)
    for key, entries in t.names.items():
        for e in entries:
            if e % 4 == PRIMARY and t.feature[e // 4] == "locality":
                out[(t.country[e // 4], key)].append((t.lat[e // 4], t.lon[e // 4]))
    return out


def _unindex(t: Tables, name: str, row: int) -> None:
    entries = t.names.get(fold(name))
    if entries:
        entries[:] = [e for e in entries if e // 4 != row]


# ---------------------------------------------------------------- curated sites
def _add_curated_sites(t: Tables, path: Path, forms: dict[str, list[str]], by_icao: dict[str, int]) -> None:
    towns = _town_keys(t)
    for n, r in _tsv(path):
        where = f"{path}:{n}"
        missing = [c for c in SITE_COLUMNS if c not in r]
        if missing:
            raise ValueError(f"{where}: missing columns {', '.join(missing)}")
        code = r["code"].strip()
        if code not in forms:
            raise ValueError(f"{where}: feature code {code!r} has no forms in site_forms.tsv")
        if not r["source"].strip():
            raise ValueError(f"{where}: {r['name']!r} has no source")
        aliases = [a.strip() for a in r["aliases"].split("|") if a.strip()]
        bases = [b.strip() for b in r["base"].split("|") if b.strip()]
        cc = r["country"].strip() or None
        for alias in aliases:
            if (cc, fold(alias)) in towns:
                raise ValueError(f"{where}: alias {alias!r} of {r['id']} is also a town's name; a site "
                                 f"must not take a town's bare name (give '{alias} air base' or similar)")
        icao = r["icao"].strip().upper()
        row = by_icao.get(icao) if icao else None
        if row is None:
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except ValueError:
                raise ValueError(f"{where}: {r['name']!r} needs numeric lat and lon") from None
            admin1 = r["admin1"].strip() or _admin1_of(lat, lon, cc, t)
            row = t.add(r["id"].strip(), r["name"].strip(), "landmark", cc, admin1,
                        lat, lon, int(r["weight"] or 0), None, code, source="curated")
            if icao:
                t.add_code(icao, row)
        else:  # the airport airportsdata has: the curated row names it and says what it is
            t.by_pid[r["id"].strip()] = row
            t.code[row] = code
            t.pop[row] = max(t.pop[row], int(r["weight"] or 0))
            if r["admin1"].strip():
                t.admin1[row] = r["admin1"].strip()
        t.display_locked.add(row)
        t.name[row] = r["name"].strip()
        t.index(r["name"], row, PRIMARY)
        for alias in aliases:
            t.index(alias, row, ALIAS)
        for base in bases:
            index_forms(t, base, row, code, forms)


def _admin1_of(lat: float, lon: float, cc: str | None, t: Tables | None = None) -> str | None:
    """The admin-1 whose polygon holds the point, if it is in the row's own country; off the
    polygons (a port on a simplified coast) the admin-1 of the nearest town of that country."""
    from gazetteer.boundaries import admin1_containing

    code = admin1_containing(lat, lon)
    if code and (not cc or code.startswith(cc + ".")):
        return code
    if t is None or not cc:
        return None
    best, best_d = None, 0.3 ** 2  # about 30 km
    for row in _town_grid(t).get((round(lat, 0), round(lon, 0)), ()):
        d = (t.lat[row] - lat) ** 2 + (t.lon[row] - lon) ** 2
        if t.country[row] == cc and d < best_d and t.admin1[row]:
            best, best_d = t.admin1[row], d
    return best


_GRIDS: dict[int, dict] = {}


def _town_grid(t: Tables) -> dict[tuple[float, float], list[int]]:
    """Towns by 1-degree cell, each cell also holding its neighbours' towns (built once a build)."""
    key = id(t)
    if key not in _GRIDS:
        grid: dict[tuple[float, float], list[int]] = defaultdict(list)
        for row, f in enumerate(t.feature):
            if f == "locality":
                la, lo = round(t.lat[row], 0), round(t.lon[row], 0)
                for dy in (-1, 0, 1):
                    for dx in (-1, 0, 1):
                        grid[(la + dy, lo + dx)].append(row)
        _GRIDS.clear()
        _GRIDS[key] = grid
    return _GRIDS[key]


def _town_keys(t: Tables) -> set[tuple[str | None, str]]:
    """(country, folded name) of every locality's own name (primary only), for the alias check."""
    out = set()
    for key, entries in t.names.items():
        for e in entries:
            if e % 4 == PRIMARY and t.feature[e // 4] == "locality":
                out.add((t.country[e // 4], key))
    return out


def read_sites(path: Path | None = None) -> list[dict[str, str]]:
    """The curated rows as dicts (tests and tools)."""
    return [r for _n, r in _tsv(path or _data("sites.tsv"))]


