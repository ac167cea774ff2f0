"""Defaults shared by the command line and the Python API, so that every command and `geo.map()`
read and write the same database unless told otherwise."""
from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "GEO_DB"              # environment variable naming the database of every command
DEFAULT_DB = Path("geo.duckdb")  # in the current directory


def default_db() -> Path:
    """The database every command uses when given no --db: $GEO_DB if set, else ./geo.duckdb."""
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)
