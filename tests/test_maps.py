"""The HTML map must work with no network: no remote assets, and a real browser draws every fact.

The browser test runs headless Chromium with a proxy on a dead port, so any network fetch fails; it
skips (with a message) where no Chromium is installed (.ci/run installs Debian's package).
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import types
from html.parser import HTMLParser
from pathlib import Path

import pytest

from geo.maps import EVENT_CLASS, render_map
from geo.models import Event, Evidence

DAY = dt.date(2025, 11, 20)


def _events() -> list[Event]:
    """Invented events: three facts (reported, claimed, disputed) and two that must not be drawn."""
    return [
        Event(type="strike", subtype="missile strike", date=DAY, place="Kharkiv", country="UA",
              lat=49.99, lon=36.23, precision="locality", actor="Russia", weapon="missiles", quantity=3,
              fatalities=4, injured=17, claim_status="reported", articles=["a1", "a2"], event_id="e1",
              evidence=[Evidence("a1", 0, 60, "A missile hit Kharkiv <b>overnight</b> & killed 4.")]),
        Event(type="capture", date=DAY, place="Pokrovsk", country="UA", lat=48.28, lon=37.18,
              actor="Russia", claim_status="claimed", claimed_by="Russian MoD", articles=["a3"],
              event_id="e2"),
        Event(type="interception", subtype="drones shot down", date=DAY, place="Moscow", country="RU",
              lat=55.75, lon=37.62, weapon="drones", quantity=111, claim_status="disputed",
              articles=["a4"], event_id="e3"),
        Event(type="talks", date=DAY + dt.timedelta(days=5), place="Geneva", country="CH", lat=46.2,
              lon=6.14, claim_status="anticipated", articles=["a5"], event_id="e4"),
        Event(type="exchange", date=DAY, place="Sumy", country="UA", lat=50.91, lon=34.8,
              claim_status="cancelled", articles=["a6"], event_id="e5"),
    ]


def _features(events: list[Event]) -> list[dict]:
    """GeoJSON Features as geo export writes them: Point [lon, lat], properties = Event.to_dict()."""
    return [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
             "properties": e.to_dict()} for e in events]


N_FACTS = sum(e.is_fact for e in _events())


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


@pytest.fixture()
def map_html(tmp_path: Path) -> Path:
    return render_map(_features(_events()), tmp_path / "sub" / "map.html", title="Test events")


def test_no_remote_script_or_link(map_html: Path) -> None:
    text = map_html.read_text(encoding="utf-8")
    tags = _Tags()
    tags.feed(text)
    assert tags.scripts >= 1
    assert not [u for u in tags.urls if re.match(r"\s*(https?:)?//", u, re.I)], tags.urls
    assert "Leaflet 1.9.4" in text  # inlined, not linked


def test_only_facts_are_markers_and_text_is_escaped(map_html: Path) -> None:
    text = map_html.read_text(encoding="utf-8")
    assert text.count("L.circleMarker(") == N_FACTS
    assert "<b>overnight</b>" not in text  # article text reaches the page only escaped
    # the non-fact events' places (Geneva; Sumy, whose oblast the area layer may name) get no marker
    assert "Geneva" not in text and not re.search(r"Sumy(?! Oblast)", text)


def test_admin1_areas_only_for_countries_with_events(map_html: Path) -> None:
    html_text = map_html.read_text("utf-8")
    assert "geo-admin1" in html_text and "Kharkiv Oblast" in html_text  # the area's display name
    assert "Bavaria" not in html_text and "Bayern" not in html_text  # no event in Germany


def test_empty_map_and_missing_point(tmp_path: Path) -> None:
    out = render_map([], tmp_path / "empty.html")
    assert out.exists() and "no events to draw" in out.read_text(encoding="utf-8")
    nowhere = {"type": "Feature", "geometry": None, "properties": {"type": "outage"}}
    text = render_map([nowhere], tmp_path / "none.html").read_text(encoding="utf-8")
    assert "L.circleMarker(" not in text and "1 without coordinates not drawn" in text


def test_render_db_map_uses_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("geo.export")
    fake.EventFilter = lambda **kw: kw
    seen: list = []
    fake.events_geojson = lambda db, flt: seen.append(flt) or {"type": "FeatureCollection",
                                                               "features": _features(_events())}
    monkeypatch.setitem(sys.modules, "geo.export", fake)
    from geo.maps import render_db_map

    text = render_db_map(tmp_path / "x.duckdb", tmp_path / "db.html").read_text(encoding="utf-8")
    assert text.count("L.circleMarker(") == N_FACTS and "2 planned/cancelled not drawn" in text
    assert seen == [{"facts_only": False}]  # non-facts are fetched only to be counted


def _chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


def test_browser_draws_every_fact_offline(map_html: Path, tmp_path: Path) -> None:
    browser = _chromium()
    if not browser:
        pytest.skip("no Chromium: install Debian's chromium package to run the browser test")
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", "--proxy-server=127.0.0.1:9",
           "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=5000", "--dump-dom",
           map_html.resolve().as_uri()]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    dom = re.sub(r"<script\b.*?</script>", "", run.stdout, flags=re.S | re.I)  # what was drawn only
    markers = re.findall(rf'<path class="[^"]*\b{EVENT_CLASS}\b[^"]*leaflet-interactive', dom)
    assert len(markers) == N_FACTS
    assert len(re.findall(r'<path class="[^"]*\bgeo-country\b', dom)) > 100  # outlines drawn
    assert len(re.findall(r'<path class="[^"]*\bgeo-admin1\b', dom)) > 30  # oblasts of UA and RU
    assert 'class="geo-legend' in dom and "Test events" in dom
    assert "2 planned/cancelled not drawn" in dom
