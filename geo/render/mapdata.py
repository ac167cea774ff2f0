"""The data an HTML map carries: events as compact rows, their sources, and the shapes they need.

`build_payload` turns GeoJSON event Features (as `geo export` writes them) and the articles that
report them into one JSON document that geo/assets/geomap/geomap.js draws. It is compact so that
100,000 events fit in a file under 20 MB: events column by column (``ev``: one list per field);
repeated strings (kinds of place, subtypes, actors, weapons, place names) stored once in ``strings``
and referred to by number; dates as day numbers; each article stored once in ``articles`` and
referred to by index. Past `COMPRESS_ABOVE` bytes the JSON is gzipped and base64-encoded in the page
(the browser inflates it with its built-in DecompressionStream); past `SIZE_BUDGET` bytes even so,
evidence passages are shortened (`EVIDENCE_CAPS`) until it fits, and the page says so.

Precision decides how an event is drawn (`geo_level`): 1, a dot at the place; 2, a ring ("near"
the place, or somewhere in a district); 3, the shaded area of the admin-1 unit or country it is
known at (`area_key`) or, where no shape exists, an entry in the side list only. Only facts
(reported, claimed, disputed) are carried; anticipated and cancelled events are only counted.
"""
from __future__ import annotations

import base64
import datetime as dt
import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping
from urllib.parse import urlsplit

from geo.models import EVENT_TYPES, FACTUAL_CLAIMS
from geo.render import areas

PAYLOAD_VERSION = 1
COMPRESS_ABOVE = 1_500_000   # bytes of JSON past which the page carries it gzipped
SIZE_BUDGET = 19_000_000     # bytes of embedded data past which evidence is shortened (the file limit is 20 MB)
EVIDENCE_MAX = 600           # characters of evidence kept per event (popups show a passage, not an article)
EVIDENCE_CAPS = (320, 200, 120, 0)  # successive shorter caps while the data is over SIZE_BUDGET

TYPE_COLORS: dict[str, str] = {
    "strike": "#d62728", "capture": "#7b3294", "clash": "#ff7f0e", "interception": "#1f77b4",
    "outage": "#8c6d31", "talks": "#2ca02c", "exchange": "#17becf", "protest": "#e377c2",
    "other": "#7f7f7f",
}
CLAIMS: tuple[str, ...] = ("reported", "claimed", "disputed")  # the factual statuses, drawn

# ACLED's geo_precision of each kind of place, for rows that carry only `precision`.
LEVEL_OF_PRECISION: dict[str, int] = {"locality": 1, "landmark": 1, "near": 2, "admin2": 2, "water": 2,
                                      "region": 2, "admin1": 3, "country": 3}
AREA_PRECISIONS = frozenset({"admin1", "country"})  # units with a shape to shade

# Event columns holding indices into `strings` (the others: type, day, lat, lon, level, area, claim,
# location (also a string index), counts, sources, evidence, event_id).
STRING_COLUMNS: tuple[str, ...] = ("subtype", "place", "precision", "date_precision", "country", "admin1",
                                   "admin1_name", "weapon", "actor", "actor2", "target", "claimed_by")
COUNT_FIELDS: tuple[str, ...] = ("fatalities", "injured", "missing", "affected", "quantity")
_EPOCH = dt.date(1970, 1, 1)


def event_type(props: Mapping[str, Any]) -> str:
    """The event type, folding unknown words into "other" so every event gets a colour and a layer."""
    t = props.get("type")
    return t if t in TYPE_COLORS else "other"


