"""Event extraction: sentences with place mentions -> typed, dated, located events with evidence.

For each sentence (clauses split at ';' and spaced dashes), trigger patterns from
data/lexicons/events.json give an event type and subtype; adjacent matches of one type are one
trigger ("glide bombs hit"). A cue belongs to the nearest trigger: each trigger reads modality cues
only up to its neighbours in the clause. Then, per trigger:
- what it is: negated, conditional ("if"), modal or intended ("could", "would", "aims to") ->
  dropped; aggregate or trend ("in total during November", "has intensified strikes", "for months")
  -> dropped; background ("last week's talks in X", "the failed negotiations") -> dropped, and a later
  undated talks event at that venue or its country is the same background; figurative ("allies clash
  over the plan", "entered a new phase") -> dropped; "poised to", "will meet", "as negotiations
  approached" -> anticipated; "called off" -> cancelled;
- place: the place mentions after the trigger in its clause (else before it), skipping distance
  references ("120 miles south of Moscow"), metonymic uses ("Moscow said"), organisations named after
  places ("the X regional administration"), brokers ("X-brokered", "by the X"), parties named as the
  subject ("Ukraine and Russia exchanged") and places after another trigger (they are its own);
  containers of a more specific place ("Ternivka in Ukraine's Dnipropetrovsk region" -> Ternivka);
  a coordinated list of towns ("X, Y and Z") gives one event each. Talks, protests and clashes need a
  locative frame ("met in X", "fighting near X"; talks take the first venue only); a capture takes its
  object (close after it, or the passive subject), never a country. A target of a named country ("two
  Russian oil refineries") keeps the event in that country. No place -> "the city" refers to the last
  town named; an outage right after a located strike is there; the next sentence if it opens with "In
  <place>" or names a town in a locative frame; else country level (the target's country; exchanges:
  the acting side's), or nothing when neither a country nor a figure is given;
- actor: the conflict party (data/lexicons/actors.json) acting at the trigger; interceptions belong
  to the defender (with no party named, the opponent of the article's latest striker); in fighting,
  the attacking side; in talks, the side that came, not the one it met nor the venue; with no party
  word, the opponent of the side whose territory was hit;
- claim: a party speaking about its own action is `claimed`; the other side denying it in the next
  two sentences makes it `disputed` (unless what is denied is an event of another type); "could not be
  independently confirmed", "did not comment" in the sentence or the next one make it `claimed`;
- counts from geo.numbers, assigned by the words that follow each number ("64 of 85 drones" shot down:
  64); zero counts from "no one was hurt"; a following sentence with no event of its own that counts
  victims completes the latest incident;
- date: the date expression nearest the trigger (geo.dates; not one inside a relative clause), else
  the previous dated sentence's (up to a week before publication), else the published date.
Document level: events of one article with the same type, place and date (within a day) are merged;
headline, caption and subheading events only corroborate body events (a caption with none is dropped);
a country-level event with no figures folds into a located one of the same type, day and country.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from gazetteer import Gazetteer
from gazetteer.core import km
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
                           r"\beast of|\bwest of|\btowards?|\bflew\s+(?:directly\s+)?from|\bfrom\s+across|\bas far (?:away )?as|\bto\b)\s*(?:the\s+)?$")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    raw = json.loads(resources.files("geo_data").joinpath("lexicons", "events.json").read_text("utf-8"))
    lex: dict[str, Any] = {k: v for k, v in raw.items() if not k.startswith("_")}
    # a trigger ends at a word boundary ("firefights" is not in "firefighters")
    lex["triggers"] = [(t, e["subtype"], re.compile(rf"\b(?:{e['pattern']})(?:(?<!\w)|(?!\w))", re.I))
                       for t, entries in raw["types"].items() for e in entries]
    for key in ("anticipated", "cancelled", "negation", "hypothetical", "aggregate", "unverified",
                "denial", "attribution", "targets", "generic_before", "many_regions", "background",
                "anticipated_after", "org_after", "anaphor", "new_event", "exchange_context", "unarmed",
                "not_attack_after", "natural_before", "background_after", "perfect_generic"):
        lex[key + "_re"] = re.compile(raw[key], re.I)
    lex["locative_re"] = re.compile(raw["locative"])  # case matters: see "_locative"
    lex["target_nouns"] = raw["target_nouns"]
    lex["not_verbs"] = set(raw["not_verbs"].split("|"))
    for key in ("armed_context", "diplomatic_context", "protest_context"):
        lex[key + "_re"] = re.compile(rf"\b(?:{raw[key]})\b", re.I)
    lex["own_country"] = set(raw["own_country"])
    lex["event_nouns_re"] = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in raw["event_nouns"].items()}
    lex["zero_re"] = {k: re.compile(v, re.I) for k, v in raw["zero_counts"].items()}
    lex["one_victim_re"] = re.compile(raw["one_victim"], re.I)
    lex["figurative_re"] = {t: re.compile(v, re.I) for t, v in raw["figurative_after"].items()}
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
    prev_end: int = -1      # end of the previous trigger of the clause (modality cues between belong to it)
    next_start: int = -1    # start of the next trigger of the clause


def extract_text(text: str, published: dt.date | None = None, article_id: str = "-") -> list[Event]:
    """Geoparse `text` and extract its events (the library entry point behind `geo.extract`)."""
    from geo.geoparser import geoparse

    return extract(text, geoparse(text, article_id=article_id), published, article_id)


def extract_article(article: Article, mentions: list[Mention]) -> list[Event]:
    return extract(article.text, mentions, article.published, article.id)


def extract_articles(batch: list[tuple[Article, list[Mention]]]) -> list[list[Event]]:
    """Events of several articles, one list per article in order: the pipeline's batch entry point
    (a batch lets costly analysis, such as a parser, run once over all its sentences)."""
    return [extract_article(a, m) for a, m in batch]


def extract(text: str, mentions: list[Mention], published: dt.date | None, article_id: str) -> list[Event]:
    """Events of one article, merged within the article, in text order."""
    mentions = [m for m in mentions if m.use != "demonym"]  # "Russian" names a side, not a place
    sents = _join_times(text, sentences(text))
    kinds = _line_kinds(text, sents)
    found: list[tuple[Event, str]] = []
    ctx = _Context(background=[], prev_events=[])
    prev_date: tuple[dt.date | None, str] = (None, "unknown")
    for k, sent in enumerate(sents):
        s_text = text[sent[0]:sent[1]]
        s_date = _sentence_date(s_text, published)
        if k and "\n" in text[sents[k - 1][1]:sent[0]]:
            ctx.frame = None  # a new paragraph
        current: list[Event] = []
        trigs = _triggers(text, sent)
        if not trigs:
            _follow_up_counts(text, sent, k, ctx)
        for trig in trigs:
            ev = _event(text, trig, mentions, sents, k, published, prev_date, article_id, ctx)
            if ev is not None:
                current.extend(ev)
                found.extend((e, kinds[k]) for e in ev)
        ctx.prev_events = [e for e in current if e.precision not in ("country", None)]
        ctx.frame = _opening_frame(text, sent, mentions) or ctx.frame
        ctx.casualty_events.extend((k, e) for e in current if e.type in CASUALTY_TYPES and e.is_fact)
        ctx.attacker = next((e.actor for e in reversed(current) if e.type == "strike" and e.actor), ctx.attacker)
        if s_date[0] is not None:
            prev_date = s_date
    _refine_places(text, [e for e, _ in found], mentions)
    return _merge_document(found)


def _join_times(text: str, sents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"shortly after 9 a.m. on Tuesday, killing four": a clock time does not end the sentence."""
    out: list[tuple[int, int]] = []
    for s in sents:
        if out and re.search(r"\b\d{1,2}(?::\d\d)?\s*[ap]\.m\.$", text[out[-1][0]:out[-1][1]], re.I) \
                and "\n" not in text[out[-1][1]:s[0]] and text[s[0]:s[0] + 1].islower():
            out[-1] = (out[-1][0], s[1])
        else:
            out.append(s)
    return out


