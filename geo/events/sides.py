"""Who: the sides of an event (ACLED's actor1/actor2, their inter codes and interaction).

The actor is the side that acted: the agent of the trigger's clause ("Russian drones hit X", "an attack
by Hamas"), the speaker when it says "we" or "it" ("Hezbollah said it fired"), the article's armed group
of that kind for a generic "militants" or "the army", and for an interception the defender (never the
attacker the article names). With no side in the text, the one outside enemy of the country that was
hit (`default_actor`). A capital or state name is a party, not a place, unless its possessive owns a
structure ("Kyiv's heating system").
"""
from __future__ import annotations

import re

from geo.events import actors as actors_mod
from gazetteer import Gazetteer
from geo.events import claims
from geo.events.actors import Actor, by_name, parties
from geo.events.document import Document
from geo.events.lexicon import cues, patterns
from geo.events.nlp import Parsed
from geo.events.triggers import Trigger
from geo.models import Event, Mention

_PRONOUN = {"it", "its", "they", "their", "them", "we", "our", "he", "his", "she", "her"}


def actor_of(doc: Document, p: Parsed, trig: Trigger, pred: int, attacker: str | None,
             countries: frozenset[str]) -> str | None:
    """The side that acted (`attacker`: the article's latest strike's, which an interception is not)."""
    text = doc.text
    if trig.type == "interception":
        return _defender(doc, p, trig, pred, attacker, countries)
    if trig.type == "protest":
        return None
    if trig.type == "clash":
        attacker = _attacker(text, p, trig, countries)
        if attacker:
            return attacker
        if repelled(trig):  # "the army foiled an attack": the attack was the other side's
            for a, b in actors_mod.agent_spans(p, trig, pred):
                hits = parties(text, a, b, countries) or ([claims.speaker(doc, p, trig, countries)]
                                                          if _pronoun_at(text, a, b) else [])
                hits = [h.actor if hasattr(h, "actor") else h for h in hits if h is not None]
                if hits and hits[0].opponent:
                    return hits[0].opponent
            return dominant_irregular(doc, countries)
    if trig.type == "capture" and p.toks[trig.anchor].lemma in ("come", "fall"):
        taker = parties(text, trig.start, min(p.end, trig.end + 40), countries)
        if taker:  # "came under Fano forces", "fell to the rebels": the side named after the phrase
            return taker[0].actor.name
    if trig.type == "capture" and trig.subtype == "handover":
        return _recipient(text, p, trig, countries)
    spans = actors_mod.agent_spans(p, trig, pred)
    for a, b in spans:
        hits = [h for h in parties(text, a, b, countries) if not text.startswith(":", h.end)]
        if hits:
            return hits[0].actor.name
        if _pronoun_at(text, a, b):  # "Hezbollah said it fired": the speaker
            src = claims.speaker(doc, p, trig, countries)
            if src is not None:
                return src.name
        generic = _generic_side(doc, text[a:b], countries)
        if generic:
            return generic
    found = _actor_by_words(text, p, trig, countries)
    if found and (not p.parsed or trig.type in ("exchange", "talks")):
        return found
    if trig.type in ("capture", "clash"):
        src = claims.speaker(doc, p, trig, countries)
        if src is not None:
            return src.name
    if trig.type == "talks":  # "The US envoy travelled to the region. He met ...": the side of the sentence before
        s = doc.sentence_of(p.start)
        if s is not None and s.index:
            prev = doc.sentences[s.index - 1]
            hits = parties(text, prev.start, prev.end, countries)
            if hits and prev.paragraph == s.paragraph:
                return hits[0].actor.name
    return None


def _recipient(text: str, p: Parsed, trig: Trigger, countries: frozenset[str]) -> str | None:
    """"The army handed the town over to the YPG": a handover is a capture by the side it goes to
    (the object of "to" that the trigger governs; without a parse, the first party after "to")."""
    for c in p.children[trig.anchor] if p.parsed else ():
        if p.toks[c].dep == "prep" and p.toks[c].lower in ("to", "into"):
            sub = p.subtree(c)
            hits = parties(text, p.toks[sub[0]].start, p.toks[sub[-1]].end, countries)
            if hits:
                return hits[0].actor.name
    m = re.search(r"\bto\b", text[trig.end:p.end])
    hits = parties(text, trig.end + m.end(), p.end, countries) if m else []
    return hits[0].actor.name if hits else None


