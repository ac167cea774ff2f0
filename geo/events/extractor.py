"""Wiring of the event stages: sentences -> triggers -> fact? -> where, when, who, how many -> merge.

For each article (`Document`), the sentences that may hold a trigger are analysed in one batch
(geo.events.nlp). For each trigger: modality (is it a fact?), the roles of the sentence's places and
the event's sites (one event per site), its date, its actors and claim status, its counts, its
evidence (the sentence, with offsets). Sentences are read in order because later ones lean on earlier
ones: the latest located event (a placeless "The strike also damaged a school" is the same incident),
the latest dated sentence, the latest incident's victims ("At least 30 people were wounded."). The
article's events are then merged (geo.events.merge).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from gazetteer import Gazetteer
from gazetteer.place import Place
from geo.dates import find_date_expressions
from geo.events import claims, counts, merge, modality, roles, sides, sites, triggers, when
from geo.events.actors import by_name, parties, parties_of
from geo.events.document import Document, Sentence
from geo.events.lexicon import cues, patterns
from geo.events.nlp import Parsed, analyse_many, parser_available, shallow
from geo.events.sites import Site
from geo.events.triggers import Trigger
from geo.models import FACTUAL_CLAIMS, Event, Evidence, Mention

MAX_AGE_DAYS = 14        # older incidents are the story's background
_CLAUSE = re.compile(r";|\s[–—]\s")
_CONTRAST = re.compile(r",?\s+(?:while|whereas)\s+(?!\w+ing\b)", re.I)  # not "killed while fleeing"
_NEAR = 2                # sentences back that a placeless event may take its place from
_LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|near|outside|into|over|across|around|through|to)\s+(?:the\s+)?$", re.I)


@dataclass
class _State:
    """What earlier sentences of the article leave for later ones."""
    prev_date: tuple[dt.date | None, str] = (None, "unknown")
    prev_date_paragraph: int = -1  # the paragraph of the sentence that gave prev_date
    recent: list[tuple[Sentence, Event, Site]] = field(default_factory=list)
    attacker: str | None = None
    attackers: dict = field(default_factory=dict)  # country hit -> the side whose strike hit it last
    background_venues: list = field(default_factory=list)  # places of talks the article refers back to
    has_trigger: object = None   # sentence -> bool
    responsible: object = None   # the party the article holds responsible for its attacks (sides.responsible)
    denied: list = field(default_factory=list)  # (sentence, type, sites) of denied triggers


def extract_many(items: list[tuple[str, list[Mention], dt.date | None, str]]) -> list[list[Event]]:
    """Events of several articles (text, mentions, published, article id), one list per article."""
    docs = [Document.build(text, sides.not_group_names(text, mentions), published, aid)
            for text, mentions, published, aid in items]
    deep = parser_available()
    jobs = [(d, s) for d, doc in enumerate(docs) for countries in [frozenset(doc.country_weight)]
            for s in doc.sentences if _worth_analysing(doc, s, deep, countries)]
    keep = [{m.start for m in docs[d].mentions_in(s.start, s.end)} | {h.start for h in parties(
        docs[d].text, s.start, s.end)} for d, s in jobs] if jobs else []
    parsed = analyse_many([(docs[d].text, s.start, s.end) for d, s in jobs], keep)
    by_doc: list[dict[int, Parsed]] = [{} for _ in docs]
    for (d, s), p in zip(jobs, parsed):
        by_doc[d][s.index] = p
    return [_extract_doc(doc, by_doc[d]) for d, doc in enumerate(docs)]


def _worth_analysing(doc: Document, s: Sentence, deep: bool, countries: frozenset[str]) -> bool:
    """Cheap tests before the analysis: a trigger head word; then, where the analysis is the parse (most
    of the extraction's time), a trigger in a loose reading of the shallow analysis (without the part
    of speech, object and subject checks that need the parse, which only ever take triggers away)."""
    if not triggers.may_hold_trigger(doc.text[s.start:s.end]):
        return False
    if not deep:
        return True
    p = shallow(doc.text, s.start, s.end)
    return bool(triggers.find(p, _context_test(doc, s, p, countries), _place_tokens(doc, p), loose=True))


def extract(text: str, mentions: list[Mention], published: dt.date | None, article_id: str) -> list[Event]:
    return extract_many([(text, mentions, published, article_id)])[0]


def _extract_doc(doc: Document, parsed: dict[int, Parsed]) -> list[Event]:
    st = _State()
    found: list[tuple[Event, str]] = []
    unknown: set[int] = set()  # ids of events at places the gazetteer lacks (located at their area)
    summaries: set[int] = set()  # ids of country-level events that sum up several places
    inherited: dict[int, int] = {}  # ids of events dated from the previous sentence or the publication (when.*)
    countries = frozenset(doc.country_weight)

    found_in = {k: triggers.find(p, _context_test(doc, doc.sentences[k], p, countries), _place_tokens(doc, p))
                for k, p in parsed.items()}  # once per sentence: a later fallback asks about the next one
    st.has_trigger = lambda s: bool(found_in.get(s.index))
    st.responsible = sides.responsible(doc, countries)
    for s in doc.sentences:
        p = parsed.get(s.index)
        trigs = found_in.get(s.index, [])
        current: list[Event] = []
        trigs = [_told_before(s, p, _repelled_raid(doc, s, p, t, st), st) for t in trigs]  # before the
        trigs = _without_told_secondaries(p, trigs) if trigs else trigs  # secondaries take their kind
        trigs = _without_downed_launches(p, trigs) if len(trigs) > 1 else trigs
        for trig in trigs:
            others = {t.anchor for t in trigs if t is not trig}
            for ev, site, day_from in _events(doc, s, p, trig, others, st, countries):
                current.append(ev)
                found.append((ev, s.kind))
                if day_from != when.OWN:
                    inherited[id(ev)] = day_from
                if site.how == "unknown":
                    unknown.add(id(ev))
                elif ev.precision == "country" and ev.type != "interception" and patterns()["many_sites"].search(
                        doc.text, s.start, s.end):
                    summaries.add(id(ev))  # "hit 41 aircraft at four airfields inside Russia"
                if ev.type == "strike" and ev.actor and ev.is_fact:
                    st.attacker = ev.actor
                    if ev.country and ev.actor not in parties_of(ev.country):  # an outside attacker
                        st.attackers[ev.country] = ev.actor
                if ev.is_fact and site.how != "country":
                    st.recent.append((s, ev, site))
        if not current:
            _follow_up(doc, s, st)
        s_date = when.sentence_date(doc.text[max(s.start, doc.dateline_end):s.end], doc.published)
        if s_date[0] is not None:
            st.prev_date, st.prev_date_paragraph = s_date, s.paragraph
    return merge.document(found, unknown, summaries, inherited)


def _place_tokens(doc: Document, p: Parsed, local: bool = False) -> frozenset[int]:
    """Tokens of the places the sentence names literally; `local`: only those below a country."""
    return frozenset(i for m in doc.mentions_in(p.start, p.end) if doc.literal(m) and not (
        local and (m.place is None or m.place.feature in ("country", "continent", "water")))
        for i in p.span_tokens(m.start, m.end))


def _context_test(doc: Document, s: Sentence, p: Parsed, countries: frozenset[str]):
    """has_context(name, exclude) for triggers.find: a cue list in the sentence (or, for force, in the
    sentence before), a conflict party, or a named country for diplomacy."""
    ctx = cues()["contexts"]
    text = doc.text
    words_before = _words_before(doc, s)  # "... launched 29 drones.\n\nDebris damaged windows": any paragraph
    same_paragraph = bool(s.index) and doc.sentences[s.index - 1].paragraph == s.paragraph
    prev_words = words_before if same_paragraph else set()  # force is read from this paragraph only
    places = [(m.start, m.end) for m in doc.mentions_in(s.start, s.end) if m.use == "literal"
              and _LOCATIVE_BEFORE.search(text, max(0, m.start - 16), m.start)]
    has_party = any(not any(a <= h.start < b for a, b in places) for h in parties(text, s.start, s.end, countries))
    has_country = any(m.place is not None and m.place.feature == "country" for m in doc.mentions_in(s.start, s.end))

    def test(name: str, exclude: set[int]) -> bool:
        here = name.endswith("_here")  # the sentence itself must say so, not the article's register
        name = name.removesuffix("_here")
        words = ctx[name]
        toks = [t for t in p.toks if t.i not in exclude]
        if any(t.lemma in words or t.lower in words for t in toks):
            return True
        pairs = {f"{a.lemma} {b.lemma}" for a, b in zip(toks, toks[1:])} | {f"{a.lower} {b.lower}" for a, b in zip(toks, toks[1:])}
        if pairs & words:
            return True
        if name in ("armed", "diplomatic", "exchange") and has_party and not here:
            return True
        if name == "diplomatic" and has_country:
            return True
        if name == "protest" and not here:
            return doc.protest
        if name == "deal" and not here:  # "a third hostage was later freed": the story's swap or truce
            return doc.deal
        if name == "aerial" and not here and words_before & words:
            return True  # "... launched 29 drones. The governor said debris damaged windows"
        if name != "armed" or here:
            return False
        return doc.conflict or bool(prev_words & words)
    return test


def _words_before(doc: Document, s: Sentence) -> set[str]:
    """The words of the sentence before (in any paragraph), with plurals also as singulars ("missiles")."""
    if not s.index:
        return set()
    prev = doc.sentences[s.index - 1]
    words = set(re.findall(r"[\w-]+", doc.text[prev.start:prev.end].lower()))
    return words | {w[:-1] for w in words if w.endswith("s")}


# ---------------------------------------------------------------- one trigger
def _events(doc: Document, s: Sentence, p: Parsed, trig: Trigger, others: set[int], st: _State,
            countries: frozenset[str]) -> list[tuple[Event, Site, int]]:
    """The trigger's events with their sites and where their day comes from (when.OWN, PREVIOUS...)."""
    text = doc.text
    if _excluded(text, p, trig) or _summary(p, trig, others):
        return []
    _, _, pred = roles.event_region(p, trig)
    status = modality.status(text, p, trig, pred, doc.published, s.kind, _place_tokens(doc, p, local=True))
    if status is None:
        if trig.type == "talks":  # remember the venue: a later undated mention of it is the same past meeting
            st.background_venues.extend(m.place for m in doc.mentions_in(s.start, s.end) if m.place is not None)
        elif others and trig.type in ("strike", "clash", "capture"):  # "denied shelling X, after officials
            st.denied.append((s.index, trig.type, _clause_sites(doc, s, p, trig, others)))  # said fire killed nine"
        return []
    # "ADEN, Dec 3 (Reuters) - ... struck on Monday": the dateline's day is the report's
    (date, dprec), day_from = when.event_date(text, (max(s.start, min(doc.dateline_end, trig.start)), s.end), trig,
                                              doc.published, st.prev_date, st.prev_date_paragraph == s.paragraph)
    if status in FACTUAL_CLAIMS:
        date = when.past_reading(date, doc.published)
    if date and doc.published and (doc.published - date).days > MAX_AGE_DAYS:
        return []
    chosen = _clause_sites(doc, s, p, trig, others)
    if chosen and _anaphoric_object(p, trig) and not _inside_trigger_phrase(text, p, trig, chosen):
        # "after the capture of the airport, looters raided a warehouse in X": the airport told before,
        # not the place of the clause around
        site = sites.anaphor_site(doc, s.index, p, trig, _recent_sites(doc, st, s))
        chosen = [site] if site is not None else chosen
    breakdown: list[tuple[Site, int]] = []
    if trig.type == "interception":
        pool = chosen or [sites.site_of(m) for m in doc.mentions_in(s.start, s.end) if doc.literal(m)
                          and m.place.feature in ("admin1", "admin2", "locality")]  # "over 11 regions, including"
        if len({c.place.admin1 for c in pool}) > 1:
            breakdown = _per_site_counts(text, s, pool)  # "216 drones, including 66 over X and 45 over Y"
            chosen = []  # a tally over several regions is the country's
    if trig.type == "talks" and chosen and not when.has_date(text, (s.start, s.end)) and any(
            sites._contains_place(bg, c.place) or sites._contains_place(c.place, bg)
            for c in chosen for bg in st.background_venues):
        return []
    target_cc = _target_country(text, trig, p, countries) if trig.type in ("strike", "outage") else None
    if target_cc:
        chosen = [c for c in chosen if c.place.country == target_cc]
    actor = sides.actor_of(doc, p, trig, pred, st.attacker, countries)
    if trig.subtype == "withdrawal":  # "X forces withdrew from Y": Y was taken by X's enemy
        withdrawn = by_name(actor)
        actor = withdrawn.opponent if withdrawn is not None else None
    if not chosen and trig.entry.needs_site:
        site = sites.anaphor_site(doc, s.index, p, trig, _recent_sites(doc, st, s))
        if site is None and trig.type == "outage":
            site = _utility_owner(doc, s, p)
        chosen = [site] if site is not None else []
    elif not chosen:
        chosen = _fallback(doc, s, p, trig, st, actor, target_cc)
    national, chosen = _national_launch(doc, s, p, trig, chosen)
    if not chosen or (_described(p, trig) and not any(c.how in ("clause", "unknown") for c in chosen)):
        return []  # a description of the incident told before, naming no place of its own
    clause = _clause(text, s, trig, p, others)
    # victims named after the clause are this incident's unless another trigger tells them
    count_end = clause[1] if any(p.toks[i].start >= clause[1] for i in others) else s.end
    located = [c for c in chosen if c is not national]
    out = []
    for site in chosen:
        ev = Event(type=trig.type, subtype="capture" if trig.subtype == "withdrawal" else trig.subtype, date=date,
                   date_precision=dprec, claim_status=status)
        _locate(ev, site)
        if actor is None and trig.type in ("strike", "outage"):
            # "a missile struck Afula" after "an Iranian missile hit Holon"; "the Houthis claimed
            # responsibility for"; "rockets fired from Lebanon"
            actor = st.attackers.get(ev.country) or sides.attacker_for(ev, st.responsible) or sides.origin_party(
                doc, (s.start, s.end), ev)
        ev.actor = actor or (sides.default_actor(ev) if trig.type in ("strike", "outage", "capture")
                             and trig.subtype != "communications outage" else None)  # a shutdown is the state's
        ev.weapon = _weapon(text[clause[0]:clause[1]], trig)
        ev.subtype = _subtype(trig, ev.weapon, text[clause[0]:clause[1]])
        if trig.type == "strike" and ev.subtype == "strike" and not ev.weapon and site.how != "previous" \
                and site.place.feature != "water" and not _refers_back(p, trig):
            # "the attack" is the one told before, of its kind; an attack at sea is no fighting on the ground
            group = sides.dominant_irregular(doc, countries)
            before = doc.sentences[s.index - 1] if s.index else s
            ev.type, ev.subtype = _ground_attack(actor, text[clause[0]:clause[1]], trig, p, group, ev.country,
                                                 text[before.start:s.end])
            if ev.type != "strike" and actor is None:
                ev.actor = group  # not the outside enemy a strike with no side named would be put on
        ev.target = _target(text, clause)
        if site is national:  # the launch at the country: its weapons; the damage is the towns'
            ev.quantity = _munitions_count(text, p, trig, clause)
        elif len(located) == 1 or trig.type in ("interception",):
            counts.assign(text, clause, trig, ev, count_end)
            if national is not None or (trig.type == "strike" and any(
                    p.toks[o].lemma in _LAUNCH and p.toks[o].pos == "VERB" for o in others)):
                ev.quantity = None  # "the overnight attack: Russia launched 96 drones": the launch's count
            elif trig.type in ("strike", "interception"):  # the trigger's own weapons, from the parse, first
                ev.quantity = _munitions_count(text, p, trig, clause) or ev.quantity or _one_downed(p, trig)
            if trig.type in counts.CASUALTY_TYPES:
                _victims_from_parse(p, ev, (clause[0], count_end))
            if trig.type == "exchange" and ev.quantity is None:
                ev.quantity = _people_named(p, trig)
            elif trig.type == "exchange" and _EACH_SIDE.search(text, clause[0], max(clause[1], count_end or 0)):
                ev.quantity *= 2  # "swapped 150 prisoners each": both sides' captives
        elif trig.entry.tally:  # "no casualties in X or Y": none at each
            counts.zero_victims(text[clause[0]:max(clause[1], count_end or 0)], ev)
        if status == modality.DISPUTED:
            ev.claimed_by = ev.actor
        elif ev.is_fact:
            ev.claim_status, ev.claimed_by = claims.claim_status(doc, p, trig, ev.actor, s.index, countries)
        sides.set_sides(ev, doc, p, trig, clause, countries, st.attacker)
        ev.evidence = [Evidence(doc.article_id, s.start, s.end, text[s.start:s.end])]
        ev.articles = [doc.article_id]
        ev.confidence = _confidence(ev, site)
        _acled(ev)
        out.append((ev, site, day_from))
    if out and breakdown:  # each region's own part of the national tally is an event there too
        base = out[0][0]
        for part, n in breakdown:
            if n == base.quantity:
                continue  # "23 drones over the X and Y regions": the tally itself, not a part of it
            ev = replace(base, evidence=list(base.evidence), articles=list(base.articles))
            _locate(ev, part)
            ev.quantity = n
            out.append((ev, part, day_from))
    return out


