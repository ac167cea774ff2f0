"""Exports of stored events: GeoJSON (RFC 7946), GeoParquet, ACLED CSV and plain CSV.

- ``geojson``: a FeatureCollection; each event is a Feature with Point geometry ``[lon, lat]``
  (WGS 84, as RFC 7946 requires; ``null`` geometry for an event with no coordinates), ``id`` the
  event_id, and every field of ``EVENT_FIELDS`` as a property (``articles`` a list), plus
  ``evidence_spans``, ``sources``, ``admin1_name``, ``n_sources``.
- ``geoparquet``: GeoParquet 1.x written by geopandas from the same GeoDataFrame that
  ``geo.events_frame(db)`` / ``geo.open(db).events()`` return (WKB ``geometry`` column, CRS
  EPSG:4326, ``date`` a date, ``articles`` / ``sources`` lists, ``evidence_spans`` a list of
  {article, start, end}); it reads back in geopandas (``read_parquet``) and in DuckDB
  (``read_parquet``; ``ST_GeomFromWKB(geometry)`` with the spatial extension).
- ``acled``: ACLED's 31 columns (geo/render/acled.py); ``extra=True`` appends this project's fields.
- ``csv``: one row per event with the EVENT_FIELDS columns (``articles`` joined by ";").
"""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

from geo.errors import GeoError
from geo.filters import EventFilter
from geo.models import EVENT_FIELDS
from geo.render import acled
from geo.store import Store

FORMATS = ("geojson", "geoparquet", "acled", "csv")


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
        features.append({
            "type": "Feature",
            "id": row["event_id"],
            "geometry": {"type": "Point", "coordinates": coords} if coords else None,
            "properties": {k: _finite(v) for k, v in row.items()},
        })
    return {"type": "FeatureCollection", "features": features}


def acled_records(db: Path, flt: EventFilter, extra: bool = False, inter_labels: bool = False) -> list[dict[str, Any]]:
    """The stored events matching `flt` as ACLED rows (dicts keyed by `acled.columns(extra)`)."""
    with Store(db, read_only=True) as store:
        rows = store.events(flt)
        # what the ACLED columns need beyond Store.events: the place's admin-2 and the last update
        aux = {r[0]: r[1:] for r in store.con.execute(
            "SELECT e.event_id, p.admin2, e.updated_at FROM events e LEFT JOIN places p ON p.id = e.place_id "
            "WHERE e.event_id IN (SELECT unnest(?::VARCHAR[]))", [[r["event_id"] for r in rows]]).fetchall()}
    names = acled.AdminNames()
    records = []
    for r in rows:
        r["admin2"], r["updated_at"] = aux.get(r["event_id"], (None, None))
        records.append(acled.acled_row(r, names, inter_labels=inter_labels, extra=extra))
    return acled.merge_attack_outages(rows, records)


def _write_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


def events_acled_csv(db: Path, flt: EventFilter, extra: bool = False, inter_labels: bool = False) -> str:
    return _write_csv(acled_records(db, flt, extra, inter_labels), acled.columns(extra))


def events_csv(db: Path, flt: EventFilter) -> str:
    rows = []
    for r in _rows(db, flt):
        d = {k: ("" if r.get(k) is None else r.get(k)) for k in EVENT_FIELDS}
        d["articles"] = ";".join(r.get("articles") or [])
        rows.append(d)
    return _write_csv(rows, list(EVENT_FIELDS))


def events_geodataframe(db: Path, flt: EventFilter):  # -> geopandas.GeoDataFrame
    """The GeoDataFrame of `geo.open(db).events()` for `flt`, with `date` as dates (a Parquet DATE)."""
    from geo.store import Database

    with Database(db) as d:
        gdf = d.events(**dataclasses.asdict(flt))
    gdf["date"] = [x.date() if x == x and x is not None else None for x in gdf["date"]]  # NaT != NaT
    return gdf


def export_events(db: Path, fmt: str, out: Path | None, flt: EventFilter, *, extra: bool = False,
                  inter_labels: bool = False) -> Path | str:
    """Write the events matching `flt` as `fmt` to `out`; returns the path written.

    With `out` None, text formats (geojson, acled, csv) go to standard output and the text is
    returned; geoparquet needs `out`. `extra` and `inter_labels` apply to the ACLED format.
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
        text = events_acled_csv(db, flt, extra=extra, inter_labels=inter_labels)
    else:
        text = events_csv(db, flt)
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return text
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    return Path(out)
