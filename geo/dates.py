"""Event dates: which day does "on Monday", "overnight" or "on November 19" mean?

News dates events relative to publication ("yesterday", "late Monday", "last week"). This module
finds the date expressions of a sentence (`find_date_expressions`, with spans, so the caller can
prefer the one closest to the event trigger) and resolves one against the article's published
date (`resolve_date`, `resolve_expression`), giving a `datetime.date` and an ACLED-style precision:
"day", "week", "month" or "unknown".

Resolution rules (why: ACLED coding practice and how wire copy uses these words):
- a weekday is the most recent such day on or before publication (the publication day itself if
  the weekday matches); "last Monday" is strictly before, "next Monday" strictly after; after a
  future-tense verb ("will meet Tuesday", "is due to arrive on Friday") or "by"/"until" it is
  the next such day on or after publication;
- "today", "tonight", "this morning", and also "overnight" / "last night" are the published day
  (ACLED codes an overnight attack reported in the morning to the report's date);
  "yesterday" is the day before; an explicit date next to it wins ("yesterday (30 November)");
- a day and month without a year ("19 November", "Nov. 19") takes the published year, unless that
  lands more than ~2 months after publication, when it is the previous year (or the next year when
  an early-January date is read in late December);
- "last week" / "this week" / "next week" give that week's Monday, precision "week"; "the weekend"
  gives the last Saturday on or before publication, precision "week"; "in the past week" gives
  the start of the seven days before publication, "over the past few days" two days before it;
- "last month", "in October", "earlier this month" give the first day of the month, "month";
- "N days/weeks/months/years ago" count back from publication.
A month name alone is a date only with a day number, a year or a preposition ("in March", "on March
3"), so "a march in the capital" is not one. Numeric dates ("19.11.2025", "11/19/2025") and odd
explicit forms go to `dateparser` (cached, called only on spans the regexes found); the common
forms are resolved here with `datetime` arithmetic, deterministically and fast.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from geo.limits import EARLIEST_DATE, LATEST_DATE
from geo.numbers import parse_count

__all__ = ["find_date_expressions", "resolve_date", "resolve_expression"]

Resolved = tuple[dt.date | None, str]
UNKNOWN: Resolved = (None, "unknown")
FUTURE_SLACK = dt.timedelta(days=62)  # "~2 months": further ahead means last year's date

_MONTH_NUM = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_NUM |= {abbr.lower(): i for i, abbr in enumerate(calendar.month_abbr) if abbr}
_MONTH_NUM["sept"] = 9
_WEEKDAY_NUM = {name.lower(): i for i, name in enumerate(calendar.day_name)}

_MONTH = (r"(?P<month>" + "|".join(sorted((m.title() for m in _MONTH_NUM), key=len, reverse=True))
          + r")(?![a-z])\.?")  # capitalised only: "march" (a protest) and "may" (a verb) are not months
_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d:%])"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d)(?!\d))?"
_WD = r"(?i:" + "|".join(_WEEKDAY_NUM) + r")"
_PREP = r"(?:(?i:on|by|since|until|from|before|after|through|as of)\s+)?"
_WD_PREFIX = rf"{_PREP}(?:{_WD},?\s+)?"  # "by Monday, November 24": the explicit date decides
# "Dec. 10-15", "December 10 to 15", "between December 10 and 15": a span, dated by its last day
_RANGE = (r"(?:\s*(?:[-–]|(?i:to|through|until))\s*(?P<day2>\d{1,2})(?!\d|[.,:/]\d)(?!\s+[a-z])"
          r"|\s+and\s+(?P<day3>\d{1,2})(?=\s*(?:[,.;)]|$|\s+(?:19|20)\d\d)))?")

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(kind, re.compile(rx)) for kind, rx in [
    ("iso", r"(?<![\d-])(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
    ("numeric", r"(?<![\d./])\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d(?!\d)"),
    ("md", rf"{_WD_PREFIX}\b{_MONTH}\s+{_DAY}{_RANGE}{_YEAR}"),
    ("dm", rf"{_WD_PREFIX}(?i:the\s+)?(?<![\d.,:/])\b{_DAY}{_RANGE}(?:\s+of)?\s+{_MONTH}{_YEAR}"),
    ("month", r"(?i:\b(?P<cue>in|during|since|until|by|from|before|after|of|last|this|next|early|"
              r"late|mid|earlier in|later in)[\s-]+)(?:(?i:early|late|mid)[\s-]+)?" + _MONTH
              + r"(?!\s+(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b(?!\s+[a-z]))(?:\s+(?P<year>(?:19|20)\d\d)(?!\d))?"),  # not "of April 29": a day
    ("month", rf"\b{_MONTH}\s+(?P<year>(?:19|20)\d\d)(?!\d)"),
    ("weekday", r"(?i:\b(?:(?P<prep>on|from|since|until|by|through)\s+)?"
                r"(?:(?P<mod>late|early|last|next|this coming|this|past)\s+)?(?:on\s+)?)"
                rf"\b(?P<weekday>{_WD})\b(?:\s+(?i:morning|afternoon|evening|night)\b)?"),
    ("rel", r"(?i:\b(?P<rel>the day before yesterday|yesterday|tomorrow|today|tonight|"
            r"this morning|this afternoon|this evening|earlier today|later today|"
            r"late last night|last night|overnight)\b(?:\s+(?:morning|afternoon|evening|night)\b)?)"),
    ("rolling_week", r"(?i:\b(?:(?:over|in|during|for|within)\s+)?the\s+(?:past|last)\s+"
                     r"(?:week|seven days|7 days|few days|several days)\b|\bin recent days\b)"),
    ("week", r"(?i:\b(?:(?:earlier|later|early|late)\s+)?(?P<wk>this|last|next|past)\s+week\b)"),
    ("weekend", r"(?i:\b(?:(?:at|over|during|on|through|since)\s+)?"
                r"(?P<we>the|this|last|next|past)\s+weekend\b)"),
    ("month_rel", r"(?i:\b(?:(?:earlier|later|early|late)\s+)?(?P<mr>this|last|next|past)\s+month\b)"),
    ("ago", r"(?i:\b(?P<n>a few|a couple of|several|an?|\d+|[a-z]+(?:-[a-z]+)?)\s+"
            r"(?P<unit>day|week|month|year)s?\s+ago\b)"),
]]

# Weekday names inside names of days that are not dates of this week.
_NOT_A_WEEKDAY_BEFORE = re.compile(r"(?:Black|Cyber|Good|Holy|Ash|Bloody|Super)\s+$")
# A date right after a reporting verb dates the report, not the event ("officials said on Monday").
_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|say|told(?:\s+[A-Z][\w.]*){0,3}|reported|announced|added|stated|wrote|posted|"
    r"confirmed|claimed|denied|warned|statement)\s*,?\s*$")
_WEAK_PREP = re.compile(r"(?i)^(?:since|from|until|by|through|before|after|as of)\b")
# A future-tense verb just before a weekday points forward ("Putin will meet envoys Tuesday").
_FUTURE_BEFORE = re.compile(
    r"(?i)\b(?:will|shall|'ll|(?:is|are) (?:due|expected|set|scheduled) to|plans? to|is to|are to)"
    r"\b(?:(?!\b(?:after|when|since|because|following|that|which|who|as)\b)[^.;!?\n]){0,40}$")
_MERGE_GAP = re.compile(r"\s*[(,]\s*")  # "yesterday (30 November)", "Monday, December 1"
_WEEK_GAP = re.compile(r"(?i)\s+(?:of\s+)?")
_NIGHT_GAP = re.compile(r"(?i)\s+(?:into\s+|to\s+)?")  # "overnight into Monday", "overnight on Sunday"
_EXPLICIT = frozenset({"iso", "numeric", "md", "dm"})


@dataclass(frozen=True, slots=True)
class _Expr:
    start: int
    end: int
    kind: str
    match: re.Match[str]  # the part that fixes the date (for a merged expression, the explicit one)
    weak: bool = False  # dates a report or the start/end of a period, not the event itself
    future: bool = False  # a weekday after "will ...": the next such day, not the last
    weekday: int | None = None  # "Wednesday this week": the day of the week `match` names


# Every pattern needs a digit, a month or weekday name, or one of these words: a text with none has no date.
_ANY_DATE = re.compile(r"\d|(?i:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|"
                       r"yesterday|tomorrow|today|tonight|overnight|night|morning|afternoon|evening|week|weekend|"
                       r"month|year|ago|past|recent))")


def _candidates(text: str) -> list[_Expr]:
    if not _ANY_DATE.search(text):
        return []
    found = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            if kind == "weekday" and _NOT_A_WEEKDAY_BEFORE.search(text, 0, m.start("weekday")):
                continue
            if kind == "rel" and _is_name_part(text, m):
                continue
            found.append(_Expr(m.start(), m.end(), kind, m))
    return found


def _is_name_part(text: str, m: re.Match[str]) -> bool:
    """'Russia Today', 'USA Today' are media outlets, not dates."""
    return m.group()[0].isupper() and re.search(r"[A-Z][\w.]*\s+$", text[:m.start()]) is not None \
        and not re.search(r"[.!?:\n]\s*$", text[:m.start()])


def _non_overlapping(exprs: list[_Expr]) -> list[_Expr]:
    """Keep the earliest, then longest, expression where several overlap."""
    out: list[_Expr] = []
    for e in sorted(exprs, key=lambda e: (e.start, -(e.end - e.start))):
        if not out or e.start >= out[-1].end:
            out.append(e)
    return out


def _merge(text: str, exprs: list[_Expr]) -> list[_Expr]:
    """Join a relative word with the explicit date that glosses it; the explicit one wins."""
    out: list[_Expr] = []
    for e in exprs:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "weekday" and e.kind == "week" and _WEEK_GAP.fullmatch(
                text[prev.end:e.start]):  # "on Wednesday this week", "Monday of last week"
            out[-1] = replace(e, start=prev.start, kind="weekday_week",
                              weekday=_WEEKDAY_NUM[prev.match["weekday"].lower()])
        elif prev is not None and _glosses(text, prev, e):
            end = e.end + (1 if text[e.end:e.end + 1] == ")" and "(" in text[prev.end:e.start] else 0)
            out[-1] = replace(e, start=prev.start, end=end)
        else:
            out.append(e)
    return out


def _glosses(text: str, prev: _Expr, e: _Expr) -> bool:
    gap = text[prev.end:e.start]
    if prev.kind in {"rel", "weekday"} and e.kind in _EXPLICIT and _MERGE_GAP.fullmatch(gap):
        return True
    night = prev.kind == "rel" and prev.match.group("rel").lower() in {"overnight", "last night"}
    return night and e.kind in _EXPLICIT | {"weekday"} and _NIGHT_GAP.fullmatch(gap) is not None


def _mark(text: str, e: _Expr) -> _Expr:
    """Flag report/period dates as weak, and weekdays after a future-tense verb as future."""
    before = text[max(0, e.start - 60):e.start]
    span = e.kind in {"md", "dm"} and bool(e.match["day2"] or e.match["day3"])  # "from Dec. 10 to 15": the event's span
    weak = bool(_REPORTING_BEFORE.search(before[-40:]) or (_WEAK_PREP.match(text[e.start:e.end]) and not span))
    future = e.kind == "weekday" and bool(_FUTURE_BEFORE.search(before))
    return replace(e, weak=weak, future=future) if weak or future else e


@lru_cache(maxsize=8192)
def _expressions(text: str) -> tuple[_Expr, ...]:
    """The expressions of `text`, cached: the extractor asks again for the same sentence (its date,
    each trigger's date, the modality tests), and the scan runs every date pattern over it."""
    exprs = _merge(text, _non_overlapping(_candidates(text)))
    return tuple(_mark(text, e) for e in exprs)


def find_date_expressions(text: str) -> list[tuple[int, int, str]]:
    """Every date expression in `text` as (start, end, surface), left to right, non-overlapping.

    A relative word glossed by an explicit date ("yesterday (30 November)") is one expression."""
    return [(e.start, e.end, text[e.start:e.end]) for e in _expressions(text)]


def resolve_expression(expression: str, published: dt.date | None) -> Resolved:
    """Resolve one expression (e.g. a surface from `find_date_expressions`) against `published`."""
    return resolve_date(expression, published)


def resolve_date(text: str, published: dt.date | None) -> Resolved:
    """(date, precision) of the date expression `text` most likely refers to, else (None, "unknown").

    Expressions that date a report ("said on Tuesday") or bound a period ("since Monday") are used
    only when the text has no other; otherwise the first expression that resolves wins. The caller
    decides what an undated sentence means (usually the published date)."""
    if isinstance(published, dt.datetime):
        published = published.date()
    return _resolve_date(text, published)


@lru_cache(maxsize=8192)
def _resolve_date(text: str, published: dt.date | None) -> Resolved:  # cached: asked again per trigger
    exprs = _expressions(text)
    ordered = [e for e in exprs if not e.weak] + [e for e in exprs if e.weak]
    for e in ordered:
        try:
            resolved = _resolve(e, published)
        except (ValueError, OverflowError):  # "99999999999 days ago": no date the calendar holds
            continue
        if resolved[0] is not None and EARLIEST_DATE <= resolved[0] <= LATEST_DATE:
            return resolved
    return UNKNOWN


# ---------------------------------------------------------------- resolution by kind

def _resolve(e: _Expr, pub: dt.date | None) -> Resolved:
    m = e.match
    if e.kind == "iso":
        return _safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    if e.kind == "numeric":
        return _dateparser(m.group(), pub)
    if e.kind in {"md", "dm"}:
        return _day_month(_span_day(m), _MONTH_NUM[m["month"].lower()], m["year"], pub)
    if e.kind == "month":
        return _month(m, pub)
    if pub is None:
        return UNKNOWN
    if e.kind == "weekday":
        return _weekday(m, pub, e.future)
    if e.kind == "weekday_week":
        return _week(m, pub)[0] + dt.timedelta(days=e.weekday or 0), "day"
    resolver = {"rel": _relative, "rolling_week": _rolling_week,
                "week": _week, "weekend": _weekend, "month_rel": _month_rel, "ago": _ago}[e.kind]
    return resolver(m, pub)


def _span_day(m: re.Match[str]) -> int:
    """The day of a day or a span: its last day ("from Dec. 10 to 15": what happened after it, on the 15th),
    but the first of two adjacent days ("the night of 19-20 November" began on the 19th)."""
    first, last = int(m["day"]), int(m["day2"] or m["day3"] or m["day"])
    return first if last - first == 1 else last


def _safe_date(year: int, month: int, day: int, precision: str = "day") -> Resolved:
    try:
        return dt.date(year, month, day), precision
    except ValueError:
        return UNKNOWN


def _nearest_year(month: int, day: int, pub: dt.date) -> dt.date | None:
    """The latest of last/this/next year's date that is at most ~2 months after publication."""
    for year in (pub.year + 1, pub.year, pub.year - 1):
        try:
            d = dt.date(year, month, day)
        except ValueError:
            continue
        if d <= pub + FUTURE_SLACK:
            return d
    return None


def _day_month(day: int, month: int, year: str | None, pub: dt.date | None) -> Resolved:
    if year:
        return _safe_date(int(year), month, day)
    if pub is None:
        return UNKNOWN
    d = _nearest_year(month, day, pub)
    return (d, "day") if d else UNKNOWN


def _month(m: re.Match[str], pub: dt.date | None) -> Resolved:
    month = _MONTH_NUM[m["month"].lower()]
    if m["year"]:
        return dt.date(int(m["year"]), month, 1), "month"
    if pub is None:
        return UNKNOWN
    cue = (m.groupdict().get("cue") or "").lower()
    if cue == "last":  # the most recent such month before the current one
        year = pub.year if month < pub.month else pub.year - 1
    elif cue == "next":
        year = pub.year if month > pub.month else pub.year + 1
    else:
        return _nearest_year(month, 1, pub), "month"
    return dt.date(year, month, 1), "month"


def _weekday(m: re.Match[str], pub: dt.date, future: bool = False) -> Resolved:
    wd = _WEEKDAY_NUM[m["weekday"].lower()]
    mod = (m["mod"] or "").lower()
    prep = (m["prep"] or "").lower()
    if mod in {"next", "this coming"}:
        return pub + dt.timedelta(days=(wd - pub.weekday() - 1) % 7 + 1), "day"
    if (future and mod not in {"last", "past"}) or prep in {"until", "by"}:  # on or after publication
        return pub + dt.timedelta(days=(wd - pub.weekday()) % 7), "day"
    back = (pub.weekday() - wd) % 7
    if mod in {"last", "past"} and back == 0:
        back = 7
    return pub - dt.timedelta(days=back), "day"


def _relative(m: re.Match[str], pub: dt.date) -> Resolved:
    word = m["rel"].lower()
    offset = {"yesterday": -1, "the day before yesterday": -2, "tomorrow": 1}.get(word, 0)
    return pub + dt.timedelta(days=offset), "day"


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _week(m: re.Match[str], pub: dt.date) -> Resolved:
    shift = {"last": -7, "past": -7, "next": 7}.get(m["wk"].lower(), 0)
    return _monday(pub) + dt.timedelta(days=shift), "week"


def _rolling_week(m: re.Match[str], pub: dt.date) -> Resolved:
    """"in the past week": its first day; "over the past few days", "in recent days": a span of about
    three days up to the report, dated at its middle (two days before)."""
    if re.search(r"(?i)\b(?:few|several|recent)\s+days\b", m.group()):
        return pub - dt.timedelta(days=2), "week"
    return pub - dt.timedelta(days=7), "week"


def _weekend(m: re.Match[str], pub: dt.date) -> Resolved:
    back = (pub.weekday() - calendar.SATURDAY) % 7
    if m["we"].lower() == "next":
        return pub + dt.timedelta(days=(7 - back) % 7 or 7), "week"
    return pub - dt.timedelta(days=back), "week"


def _add_months(d: dt.date, months: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_rel(m: re.Match[str], pub: dt.date) -> Resolved:
    shift = {"last": -1, "past": -1, "next": 1}.get(m["mr"].lower(), 0)
    return _add_months(pub, shift), "month"


def _ago(m: re.Match[str], pub: dt.date) -> Resolved:
    n = parse_count(m["n"])
    if n is None:
        return UNKNOWN
    vague = m["n"].lower() in {"a few", "a couple of", "several"}
    unit = m["unit"].lower()
    if unit == "month":
        return _add_months(pub, -n), "month"
    if unit == "year":  # "ten years ago": background history; month is the coarsest precision there is
        return _add_months(pub, -12 * n), "month"
    days = n * (7 if unit == "week" else 1)
    precision = "week" if unit == "week" or vague else "day"
    return pub - dt.timedelta(days=days), precision


@lru_cache(maxsize=4096)
def _dateparser(surface: str, pub: dt.date | None) -> Resolved:
    """Numeric and unusual explicit dates; dateparser knows the formats (slow, hence the cache)."""
    import dateparser  # imported lazily: it loads language data on first use

    settings = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"]}
    if pub is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(pub, dt.time())
    parsed = dateparser.parse(surface, languages=["en"], settings=settings)
    return (parsed.date(), "day") if parsed else UNKNOWN