_MUNITIONS = re.compile(r"\b(?:drones?|missiles?|rockets?|shells?|shelling|artillery|bombs?|air ?strikes?|airstrikes?|"
                        r"mortars?|warplanes?|jets?|uavs?)\b", re.I)
_NATURAL_AFTER = re.compile(
    r"^[^.;]{0,80}?\b(?:after|amid|because of|due to|caused by|following|during)\s+(?:a|an|the|heavy|strong)?\s*"
    r"(?:\w+\s+)?(?:storms?|blizzards?|snowstorms?|hurricanes?|typhoons?|cyclones?|floods?|flooding|earthquakes?|"
    r"quakes?|heatwaves?|wildfires?|winds?|ice|icing|snow|lightning|tornado(?:es)?|maintenance|repairs?)\b", re.I)


def _venue(trig: Trigger, m: Mention) -> bool:
    """"talks at the Kremlin": a landmark venue that the geoparser read as a government."""
    return trig.type == "talks" and m.use == "metonymic" and m.place is not None and m.place.feature == "landmark"


def _excluded(text: str, p: Parsed, trig: Trigger) -> bool:
    """Figurative, natural, accidental and unarmed readings of trigger words."""
    lex = patterns()
    after = text[trig.end:p.end]
    if trig.type == "outage" and _NATURAL_AFTER.match(after):
        return True
    fig = lex["figurative"].get(trig.type)
    if fig and fig.match(after):
        return True
    if trig.type == "strike" and lex["not_attack_after"].match(after):
        return True
    if trig.type in ("strike", "outage") and lex["natural_before"].search(text[max(p.start, trig.start - 80):trig.start]):
        return True
    if trig.type in ("clash", "strike") and lex["unarmed"].search(text[p.start:p.end]) and not (
            trig.type == "strike" and _MUNITIONS.search(text, p.start, p.end)):
        return True  # "police blasted crowds with water cannon", "protesters clashed with police"
    if text[trig.start].isupper() and any(a <= trig.start - p.start < b for a, b, _ in
                                           find_date_expressions(text[p.start:p.end])):
        return True  # "on March 31": a month, not a march
    anchor = p.toks[trig.anchor]
    if p.parsed and anchor.lemma in ("target", "aim") and any(
            p.toks[c].dep == "xcomp" and any(p.toks[k].lower == "to" for k in p.children[c]) for c in p.children[trig.anchor]):
        return True  # "rebels targeting to capture the city": an aim, not a strike
    return False


