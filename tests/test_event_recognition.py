"""Whether, when, who and how many (issue "Event recognition on any outlet's wording"): triggers by
lemma, modality, claims, counts, actors and dates, on sentences written for these tests
(published Wednesday 2025-12-03)."""
from __future__ import annotations

import datetime as dt

import pytest

from geo.extraction import extract_text
from geo.models import FACTUAL_CLAIMS

PUB = dt.date(2025, 12, 3)
TUE, MON = dt.date(2025, 12, 2), dt.date(2025, 12, 1)


@pytest.fixture
def facts(gaz):
    def run(text: str):
        return [e for e in extract_text(text, published=PUB, article_id="t") if e.claim_status in FACTUAL_CLAIMS]
    return run


@pytest.fixture
def events(gaz):
    return lambda text: extract_text(text, published=PUB, article_id="t")


def types(evs) -> set[str]:
    return {e.type for e in evs}


# ---------------------------------------------------------------- triggers by lemma, any wording
@pytest.mark.parametrize("text, etype", [
    ("Two people were killed during a strike on a market in Kherson on Tuesday.", "strike"),
    ("An attack by Shaheds set a warehouse on fire in Lviv on Tuesday.", "strike"),
    ("The village of Komyshany came under fire on Tuesday, the governor said.", "strike"),
    ("Russian forces took control of Chasiv Yar on Monday, the defence ministry claimed.", "capture"),
    ("Ukrainian troops repelled 14 assaults near Pokrovsk on Tuesday.", "clash"),
    ("Fierce battles raged on the outskirts of Kupiansk on Tuesday, the army said.", "clash"),
    ("Ukraine and Russia swapped 150 prisoners of war on Tuesday.", "exchange"),
    ("Thousands took to the streets of Tbilisi on Tuesday against the new law.", "protest"),
    ("Partial blackouts hit Kharkiv on Tuesday after the attack, the energy ministry said.", "outage"),
    ("Air defences brought down 30 drones over the Kyiv region overnight.", "interception"),
])
def test_a_trigger_in_other_words_is_found(facts, text, etype):
    assert etype in types(facts(text)), text


def test_who_holds_a_town_is_no_capture(facts):
    assert not facts("Aid reached the Russian-occupied town of Nova Kakhovka on Tuesday.")
    assert not facts("Shops reopened in rebel-held areas of Goma on Tuesday.")
    evs = facts("The ministry said its troops captured Stepnohirsk, near the Russian-occupied town of Vasylivka, "
                "on Tuesday.")
    assert [(e.type, e.place) for e in evs] == [("capture", "Stepnohirsk")]


def test_a_projectile_is_an_armed_word(facts):
    evs = facts("A projectile from Lebanon struck a house in Kiryat Shmona on Saturday.")
    assert [(e.type, e.place) for e in evs] == [("strike", "Kiryat Shmona")]


def test_a_modifier_is_no_trigger_and_figurative_uses_are_none(facts):
    assert not facts("Kyiv received new attack helicopters and strike drones from its allies on Tuesday.")
    assert not facts("Doctors in Dnipro are fighting for the lives of the wounded, the hospital said.")
    assert not facts("The two ministers struck a deal in Vienna on Tuesday.")
    assert not facts("Air defence units hit a drone over Nikopol on Tuesday, the governor said.")  # downed, not a strike


def test_a_weapon_after_the_object_does_not_make_a_hit_figurative(facts):
    """"hit X with two missiles": the object is X, and the missiles are the strike's quantity, also in
    a sentence that only says more of an incident told before."""
    evs = facts("Russian forces shelled Nikopol on Tuesday. They hit the town's hospital with two Grad "
                "rockets, the mayor said.")
    assert [(e.type, e.place, e.quantity) for e in evs] == [("strike", "Nikopol", 2)]


# ---------------------------------------------------------------- background, plans, denials
def test_a_series_of_attacks_over_a_period_is_no_incident(facts):
    assert not facts("Peacekeepers in Lebanon raised their alert after repeated attacks on their posts since March.")
    assert not facts("Militia attacks on UN posts in Lebanon since March have wounded 45 soldiers.")
    assert facts("Two missiles hit Kherson on Tuesday, killing five, the deadliest attack since May.")


def test_a_target_is_a_whole_word_and_not_part_of_a_name(facts):
    assert {e.target for e in facts("Drones hit the airport of Port Harcourt on Tuesday.")} == {"airport"}
    assert {e.target for e in facts("Port Harcourt was struck by drones on Tuesday.")} == {None}
    assert {e.target for e in facts("Ports in Odesa were hit by Russian drones on Tuesday.")} == {"ports"}


def test_background_references_are_not_new_events(facts):
    assert not facts("Since the October 2023 attack, the town of Sderot has been rebuilt.")
    assert not facts("A Ukrainian counteroffensive stalled in 2023, leaving the front frozen.")
    assert not facts("Russia's ongoing assault on Ukraine has killed tens of thousands of civilians.")


def test_a_clause_that_since_opens_is_the_setting_unless_it_names_a_day(facts):
    assert not facts("Thousands of families have left Tsafe since gunmen first raided the town.")
    assert not facts("Aid deliveries to Kutum have stopped since the fighting broke out.")
    (e,) = facts("Since artillery shelled the market in Tsafe on Monday, traders have stayed away.")
    assert (e.type, e.location, e.date) == ("strike", "Tsafe", PUB - dt.timedelta(days=PUB.weekday()))


