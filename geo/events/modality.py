"""Is it a fact? Negated, hypothetical, planned, cancelled, generic and background mentions.

A trigger reports an event only when nothing around it says otherwise. From the parse (the
trigger, the verb that carries it, and the verbs above it up to a speech verb):
- negated ("did not strike", "no strikes were reported", "denied that ... captured") -> not a fact;
- conditional ("if", "unless") or a question -> not a fact;
- a modal ("could", "would", "might") or a governing verb of wish, threat or attempt ("threatened to
  strike", "tried to capture", "the possibility of talks") -> not a fact;
- future or planned ("will meet", "is set to", "plans to", "poised to capture", "the planned
  talks") -> `anticipated` for talks, exchanges, protests and captures (kept, never drawn), not a
  fact for attacks (a threat is no strike);
- "called off", "postponed", "cancelled" -> `cancelled`;
- generic or habitual ("shells the city daily", "continues to strike", "has struck targets as far as
  X" with no date) -> not a fact;
- background: an aggregate ("in total during November", "since the start of the war"), a reference
  back ("since the October 7 attack", "last year's offensive", "the failed talks"), an anniversary.
Without a parse the same cues are read from a window of words around the trigger.
"""
from __future__ import annotations

import re

from geo.events.counts import WAR_NOUNS
from geo.events.lexicon import cues, is_speech, patterns
from geo.events.nlp import Parsed
from geo.events.triggers import Trigger, subjects

FACT, ANTICIPATED, CANCELLED, DISPUTED = "reported", "anticipated", "cancelled", "disputed"
_YEAR = re.compile(r"\b(?:in|since|during|by|from|until|of|early|late|mid|throughout)[\s-]+(?:(?:early|late|mid)[\s-]+)?"
                   r"(?P<year>(?:19|20)\d\d)\b|\b(?:the\s+)?(?:past|last|previous)\s+(?:\w+\s+)?(?:years|decades)\b|"
                   r"\bfor\s+(?:\w+\s+)?(?:years|decades)\b", re.I)
_ONGOING = re.compile(r"[^.;]{0,40}?\b(?:is|was|are|were|remains?|remained)\s+(?:still\s+)?(?:ongoing|continuing|"
                      r"underway|under way)\b", re.I)
_PERIOD = re.compile(r"(?i)\b(?:year|month|week|weekend|days|weeks|months)\b|^(?:in|during|since|by|from|of)\s+[A-Z][a-z]+$")
_CLAIM_NOUNS = {"claim", "report", "assertion", "allegation", "statement", "announcement", "suggestion", "rumour",
                "rumor", "information"}
_PLANNABLE = ("talks", "exchange", "protest", "capture")
_OVER = {"failure", "collapse", "breakdown", "anniversary", "memory", "legacy", "suspension", "history",
         "commemoration"}
_BACKGROUND_MODS = {"previous", "earlier", "last", "past", "former", "prior", "failed", "stalled", "collapsed",
                    "aborted", "abortive", "initial", "first-ever", "historic", "ongoing", "continuing", "relentless",
                    "months-long", "years-long", "year-long", "decades-long", "protracted", "full-scale",
                    "repeated", "countless", "incessant", "constant", "persistent", "frequent", "recurrent"}


def status(text: str, p: Parsed, trig: Trigger, pred: int, published=None, kind: str = "body",
           local: frozenset[int] = frozenset()) -> str | None:
    """FACT, ANTICIPATED, CANCELLED, DISPUTED (a claim that the text denies), or None when the trigger
    reports no event. `local`: the tokens of places below a country, where fighting told as going on
    ("clashes continue near X") is a clash there on the report's day, not a trend."""
    if _background(text, p, trig) or _earlier_year(text, p, trig, published):
        return None
    if not p.parsed:
        return _status_shallow(text, trig, p)
    chain = _chain(p, trig, pred)
    m = cues()["modality"]
    if _cancelled(p, trig, chain):
        return CANCELLED
    negation = _negated(p, trig, chain)
    if negation == "denied claim":
        return DISPUTED
    if negation:
        return None
    if text[p.start:p.end].rstrip().endswith("?"):
        return None
    for x in chain:
        for c in p.children[x]:
            t = p.toks[c]
            if t.dep == "mark" and t.lemma in m["conditional_marks"]:
                return None
    planned = _planned(p, trig, chain)
    if planned == "hypothetical":
        return None
    if planned == "anticipated":
        return ANTICIPATED if trig.type in _PLANNABLE else None
    if _generic(text, p, trig, chain):
        return FACT if trig.type == "clash" and _ongoing(text, p, trig, chain) and _at_a_place(p, trig, chain, local) else None
    if kind == "body" and (_habitual(text, p, trig, pred) or _plural_in_present(text, p, trig)):
        return None
    return FACT


