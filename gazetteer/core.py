"""The offline gazetteer: exact and fuzzy lookup, get by id or code, reverse lookup, display names.

Built once from installed GeoNames data (gazetteer.build) into a cache file (gazetteer.cache) that
is memory-mapped here: opening it reads a small header, and a lookup touches a few pages of the
name index and the columns of the rows it returns. Columns that resolution scans row by row
(``feature``, ``country``, ``admin1``...) become plain lists the first time they are used.
"""
from __future__ import annotations

import bisect
import math
from pathlib import Path
from typing import Any, Iterable

from gazetteer.cache import CACHE_FORMAT, build_cache, cache_dir, cache_path, pack
from gazetteer.cachefile import CacheFile
from gazetteer.normalize import fold, skeleton
from gazetteer.place import Place

__all__ = ["Gazetteer", "build_cache", "cache_dir", "cache_path", "km", "CACHE_FORMAT"]

# Prior weight of each feature kind when a name is ambiguous: reporting names countries and
# capitals far more often than hamlets of the same name.
FEATURE_PRIOR = {"continent": 3.0, "country": 4.0, "admin1": 1.0, "water": 2.5, "region": 2.5,
                 "landmark": 1.5, "admin2": -3.0, "locality": 0.0}
KIND_WEIGHT = (0.0, -0.3, -1.2, -2.5)  # primary, alias, alternate, generated ("Dnipro" the area)
_CATEGORICAL = ("feature", "code", "country", "admin1", "admin2", "source")


