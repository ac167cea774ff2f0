"""One incident, one event: merging within an article.

- Body events of one type at one place within a day are one incident (the same strike told in the
  lede and again in the fifth paragraph); its counts are the highest figure given (tolls rise as a
  story is updated: "at least 20" then "21"), its date the earlier day when two are given.
- A headline, caption or subheading event only corroborates the body event it summarises (same type,
  the same or a nearby place, whatever its date); a caption with none is dropped, a headline with
  none is kept.
- A country-level event with no figures of its own folds into a located event of the same type, day,
  country and side: it is the same incident told without its place. An admin-1-level event folds
  into a located event of the same type and day inside that area.
- The same toll (three or more dead) by the same side within a few days and 50 km is one incident
  told twice, whatever type each telling was read as.
"""
from __future__ import annotations

from collections.abc import Callable

from gazetteer.core import km
from geo.events.counts import COUNT_FIELDS
from geo.models import Event

CLAIM_RANK = {"disputed": 4, "reported": 3, "claimed": 2, "cancelled": 1, "anticipated": 0}
_CASUALTIES = ("fatalities", "injured", "missing", "affected")
_POINTS = ("locality", "landmark", "near")
SAME_SITE_KM = 8.0


def same(a: Event, b: Event, undated: bool = False) -> bool:
    """`undated`: one of the two has no day of its own (borrowed from another sentence or the
    publication): at the very same place it is the incident told again ("The group managed to seize
    the town despite ..."), whatever day it borrowed."""
    if a.type != b.type or a.is_fact != b.is_fact:
        return False
    if a.date and b.date and abs((a.date - b.date).days) > 1 and not (
            undated and a.place_id == b.place_id and a.location == b.location):
        return False
    if _other_weapon(a, b) and not undated:
        return False
    if a.type == "capture" and a.actor and b.actor and a.actor != b.actor:
        return False  # taken by one side, retaken by the other the next day: two events
    if a.place_id == b.place_id and (a.lat, a.lon) == (b.lat, b.lon):
        return True
    if a.precision in _POINTS and b.precision in _POINTS and None not in (a.lat, a.lon, b.lat, b.lon) \
            and (_landmark(a) or _landmark(b)) and km(a.lat, a.lon, b.lat, b.lon) <= SAME_SITE_KM:
        return True  # "the port of X", "X's naval base", "X": one incident told by its landmarks
    if a.type == "exchange" and a.date == b.date and a.precision == b.precision == "country":
        return True  # one swap has two sides: "Ukraine received 1,000 bodies ... Russia received 30";
        # handovers at named places are one event each (hostages freed in X, then in Y)
    return a.precision == b.precision == "country" and a.country == b.country


def absorb(twin: Event, ev: Event, claim: bool = True, dated: bool = True) -> None:
    """Fold `ev` (another telling of the same incident) into `twin`; `dated=False` for a headline, whose
    day (often the publication's or a caption's) never replaces the body's."""
    if claim and CLAIM_RANK[ev.claim_status] > CLAIM_RANK[twin.claim_status]:
        twin.claim_status, twin.claimed_by = ev.claim_status, ev.claimed_by
    for f in COUNT_FIELDS:
        mine, theirs = getattr(twin, f), getattr(ev, f)
        if theirs is not None and (mine is None or theirs > mine):  # the latest toll or the full tally
            setattr(twin, f, theirs)
    for f in ("actor", "actor2", "assoc_actor_1", "assoc_actor_2", "inter1", "inter2", "interaction",
              "civilian_targeting", "weapon", "target"):
        if getattr(twin, f) is None:
            setattr(twin, f, getattr(ev, f))
    if twin.subtype in (None, "strike") and ev.subtype not in (None, "strike"):
        twin.subtype = ev.subtype
    if dated or twin.date is None:
        _fold_date(twin, ev, claim)
    seen = {x.start for x in twin.evidence}
    twin.evidence.extend(e for e in ev.evidence if e.start not in seen)
    twin.confidence = round(min(0.99, twin.confidence + 0.05), 2)


