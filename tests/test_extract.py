"""Event extraction on sentences written for these tests (published Wednesday 2025-12-03): one test
per event type, claim statuses, negation and aggregates, the place rules and relative dates."""
from __future__ import annotations

import datetime as dt

import pytest

from geo.extraction import extract_text
from geo.models import FACTUAL_CLAIMS
from factories import hand_parse

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
    assert e.quantity == 300  # the prisoners of both sides, as a swap of "115 for 115" counts 230


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


def test_poised_to_capture_is_kept_as_anticipated(extract):
    evs = extract("Russian troops are poised to capture Huliaipole, Ukrainian officials warned on Tuesday.")
    e = one(evs, "capture", facts_only=False)
    assert (e.claim_status, e.geonameid) == ("anticipated", HULIAIPOLE)


def test_meeting_that_will_happen_is_not_a_fact(extract):
    evs = extract("The two foreign ministers will meet in Vienna next week, diplomats said on Tuesday.")
    assert not of_type(evs, "talks")


def test_meeting_that_will_happen_is_kept_as_anticipated(extract):
    evs = extract("The two foreign ministers will meet in Vienna next week, diplomats said on Tuesday.")
    e = one(evs, "talks", facts_only=False)
    assert (e.claim_status, e.country) == ("anticipated", "AT")


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


# ---------------------------------------------------------------- precision: what is not a new event
def facts(evs, etype: str):
    return [(e.place, e.country, e.precision, e.date) for e in of_type(evs, etype)]


def test_talks_referred_back_to_are_background_not_news(extract):
    evs = extract("The delegations met in Vienna on Tuesday to follow up on last week's talks in Oslo.")
    e = one(evs, "talks")
    assert (e.country, e.date) == ("AT", TUE)


def test_a_later_mention_of_a_background_venue_or_its_country_is_background_too(extract):
    evs = extract("Last month's negotiations in Oslo ended without a deal. During the first round of "
                  "negotiations in Norway, both sides set out their demands.")
    assert not of_type(evs, "talks")


def test_the_subject_of_talks_is_not_their_venue(extract):
    evs = extract("Russia claimed new gains as negotiations approached, saying its troops had captured the "
                  "village of Andriivka in the Donetsk region.")
    assert not of_type(evs, "talks")
    assert one(evs, "capture").country == "UA"


def test_talks_venue_is_the_first_locative_and_is_refined_to_the_town_named_later(extract):
    evs = extract("The two delegations met with mediators in Texas on Tuesday, after earlier rounds in "
                  "Geneva. Officials described the Austin talks as useful.")
    e = one(evs, "talks")
    assert (e.place, e.admin1, e.precision, e.date) == ("Austin", "US.TX", "locality", TUE)


def test_talks_actor_is_the_side_that_came_not_the_host_or_the_venue(extract):
    e = one(extract("American envoys attended a meeting with Russian officials at the Kremlin on Tuesday."),
            "talks")
    assert (e.country, e.actor, e.date) == ("RU", "United States", TUE)
    e = one(extract("Ukrainian negotiators met with Russian officials in Istanbul on Tuesday."), "talks")
    assert (e.geonameid, e.actor) == (ISTANBUL, "Ukraine")


def test_photo_caption_without_a_body_event_is_not_an_event(extract):
    text = ("Allies reassess aid as winter nears\n"
            "European ministers discussed new air-defence deliveries on Wednesday.\n"
            "Leaders pose for a photo after the summit in Astana, Kazakhstan, November 28\n"
            "The ministers agreed to meet again in January.")
    assert not of_type(extract(text), "talks")


def test_headline_event_joins_the_body_event_and_takes_its_date(extract):
    evs = extract("Drone strike on Kherson market kills two\n"
                  "A Russian drone hit a market in Kherson on Monday, killing two people.")
    e = one(evs, "strike")
    assert (e.geonameid, e.date, e.fatalities) == (KHERSON, MON, 2)
    assert len(e.evidence) == 2


def test_figurative_clash_and_entered_a_new_phase_are_not_events(extract):
    evs = extract("Allies Clash Over Peace Plan In Escalating Ukraine Conflict\n"
                  "The war in Ukraine has entered a new phase, marked by a rift between Kyiv and its allies. "
                  "Ministers clashed over the terms of the ceasefire in Brussels.")
    assert not of_type(evs, "clash") and not of_type(evs, "capture")
    evs = extract("Noting the challenges faced in the fight against insecurity in Maiduguri, the governor called "
                  "for more forest guards to support the army.")
    assert not of_type(evs, "clash")


def test_a_country_named_as_the_side_that_seized_is_not_a_captured_place(extract):
    evs = extract("The fate of the regions Russia partially seized and occupies remains the main obstacle.")
    assert not of_type(evs, "capture")


def test_modal_and_intention_verbs_do_not_report_facts(extract):
    evs = extract("Analysts said Russian troops could capture Huliaipole within weeks. Kyiv aims to strike "
                  "deep into Russia with new drones.")
    assert not of_type(evs, "capture") and not of_type(evs, "strike")