def _agent_twins(p: Parsed, trig: Trigger, others: set[int]) -> set[int]:
    """"was hit by shelling in X": the other triggers that are its "by" agent, and for an agent trigger
    the consequence verb it is the agent of ("a man was killed in X by shelling"): one event, whose
    place may hang on either."""
    if not p.parsed:
        return set()
    out = {g for c in p.children[trig.anchor] if p.toks[c].dep == "agent" for g in p.children[c]
           if p.toks[g].dep in ("pobj", "pcomp") and g in others}
    anchor = p.toks[trig.anchor]
    if anchor.dep in ("pobj", "pcomp") and p.toks[anchor.head].dep == "agent":
        verb = p.toks[p.toks[anchor.head].head]
        if verb.lemma in roles.CONSEQUENCE_VERBS:
            out.add(verb.i)
    return out


@lru_cache(maxsize=1)
def _weapon_words() -> frozenset[str]:
    """What a strike launches or an interception downs (the aerial and munitions cue lists)."""
    return cues()["contexts"]["aerial"] | cues()["contexts"]["munitions"]


def _one_downed(p: Parsed, trig: Trigger) -> int | None:
    """"intercepted the missile", "shot down a drone": one weapon downed."""
    if trig.type != "interception" or not p.parsed:
        return None
    words = _weapon_words()
    for c in p.children[trig.anchor]:
        t = p.toks[c]
        if t.dep in ("dobj", "nsubjpass") and t.lemma in words and t.lower == t.lemma and any(
                p.toks[d].dep == "det" and p.toks[d].lower in ("a", "an", "the", "that", "this", "one")
                for d in p.children[c]):
            return 1
    return None


