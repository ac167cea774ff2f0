"""The gazetteer's cache file: flat typed sections that are memory-mapped, not unpickled.

Why: a process that looks up a few names (``geo ingest`` of one article) should pay for the pages
it touches, not for decoding 900,000 keys. The file is

    MAGIC | u64 header length | JSON header | sections (8-byte aligned)

and every section is a typed array (``array`` typecodes: ``d`` float64, ``q`` int64, ``i`` int32)
or a UTF-8 blob. The header names each section's offset, length and type, and carries the small
things (vocabularies of categorical columns, build metadata). `CacheFile` opens it with `mmap` and
hands out zero-copy `memoryview`s; `StrColumn` and `KeyIndex` read strings and string-keyed
entries straight from those views. Pages that are never read are never loaded, and several
processes share the ones they all read.
"""
from __future__ import annotations

import bisect
import json
import mmap
import os
import zlib
from array import array
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

MAGIC = b"GEOGAZ\x00\x02"
_ALIGN = 8


class CacheWriter:
    """Collects sections, then writes them as one file (or bytes) with a header describing them."""

    def __init__(self) -> None:
        self._sections: list[tuple[str, str, bytes]] = []
        self.meta: dict[str, Any] = {}

    def add_array(self, name: str, values: array | Sequence[float], typecode: str) -> None:
        arr = values if isinstance(values, array) and values.typecode == typecode else array(typecode, values)
        self._sections.append((name, typecode, arr.tobytes()))

    def add_blob(self, name: str, data: bytes) -> None:
        self._sections.append((name, "B", data))

    def add_strings(self, name: str, values: Iterable[str | None]) -> None:
        """A string column: a NUL-joined blob plus int offsets (row i is blob[off[i]:off[i+1]-1])."""
        blob, offsets = _join(values)
        self.add_blob(f"{name}.blob", blob)
        self.add_array(f"{name}.off", offsets, _offset_type(len(blob)))

    def add_index(self, name: str, index: Mapping[str, Iterable[int]]) -> None:
        """A string -> list-of-int index: sorted keys, CSR entries and an open-addressing hash table."""
        keys = sorted(k for k, v in index.items() if v)
        entries, ent_off = array("i"), array("i", [0])
        for k in keys:
            entries.extend(index[k])
            ent_off.append(len(entries))
        self.add_strings(f"{name}.keys", keys)
        self.add_array(f"{name}.entoff", ent_off, "i")
        self.add_array(f"{name}.ent", entries, "i")
        self.add_array(f"{name}.hash", _hash_table(keys), "i")

    def to_bytes(self) -> bytes:
        header, body = self._layout()
        return b"".join([MAGIC, len(header).to_bytes(8, "little"), header, *body])

    def write(self, path: Path) -> None:
        header, body = self._layout()
        with open(path, "wb") as f:
            f.write(MAGIC)
            f.write(len(header).to_bytes(8, "little"))
            f.write(header)
            for part in body:
                f.write(part)

    def _layout(self) -> tuple[bytes, list[bytes]]:
        # Offsets are relative to the first section; the header's own length is not known yet.
        table, body, pos = {}, [], 0
        for name, typecode, data in self._sections:
            table[name] = [pos, len(data), typecode]
            pad = -len(data) % _ALIGN
            body.append(data + b"\0" * pad)
            pos += len(data) + pad
        header = json.dumps({"sections": table, "meta": self.meta}, ensure_ascii=False).encode()
        header += b" " * (-(len(MAGIC) + 8 + len(header)) % _ALIGN)
        return header, body


class CacheFile:
    """A cache opened for reading: `array(name)` and `blob(name)` are views into the mapped file."""

    def __init__(self, source: Path | bytes) -> None:
        if isinstance(source, (bytes, bytearray)):
            self._buf: Any = source
        else:
            with open(source, "rb") as f:
                self._buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(self._buf)
        if bytes(view[:len(MAGIC)]) != MAGIC:
            raise ValueError(f"{source if not isinstance(source, bytes) else '<bytes>'}: not a gazetteer cache "
                             f"of this version (rebuild with `geo gazetteer build`)")
        n = int.from_bytes(view[len(MAGIC):len(MAGIC) + 8], "little")
        start = len(MAGIC) + 8
        header = json.loads(bytes(view[start:start + n]))
        self._base = start + n
        self._view = view
        self.sections: dict[str, list] = header["sections"]
        self.meta: dict[str, Any] = header["meta"]

    def has(self, name: str) -> bool:
        return name in self.sections

    def blob(self, name: str) -> memoryview:
        off, length, _ = self.sections[name]
        return self._view[self._base + off:self._base + off + length]

    def array(self, name: str) -> memoryview:
        off, length, typecode = self.sections[name]
        view = self._view[self._base + off:self._base + off + length]
        return view.cast(typecode) if length else memoryview(array(typecode))

    def strings(self, name: str) -> "StrColumn":
        return StrColumn(self.blob(f"{name}.blob"), self.array(f"{name}.off"))

    def index(self, name: str) -> "KeyIndex":
        return KeyIndex(self.strings(f"{name}.keys"), self.array(f"{name}.entoff"), self.array(f"{name}.ent"),
                        self.array(f"{name}.hash"))


