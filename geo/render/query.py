"""What maps and plots read from a database: the events `geo export` would write, and their sources.

Events come through `geo.export.events_geojson`, so a map and an export of the same filter show the
same events. The popups also need each source's title, outlet and link, which the GeoJSON does not
carry: `articles_of` reads them from the ``articles`` table with one read-only query.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from geo.store import Store

if TYPE_CHECKING:
    from geo.export import EventFilter


def _with_non_facts(flt: EventFilter | None) -> EventFilter:
    """The same filter, also letting anticipated/cancelled events through so a map can count them."""
    from geo.export import EventFilter

    if flt is None:
        return EventFilter(facts_only=False)
    return dataclasses.replace(flt, facts_only=False)


def map_events(db: Path, flt: EventFilter | None = None,
               with_articles: bool = True) -> tuple[list[dict], dict[str, dict[str, Any]]]:
    """(GeoJSON Features of the events matching `flt`, including non-facts to be counted; article
    id -> {title, source, url, published} for every article that reports one of them, or {} when
    `with_articles` is false)."""
    from geo.export import events_geojson

    features = events_geojson(Path(db), _with_non_facts(flt)).get("features", [])
    if not with_articles:
        return features, {}
    ids = {str(a) for f in features for a in (f.get("properties") or {}).get("articles") or []}
    return features, articles_of(Path(db), ids)


def articles_of(db: Path, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Title, source (outlet), url and published date of the given articles, read-only."""
    import pyarrow as pa

    wanted = sorted(set(ids))
    if not wanted:
        return {}
    with Store(db, read_only=True) as store:
        store.con.register("_wanted_articles", pa.table({"id": pa.array(wanted, pa.string())}))
        try:
            rows = store.con.execute(
                "SELECT a.id, a.title, a.source, a.url, a.published FROM articles a "
                "JOIN _wanted_articles w ON w.id = a.id").fetchall()
        finally:
            store.con.unregister("_wanted_articles")
    return {r[0]: {"title": r[1], "source": r[2], "url": r[3],
                   "published": r[4].isoformat() if r[4] else None} for r in rows}


def describe_filter(flt: EventFilter | None) -> list[str]:
    """Lines saying how the events were chosen ("type: strike, clash", "since 2025-01-01", ...), shown
    on the map and under plots so a published picture says what it leaves out."""
    if flt is None:
        return []
    out = []
    for label, value in (("type", getattr(flt, "types", None)), ("country", getattr(flt, "countries", None)),
                         ("claim", getattr(flt, "claims", None))):
        if value:
            out.append(f"{label}: {', '.join(map(str, value))}")
    if getattr(flt, "since", None):
        out.append(f"since {flt.since}")
    if getattr(flt, "until", None):
        out.append(f"until {flt.until}")
    if getattr(flt, "bbox", None):
        out.append("bbox: " + ", ".join(f"{v:g}" for v in flt.bbox))
    if getattr(flt, "title", None):
        out.append(f"source title contains {flt.title!r}")
    return out
