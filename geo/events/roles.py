"""Roles of the places in a trigger's sentence: where it happened, or who acted, spoke or was met.

"Russia launched drones at Odesa, Kyiv said" names three places and one site. The role of a place
comes from its path in the dependency tree to the event's predicate:
- `site`: the object of the trigger ("shelled Kherson", "the capture of X", passive "X was hit"), a
  place governed by a locative preposition of the event's own clause ("in / at / near / over /
  into / across / on"), a modifier of the trigger or its object ("the Kyiv strike", "an Odesa
  port"), a place inside a facility's name ("the X refinery"); `near` when the preposition or a
  vicinity noun says so ("near", "outside", "on the outskirts of");
- `frame`: a locative attached to a verb that governs the event's clause ("In X, two people died
  when a drone hit a house"); it locates the event only when the clause itself names no site;
- `agent` (subject of an active trigger, "by X", "X's attack"), `party` ("between X and Y", "with
  X"), `speaker` (subject of "said"), `org` (a place naming an authority, "the X governor"),
  `origin` ("from X"), `destination` ("towards X"), `topic` ("talks over X"), `container` (the area
  around another site: "Ternivka in the Dnipropetrovsk region"), `other`, `outside`.
Without a parse (see geo.events.nlp) the same roles are read from the words before each place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from geo.events.lexicon import cues, is_speech
from geo.events.nlp import Parsed
from geo.events.triggers import Trigger
from geo.geoparser import DIRECTION_ADJ
from geo.models import Mention

_NP_DEPS = {"pobj", "prep", "dobj", "obj", "nsubj", "nsubjpass", "compound", "appos", "attr", "npadvmod",
            "pcomp", "amod", "nmod", "conj", "poss"}
_FRAME_DEPS = {"advcl", "conj", "xcomp", "ccomp", "acl", "relcl", "pcomp", "prep", "pobj", "dobj", "nsubjpass"}
_OBJECT = {"dobj", "obj", "nsubjpass", "attr", "oprd", "dative"}
_MODIFIER = {"compound", "amod", "nmod", "npadvmod", "appos", "nummod"}
_REGIONAL = {"countryside", "part", "province", "governorate", "region", "oblast", "hinterland"}
_PARTY_PREPS = {"with", "between", "among", "against", "by", "including", "include"}
_SUBJECT_SITES = {"come", "be", "fall", "lose", "remain", "shake", "burn", "plunge", "go", "experience", "suffer",
                  "endure", "face", "witness", "undergo", "sustain", "reel", "wake", "see"}


@dataclass(slots=True)
class Role:
    mention: Mention
    role: str
    near: bool = False
    container_of: Mention | None = None   # for role 'container'
    list_of: Mention | None = None        # a place coordinated with this earlier one ("X, Y and Z")
    prep: str = ""                        # the preposition that governs it ("in", "near", "of"...)
    modifier: bool = False                # names the trigger or its object ("the Austin talks")
    regional: bool = False                # "parts of X", "X's countryside", "X province": X's area, not the city
    owner: bool = False                   # a country modifying a thing ("a US base", "Israel's embassy")


def event_region(p: Parsed, trig: Trigger) -> tuple[set[int], set[int], int]:
    """(core tokens, frame tokens, predicate): the trigger with the verb that carries it ("launched an
    attack", "were killed in a strike"), and the verbs above that clause up to a speech verb."""
    core = set(trig.tokens) | {trig.anchor}
    pred = x = trig.anchor
    for _ in range(4):
        t = p.toks[x]
        h = p.toks[t.head]
        if t.dep == "amod" and h.dep == "nsubj" and p.toks[h.head].lemma == "be":
            core.update((h.i, h.head))  # "the hardest-hit region was X": X is where
            pred = h.head
            break
        verbal = t.pos in ("VERB", "AUX") and t.dep not in ("nsubj", "nsubjpass", "dobj", "pobj")
        if verbal or t.head == x or t.dep not in _NP_DEPS:
            break  # a verb heads its own clause; a gerund used as a noun ("fighting ... killed 12") does not
        # a noun reaches its verb through a preposition ("killed in a strike") or as its subject or object
        # ("launched an attack", "the strike damaged"); not through another noun ("the results of the talks")
        if h.pos in ("NOUN", "PROPN") and t.dep not in ("conj", "appos", "compound"):
            break
        if h.pos == "ADP" and t.dep != "pobj":
            break
        x = t.head
        if p.toks[x].pos in ("VERB", "AUX"):
            if is_speech(p, x) and not (t.dep == "nsubjpass" and x != trig.anchor):
                break  # "officials said": theirs; but "strikes were reported in X" is where they were
            pred = x
            core.add(x)
            break
        core.add(x)
    frame: set[int] = set()
    x = pred
    for _ in range(6):
        t = p.toks[x]
        if t.head == x or t.dep not in _FRAME_DEPS:
            break
        x = t.head
        if is_speech(p, x):
            break
        if p.toks[x].pos in ("VERB", "AUX", "NOUN"):
            frame.add(x)
    return core, frame - core, pred


def assign(p: Parsed, trig: Trigger, mentions: list[Mention], other_anchors: set[int],
           text: str, twins: set[int] = frozenset()) -> list[Role]:
    """The role of each mention in the trigger's sentence. `twins`: anchors of triggers that tell the
    same event ("hit by shelling in X": the shelling's place is the hit's)."""
    if not p.parsed:
        return _assign_shallow(p, trig, mentions, other_anchors, text)
    core, frame, pred = event_region(p, trig)
    core = core | set(twins)
    heads = {}
    for m in mentions:
        h = p.span_head(m.start, m.end)
        if h is not None:
            heads[h] = m
    out = []
    for h, m in heads.items():
        if _parenthetical(text, p, m, trig):
            out.append(Role(m, "other"))
        else:
            out.append(_role(p, trig, m, h, core, frame, other_anchors, heads, text))
    return out


def _parenthetical(text: str, p: Parsed, m: Mention, trig: Trigger) -> bool:
    """A place inside brackets the trigger is not in: an aside ("(and those in Abu Dhabi)")."""
    a = text.rfind("(", p.start, m.start)
    if a < 0 or text.find(")", a, m.start) >= 0:
        return False
    b = text.find(")", m.end, p.end)
    return b >= 0 and not (a < trig.start < b)


CONSEQUENCE_VERBS = {"kill", "injure", "wound", "damage", "destroy", "leave", "cause", "spark", "trigger", "set", "hit",
                "die", "hurt", "burn", "collapse", "displace", "trap", "bury", "report", "record", "register",
                "include", "including", "locate", "situate", "base", "station"}  # verbs a place may hang under
_QUALIFYING = {"relate", "link", "concern", "regard", "tie", "connect", "aim", "involve"}  # participles that only qualify a noun
_CONTAINERS = {"continent", "country", "region", "admin1", "admin2"}
_RANK = {"continent": 0, "country": 1, "region": 2, "admin1": 2, "water": 2, "admin2": 3, "locality": 4,
         "landmark": 5}


def _role(p: Parsed, trig: Trigger, m: Mention, h: int, core: set[int], frame: set[int],
          other_anchors: set[int], heads: dict[int, Mention], text: str) -> Role:
    """Walk from the place's head up to the event's clause, reading the relations on the way."""
    c = cues()
    x, prev = h, None
    prep = ""           # the preposition that governs the place (an "of" after a noun is transparent)
    inner = ""          # the preposition right above the place
    near = distance = regional = settled = frozen = False
    list_of = None
    container_of = _shore_of(text, m, heads) or _vicinity_of(text, m, heads)
    owner = _is_country(m) and p.toks[h].dep in ("compound", "poss", "nmod") and p.toks[h].head != h \
        and p.toks[p.toks[h].head].pos == "NOUN" and p.toks[h].head not in core
    if _stranded_object(p, trig, h):
        return Role(m, "site")
    if _scene_subject(p, trig, h):
        return Role(m, "site", prep="in")  # the scene: where it happened, as "in X" says
    for _ in range(16):
        if x in core or x in frame:
            role = _classify(p, trig, m, x, prev, prep, x in frame, near, distance, container_of, list_of, inner)
            role.regional, role.owner = regional, owner
            return role
        if x in other_anchors:
            return Role(m, "other")
        t = p.toks[x]
        if x != h and x in heads:
            other = heads[x]
            if prev is not None and p.toks[prev].dep == "conj":
                list_of = list_of or other
            elif container_of is None and _contains(m, other):
                container_of = other
        if x != h:
            described = _place_of_noun(p, t.head, heads) if t.lemma in ("locate", "situate") or (
                x == p.toks[h].head and t.dep == "prep" and t.lemma in c["near_preps"]) else None
            if described is not None and described is not m:
                return Role(m, "container", container_of=described)  # "the X base, located near Y": where X is
            if t.dep == "acl" and t.lemma in _QUALIFYING:  # "ideas related to a truce with officials in X":
                prep, frozen = inner, True               # the phrase is the noun's; X is where, as "in" says
            elif t.pos in ("VERB", "AUX") and t.lemma not in CONSEQUENCE_VERBS and not (
                    trig.type == "interception" and t.dep == "acl" and t.lemma in _AIMED):
                # (the weapons downed were "launched at X": X is where they were downed)
                return Role(m, "speaker" if prev is not None and p.toks[prev].dep == "nsubj"
                            and t.lemma in c["speech_verbs"] else "other")
            if t.pos in ("NOUN", "PROPN") and x not in heads:
                if (t.lemma in c["org_nouns"] or t.lower in c["org_nouns"]) and inner not in c["locative_preps"]:
                    return Role(m, "org")  # "the X governor"; but "officials in X" are in X
                if t.lemma in c["reason_nouns"]:
                    return Role(m, "other")  # "in response to launches at X": the reason, not the place
                if t.lemma in c["reference_nouns"] and inner == "with":
                    return Role(m, "other")  # "near the border with Russia": a reference, not the site
                near = near or t.lemma in c["vicinity_nouns"]
                regional = regional or (not settled and ((t.lemma in _REGIONAL and not _plain_parts(p, x)) or any(
                    p.toks[k].lemma == "rural" for k in p.children[x])))
                settled = settled or t.lemma in ("town", "city", "village")  # "parts of X town": the town's
            if t.lower in c["directions"] or t.lower in c["distance_units"] or t.lemma in c["distance_units"]:
                distance = True
        if t.dep == "prep" and t.pos in ("ADP", "SCONJ") and x != h and not frozen:
            prep = t.lemma  # the outermost preposition governs ("after earlier rounds in Geneva": after)
            inner = inner or (t.lemma if t.lemma != "of" else "")  # "in the city of X": in
        if t.head == x:
            return Role(m, "outside")
        prev, x = x, t.head
    return Role(m, "outside")


_AIMED = frozenset({"launch", "fire", "aim", "direct", "send", "head", "fly", "target"})
_PART_DIRECTIONS = frozenset({"northern", "southern", "eastern", "western", "central", "north", "south", "east", "west",
                              "northeastern", "northwestern", "southeastern", "southwestern", "rural", "outlying"})


def _plain_parts(p: Parsed, x: int) -> bool:
    """"large parts of X", "parts of X": parts of the town; only "the eastern parts of X" reach out
    into the province that the town names."""
    return p.toks[x].lemma == "part" and not any(p.toks[k].lower in _PART_DIRECTIONS for k in p.children[x])


def scene_subject(p: Parsed, trig: Trigger, m: Mention) -> bool:
    """Is mention `m` the subject of a scene verb over the trigger (see `_scene_subject`)? A capital there
    is the city, not its government ("Colombo is reeling")."""
    if not p.parsed:
        return False
    h = p.span_head(m.start, m.end)
    return h is not None and _scene_subject(p, trig, h)


def _scene_subject(p: Parsed, trig: Trigger, h: int) -> bool:
    """"Colombo is reeling after nine were killed as protests turned violent", "X was rocked by blasts":
    the subject of a verb that tells how a place lives through the event is where it happened."""
    t = p.toks[h]
    if t.dep not in ("nsubj", "nsubjpass") or t.head == h:
        return False
    verb = p.toks[t.head]
    return verb.lemma in cues()["scene_verbs"] and trig.anchor != verb.i and trig.anchor in p.subtree(verb.i)


def _stranded_object(p: Parsed, trig: Trigger, h: int) -> bool:
    """"Gangs attacked X, a town near ..., AP reports": the parser made X the subject of the verb after
    the appositive, leaving the transitive trigger with no object; or, not knowing the name, it made
    it an adverb of the verb ("shelled X on Monday", X advmod). A name right after such a verb (or
    after its "the") that the parse hung under a later word, or as a modifier of the verb, is its object."""
    a = trig.anchor
    t = p.toks[a]
    if t.pos != "VERB" or any(p.toks[c].dep in ("dobj", "nsubjpass", "attr") for c in p.children[a]):
        return False
    if not 0 < h - a <= 2 or any(p.toks[k].lower != "the" for k in range(a + 1, h)):
        return False
    ht = p.toks[h]
    return (ht.dep in ("nsubj", "nsubjpass") and ht.head > h) or (ht.dep in ("advmod", "npadvmod", "dep")
                                                                   and ht.head == a)


_SHORE = re.compile(r"(?:['’]s)?(?:,?\s+[a-z][\w-]*){0,3}\s+(?:on|in|at|by|off)\s+the\s+$")  # "X, the town on the"


_COASTAL = re.compile(r"\s+(?:[a-z-]+\s+){0,2}(?:port|city|town|resort|harbou?r|coast|base|village)\s+(?:of\s+)?")


_VICINITY = re.compile(r",?\s+(?:near|outside|close to|not far from|just (?:north|south|east|west) of)\s+(?:the\s+)?"
                       r"(?:[\w-]+\s+){0,3}?(?:(?:town|village|city|settlement|port)\s+of\s+)?|"  # "near the occupied town of Y"
                       rf",\s+(?:in\s+)?(?:the\s+)?{DIRECTION_ADJ}\s+", re.I)  # "X, near Y", "X, northern Y"


def _vicinity_of(text: str, m: Mention, heads: dict[int, Mention]) -> Mention | None:
    """"the city of X, near Y", "X, northern Y": Y right after a town, as its vicinity or its part of the
    country, only says where X lies."""
    for other in heads.values():
        if other is not m and other.place is not None and other.place.feature in ("locality", "landmark") \
                and other.end < m.start <= other.end + 30 and _VICINITY.fullmatch(text, other.end, m.start):
            return other
    return None


def _shore_of(text: str, sea: Mention, heads: dict[int, Mention]) -> Mention | None:
    """"the naval base at X on the Black Sea", "X's port on the Caspian": a sea named right after a town
    (and its facility words) only says where the town lies."""
    if sea.place is None or sea.place.feature != "water":
        return None
    for other in heads.values():
        if other.place is None or other.place.feature not in ("locality", "landmark"):
            continue
        if other.end < sea.start and sea.start - other.end <= 40 and _SHORE.fullmatch(text, other.end, sea.start):
            return other
        if sea.end < other.start and other.start - sea.end <= 40 and _COASTAL.fullmatch(text, sea.end, other.start):
            return other  # "the Red Sea port city of X", "the Black Sea resort of X"
    return None


def _place_of_noun(p: Parsed, k: int, heads: dict[int, Mention]) -> Mention | None:
    """The place a noun is or is named after ("Incirlik" of "the Incirlik air base", "X" of "the city of X")."""
    if k in heads:
        return heads[k]
    for c in p.children[k]:
        if c in heads and p.toks[c].dep == "compound":
            return heads[c]
        if p.toks[c].dep == "prep" and p.toks[c].lower == "of":
            named = next((heads[g] for g in p.children[c] if g in heads and p.toks[g].dep == "pobj"), None)
            if named is not None:
                return named
    return None


def _contains(outer: Mention, inner: Mention) -> bool:
    """`outer` can hold `inner` (an area around a town), judged by feature and place."""
    a, b = outer.place, inner.place
    if a is None or b is None:
        return False
    if _RANK.get(a.feature, 4) >= _RANK.get(b.feature, 4) or a.feature not in _CONTAINERS:
        return False
    if a.feature in ("country", "continent"):
        return a.country == b.country or a.feature == "continent"
    return not a.admin1 or not b.admin1 or a.admin1 == b.admin1 or a.country == b.country


def _classify(p: Parsed, trig: Trigger, m: Mention, attach: int, prev: int | None, prep: str, in_frame: bool,
              near: bool, distance: bool, container_of: Mention | None, list_of: Mention | None,
              inner: str = "") -> Role:
    c = cues()
    if container_of is not None:
        return Role(m, "container", container_of=container_of)
    link = p.toks[prev] if prev is not None else None
    if link is not None and link.dep == "prep":
        prep = link.lemma
    elif prep == "of":
        prep = ""  # "two residents of X", "the village of X": the noun's own relation to the event counts
    if prep in ("include", "including") and inner in c["locative_preps"]:
        return Role(m, "site", prep=inner, list_of=list_of)  # "hit homes across Israel, including in X"
    if prep in _PARTY_PREPS and inner in c["locative_preps"] and inner != prep:
        prep = inner  # "clashed with saboteurs near X": the place of the fighting, whatever it hangs on
    elif prep == "for" and trig.type == "outage" and inner in c["locative_preps"]:
        prep = inner  # "cutting supply for 600,000 people in X": the people without it are in X
    role = _by_relation(trig, m, link, prep, in_frame, attach, p)
    if role in ("site", "frame") and distance:
        role = "distance"
    elif role == "agent" and distance and m.place is not None and m.place.feature in ("locality", "landmark"):
        role = "distance"  # "ambushed by rebels some 30 km west of X": where, not who
    near = near or prep in c["near_preps"] or (link is not None and _close_to(p, link))
    modifier = not prep and link is not None and link.dep in _MODIFIER
    return Role(m, role, near=near, list_of=list_of, prep=prep, modifier=modifier)


def _by_relation(trig: Trigger, m: Mention, link, prep: str, in_frame: bool, attach: int, p: Parsed) -> str:
    c = cues()
    etype = trig.type
    if link is not None and link.dep == "advmod" and link.lemma in ("close", "next", "near"):
        prep = "near"
    if link is not None and link.dep in ("advmod", "npadvmod") and link.lower in c["directions"]:
        return "frame" if in_frame else "site"  # "fighting raged 15 km east of X": a distance (see _classify)
    if prep:
        if prep in c["locative_preps"] or prep == "near":
            if prep == "over" and etype in ("talks", "protest", "clash"):
                return "topic"
            if prep == "on" and etype in ("talks", "protest"):
                return "topic"
            return "frame" if in_frame else "site"
        if in_frame:
            return "other"
        if prep == "of":
            return "site"
        if prep == "for":
            return "site" if etype in ("clash", "capture") else "topic"
        if prep == "against":
            return "site" if etype in ("strike", "clash", "other") else "topic"
        if prep in ("to", "toward", "towards"):
            if etype == "outage" or (etype == "exchange" and prep == "to") or (
                    prep == "to" and p.toks[attach].lemma in ("damage", "harm", "destruction")):
                return "site"  # "damage to an oil depot in X"
            return "destination"
        if prep == "by":
            return "agent"
        if prep in ("between", "with", "among"):
            return "party"
        if prep == "from":
            return "origin"
        if prep in ("about", "regarding", "concerning"):
            return "topic"
        return "other"
    if in_frame and link is not None and link.dep == "nsubj" and m.place is not None and m.place.feature in (
            "locality", "admin1", "admin2", "region") and p.toks[attach].lemma not in cues()["speech_verbs"]:
        return "frame"  # "Colombo is reeling after nine were killed": the city the clause is about
    if in_frame or link is None:
        return "other" if link is not None else "site"
    dep = link.dep
    if dep == "pobj" and attach in trig.tokens and p.toks[attach].pos == "ADP":
        return "site"  # the object of a phrase's own preposition: "withdrew from X", "fell to", "control of X"
    if dep in _OBJECT:
        return "party" if etype == "talks" else "site"
    if dep == "nsubj":
        anchor = p.toks[attach]
        if etype == "outage" or anchor.lemma in _SUBJECT_SITES or p.toks[trig.anchor].lemma in _SUBJECT_SITES:
            return "site"
        return "agent"
    if dep == "agent":
        return "agent"
    if dep == "poss":
        return "agent" if _is_country(m) else "site"
    if dep in _MODIFIER:
        return "agent" if _is_country(m) and etype != "outage" else "site"
    if dep == "conj":
        return "other"
    return "other"


def _is_country(m: Mention) -> bool:
    return m.place is not None and m.place.feature in ("country", "continent")


def _close_to(p: Parsed, last) -> bool:
    return last.lemma in ("close", "next") or any(
        p.toks[j].lemma in ("close", "next") for j in p.children[last.i])


# ---------------------------------------------------------------- without a parse
def _assign_shallow(p: Parsed, trig: Trigger, mentions: list[Mention], other_anchors: set[int],
                    text: str) -> list[Role]:
    """Roles from word order: the preposition before each place, the trigger's position."""
    c = cues()
    out = []
    anchors = sorted(other_anchors | {trig.anchor})
    for m in mentions:
        idx = p.span_tokens(m.start, m.end)
        if not idx:
            continue
        first, last = idx[0], idx[-1]
        # the nearest trigger before the place owns it, else the nearest after it
        owner = max((a for a in anchors if a < first), default=None)
        if owner is None:
            owner = min((a for a in anchors if a > last), default=None)
        if owner != trig.anchor:
            out.append(Role(m, "other"))
            continue
        j = first - 1
        while j >= 0 and (p.toks[j].lower in ("the", "a", "an") or p.toks[j].pos == "ADJ"
                          or p.toks[j].lower in c["directions"]):
            j -= 1
        before = p.toks[j].lower if j >= 0 else ""
        after = p.toks[last + 1].lemma if last + 1 < len(p.toks) else ""
        near = before in c["near_preps"]
        prep = before if before in c["locative_preps"] or before in ("of", "for", "against") else ""
        if after in c["speech_verbs"] or after in c["org_nouns"]:
            out.append(Role(m, "speaker" if after in c["speech_verbs"] else "org"))
        elif before in ("km", "kilometres", "kilometers", "miles") or (j >= 0 and p.toks[j].lower == "of" and j >= 1
                                                                        and p.toks[j - 1].lower in c["directions"]):
            out.append(Role(m, "distance"))
        elif before in c["locative_preps"]:
            out.append(Role(m, "site", near=near, prep=prep))
        elif before == "of" and last < trig.anchor:
            out.append(Role(m, "org"))
        elif before in ("of", "for", "against"):
            out.append(Role(m, "site", prep=prep))
        elif before in ("by", "between", "with", "from", "to", "towards", "toward"):
            out.append(Role(m, {"by": "agent", "from": "origin"}.get(before, "party")))
        elif first > trig.anchor and first - trig.tokens[-1] <= 3:
            out.append(Role(m, "party" if trig.type == "talks" else "site"))
        elif last < trig.anchor:
            out.append(Role(m, "agent" if _is_country(m) and trig.type != "outage" else "site"))
        else:
            out.append(Role(m, "other"))
    return out
