"""Event extraction: sentences with place mentions -> typed, dated, located events with evidence.

For each sentence (clauses split at ';'), trigger patterns from data/lexicons/events.json give an
event type and subtype. Then, per trigger:
- modality: negated or hypothetical -> dropped; "poised to", "will meet" -> anticipated; "called
  off" -> cancelled; habitual or aggregate statements ("in total during November") -> dropped;
- place: the place mentions after the trigger in its clause (else before it), skipping places used
  as distance references ("120 miles south of Moscow"), metonymic uses ("Moscow said") and
  containers of a more specific place ("Ternivka in Ukraine's Dnipropetrovsk region" -> Ternivka);
  several towns after one trigger are several events. No place -> the next sentence if it opens
  with "In <place>", else country level (the target's country);
- actor: the conflict party (data/lexicons/actors.json) acting at the trigger; interceptions belong
  to the defender; with no party word, the opponent of the side whose territory was hit;
- claim: a party speaking about its own action is `claimed`; the other side denying it nearby makes
  it `disputed`; "could not be independently confirmed" makes it `claimed`;
- counts from geo.numbers, assigned by the words that follow each number;
- date: the date expression nearest the trigger (geo.dates), else the previous sentence's, else the
  published date.
Events of one article with the same type, place and date (within a day) are merged.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from gazetteer import Gazetteer
from gazetteer.place import Place
from geo.dates import find_date_expressions, resolve_expression
from geo.models import Article, Event, Evidence, Mention
from geo.numbers import find_counts
from geo.text import sentences

SPECIFICITY = {"locality": 6, "landmark": 6, "admin2": 4, "water": 3, "admin1": 3, "region": 2,
               "country": 1, "continent": 0}
# Within one article a denial outweighs everything, and a statement of fact outweighs a claim.
CLAIM_RANK = {"disputed": 4, "reported": 3, "claimed": 2, "cancelled": 1, "anticipated": 0}
_DISTANCE_REF = re.compile(r"(?:\b(?:km|kilometers|kilometres|miles|mi)\s+(?:\w+\s+)?(?:of|from)|"
                           r"\bfrom\s+(?:the\s+)?(?:border\s+with\s+)?|\bborder\s+with|\bnorth of|\bsouth of|"
                           r"\beast of|\bwest of|\btowards?|\bflew\s+(?:directly\s+)?from|\bto\b)\s*(?:the\s+)?$")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    raw = json.loads(resources.files("geo_data").joinpath("lexicons", "events.json").read_text("utf-8"))
    lex: dict[str, Any] = {k: v for k, v in raw.items() if not k.startswith("_")}
    lex["triggers"] = [(t, e["subtype"], re.compile(rf"\b(?:{e['pattern']})", re.I))
                       for t, entries in raw["types"].items() for e in entries]
    for key in ("anticipated", "cancelled", "negation", "hypothetical", "aggregate", "unverified",
                "denial", "attribution", "targets", "generic_before", "many_regions"):
        lex[key + "_re"] = re.compile(raw[key], re.I)
    lex["counts_re"] = {k: re.compile(rf"^\W*(?:(?!and\b|but\b|while\b)\w+[^\w,;]+){{0,2}}?{v}\b", re.I)
                        for k, v in raw["counts"].items()}
    lex["weapons_re"] = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in raw["weapons"].items()}
    return lex


@lru_cache(maxsize=1)
def actors() -> list[dict[str, Any]]:
    raw = json.loads(resources.files("geo_data").joinpath("lexicons", "actors.json").read_text("utf-8"))
    for a in raw["actors"]:
        a["alt"] = "|".join(re.escape(w) for w in sorted(a["words"], key=len, reverse=True))
        a["re"] = re.compile(r"(?<![\w-])(?:%s)(?![\w-])" % a["alt"])
    return raw["actors"]


@dataclass
class Trigger:
    type: str
    subtype: str
    start: int
    end: int
    clause: tuple[int, int]
    sentence: tuple[int, int]


def extract_text(text: str, published: dt.date | None = None, article_id: str = "-") -> list[Event]:
    """Geoparse `text` and extract its events (the library entry point behind `geo.extract`)."""
    from geo.geoparser import geoparse

    return extract(text, geoparse(text, article_id=article_id), published, article_id)


def extract_article(article: Article, mentions: list[Mention]) -> list[Event]:
    return extract(article.text, mentions, article.published, article.id)


def extract(text: str, mentions: list[Mention], published: dt.date | None, article_id: str) -> list[Event]:
    """Events of one article, merged within the article, in text order."""
    sents = sentences(text)
    events: list[Event] = []
    prev_date: tuple[dt.date | None, str] = (None, "unknown")
    for k, sent in enumerate(sents):
        s_text = text[sent[0]:sent[1]]
        s_date = _sentence_date(s_text, published)
        for trig in _triggers(text, sent):
            ev = _event(text, trig, mentions, sents, k, published, prev_date, article_id)
            if ev is not None:
                events.extend(ev)
        if s_date[0] is not None:
            prev_date = s_date
    events = _refine_places(text, events, mentions)
    return _merge_within(events)


# ---------------------------------------------------------------- triggers
def _clauses(text: str, sent: tuple[int, int]) -> list[tuple[int, int]]:
    out, start = [], sent[0]
    for m in re.finditer(r";|\s[–—]\s", text[sent[0]:sent[1]]):
        out.append((start, sent[0] + m.start()))
        start = sent[0] + m.end()
    out.append((start, sent[1]))
    return out


def _triggers(text: str, sent: tuple[int, int]) -> list[Trigger]:
    """Trigger matches of a sentence; a span claimed by an earlier (more specific) type is not reused."""
    found: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    for clause in _clauses(text, sent):
        for etype, subtype, rx in lexicon()["triggers"]:
            for m in rx.finditer(text, clause[0], clause[1]):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.append(Trigger(etype, subtype, m.start(), m.end(), clause, sent))
    return sorted(found, key=lambda t: t.start)


# ---------------------------------------------------------------- one event
def _event(text: str, trig: Trigger, mentions: list[Mention], sents, k: int, published: dt.date | None,
           prev_date, article_id: str) -> list[Event] | None:
    lex = lexicon()
    clause_text = text[trig.clause[0]:trig.clause[1]]
    sent_text = text[trig.sentence[0]:trig.sentence[1]]
    if _negated(text, trig) or lex["aggregate_re"].search(clause_text) or \
            lex["generic_before_re"].search(text[max(trig.clause[0], trig.start - 60):trig.start]):
        return None
    status = _modality(text, trig)
    date, precision = _trigger_date(text, trig, published, prev_date)
    if date and published and (published - date).days > lex["max_age_days"]:
        return None  # background history, not a report of a new incident
    actor = _actor(text, trig) or (_doc_side(mentions) if trig.type == "interception" else None)
    spread = lex["many_regions_re"].search(clause_text)
    places = [] if spread else _places(text, trig, mentions)
    if not places and not spread and trig.type not in lex["requires_place"]:
        nxt = _next_sentence_place(text, sents, k, mentions)
        places = [nxt] if nxt else []
    events = []
    if not places:
        if trig.type in lex["requires_place"] or trig.type == "other":
            return None
        country = _country_level(text, trig, actor)
        if country is None:
            return None
        places = [(country, "country")]
    for place, prec in places:
        ev = Event(type=trig.type, subtype=trig.subtype, date=date, date_precision=precision,
                   claim_status=status)
        _locate(ev, place, prec)
        ev.actor = actor or _default_actor(ev)
        ev.weapon = _weapon(clause_text, trig)
        ev.target = _target(text, trig)
        _counts(text, trig, ev)
        _claim(text, trig, sents, k, ev)
        ev.evidence = [Evidence(article_id, trig.sentence[0], trig.sentence[1], sent_text)]
        ev.articles = [article_id]
        ev.confidence = _confidence(ev)
        _acled(ev)
        events.append(ev)
    return events


def _negated(text: str, trig: Trigger) -> bool:
    lex = lexicon()
    before = text[trig.clause[0]:trig.start]
    window = text[max(trig.clause[0], trig.start - 80):min(trig.clause[1], trig.end + 40)]
    return bool(lex["negation_re"].search(window)) or bool(re.search(r"\b(?:if|unless|whether)\b[^,]*$", before, re.I))


def _modality(text: str, trig: Trigger) -> str:
    lex = lexicon()
    window = text[max(trig.clause[0], trig.start - 70):min(trig.clause[1], trig.end + 50)]
    if lex["cancelled_re"].search(window):
        return "cancelled"
    if lex["anticipated_re"].search(window):
        return "anticipated"
    return "reported"


# ---------------------------------------------------------------- dates
def _sentence_date(s_text: str, published: dt.date | None) -> tuple[dt.date | None, str]:
    from geo.dates import resolve_date

    return resolve_date(s_text, published)


def _trigger_date(text: str, trig: Trigger, published: dt.date | None, prev_date) -> tuple[dt.date | None, str]:
    """The date expression nearest the trigger (before it counts as closer), else the last dated
    sentence's, else the published date."""
    s0 = trig.sentence[0]
    best, best_d = None, 1e9
    for start, end, surface in find_date_expressions(text[s0:trig.sentence[1]]):
        a, b = s0 + start, s0 + end
        d = trig.start - b if b <= trig.start else 2 * (a - trig.end) if a >= trig.end else 0
        resolved = resolve_expression(surface, published)
        if resolved[0] is not None and d < best_d:
            best, best_d = resolved, d
    if best is not None:
        return best
    if prev_date[0] is not None and published and abs((published - prev_date[0]).days) <= 7:
        return prev_date
    return (published, "day") if published else (None, "unknown")


