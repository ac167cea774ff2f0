"""Schema of the geo database and its migrations (``meta`` holds ``schema_version``).

``articles``       id (PK), title, source, url, published, text, content_hash, ingested_at, origin
``places``         id (PK: ``gn:<geonameid>`` or ``x:<slug>``), name, feature, country, admin1,
                   admin2, lat, lon, population, geonameid, code — the gazetteer rows that mentions
                   and events use
``mentions``       article_id, char_start, char_end (Python str offsets, end exclusive), surface,
                   place_id, use (literal / metonymic / demonym / embedded), score
``events``         one row per incident: every field of DESIGN.md (event_id, type, subtype, date,
                   date_precision, place, place_id, geonameid, country, admin1, lat, lon, precision,
                   location, geo_precision, actor, assoc_actor_1, actor2, assoc_actor_2, inter1, inter2,
                   interaction, civilian_targeting, target, weapon, quantity, fatalities, injured,
                   missing, affected, claim_status, claimed_by, evidence, articles (VARCHAR[]),
                   confidence, acled_event_type, acled_sub_event_type) plus n_sources, first_article,
                   created_at, updated_at. The merged values are derived from ``event_sources``.
``event_sources``  one row per (event, article): evidence text, char_start/char_end of the evidence,
                   spans (JSON list of every evidence span), added_at, and that article's own
                   reading of the event (type, date, place, counts, claim_status, ...), so a merged
                   event can be recomputed when an article changes.
``events_geo``     view: ``events`` plus ``geom`` = ST_Point(lon, lat) (created when the spatial
                   extension loads). ``places_geo`` likewise for ``places``.
"""
from __future__ import annotations

import duckdb

SCHEMA_VERSION = 3

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

GEO_VIEWS = [
    "CREATE OR REPLACE {temp} VIEW events_geo AS "
    "SELECT *, CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN ST_Point(lon, lat) END AS geom "
    "FROM events",
    "CREATE OR REPLACE {temp} VIEW places_geo AS "
    "SELECT *, CASE WHEN lat IS NOT NULL AND lon IS NOT NULL THEN ST_Point(lon, lat) END AS geom "
    "FROM places",
]

# The columns of event_sources that hold one article's reading of an event.
READING = ("type", "subtype", "date", "date_precision", "place", "place_id", "geonameid",
           "country", "admin1", "lat", "lon", "precision", "location", "geo_precision", "actor",
           "assoc_actor_1", "actor2", "assoc_actor_2", "inter1", "inter2", "interaction",
           "civilian_targeting", "target", "weapon", "quantity",
           "fatalities", "injured", "missing", "affected", "claim_status", "claimed_by",
           "confidence", "acled_event_type", "acled_sub_event_type")
COUNTS = ("quantity", "fatalities", "injured", "missing", "affected")
LOCATION = ("place", "place_id", "geonameid", "country", "admin1", "lat", "lon", "precision", "location",
            "geo_precision")
TEXTS = ("subtype", "actor", "assoc_actor_1", "actor2", "assoc_actor_2", "inter1", "inter2", "interaction",
         "civilian_targeting", "target", "weapon", "acled_event_type", "acled_sub_event_type")


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
            con.execute(f"INSERT OR REPLACE INTO meta VALUES ('schema_version', '{version}')")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    return version