def test_strike_on_targets_of_a_named_country_is_not_moved_to_the_next_sentences_town(extract):
    evs = extract("Ukraine said it struck two Russian oil refineries overnight. Russian troops are poised "
                  "to capture the town of Huliaipole.")
    e = one(evs, "strike")
    assert (e.country, e.precision, e.quantity, e.actor) == ("RU", "country", 2, "Ukraine")
    assert of_type(evs, "capture", facts_only=False)[0].claim_status == "anticipated"


def test_an_organisation_named_after_a_place_is_not_a_second_place(extract):
    evs = extract("Russian drones struck port facilities in Izmail on Tuesday, injuring two workers, the "
                  "Odesa regional administration said.")
    e = one(evs, "strike")
    assert e.place != "Odesa" and e.country == "UA" and e.injured == 2


def test_coordinated_towns_after_a_capture_are_each_captured(extract):
    evs = extract("Russia said its forces had captured Siversk as well as Huliaipole on Tuesday.")
    assert {e.geonameid for e in of_type(evs, "capture")} == {SIVERSK, HULIAIPOLE}


def test_interception_over_the_city_is_the_town_named_before(extract):
    evs = extract("Drones struck a power station in Odesa on Tuesday. The army said its air defences "
                  "intercepted 9 of the 12 drones over the city.")
    e = one(evs, "interception")
    assert (e.geonameid, e.quantity) == (ODESA, 9)


def test_launch_count_inside_the_trigger_is_the_quantity(extract):
    e = one(extract("Overall, Russia fired 75 attack and decoy drones at Ukraine overnight."), "strike")
    assert (e.country, e.precision, e.quantity) == ("UA", "country", 75)


@pytest.mark.parametrize("text, kind, quantity", [
    ("Ukrainian air defences shot down two ballistic missiles, two cruise missiles and 15 attack drones "
     "overnight, the air force said.", "interception", 19),
    ("Russia launched 40 attack drones and two ballistic missiles at Odesa overnight.", "strike", 42),
])
def test_coordinated_weapon_counts_add_up_whatever_modifies_the_noun(extract, text, kind, quantity):
    assert one(extract(text), kind).quantity == quantity


def test_country_level_repeat_of_a_located_strike_is_folded_into_it(extract):
    evs = extract("A Russian missile struck a school in Zaporizhzhia on Tuesday, killing two people. Russia "
                  "also attacked Ukrainian energy infrastructure on Tuesday.")
    e = one(evs, "strike")
    assert e.precision != "country" and e.fatalities == 2


def test_placeless_strike_with_no_country_and_no_figures_is_dropped(extract):
    assert not of_type(extract("A rebel spokesman said the group had acted after its positions were "
                               "attacked."), "strike")


def test_bodies_received_by_a_hospital_are_no_exchange(extract):
    evs = extract("An air strike on a market in Kherson killed five people on Tuesday, according to the "
                  "city hospital, which received the bodies.")
    assert not of_type(evs, "exchange")
    e = one(extract("Ukraine received the bodies of 900 soldiers from Russia on Tuesday."), "exchange")
    assert (e.country, e.quantity, e.date) == ("UA", 900, TUE)


def test_exchange_brokered_by_a_third_country_is_not_there(extract):
    e = one(extract("Ukraine and Russia exchanged 120 prisoners of war on Tuesday in a swap brokered by the "
                    "United Arab Emirates."), "exchange")
    assert (e.country, e.quantity, e.date) == ("UA", 120, TUE)


def test_aggregate_and_date_in_a_relative_clause_are_background(extract):
    e = one(extract("In Kherson, where Russian attacks have intensified in recent days, a drone hit a "
                    "residential building on Tuesday."), "strike")
    assert (e.geonameid, e.date) == (KHERSON, TUE)


def test_outage_right_after_a_located_strike_is_there(extract):
    evs = extract("Russian shells hit the outskirts of Kherson on Tuesday. About 5,000 residents were left "
                  "without electricity.")
    e = one(evs, "outage")
    assert (e.geonameid, e.affected) == (KHERSON, 5000)


def test_clock_time_does_not_end_the_sentence(extract):
    e = one(extract("A Russian missile struck a university building shortly after 10 a.m. on Tuesday, "
                    "killing three people. The building stands in central Zaporizhzhia."), "strike")
    assert (e.country, e.date, e.fatalities) == ("UA", TUE, 3)


def test_daily_interception_tally_is_an_event(extract):
    e = one(extract("Russia's defence ministry said its forces destroyed 23 drones over the Kursk and Bryansk "
                    "regions in the past 24 hours."), "interception")
    assert (e.country, e.precision, e.quantity) == ("RU", "country", 23)