def _people_named(p: Parsed, trig: Trigger) -> int | None:
    """"freed hostages A and B": as many as the names the captives' noun lists; "a hostage, A, was
    freed", "released one prisoner": one. None where a number says it or nothing does."""
    if not p.parsed:
        return None
    words = cues()["contexts"]["captives"]
    for c in p.children[trig.anchor]:
        t = p.toks[c]
        if t.dep not in ("dobj", "nsubjpass") or t.lemma not in words:
            continue
        kids = [p.toks[k] for k in p.children[c]]
        if any(k.dep == "nummod" for k in kids):
            return None
        names = [k.i for k in kids if k.dep == "appos" and k.pos == "PROPN"] or [  # or hung on the verb
            k for k in p.children[trig.anchor] if k > c and p.toks[k].pos == "PROPN" and p.toks[k].dep in (
                "dobj", "appos") and min(p.subtree(k)) == c + 1]
        if names:
            return 1 + sum(1 for k in p.children[names[0]] if p.toks[k].dep == "conj" and (
                p.toks[k].pos == "PROPN" or any(p.toks[j].pos == "PROPN" for j in p.children[k])))  # "and a national, B"
        if t.tag == "NN" and any(k.dep == "det" and k.lower in ("a", "an", "one") for k in kids):
            return 1
    return None


def _without_downed_launches(p: Parsed, trigs: list[Trigger]) -> list[Trigger]:
    """"intercepted a drone launched from the east": the launch that only describes what was downed is
    the interception's weapon, not a strike of its own."""
    if not p.parsed:
        return trigs
    downed = {c for t in trigs if t.type == "interception" for c in p.children[t.anchor]
              if p.toks[c].dep in ("dobj", "nsubjpass")}
    return [t for t in trigs if not (t.type == "strike" and p.toks[t.anchor].dep in ("acl", "relcl")
                                     and p.toks[t.anchor].head in downed)]


def _without_told_secondaries(p: Parsed, trigs: list[Trigger]) -> list[Trigger]:
    """Casualty and damage words ("killed", "destroyed") are events of their own only where no other
    trigger tells them: not "killed in a strike", "a strike killed two", "shelling destroyed houses";
    an "other" trigger ("setting fire to warehouses") likewise gives way to an attack it follows."""
    primary = [t for t in trigs if not t.entry.secondary and t.type != "other"]
    out = []
    for t in trigs:
        if t.entry.secondary or t.type == "other":
            if any(_tells(p, o, t) for o in primary) or (t.entry.tally and primary):
                continue  # "a missile struck X; there were no casualties": the strike's count
            if t.entry.secondary and primary:
                t.type = next(o.type for o in sorted(primary, key=lambda o: abs(o.anchor - t.anchor))
                              if o.type in ("strike", "clash", "other")) if any(
                    o.type in ("strike", "clash", "other") for o in primary) else t.type
        out.append(t)
    return out


def _tells(p: Parsed, primary: Trigger, t: Trigger) -> bool:
    if not p.parsed:
        return abs(primary.anchor - t.anchor) <= 6
    core, _, pred = roles.event_region(p, primary)
    if t.anchor in core or t.anchor == pred:
        return True
    if t.type == "other" and p.toks[t.anchor].head in core:
        return True  # "attacked a farm, setting fire to warehouses"
    x, depth = primary.anchor, 0
    while p.toks[x].head != x and depth < 2:
        x = p.toks[x].head
        depth += 1
        if x == t.anchor:
            return True
    return False


def _summary(p: Parsed, trig: Trigger, others: set[int]) -> bool:
    """"attacks on energy infrastructure, including a strike on X and attacks on Y": the summary trigger
    is told again by the incidents it includes."""
    if not p.parsed:
        return False
    others = {o for o in others if p.toks[o].pos in ("NOUN", "PROPN")}  # an included incident is named: not
    # "shelled villages, including X and Y, damaging houses" (the participle is the shelling's damage)
    for o in others:  # "attacks on X, including a strike on Y and attacks on Z" (not "killed 14 (including
        # two children), another 108 were injured": the aside is closed before the other trigger)
        if o > trig.anchor and re.search(r"\b(?:including|such as|among them)\b(?:(?![()]| , |\b(?:were|was)\b).)*$",
                                         _words_between(p, trig.anchor, o)):
            return True
    sub = set(p.subtree(trig.anchor))
    for o in others:
        if o in sub and any(p.toks[a].lemma in ("include", "including", "such", "like") or p.toks[a].lower == "including"
                            for a in p.ancestors(o) if a in sub):
            return True
    return False


def _words_between(p: Parsed, i: int, j: int) -> str:
    return " ".join(t.text for t in p.toks[i + 1:j])


def _clause(text: str, s: Sentence, trig: Trigger, p: Parsed | None = None,
            others: set[int] | frozenset[int] = frozenset()) -> tuple[int, int]:
    """The span of the trigger's own clause, for its counts, weapon and target: cut at semicolons and
    dashes, and at "while"/"whereas" when the other side tells an incident of its own ("a man was
    killed in X, while five were injured in Y": one count each)."""
    cuts = [(m.start(), m.end()) for m in _CLAUSE.finditer(text, s.start, s.end)]
    if p is not None and others:
        starts = [p.toks[i].start for i in others]
        for m in _CONTRAST.finditer(text, s.start, s.end):
            if (m.start() >= trig.end and any(x >= m.end() for x in starts)) or (
                    m.end() <= trig.start and any(x < m.start() for x in starts)):
                cuts.append((m.start(), m.end()))
        cuts.sort()
    start = s.start
    for a, b in cuts:
        if a >= trig.end:
            return start, a
        start = max(start, b)
    return start, s.end


def _locate(ev: Event, site: Site) -> None:
    p = site.place
    ev.place, ev.place_id, ev.geonameid = p.name, p.id, p.geonameid
    ev.country, ev.admin1 = p.country, p.admin1
    ev.lat, ev.lon = site.point
    ev.precision, ev.location, ev.geo_precision = site.precision, site.location, site.geo_precision