@dataclass
class _Context:
    """What earlier sentences of the article leave for later ones."""
    background: list[Place]       # venues of talks the article refers back to ("last week's talks in X")
    prev_events: list[Event]      # located events of the previous sentence
    attacker: str | None = None   # the actor of the article's latest strike
    frame: tuple[Place, str] | None = None  # "In X, ..." opening the paragraph: where its placeless events are
    casualty_events: list[tuple[int, Event]] = field(default_factory=list)  # (sentence index, event)


CASUALTY_TYPES = ("strike", "clash", "other")


def _follow_up_counts(text: str, sent: tuple[int, int], k: int, ctx: _Context) -> None:
    """A sentence reporting no event of its own that counts victims ("At least 30 people were wounded.",
    "No one was hurt.") completes the latest strike, clash or incident of the two sentences before it."""
    recent = [e for j, e in ctx.casualty_events if k - 2 <= j < k]
    s_text = text[sent[0]:sent[1]]
    if not recent or lexicon()["denial_re"].search(s_text) or lexicon()["aggregate_re"].search(s_text) \
            or re.search(r"\b(?:has|have)\s+(?:\w+\s+)?(?:killed|wounded|injured|claimed)\b", s_text, re.I):
        return  # a denial, or a running total ("the war has killed tens of thousands")
    target = next((e for e in reversed(recent) if e.precision != "country"), recent[-1])
    probe = Event(type=target.type)
    trig = Trigger(probe.type, "", sent[0], sent[0], sent, sent)
    _counts(text, trig, probe)
    for f in ("fatalities", "injured", "missing"):
        if getattr(target, f) is None and getattr(probe, f) is not None:
            setattr(target, f, getattr(probe, f))


def _line_kinds(text: str, sents) -> list[str]:
    """'headline' (the first line when it has no final punctuation), 'caption' (a later line without final
    punctuation: a photo caption ending in its date, or a short subheading) or 'body', per sentence.
    Headlines, captions and subheadings summarise what the body reports: their events only corroborate."""
    out = []
    first = len(text) - len(text.lstrip())  # text[:a] is blank exactly when a <= first
    a, b, prev, kind = 0, -2, 0, "body"
    for s0, s1 in sents:  # in text order: each line is looked at once (linear in the text)
        nl = text.rfind("\n", prev, s0)
        prev = s0
        if nl >= 0 and nl + 1 != a:
            a, b = nl + 1, -2  # a new line
        if b == -2 or 0 <= b < s1:
            b = text.find("\n", s1)
            line = text[a:len(text) if b < 0 else b].strip()
            if not line or re.search(r"[.!?…:;\"”’')\]]$", line):
                kind = "body"
            elif a <= first:
                kind = "headline"
            elif len(line.split()) <= 8 or _ends_with_date(line):
                kind = "caption"
            else:
                kind = "body"
        out.append(kind)
    return out


def _ends_with_date(line: str) -> bool:
    exprs = find_date_expressions(line)
    return bool(exprs) and len(line) - exprs[-1][1] <= 2


# ---------------------------------------------------------------- triggers
def _clauses(text: str, sent: tuple[int, int]) -> list[tuple[int, int]]:
    out, start = [], sent[0]
    for m in re.finditer(r";|\s[–—]\s", text[sent[0]:sent[1]]):
        out.append((start, sent[0] + m.start()))
        start = sent[0] + m.end()
    out.append((start, sent[1]))
    return out