def test_protest_through_a_city_and_fighting_around_a_town(extract):
    e = one(extract("Thousands of people marched through Tbilisi on Tuesday against the new law."), "protest")
    assert e.geonameid == TBILISI
    e = one(extract("Ukrainian troops reported heavy fighting around Siversk on Tuesday."), "clash")
    assert (e.geonameid, e.date) == (SIVERSK, TUE)


@pytest.mark.xfail(strict=True, reason="the small English parser hangs 'damaged houses in Kherson' under 'from "
                   "across', so the town reads as where the fire came from")
def test_fire_from_across_a_river_is_not_located_at_the_river_town(extract):
    e = one(extract("Artillery fired from across the Dnipro damaged houses in Kherson on Tuesday."), "strike")
    assert e.geonameid == KHERSON


# ---------------------------------------------------------------- counts, actors and claims
def test_victims_counted_in_the_next_sentence_complete_the_strike(extract):
    e = one(extract("Russian drones struck a market in Kherson on Tuesday. At least 12 people were wounded."),
            "strike")
    assert (e.geonameid, e.injured) == (KHERSON, 12)


def test_no_one_hurt_is_a_zero_count_not_a_negation(extract):
    e = one(extract("A drone hit a warehouse near Odesa on Tuesday. No one was hurt."), "strike")
    assert (e.fatalities, e.injured) == (0, 0)
    e = one(extract("A Russian drone hit a house in Kherson overnight, no one was injured."), "strike")
    assert (e.geonameid, e.injured) == (KHERSON, 0)


def test_one_named_victim_is_one(extract):
    e = one(extract("Russian artillery shelled a village near Huliaipole on Tuesday, killing a 70-year-old "
                    "woman."), "strike")
    assert e.fatalities == 1


def test_clash_actor_is_the_attacking_side(extract):
    e = one(extract("Local officials said fighting between M23 and government troops killed 12 people near "
                    "Goma on Tuesday."), "clash")
    assert (e.actor, e.fatalities, e.country) == ("M23", 12, "CD")
    e = one(extract("Ukrainian troops reported heavy fighting around Siversk, where Russian units have tried "
                    "for weeks to advance."), "clash")
    assert e.actor == "Russia"


def test_interception_with_no_party_named_belongs_to_the_defender_of_the_reported_strike(extract):
    evs = extract("Drones launched by the Rapid Support Forces struck a power station in Omdurman on Tuesday. "
                  "The army said its air defences intercepted 8 of the 10 drones.")
    e = one(evs, "interception")
    assert (e.actor, e.quantity) == ("Sudanese Armed Forces", 8)


def test_a_denial_of_another_event_does_not_dispute_this_one(extract):
    evs = extract("Russia's defence ministry said its forces had destroyed four Ukrainian drones over the "
                  "Black Sea on Tuesday. In Izmail, local officials denied that any strike took place.")
    assert one(evs, "interception").claim_status == "claimed"


def test_no_comment_speaks_of_the_claim_right_before_it(extract):
    evs = extract("Local officials said troops clashed with saboteurs near Kupiansk on Tuesday. Separately, "
                  "Russia said its forces had captured Siversk. Ukraine did not comment.")
    assert one(evs, "clash").claim_status == "reported"
    assert one(evs, "capture").claim_status == "claimed"


def test_an_aggregate_cue_speaks_for_the_trigger_next_to_it(extract):
    e = one(extract("Several thousand people rallied in central Odesa on Tuesday, one of the largest "
                    "demonstrations in the city since the full-scale invasion."), "protest")
    assert (e.geonameid, e.date) == (ODESA, TUE)


# ---------------------------------------------------------------- other conflicts and styles
def test_earlier_this_month_dates_an_event_it_is_no_monthly_total(extract):
    e = one(extract("Earlier this month, army drones struck RSF positions in Nyala, witnesses said."), "strike")
    assert (e.country, e.date_precision) == ("SD", "month")


def test_leaving_customers_without_power_is_affected_not_dead(extract):
    evs = extract("A Russian attack on energy facilities in the Kharkiv region left about 200,000 customers "
                  "without power on Tuesday.")
    e = one(evs, "outage")
    assert (e.affected, e.fatalities) == (200_000, None)
    evs = extract("A Russian attack on energy facilities in the Kharkiv region on Tuesday damaged a substation, "
                  "leaving about 200,000 customers without power.")
    assert one(evs, "outage").affected == 200_000
    assert all(e.fatalities is None for e in evs)


def test_interceptions_count_what_was_downed_or_nothing(extract):
    e = one(extract("Ukraine's air force said Russia launched 145 drones overnight, of which 118 drones were "
                    "shot down or suppressed."), "interception")
    assert e.quantity == 118
    evs = extract("Hezbollah said it fired a barrage of rockets at a military base in northern Israel; the "
                  "Israeli military said most of the 20 rockets were intercepted.")
    e = one(evs, "interception")
    assert (e.quantity, e.actor, e.country) == (None, "Israel", "IL")
    s = one(evs, "strike")
    assert (s.actor, s.country) == ("Hezbollah", "IL")


