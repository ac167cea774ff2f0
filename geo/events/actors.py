"""Who acted, and on whom: ACLED's actor1 / actor2 with their inter codes and interaction.

Parties come from data/lexicons/actors.json (names, abbreviations, demonyms, capitals used for their
governments, leaders; each with its country, its ACLED inter code and its opponents). A party word
counts only where the article's places allow it: an entry with `context` needs one of its
countries in the article ("gangs" is Viv Ansanm only in an article about Haiti).

actor1, read from the trigger's syntax: the subject of an active trigger ("Russian forces shelled"),
the agent ("struck by Israeli jets"), the owner or the demonym of the trigger or its weapon ("a
Russian drone strike", "Russia's attack"); for an interception, the defender (the subject of "shot
down", else the side whose drones they were is the attacker and its opponent the defender); when the
clause names no party, the speaker of a self-report ("the ministry said its forces took X"), and
last the opponent of the side whose territory was hit.
actor2: the counterpart of talks, the other side of a clash, the loser of a capture, civilians of the
site's country when the target is civilian (residential buildings, a market, people killed), else the
opponent of actor1. `interaction` is ACLED's two-digit code (lower inter first; 10 * inter1 alone).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.events.lexicon import _read, cues
from geo.events.nlp import Parsed
from geo.events.triggers import Trigger
from geo.text import alternation


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    country: str | None
    inter: int
    opponents: tuple[str, ...]
    context: tuple[str, ...] | None = None
    areas: tuple[str, ...] = ()  # the countries it fights in on the ground (its own first)

    @property
    def opponent(self) -> str | None:
        return self.opponents[0] if self.opponents else None


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    actor: Actor


@lru_cache(maxsize=1)
def table() -> tuple[dict[str, Actor], re.Pattern[str], dict[str, Actor], dict]:
    """(actors by name, one pattern of every party word, word -> actor, generic lists)."""
    raw = _read("actors.json")
    by_name: dict[str, Actor] = {}
    by_word: dict[str, Actor] = {}
    for a in raw["actors"]:
        actor = Actor(a["name"], a.get("country"), int(a.get("inter") or 0), tuple(a.get("opponents") or ()),
                      tuple(a["context"]) if a.get("context") else None,
                      tuple(a.get("areas") or ([a["country"]] if a.get("country") else [])))
        by_name[actor.name] = actor
        for w in a["words"]:
            for form in _spellings(w):
                by_word.setdefault(form, actor)
    for w in [w for w in by_word if _long_name(w)]:
        by_word.setdefault(w.lower(), by_word[w])
    for name, actor in list(by_name.items()):  # opponents named by a word of theirs ("TNLA"): their name
        canon = tuple(o if o in by_name else by_word[o].name if o in by_word else o for o in actor.opponents)
        if canon != actor.opponents:
            by_name[name] = actor = replace(actor, opponents=canon)
            for w, a in list(by_word.items()):
                if a.name == name:
                    by_word[w] = actor
    words = alternation(w for w in by_word if not _long_name(w))
    longs = alternation((w for w in by_word if _long_name(w) and w != w.lower()), fold=True)
    rx = re.compile(r"(?<![\w-])(?:(?i:" + longs + r")|" + words + r")(?:['’]s)?(?![\w-])")
    generic = {"groups": [(g["name"], int(g["inter"]), frozenset(w.lower() for w in g["words"])) for g in raw["generic"]],
               "civilian_targets": frozenset(raw["civilian_targets"])}
    return by_name, rx, by_word, generic


def _spellings(word: str) -> list[str]:
    """The forms a party word is written in: itself, and an acronym of four letters or more also as a name
    ("ISWAP" as "Iswap", as some outlets write it)."""
    out = [word]
    if word.isupper() and word.isalpha() and len(word) >= 4:
        out.append(word.capitalize())
    return out


def _long_name(word: str) -> bool:
    """Names of three words or more are matched whatever their case ("Group for the support of Islam")."""
    return len(word.split()) >= 3


def by_name(name: str | None) -> Actor | None:
    return table()[0].get(name or "")


@lru_cache(maxsize=None)
def parties_of(cc: str | None) -> frozenset[str]:
    """The names of a country's own parties (its state and forces)."""
    return frozenset(a.name for a in table()[0].values() if cc and a.country == cc)


