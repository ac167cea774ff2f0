"""Scoring extracted events against gold annotations: what `geo eval --corpus FILE --gold DIR` prints.

The gold format is the team's (../shared/eval/README.md, dev/ANNOTATE.md): ``DIR/events.jsonl``, one
incident a line with ``article``, ``type``, ``required`` (must be found) or not (finding it neither
helps nor hurts), ``negative`` (must NOT be reported as a fact), the place (``geonameid``,
``lat``/``lon`` with ``tolerance_km``, default 25; or ``precision: country`` matched on ``country``),
``date`` with ``date_tolerance_days`` (default 1), and attributes (``fatalities``, ``injured``,
``missing``, ``affected``, ``quantity``, ``actor``, ``claim``).

Matching, as those files describe it: a predicted event counts only when its claim_status is a fact
(reported, claimed, disputed). It matches a gold event of the same type, reported by the same article
(in its ``articles``), at the gold place within tolerance (the same GeoNames id, or within
``tolerance_km`` of the gold point; for a country-level gold event, a prediction in that country that
is not pinned to a town; a place named without a point, id or country-level precision cannot be
checked and matches nothing) and on the gold date within tolerance (an undated gold line fits any
date). Each prediction, in export order, takes the closest gold event it fits that no earlier one
took, so a second prediction of one incident is a duplicate, not a hit.

- recall = matched required gold / required gold;
- precision = matched predictions / (factual predictions - those that only match an optional gold
  event); a prediction that matches a negative gold event is a false event ("negative"), and
  ``negative_hits`` counts the negative gold lines so hit;
- attribute accuracy on matched pairs, for each attribute the gold gives: counts and claim status
  exact, the date exact, the actor when one name contains the other ignoring case ("Russia",
  "Russian forces");
- a gold line of type ``*`` stands for any type, one with no place for any place (the negative
  "this article reports no incident" lines);
- a miss's cause: ``no_event_of_type`` (no factual prediction of that type from that article),
  ``not_a_fact`` (only an anticipated/cancelled one would match), ``wrong_place``, ``wrong_date``,
  ``wrong_place_and_date`` (predictions of that type exist, none at the place and/or on the date), and
  ``merged`` (one prediction stands for this and another gold incident);
- a false event's cause: ``duplicate`` (its incident is already matched), ``negative``, ``unmatched``.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geo.errors import GeoError
from geo.models import EVENT_TYPES, FACTUAL_CLAIMS

ATTRIBUTES = ("fatalities", "injured", "missing", "affected", "quantity", "actor", "claim", "date")
MISS_CAUSES = ("no_event_of_type", "not_a_fact", "wrong_place", "wrong_date", "wrong_place_and_date", "merged")
FALSE_CAUSES = ("duplicate", "negative", "unmatched")
ANY_TYPE = "*"  # a gold line of any type (a negative "nothing here is an incident" line)
DEFAULT_KM = 25.0
POINT_PRECISIONS = frozenset({"locality", "landmark", "near"})  # a prediction pinned to a town or site
DEFAULT_DAYS = 1


# ---------------------------------------------------------------- input

def load_gold(gold_dir: Path) -> list[dict[str, Any]]:
    """The gold events of `gold_dir`/events.jsonl; a bad line is a GeoError naming file and line."""
    path = Path(gold_dir) / "events.jsonl"
    if not path.is_file():
        raise GeoError(f"{path}: no such gold file (--gold wants a folder holding events.jsonl)")
    gold = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            g = json.loads(line)
        except json.JSONDecodeError as e:
            raise GeoError(f"{path}:{n}: not JSON: {e.msg}") from None
        if not isinstance(g, dict) or not g.get("article") or g.get("type") not in (*EVENT_TYPES, ANY_TYPE):
            raise GeoError(f"{path}:{n}: a gold event needs 'article' and a 'type' among "
                           f"{', '.join(EVENT_TYPES)} or {ANY_TYPE!r}")
        g["_line"] = n
        gold.append(g)
    return gold


def predict(corpus: Path, db: Path | None = None, published: dt.date | None = None) -> list[dict[str, Any]]:
    """Ingest `corpus` into a DuckDB file (`db`, else a temporary one) and export every stored event,
    facts or not, as GeoJSON properties: what `geo ingest` + `geo export` give a user."""
    from geo.filters import EventFilter
    from geo.pipeline import ingest_paths
    from geo.render.export import events_geojson

    if not Path(corpus).exists():
        raise GeoError(f"{corpus}: no such corpus file or folder")
    with tempfile.TemporaryDirectory(prefix="geo-eval-") as tmp:
        path = Path(db) if db else Path(tmp) / "eval.duckdb"
        ingest_paths([str(corpus)], db=path, published=published)
        fc = events_geojson(path, EventFilter(facts_only=False))
    return [f["properties"] for f in fc["features"]]


# ---------------------------------------------------------------- matching

def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _date(v: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(v)[:10]) if v else None
    except ValueError:
        return None


def place_distance(p: dict[str, Any], g: dict[str, Any]) -> float | None:
    """How far (km) the prediction is from the gold place, None when it is not at that place.

    The gold place is a GeoNames id, a point with a tolerance, or a country (``precision: country``:
    a prediction in that country at country, admin-1 or another area's precision; one pinned to a
    town there names a place the text did not give); a line with no place at all (no point, id or
    country) is anywhere; a place given only by name and country, at a finer precision, cannot be
    checked and matches nothing."""
    if g.get("lat") is None and not g.get("geonameid") and not g.get("country"):
        return 0.0
    if g.get("geonameid") and p.get("geonameid") == g["geonameid"]:
        return 0.0
    if g.get("precision") == "country":
        same = bool(g.get("country")) and (p.get("country") or "").upper() == str(g["country"]).upper()
        return 0.0 if same and p.get("precision") not in POINT_PRECISIONS else None
    if None in (g.get("lat"), g.get("lon"), p.get("lat"), p.get("lon")):
        return None
    km = _km(p["lat"], p["lon"], g["lat"], g["lon"])
    return km if km <= float(g.get("tolerance_km") or DEFAULT_KM) else None


def date_gap(p: dict[str, Any], g: dict[str, Any]) -> int | None:
    """Days between the prediction and the gold date, None when outside the tolerance or the
    prediction has no date (an undated gold line, background or anticipated, fits any date)."""
    gd = _date(g.get("date"))
    if gd is None:
        return 0
    pd_ = _date(p.get("date"))
    if pd_ is None:
        return None
    days = abs((pd_ - gd).days)
    tol = g.get("date_tolerance_days")
    return days if days <= (DEFAULT_DAYS if tol is None else int(tol)) else None


def _candidate(p: dict[str, Any], g: dict[str, Any]) -> bool:
    return g.get("type") in (p.get("type"), ANY_TYPE) and g.get("article") in (p.get("articles") or [])


def _cost(p: dict[str, Any], g: dict[str, Any]) -> float | None:
    if not _candidate(p, g):
        return None
    km, days = place_distance(p, g), date_gap(p, g)
    return None if km is None or days is None else days * 1000 + km


def _match(preds: list[dict[str, Any]], gold: list[dict[str, Any]]) -> dict[int, int]:
    """gold index -> prediction index: each prediction, in export order, takes the closest gold event it
    fits that no earlier prediction took (so a repeat of a matched incident is a duplicate)."""
    pairs: dict[int, int] = {}
    for pi, p in enumerate(preds):
        options = sorted((c, gi) for gi, g in enumerate(gold) if gi not in pairs and (c := _cost(p, g)) is not None)
        if options:
            pairs[options[0][1]] = pi
    return pairs


# ---------------------------------------------------------------- the report

@dataclass
class EvalReport:
    """Figures of one evaluation; `to_dict()` is what `geo eval --json` prints."""

    required: int = 0
    found: int = 0
    predicted: int = 0
    optional: int = 0
    false: int = 0
    negative_hits: int = 0
    types: dict[str, dict[str, Any]] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    misses: list[dict[str, Any]] = field(default_factory=list)
    false_events: list[dict[str, Any]] = field(default_factory=list)
    attribute_errors: list[dict[str, Any]] = field(default_factory=list)  # matched events with a wrong field

    @property
    def recall(self) -> float | None:
        return round(self.found / self.required, 3) if self.required else None

    @property
    def precision(self) -> float | None:
        denominator = self.predicted - self.optional
        return round((denominator - self.false) / denominator, 3) if denominator else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": {"required": self.required, "found": self.found, "recall": self.recall,
                       "predicted_factual": self.predicted, "optional_hits": self.optional, "false": self.false,
                       "precision": self.precision, "negative_hits": self.negative_hits},
            "types": self.types,
            "attributes": self.attributes,
            "misses_by_cause": {c: sum(m["cause"] == c for m in self.misses) for c in MISS_CAUSES},
            "false_by_cause": {c: sum(f["cause"] == c for f in self.false_events) for c in FALSE_CAUSES},
            "misses": self.misses,
            "false_events": self.false_events,
            "attribute_errors": self.attribute_errors,
        }


def _same_actor(a: Any, b: Any) -> bool:
    x, y = str(a or "").casefold().strip(), str(b or "").casefold().strip()
    return bool(x and y) and (x == y or x in y or y in x)


def _attribute_ok(name: str, p: dict[str, Any], g: dict[str, Any]) -> bool:
    if name == "actor":
        return _same_actor(p.get("actor"), g["actor"])
    if name == "claim":
        return p.get("claim_status") == g["claim"]
    if name == "date":
        return _date(p.get("date")) == _date(g["date"])
    return p.get(name) == g[name]


def _brief(e: dict[str, Any], gold: bool) -> dict[str, Any]:
    keys = ("article", "type", "place", "date", "evidence") if gold else ("event_id", "type", "place", "date",
                                                                          "claim_status", "evidence")
    out = {k: e.get(k) for k in keys}
    if not gold:
        out["articles"] = list(e.get("articles") or [])
    return out


def _miss_cause(g: dict[str, Any], facts: list[dict[str, Any]], others: list[dict[str, Any]]) -> str:
    cands = [p for p in facts if _candidate(p, g)]
    if not cands:
        return "not_a_fact" if any(_cost(p, g) is not None for p in others) else "no_event_of_type"
    place = [place_distance(p, g) is not None for p in cands]
    date = [date_gap(p, g) is not None for p in cands]
    if any(a and b for a, b in zip(place, date)):
        return "merged"
    return "wrong_date" if any(place) else "wrong_place" if any(date) else "wrong_place_and_date"


def score(predictions: list[dict[str, Any]], gold: list[dict[str, Any]]) -> EvalReport:
    """Score predicted events (GeoJSON properties of `geo export`) against gold events."""
    facts = [p for p in predictions if (p.get("claim_status") or "reported") in FACTUAL_CLAIMS]
    others = [p for p in predictions if p not in facts]
    required = [g for g in gold if g.get("required")]
    optional = [g for g in gold if not g.get("required") and not g.get("negative")]
    negative = [g for g in gold if g.get("negative")]
    pairs = _match(facts, required)
    rep = EvalReport(required=len(required), found=len(pairs), predicted=len(facts))
    matched_preds = set(pairs.values())
    negative_hit: set[int] = set()
    type_rows: dict[str, Counter] = defaultdict(Counter)
    for gi, g in enumerate(required):
        type_rows[g["type"]]["required"] += 1
        if gi in pairs:
            type_rows[g["type"]]["found"] += 1
        else:
            rep.misses.append({**_brief(g, True), "cause": _miss_cause(g, facts, others), "line": g.get("_line")})
    for pi, p in enumerate(facts):
        t = type_rows[p.get("type") or "other"]
        t["predicted"] += 1
        if pi in matched_preds:
            t["matched"] += 1
            continue
        if any(_cost(p, g) is not None for g in optional):
            rep.optional += 1
            t["optional"] += 1
            continue
        hit = [gi for gi, g in enumerate(negative) if _cost(p, g) is not None]
        negative_hit.update(hit)
        cause = ("negative" if hit else
                 "duplicate" if any(_cost(p, g) is not None for g in required) else "unmatched")
        rep.false += 1
        rep.false_events.append({**_brief(p, False), "cause": cause})
    rep.negative_hits = len(negative_hit)
    for name, c in sorted(type_rows.items()):
        row: dict[str, Any] = dict(c)
        if c["required"]:
            row["recall"] = round(c["found"] / c["required"], 3)
        if c["predicted"] - c["optional"]:
            row["precision"] = round(c["matched"] / (c["predicted"] - c["optional"]), 3)
        rep.types[name] = row
    for name in ATTRIBUTES:
        judged = [(facts[pi], required[gi]) for gi, pi in pairs.items() if required[gi].get(name) is not None]
        correct = 0
        for p, g in judged:
            if _attribute_ok(name, p, g):
                correct += 1
            else:
                rep.attribute_errors.append({"article": g.get("article"), "type": g["type"], "place": g.get("place"),
                                             "attribute": name, "gold": g[name],
                                             "predicted": p.get("claim_status" if name == "claim" else name)})
        rep.attributes[name] = {"total": len(judged), "correct": correct,
                                "accuracy": round(correct / len(judged), 3) if judged else None}
    return rep


def evaluate(corpus: Path, gold_dir: Path, db: Path | None = None, published: dt.date | None = None) -> EvalReport:
    """Ingest `corpus`, export its events and score them against `gold_dir`."""
    gold = load_gold(gold_dir)
    return score(predict(corpus, db=db, published=published), gold)


# ---------------------------------------------------------------- text

def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"


def render(rep: EvalReport, verbose: bool = False) -> str:
    """The report as plain text: overall figures, per type, attributes, misses and false events by cause."""
    d = rep.to_dict()
    e = d["events"]
    lines = [f"events: recall {_pct(e['recall'])} ({e['found']}/{e['required']} required found), "
             f"precision {_pct(e['precision'])} ({e['predicted_factual']} factual predicted, "
             f"{e['optional_hits']} match optional gold, {e['false']} false, {e['negative_hits']} negative hits)",
             "", f"{'type':<14}{'required':>9}{'found':>7}{'recall':>8}{'predicted':>11}{'matched':>9}{'precision':>11}"]
    for name, t in d["types"].items():
        lines.append(f"{name:<14}{t.get('required', 0):>9}{t.get('found', 0):>7}{_pct(t.get('recall')):>8}"
                     f"{t.get('predicted', 0):>11}{t.get('matched', 0):>9}{_pct(t.get('precision')):>11}")
    lines += ["", "attribute accuracy on matched events:"]
    lines += [f"  {k:<11}{_pct(a['accuracy'])}  ({a['correct']}/{a['total']})" for k, a in d["attributes"].items()]
    lines += ["", "misses by cause: " + ", ".join(f"{k} {v}" for k, v in d["misses_by_cause"].items()),
              "false events by cause: " + ", ".join(f"{k} {v}" for k, v in d["false_by_cause"].items())]
    if verbose:
        lines += ["", "misses:"]
        lines += [f"  [{m['cause']}] {m['article']} {m['type']} @ {m.get('place') or '?'} {m.get('date') or ''}"
                  f"  (gold line {m['line']}){' — ' + str(m['evidence']) if m.get('evidence') else ''}"
                  for m in d["misses"]] or ["  none"]
        lines += ["", "false events:"]
        lines += [f"  [{f['cause']}] {','.join(f['articles'])} {f['type']} @ {f.get('place') or '?'} "
                  f"{f.get('date') or ''} ({f['claim_status']})" for f in d["false_events"]] or ["  none"]
        lines += ["", "wrong attributes on matched events:"]
        lines += [f"  {a['article']} {a['type']} @ {a.get('place') or '?'}: {a['attribute']} {a['predicted']!r}, "
                  f"gold {a['gold']!r}" for a in d["attribute_errors"]] or ["  none"]
    return "\n".join(lines) + "\n"