def test_no_casualties_after_a_semicolon_is_a_zero_count(extract):
    e = one(extract("In Chuhuiv, a missile struck an industrial facility on Tuesday; there were no casualties."),
            "strike")
    assert (e.fatalities, e.injured) == (0, 0)


def test_met_someone_in_a_city_is_talks_and_the_host_is_not_the_actor(extract):
    evs = extract("The US envoy travelled to the region this week. He met Israeli officials in Jerusalem on "
                  "Monday.")
    e = one(evs, "talks")
    assert (e.country, e.date, e.actor) == ("IL", MON, "United States")


def test_commentary_future_and_trends_are_not_events(extract):
    evs = extract("Whoever controls the town of Pokrovsk will shape the talks in Istanbul. Russia has "
                  "intensified strikes on Ukraine's energy system ahead of winter. Kyiv has tried for months "
                  "to hold the town, striking Russian supply hubs behind the lines.")
    assert not [e for e in evs if e.is_fact]


def test_next_sentence_town_must_be_a_location_not_a_government(extract):
    evs = extract("A Russian glide bomb destroyed a school overnight. The attack showed Moscow's disregard "
                  "for civilians, the mayor said.")
    assert all(e.place != "Moscow" for e in evs)


def test_a_running_war_total_does_not_count_for_the_last_strike(extract):
    e = one(extract("Drones struck a fuel depot in Nyala on Tuesday. The war has killed tens of thousands of "
                    "people."), "strike")
    assert e.fatalities is None


@pytest.mark.parametrize("total", [
    "More than 9,000 people have died in raids by armed groups in the region since 2019.",
    "Since 2012, the insurgency has killed some 40,000 people.",
    "At least 3,500 civilians have been killed since the fighting broke out.",
])
def test_a_total_since_a_year_does_not_count_for_the_last_raid(extract, total):
    e = one(extract("Gunmen stormed a police post near Gao on Sunday. " + total), "clash")
    assert e.fatalities is None


def test_a_deadliest_since_comparison_is_still_the_incidents_toll(extract):
    e = one(extract("Gunmen stormed a police post near Gao on Sunday. It was the deadliest raid since 2019, "
                    "with 17 officers killed."), "clash")
    assert e.fatalities == 17


def test_a_town_opening_the_paragraph_frames_its_placeless_events(extract):
    text = ("In Kharkiv, a missile struck an office building on Tuesday. Two people, including a child, were "
            "killed when a drone hit a residential building in another district.\n\n"
            "In Odesa, explosions were reported.")
    strikes = of_type(extract(text), "strike")
    assert [(e.place, e.fatalities) for e in strikes] == [("Kharkiv", 2)]


def test_interception_tally_stays_national_and_strikes_reported_in_a_list_of_towns(extract):
    evs = extract("Air defences shot down 747 drones overnight. In Kyiv, a missile struck a government "
                  "building. Strikes were also reported in Odesa and Dnipro.")
    e = one(evs, "interception")
    assert (e.precision, e.country, e.quantity) == ("country", "UA", 747)
    assert {e.place for e in of_type(evs, "strike")} == {"Kyiv", "Odesa", "Dnipro"}
    assert all(e.actor == "Russia" for e in of_type(evs, "strike"))


def test_repelled_numbered_attacks_and_drones_destroyed(extract):
    evs = extract("Ukraine's military said its troops had repelled 28 Russian attacks near Huliaipole on "
                  "Tuesday. Ukrainian drones attacked an oil depot in Russia's Bryansk region on Tuesday. "
                  "The governor said three drones were destroyed.")
    assert one(evs, "clash").geonameid == HULIAIPOLE
    e = one(evs, "interception")
    assert (e.country, e.quantity) == ("RU", 3)


def test_superlatives_counts_of_many_and_reasons_are_not_events(extract):
    evs = extract("Thousands rallied in central Tbilisi on Tuesday in one of the largest protests in the "
                  "country's history, demanding justice for the victims of a collapse in Batumi. US forces "
                  "have carried out dozens of strikes on Houthi targets this year. Israel said it struck a "
                  "power plant on Tuesday in response to missile launches at Israel.")
    assert [e.geonameid for e in of_type(evs, "protest")] == [TBILISI]
    assert not [e for e in of_type(evs, "strike") if e.country in ("IL", "US")]


def test_signing_a_deal_in_a_city_is_talks(extract):
    e = one(extract("The government and the rebels signed a declaration of principles in Doha on Saturday, "
                    "after months of mediated negotiations."), "talks")
    assert (e.country, e.date) == ("QA", dt.date(2025, 11, 29))


def test_talks_in_a_temporal_frame_of_an_earlier_round_are_background(extract):
    evs = extract("During the first round of talks in Oslo, both sides set out their demands.")
    assert not of_type(evs, "talks")


