"""ACLED CSV: stored events in the 31 columns of ACLED's public codebook, in ACLED's order and formats.

An analyst's ACLED scripts should read this file unchanged, so by default it has exactly ACLED's
columns (`ACLED_COLUMNS`); `extra=True` appends this project's fields that ACLED lacks
(`ACLED_EXTRA`) after them. Column by column (ACLED Codebook, "ACLED Data Columns at a Glance"):

- ``event_id_cnty`` the stored event id (ISO3 + digits); ``event_date`` year-month-day; ``year``;
  ``time_precision`` 1 day, 2 week, 3 month or less precise;
- ``disorder_type``, ``event_type``, ``sub_event_type``: `code_event` (data/acled/crosswalk.json):
  strike -> Explosions/Remote violence with the sub-event type its weapon implies; capture -> Battles
  (Government regains territory when the state forces of that country took it, Non-violent transfer
  of territory when nobody fought); clash -> Armed clash; interception -> Disrupted weapons use; talks
  and exchange -> Agreement (the codebook lists peace talks and prisoner exchanges there); protest ->
  Peaceful protest, Protest with intervention, Violent demonstration (Riots) or Excessive force
  against protesters ("Political violence; Demonstrations") by what the report says; outage ->
  the attack that caused it (Explosions/Remote violence) or Strategic developments / Other;
- ``actor1``, ``assoc_actor_1``, ``actor2``, ``assoc_actor_2``, ``inter1``, ``inter2``: as the
  extractor found them (a protest with no named actor is ACLED's generic "Protesters (Country)",
  inter 6); ``inter2`` is 0 for a one-sided event, as in ACLED's numeric coding; ``interaction`` the
  two codes lower first (13), or the sole actor's code times ten (10); `inter_labels=True` writes
  ACLED's current text values instead ("State forces", "State forces-Civilians", "State forces only");
- ``civilian_targeting`` "Civilians targeted" or empty; ``iso`` ISO 3166 numeric; ``region`` one of
  ACLED's regions and ``country`` ACLED's country name (data/acled/countries.tsv); ``admin1``..``admin3``
  names (never codes; admin3 is empty: the gazetteer has no third level); ``location`` the place as
  named; ``latitude``/``longitude`` four decimals; ``geo_precision`` 1-3;
- ``source`` the publishers joined by "; ", ``source_scale`` from data/acled/sources.tsv ("National",
  "National-International", empty when a publisher is unknown); ``notes`` the evidence;
  ``fatalities`` 0 when unknown (ACLED's rule); ``tags`` "crowd size=..." for demonstrations;
  ``timestamp`` Unix seconds of the event's last update in the store.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import re
from importlib import resources
from typing import Any

from geo.models import GEO_PRECISION
from geo.store import country_isonumeric, country_name

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)
# This project's fields with no ACLED column, appended after ACLED's with `extra=True`.
ACLED_EXTRA: tuple[str, ...] = (
    "type", "subtype", "date_precision", "precision", "target", "weapon", "quantity", "injured",
    "missing", "affected", "claim_status", "claimed_by", "confidence", "country_code",
    "admin1_code", "admin2_code", "place", "place_id", "geonameid", "articles",
)
TIME_PRECISION = {"day": 1, "week": 2, "month": 3, "unknown": 3}
CIVILIANS_TARGETED = "Civilians targeted"


# ---------------------------------------------------------------- data files

def _data(name: str) -> str:
    return (resources.files("geo_data") / "acled" / name).read_text(encoding="utf-8")


def _tsv(name: str) -> list[dict[str, str]]:
    lines = [ln for ln in _data(name).splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _words_rx(alternation: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I)


@functools.lru_cache(maxsize=1)
def crosswalk() -> dict[str, Any]:
    """data/acled/crosswalk.json with its patterns compiled."""
    cw = json.loads(_data("crosswalk.json"))
    weapon = [(sub, _words_rx(rx)) for sub, rx in cw["weapon_rules"]]
    for spec in cw["types"].values():
        spec["rules"] = weapon if spec["rules"] == "weapon_rules" else [(s, _words_rx(r)) for s, r in spec["rules"]]
        if "attack_words" in spec:
            spec["attack_rx"] = _words_rx(spec["attack_words"])
    cw["weapon_rules"] = weapon
    cw["inter_labels"] = {int(k): v for k, v in cw["inter_labels"].items()}
    return cw


@functools.lru_cache(maxsize=1)
def countries() -> dict[str, dict[str, str]]:
    """ISO alpha-2 -> {acled_country, region} (data/acled/countries.tsv)."""
    return {r["iso2"]: r for r in _tsv("countries.tsv")}


@functools.lru_cache(maxsize=1)
def _sources() -> dict[str, tuple[str, str]]:
    """Lower-case publisher name or alias -> (home country, home scale)."""
    out = {}
    for r in _tsv("sources.tsv"):
        for name in r["source"].split("|"):
            out[name.strip().lower()] = (r["country"] or "", r["home_scale"])
    return out


@functools.lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """Demonym -> ISO country (data/lexicons/demonyms.tsv), for telling a state's own forces."""
    text = (resources.files("geo_data") / "lexicons" / "demonyms.tsv").read_text(encoding="utf-8")
    rows = csv.DictReader([ln for ln in text.splitlines() if ln and not ln.startswith("#")], delimiter="\t")
    return {r["demonym"].lower(): r["code"] for r in rows if len(r["code"]) == 2}