class Gazetteer:
    """Places by name, by id, by code and by point. ``Gazetteer.default()`` is the shared instance.

    Rows are columns indexed by row number (``gaz.name[row]`` (display name), ``gaz.gn_name``,
    ``gaz.feature``, ``gaz.country``, ``gaz.admin1``, ``gaz.admin2``, ``gaz.code``, ``gaz.source``,
    ``gaz.lat``, ``gaz.lon``, ``gaz.pop``, ``gaz.gid``); ``gaz.place(row)`` makes the `Place`.
    ``gaz.names`` maps a folded name to its encoded entries (``row * 4 + name kind``);
    `candidates` decodes them.
    """

    _default: "Gazetteer | None" = None

    def __init__(self, source: "CacheFile | dict[str, Any] | Any") -> None:
        if not isinstance(source, CacheFile):  # a Tables or its state(): pack it in memory
            source = CacheFile(pack(source).to_bytes())
        cf = self._cf = source
        self._n: int = cf.meta["n"]
        self.path: Path | None = None
        self.name = cf.strings("name")
        self.gn_name = cf.strings("gn_name")
        self._pids = cf.strings("pid")
        self.lat, self.lon, self.pop, self.gid = cf.array("lat"), cf.array("lon"), cf.array("pop"), cf.array("gid")
        self._codes = {col: cf.array(f"{col}.codes") for col in _CATEGORICAL}
        self._vocab: dict[str, list] = {}
        self.names = cf.index("names")
        self._indexes: dict[str, Any] = {}

    def __getattr__(self, col: str):
        # feature, code, country, admin1, admin2, source: a list built on first use (C-speed
        # indexing for resolution's row-by-row scans; ~10 ms a column)
        if col in _CATEGORICAL:
            vocab = self._vocabulary(col)
            values = list(map(vocab.__getitem__, self._codes[col]))
            setattr(self, col, values)
            return values
        raise AttributeError(col)

    def _vocabulary(self, col: str) -> list:
        if col not in self._vocab:
            self._vocab[col] = [None if v == "\x01" else v for v in self._cf.strings(f"{col}.vocab")]
        return self._vocab[col]

    def _col(self, col: str):
        """The column as a list if it was built, else a view that decodes one row at a time
        (a few lookups never pay for building whole columns)."""
        return self.__dict__.get(col) or _CatView(self._vocabulary(col), self._codes[col])

    def _value(self, col: str, row: int):
        values = self.__dict__.get(col)
        return values[row] if values is not None else self._vocabulary(col)[self._codes[col][row]]

    def _index(self, name: str):
        if name not in self._indexes:
            self._indexes[name] = self._cf.index(name)
        return self._indexes[name]

    @classmethod
    def load(cls, path: Path | None = None) -> "Gazetteer":
        path = path or build_cache()
        g = cls(CacheFile(path))
        g.path = Path(path)
        return g

    @classmethod
    def default(cls) -> "Gazetteer":
        if cls._default is None:
            cls._default = cls.load()
        return cls._default

    @classmethod
    def reset_default(cls) -> None:
        """Forget the shared instance (after an import or a rebuild, the next default() reloads)."""
        cls._default = None

    # ------------------------------------------------------------ rows
    def __len__(self) -> int:
        return self._n

    def _row_pid(self, row: int) -> str:
        return self._pids[row] or f"gn:{self.gid[row]}"

    @property
    def pid(self) -> list[str]:
        """Place ids by row (built on first use; `place(row).id` needs no list)."""
        return [self._row_pid(i) for i in range(self._n)]

    def place(self, row: int) -> Place:
        gid = self.gid[row]
        v = self._value
        return Place(id=self._row_pid(row), name=self.name[row], feature=v("feature", row),
                     country=v("country", row), admin1=v("admin1", row), lat=self.lat[row],
                     lon=self.lon[row], population=self.pop[row], geonameid=gid or None,
                     code=v("code", row), admin2=v("admin2", row), gn_name=self.gn_name[row],
                     source=v("source", row))

    def row_of(self, place_id: str | int) -> int | None:
        """The row of a place id (``gn:703448``, ``x:black-sea``, ``icao:UKBB``, a bare GeoNames id)."""
        key = f"gn:{place_id}" if isinstance(place_id, int) or str(place_id).isdigit() else str(place_id)
        if key.startswith("gn:") and key[3:].isdigit():
            g, sorted_gids = int(key[3:]), self._cf.array("gid.sorted")
            i = bisect.bisect_left(sorted_gids, g)
            while i < len(sorted_gids) and sorted_gids[i] == g:
                row = self._cf.array("gid.rows")[i]
                if not self._pids[row]:  # a GeoNames row, not a curated one citing the id
                    return row
                i += 1
            return None
        entries = self._index("pids").entries(key)
        return entries[0] if entries else None

    def get(self, place_id: str | int) -> Place | None:
        """A place by id: ``gn:703448``, ``x:black-sea``, ``icao:UKBB`` or a bare GeoNames id."""
        row = self.row_of(place_id)
        return self.place(row) if row is not None else None

    def by_code(self, code: str) -> list[Place]:
        """Places with this identifier code: IATA ``KBP`` or ICAO ``UKBB`` (never matched as names)."""
        return [self.place(r) for r in self._index("codes").entries(code.strip().upper())]

    def admin_names(self, admin1: str | None, admin2: str | None = None) -> tuple[str | None, str | None]:
        """Display names of the admin-1 unit (``UA.07`` style code) and the admin-2 unit (the code
        `Place.admin2` holds): ("Kharkiv Oblast", "Kupiansk Raion"), None where unknown."""
        a1 = self._unit_row("a1", admin1)
        a2 = self._unit_row("a2", admin2)
        return (self.name[a1] if a1 is not None else None, self.name[a2] if a2 is not None else None)

    def _unit_row(self, kind: str, code: str | None) -> int | None:
        if not code:
            return None
        entries = self._index("units").entries(f"{kind}:{code}")
        return entries[0] if entries else None

    # ------------------------------------------------------------ lookup
    def candidates(self, name: str) -> list[tuple[int, int]]:
        """(row, name kind) for every place that `name` exactly (after folding) names."""
        return [(e >> 2, e & 3) for e in self.names.entries(fold(name))]

    def skeleton_candidates(self, name: str) -> list[tuple[int, int]]:
        """Rows whose transliteration skeleton equals that of `name` (spelling-variant fallback).

        The skeleton index is computed when the cache is built (generated names left out)."""
        return [(e >> 2, e & 3) for e in self._index("skeletons").entries(skeleton(name))]

    def prior(self, row: int, kind: int = 0) -> float:
        """How likely a bare mention of this name means this row, before any context."""
        code_bonus = 3.0 if self._col("code")[row] == "PPLC" else 0.0
        return (FEATURE_PRIOR.get(self._col("feature")[row], 0.0) + code_bonus + KIND_WEIGHT[kind]
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
        feat, a1, code, cc = self._col("feature"), self._col("admin1"), self._col("code"), self._col("country")
        towns = {a1[r] for r, _ in cands if feat[r] == "locality" and self.pop[r] >= 50_000}
        for row, kind in cands:
            if country and cc[row] != country.upper():
                continue
            if feature and feat[row] != feature:
                continue
            score = self.prior(row, kind) + (5.0 if admin1 and a1[row] == admin1 else 0.0)
            if feat[row] == "admin1" and kind != 1 and a1[row] in towns:
                score -= 3.0
            if kind >= 2 and code[row] == "PPLC":
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
        keys = self.names.starting_with(key[0])
        hits = process.extract(key, keys, scorer=fuzz.ratio, limit=5, score_cutoff=cutoff)
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
        grid = self._index("grid")
        gy, gx = int(lat // 0.5), int(lon // 0.5)
        return [r for dy in (-1, 0, 1) for dx in (-1, 0, 1) for r in grid.entries(f"{gy + dy},{gx + dx}")]

    def _admin1_at(self, lat: float, lon: float, locality: Place | None) -> Place | None:
        from gazetteer.boundaries import admin1_containing

        code = admin1_containing(lat, lon)
        area = self.admin1_place(code) if code else None
        if area is None and locality is not None and locality.admin1:
            area = self.admin1_place(locality.admin1)  # off the polygons (at sea) or no such row
        return area

    def country_place(self, cc: str) -> Place | None:
        """The country row for an ISO 3166-1 alpha-2 code."""
        row = self._unit_row("c", (cc or "").upper())
        return self.place(row) if row is not None else None

    def admin1_place(self, code: str) -> Place | None:
        """The admin-1 row with GeoNames code ``CC.xx``."""
        row = self._unit_row("a1", code)
        return self.place(row) if row is not None else None

    def admin2_place(self, code: str) -> Place | None:
        """The admin-2 row with the code `Place.admin2` holds."""
        row = self._unit_row("a2", code)
        return self.place(row) if row is not None else None


class _CatView:
    __slots__ = ("_vocab", "_codes")

    def __init__(self, vocab: list, codes) -> None:
        self._vocab, self._codes = vocab, codes

    def __getitem__(self, row: int):
        return self._vocab[self._codes[row]]

    def __len__(self) -> int:
        return len(self._codes)


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))
