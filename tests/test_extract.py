"""Event extraction on sentences written for these tests (published Wednesday 2025-12-03): one test
per event type, claim statuses, negation and aggregates, the place rules and relative dates."""
from __future__ import annotations

import datetime as dt

import pytest

from geo.extraction import extract_text
from geo.models import FACTUAL_CLAIMS

PUB = dt.date(2025, 12, 3)  # a Wednesday
TUE, MON = dt.date(2025, 12, 2), dt.date(2025, 12, 1)
ZAPORIZHZHIA, HULIAIPOLE, KHERSON, TBILISI, ISTANBUL, SIVERSK, ODESA = (
    687700, 707898, 706448, 611717, 745044, 694403, 698740)


@pytest.fixture
def extract(gaz):
    def run(text: str):
        evs = extract_text(text, published=PUB, article_id="t")
        for e in evs:  # invariants of every event
            assert e.type in ("strike", "capture", "clash", "interception", "outage", "talks", "exchange",
                              "protest", "other")
            assert e.articles == ["t"] and e.evidence
            for ev in e.evidence:
                assert text[ev.start:ev.end] == ev.text
        return evs

    return run


def of_type(evs, etype: str, facts_only: bool = True):
    return [e for e in evs if e.type == etype and (e.claim_status in FACTUAL_CLAIMS or not facts_only)]


def one(evs, etype: str, facts_only: bool = True):
    hits = of_type(evs, etype, facts_only)
    assert len(hits) == 1, f"expected one {etype}, got {[(e.type, e.place, e.claim_status) for e in evs]}"
    return hits[0]


# ---------------------------------------------------------------- one test per type
def test_strike_with_fatalities_in_words_and_injured_in_digits(extract):
    e = one(extract("A Russian missile struck an apartment building in Zaporizhzhia on Tuesday, killing "
                    "three people and injuring 12, regional officials said."), "strike")
    assert (e.geonameid, e.precision, e.country) == (ZAPORIZHZHIA, "locality", "UA")
    assert (e.date, e.date_precision) == (TUE, "day")
    assert (e.fatalities, e.injured) == (3, 12)
    assert e.actor == "Russia" and e.weapon == "missile"
    assert e.claim_status == "reported"


def test_capture_of_a_village(extract):
    e = one(extract("Russian forces captured the village of Andriivka in the Donetsk region on Monday, "
                    "Ukrainian military analysts said."), "capture")
    assert (e.country, e.admin1, e.precision) == ("UA", "UA.05", "locality")
    assert e.place and e.place.startswith("Andri")
    assert e.date == MON and e.actor == "Russia"


def test_clash_near_a_town(extract):
    e = one(extract("Fierce fighting raged near Huliaipole in the Zaporizhzhia region on Tuesday, the "
                    "Ukrainian general staff said."), "clash")
    assert (e.geonameid, e.precision, e.date) == (HULIAIPOLE, "near", TUE)


def test_interception_with_quantity(extract):
    e = one(extract("Ukrainian air defences shot down 40 Russian drones over the Kyiv region overnight."),
            "interception")
    assert e.quantity == 40
    assert e.actor == "Ukraine" and e.country == "UA"
    assert e.date == PUB


@pytest.mark.xfail(strict=True, reason="'shot down 64 of 85 drones': quantity takes 85 (launched), not 64 (shot down)")
def test_interception_quantity_is_the_number_shot_down_not_launched(extract):
    e = one(extract("Ukraine's air force said it shot down 64 of 85 Russian drones launched overnight."),
            "interception")
    assert e.quantity == 64
    assert (e.country, e.precision) == ("UA", "country")


def test_outage_with_affected_count(extract):
    evs = extract("A Russian strike on a substation left 120,000 homes in the Chernihiv region without "
                  "power on Tuesday.")
    e = one(evs, "outage")
    assert e.affected == 120_000
    assert (e.admin1, e.precision, e.date) == ("UA.02", "admin1", TUE)
    assert one(evs, "strike").admin1 == "UA.02"


def test_talks_with_place_and_day(extract):
    e = one(extract("Ukrainian and Russian delegations met in Istanbul on Tuesday for a new round of peace "
                    "talks."), "talks")
    assert (e.geonameid, e.precision, e.date, e.date_precision) == (ISTANBUL, "locality", TUE, "day")


def test_talks_in_geneva(extract):
    e = one(extract("The two delegations met in Geneva on Monday and agreed to meet again."), "talks")
    assert (e.country, e.date) == ("CH", MON)


def test_prisoner_exchange(extract):
    e = one(extract("Ukraine and Russia carried out a prisoner exchange on Tuesday, with 150 soldiers "
                    "returning home from each side."), "exchange")
    assert e.date == TUE
    assert e.quantity == 150


def test_protest(extract):
    e = one(extract("Thousands of people protested in Tbilisi on Tuesday against the government's "
                    "decision to suspend talks with Brussels."), "protest")
    assert (e.geonameid, e.date) == (TBILISI, TUE)