def test_one_incident_told_on_two_days_keeps_the_earlier(extract):
    evs = extract("Russian troops captured Siversk on Monday, the defence ministry said. On Tuesday, the "
                  "ministry repeated that its forces had captured Siversk.")
    e = one(evs, "capture")
    assert (e.geonameid, e.date) == (SIVERSK, MON)


def test_strikes_across_a_territory_and_a_frame_that_keeps_a_namesake_abroad_out(extract):
    evs = extract("In Kherson, an air strike on a house in the Zeitoun neighbourhood killed four people on "
                  "Tuesday.")
    e = one(evs, "strike")
    assert (e.geonameid, e.fatalities) == (KHERSON, 4)


def test_agent_after_by_is_the_actor_and_a_lone_party_country_gives_the_other_side(extract):
    e = one(extract("An air strike by Myanmar's military on a school in the Sagaing region killed 20 people on "
                    "Monday."), "strike")
    assert (e.actor, e.country, e.fatalities) == ("Myanmar military", "MM", 20)
    e = one(extract("An air strike on a house in Khan Younis killed six people on Monday."), "strike")
    assert (e.country, e.actor) == ("PS", "Israel")


def test_protesters_clashing_with_police_is_a_protest_not_fighting(extract):
    evs = extract("Protesters clash with police in Tbilisi\nThousands of protesters rallied in Tbilisi on "
                  "Saturday against the government.")
    assert not of_type(evs, "clash")
    assert one(evs, "protest").geonameid == TBILISI


def test_recaptured_villages_and_an_unknown_village_is_kept_by_name_in_its_region(extract):
    e = one(extract("Ukrainian forces retook the village of Siversk on Tuesday, the army said."), "capture")
    assert (e.geonameid, e.actor) == (SIVERSK, "Ukraine")
    e = one(extract("Ukrainian forces retook the village of Zzyxovka in Donetsk Oblast on Tuesday."), "capture")
    assert (e.location, e.admin1, e.precision, e.geo_precision) == ("Zzyxovka", "UA.05", "admin1", 2)


def test_one_victim_in_a_following_sentence(extract):
    e = one(extract("A Russian drone attack on Chernihiv overnight damaged a power line. A 55-year-old man "
                    "was injured."), "strike")
    assert e.injured == 1


def test_a_meeting_dated_relative_to_another_is_background(extract):
    evs = extract("The envoy arrived in Berlin on Tuesday for talks with European leaders, a week after his "
                  "meeting with the Russian president in Moscow.")
    assert [(e.place, e.date) for e in of_type(evs, "talks")] == [("Berlin", TUE)]


def test_two_meetings_on_consecutive_days_keep_the_first_reported_day(extract):
    evs = extract("The envoy arrived in Berlin on Tuesday for talks with European leaders. The chancellor met "
                  "the Ukrainian president in Berlin on Monday evening.")
    assert [e.date for e in of_type(evs, "talks")] == [TUE]


# ---------------------------------------------------------------- words that are no conflict event here
@pytest.mark.parametrize("text", [
    "A pedestrian was struck by a car near Kherson on Tuesday.",
    "The driver lost control and struck several trees outside Odesa on Tuesday.",
    "Police seized a drug lab near Kherson on Tuesday.",
    "The plant near Odesa is designed to capture carbon dioxide from its chimneys.",
    "The county fell to 18th place in population growth, officials in Odesa said.",
    "Firefighters in Odesa agreed to a pay freeze on Tuesday.",
    "The two teams clashed in Tbilisi on Tuesday in the cup final.",
    "The town council meeting in Odesa on Tuesday discussed the census.",
    "Officials in Tbilisi decided to host an annual biker rally.",
    "Her portraits are most striking in their colours, a curator in Odesa said.",
    "A telephone campaign targeted the committee chairwoman in Kherson on Tuesday.",
])
def test_everyday_uses_of_trigger_words_are_no_events(extract, text):
    assert not [e for e in extract(text) if e.is_fact], text


def test_a_place_several_words_after_south_of_is_a_distance_reference(extract):
    e = one(extract("A suicide bombing hit a market in the Kherson region on Tuesday, some 160 km south of the "
                    "Ukrainian capital Kyiv."), "strike")
    assert e.place != "Kyiv" and e.admin1 == "UA.08"


@pytest.mark.parametrize("text", [
    "The city, in talks with the Kherson regional council, wants a new prison.",
    "The speech changed the tone on Russia's responsibility for the clashes.",
    "Clashes are frequent in Dagestan, officials said on Tuesday.",
    "A tiny earthquake struck near Odesa overnight, according to the US Geological Survey.",
    "Tens of thousands of customers in Kharkiv were without power on Tuesday after a blizzard.",
    "The gunman began shooting down the hallway of a school in Odesa.",
    "Officials welcomed the failure of the prisoner exchange negotiations in Doha.",
    "A new housing block in Odesa for veterans is fully occupied.",
    "Women attend a protest held by the movement calling for the release of prisoners jailed in Israel.",
    "Striking workers in Odesa demanded higher pay on Tuesday.",
])
def test_more_non_events_in_conflict_like_prose(extract, text):
    assert not [e for e in extract(text) if e.is_fact], text