def test_threats_plans_and_requirements_are_not_facts(facts, events):
    assert not facts("Russia threatened to strike government buildings in Kyiv.")
    assert not facts("The plan requires Ukraine to withdraw from parts of the Donetsk region.")
    assert not facts("The drones are designed to strike targets deep inside Russia.")  # what they are built for
    assert not facts("The rebels said they would launch an attack on Kadugli soon, urging residents to leave.")
    assert not [e for e in facts("Envoys discussed proposals for a prisoner swap with Norwegian mediators in Oslo on "
                                  "Tuesday.") if e.type == "exchange"]  # an idea of a swap is no swap
    planned = [e for e in events("The delegations will meet in Geneva on Friday.") if e.type == "talks"]
    assert planned and planned[0].claim_status == "anticipated"


def test_a_denied_claim_is_disputed_and_a_flat_denial_is_no_event(facts, events):
    (e,) = [e for e in facts("Kyiv dismissed Moscow's claim that the village of Ivanivske had been captured.")
            if e.type == "capture"]
    assert e.claim_status == "disputed"
    assert not facts("The army denied that it had shelled the village of Huliaipole.")


def test_a_state_and_a_trend_are_not_incidents(facts):
    assert not facts("Russia occupies nearly a fifth of Ukraine's territory.")
    assert not facts("Fighting in the area was still ongoing, the mayor of Pokrovsk said.")
    assert not facts("Russian forces have intensified attacks on the Zaporizhzhia region.")


# ---------------------------------------------------------------- interception and launch
def test_interception_launch_and_rest_are_kept_apart(facts):
    evs = facts("Russia launched 43 drones at Ukraine overnight, and air defences shot down 36 of them.")
    launch = [e for e in evs if e.type == "strike"]
    downed = [e for e in evs if e.type == "interception"]
    assert launch and launch[0].quantity == 43 and launch[0].country == "UA"
    assert downed and downed[0].quantity == 36 and downed[0].actor == "Ukraine"


def test_coordinated_munitions_add_up(facts):
    (e,) = [e for e in facts("Ukraine's air force said it shot down two ballistic missiles, three cruise missiles "
                             "and 20 drones overnight.") if e.type == "interception"]
    assert e.quantity == 25


def test_one_weapon_downed_is_a_quantity_of_one_and_its_launch_no_strike_of_its_own(facts):
    evs = facts("On Saturday, the army said it downed a drone launched from Lebanon near Kiryat Shmona.")
    assert [(e.type, e.quantity) for e in evs] == [("interception", 1)]
    evs = facts("Air defences shot down the missile over Kiryat Shmona on Saturday, the army said.")
    assert [(e.type, e.quantity) for e in evs] == [("interception", 1)]
    evs = facts("Air defences shot down the missiles over Kiryat Shmona on Saturday, the army said.")
    assert [(e.type, e.quantity) for e in evs] == [("interception", None)]


# ---------------------------------------------------------------- counts
def test_victims_in_lists_and_passives_are_counted(facts):
    (e,) = [e for e in facts("In Nikopol, a drone hit a bus, killing a 60-year-old man and a 58-year-old woman, "
                             "while a teenager was injured.") if e.type == "strike"]
    assert (e.fatalities, e.injured) == (2, 1)


@pytest.mark.parametrize("text", [
    "Missiles killed ten people in Dnipro on Monday, the governor said.",
    "A Russian glide bomb wounded four residents of Kramatorsk on Monday.",
])
def test_a_weapon_that_kills_is_a_strike_even_as_the_sentences_first_word(facts, text):
    (e,) = facts(text)
    assert (e.type, e.date) == ("strike", MON) and (e.fatalities or e.injured)


def test_the_buried_are_the_dead_of_the_attack_told_before(facts):
    (e,) = facts("Gunmen attacked the village of Kaya on Sunday. Residents said 14 people were buried the next day.")
    assert e.fatalities == 14


def test_no_casualties_at_named_towns_is_a_strike_there_with_none_hurt(facts):
    evs = facts("Artillery shelled several towns overnight. There were no casualties in Kramatorsk or "
                "Sloviansk, the governor said.")
    assert sorted((e.type, e.place, e.fatalities, e.injured) for e in evs) == [
        ("strike", "Kramatorsk", 0, 0), ("strike", "Sloviansk", 0, 0)]


def test_casualties_outside_an_armed_context_are_no_event(facts):
    assert facts("Road accidents cause many casualties in Lahore each year, the report said.") == []


def test_the_latest_toll_wins_within_an_article(facts):
    (e,) = [e for e in facts("A missile struck a shopping centre in Kharkiv on Tuesday, killing at least 20 people. "
                             "The death toll rose to 23 on Wednesday, officials said.") if e.type == "strike"]
    assert e.fatalities == 23


@pytest.mark.parametrize("text, counts", [
    # the subject of a dying verb, however far the verb ("13 people, including ..., lost their lives")
    ("A Russian missile hit a market in Kherson on Monday, where 13 people, including two girls, seven women "
     "and four men, lost their lives.", (13, None)),
    # a toll of the injured, in another clause of the sentence
    ("A missile hit an apartment block in Sumy on Monday. A woman died in the attack, and the number of injured "
     "people has increased to 23, the governor said.", (1, 23)),
    # a passive perfect in a following sentence is this incident's count, not a running total
    ("A missile hit a military school in Poltava on Monday, killing 50 people.\n\nThe governor said 180 people "
     "have been injured.", (50, 180)),
    # "no immediate reports of casualties", "no human casualties have been reported": zero
    ("A drone struck a fuel depot in Kherson on Monday.\n\nThere were no immediate reports of casualties.", (0, 0)),
    ("A drone struck an air base near Erbil on Monday, but no human casualties have been reported.", (0, 0)),
])
def test_victim_counts_whatever_the_wording(facts, text, counts):
    (e,) = [e for e in facts(text) if e.type == "strike"]
    assert (e.fatalities, e.injured) == counts