# ---------------------------------------------------------------- event and sub-event types

def _first_rule(rules: list[tuple[str, re.Pattern[str]]], text: str) -> str | None:
    return next((sub for sub, rx in rules if rx.search(text)), None)


def _is_own_state(actor: str | None, country: str | None, inter1: int | None) -> bool:
    """Whether `actor` names the state forces of `country` ("Ukraine", "Sudanese Armed Forces")."""
    if not actor or not country or inter1 in (2, 3, 4, 5, 6, 7, 8):
        return False
    names = {n.lower() for n in (country_name(country), countries().get(country, {}).get("acled_country")) if n}
    words = re.findall(r"[\w'-]+", actor.lower())
    text = " ".join(words)
    if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in names):
        return True
    dem = _demonyms()
    return any(dem.get(w) == country for w in words)


def code_event(row: dict[str, Any]) -> tuple[str, str, str]:
    """(event_type, sub_event_type, disorder_type) of one stored event, in ACLED's taxonomy.

    Rules on what the report says (weapon words, who took a place, fatalities at a protest, an
    attack behind an outage) come first, then the default of the event's type. The extractor's
    stored ACLED pair is used only for type 'other' (when it is a valid pair): for the other types
    this crosswalk is the one place where ACLED coding is decided."""
    cw = crosswalk()
    subs = cw["sub_event_types"]
    spec = cw["types"].get(row.get("type") or "", cw["types"]["other"])
    own = " ".join(str(row.get(k) or "") for k in ("subtype", "weapon"))
    evidence = str(row.get("evidence") or "")
    sub = _first_rule(spec["rules"], own) or _first_rule(spec["rules"], evidence)
    if row.get("type") == "protest" and sub != "Violent demonstration" and (row.get("fatalities") or 0) > 0:
        sub = spec["fatal"]
    if row.get("type") == "capture" and sub is None and _is_own_state(row.get("actor"), row.get("country"),
                                                                      row.get("inter1")):
        sub = spec["own_state"]
    if row.get("type") == "outage" and (row.get("actor") or row.get("weapon") or spec["attack_rx"].search(own + " " + evidence)):
        sub = (_first_rule(cw["weapon_rules"], own) or _first_rule(cw["weapon_rules"], evidence)
               or spec["attack_default"])
    if sub is None and row.get("type") == "other":  # the extractor may know what ACLED calls it
        stored = row.get("acled_sub_event_type")
        sub = stored if stored in subs and subs[stored][0] in (row.get("acled_event_type"), None, "") else None
    sub = sub or spec["default"]
    event_type, disorder = subs[sub]
    return event_type, sub, disorder


# ---------------------------------------------------------------- actors