def geo_level(props: Mapping[str, Any], has_point: bool = True) -> int:
    """How precisely an event is located, as ACLED's geo_precision: 1 the place, 2 near it or part of
    a region, 3 an admin-1 area or a country.

    A stored place that is itself an admin-1 area or a country is level 3 whatever `geo_precision`
    says (its coordinates are the unit's centre, which must not be drawn as a town). Otherwise the
    event's `geo_precision` is used, and for older rows without one it is derived from `precision`.
    """
    precision = props.get("precision")
    if precision in AREA_PRECISIONS:
        return 3
    given = props.get("geo_precision")
    try:
        given = int(given) if given is not None else None
    except (TypeError, ValueError):
        given = None
    if given in (1, 2, 3):
        return given
    return LEVEL_OF_PRECISION.get(precision or "", 1 if has_point else 3)


def area_key(props: Mapping[str, Any]) -> str | None:
    """The unit whose shape stands for a level-3 event: ``A:<admin1 code>`` for an admin-1 area,
    ``C:<ISO alpha-2>`` for a country, None when the event names neither (then it is listed only)."""
    precision = props.get("precision")
    if precision == "admin1" and props.get("admin1"):
        return f"A:{props['admin1']}"
    if props.get("country") and (precision == "country" or precision is None or
                                 (precision not in LEVEL_OF_PRECISION and not props.get("admin1"))):
        return f"C:{str(props['country']).upper()}"
    return None


def safe_url(url: Any) -> str | None:
    """`url` if it is an absolute http(s) URL; None for anything else (javascript:, data:, relative
    paths, text with spaces or control characters), so a page never links to script."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or re.search(r"[\s\x00-\x1f\x7f]", url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def point_of(feature: Mapping[str, Any]) -> tuple[float, float] | None:
    """(lat, lon) from a GeoJSON Point ([lon, lat]); None if missing, not finite or out of range."""
    geom = feature.get("geometry") or {}
    coords = geom.get("coordinates") if geom.get("type") == "Point" else None
    try:
        lon, lat = float(coords[0]), float(coords[1])
    except (TypeError, ValueError, IndexError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _day(value: Any) -> int | None:
    if not value:
        return None
    try:
        return (dt.date.fromisoformat(str(value)[:10]) - _EPOCH).days
    except ValueError:
        return None


def _count(value: Any) -> int:
    try:
        n = float(value)
    except (TypeError, ValueError):
        return 0
    return int(n) if math.isfinite(n) and n > 0 else 0


class _Strings:
    """A table of distinct strings; index 0 is the empty string (no value)."""

    def __init__(self) -> None:
        self.items: list[str] = [""]
        self.index: dict[str, int] = {"": 0}

    def __call__(self, value: Any) -> int:
        if value is None or value == "":
            return 0
        s = str(value)
        i = self.index.get(s)
        if i is None:
            i = self.index[s] = len(self.items)
            self.items.append(s)
        return i


def shorten(text: str, cap: int | None) -> str:
    """`text` cut to at most `cap` characters at a word boundary, with an ellipsis (None: uncut)."""
    if cap is None or len(text) <= cap:
        return text
    if cap <= 1:
        return ""
    cut = text[:cap - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[cap // 2:] else cut).rstrip() + "…"


@dataclass
class Payload:
    """The map's data (`data`, JSON-ready) and what the page says about what it left out."""

    data: dict[str, Any]
    evidence: list[str] = field(default_factory=list)  # the evidence passages before any shortening
    drawn: Counter = field(default_factory=Counter)  # facts carried, per type
    not_fact: int = 0
    at_places: int = 0
    as_areas: int = 0
    listed_only: int = 0

    def describe(self) -> str:
        """One line for the command line: what the map shows and what it leaves out."""
        text = (f"{sum(self.drawn.values())} events ({self.at_places} at places, {self.as_areas} as areas, "
                f"{self.listed_only} listed only)")
        if self.data.get("evidenceCap") is not None:
            text += f"; evidence shortened to {self.data['evidenceCap']} characters to fit the size budget"
        return text + (f"; {self.not_fact} planned/cancelled not drawn" if self.not_fact else "")

    def shorten_evidence(self, cap: int | None) -> None:
        """Keep at most `cap` characters of each evidence passage (the full text stays in the database)."""
        self.data["ev"]["evidence"] = [shorten(t, cap) for t in self.evidence]
        self.data["evidenceCap"] = cap

    def to_json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def split_facts(features: Iterable[Mapping[str, Any]]) -> tuple[list[tuple[Mapping, Mapping]], int]:
    """((feature, properties) of each fact, the number of non-facts): only reported, claimed and
    disputed events are drawn; anticipated and cancelled ones are only counted."""
    facts, not_fact = [], 0
    for f in features:
        props = f.get("properties") or {}
        if (props.get("claim_status") or "reported") in FACTUAL_CLAIMS:
            facts.append((f, props))
        else:
            not_fact += 1
    return facts, not_fact


