"""Triggers: the words that say an event happened ("shelled", "shot down", "took control of").

A token triggers an event when its lemma or surface form is the head of an entry of
data/lexicons/triggers.json, its part of speech fits, the rest of a multi-word entry follows
within three tokens ("took full control of"), and the entry's conditions hold:
- `context`: the sentence (or the one before it) names an armed force, a weapon, a conflict
  party ("struck" is a strike only where force is in play: not "struck a deal", "struck by a car");
  a context named "*_subject" must be in the trigger's subject ("a drone crashed into");
- `object`: the trigger's object is of the kind ("launched 40 drones", not "launched an inquiry";
  "destroyed 12 drones" is an interception, "destroyed a tank" is not).
Types are tried in the lexicon's order, so a token taken by "shot down" (interception) is not also
a strike. Each trigger has an `anchor`: the token whose syntactic relations carry the event's
arguments (the verb of a phrase, the noun of "air strike").
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from geo.events.lexicon import Entry, cues, prefilter, triggers
from geo.events.nlp import Parsed, Tok

GAP = 3  # tokens allowed between the words of a phrase
_OBJECT_DEPS = ("dobj", "nsubjpass", "attr", "oprd", "obj", "dative", "appos")
_BREAK = {",", ";", ":", "(", ")", "—", "–", "\"", "“"}  # a closing quote ends a quoted phrase, not the trigger ("a “withdrawal” from")


@dataclass(slots=True)
class Trigger:
    type: str
    subtype: str
    tokens: tuple[int, ...]
    anchor: int
    start: int
    end: int
    entry: Entry

    def text(self, text: str) -> str:
        return text[self.start:self.end]


def may_hold_trigger(sentence: str) -> bool:
    """Cheap test before parsing: does any trigger head word occur?"""
    return prefilter().search(sentence) is not None


def find(p: Parsed, has_context: Callable[[str, set[int]], bool],
         place_tokens: frozenset[int] = frozenset(), loose: bool = False) -> list[Trigger]:
    """Every trigger of the analysed sentence `p`, left to right. `has_context(name, exclude)` says
    whether the sentence around the trigger (tokens `exclude` left out) holds the named cue list;
    `place_tokens` are the tokens of place names (a named place is a settlement object: "took X")."""
    order, index = triggers()
    rank = _type_rank(order)
    candidates: list[tuple[int, int, list[Entry]]] = []  # (type rank, token, its entries of that type)
    for t in p.toks:
        entries = index.get(t.lower, []) + (index.get(t.lemma, []) if t.lemma != t.lower else [])
        if loose and not entries and "-" in t.lower:  # "hardest-hit": one shallow token, two parsed
            entries = index.get(t.lower.rsplit("-", 1)[1], [])
        by_type: dict[str, list[Entry]] = {}
        for entry in entries:
            by_type.setdefault(entry.type, []).append(entry)
        candidates.extend((rank[etype], t.i, es) for etype, es in by_type.items())
    taken: set[int] = set()
    found: list[Trigger] = []
    for _, i, entries in sorted(candidates, key=lambda c: c[:2]):  # type by type, left to right
        if i in taken:
            continue
        for entry in entries:
            trig = _match(p, p.toks[i], entry, taken, has_context, place_tokens, loose)
            if trig is not None:
                found.append(trig)
                taken.update(trig.tokens)
                break
    return sorted(found, key=lambda tr: tr.start)


@lru_cache(maxsize=4)
def _type_rank(order: tuple[str, ...]) -> dict[str, int]:
    return {t: n for n, t in enumerate(order)}


def _match(p: Parsed, t: Tok, entry: Entry, taken: set[int], has_context,
           place_tokens: frozenset[int] = frozenset(), loose: bool = False) -> Trigger | None:
    if entry.pos is not None and not loose and not _pos_ok(t, entry.pos, p.parsed):
        return None
    idx = [t.i]
    j = t.i + 1
    for elem_forms, elem_lemmas in zip(entry.words[1:], entry.lemmas[1:]):
        k = _find_next(p, j, elem_forms, elem_lemmas)
        if k is None:
            return None
        idx.append(k)
        j = k + 1
    if any(i in taken for i in idx):
        return None
    anchor = _anchor(p, idx)
    if p.parsed and p.toks[anchor].pos in ("NOUN", "PROPN") and p.toks[anchor].dep == "compound" \
            and p.head(anchor).pos in ("NOUN", "PROPN") and p.toks[anchor].head not in idx:
        return None  # a modifier, not an event: "attack drones", "strike group", "protest movement"
    if entry.type == "capture" and p.parsed and p.toks[anchor].dep == "amod":
        return None  # "the Russian-occupied town of X", "rebel-held areas": who holds it, not a taking
    if entry.object and not loose and not _object_has(p, anchor, idx, entry.object, place_tokens):
        return None
    if entry.not_object and p.parsed and _object_has(p, anchor, idx, entry.not_object):
        return None
    if entry.unless and not loose and has_context(entry.unless + "_here", set(idx)):
        return None
    for name in entry.context:
        if name.endswith("_subject"):
            if not loose and not _subject_has(p, anchor, name):
                return None
        elif not has_context(name, set(idx)):
            return None
    return Trigger(entry.type, entry.subtype, tuple(idx), anchor, p.toks[idx[0]].start, p.toks[idx[-1]].end, entry)


def _pos_ok(t: Tok, allowed: frozenset[str], parsed: bool) -> bool:
    pos = {"AUX": "VERB", "PROPN": "NOUN"}.get(t.pos, t.pos)
    if pos in allowed:
        return True
    return not parsed and pos == "X"


def _find_next(p: Parsed, j: int, elem_forms: frozenset[str], elem_lemmas: frozenset[str]) -> int | None:
    for k in range(j, min(len(p.toks), j + GAP + 1)):
        tk = p.toks[k]
        if tk.lower in elem_forms or tk.lemma in elem_lemmas:
            return k
        if tk.text in _BREAK:
            return None
    return None


def _anchor(p: Parsed, idx: list[int]) -> int:
    """The verb of a phrase ("shoot down" -> shoot, "air defence repelled" -> repelled), else its last
    noun ("air strike" -> strike), else its first word."""
    verbs = [i for i in idx if p.toks[i].pos in ("VERB", "AUX")]
    if verbs:
        return verbs[-1] if p.toks[idx[0]].pos not in ("VERB", "AUX") else verbs[0]
    nouns = [i for i in idx if p.toks[i].pos in ("NOUN", "PROPN")]
    if any(p.toks[i].pos == "ADP" for i in idx) and nouns:
        return nouns[0]  # "attack on positions": the attack
    return nouns[-1] if nouns else idx[0]


def _object_has(p: Parsed, anchor: int, idx: list[int], name: str, place_tokens: frozenset[int] = frozenset()) -> bool:
    words = cues()["contexts"][name]
    places = place_tokens if name == "settlement" else frozenset()
    if p.parsed:
        lemmas = set()
        for c in p.children[anchor]:
            tok = p.toks[c]
            if tok.dep in _OBJECT_DEPS or (tok.dep == "prep" and tok.lower == "of") or (
                    tok.dep == "compound" and p.toks[anchor].pos == "NOUN"):  # "service disruptions"
                sub = p.subtree(c)[:12]
                if places and (c in places or any(j in places and _names_object(p, j, c) for j in sub)):
                    return True  # "took Avdiivka", "took the town of X" (not "took the route around X")
                if name in _HEAD_ONLY:  # "released videos of hostages" released videos, not hostages
                    sub = _object_heads(p, c)
                for j in sub:
                    lemmas.add(p.toks[j].lemma)
                    lemmas.add(p.toks[j].lower)
        if lemmas & words or _bigrams(p, lemmas, words):
            return True
        if p.toks[anchor].dep in ("acl", "relcl", "amod") and p.head(anchor).lemma in words:
            return True  # "drones destroyed over X", "the downed drones"
        return False
    window = p.toks[idx[-1] + 1: idx[-1] + 7] + p.toks[max(0, idx[0] - 4): idx[0]]
    return any(t.lemma in words or t.lower in words or t.i in places for t in window)


# Lists judged on the object's head noun only: "released videos of hostages" released videos, not
# hostages; "hit the buildings with two missiles" hit buildings (not a figurative "hit a missile").
_HEAD_ONLY = frozenset({"captives", "remains", "figurative_objects"})


def _object_heads(p: Parsed, c: int) -> list[int]:
    """The object's head noun with its modifiers and the pobj of an "of" on it ("the release of 30
    prisoners", "two Israeli hostages"), or coordinated heads ("hostages and prisoners")."""
    if p.toks[c].pos == "ADP":
        return [g for g in p.children[c] if p.toks[g].dep == "pobj"] + [
            k for g in p.children[c] if p.toks[g].dep == "pobj" for k in p.children[g]
            if p.toks[k].dep in ("compound", "amod", "conj")]
    return [c] + [k for k in p.children[c] if p.toks[k].dep in ("compound", "amod", "conj", "appos")]


