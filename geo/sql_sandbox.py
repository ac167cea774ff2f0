"""The read-only SQL sandbox of `geo sql` (without ``--write``): a query reads the database and
nothing else.

Why: `geo sql` is handed queries from notebooks, scripts and colleagues. DuckDB is a full
database engine that reads and writes any file the user can (``COPY ... TO``, ``read_csv``,
``read_text('/proc/self/environ')``, ``glob``, ``EXPORT DATABASE``), loads extensions from any
path and changes its own settings. A read-only mode that only refuses INSERT/UPDATE/DELETE is no
barrier at all.

The security model, in layers:

1. The database file is opened read-only (DuckDB ``read_only=True``): nothing in it can change.
2. DuckDB's own settings are the barrier. After the shipped spatial extension is loaded (ST_*
   functions and the events_geo/places_geo views keep working), `lock_down` sets
   ``temp_directory = ''`` (nothing spills to disk), ``autoload_known_extensions = false``,
   ``autoinstall_known_extensions = false``, ``allow_community_extensions = false``,
   ``enable_external_access = false`` (no file or network access of any kind: no COPY, EXPORT,
   read_* or glob, no LOAD or INSTALL, no ATTACH of a file, no replacement scan of a path) and
   finally ``lock_configuration = true`` (no SET, RESET or PRAGMA can undo any of it).
3. A statement check, with DuckDB's own parser (`duckdb.DuckDBPyConnection.extract_statements`
   on the locked connection, so parsing cannot read a file either: ``IMPORT DATABASE`` reads
   files at parse time), refuses before anything runs, with a one-line reason: every statement
   that is not a query (SELECT, and the statements DuckDB rewrites into one: DESCRIBE, SHOW,
   SUMMARIZE, PIVOT, read-only PRAGMAs such as table_info; EXPLAIN of a query; CALL of a table
   function), among them SET/RESET/USE, setting PRAGMAs, CREATE (temp tables, macros, secrets),
   ATTACH/DETACH, COPY, EXPORT/IMPORT, LOAD/INSTALL, PREPARE/EXECUTE and transactions; the
   table functions that read files (read_csv, read_text, read_blob, read_json, read_parquet,
   parquet_scan, glob, sniff_csv, ST_Read, ...); ``query()`` (SQL in a string, which no check
   can see); and ``FROM 'a/path'``.

The settings would stop what the check misses; the check makes the refusal say why.
Not covered: a query's time and memory (DuckDB's memory_limit applies; Ctrl-C stops a query);
the Python API (``geo.open(db).sql``), which runs in the caller's own process and trusts it.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

import duckdb

from geo.errors import GeoError

if TYPE_CHECKING:  # pragma: no cover
    from geo.store import Store

__all__ = ["SandboxError", "sandbox", "lock_down", "check_statements", "LOCKED_SETTINGS"]

# In this order: temp_directory cannot be changed once external access is off, and nothing once
# the configuration is locked.
LOCKED_SETTINGS: tuple[tuple[str, str], ...] = (
    ("temp_directory", "''"),
    ("autoload_known_extensions", "false"),
    ("autoinstall_known_extensions", "false"),
    ("allow_community_extensions", "false"),
    ("enable_external_access", "false"),
    ("lock_configuration", "true"),
)


_REFUSED_TYPES = {
    "SET": "SET, RESET, USE and setting PRAGMAs change the session's configuration",
    "VARIABLE_SET": "SET VARIABLE changes the session",
    "PRAGMA": "this PRAGMA changes the session (PRAGMAs that only read, such as table_info, are allowed)",
    "CREATE": "CREATE makes objects (temp tables, views, macros, secrets)",
    "CREATE_FUNC": "CREATE makes objects (macros, functions)",
    "ATTACH": "ATTACH opens another database",
    "DETACH": "DETACH changes the attached databases",
    "COPY": "COPY reads or writes files",
    "COPY_DATABASE": "COPY FROM DATABASE writes a database",
    "EXPORT": "EXPORT DATABASE writes files",
    "LOAD": "LOAD and INSTALL load extension code",
    "EXTENSION": "extension statements change the installed extensions",
    "PREPARE": "PREPARE stores a statement for EXECUTE, which the check could not see",
    "EXECUTE": "EXECUTE runs a prepared statement",
    "TRANSACTION": "transaction statements are not needed to read",
    "INSERT": "INSERT writes", "UPDATE": "UPDATE writes", "DELETE": "DELETE writes",
    "MERGE_INTO": "MERGE INTO writes", "DROP": "DROP removes objects", "ALTER": "ALTER changes objects",
    "VACUUM": "VACUUM and ANALYZE write statistics", "ANALYZE": "ANALYZE writes statistics",
}
_ALLOWED_TYPES = {"SELECT", "CALL", "EXPLAIN"}

# Table functions that read files or run SQL from a string (lower case; matched as whole names).
_FILE_FUNCTIONS = re.compile(
    r"read_\w+|\w+_scan|glob|sniff_csv|parquet_\w+|st_read\w*|shapefile_meta|iceberg_\w+|delta_\w+"
    r"|sqlite_\w+|postgres_\w+|mysql_\w+|load_aws_credentials|query")
_EXPLAIN = re.compile(r"\s*EXPLAIN\s+(?:ANALY[SZ]E\s+)?", re.I)


class SandboxError(GeoError):
    """A statement the read-only sandbox refuses; the message says why, in one line."""


def _refused(reason: str) -> SandboxError:
    return SandboxError(f"refused in read-only mode: {reason} (use --write for a query that needs it)")


def sandbox(store: Store, query: str) -> None:
    """Make `store`'s read-only connection a sandbox, then check `query` against it.

    The spatial extension is loaded first (it is a file; nothing can be loaded afterwards)."""
    store.ensure_spatial()
    lock_down(store.con)
    check_statements(store.con, query)


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Apply LOCKED_SETTINGS to `con` (see the module docstring). Idempotent."""
    if _locked(con):
        return
    for name, value in LOCKED_SETTINGS:
        con.execute(f"SET {name} = {value}")


