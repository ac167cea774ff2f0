"""DuckDB's spatial extension, loaded offline, and the README's spatial SQL examples.

Spatial SQL needs DuckDB's spatial extension; it is loaded offline from the PyPI package
``duckdb-extension-spatial`` (the file ``duckdb_extension_spatial/extensions/v<duckdb>/
spatial.duckdb_extension``) or from ``$GEO_DUCKDB_SPATIAL``; nothing is ever installed from the
network. Without it the plain tables work and `Store.spatial_error` says what is missing.
``ST_Distance_Sphere`` wants points in (lat, lon) axis order, hence ``ST_FlipCoordinates(geom)``
below (``geom`` itself is the GeoJSON order (lon, lat)).
"""
from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path

import duckdb

# --- README-quotable spatial examples (each is tested in tests/test_store.py) ------------------
SPATIAL_EXAMPLES: dict[str, str] = {
    # Events within 50 km of a point (here Kharkiv, lat 49.9935, lon 36.2304), nearest first.
    "within_50km": """\
SELECT event_id, type, date, place,
       round(ST_Distance_Sphere(ST_FlipCoordinates(geom), ST_Point(49.9935, 36.2304)) / 1000, 1) AS km
FROM events_geo
WHERE geom IS NOT NULL
  AND ST_Distance_Sphere(ST_FlipCoordinates(geom), ST_Point(49.9935, 36.2304)) <= 50000
ORDER BY km""",
    # Events per admin-1 area, with the area's name (when the gazetteer row is stored) and the
    # centroid of its events.
    "per_admin1": """\
SELECT e.country, e.admin1, any_value(p.name) AS admin1_name, count(*) AS events,
       sum(coalesce(e.fatalities, 0)) AS fatalities,
       ST_AsText(ST_Centroid(ST_Collect(list(e.geom)))) AS centroid
FROM events_geo e
LEFT JOIN places p ON p.feature = 'admin1' AND p.admin1 = e.admin1
WHERE e.admin1 IS NOT NULL AND e.geom IS NOT NULL
GROUP BY e.country, e.admin1
ORDER BY events DESC, e.admin1""",
    # Distance in km between every pair of events (ST_Distance_Sphere takes (lat, lon) points).
    "distance_between": """\
SELECT a.event_id AS event_a, b.event_id AS event_b,
       round(ST_Distance_Sphere(ST_FlipCoordinates(a.geom), ST_FlipCoordinates(b.geom)) / 1000, 1) AS km
FROM events_geo a
JOIN events_geo b ON a.event_id < b.event_id
WHERE a.geom IS NOT NULL AND b.geom IS NOT NULL
ORDER BY km""",
}


@functools.lru_cache(maxsize=1)
def spatial_extension_path() -> Path | None:
    """The spatial extension file for this duckdb version, found offline, or None.

    Looks at ``$GEO_DUCKDB_SPATIAL``, then the PyPI packages ``duckdb_extension_spatial`` and
    ``duckdb_extensions`` (``.../extensions/v<duckdb version>/spatial.duckdb_extension``).
    """
    env = os.environ.get("GEO_DUCKDB_SPATIAL")
    if env:
        return Path(env) if Path(env).is_file() else None
    version = f"v{duckdb.__version__}"
    for pkg in ("duckdb_extension_spatial", "duckdb_extensions"):
        try:
            spec = importlib.util.find_spec(pkg)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            continue
        for root in spec.submodule_search_locations:
            exact = Path(root) / "extensions" / version / "spatial.duckdb_extension"
            if exact.is_file():
                return exact
            found = sorted(Path(root).rglob("spatial.duckdb_extension"))
            found = [p for p in found if version in p.parts] or found
            if found:
                return found[0]
    return None


def load_spatial(con: duckdb.DuckDBPyConnection) -> str | None:
    """Load the spatial extension offline into `con`. Returns None on success, else why not."""
    path = spatial_extension_path()
    errors = []
    if path is not None:
        try:
            con.execute(f"LOAD '{path.as_posix()}'")
            return None
        except duckdb.Error as e:
            errors.append(f"{path}: {e}".splitlines()[0])
    try:  # an extension already installed locally (~/.duckdb/extensions); never downloads
        con.execute("LOAD spatial")
        return None
    except duckdb.Error as e:
        errors.append(str(e).splitlines()[0])
    return ("DuckDB's spatial extension could not be loaded offline, so ST_* functions and the "
            "events_geo/places_geo views are unavailable (the plain tables still work). Install "
            f"the PyPI package duckdb-extension-spatial=={duckdb.__version__} (it must match "
            f"duckdb {duckdb.__version__}) or set GEO_DUCKDB_SPATIAL to a spatial.duckdb_extension "
            "file. Details: " + "; ".join(errors))