def repelled(trig: Trigger) -> bool:
    first = next(iter(trig.entry.lemmas[0]), "") if trig.entry.lemmas else ""
    return trig.entry.length > 1 and first in ("repel", "repulse", "hold", "beat", "halt", "stop", "thwart", "fend",
                                                "fight", "foil")


_ASSAULT_AFTER = re.compile(r"['’]?s?\s+(?:\w+\s+)?(?:units|forces|troops|fighters|soldiers|army|militants|rebels)\s+"
                            r"(?:have\s+|had\s+|has\s+)?(?:\w+\s+)?(?:tried|attempted|attacked|advanced|pushed|stormed|"
                            r"assaulted|launched|sought)", re.I)


def _attacker(text: str, p: Parsed, trig: Trigger, countries: frozenset[str]) -> str | None:
    """In fighting, the side that attacked: "repelled an RSF assault", "fighting between M23 and ...",
    "where Russian units have tried to push forward"."""
    for h in parties(text, trig.start, p.end, countries):
        if h.start < trig.end:
            return h.actor.name  # inside the trigger: "an RSF assault"
        if re.search(r"\bbetween\s+(?:the\s+)?$", text[max(trig.start, h.start - 12):h.start], re.I):
            return h.actor.name
        if _ASSAULT_AFTER.match(text, h.end) or re.match(r"\s+(?:assaults?|attacks?|offensive|advance)\b",
                                                          text[h.end:h.end + 20], re.I):
            return h.actor.name
    return None


_IRREGULAR_SIDE = re.compile(r"\b(?:rebels?|militants?|insurgents?|jihadists?|fighters|gunmen|terrorists?|extremists?|"
                             r"opposition|armed groups?|the group|militias?|militiamen|guerrillas?|separatists?)\b", re.I)
_STATE_SIDE = re.compile(r"\b(?:the army|the military|government (?:forces|troops|soldiers)|regime (?:forces|troops)|"
                         r"security forces|the junta|army|soldiers|troops|armed forces)\b", re.I)


def _generic_side(doc: Document, words: str, countries: frozenset[str]) -> str | None:
    """"rebel groups", "the militants", "the army": the article's most named party of that kind (a
    rebel group for rebels, a state's forces for the army)."""
    if _IRREGULAR_SIDE.search(words):
        kinds = (2, 3, 4)
    elif _STATE_SIDE.search(words):
        kinds = (1,)
    else:
        return None
    tally: dict[str, int] = {}
    for h in parties(doc.text, 0, len(doc.text), countries):
        if h.actor.inter in kinds:
            tally[h.actor.name] = tally.get(h.actor.name, 0) + 1
    if kinds == (1,):  # the state of the country the article is about
        main = doc.main_country()
        local = {n: c for n, c in tally.items() if by_name(n).country == main}
        tally = local or tally
    return max(tally, key=tally.get) if tally else None


def not_group_names(text: str, mentions: list[Mention]) -> list[Mention]:
    """Drop the place readings of a conflict party's name: "Haram" in "Boko Haram", "Hamas" read as the
    town Hamm. A state's name or capital ("Russia", "Kyiv") stays a place: its role decides."""
    names = [(h.start, h.end - (2 if _possessive_of_structure(text, h.start, h.end) else 0), text[h.start:h.end])
             for h in parties(text, 0, len(text))]
    return [m for m in mentions if _LOCATIVE_BEFORE.search(text, max(0, m.start - 12), m.start) or not any(
        a <= m.start and m.end <= b and ((a, b) != (m.start, m.end) or not _state_word(word)) for a, b, word in names)]


# "residents in Sanaa", "the strike on Sanaa": a group's seat named as a place is the place
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|on|into|outside|inside|around)\s+$")


def _possessive_of_structure(text: str, start: int, end: int) -> bool:
    """"Kyiv's heating system", "Ukraine's energy infrastructure": a capital's or state's possessive that
    owns a structure is the place (unlike "Moscow's governor", "Russia's strategy": the party)."""
    if text[start:end][-2:] not in ("'s", "’s"):
        return False
    words = re.findall(r"[a-z]+", text[end:end + 40].lower())[:3]
    structures = cues()["contexts"]["structures"] | {"system", "systems", "energy", "heating", "power", "water"}
    return any(w in structures for w in words)