def test_no_casualties_told_before_the_damage_is_a_zero_toll_of_that_strike(facts):
    evs = facts("Missiles struck Multan on Wednesday, killing three. Nobody was hurt in the town of Okara, "
                "though a pharmacy there was damaged.")
    assert {(e.place, e.fatalities) for e in evs} == {("Multan", 3), ("Okara", 0)}


def test_a_sentence_opening_on_another_place_does_not_take_the_previous_site(facts):
    evs = facts("Missiles struck Multan on Wednesday, killing three. Along the Qqivka Ridge, troops killed four "
                "herders with artillery fire.")
    assert ("Multan", 3) in {(e.place, e.fatalities) for e in evs}
    assert ("Multan", 4) not in {(e.place, e.fatalities) for e in evs}


def test_weapons_counted_in_a_follow_up_are_the_previous_strikes_quantity(facts):
    (e,) = facts("Hezbollah fired rockets at Kiryat Shmona on Tuesday. Some 40 projectiles landed in open "
                 "fields, the army said.")
    assert (e.location, e.quantity) == ("Kiryat Shmona", 40)


def test_a_running_total_of_launches_is_no_incident(facts):
    evs = facts("Russian drones hit Odesa on Tuesday. Russia has launched more than 5,000 drones at Ukraine "
                "this month.")
    assert [(e.location, e.quantity) for e in evs] == [("Odesa", None)]


def test_victims_of_a_follow_up_that_opens_with_a_day_are_the_previous_events(facts):
    (e,) = facts("A Russian missile hit a market in Kherson on Monday, killing five people.\n\n"
                 "On Tuesday, officials said 12 people had been injured.")
    assert (e.fatalities, e.injured) == (5, 12)


def test_victims_of_a_sentence_about_another_place_are_not_the_previous_events(facts):
    evs = facts("In Nikopol, a drone hit a church on Monday, killing two men.\n\nAlong the Frontier Belt, "
                "troops killed five civilians, officials said.")
    assert [(e.location, e.fatalities) for e in evs if e.location == "Nikopol"] == [("Nikopol", 2)]


def test_an_including_aside_closed_before_the_next_count_does_not_make_a_summary(facts):
    (e,) = facts("According to the latest figures, as a result of the shelling of Nikopol, 14 people were killed "
                 "(including two children), another 108 were injured (including 15 minors).")
    assert (e.place, e.fatalities, e.injured) == ("Nikopol", 14, 108)


def test_two_incidents_joined_by_while_keep_their_own_victims(facts):
    """"A was killed in X, while B were injured in Y": each place its own count, also when the place of
    the first hangs on the verb whose agent is the attack ("killed in X by shelling")."""
    evs = facts("Russian shelling killed a man in Nikopol, while four people were injured in Marhanets, "
                "the governor said.")
    assert sorted((e.place, e.fatalities, e.injured) for e in evs) == [("Marhanets", None, 4), ("Nikopol", 1, None)]
    evs = facts("A pensioner was killed in the Dnipropetrovsk region by Russian shelling, while five "
                "were wounded in Kherson, officials said.")
    assert sorted((e.place, e.fatalities, e.injured) for e in evs) == [
        ("Dnipropetrovsk Oblast", 1, None), ("Kherson", None, 5)]
    evs = facts("Police said a driver in Stepnohirsk was killed by a Russian drone while a farmer was hurt "
                "by shelling of Orikhiv.")
    assert sorted((e.place, e.fatalities, e.injured) for e in evs) == [("Orikhiv", None, 1), ("Stepnohirsk", 1, None)]


def test_while_with_a_gerund_or_one_incident_does_not_split_the_counts(facts):
    evs = facts("A Russian drone struck a market in Nikopol while people were shopping, killing five.")
    assert [(e.place, e.fatalities) for e in evs] == [("Nikopol", 5)]
    evs = facts("Two civilians were killed while fleeing Nikopol by Russian shelling on Tuesday.")
    assert [e.fatalities for e in evs] == [2]


# ---------------------------------------------------------------- actors (ACLED columns)
@pytest.mark.parametrize("text, actor", [
    ("Odesa suffered a massive drone attack overnight, according to Ukrainian officials.", "Russia"),  # the target
    ("US-British strikes on Hodeidah killed 14 people on Thursday, Houthi television said.", "United States"),
    # the subject of the shooting down is the defender, not the attack's actor
    ("Ukrainian air defences shot down 20 drones during an overnight attack on Odesa, the navy said.", "Russia"),
    # the owner of the target is not the attacker, also when the attack is the subject of a copula
    ("A drone attack on a US base near Kirkuk on Tuesday was the first in weeks.", None),
])
def test_the_actor_is_who_acted_not_who_underwent_it(facts, text, actor):
    (e,) = [e for e in facts(text) if e.type == "strike"]
    assert e.actor == actor


