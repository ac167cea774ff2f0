"""The cross-article merge: when two readings are one incident, the merged row of an incident, and the
in-memory merge of a batch of articles in input order.

`BatchMerge` is what makes batched writes give exactly the events, ids and merge results of storing the
articles one at a time: the merge is order dependent (an article merges into an event whose merged
place and date came from the articles before it, in the same batch or earlier), so it replays the
articles in input order over the batch's candidate events, which the store loads with ONE set-based
query per batch (`Store._merge_state`) instead of one query per event, and writes back in one go.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from geo.models import FACTUAL_CLAIMS, Event
from geo.store.ids import as_date, make_event_id
from geo.store.schema import COUNTS, LOCATION, READING, TEXTS

# Same-incident thresholds (see `same_incident`).
MERGE_DAYS = 1
MERGE_KM = 5.0
MERGE_ADMIN2_KM = 30.0

# Precision ranks, finest first: locality/landmark < near < admin2/water < admin1/region < country.
_PRECISION_RANK = {"locality": 0, "landmark": 0, "near": 1, "admin2": 2, "water": 2,
                   "region": 3, "admin1": 3, "country": 4}
_CLAIM_RANK = {"reported": 0, "disputed": 1, "claimed": 2, "cancelled": 3, "anticipated": 4}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "unknown": 3}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _is_fact(status: str | None) -> bool:
    return (status or "reported") in FACTUAL_CLAIMS


def same_incident(a: dict[str, Any], b: dict[str, Any]) -> float | None:
    """Whether two readings describe one incident; returns a match distance (lower is closer) or None.

    Same `type`; both factual or both not; both dated and at most MERGE_DAYS apart; and the same
    place: the same place_id, or two point-level places (locality, landmark, near) within MERGE_KM,
    or, when one of them is coarse, the same area at the coarser level: same country when both are
    country-level, same admin1 when the coarser one is admin1-level (the other may be a locality in
    it), same admin1 and within MERGE_ADMIN2_KM for admin2-level. A country-level report is not
    merged with a precisely located one (there are many strikes a day in one country).
    """
    if a["type"] != b["type"] or _is_fact(a.get("claim_status")) != _is_fact(b.get("claim_status")):
        return None
    da, db_ = as_date(a.get("date")), as_date(b.get("date"))
    if da is None or db_ is None or abs((da - db_).days) > MERGE_DAYS:
        return None
    days = abs((da - db_).days)
    have_points = all(x.get(k) is not None for x in (a, b) for k in ("lat", "lon"))
    km = haversine_km(a["lat"], a["lon"], b["lat"], b["lon"]) if have_points else 0.0
    if a.get("place_id") and a.get("place_id") == b.get("place_id"):
        return days * 1000 + km
    ra = _PRECISION_RANK.get(a.get("precision") or "", 0 if a.get("place_id") else 4)
    rb = _PRECISION_RANK.get(b.get("precision") or "", 0 if b.get("place_id") else 4)
    coarse = max(ra, rb)
    ca, cb = (a.get("country") or "").upper(), (b.get("country") or "").upper()
    if coarse <= 1:
        ok = have_points and km <= MERGE_KM
    elif coarse == 4:
        ok = ra == rb == 4 and bool(ca) and ca == cb
    elif coarse == 3:
        ok = bool(a.get("admin1")) and a.get("admin1") == b.get("admin1")
    else:  # admin2 / water
        ok = (bool(a.get("admin1")) and a.get("admin1") == b.get("admin1") and have_points
              and km <= MERGE_ADMIN2_KM and "water" not in (a.get("precision"), b.get("precision")))
    return days * 1000 + km + coarse if ok else None


def _mode(values: Iterable[Any]) -> Any:
    """Most frequent non-null value; ties go to the first seen."""
    vals = [v for v in values if v not in (None, "")]
    if not vals:
        return None
    counts = Counter(vals)
    best = max(counts.values())
    return next(v for v in vals if counts[v] == best)


def pick_count(readings: list[dict[str, Any]], field: str) -> int | None:
    """The count kept for a merged event.

    The highest figure among sources that state it as fact (claim_status 'reported'): tolls
    rise as reports come in, and a later, higher reported figure supersedes an earlier one.
    Where no 'reported' source gives a figure (only claims or disputed statements), ACLED's
    conservative rule applies: the lowest figure.
    """
    reported = [r[field] for r in readings if r.get(field) is not None and r.get("claim_status") == "reported"]
    if reported:
        return max(reported)
    others = [r[field] for r in readings if r.get(field) is not None]
    return min(others) if others else None


def merge_readings(readings: list[dict[str, Any]]) -> dict[str, Any]:
    """The event row kept for several articles' readings of one incident (in the order added).

    - counts (quantity, fatalities, injured, missing, affected): `pick_count`;
    - location (place, place_id, geonameid, country, admin1, lat, lon, precision): taken as a whole
      from the most precise reading; ties go to the place most sources agree on, then the first;
    - date: the most precise date_precision, then the most common date, then the earliest;
    - claim_status: reported > disputed > claimed > cancelled > anticipated (a fact stated by any
      source wins); claimed_by from a reading with that status, else the most common;
    - subtype, actor, target, weapon, ACLED types: the most common non-empty value, ties to the first;
    - confidence: 1 - prod(1 - c) over sources (independent reports corroborate), at most 0.99.
    """
    out: dict[str, Any] = {"type": readings[0]["type"]}
    for f in COUNTS:
        out[f] = pick_count(readings, f)
    place_votes = Counter(r.get("place_id") or r.get("place") for r in readings)
    loc = min(enumerate(readings), key=lambda ir: (
        _PRECISION_RANK.get(ir[1].get("precision") or "", 5),
        ir[1].get("lat") is None,
        -place_votes[ir[1].get("place_id") or ir[1].get("place")], ir[0]))[1]
    out.update({f: loc.get(f) for f in LOCATION})
    best_dp = min(_DATE_RANK.get(r.get("date_precision") or "unknown", 3) for r in readings)
    dated = [r for r in readings if _DATE_RANK.get(r.get("date_precision") or "unknown", 3) == best_dp]
    date_votes = Counter(as_date(r.get("date")) for r in dated if r.get("date") is not None)
    if date_votes:
        top = max(date_votes.values())
        out["date"] = min(d for d, n in date_votes.items() if n == top)
    else:
        out["date"] = None
    out["date_precision"] = dated[0].get("date_precision") or "unknown"
    status = min((r.get("claim_status") or "reported" for r in readings),
                 key=lambda s: _CLAIM_RANK.get(s, 9))
    out["claim_status"] = status
    out["claimed_by"] = (_mode(r.get("claimed_by") for r in readings if r.get("claim_status") == status)
                         or _mode(r.get("claimed_by") for r in readings))
    for f in TEXTS:
        out[f] = _mode(r.get(f) for r in readings)
    p = 1.0
    for r in readings:
        p *= 1.0 - min(max(float(r.get("confidence") or 0.0), 0.0), 1.0)
    out["confidence"] = round(min(0.99, 1.0 - p), 4) if len(readings) > 1 else readings[0].get("confidence")
    return out


def reading_of(event: Event) -> dict[str, Any]:
    """One article's reading of an event: the event_sources columns that the merge reads."""
    r = {f: getattr(event, f) for f in READING}
    r["date"] = as_date(event.date)
    r["country"] = event.country.upper() if event.country else None
    return r