def _triggers(text: str, sent: tuple[int, int]) -> list[Trigger]:
    """Trigger matches of a sentence; a span claimed by an earlier (more specific) type is not reused.
    Each knows its neighbours in the clause: a modality cue between two triggers belongs to the nearer."""
    found: list[Trigger] = []
    taken: list[tuple[int, int]] = []
    for clause in _clauses(text, sent):
        for etype, subtype, rx in lexicon()["triggers"]:
            for m in rx.finditer(text, clause[0], clause[1]):
                if m.end() == m.start() or any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.append(Trigger(etype, subtype, m.start(), m.end(), clause, sent))
    found.sort(key=lambda t: t.start)
    joined: list[Trigger] = []
    for t in found:  # "glide bombs hit": two patterns, one trigger
        last = joined[-1] if joined else None
        if last and last.type == t.type and last.clause == t.clause and not text[last.end:t.start].strip():
            last.end = t.end
        else:
            joined.append(t)
    found = joined
    for a, b in zip(found, found[1:]):
        if a.clause == b.clause:
            a.next_start, b.prev_end = b.start, a.end
    return found


def _before(text: str, trig: Trigger, width: int) -> str:
    """The clause text right before the trigger, not reaching back past the previous trigger."""
    return text[max(trig.clause[0], trig.prev_end, trig.start - width):trig.start]


def _after(text: str, trig: Trigger, width: int) -> str:
    """The clause text right after the trigger, not reaching past the next trigger."""
    end = min(trig.clause[1], trig.end + width)
    if trig.next_start > 0:
        end = min(end, trig.next_start)
    return text[trig.end:end]


# ---------------------------------------------------------------- one event
def _event(text: str, trig: Trigger, mentions: list[Mention], sents, k: int, published: dt.date | None,
           prev_date, article_id: str, ctx: _Context) -> list[Event] | None:
    lex = lexicon()
    clause_text = text[trig.clause[0]:trig.clause[1]]
    sent_text = text[trig.sentence[0]:trig.sentence[1]]
    if _negated(text, trig) or lex["aggregate_re"].search(_main_clause(_window(text, trig, 120, 60))) or \
            lex["generic_before_re"].search(_before(text, trig, 60)) or \
            lex["hypothetical_re"].search(_before(text, trig, 60)):
        return None
    figurative = lex["figurative_re"].get(trig.type)
    if figurative and figurative.match(text[trig.end:trig.clause[1]]):
        return None
    if trig.subtype == "exchange of remains" and not _exchange_context(text, trig):
        return None
    if trig.type == "clash" and lex["unarmed_re"].search(clause_text):
        return None  # "protesters clashed with police": the protest trigger reports it
    if not _in_context(text, trig, mentions):
        return None
    if trig.type in ("strike", "clash", "outage") and lex["perfect_generic_re"].search(_before(text, trig, 30)) \
            and not _has_date(sent_text):
        return None
    if lex["background_re"].search(text[max(trig.clause[0], trig.start - 60):trig.start]) or \
            lex["background_after_re"].search(_after(text, trig, 90)):
        if trig.type == "talks":  # remember the venue: a later mention of it is the same past meeting
            ctx.background.extend(p for p, _ in _places(text, trig, mentions))
        return None
    status = _modality(text, trig)
    date, precision = _trigger_date(text, trig, published, prev_date)
    if date and published and (published - date).days > lex["max_age_days"]:
        return None  # background history, not a report of a new incident
    actor = _actor(text, trig) or (_defender(ctx) or _doc_side(mentions) if trig.type == "interception" else None)
    spread = lex["many_regions_re"].search(clause_text)
    places = [] if spread else _places(text, trig, mentions)
    target_cc = _target_country(text, trig) if trig.type in ("strike", "outage") else None
    if target_cc:  # "struck two Russian oil refineries": a place in another country is not where it happened
        places = [(p, prec) for p, prec in places if p.country == target_cc]
    if trig.type == "talks" and places and not _has_date(sent_text) and \
            any(_within(p, bg) for p, _ in places for bg in ctx.background):
        return None
    if not places and not spread:
        nxt = _anaphor_place(text, trig, mentions) if trig.type != "talks" else None
        if nxt is None and trig.type not in lex["requires_place"] and trig.type not in lex["own_country"]:
            nxt = _inherited_place(text, trig, ctx) or ctx.frame
        if nxt is None and trig.type not in lex["requires_place"] and trig.type not in lex["own_country"] \
                and trig.type != "interception":  # a tally of interceptions is the country's, not a town's
            nxt = _next_sentence_place(text, sents, k, mentions)
        places = [nxt] if nxt and (not target_cc or nxt[0].country == target_cc) else []
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


def _window(text: str, trig: Trigger, before: int, after: int) -> str:
    """The trigger with its clause around it, not reaching into a neighbouring trigger's part: an
    aggregate cue ("since the invasion", "in total") speaks for the trigger next to it, not for the
    whole clause ("rallied in X on Wednesday, one of the largest demonstrations since the invasion")."""
    start = max(trig.clause[0], trig.prev_end, trig.start - before)
    if start - trig.clause[0] < 40 and trig.prev_end < 0:
        start = trig.clause[0]  # a short clause head ("In October, ...") is read whole
    return text[start:trig.start] + text[trig.start:trig.end] + _after(text, trig, after)


def _main_clause(clause: str) -> str:
    """The clause without its comma-delimited relative clauses ("In X, where forces have advanced in
    recent days, a strike hit ..."): what they say is background to the event."""
    return re.sub(r",\s*(?:where|which|who|whose|when)\b[^,]*(?:,|$)", ",", clause, flags=re.I)


def _negated(text: str, trig: Trigger) -> bool:
    lex = lexicon()
    before = text[trig.clause[0]:trig.start]
    window = _before(text, trig, 80) + text[trig.start:trig.end] + _after(text, trig, 40)
    return bool(lex["negation_re"].search(window)) or bool(re.search(r"\b(?:if|unless|whether)\b[^,]*$", before, re.I))


