"""Errors a user can act on. The CLI prints them as one line and exits 2."""
from __future__ import annotations

_PATH_SHOWN = 160  # characters of a path shown in a message; a 5,000-character path is abbreviated


class GeoError(Exception):
    """Base of the errors the CLI reports without a traceback."""


class InputError(GeoError):
    """A bad input record or file: says which file and line (`line` is None for a whole file).

    `fatal` is True: the record (or the rest of the file) was skipped and counts as a failure.
    `str()` is one line, ``<where>: <message>``; `where` abbreviates a very long path, while
    `path` keeps it whole.
    """

    fatal = True

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path, self.line = path, line
        self.message = " ".join(message.split())  # one line, whatever the message quotes
        super().__init__(f"{self.where}: {self.message}")

    def __reduce__(self):  # picklable (worker processes): rebuilt from its parts, not from str()
        return (type(self), (self.path, self.line, self.message))

    @property
    def where(self) -> str:
        """``path:line`` (or ``path``), the path abbreviated to at most about 160 characters."""
        path = self.path
        if len(path) > _PATH_SHOWN:
            path = f"{path[:_PATH_SHOWN // 2]}…{path[-_PATH_SHOWN // 2:]}"
        return f"{path}:{self.line}" if self.line is not None else path


class InputWarning(InputError, UserWarning):
    """A record that was changed to fit and is still stored (text truncated at a limit, a lone
    surrogate replaced, an ignored field): reported as ``warning: ...``, not a failure.

    It is also a `UserWarning`, so a caller of `geo.read.read_paths` without ``on_error`` gets it
    through Python's `warnings` module."""

    fatal = False