# ---------------------------------------------------------------- no place in the clause
def _fallback(doc: Document, s: Sentence, p: Parsed, trig: Trigger, st: _State, actor: str | None,
              target_cc: str | None) -> list[Site]:
    t = trig.type
    denied = [found for i, kind, found in st.denied if i == s.index and kind == t and found]
    if denied:  # "the army denied shelling a shelter near Y after officials said fire killed nine": near Y
        return denied[-1]
    back = _refers_back(p, trig)
    site = sites.anaphor_site(doc, s.index, p, trig, _recent_sites(doc, st, s)) if t != "talks" and not back else None
    if site is not None:
        return [site]
    if t == "interception":  # "explosions in X ... air defences intercepted incoming missiles": over X
        told = trig.subtype == REPELLED_RAID or _object_told_before(p, trig)  # "... intercepted the missile"
        same = [site for ps, ev, site in st.recent if ev.type == "strike" and site.how in ("clause", "frame", "unknown")
                and (ps.index == s.index or (told and s.index - ps.index <= 6))]
        if same:
            return [same[-1]]
    text = doc.text
    fresh = patterns()["new_event"].search(text, s.start, trig.start)
    if not fresh:
        for prev_s, ev, prev_site in reversed(st.recent):
            near = prev_s.paragraph == s.paragraph and s.index - prev_s.index <= _NEAR
            kin = ev.type in sites.KIN[t] or (back and {ev.type, t} <= {"strike", "clash", "other"}) or (
                back and t == "strike" and ev.type == "interception")  # "... downed 13 drones over X. The attack caused fires"
            if (near or (back and s.index - prev_s.index <= 6)) and kin:
                if prev_s.index != s.index and _lead_elsewhere(doc, s, ev):
                    break  # "Along the border, troops killed five": not the town told before
                if prev_s.index == s.index and ev.type == t:
                    return []  # the same incident told twice in one sentence ("met ...: a productive negotiation")
                if back and ev.type in ("strike", "clash", "other") and t in ("strike", "clash", "other"):
                    trig.type = ev.type  # "JNIM claimed the attack": the attack told before, of its kind
                return [replace(prev_site, how="previous")]
    if back and t not in ("interception", "exchange"):
        site = sites.anaphor_site(doc, s.index, p, trig, _recent_sites(doc, st, s))
        return [site] if site is not None else []  # "the attack": told before, not a new placeless incident
    authority = _authority_site(doc, p, trig, s)
    if authority is not None:
        return [authority]
    if t not in ("interception", "talks", "exchange"):
        frame = sites.paragraph_frame(doc, s.index)
        if frame is not None:
            return [frame]
    if t not in ("interception", "talks", "exchange"):
        nxt = sites.next_sentence_site(doc, s.index, st.has_trigger)
        if nxt is not None:
            return [nxt]
    if t in ("strike", "outage", "capture", "clash", "protest", "other") and s.kind != "headline":
        head = sites.headline_site(doc)
        if head is not None and (not target_cc or head.place.country == target_cc):
            return [head]
    if t in ("capture", "talks", "protest", "clash", "other"):
        return []
    cc = _country_for(doc, s, trig, actor, target_cc)
    lead = _lead_site(doc, s, trig, st, t)
    if lead is not None and (lead.place.feature == "water" or cc is not None and lead.place.country in (cc, None)):
        # a story at sea stays at sea; on land, only within the country the sentence is about
        return [replace(lead, how="previous")]
    place = Gazetteer.default().country_place(cc) if cc else None
    return [sites.place_site(place, "country")] if place is not None else []


def _clause_sites(doc: Document, s: Sentence, p: Parsed, trig: Trigger, others: set[int]) -> list[Site]:
    """The sites the trigger's clause names (steps 1-4 of geo.events.sites), from the roles of the
    sentence's places and the places the gazetteer lacks."""
    text = doc.text
    scene = {m.start for m in doc.mentions_in(s.start, s.end) if roles.scene_subject(p, trig, m)}
    ments = [m for m in doc.mentions_in(s.start, s.end) if m.place is not None and not doc.in_dateline(m)
             and (m.use in ("literal", "embedded") or _venue(trig, m) or m.start in scene)]
    rs = [r if r.mention.use == "literal" or _venue(trig, r.mention) or r.mention.start in scene
          else roles.Role(r.mention, "org")
          for r in roles.assign(p, trig, ments, others, text, _agent_twins(p, trig, others))]
    unknown = sites.unknown_places(doc, (s.start, s.end), trig, p) if trig.type in (
        "capture", "strike", "clash", "other", "outage") else []
    return [] if patterns()["many_regions"].search(text, s.start, s.end) else sites.choose(doc, p, trig, rs, unknown)


_EACH_SIDE = re.compile(r"\b\d[\d,]*\s+(?:[\w-]+\s+){0,4}?each\b|\beach\s+(?:side\s+)?(?:released|freed|handed over|"
                        r"returned|swapped|exchanged)\s+\d", re.I)
_LAUNCH = frozenset({"launch", "fire", "send", "unleash"})
_AIMED_AT = frozenset({"at", "on", "against", "into", "toward", "towards"})


def _national_launch(doc: Document, s: Sentence, p: Parsed, trig: Trigger,
                     chosen: list[Site]) -> tuple[Site | None, list[Site]]:
    """"Russia launched 131 drones at Ukraine, damaging homes in X and Y": the launch is a country-level
    strike with its weapons counted, beside the towns hit. (That site or None, the sites with it first;
    towns of earlier sentences give way: "launched 96 drones at the country".)"""
    country = _launched_at(doc, s, p, trig, chosen)
    if country is None:
        return None, chosen
    site = Site(country, "country", country.name, 3, how="clause")
    own = [x for x in chosen if x.how in ("clause", "unknown", "offset", "frame")]
    return site, [site] + (chosen if own else [])


def _launched_at(doc: Document, s: Sentence, p: Parsed, trig: Trigger, chosen: list[Site]) -> Place | None:
    """The country a launch verb's "at"/"on"/"against" phrase names ("at Ukraine", "at the country"),
    holding every site chosen and none of them a country or sea."""
    if trig.type != "strike" or not p.parsed or p.toks[trig.anchor].lemma not in _LAUNCH:
        return None
    if any(c.place.feature in ("country", "water") for c in chosen):
        return None
    for c in p.children[trig.anchor]:
        if p.toks[c].dep != "prep" or p.toks[c].lemma not in _AIMED_AT:
            continue
        for o in p.children[c]:
            m = next((m for m in doc.mentions_in(s.start, s.end) if p.span_head(m.start, m.end) == o), None)
            country = m.place if m is not None and m.place is not None and m.place.feature == "country" else None
            if country is None and p.toks[o].lemma == "country":  # "at the country": the one told of
                cc = chosen[0].place.country if chosen else doc.main_country()
                country = Gazetteer.default().country_place(cc) if cc else None
            if country is not None and all(x.place.country == country.country for x in chosen):
                return country
    return None


def _utility_owner(doc: Document, s: Sentence, p: Parsed) -> Site | None:
    """"the strikes damaged X's power grid, and the mayor reported supply interruptions in two
    districts": the place whose utility the sentence names is where the outage is."""
    if not p.parsed:
        return None
    words = cues()["contexts"]["utilities"]
    for m in doc.mentions_in(s.start, s.end):
        h = p.span_head(m.start, m.end) if m.place is not None and m.place.feature not in ("country", "continent") else None
        if h is None or p.toks[h].dep not in ("poss", "compound") or p.toks[h].head == h:
            continue
        noun = p.toks[p.toks[h].head]
        if noun.lemma in words or any(p.toks[c].dep in ("compound", "amod") and p.toks[c].lemma in words
                                      for c in p.children[noun.i]):
            return sites.site_of(m)
    return None


def _anaphoric_object(p: Parsed, trig: Trigger) -> bool:
    """"the capture of the airport", "the shelling of the town": the trigger's "of" object is a place
    noun that points back ("the airport")."""
    if not p.parsed:
        return False
    ana = cues()["anaphors"]
    words = ana["facility"] | ana["locality"] | ana["admin1"] | ana["admin2"]
    return any(p.toks[c].lower == "of" and any(
        p.toks[o].dep == "pobj" and p.toks[o].lemma in words and any(
            p.toks[d].dep == "det" and p.toks[d].lower in ("the", "that", "this") for d in p.children[o])
        and not any(p.toks[d].dep in ("compound", "appos", "prep") for d in p.children[o])  # "the town of X"
        for o in p.children[c]) for c in p.children[trig.anchor])


def _inside_trigger_phrase(text: str, p: Parsed, trig: Trigger, chosen: list[Site]) -> bool:
    sub = p.subtree(trig.anchor)
    a, b = p.toks[sub[0]].start, p.toks[sub[-1]].end
    return any(c.location and text.find(c.location, a, b) >= 0 for c in chosen)