def _modality(text: str, trig: Trigger) -> str:
    """Cues between this trigger and its neighbours: "called off" (up to 100 characters on, as in
    "the meeting in X between the two ministers was called off"), "poised to", "will meet", "as talks
    approached"."""
    lex = lexicon()
    trigger = text[trig.start:trig.end]
    if lex["cancelled_re"].search(_before(text, trig, 70) + trigger + _after(text, trig, 100)):
        return "cancelled"
    if lex["anticipated_re"].search(_before(text, trig, 70) + trigger + _after(text, trig, 50)) or \
            lex["anticipated_after_re"].match(_after(text, trig, 50)) or \
            re.search(r"\b(?:will|shall)\s+(?:\w+\s+){0,3}$", _before(text, trig, 40), re.I):
        return "anticipated"
    return "reported"


def _exchange_context(text: str, trig: Trigger) -> bool:
    """'received the bodies' is an exchange when the sentence says so or a conflict party received them."""
    if lexicon()["exchange_context_re"].search(text, trig.sentence[0], trig.sentence[1]):
        return True
    before = _before(text, trig, 40)
    return any("," not in before[m.end():] for a in actors() for m in a["re"].finditer(before))


def _in_context(text: str, trig: Trigger, mentions: list[Mention]) -> bool:
    """Words that make a trigger mean what it means here: an armed actor or weapon for a generic strike,
    a capture or a clash; diplomacy for talks; protesters for a rally. Not 'struck by a car'."""
    lex = lexicon()
    s0, s1 = trig.sentence
    sent_text = text[s0:trig.start] + " " + text[trig.end:s1]  # not the trigger word itself ("occupied")
    party = bool(_party_at(text, s0, s1))
    if trig.type == "strike" and lex["not_attack_after_re"].match(text[trig.end:trig.clause[1]]):
        return False
    if trig.type in ("strike", "outage") and lex["natural_before_re"].search(text[trig.clause[0]:trig.start]):
        return False  # "an earthquake struck", "a blizzard left thousands without power"
    if (trig.type == "strike" and trig.subtype == "strike") or trig.type in ("capture", "clash", "outage", "interception"):
        # the sentence, or the one before it ("In X, a missile struck ... Strikes were also reported in Y")
        prev = sentences(text[max(0, s0 - 400):s0])
        before = text[max(0, s0 - 400) + prev[-1][0]:s0] if prev else ""
        armed = bool(lex["armed_context_re"].search(sent_text) or lex["armed_context_re"].search(before))
        return armed if trig.type == "capture" else party or armed  # a capture needs an armed force itself
    if trig.type == "talks":
        country = any(s0 <= m.start < s1 and m.place is not None and m.place.feature == "country" for m in mentions)
        return party or country or bool(lex["diplomatic_context_re"].search(sent_text))
    if trig.type == "protest" and re.match(r"rall|vigil", text[trig.start:trig.end], re.I):
        return bool(lex["protest_context_re"].search(sent_text))
    return True


def _has_date(s_text: str) -> bool:
    return bool(find_date_expressions(s_text))


# ---------------------------------------------------------------- dates
def _sentence_date(s_text: str, published: dt.date | None) -> tuple[dt.date | None, str]:
    from geo.dates import resolve_date

    return resolve_date(s_text, published)


def _trigger_date(text: str, trig: Trigger, published: dt.date | None, prev_date) -> tuple[dt.date | None, str]:
    """The date expression nearest the trigger (before it counts as closer), else the last dated
    sentence's, else the published date."""
    s0 = trig.sentence[0]
    best, best_d = None, 1e9
    aside = [(s0 + m.start(), s0 + m.end()) for m in re.finditer(
        r",\s*(?:where|which|who|whose)\b[^,]*,", text[s0:trig.sentence[1]], re.I) if not s0 + m.start() < trig.start < s0 + m.end()]
    for start, end, surface in find_date_expressions(text[s0:trig.sentence[1]]):
        a, b = s0 + start, s0 + end
        if any(x <= a and b <= y for x, y in aside):
            continue  # a date inside a relative clause dates its background, not this event
        d = trig.start - b if b <= trig.start else 2 * (a - trig.end) if a >= trig.end else 0
        resolved = resolve_expression(surface, published)
        if resolved[0] is not None and d < best_d:
            best, best_d = resolved, d
    if best is not None:
        return best
    if prev_date[0] is not None and published and 0 <= (published - prev_date[0]).days <= 7:
        return prev_date
    return (published, "day") if published else (None, "unknown")


# ---------------------------------------------------------------- places
_COORDINATION = re.compile(r"^[\s,—–-]*(?:and|or|as well as|along with|plus)?[\s,]*(?:the\s+)?"
                           r"(?:(?:towns?|cit(?:y|ies)|villages?|settlements?)\s+of\s+)?$", re.I)
_PASSIVE_BEFORE = re.compile(r"\b(?:has|have|had|was|were|is|are|been|being)\s+(?:\w+\s+){0,2}$", re.I)