def test_a_verb_of_its_own_takes_the_place_but_the_triggers_predicate_does_not(extract):
    e = one(extract("Fighting between M23 and government troops killed 12 people near Goma on Tuesday."), "clash")
    assert e.country == "CD"


def test_occupied_as_an_adjective_is_no_capture_and_talks_carry_no_casualties(extract):
    evs = extract("Ukraine's General Staff said its forces hit an airfield in occupied Crimea overnight, "
                  "destroying two aircraft.")
    assert not of_type(evs, "capture")
    evs = extract("At Monday's talks in Istanbul, the delegations agreed to return the bodies of 6,000 soldiers "
                  "killed in action, a day after the second round of direct talks was announced.")
    e = one(evs, "talks")
    assert (e.geonameid, e.date, e.fatalities) == (ISTANBUL, MON, None)


def test_expected_to_meet_without_an_auxiliary_is_anticipated(extract):
    evs = extract("A US delegation was in Kyiv and expected to meet with the president on Thursday.")
    assert not of_type(evs, "talks")


def test_analysis_of_a_war_reports_no_incidents(extract):
    evs = extract("The group has repeatedly shelled camps around the city, and its drones have struck targets as "
                  "far away as Port Sudan. Diplomats say talks in Jeddah, which collapsed last year, are "
                  "unlikely to resume soon.")
    assert not [e for e in evs if e.is_fact]


def test_present_perfect_with_a_date_is_still_news(extract):
    e = one(extract("Russian drones have struck an apartment block in Odesa overnight, injuring five people."),
            "strike")
    assert (e.geonameid, e.injured) == (ODESA, 5)


# ---- held-out wordings: verbs the parser hangs on a noun, dropped munitions, possessive containers, datelines
_parse = hand_parse


def test_a_verbs_subject_is_read_through_the_parsers_detours():
    """"In X, a drone slammed into ...": the small model makes "slammed" a clause of "drone" (acl); a
    relative pronoun stands for its noun; a participle ("..., killing two") takes its verb's subject."""
    from geo.events.triggers import _subject_has
    acl = _parse([("In", "ADP", "ROOT", 0), ("Sumy", "PROPN", "pobj", 0), ("a", "DET", "det", 3),
                  ("drone", "NOUN", "appos", 1), ("slammed", "VERB", "acl", 3), ("into", "ADP", "prep", 4),
                  ("it", "PRON", "pobj", 5), ("killing", "VERB", "advcl", 4), ("two", "NUM", "dobj", 7)])
    assert _subject_has(acl, 4, "munitions_subject") and _subject_has(acl, 7, "munitions_subject")
    relative = _parse([("a", "DET", "det", 1), ("shell", "NOUN", "ROOT", 1), ("that", "PRON", "nsubj", 3),
                       ("landed", "VERB", "relcl", 1)])
    assert _subject_has(relative, 3, "munitions_subject")
    plain = _parse([("a", "DET", "det", 1), ("crowd", "NOUN", "nsubj", 2), ("fell", "VERB", "ROOT", 2)])
    assert not _subject_has(plain, 2, "munitions_subject")


@pytest.mark.parametrize("text", [
    "Explosives dropped by a quadcopter hit an army post in Tibu, Colombia, on Monday, wounding two soldiers.",
    "A roadside explosive detonated beneath a truck near Tibu, Colombia, on Monday, wounding two soldiers.",
])
def test_dropped_and_exploding_explosives_are_strikes(extract, text):
    e = one(extract(text), "strike")
    assert (e.place, e.injured, e.date) == ("Tibu", 2, dt.date(2025, 12, 1))


def test_an_unknown_village_in_a_possessive_chain_of_units_lies_in_the_smallest(extract):
    (e,) = of_type(extract("Jets bombed Qqawgyi village in Sagaing Region's Shwebo Township on Sunday."),
                   "strike")
    assert (e.location, e.place, e.geo_precision) == ("Qqawgyi", "Shwebo", 2)
    (c,) = of_type(extract("Insurgents took control of Qqorey in Somalia's Hiiraan region on Monday."),
                   "capture")
    assert (c.location, c.precision) == ("Qqorey", "admin1") and "Hiiraan" in c.place.replace("Hiiran", "Hiiraan")


def test_the_datelines_day_is_the_reports_not_the_events(extract):
    (e,) = of_type(extract("ADEN, Dec 3 (Reuters) - Warplanes struck the port of Mukalla on Monday, residents said."),
                   "strike")
    assert e.date == dt.date(2025, 12, 1)


def test_a_war_toll_in_the_incidents_own_sentence_is_not_its_count(extract):
    evs = extract("On Sunday, crowds marched through Mazatlan to demand peace, months into a war "
                  "between two factions that has killed more than 900 people in the state.")
    assert [(e.type, e.fatalities) for e in evs] == [("protest", None)]  # no strike from the war's toll
    e = one(extract("Drones struck a van near Tyre on Tuesday, and 300 people have been killed across the south since "
                    "the truce."), "strike")
    assert e.fatalities is None