def _names_object(p: Parsed, j: int, c: int) -> bool:
    """Place token j names the object c: "the X refinery", "the town of X", "Y, X" (not "the route around X")."""
    t = p.toks[j]
    if t.dep in ("compound", "appos"):
        return t.head == c
    return t.dep == "pobj" and p.toks[t.head].lower == "of" and p.toks[t.head].head == c


def _bigrams(p: Parsed, lemmas: set[str], words: frozenset[str]) -> bool:
    return any(" " in w and all(part in lemmas for part in w.split()) for w in words)


def _subject_has(p: Parsed, anchor: int, name: str) -> bool:
    words = cues()["contexts"][name]
    if p.parsed:
        return any(p.toks[j].lemma in words or p.toks[j].lower in words
                   for c in subjects(p, anchor) for j in p.subtree(c))
    window = p.toks[max(0, anchor - 4):anchor]
    return any(t.lemma in words or t.lower in words for t in window)


_RELATIVE = frozenset({"that", "which", "who"})


def subjects(p: Parsed, verb: int, depth: int = 0) -> list[int]:
    """The subject heads of a verb: its own; for a relative pronoun, the noun the clause hangs on ("a
    drone that slammed into"); a verb the parser hung on a noun ("In X, a drone slammed into": acl)
    reads that noun; a participle or second verb without one ("..., killing two"; "hit X and
    exploded") takes the subject of the verb it hangs on."""
    t = p.toks[verb]
    own = [c for c in p.children[verb] if p.toks[c].dep in ("nsubj", "nsubjpass")]
    if own:
        return [t.head if p.toks[c].lower in _RELATIVE and t.dep == "relcl" else c for c in own]
    if t.dep in ("acl", "relcl") and t.head != verb and p.toks[t.head].pos in ("NOUN", "PROPN"):
        return [t.head]
    if t.dep in ("advcl", "conj", "xcomp") and t.head != verb and depth < 2:
        return subjects(p, t.head, depth + 1)
    return []
