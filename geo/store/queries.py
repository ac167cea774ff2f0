"""Reading the store with SQL: event filters as WHERE clauses, `geo sql` (`run_sql`) and its output
formats (table, csv, json)."""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import io
import json
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from geo.errors import GeoError
from geo.models import FACTUAL_CLAIMS
from geo.store.ids import as_date
from geo.store.store import Store

if TYPE_CHECKING:  # pragma: no cover
    from geo.filters import EventFilter


def filter_sql(flt: EventFilter | None, alias: str = "e") -> tuple[str, list[Any]]:
    """The WHERE clause (and its parameters) that selects the events `flt` keeps."""
    if flt is None:
        return "", []
    conds, params = [], []
    statuses = flt.claim_statuses()
    if statuses:
        conds.append(f"{alias}.claim_status IN ({', '.join('?' * len(statuses))})")
        params += statuses
    if flt.title:  # a case-insensitive substring of the title of any article reporting the event
        conds.append(f"EXISTS (SELECT 1 FROM event_sources s JOIN articles a ON a.id = s.article_id "
                     f"WHERE s.event_id = {alias}.event_id AND contains(lower(a.title), lower(?)))")
        params.append(flt.title)
    if flt.types:
        conds.append(f"{alias}.type IN ({', '.join('?' * len(flt.types))})")
        params += list(flt.types)
    if flt.since:
        conds.append(f"{alias}.date >= ?")
        params.append(as_date(flt.since))
    if flt.until:
        conds.append(f"{alias}.date <= ?")
        params.append(as_date(flt.until))
    if flt.countries:
        conds.append(f"upper({alias}.country) IN ({', '.join('?' * len(flt.countries))})")
        params += [c.upper() for c in flt.countries]
    if flt.bbox:
        min_lon, min_lat, max_lon, max_lat = flt.bbox
        conds.append(f"{alias}.lat BETWEEN ? AND ?")
        params += [min_lat, max_lat]
        if min_lon <= max_lon:
            conds.append(f"{alias}.lon BETWEEN ? AND ?")
            params += [min_lon, max_lon]
        else:  # crosses the antimeridian
            conds.append(f"({alias}.lon >= ? OR {alias}.lon <= ?)")
            params += [min_lon, max_lon]
    return ("WHERE " + " AND ".join(conds)) if conds else "", params



def _jsonable(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime, dt.time)):
        return v.isoformat()
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    if isinstance(v, dt.timedelta):
        return str(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v




# --- geo sql -------------------------------------------------------------------------------------
_SPATIAL_HINT = re.compile(r"\bst_\w+\s*\(|\b(events_geo|places_geo|geom|geometry)\b", re.I)


def _needs_spatial(error: duckdb.Error) -> bool:
    return "spatial" in str(error).lower()


def _query(store: Store, query: str, read_only: bool) -> tuple[list[str], list[tuple]]:
    if read_only:  # reads the database and nothing else (issue 16; geo/sql_sandbox.py)
        from geo.sql_sandbox import sandbox

        sandbox(store, query)
    con = store.con
    if _SPATIAL_HINT.search(query):
        store.ensure_spatial()
    try:
        try:
            cur = con.execute(query)
        except duckdb.Error as e:
            if not _needs_spatial(e) or store.ensure_spatial() is not None:
                raise
            cur = con.execute(query)  # spatial is loaded now
    except duckdb.Error as e:
        msg = str(e).strip()
        if _needs_spatial(e) and store.spatial_error:
            raise GeoError(f"{msg.splitlines()[0]}\n{store.spatial_error}") from e
        if read_only and ("read-only" in msg.lower() or "read only" in msg.lower()):
            raise GeoError(f"{msg.splitlines()[0]} (the database is opened read-only; use --write)") from e
        raise GeoError(f"SQL error: {msg}") from e
    if cur.description is None:
        return [], []
    names = [d[0] for d in cur.description]
    types = [str(d[1]).upper() for d in cur.description]
    rows = cur.fetchall()
    geo_cols = [i for i, t in enumerate(types) if t.startswith("GEOMETRY")]
    if geo_cols and rows:
        import shapely

        def wkt(v: Any) -> Any:
            return shapely.from_wkb(bytes(v)).wkt if isinstance(v, (bytes, bytearray)) else v

        rows = [tuple(wkt(v) if i in geo_cols else v for i, v in enumerate(r)) for r in rows]
    return names, rows


def format_rows(names: list[str], rows: list[tuple], fmt: str = "table") -> str:
    """Render a result as 'table' (rich, or a plain aligned table), 'csv' or 'json'."""
    if fmt == "json":
        return json.dumps([{n: _jsonable(v) for n, v in zip(names, r)} for r in rows],
                          ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(names)
        for r in rows:
            w.writerow(["" if v is None else (json.dumps(v, ensure_ascii=False, default=str)
                                              if isinstance(v, (list, dict)) else _jsonable(v)) for v in r])
        return buf.getvalue()
    if fmt != "table":
        raise GeoError(f"unknown --format {fmt!r}: use table, csv or json")
    if not names:
        return "OK\n"
    cells = [["" if v is None else str(_jsonable(v)) for v in r] for r in rows]
    try:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False, header_style="bold")
        for n in names:
            table.add_column(n, overflow="fold")
        for r in cells:
            table.add_row(*r)
        width = min(max(80, sum(max([len(n)] + [len(c[i]) for c in cells]) + 3
                                for i, n in enumerate(names)) + 1), 250)
        buf = io.StringIO()
        Console(file=buf, width=width, force_terminal=False, color_system=None).print(table)
        text = buf.getvalue()
    except ImportError:  # pragma: no cover - rich is a dependency
        widths = [max([len(n)] + [len(c[i]) for c in cells]) for i, n in enumerate(names)]
        lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths)),
                 "  ".join("-" * w for w in widths)]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in cells]
        text = "\n".join(lines) + "\n"
    return text + f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n"


def run_sql(db: Path, query: str, fmt: str = "table", read_only: bool = True) -> str:
    """Run one SQL statement on `db` (read-only unless told) and return it rendered as `fmt`.

    The spatial extension is loaded when available, so ST_* functions and the events_geo view
    (events + geom) work; see SPATIAL_EXAMPLES.
    """
    if fmt not in ("table", "csv", "json"):
        raise GeoError(f"unknown --format {fmt!r}: use table, csv or json")
    with Store(db, read_only=read_only) as store:
        names, rows = _query(store, query, read_only)
    return format_rows(names, rows, fmt)