def test_a_strike_with_no_side_named_is_by_whoever_last_struck_that_country(facts):
    evs = facts("An Iranian missile hit a block of flats in Holon on Sunday, killing five people. The Israeli "
                "army said it struck a radar site in Tabriz in Iran. Another two people were killed when a "
                "missile struck a house in Afula in northern Israel.")
    assert [(e.location, e.actor) for e in evs] == [("Holon", "Iran"), ("Tabriz", "Israel"), ("Afula", "Iran")]


@pytest.mark.parametrize("text, actor", [
    ("Armed drones attributed to Viv Ansanm struck Gonaives on Tuesday, residents said.", "Viv Ansanm"),
    ("A missile hit the airport of Eilat on Tuesday. The Houthis later claimed responsibility for the attack.",
     "Houthis"),
    ("A drone struck a market in Goma on Tuesday. Officials accused the M23 of being behind the attack.", "M23"),
])
def test_the_party_held_responsible_is_the_attacker_of_a_strike_naming_none(facts, text, actor):
    assert {e.actor for e in facts(text) if e.type == "strike"} == {actor}


def test_no_outside_state_is_the_default_attacker_of_a_civil_war(facts):
    """In Congo the lexicon's one outside party (Uganda) fights a rebel group, not the state: a strike
    naming no side has no actor; in Ukraine it is Russia, in Gaza Israel."""
    assert {e.actor for e in facts("A drone struck a market in Goma on Tuesday, killing three.")} == {None}
    assert {e.actor for e in facts("A drone struck a market in Kherson on Tuesday, killing three.")} == {"Russia"}


@pytest.mark.parametrize("text, actor", [
    ("A drone was launched at Eilat from Iraq on Tuesday, the army said.", "Islamic Resistance in Iraq"),
    ("Rockets fired from Lebanon hit Kiryat Shmona on Tuesday.", "Hezbollah"),
])
def test_the_country_a_strike_came_from_gives_its_party_at_war_with_the_country_hit(facts, text, actor):
    assert {e.actor for e in facts(text) if e.type == "strike"} == {actor}


def test_an_accusation_of_other_wrongs_names_no_attacker(facts):
    evs = facts("A drone struck a market in Goma on Tuesday. Officials accused the M23 of violating the truce.")
    assert "M23" not in {e.actor for e in evs}


def test_actor1_actor2_and_the_interaction_code(facts):
    (e,) = [e for e in facts("A Russian missile hit an apartment block in Sumy on Tuesday, killing five.")
            if e.type == "strike"]
    assert (e.actor, e.actor2, e.inter1, e.inter2, e.interaction, e.civilian_targeting) == (
        "Russia", "Civilians (Ukraine)", 1, 7, 17, True)


def test_armed_groups_outside_europe_are_named(facts):
    evs = facts("Al-Shabaab militants attacked an army base near Beledweyne on Tuesday, killing six soldiers.")
    (e,) = [e for e in evs if e.type in ("clash", "strike", "other")]
    assert e.actor == "al-Shabaab" and e.type == "clash" and e.inter1 == 2


def test_a_generic_side_is_the_articles_group_of_that_kind(facts):
    evs = facts("Hayat Tahrir al-Sham announced a new offensive on Tuesday. The rebels captured the town of "
                "Saraqib on Wednesday.")
    (e,) = [e for e in evs if e.type == "capture"]
    assert e.actor.startswith("Hayat Tahrir al-Sham")


def test_a_withdrawal_is_the_other_sides_capture(facts):
    (e,) = [e for e in facts("Ukrainian forces withdrew from Vuhledar on Tuesday.") if e.type == "capture"]
    assert (e.place, e.actor) == ("Vuhledar", "Russia")


# ---------------------------------------------------------------- claims
def test_a_sides_own_interception_tally_is_claimed(facts):
    (e,) = [e for e in facts("Russia's defence ministry said its air defences destroyed 40 Ukrainian drones over "
                             "the Belgorod region overnight.") if e.type == "interception"]
    assert e.claim_status == "claimed" and e.actor == "Russia"


# ---------------------------------------------------------------- dates
def test_evening_of_a_date_and_late_on_a_weekday(facts):
    (e,) = facts("On the evening of November 29, a drone hit a house in Chernihiv.")
    assert e.date == dt.date(2025, 11, 29)
    (e,) = facts("Late on Monday, Russian shelling hit Nikopol.")
    assert e.date == MON


def test_overnight_takes_the_day_its_sentence_names_and_passes_it_on(facts):
    evs = facts("Russian drones hit Kharkiv overnight, as the attack went on into Sunday. Later that evening, "
                "Ukrainian drones struck Belgorod.")
    assert sorted((e.place, e.date) for e in evs) == [("Belgorod", dt.date(2025, 11, 30)),
                                                      ("Kharkiv", dt.date(2025, 11, 30))]


def test_overnight_with_only_the_reports_day_is_the_night_before_publication(facts):
    (e,) = facts("Drones attacked Odesa overnight, the governor said on Tuesday.")
    assert e.date == PUB


def test_a_national_tally_with_regional_parts_gives_both(facts):
    evs = [e for e in facts("Russia's defence ministry said its air defences destroyed 120 Ukrainian drones "
                            "overnight, including 40 over the Bryansk region and 25 over the Kursk region.")
           if e.type == "interception"]
    assert {(e.precision, e.quantity) for e in evs} == {("country", 120), ("admin1", 40), ("admin1", 25)}
    assert {e.place for e in evs if e.precision == "admin1"} == {"Bryansk Oblast", "Kursk Oblast"}


