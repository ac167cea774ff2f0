"""geo.numbers: counts in words and digits, and the things that only look like counts."""
from __future__ import annotations

import pytest

from geo.numbers import MAX_COUNT, Count, find_counts, parse_count


def values(text: str) -> list[tuple[str, int, bool]]:
    return [(c.raw, c.value, c.low_bound) for c in find_counts(text)]


@pytest.mark.parametrize("phrase,value", [
    ("7", 7), ("1,000", 1000), ("400,000", 400000), ("1,250,000", 1250000),
    ("1.2 million", 1200000), ("3 million", 3000000), ("2.5 billion", 2500000000),
    ("400 thousand", 400000),
    ("one", 1), ("twelve", 12), ("nineteen", 19), ("forty", 40), ("ninety", 90),
    ("twenty-five", 25), ("twenty five", 25), ("one hundred", 100), ("a hundred", 100),
    ("one hundred and fifty", 150), ("two thousand five hundred", 2500), ("a thousand", 1000),
    ("three million", 3000000),
    ("a dozen", 12), ("two dozen", 24), ("half a dozen", 6), ("dozens", 12), ("scores of", 20),
    ("several", 3), ("a few", 3), ("a couple of", 2), ("a handful of", 3),
    ("hundreds", 100), ("thousands", 1000), ("tens of thousands", 10000),
    ("hundreds of thousands", 100000), ("several hundred", 300), ("a few thousand", 3000),
    ("at least 12", 12), ("more than 40", 40), ("nearly 9,600", 9600), ("about fifty", 50),
    ("up to 40", 40), ("12 or more", 12), ("10-15", 10),
    ("a", 1), ("an", 1), ("a drone", 1), ("2025", 2025), ("  8  ", 8),
])
def test_parse_count_values(phrase: str, value: int) -> None:
    assert parse_count(phrase) == value


@pytest.mark.parametrize("phrase", ["", "the", "hello", "28th", "1st", "40%", "10:30", "1.5",
                                    "dozen"])
def test_parse_count_rejects(phrase: str) -> None:
    assert parse_count(phrase) is None


def test_find_counts_spans_and_qualifiers() -> None:
    text = "Officials said at least 12 people died and nearly 9,600 were evacuated from the area."
    counts = find_counts(text)
    assert [(c.value, c.low_bound) for c in counts] == [(12, True), (9600, False)]
    for c in counts:
        assert text[c.start:c.end] == c.raw
    assert counts[0].raw == "at least 12" and counts[1].raw == "nearly 9,600"
    assert isinstance(counts[0], Count)


def test_low_bound_forms() -> None:
    assert values("more than 40 drones, over 300 shells, no fewer than five tanks, 20+ trucks") == [
        ("more than 40", 40, True), ("over 300", 300, True), ("no fewer than five", 5, True),
        ("20+", 20, True)]


def test_word_numbers_in_a_sentence() -> None:
    text = "The army said twenty-five drones and one hundred and twenty missiles were fired."
    assert values(text) == [("twenty-five", 25, False), ("one hundred and twenty", 120, False)]


def test_vague_quantities_take_lowest_plausible_figure() -> None:
    text = ("Dozens of homes burned, several buildings collapsed and tens of thousands of "
            "residents lost heating; scores of volunteers came, a few hundred stayed.")
    assert [c.value for c in find_counts(text)] == [12, 3, 10000, 20, 300]


def test_large_numbers_with_scale_words() -> None:
    assert values("Roughly 1.5 million people and 400,000 homes") == [
        ("Roughly 1.5 million", 1500000, False), ("400,000", 400000, False)]


def test_years_are_not_counts() -> None:
    assert find_counts("In 2025 the war entered its fourth year, as in 1945.") == []
    assert find_counts("Since 2022, shelling has continued.") == []


def test_year_like_figure_followed_by_plural_noun_is_a_count() -> None:
    assert values("The unit sent 2000 troops.") == [("2000", 2000, False)]
    assert values("at least 2024 were evacuated") == [("at least 2024", 2024, True)]


def test_ordinals_compounds_and_names_are_not_counts() -> None:
    text = ("The 28th Brigade rejected the 28-point plan drawn up after World War II; "
            "an F-16 and an S-300 battery were mentioned, and a 12-year-old was hurt.")
    assert find_counts(text) == []


def test_times_percentages_money_and_dates_are_not_counts() -> None:
    text = ("Sirens sounded at 10:30 and again at 7 a.m. and 9 pm; turnout was 40% or 41 percent; "
            "the aid package was worth $5 billion; it happened on November 19, 19 November "
            "and Nov. 19.")
    assert find_counts(text) == []


def test_labels_and_number_words_in_names() -> None:
    assert find_counts("Article 5 of the treaty was cited on Channel One.") == []


def test_pronoun_one_is_not_a_count() -> None:
    assert find_counts("No one was hurt and they blamed one another.") == []
    assert values("One person was hurt.") == [("One", 1, False)]


def test_compound_adjective_with_word_number() -> None:
    assert find_counts("A three-day ceasefire began.") == []


def test_bare_article_is_not_a_count_in_text() -> None:
    assert find_counts("A drone hit a house.") == []