def _object_told_before(p: Parsed, trig: Trigger) -> bool:
    """"intercepted the missile", "shot down that drone": a definite object is the weapon told before."""
    if not p.parsed:
        return False
    return any(p.toks[o].dep in ("dobj", "nsubjpass") and any(
        p.toks[d].dep == "det" and p.toks[d].lower in ("the", "that", "this", "these", "those") for d in p.children[o])
        for o in p.children[trig.anchor])


def _lead_site(doc: Document, s: Sentence, trig: Trigger, st: _State, t: str) -> Site | None:
    """The site of the article's first located event of a kindred type: where a later placeless
    telling of the story ("came under sustained attack", "missiles were fired at the vessel") happened,
    rather than the whole country of a side. Not for a sentence that tells another incident ("another
    strike", "a separate attack") or sums up many places ("drones over eight regions")."""
    lex = patterns()
    if lex["new_event"].search(doc.text, s.start, trig.start) or lex["many_sites"].search(doc.text, s.start, s.end) \
            or lex["many_regions"].search(doc.text, s.start, s.end) or _names_unknown_place(doc, s):
        return None
    return next((site for _, ev, site in st.recent if ev.type in sites.KIN[t]), None)


_LOCATIVE_NAME = re.compile(r"\b(?:[Ii]n|[Aa]t|[Aa]long|[Nn]ear|[Oo]utside|[Oo]ff)\s+(?:the\s+)?(?P<name>[A-Z][\w'’-]+)")


def _names_unknown_place(doc: Document, s: Sentence) -> bool:
    """"Along the Line of Control, ...", "in Qqivka": the sentence says where, in a name the gazetteer
    lacks, so it is not the story's first site."""
    for m in _LOCATIVE_NAME.finditer(doc.text, s.start, s.end):
        if m["name"].lower() in sites.CALENDAR or doc.mentions_in(m.start("name"), m.end("name")):
            continue
        return True
    return False


def _described(p: Parsed, trig: Trigger) -> bool:
    """"The attack is part of Russia's latest strategy", "the strike was the deadliest this year": an
    incident told before, only characterised by a copula; it adds no event of its own."""
    if not p.parsed or not _refers_back(p, trig) or p.toks[trig.anchor].dep != "nsubj":
        return False
    head = p.toks[p.toks[trig.anchor].head]
    return head.lemma == "be" and not any(p.toks[c].dep in ("acomp", "attr") and p.toks[c].pos == "VERB"
                                          for c in p.children[head.i])


def _refers_back(p: Parsed, trig: Trigger) -> bool:
    """"the attack", "these strikes", "that assault": a trigger noun with a definite article or a
    demonstrative tells an incident the article has already named."""
    if not p.parsed or p.toks[trig.anchor].pos not in ("NOUN", "PROPN"):
        return False
    return any(p.toks[c].dep in ("det", "poss") and p.toks[c].lower in ("the", "these", "those", "this", "that", "its",
                                                                          "their")
               for c in p.children[trig.anchor])


_AUTHORITY = re.compile(r"\b(?:regional|oblast|province|provincial|governorate|state)\b|\b(?:RMA|OVA|OMA|governor)\b")
_CITY_AUTHORITY = re.compile(r"\b(?:city|municipal|mayor|CMA|MVA)\b", re.I)


def _authority_site(doc: Document, p: Parsed, trig: Trigger, s: Sentence) -> Site | None:
    """"Kherson RMA reports 6 injured in shelling": an authority named after a place speaks for its area —
    the region for a regional administration or governor, the city for a mayor."""
    for m in doc.mentions_in(s.start, s.end):
        if m.place is None or m.place.feature not in ("locality", "admin1", "admin2"):
            continue
        after = doc.text[m.end:min(s.end, m.end + 40)]
        before = doc.text[max(s.start, m.start - 40):m.start]
        if _AUTHORITY.search(after[:30]) or re.search(
                r"\b(?:governor|head|administration) of (?:the\s+)?(?:[a-z-]+\s+)?(?:(?:region|province|oblast)\s+of\s+)?$",
                before):  # "the governor of the central region of X"
            area = sites._namesake_area(m) if m.place.feature == "locality" else None
            return sites.place_site(area or m.place, "authority")
        if _CITY_AUTHORITY.search(after[:20]) and m.place.feature == "locality":
            return sites.site_of(m, how="authority")
    return None


_PART_BEFORE = re.compile(r"(?P<n>\d[\d,]*)\s+(?:[\w-]+\s+){0,2}?(?:over|in|above)\s+(?:the\s+)?$")


def _per_site_counts(text: str, s: Sentence, chosen: list[Site]) -> list[tuple[Site, int]]:
    """Sites of a list that carry their own number right before them ("66 over the Krasnodar region")."""
    from geo.numbers import parse_count

    out = []
    for site in chosen:
        start = text.find(site.location, s.start, s.end)
        m = _PART_BEFORE.search(text, max(s.start, start - 40), start) if start >= 0 else None
        n = parse_count(m["n"]) if m else None
        if n is not None:
            out.append((site, n))
    return out


def _recent_sites(doc: Document, st: _State, s: Sentence) -> list[tuple[int, Site]]:
    """(where its name is, site) of the located events of the last three sentences, latest last: an
    anaphor points back to the place named last, so the site counts from its name, not its sentence."""
    out = []
    for ps, ev, site in st.recent:
        if 0 <= s.index - ps.index <= 3:
            at = doc.text.find(site.location, ps.start, ps.end) if site.location else -1
            out.append((at if at >= 0 else ps.start, site))
    return out


def _country_for(doc: Document, s: Sentence, trig: Trigger, actor: str | None, target_cc: str | None) -> str | None:
    """The country of an event with no place: the target's, the defender's (interceptions, exchanges),
    the opponent's of the side that acted; only with a figure or a named target for strikes."""
    a = by_name(actor)
    if trig.type in ("interception", "exchange"):
        return a.country if a else None
    if target_cc:
        return target_cc
    from geo.numbers import find_counts

    clause = _clause(doc.text, s, trig)
    if not find_counts(doc.text[clause[0]:clause[1]]):
        return None
    opp = by_name(a.opponent) if a else None
    if opp is not None and opp.country:  # only a country the article places something in
        return opp.country if opp.country in doc.country_weight or not doc.country_weight else None
    main = doc.main_country()
    return main if main and (a is None or a.country != main) else None


def _target_country(text: str, trig: Trigger, p: Parsed, countries: frozenset[str]) -> str | None:
    """The country a party adjective gives the target ("two Russian oil refineries", "Ukrainian ports")."""
    after_end = min(p.end, trig.end + 60)
    nouns = patterns()["target_nouns"]
    for h in parties(text, trig.end, after_end, countries):
        if not h.actor.country or not re.match(r"\s+(?:[\w-]+\s+){0,2}?(?:%s)\b" % nouns, text[h.end:after_end]):
            continue
        k = p.token_at(h.start) if p.parsed else None
        if k is not None and p.toks[k].dep in ("amod", "compound") and not re.fullmatch(
                nouns, p.head(k).lower, re.I) and not re.fullmatch(nouns, p.head(k).lemma, re.I):
            continue  # "Iranian missiles struck power plants": the adjective is the attacker's
        return h.actor.country
    return None