def test_a_fact_told_with_a_day_and_month_is_never_after_its_report(gaz):
    from geo.events import extract_text

    text = "Rescuers said a missile strike on Zaporizhzhia on November 20 killed three people."
    late = [e for e in extract_text(text, published=dt.date(2025, 10, 1)) if e.is_fact]
    # read as last year's November 20: a year-old strike, which is background to this report
    assert late == []
    (e,) = [e for e in extract_text(text, published=dt.date(2025, 11, 21)) if e.is_fact]
    assert e.date == dt.date(2025, 11, 20)


def test_repelling_a_drone_attack_is_the_defenders_interception(facts):
    evs = facts("Naval drones attacked the port of Feodosia on Tuesday. Moscow said its navy fought off "
                "the attack.")
    (i,) = [e for e in evs if e.type == "interception"]
    assert (i.place, i.actor) == ("Feodosia", "Russia") and "clash" not in types(evs)


def test_repelling_a_ground_attack_stays_a_clash(facts):
    evs = facts("Russian assault groups attacked Kupiansk on Tuesday. Ukrainian forces repelled the attack.")
    assert "interception" not in types(evs) and "clash" in types(evs)


def test_an_attack_by_ground_troops_is_a_clash_not_a_strike(facts):
    evs = facts("Russian troops attacked Huliaipole on Tuesday, the General Staff said.")
    assert types(evs) == {"clash"}


def test_a_rebel_attack_where_it_fights_is_ground_fighting_and_abroad_a_strike(facts):
    home = facts("JNIM attacked an army post in Dori, Burkina Faso, on Tuesday, killing four soldiers.")
    abroad = facts("The Houthis attacked the port of Eilat on Tuesday, the Israeli army said.")
    assert types(home) == {"clash"} and types(abroad) == {"strike"}


def test_handovers_at_two_places_are_two_exchanges(facts):
    evs = facts("Under the truce deal Hamas handed over two hostages in Beit Lahia on Saturday. Hours later a "
                "third hostage was freed in Bureij.")
    assert sorted(e.location for e in evs if e.type == "exchange") == ["Beit Lahia", "Bureij"]


def test_the_length_of_a_war_is_no_incident(facts):
    assert facts("Tanks pulled back on Saturday under a truce that ended 14 months of fighting along the "
                 "border.") == []
    assert types(facts("Three days of fighting in Kupiansk killed 20 soldiers, officials said on Tuesday.")) == {"clash"}


def test_taking_a_route_around_a_place_is_no_capture(facts):
    assert facts("Convoys are taking the longer road around Zaporizhzhia.") == []
    assert types(facts("Russian forces took the village of Ivanivske on Monday.")) == {"capture"}


def test_targeting_to_take_a_town_is_an_aim(facts):
    assert facts("Witnesses said the militia was moving south, targeting to seize Goma.") == []
    assert types(facts("Russian drones targeted the airport in Sumy on Monday.")) == {"strike"}


def test_the_assault_after_a_drone_strike_is_that_strike(facts):
    evs = facts("A drone struck the Hmeimim air base on Saturday. The assault also wrecked a hangar, "
                "officials said.")
    assert [e.type for e in evs] == ["strike"]


def test_since_the_start_of_the_day_is_no_aggregate(facts):
    evs = facts("Since the start of the day Ukrainian units have advanced 3 km into the Belgorod region, "
                "Kyiv said on Tuesday.")
    assert "clash" in types(evs)
    assert facts("Over 300 soldiers have been killed in fighting in the Belgorod region since the start of the "
                 "war, officials said on Tuesday.") == []


def test_a_date_after_since_dates_something_else(facts):
    (e,) = facts("The army said it bombed a fuel depot in Sumy, its biggest raid since the offensive began "
                 "last month.")
    assert e.date == PUB


def test_a_town_taken_and_retaken_the_next_day_is_two_captures(facts):
    evs = facts("Dessie came under the control of Fano fighters on Monday. On Tuesday the militia withdrew "
                "from Dessie and government soldiers took it back.")
    caps = sorted((e.date, e.actor) for e in evs if e.type == "capture")
    assert caps == [(MON, "Fano"), (TUE, "Ethiopian military")]


def test_one_victim_told_in_the_passive_is_counted(facts):
    (e,) = facts("A civilian was killed and another person was badly hurt when shells hit Velyka Pysarivka on "
                 "Tuesday.")
    (f,) = facts("A man and a woman were killed when shells hit Velyka Pysarivka on Tuesday.")
    assert (e.fatalities, e.injured, f.fatalities) == (1, 1, 2)


def test_a_later_release_in_a_story_about_a_truce_is_an_exchange(facts):
    evs = facts("The truce deal held on Saturday. One more captive was released in Deir al-Balah.")
    assert "Deir al-Balah" in {e.location for e in evs if e.type == "exchange"}


def test_videos_of_hostages_are_no_release_of_hostages(facts):
    assert facts("The group released a video of two hostages on Tuesday, weeks into the truce deal.") == []


def test_what_talks_or_calls_are_about_is_no_event(facts):
    assert not [e for e in facts("Envoys held discussions on a ceasefire and the release of prisoners in "
                                 "Gaza, officials said on Tuesday.") if e.type == "exchange"]
    assert facts("Families called for the release of hostages held in Gaza on Tuesday.") == []


