"""Pictures for reports: a static map of events and a chart of events over time by type.

Both are matplotlib figures drawn without pyplot (no global state, nothing opens a window; notebook
users can display the returned Figure) and saved as PNG or SVG by the file's suffix. The map draws
the shipped Natural Earth outlines with geopandas (no tiles, so it works offline and can be
published without a tile licence) and honours precision as the HTML map does: a dot for an event at
a place, a ring for "near", a hatched area for an event known only at admin-1 or country level, and
nothing for events with no point or shape (they are counted in the note under the map).
"""
from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from geo.models import EVENT_TYPES
from geo.render import areas
from geo.render.mapdata import TYPE_COLORS, area_key, event_type, geo_level, point_of, split_facts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from geo.export import EventFilter

OCEAN, LAND, BORDER, ADMIN1_EDGE = "#dfeaf3", "#f6f3ec", "#8a8a8a", "#b8b0a2"
CREDIT = "Boundaries: Natural Earth (public domain). Made with geo-events."


def _save(fig: Figure, out: Path | None, dpi: int) -> None:
    if out is None:
        return
    out = Path(out)
    fmt = out.suffix.lower().lstrip(".") or "png"
    if fmt not in ("png", "svg", "pdf"):
        from geo.errors import GeoError

        raise GeoError(f"{out}: cannot write .{fmt}; use .png or .svg")
    import matplotlib

    out.parent.mkdir(parents=True, exist_ok=True)
    metadata = {"Date": None} if fmt in ("svg", "pdf") else None  # byte-stable files
    with matplotlib.rc_context({"svg.fonttype": "none"}):  # real <text> in SVG, editable in a layout tool
        fig.savefig(out, format=fmt, dpi=dpi, metadata=metadata)


def _footer(fig: Figure, lines: list[str]) -> None:
    """Notes and credits under the figure (a supxlabel, so the constrained layout leaves room for it)."""
    fig.supxlabel("\n".join(lines), fontsize=7, color="#555", x=0.01, ha="left")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _date_span(props_list: Iterable[Mapping]) -> str:
    days = sorted(d for p in props_list if (d := _date(p.get("date"))))
    if not days:
        return "undated"
    return days[0].isoformat() if days[0] == days[-1] else f"{days[0].isoformat()} – {days[-1].isoformat()}"


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# ---------------------------------------------------------------- map

