"""Self-contained HTML maps of events: one file that works with no network at all.

Folium builds the map, but its defaults point at CDNs (Leaflet, jQuery, Bootstrap, Font Awesome) and
at a tile server; none of that exists offline. So this module:

* inlines Leaflet 1.9.4's JS and CSS (geo/assets/leaflet, BSD-2) and drops every other default asset;
* draws no tiles, only a light layer of Natural Earth 1:110m country outlines (data/boundaries);
* uses only vector things that need no images or fonts: a CircleMarker per event, popups and tooltips
  bound with JSON-encoded strings (folium's Popup needs jQuery), a legend built as a Leaflet control.

Only factual events (claim_status reported, claimed, disputed) are drawn; anticipated and cancelled ones
are counted in the legend, never placed on the map as incidents (DESIGN.md, "claim_status").
"""
from __future__ import annotations

import functools
import html
import json
import math
import warnings
from collections import Counter
from importlib import resources
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.template import Template

from geo.models import EVENT_TYPES, FACTUAL_CLAIMS

TYPE_COLORS: dict[str, str] = {
    "strike": "#d62728", "capture": "#7b3294", "clash": "#ff7f0e", "interception": "#1f77b4",
    "outage": "#8c6d31", "talks": "#2ca02c", "exchange": "#17becf", "protest": "#e377c2",
    "other": "#7f7f7f",
}
EVENT_CLASS = "geo-event"      # className of event markers: tests and styles tell them from outlines
COUNTRY_CLASS = "geo-country"
ADMIN1_CLASS = "geo-admin1"
DEFAULT_VIEW = ([30.0, 15.0], 2)  # world view when there is nothing to fit
UNCERTAIN_CLAIMS = frozenset({"claimed", "disputed"})


class _OfflineMap(folium.Map):
    """folium.Map without its CDN <script>/<link> tags (Leaflet is inlined by `_inline_leaflet`)."""

    default_js: list[tuple[str, str]] = []
    default_css: list[tuple[str, str]] = []


