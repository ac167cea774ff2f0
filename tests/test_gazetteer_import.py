"""`geo gazetteer import FILE`: a GeoNames extract (19-column table, .txt or .zip) merged into the
cache with its own source tag; known GeoNames ids merge, new rows are added; bad lines are
reported by file and line and skipped; imports are listed, persisted and removable."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from gazetteer import imports

KYIV = 703448
# Rows a GeoNames country extract holds: a hamlet the packages lack, a known town (Kyiv, with a new
# alternate spelling), an admin-3 area, an air base, and a stream (not kept).
ROWS = [
    ["99000001", "Pryvilne Testove", "Pryvilne Testove", "Pryvilne Testowe,Privolnoye Testovoye", "48.4012", "37.9011", "P", "PPL",
     "UA", "", "05", "1416", "", "", "0", "", "180", "Europe/Kyiv", "2024-01-01"],
    [str(KYIV), "Kyiv", "Kyiv", "Kyjiw-Testform", "50.45466", "30.5238", "P", "PPLC", "UA", "", "12", "", "", "",
     "2952301", "", "179", "Europe/Kyiv", "2024-01-01"],
    ["99000002", "Testova Hromada", "Testova Hromada", "", "48.39", "37.88", "A", "ADM3", "UA", "", "05", "1416",
     "9", "", "1200", "", "", "Europe/Kyiv", "2024-01-01"],
    ["99000003", "Kvitneve Air Base", "Kvitneve Air Base", "", "48.7", "37.6", "S", "AIRB", "UA", "", "05", "", "", "",
     "0", "", "", "Europe/Kyiv", "2024-01-01"],
    ["99000004", "Richka Test", "Richka Test", "", "48.5", "37.5", "H", "STM", "UA", "", "05", "", "", "", "0", "",
     "", "Europe/Kyiv", "2024-01-01"],
]


def _table(rows=ROWS, extra: str = "") -> str:
    return "\n".join("\t".join(r) for r in rows) + "\n" + extra


@pytest.fixture()
def isolated(tmp_path, monkeypatch, gaz):
    """Imports and merged caches in tmp_path; the base cache is the shared one (linked, not rebuilt)."""
    from gazetteer import cache

    base = cache.base_cache_path()
    assert base.exists()
    cdir = tmp_path / "cache"
    cdir.mkdir()
    os.symlink(base, cdir / base.name)
    for f in base.parent.glob("admin1-*.pkl"):
        os.symlink(f, cdir / f.name)
    monkeypatch.setenv("GEO_CACHE_DIR", str(cdir))
    monkeypatch.setenv("GEO_DATA_DIR", str(tmp_path / "data"))
    assert cache.base_cache_path() == cdir / base.name  # same fingerprint, same file
    yield tmp_path


def test_parse_line_errors_name_file_and_line():
    with pytest.raises(ValueError, match=r"UA.txt:3: expected 19 tab-separated columns"):
        imports.parse_line("1\tKyiv\t50.4", "UA.txt:3")
    bad = ROWS[0][:]
    bad[4] = "north"
    with pytest.raises(ValueError, match=r"UA.txt:7: latitude/longitude 'north'"):
        imports.parse_line("\t".join(bad), "UA.txt:7")
    bad = ROWS[0][:]
    bad[0] = "x1"
    with pytest.raises(ValueError, match="geonameid 'x1' is not a number"):
        imports.parse_line("\t".join(bad), "UA.txt:1")


def test_import_merges_new_places_and_known_ids(isolated):
    from gazetteer import Gazetteer
    from gazetteer.cache import build_cache

    src = isolated / "UA.zip"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("readme.txt", "GeoNames readme\n")
        z.writestr("UA.txt", _table(extra="not a geonames line\n"))
    report = imports.import_file(src)
    assert report.item.name == "UA" and report.item.rows == 4  # the stream is not kept
    assert len(report.errors) == 1 and "UA.zip!UA.txt:6" in report.errors[0]
    assert [i.name for i in imports.active()] == ["UA"]

    g = Gazetteer.load(build_cache(quiet=True))
    hamlet = g.lookup("Pryvilne Testove", fuzzy=False)
    assert hamlet and hamlet[0].id == "gn:99000001" and hamlet[0].source == "import:UA"
    assert (hamlet[0].feature, hamlet[0].country, hamlet[0].admin1, hamlet[0].admin2) == \
        ("locality", "UA", "UA.05", "UA.05.1416")
    assert g.admin_names(hamlet[0].admin1, hamlet[0].admin2) == ("Donetsk Oblast", "Pokrovsk Raion")
    assert g.lookup("Privolnoye Testovoye", fuzzy=False)[0].id == "gn:99000001"  # its alternate names too
    kyiv = [p for p in g.lookup("Kyjiw-Testform", fuzzy=False)]
    assert kyiv and kyiv[0].geonameid == KYIV and kyiv[0].source == "geonames"  # merged, not doubled
    assert sum(1 for r, _ in g.candidates("Kyiv") if g.gid[r] == KYIV) == 1
    base = g.lookup("Kvitneve air base", fuzzy=False)
    assert base and (base[0].feature, base[0].code) == ("landmark", "AIRB")
    assert g.lookup("Richka Test", fuzzy=False) == []
    assert len(g) == len(Gazetteer.load(imports_free_cache())) + 3


def imports_free_cache() -> Path:
    from gazetteer.cache import base_cache_path

    return base_cache_path()


def test_import_is_persisted_listed_and_removable(isolated):
    from gazetteer.cache import base_cache_path, cache_path

    src = isolated / "UA.txt"
    src.write_text(_table(), encoding="utf-8")
    imports.import_file(src, name="ua-hamlets")
    with_import = cache_path()
    assert with_import != base_cache_path()  # the fingerprint covers the imported file
    src.write_text(_table(ROWS[:1]), encoding="utf-8")
    imports.import_file(src, name="ua-hamlets")  # the same name replaces the import
    assert [i.rows for i in imports.active()] == [1] and cache_path() != with_import
    imports.remove("ua-hamlets")
    assert imports.active() == [] and cache_path() == base_cache_path()
    with pytest.raises(ValueError, match="no gazetteer import named 'nope'"):
        imports.remove("nope")


def test_a_file_with_no_geonames_rows_is_an_error(isolated):
    src = isolated / "notes.txt"
    src.write_text("just some text\nand more\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"no GeoNames populated-place or admin rows found \(first problem: .*notes.txt:1"):
        imports.import_file(src)
    with pytest.raises(ValueError, match="no such file"):
        imports.import_file(isolated / "missing.zip")
    assert imports.active() == []


def test_cli_import_list_and_remove(isolated):
    src = isolated / "RU.txt"
    row = ROWS[0][:]
    row[0], row[1], row[8] = "99000011", "Testovka", "RU"
    src.write_text(_table([row]) + "broken\tline\n", encoding="utf-8")
    env = dict(os.environ)

    def geo(*args):
        return subprocess.run([sys.executable, "-m", "geo", "gazetteer", *args], env=env, capture_output=True,
                              text=True, timeout=600)

    r = geo("import", str(src), "-q")
    assert r.returncode == 0, r.stderr
    assert "imported 1 rows" in r.stdout and "import:RU" in r.stdout
    assert f"{src}:2: expected 19 tab-separated columns" in r.stderr
    assert "RU\t1 rows" in geo("imports").stdout
    assert "Testovka" in geo("lookup", "Testovka").stdout
    r = geo("import", str(isolated / "nothing.zip"))
    assert r.returncode == 2 and r.stderr.startswith("error: ") and "no such file" in r.stderr
    assert geo("remove", "RU", "-q").returncode == 0
    assert "no imports" in geo("imports").stdout