# ---------------------------------------------------------------- claim status
def test_own_capture_denied_by_the_other_side_is_disputed(extract):
    e = one(extract("Russia's defence ministry said its forces had captured Siversk. Ukraine's military "
                    "denied the claim, saying its troops still held the town."), "capture")
    assert e.geonameid == SIVERSK
    assert (e.claim_status, e.claimed_by) == ("disputed", "Russia")


def test_unverifiable_report_is_claimed(extract):
    e = one(extract("A drone attack hit a fuel depot in Novorossiysk on Tuesday, according to a local "
                    "Telegram channel. The report could not be independently verified."), "strike")
    assert e.claim_status == "claimed"
    assert e.country == "RU"


def test_poised_to_capture_is_not_a_fact(extract):
    evs = extract("Russian troops are poised to capture Huliaipole, Ukrainian officials warned on Tuesday.")
    assert not of_type(evs, "capture")


@pytest.mark.xfail(strict=True, reason="no trigger matches the bare verb 'capture' (only captured/capturing), "
                   "so the anticipated capture is never kept with claim_status 'anticipated'")
def test_poised_to_capture_is_kept_as_anticipated(extract):
    evs = extract("Russian troops are poised to capture Huliaipole, Ukrainian officials warned on Tuesday.")
    e = one(evs, "capture", facts_only=False)
    assert (e.claim_status, e.geonameid) == ("anticipated", HULIAIPOLE)


def test_meeting_that_will_happen_is_not_a_fact(extract):
    evs = extract("The two foreign ministers will meet in Vienna next week, diplomats said on Tuesday.")
    assert not of_type(evs, "talks")


@pytest.mark.xfail(strict=True, reason="no talks trigger matches 'will meet', so the planned meeting is never "
                   "kept with claim_status 'anticipated'")
def test_meeting_that_will_happen_is_kept_as_anticipated(extract):
    evs = extract("The two foreign ministers will meet in Vienna next week, diplomats said on Tuesday.")
    e = one(evs, "talks", facts_only=False)
    assert (e.claim_status, e.country) == ("anticipated", "AT")


@pytest.mark.xfail(strict=True, reason="'called off' more than 50 characters after the trigger is outside "
                   "the modality window: the cancelled meeting is stored as a reported talks event")
def test_meeting_called_off_is_cancelled(extract):
    evs = extract("The meeting in Budapest between the two foreign ministers was called off on Tuesday.")
    assert not of_type(evs, "talks"), "a cancelled meeting is not a fact"
    e = one(evs, "talks", facts_only=False)
    assert e.claim_status == "cancelled" and e.country == "HU"


def test_denied_strike_is_not_a_fact(extract):
    evs = extract("Russia denied that any strike took place in Sumy on Tuesday.")
    assert not of_type(evs, "strike")


def test_aggregate_monthly_total_is_not_an_event(extract):
    assert extract("In October, Russia launched more than 5,000 drones at Ukraine.") == []


# ---------------------------------------------------------------- where it happened
def test_oil_depot_fire_is_in_the_region_not_at_the_border(extract):
    e = one(extract("A Ukrainian drone attack set off a fire at an oil depot in the Bryansk region, about "
                    "100 km from the border, the governor said on Tuesday."), "strike")
    assert (e.country, e.admin1, e.precision) == ("RU", "RU.10", "admin1")
    assert e.date == TUE


def test_distance_reference_city_is_not_the_place(extract):
    e = one(extract("Ukrainian drones struck an oil depot in the Bryansk region, about 380 km southwest of "
                    "Moscow, on Tuesday."), "strike")
    assert (e.admin1, e.precision) == ("RU.10", "admin1")
    assert e.place != "Moscow"


def test_near_a_town_has_precision_near(extract):
    e = one(extract("A Russian drone hit a bus near Kherson on Tuesday, injuring four passengers."), "strike")
    assert (e.geonameid, e.precision, e.injured) == (KHERSON, "near", 4)


def test_place_named_only_in_the_next_sentence(extract):
    e = one(extract("A Russian glide bomb destroyed a school overnight. In Kramatorsk, rescuers searched "
                    "the rubble for survivors."), "strike")
    assert (e.place, e.country, e.precision) == ("Kramatorsk", "UA", "locality")


def test_no_place_is_country_level(extract):
    e = one(extract("A separate Russian attack left 300,000 people without power on Tuesday."), "outage")
    assert (e.country, e.precision, e.affected) == ("UA", "country", 300_000)
    assert e.lat is not None and e.lon is not None


# ---------------------------------------------------------------- dates
@pytest.mark.parametrize("when, expected", [
    ("on Tuesday", TUE), ("yesterday", TUE), ("overnight", PUB), ("on Monday", MON),
    ("on November 28", dt.date(2025, 11, 28)),
])
def test_relative_dates_resolve_against_published(extract, when, expected):
    e = one(extract(f"Russian drones hit Odesa {when}, injuring two people."), "strike")
    assert e.geonameid == ODESA
    assert (e.date, e.date_precision) == (expected, "day")


# ---------------------------------------------------------------- package API
def test_package_level_extract_is_callable_after_submodule_import():
    import geo
    import geo.extraction  # noqa: F401  (the pipeline imports it)

    evs = geo.extract("Russian drones hit Odesa overnight.", published="2025-12-03")
    assert [e.type for e in evs] == ["strike"]
