"""The sentence analysis the extractor reads: universal parts of speech from the tagger's Penn tags
(what spaCy's attribute ruler would give, without its matcher), lemmas, heads."""
from __future__ import annotations

import pytest

from geo.events import nlp

pytestmark = pytest.mark.skipif(not nlp.parser_available(), reason="spaCy model not installed")


def _pos(text: str) -> dict[str, str]:
    (p,) = nlp.analyse_many([(text, 0, len(text))])
    return {t.text: t.pos for t in p.toks}


def test_auxiliaries_copulas_and_main_verbs():
    pos = _pos("The bridge was destroyed after it was hit, and the town is dark.")
    assert (pos["destroyed"], pos["was"], pos["is"], pos["hit"]) == ("VERB", "AUX", "AUX", "VERB")


def test_subordinators_prepositions_and_negation():
    pos = _pos("Officials said that drones did not strike the port in Odesa because of jamming.")
    assert (pos["that"], pos["in"], pos["not"], pos["Odesa"], pos["drones"]) == ("SCONJ", "ADP", "PART", "PROPN",
                                                                                  "NOUN")


def test_lemmas_follow_the_part_of_speech():
    (p,) = nlp.analyse_many([("Shelling killed two and wounded five.", 0, 37)])
    lemmas = {t.text: t.lemma for t in p.toks}
    assert (lemmas["killed"], lemmas["wounded"]) == ("kill", "wound")


@pytest.mark.parametrize("tag, dep, word, expected", [
    ("VBD", "ROOT", "struck", "VERB"), ("VBD", "aux", "had", "AUX"), ("VBZ", "ROOT", "is", "AUX"),
    ("IN", "mark", "after", "SCONJ"), ("IN", "prep", "after", "ADP"), ("DT", "nsubj", "this", "PRON"),
    ("DT", "det", "this", "DET"), ("NNP", "pobj", "Kyiv", "PROPN"), ("MD", "aux", "will", "AUX"),
])
def test_upos_from_penn_tags(tag, dep, word, expected):
    assert nlp.upos(tag, dep, word.lower()) == expected


def test_the_loose_shallow_reading_keeps_every_sentence_the_parse_finds_a_trigger_in(gaz):
    """The extractor parses only sentences where a loose reading of the shallow analysis finds a
    trigger (the parse is most of its time); that reading must never miss one the parse finds."""
    from geo.events import extractor, sides, triggers
    from geo.events.document import Document
    from geo.geoparser import geoparse_article
    from geo.pipeline import samples_dir
    from geo.read import read_paths

    if not nlp.parser_available():
        pytest.skip("no parser model")
    checked = 0
    for art in read_paths([str(samples_dir())]):
        doc = Document.build(art.text, sides.not_group_names(art.text, geoparse_article(art)), art.published, art.id)
        countries = frozenset(doc.country_weight)
        for s in doc.sentences:
            if not triggers.may_hold_trigger(doc.text[s.start:s.end]):
                continue
            parsed = nlp.analyse_many([(doc.text, s.start, s.end)], [set()])[0]
            if triggers.find(parsed, extractor._context_test(doc, s, parsed, countries),
                             extractor._place_tokens(doc, parsed)):
                checked += 1
                assert extractor._worth_analysing(doc, s, True, countries), doc.text[s.start:s.end]
    assert checked > 20
