"""Bulk writes: the rows of a batch go to DuckDB as one INSERT ... SELECT per table.

The rows reach DuckDB as a newline-delimited JSON file read by DuckDB's own `read_json`, with the
column types taken from the table's schema. Why not Arrow: `pyarrow.array` on Python lists, and
DuckDB's binding of Python parameters, both import pandas, which with pyarrow costs 0.5-1 s and
60 MB of a `geo ingest` that needs neither (the cold-start budget is 0.7 s); DuckDB's JSON reader
costs nothing to import and loads a batch of 500 articles in a few milliseconds. For the same
reason the ingest path binds no Python parameters: key lists are SQL literals (`sql_list`).

A value that does not fit (a count beyond INT64, a string with a lone surrogate) fails the whole
statement inside the batch's transaction, never half of it; the pipeline then stores that batch
article by article and names the article that failed.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import duckdb

_TYPES: dict[str, dict[str, str]] = {}  # table -> column -> DuckDB type (the schema is fixed per version)


def sql_str(value: str) -> str:
    """A SQL string literal (standard SQL quoting: ' doubled; no backslash escapes in DuckDB). A NUL
    character would end the literal in DuckDB's parser: it is joined in as chr(0)."""
    parts = ["'" + part.replace("'", "''") + "'" for part in value.split("\x00")]
    return parts[0] if len(parts) == 1 else "(" + " || chr(0) || ".join(parts) + ")"


def sql_list(values: Iterable[str]) -> str:
    """A DuckDB list literal of strings, for `col IN (SELECT unnest(...))` without bound parameters."""
    return "[" + ", ".join(sql_str(v) for v in dict.fromkeys(values)) + "]::VARCHAR[]"


def _json_default(v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()
    if isinstance(v, (set, frozenset, tuple)):
        return list(v)
    raise TypeError(f"cannot store a {type(v).__name__} value")


class Writer:
    """Bulk inserts and deletes on one connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def columns(self, table: str) -> dict[str, str]:
        """Column name -> DuckDB type of `table`, in table order."""
        if table not in _TYPES:
            _TYPES[table] = dict(self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                f"WHERE table_schema = 'main' AND table_name = {sql_str(table)} ORDER BY ordinal_position").fetchall())
        return _TYPES[table]

    @contextmanager
    def scan(self, rows: Sequence[dict[str, Any]], types: dict[str, str]) -> Iterator[str]:
        """A FROM expression over `rows` (dicts; a missing key is NULL) with columns `types`."""
        fd, path = tempfile.mkstemp(prefix="geo-rows-", suffix=".jsonl")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                for r in rows:
                    f.write(json.dumps({c: r.get(c) for c in types}, ensure_ascii=False, default=_json_default))
                    f.write("\n")
            spec = ", ".join(f"{sql_str(c)}: {sql_str(t)}" for c, t in types.items())
            yield (f"read_json({sql_str(path)}, format = 'newline_delimited', columns = {{{spec}}}, "
                   "maximum_object_size = 1073741824)")
        finally:
            os.unlink(path)

    def insert(self, table: str, rows: Sequence[dict[str, Any]], verb: str = "INSERT") -> None:
        """`verb` (INSERT, INSERT OR REPLACE, INSERT OR IGNORE) every row into `table` in one statement
        (a column a row has no key for is NULL)."""
        if not rows:
            return
        types = self.columns(table)
        names = ", ".join(types)
        with self.scan(rows, types) as source:
            self.con.execute(f"{verb} INTO {table} ({names}) SELECT {names} FROM {source}")

    def delete_in(self, table: str, column: str, values: Iterable[str]) -> None:
        """DELETE FROM table WHERE column IN (values), as one statement."""
        values = list(dict.fromkeys(values))
        if values:
            self.con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT unnest({sql_list(values)}))")
