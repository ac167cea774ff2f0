"""Offline conflict-event geodatabase.

The library API (the CLI is a thin shell over it):

- ``geo.geoparse(text) -> list[Mention]``: place mentions with offsets, resolved to gazetteer places.
- ``geo.extract(text, published=...) -> list[Event]``: typed, dated, located events.
- ``geo.open(db)``: a stored database, with ``.events()`` as a GeoDataFrame and ``.sql()``.
- ``geo.events_frame(db, **filters) -> GeoDataFrame``: the stored events (EPSG:4326 points), the same
  frame as ``geo.open(db).events(**filters)`` and the rows GeoParquet export writes.
- ``geo.map(db, **filters) -> folium.Map``: the offline HTML map of stored events, for notebooks.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import folium
    import geopandas

    from geo.models import Event, Mention
    from geo.store import Database

__all__ = ["geoparse", "extract", "open", "events_frame", "map"]


def geoparse(text: str, article_id: str = "-") -> list[Mention]:
    """Find and resolve every place mention in `text`."""
    from geo.geoparser import geoparse as _geoparse

    return _geoparse(text, article_id=article_id)


def extract(text: str, published: dt.date | str | None = None, article_id: str = "-") -> list[Event]:
    """Extract typed events from `text`, resolving dates against `published`."""
    from geo.extraction import extract_text

    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    return extract_text(text, published=published, article_id=article_id)


def open(db: str | Path, read_only: bool = True) -> Database:  # noqa: A001 - mirrors duckdb.connect / sqlite3
    """Open a stored database for analysis (read-only by default)."""
    from geo.store import Database

    return Database(db, read_only=read_only)


def events_frame(db: str | Path, **filters: object) -> geopandas.GeoDataFrame:
    """The stored events of `db` as a GeoDataFrame in EPSG:4326 (Point geometry, `date` as datetime64).

    Filters, all optional: ``types``/``type``, ``since``, ``until`` (date or ISO string),
    ``countries``/``country`` (ISO alpha-2), ``bbox`` (min_lon, min_lat, max_lon, max_lat),
    ``claims``/``claim`` (claim statuses), ``facts_only`` (default True: reported, claimed, disputed),
    ``title`` (a case-insensitive substring of a reporting article's title). A thin wrapper of
    ``geo.open(db).events(**filters)``; the database is closed before it returns.
    """
    with open(db) as database:
        return database.events(**filters)


def map(db: str | Path | None = None, title: str = "Conflict events", **filters: object) -> folium.Map:  # noqa: A001
    """The offline map of the events stored in `db` (default: $GEO_DB, else ./geo.duckdb) as a
    `folium.Map`: display it in a notebook, add layers, or ``.save("map.html")``. Filters as in
    ``geo.open(db).events()``: type(s), since, until, country/countries, bbox, claim(s), title."""
    from geo.render.maps import map_from_db
    from geo.settings import default_db
    from geo.store import make_filter

    return map_from_db(Path(db) if db is not None else default_db(), make_filter(**filters), title=title)