def _source_order(s: dict[str, Any]) -> tuple:
    """ORDER BY added_at, article_id, char_start (NULLS LAST): the order readings are merged in."""
    return s["added_at"], s["article_id"], s["char_start"] is None, s["char_start"] or 0


@dataclass
class EventState:
    """One event during a batch: its events row and its event_sources rows (any order)."""

    row: dict[str, Any]
    sources: list[dict[str, Any]] = field(default_factory=list)
    changed: bool = False


class BatchMerge:
    """The cross-article merge of a batch of articles, replayed in memory in input order.

    Built from the batch's candidate events (every stored event that a reading of the batch could
    match, and every event the batch's articles already source) with their sources, and the stored
    ids that a new id of the batch could collide with. `add_article` then does for one article what
    storing it alone does: its old readings are dropped, each new reading joins the closest event
    that `same_incident` accepts (an event of another article, or one this article reported before)
    or starts a new event with `make_event_id`, every touched event is recomputed by
    `merge_readings`, and events left with no source are deleted. `changed_rows`, `deleted_ids` and
    `sources_of` give what to write.
    """

    def __init__(self, rows: list[dict[str, Any]], sources: list[dict[str, Any]], taken_ids: set[str]) -> None:
        self.events: dict[str, EventState] = {r["event_id"]: EventState(dict(r)) for r in rows}
        self.stored_ids = set(self.events)          # ids in the database when the batch began
        self.taken = set(taken_ids) | self.stored_ids  # ids that exist now (a new id must differ)
        self.by_article: dict[str, set[str]] = {}
        self._index: dict[tuple[str, dt.date], set[str]] = {}
        for s in sources:
            self.events[s["event_id"]].sources.append(s)
            self.by_article.setdefault(s["article_id"], set()).add(s["event_id"])
        for eid, st in self.events.items():
            self._index_add(eid, st.row)

    # candidates ------------------------------------------------------------------------------
    def _index_add(self, eid: str, row: dict[str, Any]) -> None:
        if row.get("date") is not None:
            self._index.setdefault((row["type"], row["date"]), set()).add(eid)

    def _index_drop(self, eid: str, row: dict[str, Any]) -> None:
        if row.get("date") is not None:
            self._index.get((row["type"], row["date"]), set()).discard(eid)

    def _match(self, reading: dict[str, Any], exclude: set[str]) -> str | None:
        date = reading.get("date")
        if date is None:
            return None
        best: tuple[float, str] | None = None
        for k in range(-MERGE_DAYS, MERGE_DAYS + 1):
            for eid in self._index.get((reading["type"], date + dt.timedelta(days=k)), ()):
                if eid in exclude:
                    continue
                d = same_incident(reading, self.events[eid].row)
                if d is not None and (best is None or (d, eid) < best):
                    best = (d, eid)
        return best[1] if best else None

    # one article -------------------------------------------------------------------------------
    def add_article(self, article_id: str, events: list[Event], stamp: dt.datetime) -> None:
        """Replace `article_id`'s readings with `events` (stamped `stamp`); sets each event_id."""
        touched = self.by_article.pop(article_id, set())
        for eid in touched:
            st = self.events[eid]
            st.sources = [s for s in st.sources if s["article_id"] != article_id]
        mine: set[str] = set()
        for event in events:
            reading = reading_of(event)
            eid = self._match(reading, mine)
            if eid is None:
                eid = self._new_id(event, article_id)
                self.events[eid] = EventState({"event_id": eid, "type": event.type, "first_article": article_id,
                                               "created_at": stamp, "updated_at": stamp})
                self.taken.add(eid)
            self.events[eid].sources.append(_source(eid, article_id, event, reading, stamp))
            mine.add(eid)
            touched.add(eid)
            event.event_id = eid
        if mine:
            self.by_article[article_id] = mine
        for eid in sorted(touched):
            self._recompute(eid, stamp)

    def _new_id(self, event: Event, article_id: str) -> str:
        base = eid = make_event_id(event, article_id)
        n = 1
        while eid in self.taken:
            n += 1
            eid = f"{base}-{n}"
        return eid

    def _recompute(self, eid: str, stamp: dt.datetime) -> None:
        st = self.events[eid]
        self._index_drop(eid, st.row)
        if not st.sources:  # no article reports it any more
            del self.events[eid]
            self.taken.discard(eid)
            return
        readings = sorted(st.sources, key=_source_order)
        merged = merge_readings(readings)
        articles = list(dict.fromkeys(r["article_id"] for r in readings))
        merged["articles"] = articles
        merged["evidence"] = " … ".join(r["evidence"] for r in readings if r["evidence"]) or None
        merged["n_sources"] = len(articles)
        merged["updated_at"] = stamp
        st.row.update(merged)
        st.changed = True
        self._index_add(eid, st.row)

    # results ---------------------------------------------------------------------------------
    def changed_rows(self) -> list[dict[str, Any]]:
        """The events rows to (re)write: every event the batch created or recomputed."""
        return [st.row for st in self.events.values() if st.changed]

    def rewritten_ids(self) -> list[str]:
        """Stored ids whose rows are deleted (gone) or replaced (recomputed) by this batch."""
        return sorted(eid for eid in self.stored_ids if eid not in self.events or self.events[eid].changed)

    def sources_of(self, article_ids: Iterable[str]) -> list[dict[str, Any]]:
        """The event_sources rows of these articles after the batch."""
        return [s for aid in dict.fromkeys(article_ids) for eid in sorted(self.by_article.get(aid, ()))
                for s in self.events[eid].sources if s["article_id"] == aid]


def _source(event_id: str, article_id: str, event: Event, reading: dict[str, Any],
            stamp: dt.datetime) -> dict[str, Any]:
    """The event_sources row of one reading: evidence of this article, its spans, and the reading."""
    ev = [e for e in event.evidence if e.article in (article_id, None, "", "-")] or list(event.evidence)
    return {"event_id": event_id, "article_id": article_id,
            "evidence": " … ".join(e.text for e in ev) if ev else None,
            "char_start": min((e.start for e in ev), default=None),
            "char_end": max((e.end for e in ev), default=None),
            "spans": json.dumps([{"article": article_id, "start": e.start, "end": e.end} for e in ev]),
            "added_at": stamp, **reading}