def _places(text: str, trig: Trigger, mentions: list[Mention]) -> list[tuple[Place, str]]:
    """Where the event happened: see the module docstring."""
    c0, c1 = trig.clause
    lex = lexicon()
    framed = trig.type in ("talks", "protest", "clash")
    eligible = [m for m in mentions if c0 <= m.start and m.end <= c1 and m.place is not None
                and _is_site(text, m, c0, venue=framed)]
    if framed:  # a locative frame right before the name: "met in X", "fighting near X", "In X, ..."
        eligible = [m for m in eligible if lex["locative_re"].search(text[max(c0, m.start - 40):m.start])
                    and (-70 <= m.start - trig.end <= 90 or _opens_sentence(text, m, trig))
                    and not re.match(r"['’]s\b", text[m.end:m.end + 2])  # "on Russia's responsibility"
                    and not (m.start >= trig.end and _verb_between(text[trig.end:m.start]))]
    if trig.type == "capture":  # a capture takes a town, not a country, as its object
        eligible = [m for m in eligible if SPECIFICITY.get(m.place.feature, 0) > 1]
    after = [m for m in eligible if m.start >= trig.end and not _crosses_trigger(text, trig, m)]
    if trig.type == "capture":  # its object: the first place close after it, and any listed with that one
        first = next((i for i, m in enumerate(after) if m.start - trig.end <= 70 and not re.search(
            r"\b(?:between|with|against|over|after|for|from|while|as)\b|[;:]", text[trig.end:m.start], re.I)), None)
        after = [] if first is None else after[first:]
    before = [m for m in eligible if m.end <= trig.start and not _party_subject(text, m, c0)]
    if trig.type == "capture":  # the place before a capture is its subject only in the passive ("X was taken")
        before = [m for m in before if _PASSIVE_BEFORE.search(text[m.end:trig.start])
                  or re.match(r"fell", text[trig.start:trig.end], re.I) or _opens_sentence(text, m, trig)]
    if trig.type == "capture" and after and SPECIFICITY.get(after[0].place.feature, 0) < 6 and re.search(
            r"\b(?:villages?|towns?|settlements?|cit(?:y|ies))\s+of\s+[A-Z][\w'’-]+", text[trig.end:after[0].start]):
        return []  # "retook the village of X in Y region" with X unknown: Y itself was not taken
    if trig.type == "talks":
        after = after[:1]  # the venue is the first locative after "met": later ones belong to other clauses
    chosen = _specific(text, after) or _specific(text, list(reversed(before)))[:1]
    frame = next((m for m in eligible if m.end <= trig.start and _opens_sentence(text, m, trig)), None)
    if frame is not None and chosen and frame not in chosen:
        # "In X, a strike on a house in the Y neighbourhood": Y must lie in or near X
        chosen = [m for m in chosen if _near(frame.place, m.place)] or [frame]
    return [(m.place, _precision(text, m)) for m in chosen]


def _near(frame: Place, p: Place) -> bool:
    if _within(frame, p) or _within(p, frame):
        return True
    if None in (frame.lat, frame.lon, p.lat, p.lon) or frame.feature not in ("locality", "landmark"):
        return False
    return km(frame.lat, frame.lon, p.lat, p.lon) <= 50


def _verb_between(gap: str) -> bool:
    """"a protest ... calling for the release of prisoners jailed in X": a verb right before the place's
    preposition, between the trigger and the place, takes the place for itself."""
    gap = gap.lstrip()  # the verb right after the trigger is its own ("fighting raged near X")
    m = re.search(r"\b([A-Za-z]{3,}(?:ed|ing))\s+(?:[a-z]+\s+)?(?:in|at|near|around|outside|inside|into|on)\s+(?:the\s+)?$", gap)
    return bool(m) and m.start() > 0 and m.group(1).lower() not in lexicon()["not_verbs"]


def _is_site(text: str, m: Mention, c0: int, venue: bool = False) -> bool:
    """A mention that can be where an event happened: literal (or a landmark in a locative frame, as in
    "talks at the Kremlin"), not a distance reference, not an organisation ("the X regional
    administration said"), not a party's name the gazetteer took for a namesake place elsewhere."""
    lex = lexicon()
    if m.use != "literal":
        if not (venue and m.place.feature == "landmark"
                and re.search(r"\b(?:at|in|inside)\s+(?:the\s+)?$", text[max(c0, m.start - 12):m.start])):
            return False
    if _distance_ref(text, m, c0) or lex["org_after_re"].match(text[m.end:m.end + 60]):
        return False
    if re.match(r"-[^\W\d]", text[m.end:m.end + 2]) or re.search(r"\bby\s+(?:the\s+)?$", text[max(c0, m.start - 8):m.start]):
        return False  # "UAE-brokered", "brokered by the UAE": who did it, not where
    if re.search(r"\bin (?:response|retaliation|reply) (?:to|for)\b[^,;]*$", text[max(c0, m.start - 80):m.start], re.I):
        return False  # "in response to missile launches at X": the reason, not the place
    for a in actors():
        if a["re"].fullmatch(m.surface) and a.get("country") and a["country"] != m.place.country:
            return False
    return True


def _party_subject(text: str, m: Mention, c0: int) -> bool:
    """"Ukraine and Russia exchanged", "Russia partially seized": a country named as a party, with no
    locative before it, is who acted, not where."""
    return m.place.feature == "country" and any(a["re"].fullmatch(m.surface) for a in actors()) and \
        not re.search(r"\b(?:in|at|across|over|inside|into|on)\s+(?:the\s+)?$", text[max(c0, m.start - 12):m.start], re.I)


def _opens_sentence(text: str, m: Mention, trig: Trigger) -> bool:
    """"In X, ..." at the head of the sentence frames every event in it."""
    return bool(re.fullmatch(r"\s*(?:In|At|Near|Outside)\s+(?:the\s+)?", text[trig.sentence[0]:m.start])) and \
        bool(re.match(r"[^,]{0,40},", text[m.end:trig.start]))


def _crosses_trigger(text: str, trig: Trigger, m: Mention) -> bool:
    """A place after another trigger belongs to that one ("met in X to follow up on talks in Y")."""
    return trig.next_start > 0 and trig.next_start < m.start


def _specific(text: str, ms: list[Mention]) -> list[Mention]:
    """The towns and landmarks of a coordinated list ("X, Y and Z") starting at the first one, else the
    single most specific place."""
    if not ms:
        return []
    seen, towns, last = set(), [], None
    for m in ms:
        if SPECIFICITY.get(m.place.feature, 0) < 6:
            continue
        if last is not None and m.start > last.end and not _COORDINATION.match(text[last.end:m.start]) \
                and m.place.id not in seen:
            break
        if m.place.id not in seen:
            seen.add(m.place.id)
            towns.append(m)
        last = m
    if towns:
        return towns[:4]
    return [max(ms, key=lambda m: (SPECIFICITY.get(m.place.feature, 0), -abs(m.start - ms[0].start)))]