def test_victims_since_a_truce_are_a_total_not_the_last_strikes(extract):
    evs = extract("A drone strike on a motorcycle near Tyre killed one man on Tuesday. Officials say more than 300 "
                  "people have been killed across Lebanon since the truce, while the group has claimed only two attacks "
                  "in that period.")
    assert [(e.place, e.fatalities) for e in evs if e.type == "strike"] == [("Tyre", 1)]


def test_an_attack_counted_over_a_period_is_no_incident(extract):
    assert not extract("Since the truce, Israeli forces have struck Lebanon hundreds of times, and Hezbollah "
                       "claimed one attack on Metula in that period.")


def test_a_launch_at_a_country_is_its_own_event_beside_the_towns_it_hit(extract):
    evs = of_type(extract("Overnight Russia launched 60 drones and three missiles at Ukraine, damaging homes in "
                          "Chernihiv and a power plant in the Kirovohrad region."), "strike")
    assert sorted((e.place, e.quantity) for e in evs) == [("Chernihiv", None), ("Kirovohrad Oblast", None),
                                                          ("Ukraine", 63)]
    evs = of_type(extract("Drones hit a depot in Chernihiv overnight, the governor said. The air force said "
                          "Russia launched 55 drones at the country."), "strike")
    assert sorted((e.place, e.quantity) for e in evs) == [("Chernihiv", None), ("Ukraine", 55)]


def test_a_party_adjective_on_the_weapons_is_the_attacker_not_the_target(extract):
    evs = extract("Parts of Chernihiv were left without power after Russian drones struck two substations.")
    assert {(e.type, e.place) for e in evs} == {("outage", "Chernihiv"), ("strike", "Chernihiv")}
    (e,) = of_type(extract("Ukrainian drones hit two Russian oil refineries overnight."), "strike")
    assert e.country == "RU"


def test_the_attack_told_before_leaves_the_count_to_the_launch_beside_it(extract):
    evs = of_type(extract("Drones hit a depot in Chernihiv overnight. Details of the night's attack: the air force "
                          "says Russia launched 70 drones at the country; 50 were shot down."), "strike")
    assert sorted((e.place, e.quantity) for e in evs) == [("Chernihiv", None), ("Ukraine", 70)]


@pytest.mark.parametrize("group", ["Islamic State-Somalia", "Islamic State in the Sahel", "IS-Somalia"])
def test_a_place_inside_an_armed_groups_name_is_not_the_site(extract, group):
    evs = extract(f"Warplanes struck {group} fighters about 30 km south of Bosaso on Saturday.")
    assert [e.location for e in evs if e.type == "strike"] == ["30 km south of Bosaso"]


@pytest.mark.parametrize("text, subtype", [
    ("Kassala was plunged into darkness on Monday when shelling hit its grid.", "power outage"),
    ("Authorities suspended mobile internet in Turbat on Monday, citing security.", "communications outage"),
    ("The water supply of Kassala had been cut since Monday after a pumping station was shelled.", "power outage"),
])
def test_outages_told_in_other_words(extract, text, subtype):
    (e,) = of_type(extract(text), "outage")
    assert (e.subtype, e.date) == (subtype, dt.date(2025, 12, 1)) and e.place in ("Kassala", "Turbat")
    if subtype == "communications outage":
        assert e.actor is None  # a shutdown is the state's own act, not an attacker's


def test_residents_of_a_town_who_speak_tell_where_it_happened(extract):
    (e,) = of_type(extract("Residents of Gonaives said the town's water supply has been cut since Monday."),
                   "outage")
    assert e.place == "Gonaives"
    (f,) = of_type(extract("Residents in Sanaa said whole districts of the city lost power overnight after air "
                           "strikes."), "outage")
    assert f.place == "Sanaa"  # the seat of a group, named as a place


def test_a_tally_over_many_regions_still_gives_each_named_regions_part(extract):
    evs = of_type(extract("The ministry said air defences destroyed 90 drones overnight over nine regions, including "
                          "30 over the Oryol region and 12 over the Lipetsk region."), "interception")
    assert sorted((e.place, e.quantity) for e in evs) == [("Lipetsk Oblast", 12), ("Oryol Oblast", 30),
                                                          ("Russia", 90)]


def test_an_old_day_told_earlier_in_the_paragraph_carries_on(extract):
    text = ("In March 2023, rebel forces crossed into the province. Within days they had taken the town of "
            "Walikale.\n\nDrones struck Goma overnight, killing two people.")
    evs = extract(text)
    assert [(e.type, e.place) for e in evs] == [("strike", "Goma")]  # no capture dated today


