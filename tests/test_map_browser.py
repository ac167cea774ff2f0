"""The map in a real headless Chromium, driven with playwright, with the network off.

Every request other than the map file itself is refused and recorded, and Chromium's proxy points
at a dead port besides. The tests use the page as a reader would (the slider, step buttons, the
layer control's checkboxes, clicks on clusters and list entries) and check the DOM and the app's
own figures (`geoMap.state()`). They skip with a message where Chromium or playwright is missing;
playwright drives the system Chromium (/usr/bin/chromium) and never downloads a browser.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from geo.render.maps import render_db_map
from map_data import FACTS, TYPES_DRAWN, XSS, make_db, xss_articles_and_events

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
if CHROMIUM is None:
    pytest.skip("no Chromium: install Debian's chromium package to run the browser tests", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")


class Page:
    """A loaded map page with what it logged and tried to fetch."""

    def __init__(self, page, errors: list[str], requests: list[str], dialogs: list[str]) -> None:
        self.page, self.errors, self.requests, self.dialogs = page, errors, requests, dialogs

    def state(self) -> dict:
        return self.page.evaluate("geoMap.state()")

    def markers_in_dom(self) -> int:
        """Events represented on screen: single markers plus the counts on cluster icons."""
        return self.page.evaluate("""() => {
            let n = document.querySelectorAll('path.geo-event:not(.geo-spider)').length;
            document.querySelectorAll('.geo-cluster-count').forEach(s => n += parseInt(s.textContent, 10));
            return n; }""")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                              "--proxy-server=127.0.0.1:9"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def map_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    return render_db_map(make_db(tmp / "events.duckdb"), tmp / "map.html", title="Browser test")


def _open(browser, path: Path) -> Page:
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    errors: list[str] = []
    requests: list[str] = []
    dialogs: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    def route(r):
        if r.request.url == path.resolve().as_uri():
            return r.continue_()
        requests.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    page.wait_for_function("window.geoMapReady === true", timeout=30_000)
    return Page(page, errors, requests, dialogs)


@pytest.fixture()
def mp(browser, map_file: Path):
    page = _open(browser, map_file)
    yield page
    page.page.context.close()


def test_opens_offline_without_errors_and_lists_every_type(mp: Page) -> None:
    assert mp.errors == [] and mp.requests == []
    labels = mp.page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    for t in TYPES_DRAWN:
        assert any(re.match(rf"\s*{t} \(\d+\)", lab) for lab in labels), (t, labels)
    assert any("Heat map" in lab for lab in labels) and any("choropleth" in lab for lab in labels)
    st = mp.state()
    assert st["total"] == st["visible"] == FACTS and st["areas"] == 2 and st["listOnly"] == 1
    assert mp.markers_in_dom() == st["points"] == 6


def test_slider_and_steps_change_the_visible_markers(mp: Page) -> None:
    before = mp.markers_in_dom()
    slider = mp.page.locator("input.geo-slider")
    first = int(slider.get_attribute("min"))
    slider.fill(str(first + 16))  # 2025-11-11: the outage, the capture, the Belgorod strike so far
    mp.page.wait_for_function("geoMap.state().end === '2025-11-11'")
    st = mp.state()
    assert st["visible"] == 4 and mp.markers_in_dom() == 2 < before  # + the undated protest, listed
    mp.page.select_option("select.geo-mode", "window")
    mp.page.fill("input.geo-win", "1")
    mp.page.dispatch_event("input.geo-win", "change")
    st = mp.state()
    assert st["mode"] == "window" and st["win"] == 1 and mp.markers_in_dom() == 1  # Belgorod, 11-11 only
    mp.page.click("button.geo-reset")
    assert mp.state()["visible"] == FACTS and mp.markers_in_dom() == before
    mp.page.select_option("select.geo-stepsize", "7")
    mp.page.click("button.geo-back")
    assert mp.state()["end"] == "2025-11-13" and mp.markers_in_dom() < before
    label = mp.page.inner_text(".geo-time-label")
    assert "→ 2025-11-13" in label and mp.errors == []


def test_country_level_event_is_an_area_and_unplaced_one_a_list_item(mp: Page) -> None:
    dom = mp.page.content()
    assert len(re.findall(r'<path class="[^"]*geo-area-country', dom)) == 1
    assert len(re.findall(r'<path class="[^"]*geo-area-admin1', dom)) == 1
    # nothing is drawn at Ukraine's centre (49.0, 32.0), where the country-level event's point would be
    near_centre = mp.page.evaluate("""() => geoMap.pointLayer.getLayers().concat(geoMap.spiderLayer.getLayers())
        .filter(m => m.getLatLng && m.getLatLng().distanceTo([49.0, 32.0]) < 50000).length""")
    assert near_centre == 0
    mp.page.click("li.geo-lv3:has-text('interception')")
    popup = mp.page.locator(".leaflet-popup-content").last
    assert "Area-level event: Ukraine (country level)" in popup.inner_text()
    listed = mp.page.locator("li.geo-item:has(.geo-listonly)")
    assert listed.count() == 1 and "Donbas" in listed.inner_text()
    listed.click()
    assert "A protest somewhere in Donbas." in listed.locator(".geo-card").inner_text()


def test_a_popup_has_its_source_link(mp: Page) -> None:
    mp.page.click("li.geo-item:has-text('missile strike')")
    popup = mp.page.locator(".leaflet-popup-content").last
    text = popup.inner_text()
    for want in ("missile strike", "2025-11-20", "Kharkiv", "4 killed, 17 injured, 3 missiles", "Russia",
                 "Civilians", "reported", "A missile hit Kharkiv overnight & killed 4.", "Kyiv Daily"):
        assert want in text, (want, text)
    a = popup.locator("a", has_text="Missile strikes on Kharkiv")
    assert a.get_attribute("href") == "https://kyiv-daily.example/2025/11/kharkiv-strikes"
    assert a.get_attribute("target") == "_blank" and "noopener" in a.get_attribute("rel")
    mp.page.click("li.geo-item:has-text('outage')")  # its source URL was ftp: shown as text, not a link
    popup = mp.page.locator(".leaflet-popup-content").last
    assert "Blackouts in the region" in popup.inner_text() and popup.locator("a").count() == 0


def test_events_at_one_place_cluster_and_fan_out(mp: Page) -> None:
    mp.page.evaluate("void geoMap.map.setView([49.98081, 36.25272], 14, {animate: false})")
    cluster = mp.page.locator(".geo-cluster").first
    assert cluster.locator(".geo-cluster-count").inner_text() == "3"
    cluster.click()
    assert mp.state()["spidered"] == 3
    assert mp.page.locator("path.geo-spider").count() == 3
    mp.page.locator("path.geo-spider").first.click(force=True)
    assert "Kharkiv" in mp.page.locator(".leaflet-popup-content").last.inner_text()
    ring = mp.page.evaluate("getComputedStyle(document.querySelector('.geo-cluster-ring')).backgroundImage")
    assert ring.startswith("conic-gradient")  # the mix of types around the count
    assert mp.errors == []


def test_type_toggles_filter_the_map_the_list_and_the_timeline(mp: Page) -> None:
    total = mp.page.evaluate("Array.from(geoMap.chartData.counts).reduce((a, b) => a + b, 0)")
    mp.page.locator(".leaflet-control-layers-overlays label", has_text="strike").locator("input").uncheck()
    st = mp.state()
    assert "strike" not in st["types"] and st["visible"] == FACTS - 4
    assert mp.page.evaluate("Array.from(geoMap.chartData.counts).reduce((a, b) => a + b, 0)") == total - 4
    assert mp.page.locator("li.geo-item:has-text('strike')").count() == 0
    assert mp.page.locator(".geo-tc").first.inner_text() == "(4)"  # strike keeps its total while off


def test_heat_map_and_choropleth_layers(mp: Page) -> None:
    overlays = mp.page.locator(".leaflet-control-layers-overlays label")
    mp.page.evaluate("void geoMap.map.setZoom(12, {animate: false})")
    assert overlays.filter(has_text="Heat map").locator("input").is_enabled()  # at every zoom
    mp.page.evaluate("void geoMap.map.setZoom(6, {animate: false})")
    overlays.filter(has_text="Heat map").locator("input").check()
    overlays.filter(has_text="choropleth").locator("input").check()
    assert mp.page.locator("canvas.leaflet-heatmap-layer").count() == 1
    assert mp.page.locator("path.geo-choro").count() > 30
    assert "Events per admin-1 area" in mp.page.inner_text(".geo-legend")
    mp.page.click(".geo-legend-h")  # the legend folds away
    assert "Events per admin-1 area" not in mp.page.inner_text(".geo-legend")
    assert mp.errors == []


def test_screenshot(mp: Page, tmp_path: Path) -> None:
    """A picture of the page with a popup open; set GEO_MAP_SCREENSHOT=FILE.png to keep it and look."""
    import os

    mp.page.click("li.geo-item:has-text('missile strike')")
    mp.page.wait_for_timeout(600)  # the popup's fade-in
    out = Path(os.environ.get("GEO_MAP_SCREENSHOT") or tmp_path / "map.png")
    mp.page.screenshot(path=str(out))
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a drawn page, not a blank one


def test_xss_payloads_run_nothing(browser, tmp_path: Path) -> None:
    html = render_db_map(make_db(tmp_path / "xss.duckdb", xss_articles_and_events()), tmp_path / "xss.html")
    mp = _open(browser, html)
    try:
        scripts = mp.page.locator("script").count()
        for item in mp.page.locator("li.geo-item").all():  # open every popup and card from the side list
            item.click()
            mp.page.wait_for_timeout(50)
        mp.page.evaluate("void geoMap.map.closePopup()")
        mp.page.hover("path.geo-event")  # tooltips
        assert XSS["place"] in mp.page.inner_text(".geo-list")  # shown as text
        assert mp.page.evaluate("window.__xss") is None and mp.dialogs == []
        assert mp.page.locator("script").count() == scripts
        assert mp.page.locator("img, svg[onload], b[onmouseover]").count() == 0
        assert mp.page.locator("a[href^='javascript' i]").count() == 0
        assert mp.requests == [] and mp.errors == []
    finally:
        mp.page.context.close()


def test_compressed_payload_opens_too(browser, map_file: Path, tmp_path: Path) -> None:
    from geo.render.maps import build_map, save
    from geo.render.query import map_events

    feats, arts = map_events(map_file.parent / "events.duckdb")
    html = save(build_map(feats, articles=arts, compress_above=0), tmp_path / "gz.html")
    assert 'data-encoding="gzip-base64"' in html.read_text("utf-8")
    mp = _open(browser, html)
    try:
        assert mp.state()["visible"] == FACTS and mp.errors == [] and mp.requests == []
    finally:
        mp.page.context.close()