# ---------------------------------------------------------------- places
def _places(text: str, trig: Trigger, mentions: list[Mention]) -> list[tuple[Place, str]]:
    """Where the event happened: see the module docstring."""
    c0, c1 = trig.clause
    eligible = [m for m in mentions if c0 <= m.start and m.end <= c1 and m.place is not None
                and m.use == "literal" and not _distance_ref(text, m, c0)]
    if trig.type in ("talks", "protest"):
        eligible = [m for m in eligible if re.search(r"\b(?:in|at)\s+(?:the\s+)?(?:\w+\s+)?$", text[max(c0, m.start - 25):m.start])
                    and -70 <= m.start - trig.end <= 90]
    after = [m for m in eligible if m.start >= trig.start]
    before = [m for m in eligible if m.end <= trig.start]
    chosen = _specific(after, mentions) or _specific(list(reversed(before)), mentions)[:1]
    return [(m.place, _precision(text, m)) for m in chosen]


def _specific(ms: list[Mention], all_mentions: list[Mention]) -> list[Mention]:
    """Towns and landmarks (all distinct ones) if any, else the single most specific place."""
    if not ms:
        return []
    seen, towns = set(), []
    for m in ms:
        if SPECIFICITY.get(m.place.feature, 0) >= 6 and m.place.id not in seen:
            seen.add(m.place.id)
            towns.append(m)
    if towns:
        return towns[:4]
    return [max(ms, key=lambda m: (SPECIFICITY.get(m.place.feature, 0), -abs(m.start - ms[0].start)))]


