"""The DuckDB file at the heart of the product: schema, batched ingest with the cross-article merge,
SQL and a Python API.

- `schema`    tables, SCHEMA_VERSION and MIGRATIONS (the column list of every table is there);
- `store`     `Store`: the connection, `put_batch` (a batch of articles in one transaction, the same
              result as storing them one at a time) and the flat events read;
- `merge`     `same_incident`, `merge_readings` and the in-order merge of a batch (`BatchMerge`);
- `writes`    Arrow inserts, one statement per table per batch;
- `ids`       content hashes, ACLED-like event ids, ISO country codes;
- `spatial`   the offline spatial extension and the README's spatial SQL examples;
- `queries`   event filters as SQL, `run_sql` (``geo sql``) and its output formats;
- `database`  `Database`, what ``geo.open(db)`` returns.
"""
from __future__ import annotations

from geo.store.database import Database, make_filter
from geo.store.ids import as_date, content_hash, country_isonumeric, country_name, iso3, make_event_id
from geo.store.merge import (MERGE_ADMIN2_KM, MERGE_DAYS, MERGE_KM, BatchMerge, haversine_km, merge_readings,
                             pick_count, same_incident)
from geo.store.queries import filter_sql, format_rows, run_sql
from geo.store.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from geo.store.spatial import SPATIAL_EXAMPLES, load_spatial, spatial_extension_path
from geo.store.store import Store, lock_wait

__all__ = [
    "MERGE_ADMIN2_KM", "MERGE_DAYS", "MERGE_KM", "MIGRATIONS", "SCHEMA_VERSION", "SPATIAL_EXAMPLES",
    "BatchMerge", "Database", "Store", "as_date", "content_hash", "country_isonumeric", "country_name",
    "filter_sql", "format_rows", "haversine_km", "iso3", "load_spatial", "lock_wait", "make_event_id",
    "make_filter", "merge_readings", "migrate", "pick_count", "run_sql", "same_incident",
    "spatial_extension_path",
]
