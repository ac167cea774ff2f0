"""Where bytes come from: paths checked before they are opened, files opened so that nothing can
hang, folders walked without loops, and lines streamed with a bound on their length.

Why so careful: a FIFO or a device given as an input would block `open()`/`read()` forever, a
symbolic link back to an ancestor folder would make a naive walk endless, and one 20 MB line
would be held in memory and parsed before any check could refuse it. Every problem here is an
`InputError` naming the path, raised before any work is spent on it.
"""
from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from geo.errors import InputError, InputWarning
from geo.limits import Limits

SUPPORTED_EXTENSIONS = (".txt", ".md", ".jsonl", ".csv", ".html", ".htm")
_CHUNK = 1 << 20

Report = Callable[[InputError], None]

_NOT_REGULAR = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device",
                stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}
_OS_MESSAGES = {
    errno.ENAMETOOLONG: "file name too long",
    errno.ELOOP: "too many levels of symbolic links (a symbolic link loop)",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOENT: "no such file or directory",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "is a folder",
    errno.ENXIO: "no such device or address (a socket?)",
}


def os_message(exc: OSError) -> str:
    """A short, stable description of an OS error (no errno numbers, no repeated path)."""
    return _OS_MESSAGES.get(exc.errno or 0) or (exc.strerror or str(exc)).lower()


def supported(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SUPPORTED_EXTENSIONS


def decode(data: bytes, where: str, encoding: str = "utf-8-sig") -> str:
    """Bytes to text; undecodable data is an InputError naming the encoding and the offset."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(where, None, f"cannot decode file as {encoding.removesuffix('-sig')} "
                                      f"(byte {exc.start:,}: {exc.reason})") from None
    except LookupError as exc:
        raise InputError(where, None, f"unknown encoding {encoding!r}: {exc}") from None


def check_length(path: str, limits: Limits) -> None:
    """Refuse a path longer than the limit before asking the OS anything about it."""
    if len(path) > limits.path_chars:
        raise InputError(path, None, f"path is {len(path):,} characters long; the limit is "
                                     f"{limits.path_chars:,} ({limits.env_name('path_chars')})")


def kind(path: str, limits: Limits) -> str:
    """'dir' or 'file' for an input path; anything else (missing, a broken link, a FIFO, a
    device, a socket, a name too long) is an InputError saying which."""
    check_length(path, limits)
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            raise InputError(path, None, f"broken symbolic link (it points to {_readlink(path)!r}, "
                                         "which does not exist)") from None
        raise InputError(path, None, os_message(exc)) from None
    except ValueError as exc:  # an embedded NUL character
        raise InputError(path, None, f"invalid path: {exc}") from None
    if stat.S_ISDIR(st.st_mode):
        return "dir"
    _require_regular(path, st.st_mode)
    return "file"


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"


def _require_regular(path: str, mode: int) -> None:
    if not stat.S_ISREG(mode):
        what = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")
        raise InputError(path, None, f"{what}, not a regular file: refused (only regular files are read)")


def open_regular(path: str, limits: Limits) -> tuple[BinaryIO, int]:
    """(binary file, size) of a regular file. The file is checked with stat() before it is
    opened (a device is never opened), opened with O_NONBLOCK (a FIFO swapped in meanwhile
    cannot block) and checked again with fstat() on the open descriptor."""
    check_length(path, limits)
    try:
        _require_regular(path, os.stat(path).st_mode)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(path, None, f"cannot read file: {os_message(exc)}") from None
    try:
        st = os.fstat(fd)
        _require_regular(path, st.st_mode)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st.st_size
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str, limits: Limits) -> bytes:
    """The whole of a one-article file, refused at once when it is over `limits.file_bytes`."""
    f, size = open_regular(path, limits)
    with f:
        if size > limits.file_bytes:
            raise _too_big(path, size, limits)
        try:
            data = f.read(limits.file_bytes + 1)
        except OSError as exc:
            raise InputError(path, None, f"cannot read file: {os_message(exc)}") from None
    if len(data) > limits.file_bytes:  # it grew since fstat
        raise _too_big(path, len(data), limits)
    return data


def _too_big(path: str, size: int, limits: Limits) -> InputError:
    return InputError(path, None, f"file is {size:,} bytes; the limit for a one-article file is "
                                  f"{limits.file_bytes:,} ({limits.env_name('file_bytes')}): refused")


def walk(folder: str, limits: Limits, report: Report) -> Iterator[str]:
    """Supported files under `folder`, in sorted path order, skipping hidden entries and README.md.

    Symbolic links to folders are followed, each folder once: a link back to a folder already
    being read (a loop) or read before is reported as a warning and not followed. An unreadable
    folder, and a supported file that cannot be stat()ed (a broken link), is reported as an error;
    the walk goes on. Iterative, so a deep tree cannot exhaust the Python stack.
    """
    root = os.stat(folder)
    seen = {(root.st_dev, root.st_ino): folder}
    stack = [_listing(folder, report)]
    while stack:
        path = next(stack[-1], None)
        if path is None:
            stack.pop()
            continue
        name = os.path.basename(path)
        if len(path) > limits.path_chars:
            report(InputError(path, None, f"path is {len(path):,} characters long; the limit is "
                                          f"{limits.path_chars:,}: skipped"))
            continue
        try:
            st = os.stat(path)
        except OSError as exc:
            if supported(name):
                broken = exc.errno == errno.ENOENT and os.path.islink(path)
                report(InputError(path, None, f"broken symbolic link (it points to {_readlink(path)!r})"
                                  if broken else os_message(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in seen:
                report(InputWarning(path, None, f"symbolic link to a folder already read ({seen[key]}); "
                                                "not followed"))
                continue
            seen[key] = path
            stack.append(_listing(path, report))
        elif supported(name) and name.lower() != "readme.md":
            yield path  # a FIFO or device with a supported name is refused when it is opened


def _listing(folder: str, report: Report) -> Iterator[str]:
    """The non-hidden entries of one folder, sorted by name."""
    try:
        with os.scandir(folder) as it:
            names = sorted(e.name for e in it if not e.name.startswith("."))
    except OSError as exc:
        report(InputError(folder, None, f"cannot read folder: {os_message(exc)}"))
        return iter(())
    return (str(Path(folder) / n) for n in names)


def lines(stream: BinaryIO, max_bytes: int, first: bytes = b"") -> Iterator[tuple[int, bytes | None, int]]:
    """(line number, line without its end-of-line, length in bytes) of every physical line.

    A line longer than `max_bytes` is yielded as None, and is skipped without being held in
    memory. Lines end at b"\\n" only (a JSON string may hold a raw U+2028); a final "\\r" is
    dropped. `first` is data already read from the stream (standard input's sniffed start).
    """
    read = getattr(stream, "read1", stream.read)  # read1: what a pipe has now, without waiting for more
    n, parts, size = 0, [], 0
    chunk = first or read(_CHUNK)
    while chunk:
        start = 0
        while True:
            k = chunk.find(b"\n", start)
            piece = chunk[start:] if k < 0 else chunk[start:k]
            size += len(piece)
            if size <= max_bytes:
                parts.append(piece)
            if k < 0:
                break
            n += 1
            yield n, _line(parts, size, max_bytes), size
            parts, size, start = [], 0, k + 1
        chunk = read(_CHUNK)
    if size:
        yield n + 1, _line(parts, size, max_bytes), size


def _line(parts: list[bytes], size: int, max_bytes: int) -> bytes | None:
    if size > max_bytes:
        return None
    line = b"".join(parts)
    return line[:-1] if line.endswith(b"\r") else line
