"""The Python API behind ``geo.open(db)``: a stored database for analysis in pandas/GeoPandas and SQL."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from geo.errors import GeoError
from geo.models import EVENT_FIELDS
from geo.store.ids import as_date
from geo.store.store import Store

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from geo.filters import EventFilter


class Database:
    """What ``geo.open(db)`` returns: a stored database for analysis.

    ``.events(**filters)`` gives a GeoDataFrame (EPSG:4326 points); ``.sql(query)`` gives a
    ``duckdb.DuckDBPyRelation`` (lazy: call ``.df()`` for pandas, ``.fetchall()`` for tuples, or
    chain relational methods); ``.store`` is the underlying `Store`. Read-only by default.
    """

    def __init__(self, db: Path | str, read_only: bool = True) -> None:
        self.path = Path(db)
        self.store = Store(self.path, read_only=read_only)
        self.store.ensure_spatial()  # analysts expect ST_* and events_geo in .sql()

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        return self.store.con

    @property
    def spatial_error(self) -> str | None:
        return self.store.spatial_error

    def events(self, **filters: Any) -> geopandas.GeoDataFrame:
        """Events as a GeoDataFrame (EPSG:4326 Point geometry; `date` as datetime64).

        Filters (all optional): types / type, since, until (date or ISO string), countries /
        country (ISO alpha-2), bbox (min_lon, min_lat, max_lon, max_lat), facts_only (default True),
        claims / claim (claim statuses), title (substring of a reporting article's title).
        """
        import geopandas as gpd
        import pandas as pd
        from shapely.geometry import Point

        flt = make_filter(**filters)
        rows = self.store.events(flt)
        geoms = [Point(r["lon"], r["lat"]) if r["lat"] is not None and r["lon"] is not None else None
                 for r in rows]
        columns = list(rows[0].keys()) if rows else list(EVENT_FIELDS) + ["evidence_spans", "sources",
                                                                          "admin1_name", "n_sources"]
        df = pd.DataFrame(rows, columns=columns)
        df["date"] = pd.to_datetime(df["date"])
        return gpd.GeoDataFrame(df, geometry=geoms, crs="EPSG:4326")

    def sql(self, query: str, params: list[Any] | None = None) -> duckdb.DuckDBPyRelation:
        """A DuckDB relation for `query` (spatial functions and events_geo available when loaded)."""
        try:
            if params:
                return self.con.sql(query, params=params)
            return self.con.sql(query)
        except duckdb.Error as e:
            if self.spatial_error and "spatial" in str(e).lower():
                raise GeoError(f"{str(e).splitlines()[0]}\n{self.spatial_error}") from e
            raise

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<geo.Database {self.path} ({'read-only' if self.store.read_only else 'read-write'})>"


def make_filter(**filters: Any) -> EventFilter:
    """An EventFilter from keyword arguments (singular or plural names, dates as str or date)."""
    from geo.filters import EventFilter

    allowed = {"types", "type", "since", "until", "countries", "country", "bbox", "facts_only", "claims", "claim",
               "title"}
    unknown = set(filters) - allowed
    if unknown:
        raise TypeError(f"unknown filter(s): {', '.join(sorted(unknown))}; use {', '.join(sorted(allowed))}")

    def listify(v: Any) -> list[str] | None:
        if v is None:
            return None
        return [v] if isinstance(v, str) else list(v)

    types = listify(filters.get("types", filters.get("type")))
    countries = listify(filters.get("countries", filters.get("country")))
    bbox = filters.get("bbox")
    return EventFilter(types=types, since=as_date(filters.get("since")), until=as_date(filters.get("until")),
                       countries=countries, bbox=tuple(bbox) if bbox else None,  # type: ignore[arg-type]
                       facts_only=filters.get("facts_only", True),
                       claims=listify(filters.get("claims", filters.get("claim"))), title=filters.get("title"))