def _within(outer: Place, inner: Place) -> bool:
    """The same place, or `outer` a country or region holding `inner`."""
    if outer.id == inner.id:
        return True
    if inner.country != outer.country or not outer.country:
        return False
    if outer.feature == "country":
        return True
    return outer.feature in ("admin1", "region") and bool(outer.admin1) and outer.admin1 == inner.admin1


def _target_country(text: str, trig: Trigger) -> str | None:
    """The country a party adjective gives the target ("two Russian oil refineries", "Ukrainian ports")."""
    after = text[trig.end:min(trig.clause[1], trig.end + 60)]
    nouns = lexicon()["target_nouns"]
    for a in actors():
        if a.get("country") and re.search(r"(?<![\w-])(?:%s)\s+(?:[\w-]+\s+){0,2}?(?:%s)\b" % (a["alt"], nouns), after):
            return a["country"]
    return None


def _anaphor_place(text: str, trig: Trigger, mentions: list[Mention]) -> tuple[Place, str] | None:
    """"the city's eastern defences", "over the city": the last town named before this sentence."""
    if not lexicon()["anaphor_re"].search(text, trig.clause[0], trig.clause[1]):
        return None
    loc = lexicon()["locative_re"]
    towns = [m for m in mentions if m.end <= trig.sentence[0] and m.place is not None and m.use == "literal"
             and m.place.feature == "locality" and not _distance_ref(text, m, max(0, m.start - 40))
             and loc.search(text[max(0, m.start - 40):m.start])]
    return (towns[-1].place, "locality") if towns else None


def _opening_frame(text: str, sent: tuple[int, int], mentions: list[Mention]) -> tuple[Place, str] | None:
    """"In Kyiv, a missile struck ...": the town that opens a sentence frames the paragraph after it."""
    m = re.match(r"\s*(?:In|At)\s+(?:the\s+)?(?:(?:city|town|village|port)\s+of\s+)?", text[sent[0]:sent[1]])
    if not m:
        return None
    men = next((x for x in mentions if x.start == sent[0] + m.end() and x.place is not None and x.use == "literal"), None)
    if men is None or men.place.feature not in ("locality", "landmark") or not re.match(r"[^,]{0,40},", text[men.end:sent[1]]):
        return None
    return men.place, _precision(text, men)


def _inherited_place(text: str, trig: Trigger, ctx: _Context) -> tuple[Place, str] | None:
    """An outage with no place right after a located strike is its consequence ("... hit X. About 15,000
    residents were left without power"), unless the sentence says it is another event."""
    if trig.type != "outage" or lexicon()["new_event_re"].search(text, trig.sentence[0], trig.start):
        return None
    strikes = [e for e in ctx.prev_events if e.type == "strike" and e.is_fact]
    if not strikes:
        return None
    place = Gazetteer.default().get(strikes[-1].place_id)
    return (place, strikes[-1].precision) if place else None


def _distance_ref(text: str, m: Mention, c0: int) -> bool:
    before = text[max(c0, m.start - 60):m.start]
    return bool(_DISTANCE_REF.search(before[-40:]) or re.search(
        r"\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){1,3}$", before, re.I))


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
                and men.place.feature in ("locality", "landmark") and not _distance_ref(text, men, s0) \
                and lexicon()["locative_re"].search(text[max(s0, men.start - 40):men.start]):
            return men.place, _precision(text, men)
    return None


def _defender(ctx: _Context) -> str | None:
    """With no party named at an interception: the opponent of the side whose strike the article reported."""
    a = next((a for a in actors() if a["name"] == ctx.attacker), None)
    return a.get("opponent") if a else None


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


GEO_PRECISION = {"locality": 1, "landmark": 1, "near": 2, "admin2": 2, "water": 3, "admin1": 3, "region": 3,
                 "country": 3}


def _locate(ev: Event, place: Place, precision: str) -> None:
    ev.place, ev.place_id, ev.geonameid = place.name, place.id, place.geonameid
    ev.country, ev.admin1, ev.lat, ev.lon = place.country, place.admin1, place.lat, place.lon
    ev.precision = precision
    ev.location = ev.location or place.name
    ev.geo_precision = GEO_PRECISION.get(precision, 3)


def _country_level(text: str, trig: Trigger, actor: str | None) -> Place | None:
    """A report with no place of its own: the target's country (interceptions: the defender's)."""
    gaz = Gazetteer.default()
    by_name = {a["name"]: a for a in actors()}
    if trig.type == "interception" or trig.type in lexicon()["own_country"]:
        cc = by_name.get(actor or "", {}).get("country")
        return gaz.country_place(cc) if cc else None
    after = text[trig.start:trig.clause[1]]
    for a in actors():
        m = a["re"].search(after)
        if m and a.get("country") and re.match(r"\s*\w", after[m.end():]) and a["name"] != actor:
            return gaz.country_place(a["country"])
    if not _figures_in(text, trig):
        return None  # "its positions were attacked": no place, no country named, no figure: nothing to map
    opp = by_name.get(by_name.get(actor or "", {}).get("opponent") or "", {})
    return gaz.country_place(opp["country"]) if opp.get("country") else None


