"""Errors a user can act on. The CLI prints them as one line and exits 2."""
from __future__ import annotations


class GeoError(Exception):
    """Base of the errors the CLI reports without a traceback."""


class InputError(GeoError):
    """A bad input record: says which file and line."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")