def _fold_date(twin: Event, ev: Event, claim: bool) -> None:
    if twin.date_precision != "day" and ev.date_precision == "day":
        twin.date, twin.date_precision = ev.date, ev.date_precision
    elif (not claim or twin.type not in ("talks", "protest")) and twin.date_precision == ev.date_precision == "day" \
            and ev.date and twin.date and ev.date < twin.date:
        twin.date = ev.date  # two days for one incident: the later is usually the day it was reported


def _landmark(e: Event) -> bool:
    """A site inside a town (a port, a base, a plant): gazetteer ids of curated sites and airports."""
    return bool(e.place_id) and not e.place_id.startswith("gn:")


def within(events: list[Event], inherited: dict[int, int] | None = None,
           unknown: set[int] | frozenset[int] = frozenset()) -> list[Event]:
    """Fold each event into an earlier one it is another telling of. A day borrowed from another
    sentence (`inherited` ids: when.PREVIOUS) never replaces a day the text gives; a given day replaces a
    borrowed one, and a day borrowed from a sentence replaces the publication's (when.PUBLICATION).
    An event at a place the gazetteer lacks (`unknown` ids: located at a town near it or its area) is
    another incident than one at that town or area, or at another unknown place."""
    inherited = {} if inherited is None else inherited
    out: list[Event] = []
    for ev in events:
        twin = next((o for o in out if same(o, ev, undated=id(o) in inherited or id(ev) in inherited)
                     and not _other_unknown(o, ev, unknown)), None)
        if twin is None:
            out.append(ev)
        elif inherited.get(id(twin), 0) > inherited.get(id(ev), 0) and ev.date is not None:
            absorb(twin, ev, dated=False)
            twin.date, twin.date_precision = ev.date, ev.date_precision
            if id(ev) in inherited:
                inherited[id(twin)] = inherited[id(ev)]
            else:
                del inherited[id(twin)]
        else:
            absorb(twin, ev, dated=id(ev) not in inherited)
    return out


def _other_unknown(a: Event, b: Event, unknown: set[int] | frozenset[int]) -> bool:
    if id(a) not in unknown and id(b) not in unknown:
        return False
    return (a.location or "").lower() != (b.location or "").lower()


def document(found: list[tuple[Event, str]], unknown: set[int] = frozenset(),
             summaries: set[int] = frozenset(), inherited: dict[int, int] | None = None) -> list[Event]:
    """The article's events, merged (see the module docstring), in text order. `unknown` holds the ids
    of events at places the gazetteer lacks: located at their area, they are no vague telling of a
    located twin there. `summaries` holds the ids of country-level events that sum up several places
    ("strikes on nine locations killed 26"): dropped where the article tells a located one of their
    type, day and country, whose own counts they must not overwrite. `inherited` holds the ids of events
    whose sentence gives no date of theirs, with where their day comes from (when.PREVIOUS, when.PUBLICATION)."""
    inherited = dict(inherited or {})
    body = within([e for e, kind in found if kind == "body"], inherited, unknown)
    rest = []
    for ev, kind in found:
        if kind == "body":
            continue
        twin = next((o for o in body if summarises(ev, o)), None)
        if twin is not None:
            absorb(twin, ev, claim=False, dated=False)
        elif kind == "headline":
            rest.append(ev)
    events = within(body + rest, inherited, unknown)
    out: list[Event] = []
    for ev in events:
        if id(ev) in summaries and _located_twin(ev, events) is not None:
            continue
        twin = None if id(ev) in unknown else (_finer_twin(ev, events, inherited)
                                               or _unknown_place_in(ev, events, unknown))
        if twin is None:
            out.append(ev)
        else:
            absorb(twin, ev, claim=False, dated=id(ev) not in inherited)  # a borrowed day never replaces its own
    out = _same_toll(_fighting_at_the_capture(_protest_clashes(_complex_attacks(out))))
    return sorted(out, key=lambda e: min(x.start for x in e.evidence))


_PLACE_FIELDS = ("place", "place_id", "geonameid", "country", "admin1", "lat", "lon", "precision", "location",
                 "geo_precision")


