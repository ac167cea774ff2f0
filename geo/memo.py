"""Results of pure, slow-to-start functions kept in the cache folder between runs.

The lexicons' inflections and the lemmas of news words come from lemminflect, whose import (it
pulls in spaCy) and lookup tables cost over a second at every start; the words an article uses
are mostly the words every article uses. A `DiskMemo` answers from a pickle written by earlier
runs and calls the function only for keys it has not seen, so a warm start never loads the tables.
"""
from __future__ import annotations

import atexit
import os
import pickle
from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path
from typing import Any


class DiskMemo:
    """key -> value of one pure function, stored as `<cache folder>/<name>-<version>.pickle`.

    `version` must change whenever the function's results may change (its code, the version of
    the package it reads). The file is read on first use and written back atomically at exit
    when keys were added (several processes may share the folder; the last writer wins, which
    loses nothing that cannot be computed again). It stops growing at `limit` keys.
    """

    def __init__(self, name: str, version: str, limit: int = 400_000) -> None:
        self.name, self.version, self.limit = name, version, limit
        self._table: dict[Hashable, Any] | None = None
        self._file: Path | None = None  # where the table was read from, and is written back to
        self._dirty = False

    @property
    def path(self) -> Path:
        from gazetteer.cache import cache_dir

        return cache_dir() / f"{self.name}-{self.version}.pickle"

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        table = self._load()
        try:
            return table[key]
        except KeyError:
            value = compute()
            if len(table) < self.limit:
                table[key] = value
                self._dirty = True
            return value

    def _load(self) -> dict[Hashable, Any]:
        if self._table is None:
            self._table = {}
            self._file = self.path
            try:
                loaded = pickle.loads(self._file.read_bytes())
                if isinstance(loaded, dict):
                    self._table = loaded
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, ImportError):
                pass  # none yet, or unreadable: computed again
            atexit.register(self.save)
        return self._table

    def save(self) -> None:
        """Write the table if keys were added (also called at exit)."""
        if not self._dirty or self._table is None:
            return
        try:
            path = self._file or self.path
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(pickle.dumps(self._table, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
            self._dirty = False
        except OSError:
            pass  # a read-only cache folder: computed again next time


@lru_cache(maxsize=None)
def package_version(name: str) -> str:
    """The installed version of a distribution ("none" when absent), without importing it."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "none"
