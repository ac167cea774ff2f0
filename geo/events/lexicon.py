"""The extractor's word lists, loaded once from data/lexicons/ (triggers.json, cues.json, events.json,
actors.json): data, not code, so a new wording is a line in a file.

Lemma lists are expanded to every inflected form once (lemminflect), so a cheap regular expression
can tell which sentences may hold a trigger before anything is parsed, and a token matches a
lexicon word by its lemma or by its surface form (a parser's lemma is sometimes wrong: "raged"
-> "rag").
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from geo.memo import DiskMemo, package_version
from geo.text import alternation


def _read(name: str) -> dict[str, Any]:
    return json.loads(resources.files("geo_data").joinpath("lexicons", name).read_text("utf-8"))


def forms(lemma: str) -> frozenset[str]:
    """The lemma and its inflections, lower case ("strike" -> strike, strikes, struck, striking...).

    Expanding the lexicons' few thousand words through lemminflect took half a second at every
    start: the expansions are kept between runs (`geo.memo`)."""
    lemma = lemma.lower()
    return _FORMS.get(lemma, lambda: _inflect(lemma))


_FORMS = DiskMemo("forms", f"1-lemminflect-{package_version('lemminflect')}")  # bump 1 when _inflect changes


def _inflect(lemma: str) -> frozenset[str]:
    out = {lemma}
    try:
        from lemminflect import getAllInflections, getAllInflectionsOOV
    except ImportError:  # pragma: no cover - lemminflect is a dependency
        return frozenset(out | {lemma + "s", lemma + "ed", lemma + "ing"})
    infl = getAllInflections(lemma)
    if not infl:
        infl = {**getAllInflectionsOOV(lemma, upos="VERB"), **getAllInflectionsOOV(lemma, upos="NOUN")}
    for values in infl.values():
        out.update(v.lower() for v in values)
    if lemma.endswith("ise"):  # British and American spellings
        out |= forms(lemma[:-3] + "ize")
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Entry:
    """One trigger word or phrase of triggers.json."""

    type: str
    subtype: str
    words: tuple[frozenset[str], ...]  # each element: the accepted forms (all inflections)
    lemmas: tuple[frozenset[str], ...]  # each element: the accepted lemmas
    pos: frozenset[str] | None
    context: tuple[str, ...]       # cue lists that must all hold
    object: str | None
    not_object: str | None = None  # an object that makes it figurative ("struck a deal")
    needs_site: bool = False       # an event only where its own clause names the place
    secondary: bool = False        # casualties and damage: an event only where no other trigger tells it
    unless: str | None = None      # a cue list that, in the sentence, makes it another type's trigger
    tally: bool = False            # a count of victims: "no casualties in X" counts none, X was still hit

    @property
    def length(self) -> int:
        return len(self.words)


def _element(alternatives: str) -> tuple[frozenset[str], frozenset[str]]:
    lemmas = frozenset(a.lower() for a in alternatives.split("|"))
    return frozenset().union(*(forms(a) for a in lemmas)), lemmas


@lru_cache(maxsize=1)
def triggers() -> tuple[tuple[str, ...], dict[str, list[Entry]]]:
    """(type order, {head form: entries, longest phrase first})."""
    raw = _read("triggers.json")
    index: dict[str, list[Entry]] = {}
    for etype, entries in raw["types"].items():
        for e in entries:
            pos = frozenset(e["pos"]) if e.get("pos") else None
            for phrase in e["words"]:
                # "take control": two words; "air strike" likewise; a hyphenated word is one token
                parts = [p for p in re.split(r"\s+", phrase.strip()) if p]
                elems = [_element(p) for p in parts]
                ctx = e.get("context") or ()
                entry = Entry(etype, e["subtype"], tuple(w for w, _ in elems), tuple(l for _, l in elems),
                              pos, (ctx,) if isinstance(ctx, str) else tuple(ctx), e.get("object"),
                              e.get("not_object"), bool(e.get("needs_site")), bool(e.get("secondary")),
                              e.get("unless"), bool(e.get("tally")))
                for f in entry.words[0]:
                    index.setdefault(f, []).append(entry)
    order = tuple(raw["order"])
    for entries in index.values():
        entries.sort(key=lambda en: (-en.length, order.index(en.type)))
    return order, index


@lru_cache(maxsize=1)
def prefilter() -> re.Pattern[str]:
    """Matches a sentence that may hold a trigger (any head form as a whole word)."""
    return re.compile(r"(?<![\w-])(?:" + alternation(triggers()[1], fold=True) + r")(?![\w])", re.I)


@lru_cache(maxsize=1)
def cues() -> dict[str, Any]:
    raw = _read("cues.json")
    out: dict[str, Any] = {"contexts": {}}
    for name, words in raw["contexts"].items():
        out["contexts"][name] = _wordset(words)
    for key in ("speech_verbs", "org_nouns", "area_nouns", "held_nouns", "vicinity_nouns", "reason_nouns", "reference_nouns", "undergo_verbs", "defence_verbs", "scene_verbs", "independent_sources", "locative_preps", "near_preps",
                "party_preps", "unit_nouns"):
        out[key] = _wordset(raw[key])
    out["anaphors"] = {k: frozenset(v) for k, v in raw["anaphors"].items()}
    out["directions"] = raw["directions"]
    out["distance_units"] = raw["distance_units"]
    out["modality"] = {k: _wordset(v) for k, v in raw["modality"].items()}
    return out


def _wordset(words: list[str]) -> frozenset[str]:
    """Single words with their inflections, and phrases as they are (matched on joined lemmas)."""
    out: set[str] = set()
    for w in words:
        w = w.lower()
        out.add(w)
        if " " not in w:
            out |= forms(w)
    return frozenset(out)


@lru_cache(maxsize=1)
def patterns() -> dict[str, Any]:
    """The regular-expression cues of events.json (count words, weapons, targets, aggregates...)."""
    raw = _read("events.json")
    lex: dict[str, Any] = {}
    for key in ("aggregate", "running_total", "unverified", "denial", "targets", "background", "background_after",
                "new_event", "not_attack_after", "natural_before", "perfect_generic", "unarmed", "generic_before", "many_regions",
                "many_sites", "responsibility_by_subject", "responsibility_by_object", "accusation_before",
                "responsibility_after_object"):
        lex[key] = re.compile(raw[key], re.I)
    aux = r"(?:(?:has|have|had|was|were|is|are)\s+(?:(?:been|reportedly|also|now|since)\s+){0,2})?"  # "people have been injured"
    lex["counts"] = {k: re.compile(rf"^\W*(?:(?!and\b|but\b|while\b)\w+[^\w,;]+){{0,2}}?{aux}{v}\b", re.I)
                     for k, v in raw["counts"].items()}
    lex["weapons"] = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in raw["weapons"].items()}
    lex["zero"] = {k: re.compile(v, re.I) for k, v in raw["zero_counts"].items()}
    lex["one_victim"] = re.compile(raw["one_victim"], re.I)
    lex["figurative"] = {t: re.compile(v, re.I) for t, v in raw["figurative_after"].items()}
    lex["acled"] = raw["acled"]
    lex["target_nouns"] = raw["target_nouns"]
    lex["event_nouns"] = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in raw["event_nouns"].items()}
    return lex


_LIFE = frozenset({"life", "lives", "live"})


def is_speech(p, i: int) -> bool:
    """Token i of the parsed sentence `p` is a speech verb ("said", "claimed"), not the idiom "claimed
    three lives" (a toll) whose form it shares."""
    t = p.toks[i]
    if t.lemma not in cues()["speech_verbs"]:
        return False
    return not (t.lemma == "claim" and any(p.toks[c].lemma in _LIFE and p.toks[c].dep in ("dobj", "obj")
                                           for c in p.children[i]))