def _state_word(word: str) -> bool:
    """A party word that may also be a place: a state's own name or capital ("Russia", "Kyiv"), not a
    group's ("Hamas", read as the town Hamm; "Boko Haram")."""
    actor = actors_mod.table()[2].get(re.sub(r"['’]s$", "", word))
    return actor is not None and actor.inter in (1, 8)


def _pronoun_at(text: str, a: int, b: int) -> bool:
    words = re.findall(r"[\w']+", text[a:b].lower())
    return bool(words) and words[0] in _PRONOUN


def _actor_by_words(text: str, p: Parsed, trig: Trigger, countries: frozenset[str]) -> str | None:
    """Without a parse (or when it names no party): "by X" after the trigger, the last party before it
    that is not a target ("on X", "against X"), "X forces" right after it."""
    hits = parties(text, p.start, p.end, countries)
    for h in hits:
        if h.start >= trig.end and re.fullmatch(r"\s+(?:[\w-]+\s+){0,2}?by\s+(?:the\s+)?(?:[\w-]+\s+)?",
                                                text[trig.end:h.start], re.I):
            return h.actor.name
    before = [h for h in hits if h.end <= trig.start + 2 and not re.search(
        r"\b(?:on|at|against|into|in|over|from|with|to|of)\s+(?:the\s+)?(?:\w+\s+)?$",
        text[max(p.start, h.start - 25):h.start], re.I) and not re.match(r"\s*(?:said|says|claimed|reported)\b",
                                                                            text[h.end:h.end + 12])]
    if trig.type == "exchange" and before:
        return before[0].actor.name
    if before:
        return before[-1].actor.name
    after = [h for h in hits if h.start >= trig.end and re.match(r"\s+(?:forces|troops|army|military)",
                                                                 text[h.end:h.end + 20])]
    return after[0].actor.name if after else None


def _defender(doc: Document, p: Parsed, trig: Trigger, pred: int, attacker: str | None,
              countries: frozenset[str]) -> str | None:
    text = doc.text
    for a, b in actors_mod.agent_spans(p, trig, pred):
        hits = parties(text, a, b, countries)
        if hits:
            return hits[0].actor.name
    for h in parties(text, max(p.start, trig.start - 60), min(p.end, trig.end + 80), countries):
        tail = text[h.end:min(p.end, h.end + 40)]
        if re.match(r"['’]?s?\s*(?:[\w-]+\s+){0,2}(?:drones|missiles|uavs|rockets|aircraft|bombs|shaheds)", tail, re.I):
            opp = by_name(h.actor.opponent)
            if opp is not None:
                return opp.name
    src = claims.speaker(doc, p, trig, countries)
    if src is not None:
        return src.name
    a = by_name(attacker)
    if a is not None and a.opponents:  # of the attacker's enemies, one the article is about
        here = [o for o in a.opponents if getattr(by_name(o), "country", None) in countries]
        return here[0] if here else a.opponent
    main = doc.main_country()
    return next((x.name for x in actors_mod.table()[0].values() if x.country == main and x.inter == 1), None) \
        if main else None


def default_actor(ev: Event) -> str | None:
    """With no party named: the one outside enemy of the parties of the country that was hit (Russia for
    Ukraine, Israel for Gaza); None where there are several (Israel's) or the war is a civil one (Sudan's,
    or Congo's, where the one outside state in the lexicon fights a rebel group, not the state)."""
    here = actors_mod.parties_of(ev.country)
    warring = [a for a in actors_mod.table()[0].values() if a.name in here and a.opponents]
    enemies = {o for a in warring for o in a.opponents} - here
    if len(enemies) != 1:
        return None
    states = [a for a in warring if a.inter == 1]
    if states and not any(enemies & set(a.opponents) for a in states):
        return None  # the enemy of one armed group only, not of the country's state (Uganda of the ADF)
    return next(iter(enemies))


def responsible(doc: Document, countries: frozenset[str]) -> Actor | None:
    """The one party the article says was behind its attacks: "X claimed responsibility for", "drones
    attributed to X", "accused X of being behind the attack". None where it names none or several.
    It is the attacker of a strike whose own clause names no side (see `attacker_for`)."""
    lex = patterns()
    text = doc.text
    found: dict[str, Actor] = {}
    for s in doc.sentences:
        hits = parties(text, s.start, s.end, countries)
        if not hits:
            continue
        for m in lex["responsibility_by_subject"].finditer(text, s.start, s.end):
            before = [h for h in hits if h.end <= m.start()]
            if before:
                found.setdefault(before[-1].actor.name, before[-1].actor)
        for h in hits:
            before = text[max(s.start, h.start - 60):h.start]
            if lex["responsibility_by_object"].search(before) or (  # "attributed to X"; "accused X of
                    lex["accusation_before"].search(before)  # being behind the attack", not "of violating
                    and lex["responsibility_after_object"].match(text[h.end:s.end])):  # the truce"
                found.setdefault(h.actor.name, h.actor)
    return next(iter(found.values())) if len(found) == 1 else None