def _distance_ref(text: str, m: Mention, c0: int) -> bool:
    return bool(_DISTANCE_REF.search(text[max(c0, m.start - 40):m.start]))


def _precision(text: str, m: Mention) -> str:
    f = m.place.feature
    if f == "water":
        return "water"
    if f in ("locality", "landmark") and re.search(r"\b(?:near|outside|close to|off the coast of|off)\s+(?:the\s+)?(?:\w+\s+)?$",
                                                   text[max(0, m.start - 30):m.start], re.I):
        return "near"
    return {"locality": "locality", "landmark": "locality", "admin2": "admin2", "admin1": "admin1",
            "region": "admin1", "country": "country", "continent": "country"}.get(f, "locality")


def _next_sentence_place(text: str, sents, k: int, mentions: list[Mention]) -> tuple[Place, str] | None:
    """"... destroyed an apartment block. In Ternopil, smoke still rose": the place opens the next
    sentence; or the next sentence, reporting no event of its own, names the town."""
    if k + 1 >= len(sents):
        return None
    s0, s1 = sents[k + 1]
    m = re.match(r"\s*(?:In|At|Near)\s+", text[s0:s1])
    if m:
        for men in mentions:
            if men.start == s0 + m.end() and men.place is not None and men.use == "literal":
                return men.place, _precision(text, men)
    if _triggers(text, (s0, s1)):
        return None
    for men in mentions:
        if s0 <= men.start < s1 and men.place is not None and men.use == "literal" \
                and men.place.feature in ("locality", "landmark") and not _distance_ref(text, men, s0):
            return men.place, _precision(text, men)
    return None