def _earlier_year(text: str, p: Parsed, trig: Trigger, published) -> bool:
    """"stalled in 2023", "over the past three years": a year before publication, with no day named."""
    from geo.dates import find_date_expressions

    lo, hi = max(p.start, trig.start - 120), min(p.end, trig.end + 80)
    for m in _YEAR.finditer(text, lo, hi):
        year = m.group("year")
        if year and published is not None and int(year) >= published.year:
            continue
        if _in_other_clause(p, trig, m.start()):
            continue  # "took X, the town the army regained in 2023": the relative clause's year
        if not find_date_expressions(text[lo:hi]) or year is None:
            return True
    return False


def _in_other_clause(p: Parsed, trig: Trigger, char: int) -> bool:
    """The character lies in a relative or participle clause that does not hold the trigger."""
    if not p.parsed:
        return False
    k = p.token_at(char)
    if k is None:
        return False
    for a in [k, *p.ancestors(k)]:
        if p.toks[a].dep in ("relcl", "acl") and trig.anchor not in p.subtree(a):
            return True
    return False


def _habitual(text: str, p: Parsed, trig: Trigger, pred: int) -> bool:
    """"Russia occupies a fifth of Ukraine", "the army shells the town": a present simple with no date
    tells a state or a habit (headlines, which use it for news, are not read this way)."""
    t = p.toks[pred]
    if t.tag not in ("VBZ", "VBP") or t.i != trig.anchor and p.toks[trig.anchor].tag not in ("VBZ", "VBP", ""):
        return False
    if any(p.toks[c].dep in ("aux", "auxpass") for c in p.children[pred]):
        return False
    if t.lower in _SAME_IN_PAST and any(x.tag in ("VBD", "VBN") for x in p.toks):
        return False  # "two were wounded when shells hit a market": "hit" is past, mis-tagged as present
    return not _has_date(text, p)


_SAME_IN_PAST = frozenset({"hit", "cut", "set", "shut", "put", "burst", "spread", "cast", "quit", "hurt"})


def _plural_in_present(text: str, p: Parsed, trig: Trigger) -> bool:
    """"their attacks against Israel are in support of ...", "strikes on ports hurt trade": attacks in the
    plural as the subject or object of a present-tense verb, with no day named, are a policy, not an incident."""
    a = p.toks[trig.anchor]
    if a.tag != "NNS" or a.dep not in ("nsubj", "nsubjpass", "dobj") or a.head == a.i:
        return False
    head = p.toks[a.head]
    bare = head.tag == "VB" and not any(p.toks[c].dep in ("aux", "auxpass") for c in p.children[head.i])  # a mis-tagged VBP
    present = head.tag in ("VBZ", "VBP") or bare or any(p.toks[c].dep in ("aux", "auxpass") and p.toks[c].tag in ("VBZ", "VBP")
                                                  and p.toks[c].lemma != "have" for c in p.children[head.i])
    return present and not _has_day(text, p)


_FACT_MARKS = frozenset({"after", "because", "as", "since"})  # a clause they open tells what happened


def _chain(p: Parsed, trig: Trigger, pred: int) -> list[int]:
    """The trigger, the verb carrying it and the verbs above it (xcomp/ccomp/conj...) up to a speech verb."""
    out = list(dict.fromkeys([trig.anchor, *[i for i in trig.tokens], pred]))
    x = pred
    for _ in range(4):
        t = p.toks[x]
        if t.head == x or t.dep not in ("xcomp", "ccomp", "advcl", "conj", "pcomp", "pobj", "prep", "acl", "dobj",
                                        "nsubj", "nsubjpass", "attr"):
            break
        h = t.head
        if p.toks[h].pos in ("NOUN", "PROPN") and t.dep in ("pobj", "prep") and p.toks[h].lemma not in _CLAIM_NOUNS:
            break  # "the results of the talks": what governs "results" is not about the talks
        if is_speech(p, h) and t.dep == "ccomp":
            break
        if t.dep == "advcl" and any(p.toks[c].dep == "mark" and p.toks[c].lower in _FACT_MARKS for c in p.children[x]):
            break  # "flights were suspended after a missile was launched": the launch is no flight, not cancelled
        out.append(h)
        x = h
        if t.dep in ("ccomp", "advcl"):
            break
    return out