class _Raw(Element):
    """Literal text in the page: Leaflet's source must not go through Jinja."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _Bind(MacroElement):
    """Bind a popup and a tooltip to the parent layer from JSON strings.

    folium.Popup builds its content with jQuery, and folium.Tooltip pastes text into a JS template
    literal unescaped; JSON (with <, >, & escaped by `tojson`) is safe inside <script> and needs nothing.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.popup|tojson }}, {maxWidth: 360})
                .bindTooltip({{ this.tooltip|tojson }}, {sticky: true});
        {% endmacro %}
    """)

    def __init__(self, popup: str, tooltip: str) -> None:
        super().__init__()
        self._name = "Bind"
        self.popup, self.tooltip = popup, tooltip


class _Legend(MacroElement):
    """The legend as a Leaflet control, so it sits inside the map and needs no extra CSS framework."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.control({position: "bottomright"});
            {{ this.get_name() }}.onAdd = function () {
                var div = L.DomUtil.create("div", "geo-legend");
                div.innerHTML = {{ this.body|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, body: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.body = body


PAGE_CSS = f"""
.leaflet-container {{ background: #dfeaf3; }}
.geo-legend {{ background: rgba(255,255,255,.93); padding: 8px 10px; border-radius: 5px;
  box-shadow: 0 1px 4px rgba(0,0,0,.35); font: 12px/1.45 system-ui, sans-serif; color: #222;
  max-width: 260px; }}
.geo-legend h4 {{ margin: 0 0 4px; font-size: 13px; }}
.geo-legend .sw {{ display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  margin-right: 6px; vertical-align: -1px; border: 1px solid rgba(0,0,0,.4); }}
.geo-legend .dash {{ border: 2px dashed #444; background: none; width: 9px; height: 9px; }}
.geo-legend .note {{ color: #555; margin-top: 4px; }}
.geo-popup {{ font: 12px/1.4 system-ui, sans-serif; }}
.geo-popup .ev {{ max-height: 9em; overflow: auto; border-left: 3px solid #ccc; padding-left: 6px;
  margin: 4px 0; color: #333; }}
path.{COUNTRY_CLASS} {{ cursor: default; }}
"""


def render_map(features: list[dict], out: Path, title: str = "Conflict events") -> Path:
    """Write one offline HTML map of GeoJSON event Features to `out` (UTF-8) and return the path.

    Each factual event becomes a circle coloured by type and sized by fatalities (or quantity); one
    layer per event type lets a reader toggle kinds of events; anticipated/cancelled events are only
    counted in the legend because they did not (yet) happen.
    """
    out = Path(out)
    drawn, not_fact, unlocated = _partition(features)
    fmap = _base_map(title)
    _add_outlines(fmap)
    _add_admin1_outlines(fmap, {(f.get("properties") or {}).get("country") for f in drawn} - {None})
    counts = _add_event_layers(fmap, drawn)
    if counts:
        folium.LayerControl(collapsed=False).add_to(fmap)
    _fit(fmap, drawn)
    _Legend(_legend_html(title, counts, not_fact, unlocated)).add_to(fmap)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(fmap.get_root().render(), encoding="utf-8")
    return out


def render_db_map(db: Path, out: Path) -> Path:
    """Map every stored event of the DuckDB file `db`: the same GeoJSON that `geo export` writes.

    Non-facts are asked for too (facts_only=False) so the legend can say how many were left off;
    `render_map` is what keeps them off the map.
    """
    from geo.export import EventFilter, events_geojson  # lazy: the store is only needed here

    try:
        flt = EventFilter(facts_only=False)
    except TypeError:  # a filter without that option: facts only, nothing to count
        flt = EventFilter()
    fc = events_geojson(Path(db), flt)
    return render_map(fc.get("features", []), out)


# ---------------------------------------------------------------- data

def _partition(features: list[dict]) -> tuple[list[dict], int, int]:
    """Split into drawable facts, the count of non-facts and the count of facts without a point."""
    drawn, not_fact, unlocated = [], 0, 0
    for f in features:
        props = f.get("properties") or {}
        if (props.get("claim_status") or "reported") not in FACTUAL_CLAIMS:
            not_fact += 1
        elif _latlon(f) is None:
            unlocated += 1
        else:
            drawn.append(f)
    return drawn, not_fact, unlocated


def _latlon(feature: dict) -> tuple[float, float] | None:
    """[lat, lon] for Leaflet from a GeoJSON Point ([lon, lat]); None if missing or not finite."""
    geom = feature.get("geometry") or {}
    coords = geom.get("coordinates") if geom.get("type") == "Point" else None
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except (TypeError, ValueError, IndexError):
        return None
    return (lat, lon) if math.isfinite(lat) and math.isfinite(lon) else None


def _etype(props: dict) -> str:
    """The event type, folding unknown words into "other" so every marker gets a colour and a layer."""
    t = props.get("type")
    return t if t in TYPE_COLORS else "other"


def _radius(props: dict) -> float:
    """Circle radius in pixels: log-scaled so 1 and 100 fatalities are both readable; 6 to 20."""
    n = props.get("fatalities") or props.get("quantity") or 0
    try:
        n = max(0.0, float(n))
    except (TypeError, ValueError):
        n = 0.0
    return round(min(20.0, 6.0 + 2.5 * math.log2(1.0 + n)), 1)


# ---------------------------------------------------------------- map pieces

@functools.lru_cache(maxsize=1)
def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS text, read once from the package's assets."""
    base = resources.files("geo").joinpath("assets", "leaflet")
    return base.joinpath("leaflet.js").read_text("utf-8"), base.joinpath("leaflet.css").read_text("utf-8")


@functools.lru_cache(maxsize=1)
def _countries() -> dict | None:
    """Natural Earth country outlines (GeoJSON); None, with a warning, if the data file is missing."""
    try:
        text = resources.files("geo_data").joinpath("boundaries", "countries-110m.geojson").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        warnings.warn(f"country outlines not found ({exc}); the map will have no base layer", stacklevel=2)
        return None
    return json.loads(text)


def _base_map(title: str) -> folium.Map:
    """An empty map in its own Figure with Leaflet and the page CSS inlined in <head>."""
    fig = Figure(title=html.escape(title))
    js, css = _leaflet_assets()
    fig.header.add_child(_Raw(f"<style>{css}</style>"), name="leaflet_css")
    fig.header.add_child(_Raw(f"<script>{js}</script>"), name="leaflet_js")
    fig.header.add_child(_Raw(f"<style>{PAGE_CSS}</style>"), name="geo_css")
    loc, zoom = DEFAULT_VIEW
    fmap = _OfflineMap(location=loc, zoom_start=zoom, tiles=None, control_scale=True, min_zoom=2)
    fig.add_child(fmap)
    return fmap


def _add_outlines(fmap: folium.Map) -> None:
    """Light country polygons with name tooltips: the only base layer that works offline."""
    data = _countries()
    if not data:
        return
    folium.GeoJson(
        data, name="Countries", control=False, smooth_factor=0.5,
        style_function=lambda _: {"color": "#8a8a8a", "weight": 0.7, "fillColor": "#f6f3ec",
                                  "fillOpacity": 1.0, "className": COUNTRY_CLASS},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False, sticky=True),
    ).add_to(fmap)


def _add_admin1_outlines(fmap: folium.Map, countries: set[str]) -> None:
    """First-level areas (Natural Earth, via gazetteer.boundaries) of the countries that have events,
    simplified to ~2 km, with their names: where an analyst reads "which oblast"."""
    data = _admin1_features(tuple(sorted(countries)))
    if not data["features"]:
        return
    folium.GeoJson(
        data, name="Admin-1 areas", control=False, smooth_factor=1.0,
        style_function=lambda _: {"color": "#b0a89a", "weight": 0.5, "fill": False, "dashArray": "2 3",
                                  "className": ADMIN1_CLASS},
        tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False, sticky=True),
    ).add_to(fmap)


@functools.lru_cache(maxsize=8)
def _admin1_features(countries: tuple[str, ...]) -> dict:
    try:
        import shapely

        from gazetteer import Gazetteer
        from gazetteer.boundaries import admin1_polygons
    except ImportError:
        return {"type": "FeatureCollection", "features": []}
    feats = []
    gaz = Gazetteer.default()
    for code, geom in admin1_polygons(countries):
        place = gaz.admin1_place(code)
        feats.append({"type": "Feature", "properties": {"name": place.name if place else code, "admin1": code},
                      "geometry": json.loads(shapely.to_geojson(shapely.set_precision(geom.simplify(0.02), 0.001)))})
    return {"type": "FeatureCollection", "features": feats}


def _add_event_layers(fmap: folium.Map, drawn: list[dict]) -> Counter:
    """One FeatureGroup per event type (in EVENT_TYPES order); returns the markers drawn per type."""
    counts = Counter(_etype(f.get("properties") or {}) for f in drawn)
    groups = {t: folium.FeatureGroup(name=f"{t} ({counts[t]})").add_to(fmap)
              for t in EVENT_TYPES if counts[t]}
    # Big circles first so small ones stay clickable on top of them.
    for f in sorted(drawn, key=lambda f: -_radius(f.get("properties") or {})):
        props = f.get("properties") or {}
        _marker(f, props).add_to(groups[_etype(props)])
    return counts


def _marker(feature: dict, props: dict) -> folium.CircleMarker:
    """The circle of one event; claimed and disputed events get a dashed outline (not confirmed)."""
    color = TYPE_COLORS[_etype(props)]
    dashed = props.get("claim_status") in UNCERTAIN_CLAIMS
    marker = folium.CircleMarker(
        location=list(_latlon(feature)), radius=_radius(props), color="#222",
        weight=2 if dashed else 1, dash_array="4 3" if dashed else None, fill=True, fill_color=color,
        fill_opacity=0.75, class_name=EVENT_CLASS,
    )
    _Bind(_popup_html(props), _tooltip_text(props)).add_to(marker)
    return marker


def _fit(fmap: folium.Map, drawn: list[dict]) -> None:
    """Zoom to the drawn events (not beyond zoom 9, so a single event keeps its surroundings)."""
    pts = [_latlon(f) for f in drawn]
    if not pts:
        return
    lats, lons = [p[0] for p in pts], [p[1] for p in pts]
    fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], padding=(30, 30), max_zoom=9)