def build_payload(features: Iterable[Mapping[str, Any]], articles: Mapping[str, Mapping[str, Any]] | None = None,
                  title: str = "Conflict events", filters: Iterable[str] = ()) -> Payload:
    """The map payload of GeoJSON event Features, newest first; `articles` maps article id ->
    {title, source, url, published} for the popups' source lists (without it, sources show their
    ids and publishers). Events are stored column by column (``ev``: column name -> list), which
    compresses about 15 % better than rows and decodes into typed arrays in the browser."""
    facts, not_fact = split_facts(features)
    facts.sort(key=lambda fp: (fp[1].get("date") or "", str(fp[1].get("event_id") or "")), reverse=True)
    admin1 = areas.admin1_areas(tuple(sorted({str(p["country"]).upper() for _, p in facts if p.get("country")})))
    shapes = {f"A:{g['properties']['admin1']}": g for g in admin1["features"]}
    shapes.update({f"C:{g['properties']['cc']}": g for g in areas.countries()["features"] if g["properties"]["cc"]})
    placed = _placement(facts, shapes)
    props_list = [p for _, p in facts]
    strings = _Strings()
    cols: dict[str, list[Any]] = {
        "type": [EVENT_TYPES.index(event_type(p)) for p in props_list],
        "day": [_day(p.get("date")) for p in props_list],
        "lat": [round(pt[0], 5) if pt else None for pt, _, _ in placed],
        "lon": [round(pt[1], 5) if pt else None for pt, _, _ in placed],
        "level": [level for _, level, _ in placed],
        "area": [area for _, _, area in placed],
        "claim": [CLAIMS.index(c) if (c := p.get("claim_status") or "reported") in CLAIMS else 0 for p in props_list],
        "location": [strings(loc if (loc := p.get("location")) and loc != p.get("place") else None) for p in props_list],
        "counts": [c if any(c := [_count(p.get(k)) for k in COUNT_FIELDS]) else 0 for p in props_list],
        "event_id": [str(p.get("event_id") or "") for p in props_list],
    }
    for col in STRING_COLUMNS:
        cols[col] = [strings(p.get(col)) for p in props_list]
    articles_table = _ArticleTable(articles)
    cols["sources"] = [articles_table.refs(p) for p in props_list]
    evidence = [shorten(str(p.get("evidence") or ""), EVIDENCE_MAX) for p in props_list]
    cols["evidence"] = evidence
    units = placed.units
    data = {
        "v": PAYLOAD_VERSION, "title": title, "strings": strings.items,
        "types": list(EVENT_TYPES), "colors": [TYPE_COLORS[t] for t in EVENT_TYPES], "claims": list(CLAIMS),
        "ev": cols, "articles": articles_table.columns, "areas": [_unit_row(k, shapes[k]) for k in units],
        "countries": areas.countries(), "admin1": admin1,
        "notDrawn": not_fact, "filters": [str(x) for x in filters], "evidenceCap": None,
    }
    kinds = Counter("area" if area >= 0 else "point" if pt is not None else "list" for pt, _, area in placed)
    return Payload(data=data, evidence=evidence,
                   drawn=Counter(event_type(p) for p in props_list), not_fact=not_fact, at_places=kinds["point"],
                   as_areas=kinds["area"], listed_only=kinds["list"])


