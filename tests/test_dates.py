"""geo.dates: date expressions resolved against a fixed published date (2025-12-03, a Wednesday)."""
from __future__ import annotations

import datetime as dt

import pytest

from geo.dates import find_date_expressions, resolve_date, resolve_expression

PUB = dt.date(2025, 12, 3)  # a Wednesday
D = dt.date


@pytest.mark.parametrize("text,expected", [
    # weekdays: most recent on or before publication
    ("Drones hit a depot on Monday.", (D(2025, 12, 1), "day")),
    ("Shelling resumed late Monday.", (D(2025, 12, 1), "day")),
    ("The bridge was damaged Sunday night.", (D(2025, 11, 30), "day")),
    ("A convoy was ambushed on Thursday.", (D(2025, 11, 27), "day")),
    ("Sirens sounded on Wednesday morning.", (D(2025, 12, 3), "day")),
    # a span is dated by its last day (what followed it happened then); a number after it is a count
    ("Rebels took the town after an assault from Nov. 20 to 24.", (D(2025, 11, 24), "day")),
    ("Fighting raged between November 20 and 24, the army said.", (D(2025, 11, 24), "day")),
    ("Talks were held on 20-22 November in Doha.", (D(2025, 11, 22), "day")),
    ("On November 20 and 24 people were reported missing.", (D(2025, 11, 20), "day")),
    # a weekday of a named week: that week's day, not the week
    ("Rebels entered the town on Monday this week.", (D(2025, 12, 1), "day")),
    ("The depot burned on Thursday of last week.", (D(2025, 11, 27), "day")),
    ("The envoys meet on Tuesday next week.", (D(2025, 12, 9), "day")),
    ("The depot burned last Wednesday.", (D(2025, 11, 26), "day")),
    ("The depot burned last Monday.", (D(2025, 12, 1), "day")),
    ("Envoys will meet next Friday.", (D(2025, 12, 5), "day")),
    ("Envoys will meet next Wednesday.", (D(2025, 12, 10), "day")),
    ("Envoys meet this coming Saturday.", (D(2025, 12, 6), "day")),
    ("lowercase monday still counts", (D(2025, 12, 1), "day")),
    # publication-relative words
    ("A missile struck the port today.", (PUB, "day")),
    ("Explosions were heard this morning.", (PUB, "day")),
    ("Drones attacked overnight, officials said.", (PUB, "day")),
    ("Three blasts rocked the city last night.", (PUB, "day")),
    ("A rally is planned for tonight.", (PUB, "day")),
    ("The plant was hit yesterday.", (D(2025, 12, 2), "day")),
    ("The plant was hit yesterday evening.", (D(2025, 12, 2), "day")),
    ("The plant was hit the day before yesterday.", (D(2025, 12, 1), "day")),
    ("The talks resume tomorrow.", (D(2025, 12, 4), "day")),
    # explicit dates
    ("The town fell on November 19.", (D(2025, 11, 19), "day")),
    ("The town fell on 19 November.", (D(2025, 11, 19), "day")),
    ("The town fell Nov. 19.", (D(2025, 11, 19), "day")),
    ("The town fell Sept. 9.", (D(2025, 9, 9), "day")),
    ("The town fell on the 19th of November.", (D(2025, 11, 19), "day")),
    ("The town fell on November 19th, 2024.", (D(2024, 11, 19), "day")),
    ("The town fell on 19 November 2024.", (D(2024, 11, 19), "day")),
    ("The strike on December 2 killed two.", (D(2025, 12, 2), "day")),
    ("The summit is set for December 12.", (D(2025, 12, 12), "day")),
    ("Fighting on the night of 19-20 November.", (D(2025, 11, 19), "day")),
    ("Record: 2025-11-20 strike", (D(2025, 11, 20), "day")),
    ("Logged at 2025-11-20T08:30:00Z.", (D(2025, 11, 20), "day")),
    ("Dated 19.11.2025 in the report.", (D(2025, 11, 19), "day")),
    ("Dated 11/19/2025 in the report.", (D(2025, 11, 19), "day")),
    # explicit wins over the relative word it glosses
    ("The port was shelled yesterday (30 November).", (D(2025, 11, 30), "day")),
    ("The port was shelled on Monday, December 1.", (D(2025, 12, 1), "day")),
    ("The port was shelled overnight into Sunday.", (D(2025, 11, 30), "day")),
    ("The port was shelled overnight on Saturday.", (D(2025, 11, 29), "day")),
    # weeks and weekends: the Monday (or the Saturday), precision week
    ("Fighting intensified last week.", (D(2025, 11, 24), "week")),
    ("Fighting intensified earlier this week.", (D(2025, 12, 1), "week")),
    ("Talks are expected next week.", (D(2025, 12, 8), "week")),
    ("Two villages were shelled over the weekend.", (D(2025, 11, 29), "week")),
    ("Two villages were shelled at the weekend.", (D(2025, 11, 29), "week")),
    ("Two villages were shelled this weekend.", (D(2025, 11, 29), "week")),
    ("Strikes increased in the past week.", (D(2025, 11, 26), "week")),
    ("Strikes increased in recent days.", (D(2025, 12, 1), "week")),  # a few days: their middle
    ("Rebels advanced over the past few days.", (D(2025, 12, 1), "week")),
    # months: first day, precision month
    ("The offensive began last month.", (D(2025, 11, 1), "month")),
    ("The offensive began earlier this month.", (D(2025, 12, 1), "month")),
    ("The offensive began in October.", (D(2025, 10, 1), "month")),
    ("The offensive began in mid-October.", (D(2025, 10, 1), "month")),
    ("The offensive began in late March.", (D(2025, 3, 1), "month")),
    ("The offensive began in May 2024.", (D(2024, 5, 1), "month")),
    ("The offensive began last December.", (D(2024, 12, 1), "month")),
    ("Elections are due in January.", (D(2026, 1, 1), "month")),
    # counted back
    ("The bridge was hit two days ago.", (D(2025, 12, 1), "day")),
    ("The bridge was hit 10 days ago.", (D(2025, 11, 23), "day")),
    ("The bridge was hit three weeks ago.", (D(2025, 11, 12), "week")),
    ("The bridge was hit a few days ago.", (D(2025, 11, 30), "week")),
    ("The bridge was hit a month ago.", (D(2025, 11, 1), "month")),
    ("The bridge was first hit ten years ago.", (D(2015, 12, 1), "month")),
    ("The bridge was first hit a year ago.", (D(2024, 12, 1), "month")),
])
def test_resolve_date(text: str, expected: tuple[dt.date, str]) -> None:
    assert resolve_date(text, PUB) == expected


