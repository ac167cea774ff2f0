"""Which admin-1 area contains a point: Natural Earth 1:10m admin-1 polygons keyed by GeoNames code.

The polygons ship in ``data/boundaries/admin1-10m.geojson.gz`` (made once by
``tools/admin1_polygons.py``; see data/boundaries/README.md). They are loaded on the first call
into a shapely STRtree; a point query then costs microseconds. Parsing the GeoJSON takes about a
second, so its geometries are also kept as WKB next to the gazetteer cache
(``$GEO_CACHE_DIR/admin1-<hash>.pkl``, ~6 MB), which later processes load in ~50 ms. Where no
polygon covers a point (at sea, or just off a simplified coastline) the answer is None and callers
fall back to the admin-1 of the nearest town.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import pickle
import tempfile
import threading
from importlib import resources
from typing import Any, Iterable

_LOCK = threading.Lock()
_INDEX: tuple[Any, list[str], list[Any]] | None = None


def polygons_path():
    return resources.files("geo_data").joinpath("boundaries", "admin1-10m.geojson.gz")


def _load() -> tuple[Any, list[str], list[Any]]:
    global _INDEX
    with _LOCK:
        if _INDEX is None:
            import shapely
            from shapely.strtree import STRtree

            path = polygons_path()
            if not path.is_file():
                _INDEX = (None, [], [])
                return _INDEX
            codes, geoms = _read(path.read_bytes())
            shapely.prepare(geoms)
            _INDEX = (STRtree(geoms), codes, list(geoms))
    return _INDEX


def _read(raw: bytes) -> tuple[list[str], Any]:
    """(codes, shapely geometries) from the shipped file, through the WKB cache when it is current."""
    import shapely

    from gazetteer.core import cache_dir

    cached = cache_dir() / f"admin1-{hashlib.sha256(raw).hexdigest()[:16]}.pkl"
    try:
        with open(cached, "rb") as f:
            codes, wkb = pickle.load(f)
        return codes, shapely.from_wkb(wkb)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        pass
    fc = json.loads(gzip.decompress(raw))
    codes = [f["properties"]["admin1"] for f in fc["features"]]
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in fc["features"]])
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump((codes, list(shapely.to_wkb(geoms))), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only cache folder: parse again next time
    return codes, geoms


def admin1_containing(lat: float, lon: float) -> str | None:
    """GeoNames admin-1 code (``UA.05``) of the area containing the point, or None if none does."""
    import shapely

    tree, codes, geoms = _INDEX or _load()
    if tree is None:
        return None
    pt = shapely.points(lon, lat)
    for i in tree.query(pt):
        if shapely.contains_xy(geoms[i], lon, lat):
            return codes[i]
    return None


def admin1_shape(code: str):
    """The shapely (multi)polygon of an admin-1 area, or None (e.g. for maps or area tests)."""
    tree, codes, geoms = _INDEX or _load()
    try:
        return geoms[codes.index(code)]
    except ValueError:
        return None


def admin1_centres() -> dict[str, tuple[float, float]]:
    """GeoNames admin-1 code -> (lat, lon) of the area's centre: the centroid of its largest polygon,
    or a point surely inside it when the centroid falls outside (a crescent-shaped area). This is the
    kind of point GeoNames and gold annotations give for a state or province, unlike the middle of its
    towns, which leans towards where people live."""
    _tree, codes, geoms = _INDEX or _load()
    out: dict[str, tuple[float, float]] = {}
    for code, geom in zip(codes, geoms):
        largest = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        c = largest.centroid if largest.contains(largest.centroid) else largest.representative_point()
        out[code] = (round(c.y, 5), round(c.x, 5))
    return out


def admin1_polygons(countries: Iterable[str]) -> list[tuple[str, Any]]:
    """(GeoNames admin-1 code, shapely geometry) of every area in the given ISO countries."""
    wanted = {c.upper() for c in countries}
    _tree, codes, geoms = _INDEX or _load()
    return [(code, geom) for code, geom in zip(codes, geoms) if code.split(".")[0] in wanted]
