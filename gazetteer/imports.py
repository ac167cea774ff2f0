"""GeoNames extracts a user downloads (``UA.zip``, ``RU.txt``, ``cities1000.zip``, ``allCountries.zip``),
merged into the gazetteer with their own source tag.

The packages the gazetteer is built from carry towns of 500 people and more; a country extract from
download.geonames.org carries every populated place down to hamlets. ``geo gazetteer import FILE``
reads the 19-column GeoNames table (from a .txt, .tsv, .gz or .zip), keeps populated places (class
P), admin areas (ADM1-ADM5) and the point sites news names (air bases, ports, plants: the codes of
``data/gazetteer/site_forms.tsv``), and stores them gzip-compressed under the data folder
(``$GEO_DATA_DIR``, default ``~/.local/share/geo-events``) with a manifest. The cache fingerprint
covers every stored import, so the next `Gazetteer.default()` merges them (gazetteer.cache): a row
whose GeoNames id is already there adds its names to that row, any other row is new, tagged
``import:<name>``. ``geo gazetteer imports`` lists them and ``geo gazetteer remove NAME`` drops one.

A line that is not a GeoNames row is reported as ``FILE:LINE: what is wrong`` and skipped; a file
with no GeoNames row at all is an error.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import time
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterator

from gazetteer.tables import ALTERNATE, Tables

COLUMNS = ("geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude", "feature_class",
           "feature_code", "country_code", "cc2", "admin1_code", "admin2_code", "admin3_code",
           "admin4_code", "population", "elevation", "dem", "timezone", "modification_date")
_ADMIN_CODES = {"ADM1": "admin1", "ADM1H": None, "ADM2": "admin2", "ADM3": "admin2", "ADM4": "admin2",
                "ADM5": "admin2", "ADMD": "admin2"}
_NAME_OK = re.compile(r"^[^\d@/\\]{2,}$")


@dataclass(frozen=True)
class Imported:
    """One stored import: its name (the source tag is ``import:<name>``), where it came from and
    the digest the cache fingerprint uses."""

    name: str
    file: str
    original: str
    rows: int
    skipped: int
    digest: str
    imported: str

    @property
    def source(self) -> str:
        return f"import:{self.name}"


@dataclass
class ImportReport:
    item: Imported
    errors: list[str]


def data_dir() -> Path:
    if os.environ.get("GEO_DATA_DIR"):
        return Path(os.environ["GEO_DATA_DIR"])
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "geo-events"


def imports_dir() -> Path:
    return data_dir() / "gazetteer-imports"


def _manifest_path() -> Path:
    return imports_dir() / "manifest.json"


def active() -> list[Imported]:
    """The stored imports, in the order they were made (the order they merge in)."""
    path = _manifest_path()
    if not path.exists():
        return []
    items = json.loads(path.read_text(encoding="utf-8"))
    return [Imported(**d) for d in items if (imports_dir() / d["file"]).exists()]


def _save(items: list[Imported]) -> None:
    imports_dir().mkdir(parents=True, exist_ok=True)
    tmp = _manifest_path().with_suffix(".tmp")
    tmp.write_text(json.dumps([asdict(i) for i in items], indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, _manifest_path())


def remove(name: str) -> Imported:
    """Drop a stored import; the next gazetteer load no longer merges it."""
    items = active()
    hit = [i for i in items if i.name == name]
    if not hit:
        known = ", ".join(i.name for i in items) or "none"
        raise ValueError(f"no gazetteer import named {name!r} (imports: {known})")
    _save([i for i in items if i.name != name])
    (imports_dir() / hit[0].file).unlink(missing_ok=True)
    return hit[0]


# ---------------------------------------------------------------- reading GeoNames files
def _open_text(path: Path) -> tuple[io.TextIOBase, str]:
    """A text stream over the GeoNames table in `path`, and the name of the member read."""
    if zipfile.is_zipfile(path):
        z = zipfile.ZipFile(path)
        members = [m for m in z.namelist() if m.lower().endswith(".txt") and "readme" not in m.lower()]
        if not members:
            raise ValueError(f"{path}: a zip file with no GeoNames .txt table inside")
        stem = path.stem.lower()
        member = next((m for m in members if Path(m).stem.lower() == stem),
                      max(members, key=lambda m: z.getinfo(m).file_size))
        return io.TextIOWrapper(z.open(member), encoding="utf-8", errors="strict"), f"{path}!{member}"
    with open(path, "rb") as f:
        head = f.read(2)
    raw = gzip.open(path, "rb") if head == b"\x1f\x8b" else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8", errors="strict"), str(path)


def parse_line(line: str, where: str, keep: Callable[[str, str], bool] | None = None) -> list[str] | None:
    """The 19 columns of a GeoNames row, or None when `keep` (feature class, code) says skip it.

    Raises ValueError("FILE:LINE: ...") for a line that is not a GeoNames row."""
    cols = line.rstrip("\n").rstrip("\r").split("\t")
    if len(cols) != len(COLUMNS):
        raise ValueError(f"{where}: expected {len(COLUMNS)} tab-separated columns (the GeoNames table), "
                         f"found {len(cols)}")
    if not cols[0].isdigit():
        raise ValueError(f"{where}: geonameid {cols[0]!r} is not a number")
    try:
        lat, lon = float(cols[4]), float(cols[5])
    except ValueError:
        raise ValueError(f"{where}: latitude/longitude {cols[4]!r}, {cols[5]!r} are not numbers") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{where}: latitude/longitude {lat}, {lon} out of range")
    if not cols[1].strip():
        raise ValueError(f"{where}: row {cols[0]} has no name")
    if cols[14] and not cols[14].lstrip("-").isdigit():
        raise ValueError(f"{where}: population {cols[14]!r} is not a number")
    if keep is not None and not keep(cols[6], cols[7]):
        return None
    return cols


def default_keep() -> Callable[[str, str], bool]:
    """Populated places, admin areas, and the site codes the gazetteer knows forms for."""
    from gazetteer.sites import site_forms

    sites = set(site_forms())

    def keep(fclass: str, fcode: str) -> bool:
        return fclass == "P" or (fclass == "A" and fcode in _ADMIN_CODES and _ADMIN_CODES[fcode]) \
            or fcode in sites

    return keep


def read_rows(path: Path, errors: list[str], keep: Callable[[str, str], bool] | None = None) -> Iterator[list[str]]:
    """The kept GeoNames rows of a file; bad lines are appended to `errors` and skipped."""
    keep = keep or default_keep()
    stream, label = _open_text(path)
    with stream:
        n = 0
        try:
            for n, line in enumerate(stream, 1):
                if not line.strip() or line.startswith("#"):
                    continue
                try:
                    cols = parse_line(line, f"{label}:{n}", keep)
                except ValueError as e:
                    errors.append(str(e))
                    continue
                if cols is not None:
                    yield cols
        except UnicodeDecodeError as e:
            raise ValueError(f"{label}:{n + 1}: not UTF-8 text ({e.reason}); is this a GeoNames table?") from None


def import_file(path: Path, name: str | None = None, replace: bool = True) -> ImportReport:
    """Read a GeoNames extract, store its kept rows, and register it (replacing one of the same name)."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such file")
    name = name or re.sub(r"[^A-Za-z0-9_.-]+", "-", path.name.split(".")[0]) or "import"
    errors: list[str] = []
    imports_dir().mkdir(parents=True, exist_ok=True)
    stored = imports_dir() / f"{name}.tsv.gz"
    tmp = stored.with_suffix(".tmp")
    rows = 0
    with gzip.open(tmp, "wt", encoding="utf-8", compresslevel=6) as out:
        for cols in read_rows(path, errors):
            out.write("\t".join(cols) + "\n")
            rows += 1
    if rows == 0:
        tmp.unlink(missing_ok=True)
        first = f" (first problem: {errors[0]})" if errors else ""
        raise ValueError(f"{path}: no GeoNames populated-place or admin rows found{first}")
    items = [i for i in active() if i.name != name] if replace else active()
    if not replace and any(i.name == name for i in items):
        tmp.unlink(missing_ok=True)
        raise ValueError(f"a gazetteer import named {name!r} exists already")
    os.replace(tmp, stored)
    digest = hashlib.sha256(stored.read_bytes()).hexdigest()[:16]
    item = Imported(name=name, file=stored.name, original=str(path.resolve()), rows=rows,
                    skipped=len(errors), digest=digest, imported=time.strftime("%Y-%m-%dT%H:%M:%S"))
    _save(items + [item])
    return ImportReport(item, errors)