def _figures_in(text: str, trig: Trigger) -> bool:
    return bool(find_counts(text[trig.clause[0]:trig.clause[1]]))


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
    agent = next((h for h in hits if h[0] >= trig.end and re.fullmatch(
        r"\s+(?:[\w-]+\s+){0,2}?by\s+(?:the\s+)?(?:[\w-]+\s+)?", text[trig.end:h[0]], re.I)), None)
    if agent and trig.type in ("strike", "capture", "clash", "outage"):
        return agent[2]  # "an air strike by Myanmar's military", "a drone strike by the paramilitary RSF"
    before = [h for h in hits if h[1] <= trig.start + 2 and not _is_target(text, h, s0)]
    if trig.type == "clash":
        attacker = _attacker(text, trig, hits)
        if attacker:
            return attacker
    if trig.type in ("capture",):
        src = _source(text, trig)
        forces = [h for h in before if re.match(r"['’]?s?\s+(?:forces|troops|army|military|units)", text[h[1]:h[1] + 20])]
        if forces:
            return forces[-1][2]
        if src:
            return src
    if trig.type == "talks":
        return _talks_actor(text, trig, hits) or _actor_in_previous(text, s0)
    if before and trig.type in lexicon()["own_country"]:
        return before[0][2]  # "Ukraine and Russia exchanged", "Ukraine received ... while Russia said": the first side
    if before:
        return before[-1][2]
    after = [h for h in hits if h[0] >= trig.end and re.match(r"\s+(?:forces|troops|army|military)", text[h[1]:h[1] + 20])]
    return after[0][2] if after else None


def _attacker(text: str, trig: Trigger, hits) -> str | None:
    """In fighting, the side that attacked: "repelled an RSF assault", "fighting between M23 and ...",
    "where Russian units have tried to push forward"."""
    inside = [h for h in hits if trig.start <= h[0] < trig.end]
    if inside:
        return inside[0][2]
    c1 = trig.clause[1]
    for h in hits:
        if h[0] < trig.end or h[0] > c1:
            continue
        if re.search(r"\bbetween\s+(?:the\s+)?$", text[max(trig.start, h[0] - 12):h[0]], re.I):
            return h[2]
        if re.match(r"['’]?s?\s+(?:\w+\s+)?(?:units|forces|troops|fighters|soldiers|army)\s+(?:have\s+|had\s+|has\s+)?"
                    r"(?:\w+\s+)?(?:tried|attempted|attacked|advanced|pushed|stormed|assaulted|launched)", text[h[1]:h[1] + 60], re.I) \
                or re.match(r"\s+(?:assaults?|attacks?|offensive|advance)\b", text[h[1]:h[1] + 20], re.I):
            return h[2]
    return None


def _talks_actor(text: str, trig: Trigger, hits) -> str | None:
    """The side that came to talk: not the counterpart it met "with", nor the venue ("at the Kremlin")."""
    s0 = trig.sentence[0]
    counterpart = {h[2] for h in hits if re.search(r"\b(?:with|at|in)\s+(?:the\s+)?(?:[\w.'’-]+\s+){0,3}$",
                                                   text[max(s0, h[0] - 40):h[0]], re.I)
                   and not re.search(r"[,;]", text[max(s0, h[0] - 40):h[0]].rsplit("with", 1)[-1])}
    counterpart |= {h[2] for h in hits if 0 <= h[0] - trig.end <= 5}  # "met Israeli officials": whom they met
    sides = [h for h in hits if h[2] not in counterpart]
    before = [h for h in sides if h[1] <= trig.start]
    return (before or sides or [(0, 0, None)])[0][2]


def _is_target(text: str, hit: tuple[int, int, str], s0: int) -> bool:
    return bool(re.search(r"\b(?:on|at|against|into|in|over|from|with|to|of)\s+(?:the\s+)?(?:\w+\s+)?$",
                          text[max(s0, hit[0] - 25):hit[0]], re.I))


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
    lex = lexicon()
    for s0, s1 in (trig.clause, trig.sentence):  # the trigger's own clause speaks first
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
    here = [a for a in actors() if a.get("country") == ev.country]
    by_name = {a["name"]: a for a in actors()}
    if len(here) == 1 and here[0].get("opponent"):  # one party holds the country and its enemy is mutual
        opp = by_name.get(here[0]["opponent"], {})
        if opp.get("opponent") == here[0]["name"]:
            return opp["name"]
    return None


def _claim(text: str, trig: Trigger, sents, k: int, ev: Event) -> None:
    if ev.claim_status in ("anticipated", "cancelled"):
        return
    lex = lexicon()
    src = _source(text, trig)
    sent_text = text[trig.sentence[0]:trig.sentence[1]]
    self_claim = src is not None and src == ev.actor and ev.type in ("capture", "interception", "strike", "clash")
    nxt = text[sents[k + 1][0]:sents[k + 1][1]] if k + 1 < len(sents) else ""
    # "X did not comment" speaks of the claim right before it, not of one two sentences back
    unverified = lex["unverified_re"].search(sent_text) or lex["unverified_re"].search(nxt)
    if self_claim or (unverified and ev.type in ("capture", "interception", "strike", "clash")):
        ev.claim_status, ev.claimed_by = "claimed", src or ev.actor
        if lex["denial_re"].search(sent_text) or any(
                _denies(text, (a, b), ev) for a, b in sents[k + 1:k + 3]):
            ev.claim_status = "disputed"


