"""Exports of stored events: GeoJSON (RFC 7946), GeoParquet, ACLED-style CSV and plain CSV.

- ``geojson``: a FeatureCollection; each event is a Feature with Point geometry ``[lon, lat]``
  (WGS 84, as RFC 7946 requires; ``null`` geometry for an event with no coordinates), ``id`` the
  event_id, and every field of ``EVENT_FIELDS`` as a property (``articles`` a list), plus
  ``evidence_spans``, ``sources``, ``admin1_name``, ``n_sources``.
- ``geoparquet``: GeoParquet 1.x written by geopandas (WKB ``geometry`` column, CRS EPSG:4326);
  loads in geopandas (``read_parquet``) and in DuckDB (``read_parquet``, geometry as WKB/GEOMETRY).
  ``articles`` is a list column, ``evidence_spans`` a JSON string, ``date`` a date.
- ``acled``: CSV with ACLED's column names where a field has an ACLED equivalent (see
  `ACLED_COLUMNS`), so scripts written for ACLED exports read it, followed by this project's fields
  that ACLED lacks. ACLED conventions: ``time_precision`` 1 day / 2 week / 3 month or less precise,
  ``geo_precision`` 1 town / 2 near or part of a region / 3 region or country, ``country`` the
  country's name, ``fatalities`` 0 when unknown, ``source`` the publishers joined by "; ".
- ``csv``: one row per event with the EVENT_FIELDS columns (``articles`` joined by ";").
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geo.errors import GeoError
from geo.models import EVENT_FIELDS
from geo.store import Store, country_isonumeric, country_name

FORMATS = ("geojson", "geoparquet", "acled", "csv")

# ACLED's columns that have an equivalent here, in ACLED's order.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "iso", "country", "admin1", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
)
# This project's fields with no ACLED column, appended after ACLED's.
ACLED_EXTRA: tuple[str, ...] = (
    "type", "subtype", "date_precision", "precision", "target", "weapon", "quantity", "injured",
    "missing", "affected", "claim_status", "claimed_by", "confidence", "country_code",
    "admin1_code", "place_id", "geonameid", "articles",
)

# DESIGN.md's crosswalk to ACLED event types (used when the extractor gave none).
ACLED_EVENT_TYPE = {
    "strike": "Explosions/Remote violence", "capture": "Battles", "clash": "Battles",
    "interception": "Strategic developments", "talks": "Strategic developments",
    "exchange": "Strategic developments", "protest": "Protests", "outage": "", "other": "",
}
_TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "unknown": 3}
_GEO_PRECISION = {"locality": 1, "landmark": 1, "near": 2, "admin2": 2, "water": 2, "region": 2,
                  "admin1": 3, "country": 3}


@dataclass
class EventFilter:
    """Which events to export. `bbox` is (min_lon, min_lat, max_lon, max_lat); `facts_only` keeps
    reported, claimed and disputed events (anticipated and cancelled ones are not incidents);
    `claims` keeps only these claim statuses; `title` keeps events with a source article whose
    title contains it (case-insensitive)."""

    types: list[str] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    countries: list[str] | None = None
    bbox: tuple[float, float, float, float] | None = None
    facts_only: bool = True
    claims: list[str] | None = None
    title: str | None = None


def _rows(db: Path, flt: EventFilter | None) -> list[dict[str, Any]]:
    with Store(db, read_only=True) as store:
        return store.events(flt)


def _finite(v: Any) -> Any:
    return None if isinstance(v, float) and not math.isfinite(v) else v


def _point(row: dict[str, Any]) -> list[float] | None:
    lat, lon = row.get("lat"), row.get("lon")
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return [float(lon), float(lat)]


def events_geojson(db: Path, flt: EventFilter) -> dict:
    """An RFC 7946 FeatureCollection of the stored events matching `flt`."""
    features = []
    for row in _rows(db, flt):
        coords = _point(row)
        props = {k: _finite(v) for k, v in row.items()}
        features.append({
            "type": "Feature",
            "id": row["event_id"],
            "geometry": {"type": "Point", "coordinates": coords} if coords else None,
            "properties": props,
        })
    return {"type": "FeatureCollection", "features": features}


def _acled_sub_event_type(row: dict[str, Any]) -> str:
    t = row.get("type")
    words = " ".join(str(row.get(k) or "") for k in ("subtype", "weapon")).lower()
    if t == "strike":
        if any(w in words for w in ("drone", "air", "bomb", "glide", "uav", "shahed")):
            return "Air/drone strike"
        return "Shelling/artillery/missile attack"
    if t == "clash":
        return "Armed clash"
    if t == "capture":
        actor = (row.get("actor") or "").lower()
        own = row.get("country") == "UA" and "ukrain" in actor
        return "Government regains territory" if own else "Non-state actor overtakes territory"
    if t == "interception":
        return "Disrupted weapons use"
    if t in ("exchange", "talks"):
        return "Other"
    if t == "protest":
        return "Peaceful protest"
    return ""


def acled_row(row: dict[str, Any]) -> dict[str, Any]:
    """One event as an ACLED-style CSV row (ACLED_COLUMNS, then ACLED_EXTRA)."""
    date = row.get("date")
    out = {
        "event_id_cnty": row["event_id"],
        "event_date": date or "",
        "year": date[:4] if date else "",
        "time_precision": _TIME_PRECISION.get(row.get("date_precision") or "unknown", 3),
        "event_type": row.get("acled_event_type") or ACLED_EVENT_TYPE.get(row.get("type") or "", ""),
        "sub_event_type": row.get("acled_sub_event_type") or _acled_sub_event_type(row),
        "actor1": row.get("actor") or "",
        "iso": country_isonumeric(row.get("country")) or "",
        "country": country_name(row.get("country")) or "",
        "admin1": row.get("admin1_name") or row.get("admin1") or "",
        "location": row.get("place") or "",
        "latitude": row.get("lat") if row.get("lat") is not None else "",
        "longitude": row.get("lon") if row.get("lon") is not None else "",
        "geo_precision": _GEO_PRECISION.get(row.get("precision") or "", 3),
        "source": "; ".join(row.get("sources") or row.get("articles") or []),
        "notes": row.get("evidence") or "",
        "fatalities": row.get("fatalities") or 0,
    }
    for k in ACLED_EXTRA:
        if k == "country_code":
            v = row.get("country")
        elif k == "admin1_code":
            v = row.get("admin1")
        elif k == "articles":
            v = ";".join(row.get("articles") or [])
        else:
            v = row.get(k)
        out[k] = "" if v is None else v
    return out


def _write_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def events_acled_csv(db: Path, flt: EventFilter) -> str:
    return _write_csv([acled_row(r) for r in _rows(db, flt)], list(ACLED_COLUMNS + ACLED_EXTRA))


def events_csv(db: Path, flt: EventFilter) -> str:
    rows = []
    for r in _rows(db, flt):
        d = {k: ("" if r.get(k) is None else r.get(k)) for k in EVENT_FIELDS}
        d["articles"] = ";".join(r.get("articles") or [])
        rows.append(d)
    return _write_csv(rows, list(EVENT_FIELDS))


def events_geodataframe(db: Path, flt: EventFilter):  # -> geopandas.GeoDataFrame
    """Events as a GeoDataFrame for GeoParquet: `date` a date, lists kept, spans as JSON text."""
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    rows = _rows(db, flt)
    for r in rows:
        r["date"] = dt.date.fromisoformat(r["date"]) if r.get("date") else None
        r["evidence_spans"] = json.dumps(r.get("evidence_spans") or [])
    geoms = [Point(*c) if (c := _point(r)) else None for r in rows]
    columns = list(rows[0]) if rows else list(EVENT_FIELDS)
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=columns), geometry=geoms, crs="EPSG:4326")


def export_events(db: Path, fmt: str, out: Path | None, flt: EventFilter) -> Path | str:
    """Write the events matching `flt` as `fmt` to `out`; returns the path written.

    With `out` None, text formats (geojson, acled, csv) go to standard output and the text is
    returned; geoparquet needs `out`.
    """
    fmt = (fmt or "").lower()
    if fmt == "parquet":
        fmt = "geoparquet"
    if fmt not in FORMATS:
        raise GeoError(f"unknown export format {fmt!r}: use {', '.join(FORMATS)}")
    db = Path(db)
    if fmt == "geoparquet":
        if out is None:
            raise GeoError("geoparquet is binary: give an output file with -o FILE.parquet")
        gdf = events_geodataframe(db, flt)
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        gdf.to_parquet(out, index=False)
        return Path(out)
    if fmt == "geojson":
        text = json.dumps(events_geojson(db, flt), ensure_ascii=False, indent=1) + "\n"
    elif fmt == "acled":
        text = events_acled_csv(db, flt)
    else:
        text = events_csv(db, flt)
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return text
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    return Path(out)