class _Placement(list):
    """(point or None, level, area index or -1) per event, and the area units in index order."""

    units: list[str]


def _placement(facts: list[tuple[Mapping, Mapping]], shapes: Mapping[str, Any]) -> _Placement:
    """Where each event is drawn: its point (levels 1 and 2), or the index of the area unit that
    stands for it (level 3 with a shape), or neither (listed only). A level-3 event never keeps its
    unit's centre as a point."""
    out, units = _Placement(), {}
    for f, props in facts:
        pt = point_of(f)
        level = geo_level(props, pt is not None)
        area = -1
        if level == 3:
            key = area_key(props)
            if key in shapes:
                area = units.setdefault(key, len(units))
            pt = None
        out.append((pt, level, area))
    out.units = list(units)
    return out


def _unit_row(key: str, shape: Mapping[str, Any]) -> list[Any]:
    """[key, kind, name, anchor lat, anchor lon] of an area that stands for events."""
    lat_lon = areas.anchor(shape["geometry"]) or (None, None)
    kind = "admin1" if key.startswith("A:") else "country"
    return [key, kind, shape["properties"].get("name") or key[2:], *lat_lon]


class _ArticleTable:
    """Each article reporting a drawn event, stored once, column by column (id, title, outlet, url,
    published); events refer to it by index. URLs that are not absolute http(s) are dropped."""

    def __init__(self, articles: Mapping[str, Mapping[str, Any]] | None) -> None:
        self.articles = articles
        self.index: dict[str, int] = {}
        self.columns: dict[str, list[str]] = {"id": [], "title": [], "outlet": [], "url": [], "published": []}

    def refs(self, props: Mapping[str, Any]) -> list[int]:
        ids = props.get("articles") or []
        ids = ids if isinstance(ids, list) else [ids]
        out = []
        for k, aid in enumerate(map(str, ids)):
            i = self.index.get(aid)
            if i is None:
                i = self.index[aid] = self._add(aid, k, props)
            out.append(i)
        return out

    def _add(self, aid: str, k: int, props: Mapping[str, Any]) -> int:
        meta = (self.articles or {}).get(aid) or {}
        outlet = meta.get("source")
        if not outlet and self.articles is None:  # GeoJSON alone: its publishers, when they line up
            publishers = props.get("sources") or []
            outlet = publishers[k] if k < len(publishers) and publishers[k] != aid else None
        c = self.columns
        c["id"].append(aid)
        c["title"].append(str(meta.get("title") or ""))
        c["outlet"].append(str(outlet or ""))
        c["url"].append(safe_url(meta.get("url")) or "")
        c["published"].append(str(meta.get("published") or "")[:10])
        return len(c["id"]) - 1


def embed(payload_json: str, compress_above: int = COMPRESS_ABOVE) -> tuple[str, str]:
    """(text, encoding) to put inside <script type="application/json">: the JSON itself with every
    character that could end the script element escaped, or, past `compress_above` bytes, its gzip
    in base64 (encoding "gzip-base64")."""
    raw = payload_json.encode("utf-8")
    if len(raw) > compress_above:
        return base64.b64encode(gzip.compress(raw, compresslevel=6, mtime=0)).decode("ascii"), "gzip-base64"
    safe = (payload_json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return safe, "json"


def embed_within_budget(payload: Payload, compress_above: int = COMPRESS_ABOVE,
                        budget: int = SIZE_BUDGET) -> tuple[str, str]:
    """`embed` the payload; while the result is over `budget` bytes, shorten the evidence passages
    to the next of EVIDENCE_CAPS and try again (the popups then say the passage was cut)."""
    text, encoding = embed(payload.to_json(), compress_above)
    for cap in EVIDENCE_CAPS:
        if len(text) <= budget:
            break
        payload.shorten_evidence(cap)
        text, encoding = embed(payload.to_json(), compress_above)
    return text, encoding