def plot_map(features: Iterable[Mapping[str, Any]], out: Path | None = None, title: str = "Conflict events",
             filters: Iterable[str] = (), dpi: int = 150) -> Figure:
    """A static map of GeoJSON event Features (facts only), saved to `out` when given."""
    import geopandas as gpd
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    facts, not_fact = split_facts(features)
    points: dict[int, list[tuple[float, float, Mapping]]] = {1: [], 2: []}
    area_events: dict[str, list[Mapping]] = defaultdict(list)
    listed = 0
    for f, props in facts:
        pt = point_of(f)
        level = geo_level(props, pt is not None)
        if level == 3:
            key = area_key(props)
            if key:
                area_events[key].append(props)
            else:
                listed += 1
        elif pt is None:
            listed += 1
        else:
            points[level].append((pt[0], pt[1], props))
    countries = gpd.GeoDataFrame.from_features(areas.countries()["features"], crs="EPSG:4326")
    ccs = sorted({str(p["country"]).upper() for _, p in facts if p.get("country")})
    admin1 = areas.admin1_areas(tuple(ccs))
    admin1_gdf = (gpd.GeoDataFrame.from_features(admin1["features"], crs="EPSG:4326")
                  if admin1["features"] else None)
    shapes = _area_shapes(area_events, countries, admin1_gdf)
    missing = sum(len(v) for k, v in area_events.items() if k not in shapes)
    listed += missing

    fig = Figure(figsize=(11, 7.5), layout="constrained")
    ax = fig.add_subplot()
    ax.set_facecolor(OCEAN)
    countries.plot(ax=ax, color=LAND, edgecolor=BORDER, linewidth=0.5, zorder=1)
    if admin1_gdf is not None:
        admin1_gdf.boundary.plot(ax=ax, color=ADMIN1_EDGE, linewidth=0.3, linestyle=(0, (2, 2)), zorder=2)
    drawn_types = Counter()
    max_area = max((len(area_events[k]) for k in shapes), default=1)
    for key, geom in shapes.items():
        evs = area_events[key]
        t = Counter(event_type(p) for p in evs).most_common(1)[0][0]
        drawn_types.update(event_type(p) for p in evs)
        gpd.GeoSeries([geom], crs="EPSG:4326").plot(
            ax=ax, facecolor=TYPE_COLORS[t], alpha=0.15 + 0.4 * math.sqrt(len(evs) / max_area),
            edgecolor=TYPE_COLORS[t], hatch="///", linewidth=1.2, zorder=3)
    for level, pts in points.items():
        for t in EVENT_TYPES:
            sel = [(lat, lon, p) for lat, lon, p in pts if event_type(p) == t]
            if not sel:
                continue
            drawn_types[t] += len(sel)
            sizes = [_marker_size(p) for _, _, p in sel]
            dashed = ["--" if p.get("claim_status") in ("claimed", "disputed") else "-" for _, _, p in sel]
            kw = (dict(c=TYPE_COLORS[t], edgecolors="#222", linewidths=0.5) if level == 1 else
                  dict(facecolors="white", edgecolors=TYPE_COLORS[t], linewidths=1.6))
            ax.scatter([lon for _, lon, _ in sel], [lat for lat, _, _ in sel], s=sizes, alpha=0.85,
                       linestyles=dashed, zorder=5 if level == 1 else 4, **kw)
    ratio = _frame(ax, [(lat, lon) for pts in points.values() for lat, lon, _ in pts], list(shapes.values()))
    fig.set_size_inches(11, min(11.0, max(4.5, 10.8 * ratio + 1.1)))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    handles = [Patch(facecolor=TYPE_COLORS[t], edgecolor="#222", label=f"{t} ({drawn_types[t]})")
               for t in EVENT_TYPES if drawn_types[t]]
    handles += [Line2D([], [], marker="o", linestyle="", markerfacecolor="#888", markeredgecolor="#222",
                       label="at a place"),
                Line2D([], [], marker="o", linestyle="", markerfacecolor="white", markeredgecolor="#555",
                       markeredgewidth=1.6, label="near a place / in a district"),
                Patch(facecolor="#ddd", edgecolor="#555", hatch="///",
                      label="known only at admin-1 / country level")]
    ax.legend(handles=handles, loc="lower left", fontsize=8, framealpha=0.92)
    fig.suptitle(title, fontsize=14, fontweight="bold")
    ax.set_title(_date_span(p for _, p in facts) + f" · {sum(drawn_types.values())} events drawn", fontsize=9,
                 color="#444")
    notes = list(filters)
    if listed:
        notes.append(f"{_n(listed, 'event')} with no point or shape not drawn")
    if not_fact:
        notes.append(f"{_n(not_fact, 'planned/cancelled event')} not drawn")
    if not facts:
        ax.text(0.5, 0.5, "no events to draw", transform=ax.transAxes, ha="center", fontsize=12, color="#666")
    _footer(fig, ["; ".join(notes), CREDIT] if notes else [CREDIT])
    _save(fig, out, dpi)
    return fig


def _marker_size(props: Mapping) -> float:
    """Marker area in points²: log-scaled fatalities (else quantity), as the HTML map sizes circles."""
    try:
        n = max(0.0, float(props.get("fatalities") or props.get("quantity") or 0))
    except (TypeError, ValueError):
        n = 0.0
    return (5 + 2.0 * math.log2(1 + n)) ** 2


def _area_shapes(area_events: Mapping[str, list], countries, admin1_gdf) -> dict[str, Any]:
    """Shapely geometry of each area unit that has events (``A:`` admin-1, ``C:`` country)."""
    out = {}
    by_cc = {cc: g for cc, g in zip(countries["cc"], countries.geometry) if cc}
    by_a1 = dict(zip(admin1_gdf["admin1"], admin1_gdf.geometry)) if admin1_gdf is not None else {}
    for key in area_events:
        geom = by_a1.get(key[2:]) if key.startswith("A:") else by_cc.get(key[2:])
        if geom is not None:
            out[key] = geom
    return out