def _fighting_at_the_capture(events: list[Event]) -> list[Event]:
    """"took the base in X, the army's main base in Y region, following fierce battles": fighting told at
    a region in the sentence of the capture of a place in it, or only at the country that day, was fought
    at the taken place (and is one with fighting told there already); "fighting raged across the region"
    in a sentence of its own stays the region's."""
    out: list[Event] = []
    moved: set[int] = set()
    for ev in events:
        taken = _taken_place(ev, events)
        if taken is None:
            out.append(ev)
            continue
        for f in _PLACE_FIELDS:
            setattr(ev, f, getattr(taken, f))
        moved.add(id(ev))
        twin = next((o for o in events if o is not ev and o.type == "clash" and o.place_id == ev.place_id
                     and o.date == ev.date and o.precision == ev.precision
                     and (id(o) not in moved or any(x is o for x in out))), None)
        if twin is None:
            out.append(ev)
        else:
            absorb(twin, ev, claim=False, dated=False)
    return out


def _taken_place(ev: Event, events: list[Event]) -> Event | None:
    """The one located capture where region- or country-level fighting `ev` was fought (see above)."""
    if ev.type != "clash" or ev.precision not in ("admin1", "region", "country"):
        return None
    taken = [o for o in events if o.type == "capture" and o.date == ev.date and o.is_fact == ev.is_fact
             and o.precision in ("locality", "near", "landmark") and o.country == ev.country
             and (ev.precision == "country" or (ev.admin1 and o.admin1 == ev.admin1))]
    if len({o.place_id for o in taken}) != 1 or not (ev.precision == "country" or _same_sentence(ev, taken[0])):
        return None
    return taken[0]


def _same_sentence(a: Event, b: Event) -> bool:
    return bool({x.start for x in a.evidence} & {x.start for x in b.evidence})


def _same_scene(a: Event, b: Event) -> bool:
    """The same place and day, both facts (or neither)."""
    return a.place_id == b.place_id and a.date == b.date and a.is_fact == b.is_fact


def _fold(events: list[Event], host_of: Callable[[Event], Event | None]) -> list[Event]:
    """Fold each event that `host_of` gives a host into that host (its counts and evidence), keep the rest."""
    out = []
    for ev in events:
        host = host_of(ev)
        if host is None:
            out.append(ev)
        else:
            absorb(host, ev, claim=False, dated=False)
    return out


_VIOLENT = ("strike", "clash", "other")
TOLL_KM = 50.0


def _same_toll(events: list[Event]) -> list[Event]:
    """"40 people were killed in the raid on X" and, in a governor's quote further down, "the raid
    that took 40 lives": the same toll (three or more dead) by the same side within a few days and
    50 km is one incident told twice, whatever type each telling was read as; the later folds into
    the first."""
    def first_telling(ev: Event) -> Event | None:
        if ev.type not in _VIOLENT or not ev.fatalities or ev.fatalities < 3:
            return None
        return next((o for o in events if o is not ev and o.type in _VIOLENT and o.fatalities == ev.fatalities
                     and o.is_fact == ev.is_fact and o.country == ev.country
                     and (not o.actor or not ev.actor or o.actor == ev.actor)
                     and o.date and ev.date and abs((o.date - ev.date).days) <= 3
                     and None not in (o.lat, o.lon, ev.lat, ev.lon) and km(o.lat, o.lon, ev.lat, ev.lon) <= TOLL_KM
                     and min(x.start for x in o.evidence) < min(x.start for x in ev.evidence)), None)
    return _fold(events, first_telling)


_BOMBS = ("remote explosive", "suicide bomb")


def _complex_attacks(events: list[Event]) -> list[Event]:
    """A bomb that opens an assault ("a car bomb exploded, followed by gunfire" as militants stormed the
    camp) is one complex attack, coded as the fighting (ACLED's convention): a bombing, or an attack with
    no weapon named ("the fighters struck the community"), at the very place and day of a clash or an
    attack on civilians is folded into it."""
    def fight(ev: Event) -> Event | None:
        if ev.type != "strike" or not (ev.subtype in _BOMBS or not ev.weapon):
            return None
        return next((o for o in events if o.type in ("clash", "other") and o.location == ev.location
                     and _same_scene(o, ev)), None)
    return _fold(events, fight)