def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: the two inter codes, lower first (13); a sole actor's code times ten (10)."""
    codes = sorted(c for c in (inter1, inter2) if c)
    if not codes:
        return None
    return codes[0] * 10 if len(codes) == 1 else codes[0] * 10 + codes[1]


def _interaction_label(code: int | None) -> str:
    if code is None:
        return ""
    labels = crosswalk()["inter_labels"]
    a, b = divmod(code, 10)
    return f"{labels[a]} only" if b == 0 else f"{labels[a]}-{labels[b]}"


def _actors(row: dict[str, Any], event_type: str, country: str) -> dict[str, Any]:
    """actor1 .. interaction as ACLED codes them; generic 'Protesters (Country)' for demonstrations."""
    actor1, inter1 = row.get("actor"), row.get("inter1")
    generic = {"Protests": ("Protesters", 6), "Riots": ("Rioters", 5)}.get(event_type)
    if generic and not actor1:
        actor1, inter1 = f"{generic[0]} ({country})" if country else generic[0], generic[1]
    inter2 = row.get("inter2")
    if inter2 is None and inter1 and not row.get("actor2"):
        inter2 = 0  # one-sided: ACLED's numeric coding writes 0
    interaction = row.get("interaction") or (interaction_code(inter1, inter2) if inter1 else None)  # ACLED: actor 1's type first
    return {"actor1": actor1 or "", "assoc_actor_1": row.get("assoc_actor_1") or "", "inter1": inter1,
            "actor2": row.get("actor2") or "", "assoc_actor_2": row.get("assoc_actor_2") or "",
            "inter2": inter2, "interaction": interaction}


def _civilian_targeting(row: dict[str, Any], event_type: str, sub: str, inter2: int | None) -> str:
    flag = row.get("civilian_targeting")
    if flag is None:  # civilians as the second actor of a one-sided kind of violence (ACLED's rule)
        flag = inter2 == 7 and (event_type in crosswalk()["civilian_targeting_types"]
                                or sub == "Excessive force against protesters")
    return CIVILIANS_TARGETED if flag else ""


# ---------------------------------------------------------------- sources and names

def source_scale(sources: list[str], country: str | None) -> str:
    """ACLED's source_scale for the publishers of an event in `country` ('' when none is known)."""
    known = _sources()
    region = countries().get(country or "", {}).get("region")
    scales = set()
    for s in sources:
        home, scale = known.get((s or "").strip().lower(), (None, None))
        if scale is None:
            continue
        if home and home != country:
            scale = "Regional" if region and countries().get(home, {}).get("region") == region else "International"
        scales.add(scale)
    order = crosswalk()["source_scales"]
    return "-".join(s for s in order if s in scales)


class AdminNames:
    """Admin-1 / admin-2 display names for GeoNames codes ("Kherson Oblast", "Khersonskyi Raion"),
    from the gazetteer's `admin_names`; never the codes themselves. Where the gazetteer knows no
    admin-1 name, the name the store recorded for that admin-1 row is used."""

    def __init__(self) -> None:
        self._gaz: Any = None

    def _gazetteer(self) -> Any:
        if self._gaz is None:
            from gazetteer import Gazetteer

            self._gaz = Gazetteer.default()
        return self._gaz

    def __call__(self, admin1: str | None, admin2: str | None, stored_admin1: str | None = None) -> tuple[str, str]:
        if not admin1 and not admin2:
            return stored_admin1 or "", ""
        a1, a2 = self._gazetteer().admin_names(admin1, admin2)
        return a1 or stored_admin1 or "", a2 or ""


# ---------------------------------------------------------------- rows

def _notes(evidence: str | None) -> str:
    return " ".join((evidence or "").split())


def _tags(row: dict[str, Any], event_type: str) -> str:
    if event_type not in ("Protests", "Riots"):
        return ""
    q = row.get("quantity")
    return f"crowd size={q}" if q else "crowd size=no report"


def _timestamp(value: Any) -> int | str:
    """Unix seconds; the store keeps naive local times (datetime.now()), which timestamp() reads as local."""
    return int(value.timestamp()) if isinstance(value, dt.datetime) else ""