def _negated(p: Parsed, trig: Trigger, chain: list[int]) -> str | None:
    """"negated", "denied claim" ("dismissed Russia's claim that X had been captured": the claim stands,
    disputed), or None."""
    m = cues()["modality"]
    for x in chain[:3]:
        for c in p.children[x]:
            t = p.toks[c]
            if t.dep == "neg" or (t.dep == "det" and t.lower in ("no", "neither") and not trig.entry.tally):
                return "negated"  # but "there were no casualties in X": none hurt where it hit
            if t.dep == "advmod" and t.lower in ("never",):
                return "negated"
    # "denied that Russian forces captured X": the trigger's clause is what a denial verb governs
    for k, x in enumerate(chain):
        h = p.toks[x].head
        if p.toks[x].dep in ("ccomp", "dobj", "xcomp") and p.toks[h].lemma in m["denial_verbs"]:
            return "denied claim" if any(p.toks[y].lemma in _CLAIM_NOUNS for y in chain[:k + 1]) else "negated"
    return None


def _cancelled(p: Parsed, trig: Trigger, chain: list[int]) -> bool:
    cancel = cues()["modality"]["cancel"]
    for x in chain:
        t = p.toks[x]
        phrase = t.lemma + (" " + p.kids(x, "prt")[0].lemma if p.kids(x, "prt") else "")
        if x != trig.anchor and (phrase in cancel or t.lemma in cancel):
            return True
        for c in p.children[x]:  # "the talks were postponed", "called off the meeting"
            ct = p.toks[c]
            prt = p.kids(c, "prt")
            cphrase = ct.lemma + (" " + prt[0].lemma if prt else "")
            if ct.pos in ("VERB", "AUX", "ADJ") and (cphrase in cancel or ct.lemma in cancel) and ct.dep in (
                    "acl", "relcl", "amod", "conj"):
                return True
    return False


def _planned(p: Parsed, trig: Trigger, chain: list[int]) -> str | None:
    m = cues()["modality"]
    for x in chain:
        for c in p.children[x]:
            t = p.toks[c]
            if t.dep == "aux" and (t.lower in m["modals"] or t.lemma in m["modals"]) \
                    and t.lower not in ("will", "shall", "'ll", "wo"):  # the parser lemmatises "would" as "will"
                if t.lower == "would" and _reported_future(p, x):
                    return "anticipated"
                return "hypothetical"
            if t.dep == "aux" and t.lower in ("will", "shall", "'ll", "wo"):
                return "anticipated"
            if t.dep in ("amod", "compound") and x == trig.anchor and t.lemma in (
                    "planned", "plan", "upcoming", "proposed", "scheduled", "expected", "possible", "potential",
                    "future", "next", "new", "prospective", "impending", "imminent", "anticipated"):
                return "hypothetical" if t.lemma in ("possible", "potential", "prospective") else "anticipated"
        t = p.toks[x]
        h = p.toks[t.head]
        infinitive_acl = t.dep == "acl" and any(p.toks[c].lower == "to" for c in p.children[x])
        if t.dep in ("xcomp", "pcomp", "pobj") or infinitive_acl or (t.dep == "prep" and t.lemma == "to"):
            # "a plan to capture" (acl with "to"), not "forces handed over" (a participle: no intent)
            if h.lemma in m["attempt_heads"]:
                return "hypothetical"
            if h.lemma in m["anticipated_heads"] or h.lemma in ("poised", "due", "set", "about", "ready"):
                return "anticipated"
            if h.lemma in m["hypothetical_heads"]:
                return "hypothetical"
    return None