def parties(text: str, start: int, end: int, countries: frozenset[str] = frozenset()) -> list[Hit]:
    """Every party word between `start` and `end` (article offsets), in order."""
    out = []
    for h in _all_hits(text):
        if h.start < start or h.end > end:
            continue
        actor = h.actor
        if actor.context and not (set(actor.context) & countries):
            continue
        out.append(h)
    return out


@lru_cache(maxsize=1024)  # a batch of articles is asked about in several passes: one scan each
def _all_hits(text: str) -> tuple[Hit, ...]:
    """The party words of a whole text, scanned once (the extractor asks about many spans of one article)."""
    _, rx, by_word, _ = table()
    out = []
    for m in rx.finditer(text):
        word = re.sub(r"['’]s$", "", m.group())
        actor = by_word.get(word) or by_word.get(word.lower())
        if actor is not None:
            out.append(Hit(m.start(), m.end(), actor))
    for m in _PAIR.finditer(text):  # "US-British strikes": a joint action names both parties
        a, b = (by_word.get(w) or by_word.get(w.lower()) for w in (m["a"], m["b"]))
        if a is not None and b is not None and a.name != b.name:
            out += [Hit(m.start("a"), m.end("a"), a), Hit(m.start("b"), m.end("b"), b)]
    return tuple(sorted(out, key=lambda h: h.start))


_PAIR = re.compile(r"(?<![\w-])(?P<a>[A-Z][\w.]*)-(?P<b>[A-Z][\w]*)(?![\w-])")


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    if not inter1:
        return None
    if not inter2:
        return inter1 * 10
    a, b = sorted((inter1, inter2))
    return a * 10 + b


def generic_group(words: list[str]) -> tuple[str, int] | None:
    """An unnamed side: protesters, civilians, gunmen ("Protesters", 6)."""
    low = {w.lower() for w in words}
    for name, inter, vocab in table()[3]["groups"]:
        if low & vocab:
            return name, inter
    return None


def civilian_target(words: list[str]) -> bool:
    return bool({w.lower() for w in words} & table()[3]["civilian_targets"])


# ---------------------------------------------------------------- actor1 from the parse
def agent_spans(p: Parsed, trig: Trigger, pred: int) -> list[tuple[int, int]]:
    """Character spans that name who acted, best first: the subject of an active trigger, the agent
    after "by", the trigger's or its weapon's owner or demonym ("Russia's attack", "Russian drones")."""
    spans: list[tuple[int, int]] = []
    if not p.parsed:
        return spans
    anchor = p.toks[trig.anchor]
    if anchor.dep in ("acl", "relcl") and anchor.head != anchor.i:  # "Russian drones launched overnight"
        for c in p.children[anchor.head]:
            if p.toks[c].dep in ("amod", "compound", "poss"):
                spans.append(_span(p, c))
    for x in dict.fromkeys((trig.anchor, pred)):
        kids = p.children[x]
        passive = any(p.toks[c].dep in ("auxpass", "nsubjpass") for c in kids)
        # "Kyiv suffered an attack" (the target), "it shot down drones during an attack" (the defender)
        undergoes = x != trig.anchor and p.toks[x].lemma in cues()["undergo_verbs"] | cues()["defence_verbs"]
        for c in kids:
            t = p.toks[c]
            if t.dep == "nsubj" and not passive and not undergoes and c != trig.anchor:
                spans.append(_span(p, c))  # (not the trigger itself: "an attack on a US base was the first")
            elif t.dep == "agent" or (x == trig.anchor and t.dep == "prep" and t.lower == "by"):
                spans.append(_span(p, c))  # "struck by Israeli jets", "an air strike by the military"
        for c in kids:
            t = p.toks[c]
            if t.dep in ("poss", "amod", "compound", "npadvmod") and x == trig.anchor:  # "Russia-launched drones"
                spans.append(_span(p, c))
            elif t.dep == "prep" and t.lemma in ("with", "from") and trig.type in ("strike", "clash"):
                spans.append(_span(p, c))
    return spans


def _span(p: Parsed, i: int) -> tuple[int, int]:
    sub = p.subtree(i)
    return p.toks[sub[0]].start, p.toks[sub[-1]].end