def _denies(text: str, sent: tuple[int, int], ev: Event) -> bool:
    """A later sentence denies this event, unless what it denies is an event of another type named right
    after the denial ("officials denied that any strike took place")."""
    nouns = lexicon()["event_nouns_re"]
    others = [t for t in _triggers(text, sent) if t.type != ev.type]
    for m in lexicon()["denial_re"].finditer(text, sent[0], sent[1]):
        what = text[m.end():min(sent[1], m.end() + 40)]
        other_noun = any(rx.search(what) for t, rx in nouns.items() if t != ev.type)
        own_noun = ev.type in nouns and nouns[ev.type].search(what)
        if not any(0 <= t.start - m.end() <= 40 for t in others) and not (other_noun and not own_noun):
            return True
    return False


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
    if ev.type == "talks":
        return  # "agreed to return the bodies of 6,000 soldiers killed": not this meeting's victims
    counts = find_counts(text[c0:c1])
    skip: set[int] = set()
    for i, (c, d) in enumerate(zip(counts, counts[1:])):
        if re.fullmatch(r"\s+of\s+(?:the\s+|them\s+)?", text[c0 + c.end:c0 + d.start], re.I):
            # "64 of 85 drones": what was shot down is the part; what was launched is the whole
            if ev.type == "interception":
                ev.quantity = ev.quantity if ev.quantity is not None else c.value
                skip.add(i + 1)
            else:
                skip.add(i)
    for i, c in enumerate(counts):
        if re.search(r"\b(?:most|some|many|several|half|part|a few|dozens)\s+of\s+(?:the\s+)?$", text[max(c0, c0 + c.start - 20):c0 + c.start], re.I):
            skip.add(i)  # "most of the 20 rockets were intercepted": 20 is not what was intercepted
        if ev.type == "interception" and i not in skip and re.match(
                r"\s+(?:[\w-]+\s+){0,2}?(?:were|was|had been|have been)\s+(?:\w+\s+)?(?:shot|intercepted|downed|destroyed|jammed|suppressed|neutrali[sz]ed)",
                text[c0 + c.end:c1], re.I):
            ev.quantity = c.value  # "145 drones launched, of which 118 drones were shot down"
            skip.add(i)
    for i, c in enumerate(counts):
        if i in skip:
            continue
        after = text[c0 + c.end:min(c1, c0 + c.end + 120)]
        # "Two people, including a child, were killed": the aside does not part number and verb
        after = re.sub(r"^(\W*\w+),\s*(?:including|among them|most of them|many of them|all of them)\b[^,;]*,", r"\1", after, flags=re.I)[:60]
        before = text[max(c0, c0 + c.start - 25):c0 + c.start]
        kind = None
        if re.search(r"\b(?:killing|killed|kills|leaving)\s+(?:at least\s+|another\s+)?$", before, re.I) \
                and not lexicon()["counts_re"]["affected"].match(after):
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
        if kind is None and (trig.subtype in ("drone strike", "missile strike") or ev.type == "interception") \
                and trig.start <= c0 + c.start < trig.end:
            kind = "quantity"  # "fired 111 strike and decoy drones": the count inside a launch trigger
        if ev.type == "exchange" and kind is not None:
            kind = "quantity"  # bodies and prisoners handed over are not casualties of this event
        if kind and getattr(ev, kind) is None:
            setattr(ev, kind, c.value)
    if ev.type in CASUALTY_TYPES:
        span = text[trig.start:max(c1, trig.sentence[1])]
        for m in lexicon()["one_victim_re"].finditer(span):
            kind = "fatalities" if re.match(r"kill", m.group(), re.I) else "injured"
            if getattr(ev, kind) is None:
                setattr(ev, kind, 1)
        for kind, rx in lexicon()["zero_re"].items():
            if getattr(ev, kind) is None and rx.search(span):
                setattr(ev, kind, 0)


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
        else:
            _absorb(twin, ev)
    return out


def _absorb(twin: Event, ev: Event, claim: bool = True) -> None:
    """Fold `ev` (another report of the same incident) into `twin`."""
    if claim and CLAIM_RANK[ev.claim_status] > CLAIM_RANK[twin.claim_status]:
        twin.claim_status, twin.claimed_by = ev.claim_status, ev.claimed_by
    for f in ("fatalities", "injured", "missing", "affected", "quantity"):
        if getattr(twin, f) is None:
            setattr(twin, f, getattr(ev, f))
    for f in ("actor", "weapon", "target"):
        if getattr(twin, f) is None:
            setattr(twin, f, getattr(ev, f))
    if twin.date_precision != "day" and ev.date_precision == "day":
        twin.date, twin.date_precision = ev.date, ev.date_precision
    elif claim and twin.type not in ("talks", "protest") and twin.date_precision == ev.date_precision == "day" \
            and ev.date and twin.date and ev.date < twin.date:
        twin.date = ev.date  # two days for one incident: the later is usually the day it was reported
    twin.evidence.extend(e for e in ev.evidence if e.start not in {x.start for x in twin.evidence})
    twin.confidence = round(min(0.99, twin.confidence + 0.05), 2)


def _merge_document(found: list[tuple[Event, str]]) -> list[Event]:
    """Body events merged within the article; a headline, caption or subheading event joins the body event
    it summarises (same type, the same or a nearby place, whatever its date: a headline's present tense
    says nothing about the day); a caption or subheading with no body event of its own is dropped, a
    headline with none is kept. Last, a country-level event with no figures of its own joins a located
    event of the same type, day, country and actor: it is the same incident told without its place."""
    body = _merge_within([e for e, kind in found if kind == "body"])
    rest = []
    for ev, kind in found:
        if kind == "body":
            continue
        twin = next((o for o in body if _summarises(ev, o)), None)
        if twin is not None:
            _absorb(twin, ev, claim=False)
        elif kind == "headline":
            rest.append(ev)
    events = _merge_within(body + rest)
    out: list[Event] = []
    for ev in events:
        twin = None
        if ev.precision == "country" and not any(getattr(ev, f) for f in COUNT_FIELDS):
            twin = next((o for o in events if o is not ev and o.precision != "country" and o.type == ev.type
                         and o.country == ev.country and o.is_fact == ev.is_fact
                         and (not o.actor or not ev.actor or o.actor == ev.actor)
                         and o.date and ev.date and abs((o.date - ev.date).days) <= 1), None)
        if twin is None:
            out.append(ev)
        else:
            _absorb(twin, ev, claim=False)
    return sorted(out, key=lambda e: min(x.start for x in e.evidence))


COUNT_FIELDS = ("fatalities", "injured", "missing", "affected", "quantity")


def _summarises(head: Event, ev: Event) -> bool:
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