def _doc_side(mentions: list[Mention]) -> str | None:
    """The party whose country the article's places mostly lie in (the defender, for interceptions)."""
    counts: dict[str, int] = {}
    for m in mentions:
        if m.place is not None and m.use == "literal" and m.place.country:
            counts[m.place.country] = counts.get(m.place.country, 0) + 1
    if not counts:
        return None
    cc = max(counts, key=counts.get)
    return next((a["name"] for a in actors() if a.get("country") == cc), None)


def _locate(ev: Event, place: Place, precision: str) -> None:
    ev.place, ev.place_id, ev.geonameid = place.name, place.id, place.geonameid
    ev.country, ev.admin1, ev.lat, ev.lon = place.country, place.admin1, place.lat, place.lon
    ev.precision = precision


def _country_level(text: str, trig: Trigger, actor: str | None) -> Place | None:
    """A report with no place of its own: the target's country (interceptions: the defender's)."""
    gaz = Gazetteer.default()
    by_name = {a["name"]: a for a in actors()}
    if trig.type == "interception":
        cc = by_name.get(actor or "", {}).get("country")
        return gaz.country_place(cc) if cc else None
    after = text[trig.start:trig.clause[1]]
    for a in actors():
        m = a["re"].search(after)
        if m and a.get("country") and re.match(r"\s*\w", after[m.end():]) and a["name"] != actor:
            return gaz.country_place(a["country"])
    opp = by_name.get(by_name.get(actor or "", {}).get("opponent") or "", {})
    return gaz.country_place(opp["country"]) if opp.get("country") else None