def acled_row(row: dict[str, Any], names: AdminNames, inter_labels: bool = False,
              extra: bool = False) -> dict[str, Any]:
    """One stored event (`Store.events` dict plus `admin2`, `updated_at`) as an ACLED CSV row."""
    date = row.get("date")
    cc = (row.get("country") or "").upper()
    info = countries().get(cc, {})
    country = info.get("acled_country") or country_name(cc) or ""
    event_type, sub, disorder = code_event(row)
    actors = _actors(row, event_type, country)
    admin1, admin2 = names(row.get("admin1"), row.get("admin2"), row.get("admin1_name"))
    precision = row.get("geo_precision") or GEO_PRECISION.get(row.get("precision") or "", 3)
    lat, lon = row.get("lat"), row.get("lon")
    out: dict[str, Any] = {
        "event_id_cnty": row["event_id"],
        "event_date": date or "",
        "year": int(date[:4]) if date else "",
        "time_precision": TIME_PRECISION.get(row.get("date_precision") or "unknown", 3),
        "disorder_type": disorder, "event_type": event_type, "sub_event_type": sub,
        **actors,
        "civilian_targeting": _civilian_targeting(row, event_type, sub, actors["inter2"]),
        "iso": country_isonumeric(cc) if cc else "",
        "region": info.get("region", ""), "country": country,
        "admin1": admin1, "admin2": admin2, "admin3": "",
        "location": row.get("location") or row.get("place") or country,
        "latitude": round(lat, 4) if lat is not None else "",
        "longitude": round(lon, 4) if lon is not None else "",
        "geo_precision": precision,
        "source": "; ".join(row.get("sources") or row.get("articles") or []),
        "source_scale": source_scale(row.get("sources") or [], cc),
        "notes": _notes(row.get("evidence")),
        "fatalities": row.get("fatalities") or 0,
        "tags": _tags(row, event_type),
        "timestamp": _timestamp(row.get("updated_at")),
    }
    if inter_labels:
        labels = crosswalk()["inter_labels"]
        out["inter1"] = labels.get(out["inter1"] or 0, "")
        out["inter2"] = labels.get(out["inter2"] or 0, "")
        out["interaction"] = _interaction_label(out["interaction"])
    for k in ("inter1", "inter2", "interaction"):
        out[k] = "" if out[k] is None else out[k]
    if extra:
        aliases = {"country_code": "country", "admin1_code": "admin1", "admin2_code": "admin2"}
        for k in ACLED_EXTRA:
            v = row.get(aliases.get(k, k))
            out[k] = ";".join(v) if k == "articles" else ("" if v is None else v)
    return out


def merge_attack_outages(rows: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop the ACLED rows of outages that repeat an attack already in `records`.

    An outage an attack caused is coded as that attack; when the same actor's Explosions/Remote
    violence event is recorded at the same place (or inside the outage's admin-1 area) on the same
    day, ACLED's aggregation rule makes them one event, so the outage row goes and its notes are
    added to the attack's. `rows` are the stored events `records` were made from, in the same order."""
    attacks: dict[tuple, dict[str, Any]] = {}
    for row, rec in zip(rows, records):
        if row.get("type") != "outage" and rec["event_type"] == "Explosions/Remote violence":
            for area in (row.get("place_id"), row.get("admin1")):
                attacks.setdefault((rec["event_date"], rec["actor1"], area), rec)
    out = []
    for row, rec in zip(rows, records):
        area = row.get("admin1") if row.get("precision") == "admin1" else row.get("place_id")
        attack = (attacks.get((rec["event_date"], rec["actor1"], area))
                  if row.get("type") == "outage" and rec["event_type"] == "Explosions/Remote violence" and area else None)
        if attack is None:
            out.append(rec)
        elif rec["notes"] and rec["notes"] not in attack["notes"]:
            attack["notes"] = f"{attack['notes']} {rec['notes']}".strip()
    return out


def columns(extra: bool = False) -> list[str]:
    return list(ACLED_COLUMNS + (ACLED_EXTRA if extra else ()))
