"""The HTML map: offline assets, what the payload carries for each kind of precision, sources read
from the database, shared filters, the Python API and the `geo map` command.

The browser test here runs headless Chromium with a proxy on a dead port, so any network fetch
fails; it skips (with a message) where no Chromium is installed (.ci/run installs Debian's package).
Interactive checks (slider, popups, XSS) are in test_map_browser.py.
"""
from __future__ import annotations

import base64
import gzip
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import folium
import pytest

import geo
from geo.export import EventFilter
from geo.maps import EVENT_CLASS, render_db_map, render_map
from geo.render.mapdata import build_payload, embed_within_budget, geo_level, safe_url, shorten
from geo.render.maps import build_map
from geo.render.query import describe_filter, map_events
from map_data import FACTS, NOT_FACTS, TYPES_DRAWN, XSS, make_db, xss_articles_and_events


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory.mktemp("mapdb") / "events.duckdb")


@pytest.fixture(scope="module")
def map_html(db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_db_map(db, tmp_path_factory.mktemp("map") / "sub" / "map.html", title="Test events")


def payload_of(html_path: Path) -> dict:
    """The data element of a written map, decoded as the page decodes it."""
    text = html_path.read_text("utf-8")
    m = re.search(r'<script type="application/json" id="[^"]+" data-encoding="([^"]+)">(.*?)</script>', text, re.S)
    assert m, "no data element"
    body = m.group(2)
    return json.loads(gzip.decompress(base64.b64decode(body)) if m.group(1) == "gzip-base64" else body)


def by_id(payload: dict) -> dict[str, int]:
    return {e: i for i, e in enumerate(payload["ev"]["event_id"])}


def event_id(db: Path, **where: str) -> str:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        cond = " AND ".join(f"{k} = ?" for k in where)
        return con.execute(f"SELECT event_id FROM events WHERE {cond}", list(where.values())).fetchone()[0]
    finally:
        con.close()


class _Tags(HTMLParser):
    """Collects src/href of <script> and <link> tags."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "link"):
            self.scripts += tag == "script"
            self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


# ---------------------------------------------------------------- the file

def test_every_asset_is_inlined_and_nothing_is_remote(map_html: Path) -> None:
    text = map_html.read_text(encoding="utf-8")
    tags = _Tags()
    tags.feed(text)
    assert tags.scripts >= 5
    assert not [u for u in tags.urls if re.match(r"\s*(https?:)?//", u, re.I)], tags.urls
    markup = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S | re.I)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", markup, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text, re.I)  # no remote CSS images or fonts
    for banner in ("Leaflet 1.9.4", "supercluster 9.1.0", "Leaflet.heat 0.2.0", "geo-events map application"):
        assert banner in text
    assert "cdn.jsdelivr" not in text and "unpkg.com" not in text and "tile.openstreetmap" not in text


def test_payload_draws_facts_only_and_counts_the_rest(map_html: Path) -> None:
    p = payload_of(map_html)
    assert len(p["ev"]["type"]) == FACTS and p["notDrawn"] == NOT_FACTS
    assert {p["types"][t] for t in p["ev"]["type"]} == set(TYPES_DRAWN)
    assert "talks" not in {p["types"][t] for t in p["ev"]["type"]}
    days = [d for d in p["ev"]["day"] if d is not None]
    assert days == sorted(days, reverse=True)  # newest first


def test_country_and_admin1_events_are_areas_with_no_point(db: Path, map_html: Path) -> None:
    p = payload_of(map_html)
    ids = by_id(p)
    ev = p["ev"]
    country = ids[event_id(db, precision="country")]
    oblast = ids[event_id(db, precision="admin1")]  # stored without geo_precision: derived from precision
    for i, key in ((country, "C:UA"), (oblast, "A:UA.07")):
        assert ev["level"][i] == 3 and ev["lat"][i] is None and ev["lon"][i] is None
        assert p["areas"][ev["area"][i]][0] == key
        lat, lon = p["areas"][ev["area"][i]][3:5]
        assert 44 < lat < 53 and 22 < lon < 41  # an anchor inside Ukraine for the popup
    near = ids[event_id(db, precision="near")]
    assert ev["level"][near] == 2 and ev["lat"][near] is not None
    listed = ids[event_id(db, type="protest")]
    assert ev["level"][listed] == 3 and ev["area"][listed] == -1 and ev["lat"][listed] is None


def test_sources_come_from_the_articles_table_and_bad_urls_are_dropped(map_html: Path) -> None:
    arts = payload_of(map_html)["articles"]
    row = {aid: {k: arts[k][i] for k in arts} for i, aid in enumerate(arts["id"])}
    assert row["kh-strikes"]["title"] == "Missile strikes on Kharkiv"
    assert row["kh-strikes"]["outlet"] == "Kyiv Daily"
    assert row["kh-strikes"]["url"] == "https://kyiv-daily.example/2025/11/kharkiv-strikes"
    assert row["front"]["url"] == "http://front.example/report"
    assert row["grid"]["url"] == "" and row["grid"]["title"] == "Blackouts in the region"  # ftp: refused


def test_admin1_areas_only_for_countries_with_events(map_html: Path) -> None:
    p = payload_of(map_html)
    codes = {f["properties"]["admin1"][:2] for f in p["admin1"]["features"]}
    assert codes == {"UA", "RU"}
    names = {f["properties"]["name"] for f in p["admin1"]["features"]}
    assert "Kharkiv Oblast" in names and len(p["countries"]["features"]) > 150  # the gazetteer's display name


def test_text_from_articles_never_reaches_the_html_raw(tmp_path: Path) -> None:
    db = make_db(tmp_path / "xss.duckdb", xss_articles_and_events())
    text = render_db_map(db, tmp_path / "xss.html").read_text("utf-8")
    for value in XSS.values():
        assert value not in text
    assert "<script>window.__xss" not in text and "<img src=" not in text and "<svg onload" not in text
    p = payload_of(tmp_path / "xss.html")
    assert p["articles"]["url"] == [""]  # javascript: refused
    assert p["articles"]["title"] == [XSS["title"]]  # kept as text, shown escaped


def test_large_payloads_are_gzipped_and_evidence_shortened_past_the_budget() -> None:
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [30 + k / 100, 50]},
              "properties": {"type": "strike", "date": "2025-01-02", "event_id": f"e{k}", "country": "UA",
                             "evidence": " ".join(f"w{(k * 7919 + j * 104729) % 100003}" for j in range(120))}}
             for k in range(200)]
    payload = build_payload(feats)
    text, enc = embed_within_budget(payload, compress_above=10_000, budget=10**9)
    assert enc == "gzip-base64" and payload.data["evidenceCap"] is None
    full = json.loads(gzip.decompress(base64.b64decode(text)))
    assert len(full["ev"]["evidence"][0]) <= 600 and full["ev"]["evidence"][0].endswith("…")
    small, enc = embed_within_budget(payload, compress_above=10_000, budget=len(text) * 3 // 4)
    assert len(small) <= len(text) * 3 // 4 and payload.data["evidenceCap"] in (320, 200, 120, 0)
    assert "evidence shortened" in payload.describe()


@pytest.mark.parametrize(("props", "point", "level"), [
    ({"precision": "locality"}, True, 1), ({"precision": "near"}, True, 2), ({"precision": "admin2"}, True, 2),
    ({"precision": "admin1"}, True, 3), ({"precision": "country", "geo_precision": 1}, True, 3),
    ({"precision": "locality", "geo_precision": 2}, True, 2), ({"precision": None}, True, 1),
    ({"precision": None}, False, 3), ({"precision": "water", "geo_precision": None}, True, 2),
])
def test_geo_level(props: dict, point: bool, level: int) -> None:
    assert geo_level(props, point) == level


@pytest.mark.parametrize(("url", "ok"), [
    ("https://a.example/x?y=1", True), ("http://a.example", True), ("HTTPS://A.EXAMPLE/", True),
    ("javascript:alert(1)", False), (" javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False),
    ("data:text/html,<script>", False), ("//a.example/x", False), ("/relative", False),
    ("https://a.example/x y", False), ("https://a.example/\nx", False), ("ftp://a.example", False), (None, False),
])
def test_safe_url(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_shorten_cuts_at_a_word() -> None:
    assert shorten("one two three four", 10) == "one two…"
    assert shorten("short", 10) == "short" and shorten("x" * 30, 10) == "x" * 9 + "…"


# ---------------------------------------------------------------- database, filters, API, CLI

def test_filters_on_claim_and_source_title_are_applied_in_sql(db: Path) -> None:
    feats, arts = map_events(db, EventFilter(claims=["claimed"]))
    facts = [f for f in feats if f["properties"]["claim_status"] == "claimed"]
    assert len(facts) == len(feats) == 1 and facts[0]["properties"]["type"] == "capture"
    feats, arts = map_events(db, EventFilter(title="KHARKIV"))  # case-insensitive substring
    assert {f["properties"]["type"] for f in feats} == {"strike", "clash"} and set(arts) == {"kh-strikes"}
    flt = EventFilter(types=["strike"], claims=["reported", "disputed"], title="kharkiv", countries=["UA"])
    assert describe_filter(flt) == ["type: strike", "country: UA", "claim: reported, disputed",
                                    "source title contains 'kharkiv'"]


def test_python_api_returns_a_folium_map(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fmap = geo.map(db, type="strike")
    assert isinstance(fmap, folium.Map)
    assert set(fmap.geo_payload.drawn) == {"strike"}
    out = tmp_path / "nb.html"
    fmap.save(str(out))
    assert payload_of(out)["ev"]["type"] and "_repr_html_" in dir(fmap)
    monkeypatch.setenv("GEO_DB", str(db))
    assert sum(geo.map().geo_payload.drawn.values()) == FACTS  # the default database is $GEO_DB


def test_render_map_from_features_alone(tmp_path: Path) -> None:
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [36.2, 50.0]},
              "properties": {"type": "bombing", "date": "2025-11-20", "articles": ["a1"], "sources": ["Outlet"],
                             "event_id": "e1", "claim_status": "reported"}},
             {"type": "Feature", "geometry": None, "properties": {"type": "outage", "claim_status": "reported"}}]
    p = payload_of(render_map(feats, tmp_path / "m.html"))
    assert [p["types"][t] for t in p["ev"]["type"]] == ["other", "outage"]  # unknown words fold into "other"
    assert p["articles"]["outlet"] == ["Outlet"] and p["ev"]["area"][1] == -1
    empty = payload_of(render_map([], tmp_path / "empty.html"))
    assert empty["ev"]["type"] == [] and empty["notDrawn"] == 0


def _geo(*args: str, cwd: Path, monkeypatch: pytest.MonkeyPatch, env_db: str | None = None):
    """`geo args...` run in-process in `cwd` with $GEO_DB set to `env_db` (or unset)."""
    from typer.testing import CliRunner

    from geo.cli import app

    monkeypatch.chdir(cwd)
    monkeypatch.delenv("GEO_DB", raising=False)
    return CliRunner().invoke(app, list(args), env={"GEO_DB": env_db} if env_db else None, terminal_width=200)


def test_geo_map_command_with_filters(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _geo("map", "--db", str(db), "-o", "m.html", "--type", "strike", "--claim", "reported", cwd=tmp_path,
               monkeypatch=monkeypatch)
    assert run.exit_code == 0, run.output
    assert "wrote m.html: 3 events (3 at places, 0 as areas, 0 listed only)" in run.output
    p = payload_of(tmp_path / "m.html")
    assert p["filters"] == ["type: strike", "claim: reported"]
    bad = _geo("map", "--db", str(db), "--type", "bombing", cwd=tmp_path, monkeypatch=monkeypatch)
    assert bad.exit_code == 2 and "bombing" in bad.output and "strike" in bad.output


def test_every_command_uses_one_default_database(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copy(db, tmp_path / "geo.duckdb")
    q = "SELECT count(*) AS n FROM events"

    def geo_(*args: str, cwd: Path = tmp_path, env_db: str | None = None):
        return _geo(*args, cwd=cwd, monkeypatch=monkeypatch, env_db=env_db)

    assert '"n": 11' in geo_("sql", q, "--format", "json").output  # ./geo.duckdb
    assert geo_("map").exit_code == 0 and (tmp_path / "maps/events.html").is_file()
    assert json.loads(geo_("export").output)["features"]
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert '"n": 11' in geo_("sql", q, "--format", "json", cwd=other, env_db=str(db)).output  # $GEO_DB
    for cmd in ("run", "ingest", "map", "sql", "export", "plot"):
        helptext = geo_(cmd, "--help").output
        assert "GEO_DB" in helptext and "geo.duckdb" in helptext, cmd


# ---------------------------------------------------------------- a real browser, network dead

def _chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def test_browser_draws_every_fact_offline(map_html: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if not browser:
        pytest.skip("no Chromium: install Debian's chromium package to run the browser test")
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--proxy-server=127.0.0.1:9",
           "--proxy-bypass-list=<-loopback>", "--window-size=1280,800", "--virtual-time-budget=5000", "--dump-dom",
           map_html.resolve().as_uri()]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    dom = re.sub(r"<script\b.*?</script>", "", run.stdout, flags=re.S | re.I)  # what was drawn only
    assert 'data-geo-ready="1"' in dom
    points = len(re.findall(rf'<path class="[^"]*\b{EVENT_CLASS}\b[^"]*leaflet-interactive', dom))
    clustered = sum(map(int, re.findall(r'class="geo-cluster-count"[^>]*>(\d+)<', dom)))
    areas = re.findall(r'<path class="[^"]*\bgeo-area-(country|admin1)\b', dom)
    assert points + clustered == 6 and sorted(areas) == ["admin1", "country"]  # 6 at places, 2 areas
    assert len(re.findall(r'<path class="[^"]*\bgeo-country\b', dom)) > 100  # outlines drawn
    assert len(re.findall(r'<path class="[^"]*\bgeo-admin1\b', dom)) > 30  # oblasts of UA and RU
    assert 'class="geo-legend' in dom and "Test events" in dom and "2 planned/cancelled not drawn" in dom
    assert len(re.findall(r'<li class="geo-item', dom)) == FACTS  # the side list
