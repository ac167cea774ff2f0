"""Self-contained HTML maps of events: one file that works with no network at all.

Folium builds the page (so notebook users get a `folium.Map` they can extend and display), but its
defaults point at CDNs (Leaflet, jQuery, Bootstrap, Font Awesome) and at a tile server, none of
which exist offline. So:

* every script and style is inlined from files vendored under geo/assets (Leaflet 1.9.4,
  supercluster 9.1.0 for clustering, Leaflet.heat 0.2.0, and the map application geomap.js), each
  with its licence; folium's default assets are dropped and no tiles are drawn: Natural Earth country
  outlines and the admin-1 areas of the countries with events are the base layer;
* the events travel as one compact JSON payload (geo.render.mapdata) that geomap.js turns into the
  time control, clusters, areas, popups, side list, timeline, heat map and choropleth. Text from
  articles reaches the page only as JSON data and is put into the document with textContent, so an
  article containing markup runs nothing.

Why supercluster rather than Leaflet.markercluster: clustering 100,000 markers with markercluster
took 8.8 s in headless Chromium here, supercluster 0.7 s; the spiderfy of markercluster (events at
one place fanned out on click) is reimplemented in geomap.js.

Only factual events (claim_status reported, claimed, disputed) are drawn; anticipated and cancelled
ones are counted in the legend, never placed on the map as incidents (DESIGN.md, "claim_status").
"""
from __future__ import annotations

import functools
import html
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.render.mapdata import COMPRESS_ABOVE, SIZE_BUDGET, TYPE_COLORS, build_payload, embed_within_budget

if TYPE_CHECKING:
    from geo.export import EventFilter

__all__ = ["TYPE_COLORS", "EVENT_CLASS", "AREA_CLASS", "CLUSTER_CLASS", "build_map", "render_map",
           "map_from_db", "render_db_map"]

EVENT_CLASS = "geo-event"      # className of event markers: tests and styles tell them from outlines
AREA_CLASS = "geo-area"        # an admin-1 area or country standing for area-level events
CLUSTER_CLASS = "geo-cluster"  # a cluster's icon
COUNTRY_CLASS = "geo-country"
ADMIN1_CLASS = "geo-admin1"
MAX_ZOOM = 14                  # the outlines are ~1-2 km generalised: zooming further shows nothing new
DEFAULT_VIEW = ([30.0, 15.0], 2)

# (asset file under geo/assets, element, comment naming its licence); inlined in this order.
ASSETS: tuple[tuple[str, str, str], ...] = (
    ("leaflet/leaflet.css", "style", "Leaflet 1.9.4, BSD-2-Clause (geo/assets/leaflet/LICENSE)"),
    ("geomap/geomap.css", "style", "geo-events map styles"),
    ("leaflet/leaflet.js", "script", "Leaflet 1.9.4, BSD-2-Clause (geo/assets/leaflet/LICENSE)"),
    ("supercluster/supercluster.min.js", "script",
     "supercluster 9.1.0 (c) Mapbox, with kdbush 4.1.0 (c) Vladimir Agafonkin, ISC (geo/assets/supercluster)"),
    ("leaflet-heat/leaflet-heat.js", "script",
     "Leaflet.heat 0.2.0 with simpleheat, (c) Vladimir Agafonkin, BSD-2-Clause (geo/assets/leaflet-heat)"),
    ("geomap/geomap.js", "script", "geo-events map application"),
    ("geomap/geomap-time.js", "script", "geo-events map application: time control and timeline"),
    ("geomap/geomap-panel.js", "script", "geo-events map application: side list and popups"),
)