# ---------------------------------------------------------------- merging into the tables
def merge_into(t: Tables, item: Imported) -> int:
    """Add an import's rows to `t`: known GeoNames ids gain names, the others become rows.
    Returns the number of new rows."""
    from gazetteer import sites

    forms = sites.site_forms()
    added = 0
    errors: list[str] = []
    for cols in read_rows(imports_dir() / item.file, errors, keep=lambda _c, _f: True):
        gid = int(cols[0])
        row = t.by_pid.get(f"gn:{gid}")
        if row is None:
            row = _new_row(t, cols, item.source)
            if row is None:
                continue
            added += 1
            if t.feature[row] == "landmark":
                base = sites.site_base(cols[1])
                if base:
                    sites.index_forms(t, base, row, t.code[row], forms)
        else:
            t.index(cols[1], row, ALTERNATE)
            if not t.admin2[row] and t.feature[row] == "locality" and cols[11]:
                t.admin2[row] = f"{cols[8]}.{cols[10]}.{cols[11]}"
        for alt in {cols[2], *cols[3].split(",")}:
            alt = alt.strip()
            if alt and alt != cols[1] and not alt.isupper() and _NAME_OK.match(alt):
                t.index(alt, row, ALTERNATE)
    return added


def _new_row(t: Tables, cols: list[str], source: str) -> int | None:
    fclass, fcode, cc = cols[6], cols[7], cols[8] or None
    if fclass == "P":
        feature = "locality"
    elif fclass == "A":
        feature = _ADMIN_CODES.get(fcode)
        if feature is None:
            return None
    else:
        feature = "landmark"
    admin1 = f"{cc}.{cols[10]}" if cc and cols[10] and cols[10] != "00" else None
    admin2 = f"{cc}.{cols[10]}.{cols[11]}" if admin1 and cols[11] else None
    if feature == "admin1" and admin2:
        admin2 = None
    return t.add(f"gn:{cols[0]}", cols[1], feature, cc, admin1, float(cols[4]), float(cols[5]),
                 int(cols[14] or 0), int(cols[0]), fcode, admin2, source=source)