_FROM = re.compile(r"\bfrom\s+(?:the\s+)?(?:direction\s+of\s+)?$", re.I)


def origin_party(doc: Document, clause: tuple[int, int], ev: Event) -> str | None:
    """"rockets fired from Lebanon hit X": the one party of the country they came from that is at war
    with the country hit (Hezbollah, not Lebanon's army)."""
    if not ev.country:
        return None
    hit = actors_mod.parties_of(ev.country)
    for m in doc.mentions_in(*clause):
        if m.place is None or m.place.feature != "country" or m.place.country == ev.country:
            continue
        if not _FROM.search(doc.text, max(clause[0], m.start - 24), m.start):
            continue
        at_war = [a for a in actors_mod.table()[0].values() if a.country == m.place.country and set(a.opponents) & hit]
        if len(at_war) == 1:
            return at_war[0].name
    return None


def attacker_for(ev: Event, responsible_party: Actor | None) -> str | None:
    """The party the article holds responsible, as the attacker of `ev` — not a state's own forces
    attacking their own country (an insurgent may)."""
    a = responsible_party
    if a is None or (a.inter == 1 and a.country == ev.country):
        return None
    return a.name


def set_sides(ev: Event, doc: Document, p: Parsed, trig: Trigger, clause: tuple[int, int],
           countries: frozenset[str], st_attacker: str | None = None) -> None:
    """actor2, inter codes, interaction, civilian targeting."""
    text = doc.text
    words = re.findall(r"[\w-]+", text[clause[0]:clause[1]])
    a1: Actor | None = by_name(ev.actor)
    if ev.type == "protest":
        country = _country_name(ev.country)
        group = actors_mod.generic_group(words)
        ev.actor = f"{group[0] if group and group[1] in (5, 6) else 'Protesters'} ({country})" if country else "Protesters"
        ev.inter1 = group[1] if group and group[1] in (5, 6) else 6
    elif a1 is not None:
        ev.inter1 = a1.inter
    elif ev.actor is None and ev.type in ("strike", "clash", "other"):
        group = actors_mod.generic_group(words)
        if group is not None and group[1] in (2, 3):
            ev.actor, ev.inter1 = group
    others = [h.actor for h in parties(text, clause[0], clause[1], countries) if a1 is None or h.actor.name != a1.name]
    if ev.type in ("strike", "other") and actors_mod.civilian_target(words) and ev.country:
        ev.actor2, ev.inter2, ev.civilian_targeting = f"Civilians ({_country_name(ev.country) or ev.country})", 7, True
    elif ev.type in ("talks", "exchange", "clash") and others:
        ev.actor2, ev.inter2 = others[0].name, others[0].inter
    elif ev.type == "interception" and st_attacker and st_attacker != ev.actor:
        att = by_name(st_attacker)
        ev.actor2, ev.inter2 = st_attacker, att.inter if att else None
    elif a1 is not None and a1.opponent and ev.type != "protest":
        opp = by_name(a1.opponent)
        if opp is not None and (ev.type in ("clash", "capture", "interception") or ev.country == opp.country):
            ev.actor2, ev.inter2 = opp.name, opp.inter
    ev.interaction = actors_mod.interaction(ev.inter1, ev.inter2)


def _country_name(cc: str | None) -> str | None:
    place = Gazetteer.default().country_place(cc) if cc else None
    return place.name if place else None


# ---------------------------------------------------------------- what, and how sure


def dominant_irregular(doc: Document, countries: frozenset[str]) -> str | None:
    """The article's most named party when it is a rebel group or militia and no state is named as much."""
    tally: dict[str, int] = {}
    for h in parties(doc.text, 0, len(doc.text), countries):
        tally[h.actor.name] = tally.get(h.actor.name, 0) + 1
    if not tally:
        return None
    top = max(tally, key=tally.get)
    a = by_name(top)
    return top if a is not None and a.inter in (2, 3, 4) else None