def _protest_clashes(events: list[Event]) -> list[Event]:
    """"protests descended into violent clashes": clashes with no armed side, at the place and on the day
    of a protest, are that protest turned violent (its casualties are the protest's), not armed fighting."""
    def rally(ev: Event) -> Event | None:
        if ev.type != "clash" or ev.actor:
            return None
        return next((o for o in events if o.type == "protest" and _same_scene(o, ev)), None)
    return _fold(events, rally)


def _located_twin(ev: Event, events: list[Event]) -> Event | None:
    return next((o for o in events if o is not ev and o.precision != "country" and o.type == ev.type
                 and o.country == ev.country and o.is_fact == ev.is_fact
                 and o.date and ev.date and abs((o.date - ev.date).days) <= 1), None)


def _other_weapon(a: Event, b: Event) -> bool:
    """"intercepted the missile" yesterday, "a drone" on Saturday: other weapons on other days, two incidents."""
    return bool(a.weapon and b.weapon and a.weapon != b.weapon and a.date != b.date)


def _finer_twin(ev: Event, events: list[Event], inherited: dict[int, int] | None = None) -> Event | None:
    """The located event that `ev` (at a country or a region) tells without its place. Two days that
    the text gives each ("on Dec. 12" a strike on the city, "on Dec. 13" strikes in its region) are two
    incidents; not so for talks and protests, which run on over days."""
    def days_fit(o: Event) -> bool:
        if not (o.date and ev.date) or abs((o.date - ev.date).days) > 1 or _other_weapon(o, ev):
            return False
        return o.date == ev.date or id(o) in (inherited or {}) or id(ev) in (inherited or {}) or ev.type in ("talks", "protest")

    if ev.precision == "country" and not any(getattr(ev, f) for f in _CASUALTIES):
        return next((o for o in events if o is not ev and o.precision != "country" and _tells(ev, o)
                     and o.country == ev.country and o.is_fact == ev.is_fact and _no_more_weapons(ev, o)
                     and (not o.actor or not ev.actor or o.actor == ev.actor) and days_fit(o)), None)
    if ev.precision in ("admin1", "region") and ev.admin1 and ev.geo_precision != 2:
        return next((o for o in events if o is not ev and o.precision in ("locality", "near")
                     and o.type == ev.type and o.admin1 == ev.admin1 and o.is_fact == ev.is_fact and days_fit(o)), None)
    return None


def _unknown_place_in(ev: Event, events: list[Event], unknown: set[int] | frozenset[int]) -> Event | None:
    """"took control of two settlements in the X region" and the villages named there that the gazetteer
    lacks (located at X): the region-level telling is theirs, a few days apart as a report and its
    incidents may be."""
    if ev.precision not in ("admin1", "region") or not ev.admin1 or ev.type not in ("capture", "clash"):
        return None
    return next((o for o in events if id(o) in unknown and o is not ev and o.type == ev.type
                 and o.admin1 == ev.admin1 and o.is_fact == ev.is_fact
                 and o.date and ev.date and abs((o.date - ev.date).days) <= 3), None)


def _no_more_weapons(ev: Event, o: Event) -> bool:
    """A country-level event with weapons counted can tell the located one only if it counts fewer
    ("one of the drones hit a ship" after "two sea drones attacked the base"): a national tally of
    launches or interceptions is a fact of its own."""
    return ev.quantity is None or (o.quantity is not None and ev.quantity < o.quantity)


def _tells(ev: Event, o: Event) -> bool:
    """Can country-level `ev` be a telling of located `o`? Of its type, or, for arson, sabotage or an
    attack with no weapon, of the fighting located that day ("stormed a prison in central X, setting
    fire to the police station" and the clash at the town)."""
    return o.type == ev.type or (ev.type in ("strike", "other") and not ev.weapon and o.type == "clash"
                                 and ev.date == o.date)


def summarises(head: Event, ev: Event) -> bool:
    if head.type != ev.type:
        return False
    if head.place_id == ev.place_id:
        return True
    if head.precision == "country":
        return head.country == ev.country
    if head.precision in ("admin1", "admin2") or ev.precision in ("admin1", "admin2"):
        if head.admin1 and head.admin1 == ev.admin1:
            return True
    if None not in (head.lat, head.lon, ev.lat, ev.lon):
        return km(head.lat, head.lon, ev.lat, ev.lon) <= 40
    return False