def test_number_word_after_title_line_is_kept() -> None:
    text = "Drone attack hits Kharkiv\nThree people were injured."
    assert values(text) == [("Three", 3, False)]


def test_coordinated_numbers_stay_separate() -> None:
    assert [c.value for c in find_counts("two and three")] == [2, 3]
    assert [c.value for c in find_counts("five six")] == [5, 6]


def test_range_keeps_low_end() -> None:
    assert values("between 10-15 soldiers") == [("between 10-15", 10, False)]


@pytest.mark.parametrize("text,raw,low,high", [
    ("between 10 and 15 soldiers", "between 10 and 15", 10, 15),
    ("10-15 soldiers", "10-15", 10, 15),
    ("10–15 soldiers", "10–15", 10, 15),
    ("10 to 15 soldiers", "10 to 15", 10, 15),
    ("two or three drones", "two or three", 2, 3),
    ("between twelve and twenty people", "between twelve and twenty", 12, 20),
    ("between 1,000 and 1,500 people", "between 1,000 and 1,500", 1000, 1500),
])
def test_ranges_keep_the_low_end_and_record_the_high_end(text: str, raw: str, low: int, high: int) -> None:
    (c,) = find_counts(text)
    assert (c.raw, c.value, c.low, c.high, c.approximate) == (raw, low, low, high, True)


def test_what_is_not_a_range() -> None:
    # a change, a list, a descending pair and a span of years are not ranges
    assert [(c.value, c.high) for c in find_counts("The toll rose from 10 to 15.")] == [(10, None), (15, None)]
    assert [c.value for c in find_counts("two and three")] == [2, 3]
    assert [(c.value, c.high) for c in find_counts("15 to 10 people")] == [(15, None), (10, None)]
    assert find_counts("fighting in 2022-2023 and 2014–2015") == []
    assert [c.value for c in find_counts("units 3, 4 and 5 were hit")] == [3, 4, 5]


@pytest.mark.parametrize("text,value", [
    ("12 000 people", 12000), ("12\u00a0000 people", 12000), ("12\u202f000 people", 12000),
    ("12.000 people", 12000), ("12,000 people", 12000), ("1.250.000 people", 1250000),
    ("1 250 000 people", 1250000), ("1.5 million people", 1500000), ("1,5 million people", 1500000),
    ("2.75 million people", 2750000), ("3 million people", 3000000),
])
def test_thousands_separators_and_decimals(text: str, value: int) -> None:
    assert [c.value for c in find_counts(text)] == [value]


@pytest.mark.parametrize("text,value", [
    ("a score of houses", 20), ("scores of houses", 20), ("dozens of houses", 12), ("a dozen houses", 12),
    ("half a dozen houses", 6), ("hundreds of houses", 100), ("two hundred and fifty houses", 250),
    ("one million two hundred thousand people", 1200000), ("twenty-five hundred people", 2500),
    ("a hundred thousand people", 100000), ("half a million people", 500000),
])
def test_count_words(text: str, value: int) -> None:
    (c,) = find_counts(text)
    assert c.value == value


def test_vague_and_qualified_counts_are_approximate() -> None:
    by_raw = {c.raw: c for c in find_counts("about 50 drones, dozens of shells, at least 12 tanks and 7 trucks")}
    assert by_raw["about 50"].approximate and not by_raw["about 50"].low_bound
    assert by_raw["dozens"].approximate
    assert by_raw["at least 12"].low_bound and not by_raw["at least 12"].approximate
    assert not by_raw["7"].approximate and by_raw["7"].high is None


def test_years_percentages_times_and_money_in_new_forms() -> None:
    text = ("Since 2014, 40 pct of homes; at 0600 GMT and 1400 local time; UAH 300 million and "
            "5 million hryvnias; 300 million USD; at 12.30 the 2.5 km convoy stopped.")
    assert find_counts(text) == []


@pytest.mark.parametrize("text", ["1e999 drones", "10^30 drones", "99999999999999999999 drones",
                                  "hundreds of billions of people", "5 million million million people",
                                  "1,000,000,000,000,000 people"])
def test_numbers_that_cannot_be_counts_are_rejected_at_the_boundary(text: str) -> None:
    assert find_counts(text) == []
    assert parse_count(text) is None


def test_huge_inputs_give_bounded_counts() -> None:
    # a 200,000-digit number, a 1,000,000-letter word, a long comma list, a chain of scale words
    for text in ("9" * 200_000, "x" * 1_000_000, "1, " * 20_000, "one thousand " * 20_000):
        counts = find_counts(text)
        assert all(0 <= c.value <= MAX_COUNT for c in counts)
    assert len(find_counts("1, " * 1000)) == 1000


def test_decimal_without_scale_is_a_measurement() -> None:
    assert find_counts("a magnitude 4.5 tremor") == []


def test_qualifier_without_number_is_ignored() -> None:
    assert find_counts("It is over now, at least for today.") == []


def test_empty_text() -> None:
    assert find_counts("") == []


def test_money_in_words_is_not_a_count() -> None:
    assert find_counts("They pledged hundreds of millions of dollars and five million euros.") == []


def test_hundreds_of_millions_is_one_count() -> None:
    assert values("hundreds of millions of people") == [("hundreds of millions", 100000000, False)]