# ---------------------------------------------------------------- what kind
REPELLED_RAID = "repelled air attack"  # an interception subtype: it refers back to the attack it repelled
_AERIAL = frozenset({"drone", "missile", "rocket", "sea drone", "aircraft", "glide bomb"})
_GROUND = re.compile(r"\b(?:troops|infantry|soldiers|fighters|militants|assault groups?|positions|armou?red|tanks?|"
                     r"ground|offensive|advance)\b", re.I)


_GENERIC_ATTACKS = frozenset({"attack", "assault", "raid", "strike"})


def _told_before(s: Sentence, p: Parsed, trig: Trigger, st: _State) -> Trigger:
    """"The assault caused damage" after a drone attack: "the attack" is the one told just before, of
    its kind (not a new clash)."""
    if trig.type not in ("strike", "clash", "other") or p.toks[trig.anchor].lemma not in _GENERIC_ATTACKS \
            or not _refers_back(p, trig):
        return trig
    before = next((ev for sent, ev, _ in reversed(st.recent) if 0 < s.index - sent.index <= 3
                   and ev.type in ("strike", "clash", "other")), None)
    if before is None or before.type == trig.type:
        return trig
    return replace(trig, type=before.type, subtype=before.subtype or trig.subtype)


def _repelled_raid(doc: Document, s: Sentence, p: Parsed, trig: Trigger, st: _State) -> Trigger:
    """"The ministry said it repelled the attack" after a drone or missile attack is an interception by
    the side that repelled it, not ground fighting."""
    if trig.type != "clash" or not sides.repelled(trig) or p.toks[trig.tokens[-1]].lemma not in ("attack", "strike", "raid"):
        return trig
    sentence = doc.text[s.start:s.end]
    if _GROUND.search(sentence):
        return trig
    aerial = _MUNITIONS.search(sentence) or any(
        ev.type == "strike" and ev.weapon in _AERIAL and s.index - sent.index <= 6 for sent, ev, _ in st.recent)
    return replace(trig, type="interception", subtype=REPELLED_RAID) if aerial else trig


def _weapon(clause: str, trig: Trigger) -> str | None:
    if trig.subtype in ("drone strike", "missile strike"):
        return "drone" if trig.subtype == "drone strike" else "missile"
    best = None
    for name, rx in patterns()["weapons"].items():
        m = rx.search(clause)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


_WEAPON_SUBTYPE = {"drone": "drone strike", "missile": "missile strike", "glide bomb": "glide bomb",
                   "artillery": "shelling", "rocket": "missile strike", "aircraft": "air strike",
                   "sea drone": "drone strike"}


_PART_BEFORE_OF = re.compile(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                             r"[a-z]+teen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred))"
                             r"\s+of\s+(?:the\s+)?$", re.I)


def _munitions_count(text: str, p: Parsed, trig: Trigger, clause: tuple[int, int]) -> int | None:
    """"fired 75 attack and decoy drones": a number modifying the weapon the trigger launched or downed."""
    if not p.parsed:
        return None
    from geo.numbers import parse_count

    words = _weapon_words()
    for c in p.children[trig.anchor]:  # "shot down 36 of them": the number is the object itself
        t = p.toks[c]
        if t.dep in ("dobj", "nsubjpass") and t.pos == "NUM" and any(
                p.toks[k].lower == "of" for k in p.children[c]) and not counts.is_share(text[max(p.start, t.start - 24):t.start]):
            value = parse_count(t.text)
            if value is not None:
                return value
    for j in p.subtree(trig.anchor):
        t = p.toks[j]
        if not clause[0] <= t.start < clause[1]:
            continue  # another clause's weapons ("launched 89 drones; 63 were intercepted")
        if counts.is_share(text[max(p.start, t.start - 24):t.start]) or _PART_BEFORE_OF.search(
                text, max(p.start, t.start - 16), t.start):
            continue  # "most of the 20 rockets", "64 of 85 drones", "six of eight" (the 85 were launched)
        noun = p.head(j)
        if noun.dep == "compound" and noun.head != noun.i:
            noun = p.toks[noun.head]  # "15 attack drones": the number's head is the compound
        if t.dep == "nummod" and (noun.lemma in words or noun.lower in words):
            value = parse_count(t.text)
            if value is None:
                continue
            # "two Iskander missiles, two cruise missiles and 15 drones": the coordinated counts add up
            for k in _coordinated(p, noun.i):  # the number may hang on a compound ("15 attack drones")
                mods = [c for c in p.children[k]] + [g for c in p.children[k] if p.toks[c].dep == "compound"
                                                     for g in p.children[c]]
                num = next((p.toks[c] for c in mods if p.toks[c].dep == "nummod"), None)
                extra = parse_count(num.text) if num is not None else None
                if extra is not None and (p.toks[k].lemma in words or p.toks[k].lower in words):
                    value += extra
            return value
    return None


_DIE = {"die", "perish"}
_KILL = {"kill": "fatalities", "injure": "injured", "wound": "injured", "hurt": "injured"}


def _victims_from_parse(p: Parsed, ev: Event, span: tuple[int, int]) -> None:
    """"where 13 people, including two girls and seven women, lost their lives", "37 others were
    injured": the number of the subject of a dying or passive killing verb, however far the verb is
    (within `span`: not the victims of another incident the sentence tells after "while")."""
    if not p.parsed:
        return
    from geo.numbers import parse_count

    for t in p.toks:
        if t.dep != "nummod" or not span[0] <= t.start < span[1]:
            continue
        noun = p.toks[t.head]
        if noun.dep not in ("nsubj", "nsubjpass") or noun.pos not in ("NOUN", "PRON"):
            continue
        verb = p.toks[noun.head]
        if any(p.toks[c].dep == "prep" and p.toks[c].lemma == "since" for c in p.children[verb.i]):
            continue  # "300 have been killed since the ceasefire": a running total
        if verb.lemma in _DIE or verb.lemma == "lose" and any(
                p.toks[c].dep == "dobj" and p.toks[c].lemma in ("life", "live") for c in p.children[verb.i]):
            field = "fatalities"
        elif noun.dep == "nsubjpass" and verb.lemma in _KILL:
            field = _KILL[verb.lemma]
        else:
            continue
        value = parse_count(t.text)
        if value is not None and getattr(ev, field) is None:
            setattr(ev, field, value)


def _coordinated(p: Parsed, i: int) -> list[int]:
    """Nouns coordinated with token i (its conj chain), not i itself."""
    out, stack = [], list(p.kids(i, "conj"))
    while stack:
        t = stack.pop(0)
        out.append(t.i)
        stack.extend(p.kids(t.i, "conj"))
    return out


def _subtype(trig: Trigger, weapon: str | None, clause: str = "") -> str:
    if trig.type == "strike" and weapon == "explosive":  # "a car bomb exploded", "a roadside bomb"
        return "suicide bomb" if re.search(r"\bsuicide\b", clause, re.I) else "remote explosive"
    if trig.type == "strike" and trig.subtype == "air strike" and weapon in ("glide bomb", "drone"):
        return _WEAPON_SUBTYPE[weapon]
    if trig.type == "strike" and trig.subtype == "strike" and weapon in _WEAPON_SUBTYPE:
        return _WEAPON_SUBTYPE[weapon]
    return trig.subtype