@pytest.mark.parametrize("text", [
    "Thousands joined a march in the capital.",
    "March in the capital drew thousands.",
    "Officials may meet again soon.",
    "Black Friday sales were muted.",
    "The interview aired on Russia Today.",
    "No date here at all.",
    "",
])
def test_no_date_expression(text: str) -> None:
    assert resolve_date(text, PUB) == (None, "unknown")
    assert find_date_expressions(text) == []


def test_march_with_preposition_or_day_is_a_date() -> None:
    assert resolve_date("Protests began in March.", PUB) == (D(2025, 3, 1), "month")
    assert resolve_date("Protests began on March 3.", PUB) == (D(2025, 3, 3), "day")


def test_future_date_more_than_two_months_ahead_means_previous_year() -> None:
    assert resolve_date("It happened on February 10.", PUB) == (D(2025, 2, 10), "day")
    assert resolve_date("It happened on January 20.", PUB) == (D(2026, 1, 20), "day")


def test_early_january_date_in_a_late_december_article_is_next_year() -> None:
    assert resolve_date("Talks on January 3.", D(2025, 12, 30)) == (D(2026, 1, 3), "day")


def test_weekday_equal_to_published_weekday_is_that_day() -> None:
    assert resolve_date("Attacks on Wednesday.", PUB) == (PUB, "day")


def test_weekend_published_on_sunday() -> None:
    assert resolve_date("Over the weekend, drones attacked.", D(2025, 11, 30)) == (D(2025, 11, 29), "week")


def test_invalid_calendar_date_is_unknown() -> None:
    assert resolve_date("on February 30", PUB) == (None, "unknown")


def test_leap_day_without_year_finds_a_leap_year() -> None:
    assert resolve_date("on February 29", D(2024, 3, 10)) == (D(2024, 2, 29), "day")


def test_without_published_date_only_explicit_years_resolve() -> None:
    assert resolve_date("on Monday", None) == (None, "unknown")
    assert resolve_date("on 19 November", None) == (None, "unknown")
    assert resolve_date("on 19 November 2025", None) == (D(2025, 11, 19), "day")
    assert resolve_date("in October 2025", None) == (D(2025, 10, 1), "month")
    assert resolve_date("2025-11-20", None) == (D(2025, 11, 20), "day")