def _locked(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute("SELECT current_setting('lock_configuration')").fetchone()
    return bool(row and row[0])


def check_statements(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Raise SandboxError for the first statement of `query` the sandbox refuses."""
    try:
        statements = con.extract_statements(query)
    except duckdb.Error as e:
        raise SandboxError(f"SQL error: {str(e).splitlines()[0]}") from None
    if not statements:
        raise SandboxError("no SQL statement given")
    for k, st in enumerate(statements):
        kind = st.type.name if hasattr(st.type, "name") else str(st.type).split(".")[-1]
        if kind == "CREATE" and not st.query and k + 1 < len(statements) and not statements[k + 1].query:
            continue  # PIVOT: DuckDB's own temporary ENUM type for the pivoted values, then a SELECT
        if kind == "EXPLAIN":
            inner = _EXPLAIN.sub("", st.query, count=1)
            if inner != st.query:
                check_statements(con, inner)
            continue
        if kind not in _ALLOWED_TYPES:
            raise _refused(_REFUSED_TYPES.get(kind, f"a {kind} statement is not a query"))
        _check_tokens(st.query or query)


def _check_tokens(sql: str) -> None:
    """File-reading table functions, query(), and FROM/JOIN 'a path' (a replacement scan)."""
    try:
        tokens = duckdb.tokenize(sql)
    except duckdb.Error:
        return  # DuckDB parsed it already; the settings still stand
    ends = [o for o, _ in tokens[1:]] + [len(sql)]
    texts = [sql[o:e].strip() for (o, _), e in zip(tokens, ends)]
    kinds = [str(t).split(".")[-1] for _, t in tokens]
    for i, (text, kind) in enumerate(zip(texts, kinds)):
        nxt = texts[i + 1] if i + 1 < len(texts) else ""
        if kind in ("identifier", "keyword") and nxt.startswith("("):
            name = text.strip('"').lower()
            if _FILE_FUNCTIONS.fullmatch(name):
                what = "runs SQL given as a string, which the check cannot see" if name == "query" \
                    else "reads files"
                raise _refused(f"{text.strip(chr(34))}() {what}")
        if kind == "keyword" and text.upper() in ("FROM", "JOIN") and i + 1 < len(kinds) \
                and kinds[i + 1] == "string_const":
            raise _refused(f"FROM {texts[i + 1][:60]} reads a file")