def _reported_future(p: Parsed, x: int) -> bool:
    """"said the delegations would meet on Friday": a future in reported speech."""
    return any(is_speech(p, a) for a in p.ancestors(x)[:3])


def _generic(text: str, p: Parsed, trig: Trigger, chain: list[int]) -> bool:
    m = cues()["modality"]
    for x in chain[:3]:
        for c in p.children[x]:
            t = p.toks[c]
            if t.dep in ("advmod", "npadvmod") and (t.lower in m["generic_adverbs"] or t.lemma in m["generic_adverbs"]):
                return True
        t = p.toks[x]
        if t.dep == "xcomp" and p.toks[t.head].lemma in ("continue", "keep"):
            return not _has_date(text, p)
        if x != trig.anchor and t.lemma in m["generic_heads"] and p.toks[trig.anchor].dep in ("nsubj", "dobj", "nsubjpass"):
            return True  # "attacks have intensified", "stepped up strikes": a trend, not an incident
        if any(p.toks[c].lemma in ("ongoing", "continuing", "underway") and p.toks[c].dep in ("acomp", "advmod", "attr")
               for c in p.children[x]):
            return True  # "fighting was still ongoing": a state
    a = p.toks[trig.anchor]
    if a.pos in ("NOUN", "PROPN") and _many(p, trig.anchor) and not _has_day(text, p):
        return True  # "numerous attacks on their bases", "dozens of strikes this year": many incidents, no one
    if a.dep == "pobj" and p.toks[a.head].lemma in ("to", "for") and p.head(a.head).lemma in m["reason_verbs"]:
        return True  # "reacting to the assault on X": the reason for something else
    if _ONGOING.match(text, trig.end, min(p.end, trig.end + 60)):
        return True  # "fighting in the area was still ongoing": a state
    if trig.type in ("strike", "clash", "outage"):
        before = text[max(p.start, trig.start - 30):trig.start]
        if patterns()["perfect_generic"].search(before) and not _has_date(text, p):
            return True
    return False


def _ongoing(text: str, p: Parsed, trig: Trigger, chain: list[int]) -> bool:
    """Fighting told as going on: "clashes continue", "fighting is still ongoing", "continued to fight"."""
    for x in chain[:3]:
        t = p.toks[x]
        if t.lemma in ("continue", "rage", "persist") or t.dep == "xcomp" and p.toks[t.head].lemma == "continue":
            return True
        if any(p.toks[c].lemma in ("ongoing", "continuing", "underway") for c in p.children[x]):
            return True
    return bool(_ONGOING.match(text, trig.end, min(p.end, trig.end + 60)))


_SETTLEMENTS = {"village", "town", "city", "settlement", "hamlet", "district", "outskirts", "area"}


def _at_a_place(p: Parsed, trig: Trigger, chain: list[int], local: frozenset[int]) -> bool:
    """A locative phrase of the trigger or its verbs names a place below a country ("near X", "in the
    village of X"), not a front or a country ("across the front line", "in Ukraine")."""
    for x in [trig.anchor, *chain[:3]]:
        for c in p.children[x]:
            if p.toks[c].dep != "prep" or p.toks[c].lemma not in ("in", "near", "around", "outside", "at", "for", "on"):
                continue
            for o in p.children[c]:
                if p.toks[o].dep != "pobj":
                    continue
                if o in local or any(i in local for i in p.children[o]):
                    return True
                if p.toks[o].lemma in _SETTLEMENTS and any(
                        p.toks[of].lower == "of" and any(p.toks[n].pos == "PROPN" for n in p.children[of])
                        for of in p.children[o]):
                    return True  # "in the village of X" (a place the gazetteer may lack)
    return False


def _many(p: Parsed, i: int) -> bool:
    many = cues()["modality"]["many_quantifiers"]
    for c in p.children[i]:
        t = p.toks[c]
        if t.dep in ("amod", "nummod", "quantmod", "det") and (t.lemma in many or t.lower in many):
            return True
    t = p.toks[i]
    if t.dep == "pobj" and p.toks[t.head].lower == "of":  # "dozens of strikes", "a series of attacks"
        h = p.head(t.head)
        return h.lemma in many or h.lower in many
    return False


