"""Claim status: who says it happened, and does anyone deny it?

- `reported`: the source states it as fact, or an official of the side that was hit reports it;
- `claimed`: a party reports its own action or success (a capture announced by the side that took the
  town, an air force's tally of drones it downed, a strike claimed by the side that struck) and
  nobody independent confirms it; "could not be independently verified" in the sentence or the next
  one keeps any report `claimed`;
- `disputed`: claimed, and the other side denies it in the same sentence or one of the next two
  (unless what it denies is an event of another type named right after the denial).
The speaker is the subject of the speech verb that governs the trigger ("Russia's Defence Ministry
said"), the object of "according to", or the party right before an attribution verb.
"""
from __future__ import annotations

import re

from geo.events.actors import Actor, by_name, parties
from geo.events.document import Document
from geo.events.lexicon import cues, is_speech, patterns
from geo.events.nlp import Parsed
from geo.events.triggers import Trigger

SELF_CLAIMED = ("capture", "interception", "strike", "clash")
_ATTRIBUTION = re.compile(r"\b(?:said|says|say|stated|claimed|claims|claim|reported|reports|announced|confirmed|"
                          r"told|wrote|added|insisted|according to|cited|posted)\b")


def speaker(doc: Document, p: Parsed, trig: Trigger, countries: frozenset[str]) -> Actor | None:
    """The party the trigger's statement is attributed to."""
    text = doc.text
    if p.parsed:
        for a in [trig.anchor, *p.ancestors(trig.anchor)]:
            if is_speech(p, a) and a != trig.anchor:
                for c in p.children[a]:
                    if p.toks[c].dep in ("nsubj", "nsubjpass", "agent"):
                        sub = p.subtree(c)
                        hits = parties(text, p.toks[sub[0]].start, p.toks[sub[-1]].end, countries)
                        if hits:
                            return hits[0].actor
            for c in p.children[a]:
                if p.toks[c].lemma == "accord":  # "according to X"
                    sub = p.subtree(c)
                    hits = parties(text, p.toks[sub[0]].start, p.toks[sub[-1]].end, countries)
                    if hits:
                        return hits[0].actor
    return _speaker_by_words(text, p.start, p.end, countries)


def _attributed(p: Parsed, trig: Trigger) -> bool:
    """The trigger's clause is what a speech verb governs ("X said ...", "... , the ministry said")."""
    if p.parsed:
        return any(is_speech(p, a) for a in p.ancestors(trig.anchor)[:4])
    return bool(_ATTRIBUTION.search(p.toks[0].text if not p.toks else " ".join(t.text for t in p.toks)))


def _independent(p: Parsed, trig: Trigger) -> bool:
    """"..., sources said", "witnesses told AFP": the speech verb's subject is no party but a source
    outside the fighting, whose account is a report, not a side's claim."""
    if not p.parsed:
        return False
    words = cues()["independent_sources"]
    for a in p.ancestors(trig.anchor)[:4]:
        if is_speech(p, a):
            return any(p.toks[c].dep in ("nsubj", "nsubjpass") and p.toks[c].lemma in words for c in p.children[a])
    return False


def _speaker_by_words(text: str, s0: int, s1: int, countries: frozenset[str]) -> Actor | None:
    hits = parties(text, s0, s1, countries)
    for m in _ATTRIBUTION.finditer(text, s0, s1):
        if m.group() == "according to":
            after = [h for h in hits if 0 <= h.start - m.end() <= 30]
            if after:
                return after[0].actor
            continue
        near = [h for h in hits if 0 <= m.start() - h.end <= 35 and "," not in text[h.end:m.start()]]
        if near:
            return near[-1].actor
    return None


def claim_status(doc: Document, p: Parsed, trig: Trigger, actor: str | None, sent_index: int,
                 countries: frozenset[str]) -> tuple[str, str | None]:
    """(claim_status, claimed_by) of a factual event."""
    text = doc.text
    src = speaker(doc, p, trig, countries)
    sents = doc.sentences
    nxt = sents[sent_index + 1] if sent_index + 1 < len(sents) else None
    lex = patterns()
    sent_text = text[p.start:p.end]
    unverified = lex["unverified"].search(sent_text) or (nxt is not None and lex["unverified"].search(
        text[nxt.start:nxt.end]))
    own = src is not None and actor is not None and src.name == actor
    defended = trig.type == "interception" and actor is not None and by_name(actor) is not None and (
        src is None or own)
    # a capture said by an unnamed authority ("the defence ministry said its troops liberated X")
    announced = trig.type == "capture" and src is None and _attributed(p, trig) and not _independent(p, trig)
    if not ((own and trig.type in SELF_CLAIMED) or defended or announced or (unverified and trig.type in SELF_CLAIMED)):
        return "reported", None
    claimed_by = src.name if src is not None else actor
    if lex["denial"].search(sent_text) or any(
            _denies(doc, s.start, s.end, trig.type) for s in sents[sent_index + 1:sent_index + 3]):
        return "disputed", claimed_by
    return "claimed", claimed_by


def _denies(doc: Document, s0: int, s1: int, etype: str) -> bool:
    """The sentence denies an event of this type: a denial not followed by another type's noun."""
    lex = patterns()
    nouns = lex["event_nouns"]
    text = doc.text
    for m in lex["denial"].finditer(text, s0, s1):
        what = text[m.end():min(s1, m.end() + 40)]
        other = any(rx.search(what) for t, rx in nouns.items() if t != etype)
        own = etype in nouns and nouns[etype].search(what)
        if not (other and not own):
            return True
    return False
