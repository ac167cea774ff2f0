"""The data files the extractor and geoparser read: well-formed, and no key given twice (JSON keeps the
last silently, so a second list of the same name would quietly replace the first)."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

LEXICONS = sorted((Path(__file__).resolve().parents[1] / "data" / "lexicons").glob("*.json"))


def _no_duplicates(pairs):
    twice = [k for k, n in Counter(k for k, _ in pairs).items() if n > 1]
    assert not twice, f"keys given twice: {twice}"
    return dict(pairs)


@pytest.mark.parametrize("path", LEXICONS, ids=lambda p: p.name)
def test_a_lexicon_gives_each_key_once(path):
    json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicates)


def test_there_are_lexicons_to_check():
    assert {p.name for p in LEXICONS} >= {"cues.json", "triggers.json", "events.json", "actors.json", "geoparse.json"}


def test_destroying_parked_aircraft_is_no_interception(gaz):
    from geo.events import extract_text

    evs = extract_text("Drones destroyed four bombers parked at the Engels air base on Sunday, an official said.")
    assert not [e for e in evs if e.type == "interception"]


def test_every_opponent_is_a_party_of_the_actor_lexicon():
    """An opponent written by one of its words ("TNLA") is read as that party's name: otherwise a
    withdrawal or a default side would name a party no other event of it carries."""
    from geo.events.actors import table

    by_name = table()[0]
    unknown = {(a.name, o) for a in by_name.values() for o in a.opponents if o not in by_name}
    assert not unknown
    assert by_name["Myanmar military"].opponents[:3] == ("Resistance forces", "Arakan Army",
                                                        "Ta'ang National Liberation Army (TNLA)")
