"""Bulk writes: rows go to DuckDB as Arrow tables, one INSERT per table per batch.

The Arrow column types come from the table's own schema (`information_schema.columns`), so a value
that does not fit (a count beyond INT64, a string with a lone surrogate) fails the batch before or
inside its transaction, never half of it; the pipeline then stores that batch article by article
and names the article that failed.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import duckdb

_ARROW_TYPES = {"VARCHAR": "string", "DATE": "date32", "TIMESTAMP": "timestamp_us", "DOUBLE": "float64",
                "FLOAT": "float64", "BIGINT": "int64", "INTEGER": "int64", "SMALLINT": "int64",
                "TINYINT": "int64", "BOOLEAN": "bool_", "VARCHAR[]": "list_string"}


def _arrow_type(duck_type: str) -> Any:
    import pyarrow as pa

    name = _ARROW_TYPES.get(duck_type.upper(), "string")
    if name == "timestamp_us":
        return pa.timestamp("us")
    if name == "list_string":
        return pa.list_(pa.string())
    return getattr(pa, name)()


class Writer:
    """Arrow inserts into the tables of one connection (column types looked up once per table)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._types: dict[str, dict[str, str]] = {}

    def columns(self, table: str) -> dict[str, str]:
        """Column name -> DuckDB type of `table`, in table order."""
        if table not in self._types:
            self._types[table] = dict(self.con.execute(
                "SELECT column_name, data_type FROM information_schema.columns "
                "WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position", [table]).fetchall())
        return self._types[table]

    def arrow(self, table: str, rows: Sequence[dict[str, Any]], columns: Iterable[str] | None = None) -> Any:
        """An Arrow table of `rows` (dicts; a missing key is NULL) typed like `table`'s columns."""
        import pyarrow as pa

        types = self.columns(table)
        cols = list(columns) if columns is not None else list(types)
        return pa.table({c: pa.array([r.get(c) for r in rows], type=_arrow_type(types[c])) for c in cols})

    def insert(self, table: str, rows: Sequence[dict[str, Any]], columns: Iterable[str] | None = None,
               verb: str = "INSERT") -> None:
        """`verb` (INSERT, INSERT OR REPLACE, INSERT OR IGNORE) every row into `table` in one statement."""
        if not rows:
            return
        data = self.arrow(table, rows, columns)
        names = ", ".join(data.column_names)
        self.con.register("_geo_rows", data)
        try:
            self.con.execute(f"{verb} INTO {table} ({names}) SELECT {names} FROM _geo_rows")
        finally:
            self.con.unregister("_geo_rows")

    def delete_in(self, table: str, column: str, values: Iterable[Any]) -> None:
        """DELETE FROM table WHERE column IN (values), as one statement over an Arrow list."""
        values = list(dict.fromkeys(values))
        if not values:
            return
        import pyarrow as pa

        self.con.register("_geo_keys", pa.table({"k": pa.array(values, type=pa.string())}))
        try:
            self.con.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT k FROM _geo_keys)")
        finally:
            self.con.unregister("_geo_keys")

    def keys(self, name: str, values: Iterable[Any]) -> None:
        """Register `values` as a one-column (k) view `name` for set-based queries."""
        import pyarrow as pa

        self.con.register(name, pa.table({"k": pa.array(list(dict.fromkeys(values)), type=pa.string())}))