def test_one_of_the_deadliest_strikes_is_a_comparison(facts):
    assert facts("Officials said it was one of the worst strikes on eastern Ukraine.") == []
    assert types(facts("The deadliest strike in months killed 30 people in Dnipro on Tuesday.")) == {"strike"}


def test_utility_disruptions_after_an_attack_are_an_outage_at_the_city_named_by_its_possessive(facts):
    evs = facts("Shelling hit Odesa's heating network on Friday, causing heat interruptions in the city.")
    assert {(e.type, e.place) for e in evs} == {("strike", "Odesa"), ("outage", "Odesa")}
    assert not [e for e in facts("Officials warned that water interruptions could follow in Odesa.")
                if e.type == "outage"]


def test_disruptions_told_apart_from_the_damaged_utility_are_an_outage_where_the_utility_is(facts):
    evs = facts("Russian drones attacked Lviv on Tuesday. The strikes damaged Lviv's power grid, and the mayor "
                "reported supply interruptions in two districts.")
    assert {(e.type, e.place) for e in evs} == {("strike", "Lviv"), ("outage", "Lviv")}


def test_delegations_discussing_at_a_venue_is_talks(facts):
    evs = facts("Ukrainian and US delegations discussed the peace plan in Geneva on Sunday.")
    assert [e.type for e in evs] == ["talks"] and "Geneva" in evs[0].place
    assert facts("Farmers discussed the harvest in Poltava on Thursday.") == []


def test_capturing_people_or_gear_is_no_capture_of_a_place(facts):
    assert "capture" not in types(facts("The soldiers, captured in the Belgorod region in March, came home."))
    assert "capture" not in types(facts("Ukrainian troops captured 30 Russian soldiers near Tetkino on Monday."))
    assert "capture" not in types(facts("Rebels seized rifles and trucks in Goma on Monday, a spokesman said."))
    assert types(facts("Russian forces seized the town of Toretsk on Monday.")) == {"capture"}


def test_a_group_is_named_whatever_the_case_of_its_long_name_or_acronym(gaz):
    from geo.events.actors import parties

    text = "Fighters of the Islamic State West africa province (Iswap) attacked."
    assert [h.actor.name for h in parties(text, 0, len(text))] == ["Islamic State West Africa Province (ISWAP)"] * 2
    lower = "the sdf and the rsf said"  # a short acronym in lower case is an ordinary word
    assert parties(lower, 0, len(lower)) == []


def test_a_handover_of_places_is_a_capture_by_the_side_they_go_to(facts):
    evs = facts("Government troops on Tuesday handed over the town of Kobani and the airport of Qamishli "
                "to the Kurdish YPG, residents said.")
    caps = [e for e in evs if e.type == "capture"]
    assert sorted(e.place for e in caps) == ["Kobani", "Qamishli"]
    assert {e.actor for e in caps} == {"SDF/YPG"} and {e.date for e in caps} == {TUE}
    assert {e.claim_status for e in caps} == {"reported"}  # residents are no party to the fighting


def test_a_capture_told_by_witnesses_is_reported_by_an_unnamed_authority_claimed(facts):
    said_by = {who: [e.claim_status for e in facts(f"Rebels captured the town of Kobani on Tuesday, {who} said.")
                     if e.type == "capture"] for who in ("witnesses", "the ministry")}
    assert said_by == {"witnesses": ["reported"], "the ministry": ["claimed"]}


def test_a_participle_after_a_noun_is_no_plan_but_an_infinitive_is(facts):
    assert types(facts("After rebels entered the city, army units handed over the town of Manbij to the "
                       "YPG on Tuesday.")) >= {"capture"}
    assert "capture" not in types(facts("Army units have a plan to take the town of Manbij on Tuesday."))


def test_a_capitalised_month_is_a_date_not_a_march(gaz):
    def kinds(text: str) -> set[str]:
        return {e.type for e in extract_text(text, published=dt.date(2026, 4, 2), article_id="t")}
    assert "protest" not in kinds("Gunmen stormed a prison in Gao on March 31, freeing dozens of inmates.")
    assert kinds("Thousands joined a march in Kampala on March 31 against fuel prices.") == {"protest"}


def test_an_undated_retelling_at_the_same_place_is_the_same_incident(facts):
    evs = facts("Rebels captured the town of Manbij on November 20 after a week of fighting, the group said.\n\n"
                "The fighters managed to capture Manbij despite heavy air strikes on its outskirts, residents said.")
    caps = [e for e in evs if e.type == "capture"]
    assert [(e.place, e.date) for e in caps] == [("Manbij", dt.date(2025, 11, 20))]
    assert len(caps[0].evidence) == 2


def test_a_region_event_on_its_own_given_day_is_not_folded_into_the_citys_of_the_day_before(facts):
    evs = facts("A Russian drone strike on Kherson on Dec. 1 damaged a school, the city administration said.\n\n"
                "On Dec. 2, three people were wounded in Russian shelling in the Kherson region, the governor said.")
    assert sorted((e.location, e.date.day, e.injured) for e in evs if e.type == "strike") == [
        ("Kherson", 1, None), ("Kherson region", 2, 3)]


def test_what_an_after_clause_tells_happened_whatever_the_main_clause_says(events):
    evs = events("The talks in Geneva were called off after a missile struck Kyiv on Tuesday.")
    assert sorted((e.type, e.claim_status) for e in evs) == [("strike", "reported"), ("talks", "cancelled")]