class _OfflineMap(folium.Map):
    """folium.Map without its CDN <script>/<link> tags (every asset is inlined by `_page`)."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []


class _Raw(Element):
    """Literal text in the page: vendored sources and the payload must not go through Jinja."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _EventApp(MacroElement):
    """Starts geomap.js on the map once Leaflet has created it, with the payload element's id."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            GeoMap.start({{ this._parent.get_name() }}, document.getElementById({{ this.data_id|tojson }}),
                         {{ this.options|tojson }});
        {% endmacro %}
    """)

    def __init__(self, data_id: str, **options: Any) -> None:
        super().__init__()
        self._name = "EventApp"
        self.data_id = data_id
        self.options = options


@functools.lru_cache(maxsize=None)
def _asset(path: str) -> str:
    return resources.files("geo").joinpath("assets", *path.split("/")).read_text("utf-8")


def _inline(path: str, tag: str, note: str) -> str:
    text = _asset(path)
    if tag == "script":  # a vendored file never contains "</script", but be sure
        text = text.replace("</script", "<\\/script")
    return f"<{tag}>/* {note} */\n{text}</{tag}>"


def build_map(features: Iterable[Mapping[str, Any]], title: str = "Conflict events",
              articles: Mapping[str, Mapping[str, Any]] | None = None, filters: Iterable[str] = (),
              compress_above: int = COMPRESS_ABOVE, budget: int = SIZE_BUDGET) -> folium.Map:
    """A `folium.Map` of GeoJSON event Features (as `geo export` writes them), inside its own Figure
    with every asset inlined. `articles` (article id -> title, source, url, published) gives the
    popups their source titles and links; `filters` are lines saying how the events were chosen;
    `compress_above` and `budget` (bytes) are when the data is gzipped and when its evidence is cut."""
    payload = build_payload(features, articles=articles, title=title, filters=filters)
    text, encoding = embed_within_budget(payload, compress_above, budget)
    fig = Figure(title=html.escape(title))
    for i, (path, tag, note) in enumerate(ASSETS):
        fig.header.add_child(_Raw(_inline(path, tag, note)), name=f"geo_asset_{i}")
    loc, zoom = DEFAULT_VIEW
    fmap = _OfflineMap(location=loc, zoom_start=zoom, tiles=None, control_scale=True, world_copy_jump=False)
    fig.add_child(fmap)
    data_id = f"geo_data_{fmap.get_name()}"
    fig.html.add_child(_Raw(f'<script type="application/json" id="{data_id}" data-encoding="{encoding}">'
                            f"{text}</script>"), name="geo_data")
    _EventApp(data_id, minZoom=2, maxZoom=MAX_ZOOM).add_to(fmap)  # folium passes zoom limits to tiles only
    fmap.geo_payload = payload  # what was drawn and left out, for callers and tests
    return fmap


def render_map(features: Iterable[Mapping[str, Any]], out: Path, title: str = "Conflict events",
               articles: Mapping[str, Mapping[str, Any]] | None = None, filters: Iterable[str] = (),
               compress_above: int = COMPRESS_ABOVE, budget: int = SIZE_BUDGET) -> Path:
    """Write one offline HTML map of GeoJSON event Features to `out` (UTF-8) and return the path."""
    fmap = build_map(features, title=title, articles=articles, filters=filters, compress_above=compress_above,
                     budget=budget)
    return save(fmap, out)


def save(fmap: folium.Map, out: Path) -> Path:
    """Write the page of a map made by `build_map` (its whole Figure) to `out`."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(fmap.get_root().render(), encoding="utf-8")
    return out


def map_from_db(db: Path, flt: EventFilter | None = None, title: str = "Conflict events") -> folium.Map:
    """The map of the stored events of `db` that match `flt` (every fact when None), with each
    event's source titles and links read from the articles table."""
    from geo.render.query import describe_filter, map_events

    features, articles = map_events(Path(db), flt)
    return build_map(features, title=title, articles=articles, filters=describe_filter(flt))


def render_db_map(db: Path, out: Path, flt: EventFilter | None = None, title: str = "Conflict events") -> Path:
    """Write the map of the stored events of `db` (see `map_from_db`) to `out`."""
    return save(map_from_db(db, flt, title=title), out)