_WARS = frozenset(WAR_NOUNS) | {"rebellion", "occupation", "invasion"}  # a subject's lemma, not a phrase
_TOLL_VERBS = frozenset({"kill", "claim", "wound", "injure", "displace", "leave", "cost"})


def _war_has_killed(p: Parsed, i: int) -> bool:
    """A verb in the perfect whose subject is a war ("the insurgency has killed", "a war that has
    claimed"): the toll of a war, not of an incident."""
    t = p.toks[i]
    if t.pos != "VERB" or t.lemma not in _TOLL_VERBS:
        return False
    if not any(p.toks[c].dep == "aux" and p.toks[c].lemma == "have" for c in p.children[i]):
        return False
    # the subject, or a noun it hangs on ("a war between two sides that has killed")
    return any(p.toks[k].lemma in _WARS for s in subjects(p, i) for k in [s, *p.ancestors(s)[:3]])


def _since_clause(p: Parsed, i: int) -> bool:
    """Token i is the verb, or the verb's subject, of a clause that "since" opens: a time reference
    ("since the fighting broke out"), the setting of what the sentence tells. With a day named
    ("since the shelling on Monday"), the caller keeps it."""
    t = p.toks[i]
    clause = i if t.pos in ("VERB", "AUX") else t.head if t.dep in ("nsubj", "nsubjpass") else None
    return clause is not None and any(p.toks[c].dep == "mark" and p.toks[c].lemma == "since"
                                      for c in p.children[clause])


def _has_day(text: str, p: Parsed) -> bool:
    """A date expression that names a day ("on Tuesday", "overnight", "on 3 May"), not a period."""
    from geo.dates import find_date_expressions

    return any(not _PERIOD.search(e[2]) for e in find_date_expressions(text[p.start:p.end]))


def _has_date(text: str, p: Parsed) -> bool:
    from geo.dates import find_date_expressions

    return bool(find_date_expressions(text[p.start:p.end]))


def _background(text: str, p: Parsed, trig: Trigger) -> bool:
    """An aggregate or a reference back to an earlier event, read in the trigger's neighbourhood."""
    lex = patterns()
    window = text[max(p.start, trig.start - 120):min(p.end, trig.end + 60)]
    window = re.sub(r",\s*(?:where|which|who|whose|when)\b[^,]*(?:,|$)", ",", window, flags=re.I)
    agg = lex["aggregate"].search(window)
    if agg and not (re.match(r"(?i)continue", agg.group()) and p.parsed and _has_day(text, p)):
        return True  # but "forces continued to advance in X on Tuesday" is that day's fighting
    if not p.parsed and lex["generic_before"].search(text[max(p.start, trig.start - 60):trig.start]):
        return True  # with a parse, the setting is read from the trigger's own preposition (below)
    if lex["background"].search(text[max(p.start, trig.start - 60):trig.start]) or \
            lex["background_after"].search(text[trig.end:min(p.end, trig.end + 90)]):
        return True
    if p.parsed:
        for c in p.children[trig.anchor]:
            t = p.toks[c]
            if t.dep in ("amod", "poss") and t.lemma in _BACKGROUND_MODS:
                return True
        anchor = p.toks[trig.anchor]
        if anchor.pos == "NOUN" and anchor.lower != anchor.lemma and any(
                p.toks[c].dep == "prep" and p.toks[c].lemma == "since"
                for x in [trig.anchor, *p.ancestors(trig.anchor)[:3]] for c in p.children[x]):
            return True  # "alert raised after attacks on their bases since the October 7 attack": a series
        a = trig.anchor
        if p.toks[a].dep == "pobj" and p.toks[p.toks[a].head].lemma == "of" and p.head(p.toks[a].head).lemma in (
                "round", "stage", "phase", "part", "session", "course", "day", "week", "month", "year", "wave"):
            a = p.head(p.toks[a].head).i  # "during the first round of negotiations": the round's setting
        h = p.toks[a].head
        if p.toks[a].dep == "pobj" and p.toks[h].lemma in ("since", "amid", "during", "throughout", "despite"):
            # "amid rising assaults", "since the October 7 attack", "during the war": the setting, not the
            # news; but "a crater that appeared during a Russian strike" tells a new incident
            indefinite = any(p.toks[c].dep == "det" and p.toks[c].lower in ("a", "an") for c in p.children[a])
            during = p.toks[h].lemma in ("during", "amid")
            if not (during and (indefinite or trig.type not in ("talks", "protest", "clash"))):
                return True  # but "killed during junta shelling" is the incident itself
        if _war_has_killed(p, trig.anchor):
            return True  # "a conflict that has claimed 2,000 lives": a running total
        if _since_clause(p, trig.anchor) and not _has_day(text, p):
            return True  # "since the fighting broke out", "since gunmen first attacked the town": the setting
        if p.toks[trig.anchor].dep == "pobj" and p.toks[h].lemma == "of" and p.head(h).lemma in _OVER:
            return True  # "the failure of the negotiations", "the anniversary of the attack"
        if any(p.toks[c].lemma in ("anniversary",) for c in p.ancestors(trig.anchor)[:3]):
            return True
        if _span_of_war(p, trig.anchor):
            return True
        if _topic_of_talks(p, trig.anchor):
            return True
        if _one_of_the_worst(p, trig.anchor):
            return True
    return False