def test_a_day_borrowed_from_a_sentence_replaces_the_publications_in_a_merge():
    from geo.events.merge import within
    from geo.models import Event

    def ev(day: int) -> Event:
        return Event(type="clash", date=dt.date(2025, 12, day), date_precision="day", place="X", place_id="gn:1",
                     lat=1.0, lon=1.0, precision="locality", location="X", claim_status="reported", evidence=[],
                     articles=["t"])
    lede, later = ev(3), ev(2)
    merged = within([lede, later], {id(lede): 2, id(later): 1})
    assert [e.date for e in merged] == [dt.date(2025, 12, 2)]
    lede, later = ev(3), ev(2)
    assert [e.date for e in within([lede, later], {id(lede): 1, id(later): 1})] == [dt.date(2025, 12, 3)]


@pytest.mark.parametrize("text, expected", [
    ("Fighting continues near Pokrovsk, the army said.", [("clash", "Pokrovsk", PUB)]),
    ("Clashes between troops and militants continue near the village of Tudun Sarki in Kaduna State.",
     [("clash", "Tudun Sarki", PUB)]),
    ("Fighting continues along the front line, the army said.", []),
    ("Fighting continues in Ukraine.", []),
    ("Russia continues to strike Kharkiv.", []),
])
def test_fighting_told_as_going_on_at_a_named_place_is_a_clash_there_today(facts, text, expected):
    assert [(e.type, e.location, e.date) for e in facts(text)] == expected


def test_a_bomb_that_opens_an_assault_is_one_complex_attack_but_not_on_another_day(facts):
    evs = facts("Militants attacked an army camp in Gao on Monday, the army said. A car bomb exploded at the gate of "
                "the camp in Gao, followed by gunfire, and nine attackers were killed.")
    assert [(e.type, e.location, e.fatalities) for e in evs] == [("clash", "Gao", 9)]
    evs = facts("Militants attacked an army camp in Gao on Monday, the army said. On Wednesday a roadside bomb "
                "killed two soldiers in Gao.")
    assert sorted((e.type, e.date.day) for e in evs) == [("clash", 1), ("strike", 3)]


@pytest.mark.parametrize("text", [
    "The rebels say their attacks on shipping are in support of the Palestinians in Gaza.",
    "Russian attacks on Kharkiv kill civilians every week.",
])
def test_attacks_in_the_plural_in_the_present_with_no_day_are_a_policy_not_an_incident(facts, text):
    assert facts(text) == []


def test_a_date_after_following_dates_the_cause_not_the_attack_told_again(facts):
    evs = facts("A missile launched from Yemen struck near Eilat airport on Sunday, the army said. The rebels said "
                "the attack came following Israeli air strikes on the port of Hodeidah on Friday evening.")
    assert sorted((e.location, e.date.day) for e in evs) == [("Eilat airport", 30), ("Hodeidah", 28)]


def test_a_date_of_a_later_action_does_not_date_the_strike(facts):
    evs = facts("Ukrainian drones attacked the Tuapse oil depot late on Monday. Air defences shot down most of "
                "them, and a fire at the depot raged for hours until it was put out on Wednesday morning.")
    assert {(e.type, e.date) for e in evs} == {("strike", MON), ("interception", MON)}


def test_a_withdrawal_announced_as_a_noun_is_the_other_sides_capture_dated_by_its_own_clause(facts):
    evs = facts("Syrian government forces have announced a “temporary troop withdrawal” from Hama, where rebels "
                "launched an offensive over the past few days.")
    (cap,) = [e for e in evs if e.type == "capture"]
    assert (cap.location, cap.actor, cap.date) == ("Hama", "Hayat Tahrir al-Sham (HTS)", PUB)


@pytest.mark.parametrize("text, kind", [
    # armed men at the scene, in the sentence or the one before: fighting
    ("Armed gangs stormed the prison in Gonaives, Haiti, on Monday and set fire to the police station.\n\n"
     "The gangs attacked Gonaives again on Wednesday, residents said.", {"clash"}),
    ("Militants attacked an army base near Gusau in Nigeria on Monday.", {"clash"}),
    # none: an attack on civilians
    ("Gunmen attacked the Nigerian town of Gusau on Monday, burning homes and a market, residents said.", {"other"}),
])
def test_a_ground_attack_by_irregulars_is_a_clash_only_where_armed_men_are_there(facts, text, kind):
    assert {e.type for e in facts(text)} == kind


def test_an_attack_with_no_weapon_at_the_place_and_day_of_a_ground_assault_is_that_assault(facts):
    evs = facts("Militants attacked an army post in Gwoza in Borno State on Friday, killing four soldiers.\n\n"
                "The fighters struck Gwoza again on Friday night, burning down 20 houses, residents said.")
    assert [(e.type, e.location, e.fatalities) for e in evs] == [("clash", "Gwoza", 4)]


def test_looting_is_a_strategic_development_in_acled_terms(facts):
    (e,) = facts("Crowds descended on the food agency's warehouse in Goma on Friday, vandalizing it and looting cargo.")
    assert (e.type, e.location, e.acled_event_type, e.acled_sub_event_type) == (
        "other", "Goma", "Strategic developments", "Looting/property destruction")