# ---------------------------------------------------------------- text

def _e(value: Any) -> str:
    """HTML-escaped text of a property value (article text reaches the page only through this)."""
    return html.escape(str(value), quote=True)


def _tooltip_text(props: dict) -> str:
    """One line: what, where, when (HTML-escaped)."""
    what = props.get("subtype") or _etype(props)
    bits = [what, props.get("place"), props.get("date")]
    return _e(" · ".join(str(b) for b in bits if b))


def _counts_text(props: dict) -> str:
    """Non-empty counts as "12 killed, 40 injured, 111 drones ..."."""
    labels = (("fatalities", "killed"), ("injured", "injured"), ("missing", "missing"),
              ("affected", "affected"), ("quantity", props.get("weapon") or "launched/used"))
    return ", ".join(f"{props[k]} {lab}" for k, lab in labels if props.get(k) not in (None, "", 0))


def _popup_html(props: dict) -> str:
    """The popup: type, date, place, actor/target, counts, claim, evidence and article ids, all escaped."""
    claim = props.get("claim_status") or "reported"
    if props.get("claimed_by"):
        claim = f"{claim} by {props['claimed_by']}"
    arts = props.get("articles") or []
    arts = arts if isinstance(arts, list) else [arts]
    rows = [("Date", props.get("date")), ("Place", _place_text(props)), ("Actor", props.get("actor")),
            ("Target", props.get("target")), ("Weapon", props.get("weapon")),
            ("Counts", _counts_text(props)), ("Claim", claim),
            ("Articles", ", ".join(str(a) for a in arts))]
    head = " / ".join(_e(x) for x in (_etype(props), props.get("subtype")) if x)
    body = "".join(f"<b>{k}:</b> {_e(v)}<br>" for k, v in rows if v)
    ev = props.get("evidence")
    ev_html = f'<div class="ev">{_e(ev)}</div>' if ev else ""
    return f'<div class="geo-popup"><b style="font-size:13px">{head}</b><br>{body}{ev_html}</div>'


def _place_text(props: dict) -> str:
    """Place name with country and how precisely it is located."""
    place = props.get("place") or ""
    extra = ", ".join(str(x) for x in (props.get("country"), props.get("precision")) if x)
    return f"{place} ({extra})" if place and extra else place or extra


def _legend_html(title: str, counts: Counter, not_fact: int, unlocated: int) -> str:
    """Legend body: colour per drawn type with counts, what dashes and sizes mean, what was left off."""
    rows = [f'<span class="sw" style="background:{TYPE_COLORS[t]}"></span>{_e(t)} ({counts[t]})<br>'
            for t in EVENT_TYPES if counts[t]]
    if not rows:
        rows = ["<i>no events to draw</i><br>"]
    notes = ['<span class="sw dash"></span>dashed outline: claimed or disputed<br>',
             "circle size: fatalities (else quantity)"]
    if not_fact:
        notes.append(f"<br>{not_fact} planned/cancelled not drawn")
    if unlocated:
        notes.append(f"<br>{unlocated} without coordinates not drawn")
    return (f"<h4>{_e(title)}</h4>{''.join(rows)}<div class=\"note\">{''.join(notes)}<br>"
            "Boundaries: Natural Earth (public domain)</div>")