# ---------------------------------------------------------------- actors and claims
def _party_at(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(start, end, actor name) of every party word between start and end."""
    hits = []
    for a in actors():
        for m in a["re"].finditer(text, start, end):
            hits.append((m.start(), m.end(), a["name"]))
    return sorted(hits)


def _actor(text: str, trig: Trigger) -> str | None:
    s0, s1 = trig.sentence
    hits = _party_at(text, s0, s1)
    if trig.type == "interception":
        return _interceptor(text, trig, hits)
    before = [h for h in hits if h[1] <= trig.start + 2 and not _is_target(text, h, s0)]
    if trig.type in ("capture",):
        src = _source(text, trig)
        forces = [h for h in before if re.match(r"['’]?s?\s+(?:forces|troops|army|military|units)", text[h[1]:h[1] + 20])]
        if forces:
            return forces[-1][2]
        if src:
            return src
    if trig.type == "talks":
        return hits[0][2] if hits else _actor_in_previous(text, s0)
    if before:
        return before[-1][2]
    after = [h for h in hits if h[0] >= trig.end and re.match(r"\s+(?:forces|troops|army|military)", text[h[1]:h[1] + 20])]
    return after[0][2] if after else None


def _is_target(text: str, hit: tuple[int, int, str], s0: int) -> bool:
    return bool(re.search(r"\b(?:on|at|against|into|in|over|from|with|to|of)\s+(?:the\s+)?(?:\w+\s+)?$",
                          text[max(s0, hit[0] - 25):hit[0]]))


def _interceptor(text: str, trig: Trigger, hits) -> str | None:
    """The defender: the opponent of the side whose drones were downed, else the side reporting it."""
    by_name = {a["name"]: a for a in actors()}
    window = text[trig.clause[0]:trig.clause[1]]
    for a in actors():
        m = re.search(r"(?<![\w-])(?:%s)\s+(?:\w+\s+){0,2}(?:drones|missiles|uavs|rockets|aircraft)" % a["alt"], window)
        if m and a.get("opponent"):
            return by_name.get(a["opponent"], {}).get("name")
    return _source(text, trig) or (hits[0][2] if hits else None)


def _actor_in_previous(text: str, s0: int) -> str | None:
    prev = text[max(0, s0 - 300):s0]
    hits = _party_at(prev, 0, len(prev))
    return hits[0][2] if hits else None


def _source(text: str, trig: Trigger) -> str | None:
    """The party a sentence attributes its statement to ("Russia's Defense Ministry said", "according
    to Ukraine's air force", "Russia claimed", "Russia's claim that")."""
    s0, s1 = trig.sentence
    lex = lexicon()
    hits = _party_at(text, s0, s1)
    for m in lex["attribution_re"].finditer(text, s0, s1):
        if m.group().lower() == "according to":
            after = [h for h in hits if 0 <= h[0] - m.end() <= 30]
            if after:
                return after[0][2]
            continue
        near = [h for h in hits if 0 <= m.start() - h[1] <= 35 and "," not in text[h[1]:m.start()]]
        if near:
            return near[-1][2]
    return None


def _default_actor(ev: Event) -> str | None:
    """With no party word: the opponent of the side whose territory was hit."""
    if ev.type not in ("strike", "outage", "capture"):
        return None
    for a in actors():
        if a.get("country") == ev.country and a.get("opponent") and a["name"] in ("Russia", "Ukraine"):
            return a["opponent"]
    return None


def _claim(text: str, trig: Trigger, sents, k: int, ev: Event) -> None:
    if ev.claim_status in ("anticipated", "cancelled"):
        return
    lex = lexicon()
    src = _source(text, trig)
    sent_text = text[trig.sentence[0]:trig.sentence[1]]
    following = text[trig.sentence[1]:sents[min(k + 2, len(sents) - 1)][1]] if k + 1 < len(sents) else ""
    self_claim = src is not None and src == ev.actor and ev.type in ("capture", "interception", "strike", "clash")
    unverified = lex["unverified_re"].search(sent_text) or lex["unverified_re"].search(following)
    if self_claim or (unverified and ev.type in ("capture", "interception", "strike", "clash")):
        ev.claim_status, ev.claimed_by = "claimed", src or ev.actor
        if lex["denial_re"].search(sent_text) or lex["denial_re"].search(following):
            ev.claim_status = "disputed"


# ---------------------------------------------------------------- attributes
def _weapon(clause: str, trig: Trigger) -> str | None:
    if trig.subtype in ("drone strike", "missile strike"):
        return "drone" if trig.subtype == "drone strike" else "missile"
    best = None
    for name, rx in lexicon()["weapons_re"].items():
        m = rx.search(clause)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def _target(text: str, trig: Trigger) -> str | None:
    m = lexicon()["targets_re"].search(text, trig.clause[0], trig.clause[1])
    return m.group().lower() if m else None


def _counts(text: str, trig: Trigger, ev: Event) -> None:
    """Assign each number of the clause by the words right after it ("killing two people" -> fatalities)."""
    c0, c1 = trig.clause
    rx = lexicon()["counts_re"]
    for c in find_counts(text[c0:c1]):
        after = text[c0 + c.end:min(c1, c0 + c.end + 60)]
        before = text[max(c0, c0 + c.start - 25):c0 + c.start]
        kind = None
        if re.search(r"\b(?:killing|killed|kills|leaving)\s+(?:at least\s+|another\s+)?$", before, re.I):
            kind = "fatalities"
        elif re.search(r"\b(?:injuring|injured|wounding|wounded)\s+(?:at least\s+|another\s+)?$", before, re.I):
            kind = "injured"
        kind = kind or next((k for k in ("fatalities", "injured", "missing") if rx[k].match(after)), None)
        if kind is None and ev.type == "outage" and re.match(r"\W*(?:\w+\W+){0,2}?(?:people|homes|households|customers|consumers|residents|subscribers)", after):
            kind = "affected"
        if kind is None and ev.type == "interception" and re.match(r"\s+(?:of them\s+)?(?:were|was|had been)\s+(?:\w+\s+)?(?:shot|intercepted|downed|destroyed|jammed)", after):
            kind = "quantity"
        if kind is None and ev.type != "outage" and rx["quantity"].match(after):
            kind = "quantity"
        if ev.type == "exchange" and kind is not None:
            kind = "quantity"  # bodies and prisoners handed over are not casualties of this event
        if kind and getattr(ev, kind) is None:
            setattr(ev, kind, c.value)


def _confidence(ev: Event) -> float:
    c = 0.55
    c += 0.15 if ev.precision in ("locality", "near", "landmark") else 0.05 if ev.precision in ("admin1", "admin2", "water") else 0
    c += 0.1 if ev.date_precision == "day" else 0
    c += 0.1 if ev.actor else 0
    c += 0.05 if any(getattr(ev, k) is not None for k in ("fatalities", "injured", "quantity", "affected")) else 0
    return round(min(c, 0.95), 2)


def _acled(ev: Event) -> None:
    etype, subs = lexicon()["acled"].get(ev.type, [None, {}])
    ev.acled_event_type = etype
    ev.acled_sub_event_type = subs.get(ev.subtype or "", subs.get("*")) if etype else None


# ---------------------------------------------------------------- document level
def _refine_places(text: str, events: list[Event], mentions: list[Mention]) -> list[Event]:
    """An admin-level event whose article later names a town in that area next to the same kind of
    trigger ("met ... in Florida" ... "the Hallandale Beach talks") moves to that town."""
    for ev in events:
        if ev.precision not in ("admin1", "admin2") or not ev.admin1:
            continue
        for m in mentions:
            p = m.place
            if p is None or p.feature != "locality" or p.admin1 != ev.admin1:
                continue
            window = text[m.end:m.end + 30]
            if any(t == ev.type and rx.match(window.lstrip()) for t, _, rx in lexicon()["triggers"]):
                _locate(ev, p, "locality")
                break
    return events


def _same(a: Event, b: Event) -> bool:
    if a.type != b.type or a.is_fact != b.is_fact:
        return False
    if a.date and b.date and abs((a.date - b.date).days) > 1:
        return False
    if a.place_id == b.place_id:
        return True
    return a.precision == b.precision == "country" and a.country == b.country


def _merge_within(events: list[Event]) -> list[Event]:
    out: list[Event] = []
    for ev in events:
        twin = next((o for o in out if _same(o, ev)), None)
        if twin is None:
            out.append(ev)
            continue
        if CLAIM_RANK[ev.claim_status] > CLAIM_RANK[twin.claim_status]:
            twin.claim_status, twin.claimed_by = ev.claim_status, ev.claimed_by
        for f in ("fatalities", "injured", "missing", "affected", "quantity"):
            if getattr(twin, f) is None:
                setattr(twin, f, getattr(ev, f))
        for f in ("actor", "weapon", "target"):
            if getattr(twin, f) is None:
                setattr(twin, f, getattr(ev, f))
        if twin.date_precision != "day" and ev.date_precision == "day":
            twin.date, twin.date_precision = ev.date, ev.date_precision
        twin.evidence.extend(e for e in ev.evidence if e.start not in {x.start for x in twin.evidence})
        twin.confidence = round(min(0.99, twin.confidence + 0.05), 2)
    return out



