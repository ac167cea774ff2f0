"""When: the day of an event, from the date expressions around its trigger (geo.dates resolves them).

The expression nearest the trigger wins (one before it counts as closer: "On Monday, drones hit X"),
except one inside a relative clause ("X, which was shelled on Monday, ...": that dates the aside),
or one that dates the report ("officials said on Tuesday") when another is there, or one after
"since", a cause ("following strikes on Friday") or a later action ("until it was put out on
Thursday"). With none in the sentence: the date of the previous dated sentence of the same paragraph, or of the article, when it
falls within a week before publication (a story tells one day's events); else the published date
(news reports what happened since the last edition).
"""
from __future__ import annotations

import datetime as dt
import re

from geo.dates import find_date_expressions, resolve_date, resolve_expression
from geo.events.triggers import Trigger

Dated = tuple[dt.date | None, str]
_ASIDE = re.compile(r",\s*(?:where|which|who|whose)\b[^,]*(?:,|[.!?]?\s*$)", re.I)  # to its comma or the end
_SINCE = re.compile(r"\b(?:since|ever since)\b", re.I)
# "the attack came following Israeli strikes on ports on Friday": a date after these dates what caused it
_CAUSE = re.compile(r"\b(?:following|in response to|in retaliation for|in revenge for|to avenge|after)\s+"
                    r"(?:\w+[\s-]+){0,6}?(?:strikes?|attacks?|raids?|bombings?|shelling|assaults?|killings?|threats?)\b|"
                    # "rallied on Friday over the arrest of an activist on Monday": the later date is the arrest's
                    r"\b(?:against|over)\s+(?:\w+[\s-]+){0,4}?(?:killings?|deaths?|murders?|arrests?|detentions?|"
                    r"abductions?|kidnappings?|assassinations?)\b", re.I)
# "the depot burned for hours until it was put out on Thursday": a date after these dates
# a later action, not the trigger's
_LATER = re.compile(r"\b(?:before|until|till)\s+(?:(?:being|(?:it|they)\s+(?:was|were|had\s+been))\s+\w+|\w+(?:ed|ing))\b",
                    re.I)
# relative to the report's own day: a day the same sentence names ("overnight ... into Sunday") says which
_VAGUE = re.compile(r"(?:over\s?night|last\s+night|tonight|today|this\s+(?:morning|afternoon|evening)|"
                    r"earlier\s+today|in\s+the\s+early\s+hours|early\s+(?:morning|hours))", re.I)
_REPORT = re.compile(r"\b(?:said|says|told|reported|announced|added|stated|wrote|posted|confirmed|claimed)\s*,?\s*$")


def has_date(text: str, span: tuple[int, int]) -> bool:
    return bool(find_date_expressions(text[span[0]:span[1]]))


def sentence_date(text: str, published: dt.date | None) -> Dated:
    """The day a sentence tells of (what the next undated sentences inherit): a vague "overnight" gives
    way to a day the sentence names ("overnight, as attacks continued into Sunday")."""
    found = resolve_date(text, published)
    if not _VAGUE.search(text):
        return found  # most sentences: no second scan of their date expressions
    exprs = find_date_expressions(text)
    if not any(_VAGUE.fullmatch(x.strip()) for _, _, x in exprs):
        return found
    for start, _, surface in exprs:
        if not _VAGUE.fullmatch(surface.strip()) and not _REPORT.search(text[max(0, start - 25):start]):
            named = resolve_expression(surface, published)
            if named[0] is not None:
                return named
    return found


OWN, PREVIOUS, PUBLICATION = 0, 1, 2  # where an event's day comes from (a merge prefers the lower)


def event_date(text: str, sent: tuple[int, int], trig: Trigger, published: dt.date | None,
               prev: Dated, same_paragraph: bool = False) -> tuple[Dated, int]:
    """The trigger's day and where it comes from: its own sentence (OWN), else the previous dated
    sentence of the last week (PREVIOUS), else the publication (PUBLICATION). An older day told
    earlier in the same paragraph carries on too ("In May last year, rebels crossed the
    border. Within days they had taken X": last year's, not today's)."""
    best = _own_date(text, sent, trig, published)
    if best is not None:
        return best, OWN
    if prev[0] is not None and published and 0 <= (published - prev[0]).days and (
            (published - prev[0]).days <= 7 or same_paragraph):
        return prev, PREVIOUS
    return ((published, "day") if published else (None, "unknown")), PUBLICATION


def _own_date(text: str, sent: tuple[int, int], trig: Trigger, published: dt.date | None) -> Dated | None:
    """The trigger's date from its own sentence, or None where the sentence gives it none (a date there
    may belong to something else: a report, the start of a period, a cause)."""
    s0, s1 = sent
    asides = [(s0 + m.start(), s0 + m.end()) for m in _ASIDE.finditer(text[s0:s1])
              if not s0 + m.start() < trig.start < s0 + m.end()]
    best: Dated | None = None
    best_d = 1e9
    explicit: Dated | None = None  # the nearest named day, which anchors a vague "overnight"
    explicit_d = 1e9
    vague = False
    for start, end, surface in find_date_expressions(text[s0:s1]):
        a, b = s0 + start, s0 + end
        if any(x <= a and b <= y for x, y in asides):
            continue
        d = trig.start - b if b <= trig.start else 2 * (a - trig.end) if a >= trig.end else 0
        if _REPORT.search(text[max(s0, a - 25):a]):
            d += 500  # dates the statement, not the event: only if nothing better
        elif a >= trig.end and (_SINCE.search(text, trig.end, a) or _CAUSE.search(text, trig.end, a)
                                or _LATER.search(text, trig.end, a)):
            continue  # "its longest strike since launching operations last week": the start of something else
        resolved = resolve_expression(surface, published)
        if resolved[0] is None:
            continue
        is_vague = bool(_VAGUE.fullmatch(surface.strip()))
        if d < best_d:
            best, best_d, vague = resolved, d, is_vague
        if d < 500 and d < explicit_d and not is_vague:
            explicit, explicit_d = resolved, d
    if vague and explicit is not None:
        return explicit
    return best


def past_reading(date: dt.date | None, published: dt.date | None) -> dt.date | None:
    """A fact cannot be dated after its report: "the October 7 attacks" in an August story (which a
    day and month alone would read as this autumn, a plan's reading) is last year's October 7."""
    if date is None or published is None or (date - published).days <= 2:
        return date
    try:
        return date.replace(year=date.year - 1)
    except ValueError:  # 29 February
        return date.replace(year=date.year - 1, day=28)