@pytest.mark.parametrize("text, expected", [
    ("The deaths came as Israeli forces continued to advance in Khan Younis on Tuesday, with residents reporting "
     "tanks in the centre of the city.", [("clash", "Khan Younis")]),
    ("Russia continued to shell Kherson daily, officials said.", []),  # a habit, no day
])
def test_continuing_on_a_named_day_is_that_days_event(facts, text, expected):
    assert [(e.type, e.location) for e in facts(text)] == expected


def test_an_incident_told_before_and_only_characterised_adds_no_event(facts):
    evs = facts("Russian missiles struck Odesa overnight, the governor said. Air defences shot down three missiles "
                "over Kyiv, the mayor said. The attack is part of Russia's new strategy against the power grid.")
    assert sorted((e.type, e.location) for e in evs) == [("interception", "Kyiv"), ("strike", "Odesa")]


def test_a_weapon_as_the_subject_keeps_a_strike_a_strike_in_an_article_about_a_rebel_group(facts):
    evs = facts("Houthi fighters fired missiles at ships in the Red Sea on Monday. Later, one airstrike struck near "
                "Taiz airport in the northern part of the city, Houthi TV reported.")
    assert {e.type for e in evs if e.location and "Taiz" in e.location} == {"strike"}


def test_arson_told_only_at_the_country_on_the_day_of_a_located_clash_is_that_clash():
    from geo.events.merge import document
    from geo.models import Evidence, Event

    def ev(type_: str, subtype: str, precision: str, place_id: str, at: int, weapon: str | None = None) -> Event:
        return Event(type=type_, subtype=subtype, date=dt.date(2025, 12, 1), date_precision="day", place="P",
                     place_id=place_id, country="HT", lat=1.0, lon=1.0, precision=precision, location="P",
                     claim_status="reported", weapon=weapon, evidence=[Evidence("t", at, at + 5, "x")],
                     articles=["t"])
    arson, fight = ev("other", "sabotage", "country", "cc:HT", 0), ev("clash", "armed clash", "locality", "gn:2", 10)
    assert [e.type for e in document([(arson, "body"), (fight, "body")])] == ["clash"]
    raid, fight = ev("strike", "air strike", "country", "cc:HT", 0, "air"), ev("clash", "armed clash", "locality",
                                                                                  "gn:2", 10)
    assert sorted(e.type for e in document([(raid, "body"), (fight, "body")])) == ["clash", "strike"]


def _merge_ev(type_: str, at: int, place_id: str, lat: float, lon: float, day: int, fatalities=None, actor="Boko Haram",
              precision="locality", quantity=None, country="NG"):
    from geo.models import Evidence, Event

    return Event(type=type_, subtype=type_, date=dt.date(2025, 12, day), date_precision="day", place=place_id,
                 place_id=place_id, country=country, lat=lat, lon=lon, precision=precision, location=place_id,
                 actor=actor, fatalities=fatalities, quantity=quantity, claim_status="reported",
                 evidence=[Evidence("t", at, at + 5, "x")], articles=["t"])


def test_the_same_toll_by_the_same_side_nearby_is_one_incident_told_twice():
    from geo.events.merge import document

    first = _merge_ev("clash", 0, "gn:1", 11.60, 13.85, 1, fatalities=40)
    retold = _merge_ev("other", 50, "gn:2", 11.66, 14.02, 2, fatalities=40)  # ~20 km away, a day later
    assert [(e.type, e.place_id, e.date.day) for e in document([(first, "body"), (retold, "body")])] == [
        ("clash", "gn:1", 1)]
    far = _merge_ev("other", 50, "gn:3", 12.50, 13.85, 2, fatalities=40)      # 100 km away: another attack
    other_side = _merge_ev("other", 50, "gn:2", 11.66, 14.02, 2, fatalities=40, actor="ISWAP")
    small = _merge_ev("other", 50, "gn:2", 11.66, 14.02, 2, fatalities=2)
    for second in (far, other_side, small):
        first = _merge_ev("clash", 0, "gn:1", 11.60, 13.85, 1, fatalities=40 if second is not small else 2)
        assert len(document([(first, "body"), (second, "body")])) == 2


def test_a_country_level_strike_counting_fewer_weapons_is_the_located_one_told_again():
    from geo.events.merge import document

    port = _merge_ev("strike", 0, "gn:1", 44.7, 37.8, 1, actor="Ukraine", quantity=2, country="RU")
    again = _merge_ev("strike", 50, "cc:RU", 60.0, 100.0, 1, actor="Ukraine", quantity=1, country="RU",
                      precision="country")
    assert [e.place_id for e in document([(port, "body"), (again, "body")])] == ["gn:1"]
    port = _merge_ev("strike", 0, "gn:1", 44.7, 37.8, 1, actor="Ukraine", quantity=2, country="RU")
    tally = _merge_ev("strike", 50, "cc:RU", 60.0, 100.0, 1, actor="Ukraine", quantity=40, country="RU",
                      precision="country")  # the night's national tally: a fact of its own
    assert len(document([(port, "body"), (tally, "body")])) == 2


def test_captives_named_one_by_one_are_counted(facts):
    evs = facts("Under the truce deal, fighters handed over captives Anna Kowalczyk and Lev Brodsky in Beit Lahia "
                "on Saturday. Fighters also freed a captive, Tom Weiss, in Bureij that evening under the deal.")
    assert sorted((e.location, e.quantity) for e in evs if e.type == "exchange") == [("Beit Lahia", 2), ("Bureij", 1)]