class StrColumn(Sequence):
    """Row i's string, decoded from the blob on access (no list of strings is ever built)."""

    __slots__ = ("_blob", "_off", "_n")

    def __init__(self, blob: memoryview, offsets: memoryview) -> None:
        self._blob, self._off, self._n = blob, offsets, max(len(offsets) - 1, 0)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        return str(self._blob[self._off[i]:self._off[i + 1] - 1], "utf-8")

    def bytes_at(self, i: int) -> memoryview:
        return self._blob[self._off[i]:self._off[i + 1] - 1]

    def decode_range(self, lo: int, hi: int) -> list[str]:
        """Rows lo..hi-1 decoded in one go (one decode and one split instead of hi-lo of each)."""
        if hi <= lo:
            return []
        return str(self._blob[self._off[lo]:self._off[hi] - 1], "utf-8").split("\0")

    def __iter__(self) -> Iterator[str]:
        return iter(self.decode_range(0, self._n))


class KeyIndex(Mapping):
    """key -> int entries, found through a hash table over the sorted keys (no dict is built).

    ``entries(key)`` is the hot path (a CRC32 and a probe or two); the Mapping interface
    (``index[key]``, ``key in index``, iteration in sorted order) serves everything else."""

    def __init__(self, keys: StrColumn, ent_off: memoryview, ent: memoryview, table: memoryview) -> None:
        self.keys, self._eoff, self._ent, self._table = keys, ent_off, ent, table
        self._mask = len(table) - 1
        self._by_letter: dict[str, list[str]] = {}

    def find(self, key: str) -> int:
        """The key's position in sorted order, or -1."""
        if not self._mask + 1:
            return -1
        kb = key.encode()
        slot = zlib.crc32(kb) & self._mask
        table, keys = self._table, self.keys
        while True:
            i = table[slot] - 1
            if i < 0:
                return -1
            if keys.bytes_at(i) == kb:
                return i
            slot = (slot + 1) & self._mask

    def entries(self, key: str) -> memoryview | tuple:
        i = self.find(key)
        return self._ent[self._eoff[i]:self._eoff[i + 1]] if i >= 0 else ()

    def __getitem__(self, key: str) -> list[int]:
        i = self.find(key)
        if i < 0:
            raise KeyError(key)
        return list(self._ent[self._eoff[i]:self._eoff[i + 1]])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.find(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def starting_with(self, letter: str) -> list[str]:
        """The sorted keys whose first character is `letter` (decoded once, then kept)."""
        if letter not in self._by_letter:
            lo = bisect.bisect_left(self.keys, letter)
            hi = bisect.bisect_left(self.keys, chr(ord(letter) + 1), lo)
            self._by_letter[letter] = self.keys.decode_range(lo, hi)
        return self._by_letter[letter]

    def items_raw(self) -> Iterator[tuple[str, list[int]]]:
        """(key, entries) for every key, in sorted order (rebuilding a cache from a cache)."""
        for i, k in enumerate(self.keys):
            yield k, list(self._ent[self._eoff[i]:self._eoff[i + 1]])


def _join(values: Iterable[str | None]) -> tuple[bytes, array]:
    parts = [(v or "").encode() for v in values]
    offsets = array("q", [0])
    pos = 0
    for p in parts:
        pos += len(p) + 1
        offsets.append(pos)
    return b"\0".join(parts) + (b"\0" if parts else b""), offsets


def _offset_type(size: int) -> str:
    return "i" if size < 2**31 - 1 else "q"


def _hash_table(keys: list[str]) -> array:
    size = 1
    while size < 2 * len(keys):
        size *= 2
    mask = size - 1
    table = array("i", bytes(4 * size))
    for i, k in enumerate(keys):
        slot = zlib.crc32(k.encode()) & mask
        while table[slot]:
            slot = (slot + 1) & mask
        table[slot] = i + 1
    return table if keys else array("i")


def write_atomic(writer: CacheWriter, path: Path) -> None:
    """Write to a temporary file in the same folder, then rename: readers never see half a cache."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        writer.write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