_SOLDIERS = re.compile(r"\b(?:soldiers?|troops?|military|army|forces|servicem[ae]n|base|barracks|checkpoint|positions?|"
                       r"police(?:men)?|gendarmes?|militia(?:men)?|fighters|prison|police (?:station|post)s?|"
                       r"police substations?|outposts?|garrisons?|guards|patrols?|escorts?|detachments?|squads?|checkposts?|"
                       r"(?:army|military|security|gendarmerie) (?:units?|posts?|camps?|convoys?)|vigilantes)\b", re.I)
_IRREGULAR = re.compile(r"\b(?:gunmen|militants?|jihadists?|insurgents?|terrorists?|bandits?|rebels?|attackers|assailants|"
                        r"gangs?|gang members|gangsters|armed men|armed groups?|raiders|kidnappers)\b", re.I)


def _ground_attack(actor: str | None, clause: str, trig: Trigger, p: Parsed,
                   dominant: str | None = None, where: str | None = None, scene: str = "") -> tuple[str, str]:
    """A generic "attack" or "struck" (no weapon named, not "strikes") by gunmen, militants or rebels (a
    rebel group named at home counts: abroad it fires missiles, not rifles) — or,
    with no side named, in an article whose armed party is such a group — is fighting on the ground: a
    clash where soldiers are there, else an attack on civilians (type other); by a state's forces, or
    with no such fighters in view, it stays a strike."""
    a = by_name(actor)
    word = p.toks[trig.anchor]
    if p.parsed and any(_airborne_subject(p.toks[c]) for c in p.children[trig.anchor] if p.toks[c].dep == "nsubj"):
        return "strike", "strike"  # "one airstrike struck near the airport": the weapon is the subject
    ground_word = word.lemma in ("attack", "raid", "storm", "assault") or (word.lemma == "strike" and word.pos == "VERB") \
        or (word.lemma in ("come", "be") and any(p.toks[i].lemma in ("attack", "assault") for i in trig.tokens))
    irregular = (_IRREGULAR.search(clause) and (a is None or a.inter in (2, 3, 4))) or (
        a is None and dominant is not None) or (a is not None and a.inter in (2, 3, 4) and (
        _IRREGULAR.search(clause) or not a.areas or where in a.areas))  # where it fights: on the ground
    # armed men at the scene (this sentence or the one before: "stormed the prison and the police station")
    armed_there = bool(_SOLDIERS.search(clause) or _SOLDIERS.search(scene))
    if ground_word and word.lemma != "strike" and _ground_agent(p, trig) and (armed_there or not _IRREGULAR.search(clause)):
        return "clash", "armed clash"  # "Russian troops attacked X", "an assault by two battalions"
    if not (ground_word and irregular):
        return "strike", "strike"
    return ("clash", "armed clash") if armed_there else ("other", "attack on civilians")  # "gunmen attacked the village"


def _airborne_subject(t) -> bool:
    """A subject that is a weapon or a strike itself ("an airstrike", "a drone", "shells")."""
    words = cues()["contexts"]["aerial"] | cues()["contexts"]["munitions"]
    return t.lemma in words or t.lower in words or t.lemma in ("airstrike", "strike", "raid", "shelling",
                                                                "bombardment", "barrage", "salvo")


_GROUND_UNITS = re.compile(r"\b(?:troops|soldiers|infantry(?:men)?|assault (?:groups?|units?|teams?)|units|paratroopers|"
                           r"marines|brigades?|battalions?|regiments?|commandos|fighters|militants|gunmen|tanks?|"
                           r"armou?red vehicles?)\b", re.I)


def _ground_agent(p: Parsed, trig: Trigger) -> bool:
    """The attack's doer is a ground unit: the subject of "attacked" or the "by" phrase of "an attack"."""
    anchor = trig.anchor
    if p.toks[anchor].pos in ("VERB", "AUX"):
        agents = [c for c in p.children[anchor] if p.toks[c].dep in ("nsubj", "agent")]
    else:
        agents = [c for c in p.children[anchor] if p.toks[c].dep == "prep" and p.toks[c].lower == "by"]
    text = " ".join(p.toks[i].text for a in agents for i in p.subtree(a))
    return bool(_GROUND_UNITS.search(text))


def _target(text: str, clause: tuple[int, int]) -> str | None:
    """What was hit ("apartment blocks", "a power plant"): a target noun as a whole word, not a word of a
    name ("Port Harcourt", "Bridge Street": capitalised inside the sentence)."""
    for m in patterns()["targets"].finditer(text, clause[0], clause[1]):
        if m.group()[0].isupper() and (text[max(0, m.start() - 2):m.start()].strip() not in ("", ".", "\"", "“", "(", "—")
                                       or re.match(r"\s+[A-Z]", text[m.end():m.end() + 2])):
            continue
        return m.group().lower()
    return None


def _confidence(ev: Event, site: Site) -> float:
    c = 0.55
    c += 0.15 if ev.precision in ("locality", "near", "landmark") else 0.05 if ev.precision in ("admin1", "admin2", "water") else 0
    c += 0.1 if ev.date_precision == "day" else 0
    c += 0.1 if ev.actor else 0
    c += 0.05 if any(getattr(ev, k) is not None for k in counts.COUNT_FIELDS) else 0
    c -= 0.1 if site.how in ("headline", "previous", "paragraph", "unknown") else 0
    return round(min(max(c, 0.1), 0.95), 2)


def _acled(ev: Event) -> None:
    etype, subs = patterns()["acled"].get(ev.type, [None, {}])
    sub = subs.get(ev.subtype or "", subs.get("*")) if etype else None
    if isinstance(sub, list):  # a subtype of another ACLED event type ("looting": a strategic development)
        etype, sub = sub
    ev.acled_event_type, ev.acled_sub_event_type = etype, sub


def _follow_up(doc: Document, s: Sentence, st: _State) -> None:
    recent = [(ps, e) for ps, e, _ in st.recent if e.type in counts.CASUALTY_TYPES and e.is_fact
              and s.index - 2 <= ps.index < s.index and ps.paragraph >= s.paragraph - 1]
    if recent and not _elsewhere(doc, s, recent[-1][1]):
        counts.follow_up(doc.text, (s.start, s.end), recent[-1][1])


def _lead_elsewhere(doc: Document, s: Sentence, ev: Event) -> bool:
    """The sentence opens on another place than the event's ("Along the Frontier Belt, ...")."""
    lead = _LEAD_LOCATIVE.match(doc.text, s.start)
    return bool(lead) and lead["name"].lower() not in sites.CALENDAR and not any(
        m.place is not None and m.place.id == ev.place_id for m in doc.mentions_in(s.start, s.start + 60))


_LEAD_LOCATIVE = re.compile(r"\W*(?:In|At|Along|Near|Outside|On)\s+(?:the\s+)?(?P<name>[A-Z][\w'’-]*)")


def _elsewhere(doc: Document, s: Sentence, ev: Event) -> bool:
    """The sentence is about another place than the event ("In X, ...", a town other than its site):
    its victims are not that event's. "On Tuesday, ..." names a day, not a place."""
    if _lead_elsewhere(doc, s, ev):
        return True
    return any(doc.literal(m) and m.place is not None and m.place.feature in ("locality", "landmark")
               and m.place.id != ev.place_id for m in doc.mentions_in(s.start, s.end))
