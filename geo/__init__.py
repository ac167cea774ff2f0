"""Offline conflict-event geodatabase.

The library API (the CLI is a thin shell over it):

- ``geo.geoparse(text) -> list[Mention]``: place mentions with offsets, resolved to gazetteer places.
- ``geo.extract(text, published=...) -> list[Event]``: typed, dated, located events.
- ``geo.open(db)``: a stored database, with ``.events()`` as a GeoDataFrame and ``.sql()``.
- ``geo.events_frame(db, **filters) -> GeoDataFrame``: the stored events (EPSG:4326 points), the same
  frame as ``geo.open(db).events(**filters)`` and the rows GeoParquet export writes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas

    from geo.models import Event, Mention
    from geo.store import Database

__all__ = ["geoparse", "extract", "open", "events_frame"]


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