def _frame(ax, pts: list[tuple[float, float]], shapes: list) -> float:
    """Fit the view to what is drawn (at least 4° across), with a latitude-correct aspect ratio;
    returns the drawn height / width, for sizing the figure."""
    lons = [lon for _, lon in pts]
    lats = [lat for lat, _ in pts]
    for g in shapes:
        x0, y0, x1, y1 = g.bounds
        lons += [x0, x1]
        lats += [y0, y1]
    if not lons:
        x0, x1, y0, y1 = -180.0, 180.0, -60.0, 85.0
    else:
        x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        half_w, half_h = max(2.0, (x1 - x0) * 0.6), max(2.0, (y1 - y0) * 0.6)
        x0, x1 = max(-180.0, cx - half_w), min(180.0, cx + half_w)
        y0, y1 = max(-85.0, cy - half_h), min(85.0, cy + half_h)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    aspect = 1 / max(0.2, math.cos(math.radians((y0 + y1) / 2)))
    ax.set_aspect(aspect)
    return (y1 - y0) * aspect / (x1 - x0)


# ---------------------------------------------------------------- timeline

def plot_timeline(features: Iterable[Mapping[str, Any]], out: Path | None = None, title: str = "Conflict events",
                  filters: Iterable[str] = (), dpi: int = 150) -> Figure:
    """Stacked bars of events per day (per week past 120 days, per month past three years) by type."""
    import matplotlib.dates as mdates
    import pandas as pd
    from matplotlib.figure import Figure

    facts, not_fact = split_facts(features)
    rows = [(d, event_type(p)) for _, p in facts if (d := _date(p.get("date")))]
    undated = len(facts) - len(rows)
    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax = fig.add_subplot()
    fig.suptitle(title, fontsize=13, fontweight="bold")
    if not rows:
        ax.text(0.5, 0.5, "no dated events", transform=ax.transAxes, ha="center", fontsize=12, color="#666")
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        df = pd.DataFrame(rows, columns=["date", "type"])
        df["date"] = pd.to_datetime(df["date"])
        span = (df["date"].max() - df["date"].min()).days + 1
        freq, unit, width = (("D", "day", 0.8) if span <= 120 else ("W-MON", "week", 5.5) if span <= 3 * 366
                             else ("MS", "month", 24))
        table = (df.groupby([pd.Grouper(key="date", freq=freq, label="left", closed="left"), "type"])
                 .size().unstack(fill_value=0))
        table = table.reindex(pd.date_range(table.index.min(), table.index.max(), freq=freq), fill_value=0)
        bottom = [0] * len(table)
        for t in EVENT_TYPES:
            if t not in table:
                continue
            vals = table[t].tolist()
            ax.bar(table.index, vals, width=width, bottom=bottom, color=TYPE_COLORS[t], label=f"{t} ({sum(vals)})",
                   align="edge" if unit != "day" else "center")
            bottom = [b + v for b, v in zip(bottom, vals)]
        ax.set_ylabel(f"events per {unit}")
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=4, maxticks=10))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.legend(loc="upper left", fontsize=8, ncols=min(5, len(table.columns)), framealpha=0.9)
        ax.grid(axis="y", color="#ddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_title(f"{_date_span(p for _, p in facts)} · {len(rows)} dated events", fontsize=9, color="#444")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    notes = list(filters)
    if undated:
        notes.append(f"{_n(undated, 'undated event')} not shown")
    if not_fact:
        notes.append(f"{_n(not_fact, 'planned/cancelled event')} not counted")
    _footer(fig, ["; ".join(notes), "Made with geo-events."] if notes else ["Made with geo-events."])
    _save(fig, out, dpi)
    return fig


# ---------------------------------------------------------------- from a database

def timeline_path(out: Path) -> Path:
    """Where the timeline goes when not told: next to the map, ``events.png`` -> ``events-timeline.png``."""
    out = Path(out)
    return out.with_name(f"{out.stem}-timeline{out.suffix or '.png'}")


def plot_db(db: Path, out: Path, timeline: Path | None = None, flt: EventFilter | None = None,
            title: str = "Conflict events", dpi: int = 150) -> list[Path]:
    """Write the static map to `out` and the timeline to `timeline` (default `timeline_path(out)`)
    for the stored events of `db` matching `flt`; returns both paths."""
    from geo.render.query import describe_filter, map_events

    features, _ = map_events(Path(db), flt, with_articles=False)
    notes = describe_filter(flt)
    timeline = Path(timeline) if timeline else timeline_path(out)
    plot_map(features, out, title=title, filters=notes, dpi=dpi)
    plot_timeline(features, timeline, title=title, filters=notes, dpi=dpi)
    return [Path(out), timeline]