def _one_of_the_worst(p: Parsed, a: int) -> bool:
    """"marks one of the deadliest strikes since 2023": a comparison with earlier events, not a new one."""
    t = p.toks[a]
    if t.pos != "NOUN" or t.dep != "pobj" or p.toks[t.head].lower != "of":
        return False
    one = p.head(t.head)
    return one.lower in ("one", "some", "among") and any(p.toks[c].tag == "JJS" for c in p.children[a])


_TALK_NOUNS = frozenset({"discussion", "talk", "negotiation", "deal", "agreement", "plan", "proposal", "framework",
                         "demand", "call", "push", "effort", "bid", "request", "appeal", "campaign"})


def _topic_of_talks(p: Parsed, a: int) -> bool:
    """"discussions on a ceasefire and the release of captives", "calls for the release of X": what talks
    or demands are about, not something that happened."""
    t = p.toks[a]
    if t.pos not in ("NOUN", "PROPN"):
        return False
    while t.dep == "conj" and t.head != t.i:  # "a ceasefire and the release of captives"
        t = p.toks[t.head]
    if t.dep != "pobj" or p.toks[t.head].lemma not in ("on", "about", "over", "for", "regarding", "toward", "towards"):
        return False
    return p.head(t.head).lemma in _TALK_NOUNS


_SPANS = frozenset({"week", "month", "year", "decade"})


def _span_of_war(p: Parsed, a: int) -> bool:
    """"15 months of fighting", "two years of war", "weeks of shelling": the war's length, not an incident
    (a count of days can still be one battle)."""
    t = p.toks[a]
    if t.dep != "pobj" or p.toks[t.head].lemma != "of":
        return False
    span = p.head(t.head)
    return span.lemma in _SPANS and (span.tag == "NNS" or any(
        p.toks[c].dep == "nummod" or p.toks[c].lemma in ("many", "several") for c in p.children[span.i]))


def _status_shallow(text: str, trig: Trigger, p: Parsed) -> str | None:
    """The same questions from word windows (no parse)."""
    before = text[max(p.start, trig.start - 70):trig.start]
    after = text[trig.end:min(p.end, trig.end + 60)]
    low_b, low_a = before.lower(), after.lower()
    if re.search(r"\b(?:call(?:ed)? off|cancel+ed|postponed|scrapped|suspended|put off)\b", low_b + " " + low_a):
        return CANCELLED
    if re.search(r"\b(?:not|never|no|n't|denied(?: that)?)\s+(?:\w+\s+){0,3}$", low_b) or \
            re.search(r"\b(?:if|unless|whether)\b[^,]*$", low_b):
        return None
    if re.search(r"\b(?:could|would|might|may|should|must|can|threaten(?:s|ed)? to|wants? to|tr(?:y|ied|ies) to|"
                 r"attempt(?:s|ed)? to|aims? to|seeks? to|hopes? to|possible|potential)\s+(?:\w+\s+){0,2}$", low_b):
        return None
    if re.search(r"\b(?:will|shall|poised to|set to|due to|expected to|plans? to|planned|upcoming|is to|are to|"
                 r"scheduled)\s+(?:\w+\s+){0,2}$", low_b):
        return ANTICIPATED if trig.type in _PLANNABLE else None
    return FACT