def test_datetime_published_is_accepted() -> None:
    assert resolve_date("yesterday", dt.datetime(2025, 12, 3, 9, 0)) == (D(2025, 12, 2), "day")


def test_reporting_date_yields_to_event_date() -> None:
    text = "The governor said on Tuesday that drones attacked overnight."
    assert resolve_date(text, PUB) == (PUB, "day")
    text = "Kyiv told Reuters on Monday that the depot was hit on Saturday."
    assert resolve_date(text, PUB) == (D(2025, 11, 29), "day")


def test_reporting_date_is_used_when_it_is_the_only_one() -> None:
    assert resolve_date("The ministry said on Tuesday that two were hurt.", PUB) == (D(2025, 12, 2), "day")


def test_period_bounds_yield_to_event_date() -> None:
    text = "Power has been out since Monday after the strike on Sunday."
    assert resolve_date(text, PUB) == (D(2025, 11, 30), "day")


def test_first_event_date_wins() -> None:
    text = "Drones hit Odesa on Monday and Kharkiv on Tuesday."
    assert resolve_date(text, PUB) == (D(2025, 12, 1), "day")


def test_find_date_expressions_spans() -> None:
    text = "On Monday, officials said the strike of 19 November and yesterday's raid were linked."
    spans = find_date_expressions(text)
    assert [s for _, _, s in spans] == ["On Monday", "19 November", "yesterday"]
    for start, end, surface in spans:
        assert text[start:end] == surface


def test_merged_expression_is_one_span() -> None:
    text = "It was hit yesterday (30 November), they said."
    assert find_date_expressions(text) == [(11, 34, "yesterday (30 November)")]


def test_resolve_expression_on_a_found_surface() -> None:
    text = "The dam was hit on November 19 and shelled again last week."
    (_, _, first), (_, _, second) = find_date_expressions(text)
    assert resolve_expression(first, PUB) == (D(2025, 11, 19), "day")
    assert resolve_expression(second, PUB) == (D(2025, 11, 24), "week")


def test_numbers_next_to_months_are_not_swallowed() -> None:
    assert resolve_date("In March 40 soldiers were captured.", PUB) == (D(2025, 3, 1), "month")


def test_a_long_text_resolves_to_its_first_strong_expression() -> None:
    """Speed lives in benchmarks/bench_dates.py; here: a long text is scanned whole, and a repeated
    (cached) call gives the same answer as the first."""
    text = ("A march in the capital drew crowds, officials said on Tuesday. " * 200
            + "Drones struck Kharkiv on 19 November.")
    assert resolve_date(text, PUB) == (D(2025, 11, 19), "day")
    assert resolve_date(text, PUB) == (D(2025, 11, 19), "day")
    assert resolve_date(text, dt.datetime(2025, 12, 3, 9, 30)) == (D(2025, 11, 19), "day")


@pytest.mark.parametrize("text,expected", [
    ("Envoys will meet Tuesday in Geneva.", (D(2025, 12, 9), "day")),
    ("The minister is due to arrive on Friday.", (D(2025, 12, 5), "day")),
    ("Delegations will hold talks on Wednesday.", (PUB, "day")),
    ("The drone that hit Sumy on Tuesday will be examined.", (D(2025, 12, 2), "day")),
    ("Troops must withdraw by Friday.", (D(2025, 12, 5), "day")),
])
def test_future_tense_weekday_points_forward(text: str, expected: tuple[dt.date, str]) -> None:
    assert resolve_date(text, PUB) == expected


def test_preposition_before_explicit_date_keeps_the_day() -> None:
    assert resolve_date("The deal must be signed by November 27.", PUB) == (D(2025, 11, 27), "day")
    assert find_date_expressions("signed by November 27.") == [(7, 21, "by November 27")]
    assert resolve_date("Fighting eased after 19 November.", PUB) == (D(2025, 11, 19), "day")


def test_period_start_month_is_weak() -> None:
    text = "Since October the front moved; the town fell on 20 November."
    assert resolve_date(text, PUB) == (D(2025, 11, 20), "day")


def test_future_verb_before_a_past_clause_does_not_shift_the_weekday() -> None:
    text = "Kyiv will respond after drones hit Kursk on Monday."
    assert resolve_date(text, PUB) == (D(2025, 12, 1), "day")