def test_a_part_in_words_of_the_launched_weapons_is_what_was_downed(extract):
    (e,) = of_type(extract("Air defences downed nine of eleven drones over Kassala on Monday."), "interception")
    assert e.quantity == 9
    (f,) = of_type(extract("Soldiers said they brought down four of seven drones launched at a depot near "
                           "Kassala on Monday."), "interception")
    assert f.quantity == 4  # the seven were launched


def test_weapons_downed_where_they_were_launched_at_near_a_town(extract):
    (e,) = of_type(extract("Air defences downed five drones launched at a power station north of Kassala on "
                           "Monday."), "interception")
    assert (e.place, e.precision) == ("Kassala", "near")
    evs = extract("Rebels stormed the town, located about 120 kilometers north of Kassala, on Monday.")
    assert all(e.place != "Kassala" for e in evs)  # an unread distance is no vicinity


def test_an_invariant_past_verb_after_when_is_no_habit(extract):
    (e,) = of_type(extract("Two civilians were wounded when shells hit a market near Kharkiv."), "strike")
    assert e.injured == 2
    assert not extract("Shells hit the market in Kharkiv every day.")  # a habit stays one


def test_an_unknown_town_taken_by_a_one_country_group_lies_in_that_country(extract):
    (e,) = of_type(extract("M23 rebels seized the town of Qqirumba on Monday."), "capture")
    assert (e.location, e.country, e.geo_precision) == ("Qqirumba", "CD", 3)
    (f,) = of_type(extract("Arakan Army fighters overran an outpost in Qqaletwa township on Friday."), "capture")
    assert (f.location, f.country) == ("Qqaletwa", "MM")


def test_congo_in_wire_style_is_the_democratic_republic(extract):
    (e,) = of_type(extract("Rebels seized the town of Qqirumba in eastern Congo on Monday."), "capture")
    assert e.country == "CD"


def test_prisoners_swapped_each_count_both_sides(extract):
    (e,) = of_type(extract("Ukraine and Russia exchanged 150 prisoners each on Wednesday."), "exchange")
    assert e.quantity == 300
    (f,) = of_type(extract("Ukraine and Russia exchanged 150 prisoners on Wednesday."), "exchange")
    assert f.quantity == 150


def test_an_unknown_place_owned_by_a_district_lies_in_it(extract):
    (e,) = of_type(extract("Militants attacked a checkpost in North Waziristan's Qqali tehsil on Tuesday, killing "
                           "seven soldiers."), "clash")
    assert (e.place, e.fatalities) == ("North Waziristan District", 7)
    assert e.actor != "India"  # fighting at home: not the outside enemy a strike would be put on


def test_places_included_in_a_list_are_sites_and_the_damage_participle_no_summary(extract):
    evs = of_type(extract("Troops shelled villages along the Oskil River, including Kivsharivka and Kurylivka, "
                          "damaging houses and a power line."), "strike")
    assert sorted(e.place for e in evs) == ["Kivsharivka", "Kurylivka"]


def test_a_year_in_a_relative_clause_dates_that_clause_not_the_capture(extract):
    from geo.events.modality import _in_other_clause
    from geo.events.roles import _SHORE
    from geo.events.triggers import Trigger
    # "took X, the town that Y recaptured in 2022": the year is the relative clause's
    p = _parse([("took", "VERB", "ROOT", 0), ("X", "PROPN", "dobj", 0), ("town", "NOUN", "appos", 1),
                ("that", "PRON", "dobj", 5), ("Y", "PROPN", "nsubj", 5), ("recaptured", "VERB", "relcl", 2),
                ("in", "ADP", "prep", 5), ("2022", "NUM", "pobj", 6)])
    took = Trigger("capture", "capture", (0,), 0, 0, 4, None)
    retook = Trigger("capture", "capture", (5,), 5, 19, 29, None)
    year_at = p.toks[7].start
    assert _in_other_clause(p, took, year_at) and not _in_other_clause(p, retook, year_at)
    assert _SHORE.fullmatch(", the town on the ")  # "X, the town on the Y river": Y says where X is


def test_supply_reduced_for_people_in_towns_is_an_outage_in_each(extract):
    evs = of_type(extract("On Monday, shelling damaged a pumping station, reducing water supply for some 90,000 "
                          "residents in Kassala and Wad Madani."), "outage")
    assert {"Kassala", "Wad Madani"} <= {e.place for e in evs}


def test_a_later_date_of_the_killing_protested_is_not_the_protests(extract):
    (e,) = of_type(extract("On Sunday, hundreds of farmers blocked the main road near Pasto, the capital of "
                           "Narino, to protest against the murder of a local mayor last week."), "protest")
    assert e.date == dt.date(2025, 11, 30)


def test_raids_by_aircraft_are_strikes_and_by_troops_ground_fighting(extract):
    (e,) = extract("Jets carried out raids on arms depots near Tyre on Tuesday, the army said.")
    assert (e.type, e.place) == ("strike", "Tyre")
    (f,) = extract("Special forces raided a militant hideout near Kandahar on Tuesday.")
    assert f.type == "clash"
