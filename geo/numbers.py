"""Counts in news text: "at least 12", "nearly 9,600", "1.2 million", "dozens", "twenty-five".

Event extraction needs quantities (drones launched, people killed, homes without power), and news
states them in words as often as in digits. `find_counts` finds every count with its character
span; `parse_count` reads one phrase the caller already isolated.

Policy, following ACLED's coding practice:
- vague quantities take the lowest plausible figure: "several" and "a few" = 3, "a couple" = 2,
  "dozens" = 12, "scores of" = 20, "hundreds" = 100, "thousands" = 1,000, "tens of thousands" =
  10,000 (all in data/lexicons/numbers.json, so the policy is data, not code);
- "at least 12", "more than 40", "12 or more" use the stated figure and set `low_bound`;
  "nearly 9,600", "about 50", "up to 40" use the stated figure without `low_bound`;
- a range "10-15" takes its low end.

Not counts (skipped by `find_counts`): years ("in 2025"), ordinals ("28th Brigade"), compound
adjectives ("28-point plan", "three-day"), weapon and model names ("F-16", "S-300"), times
("10:30", "7 a.m."), percentages, money ("$5 billion", "millions of dollars"), days of the
month ("November 19"), labels ("Article 5") and number words inside names ("Channel One").
Bare "a"/"an" is not a count in running text (every "a drone" would be one); `parse_count("a")`
still returns 1.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Count", "find_counts", "parse_count"]


@dataclass(frozen=True, slots=True)
class Count:
    """A count found in text. `start`/`end` are str offsets (end exclusive) and include any
    qualifier ("at least"); `raw` is text[start:end]; `low_bound` means the true figure may be
    higher ("at least", "more than", "or more")."""

    start: int
    end: int
    value: int
    low_bound: bool
    raw: str


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int
    nl_before: bool = False  # a line break separates this token from the previous one

    @property
    def is_digit(self) -> bool:
        return self.text[0].isdecimal()  # not isdigit(): "¹" is a digit to isdigit() but no number to float()

    @property
    def is_word(self) -> bool:
        return self.text[0].isalpha()


_TOKEN = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?|[^\W\d_]+(?:['’][^\W\d_]+)?|\S")
# No count of people, weapons or homes comes near this (there are 8e9 people); a bigger figure is
# no count, and every count fits the store's BIGINT columns.
MAX_COUNT = 10**12
_HYPHENS = frozenset({"-", "–", "‑"})
_ONE_PRONOUN_BEFORE = frozenset({"no", "any", "every", "each", "the", "this", "that", "which"})


@lru_cache(maxsize=1)
def _lex() -> dict[str, Any]:
    """The word lists, loaded once from the installed geo_data package."""
    path = resources.files("geo_data") / "lexicons" / "numbers.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    phrases = lambda key: sorted((tuple(p.split()) for p in raw[key]), key=len, reverse=True)  # noqa: E731
    return {
        "units": raw["units"], "scales": raw["scales"], "articles": raw["articles"],
        "vague": sorted(((tuple(k.split()), v) for k, v in raw["vague"].items()),
                        key=lambda kv: len(kv[0]), reverse=True),
        "low_bound": phrases("low_bound"), "approximate": phrases("approximate"),
        "low_bound_after": phrases("low_bound_after"), "not_count_after": phrases("not_count_after"),
        "label_before": frozenset(raw["label_before"]), "currency": frozenset(raw["currency_before"]),
        "currency_after": frozenset(raw["currency_after"]),
        "not_plural": frozenset(raw["not_plural_noun"]), "plural_nouns": frozenset(raw["plural_nouns"]),
        "months": frozenset(raw["months"]),
    }


def _tokenize(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN.finditer(text):
        gap = text[toks[-1].end:m.start()] if toks else ""
        toks.append(_Tok(m.group(), m.group().lower(), m.start(), m.end(), "\n" in gap))
    return toks


def _match_phrase(toks: list[_Tok], i: int, phrases: list[tuple[str, ...]]) -> int:
    """Length in tokens of the longest phrase matching at toks[i], 0 if none.

    Phrases are whitespace-split lower-case words; punctuation such as "%" is its own token."""
    for words in phrases:
        if i + len(words) <= len(toks) and all(toks[i + k].low == w for k, w in enumerate(words)):
            return len(words)
    return 0


# ---------------------------------------------------------------- grammar (no context)

def _digits(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """'400,000', '1.2 million', '400 thousand', '10-15' -> (end index, value)."""
    number = float(toks[i].text.replace(",", ""))
    j = i + 1
    scales = _lex()["scales"]
    while j < len(toks) and toks[j].low in scales and toks[j].low != "dozen":
        number *= scales[toks[j].low]
        j += 1
    if not math.isfinite(number) or number != int(number):
        return None  # a decimal without a scale word is a measurement, not a count (nor is 1e999)
    if (j + 1 < len(toks) and j == i + 1 and toks[j].text in _HYPHENS and toks[j + 1].is_digit
            and toks[j].start == toks[i].end and toks[j + 1].start == toks[j].end):
        j += 2  # a range: keep its low end
    return j, int(round(number))


def _words(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """'twenty-five', 'one hundred and fifty', 'two thousand', 'a hundred', 'two dozen'."""
    lex = _lex()
    units, scales = lex["units"], lex["scales"]
    total = current = 0
    j, seen = i, False
    if toks[i].low in lex["articles"] and i + 1 < len(toks) and toks[i + 1].low in scales:
        current, j = 1, i + 1
    while j < len(toks):
        w = toks[j].low
        if w in units and (not seen or _joins_units(toks, j)):
            current += units[w]
        elif w in scales and (seen or current):
            current = max(current, 1) * scales[w]
            if scales[w] >= 1000:
                total, current = total + current, 0
        elif w in _HYPHENS and seen and j + 1 < len(toks) and _is_tens(toks[j - 1].low):
            j += 1
            continue
        elif w == "and" and seen and toks[j - 1].low in scales and j + 1 < len(toks):
            j += 1
            continue
        else:
            break
        seen, j = True, j + 1
    return (j, total + current) if seen else None


def _is_tens(word: str) -> bool:
    value = _lex()["units"].get(word, 0)
    return value >= 20 and value % 10 == 0


def _joins_units(toks: list[_Tok], j: int) -> bool:
    """Whether a unit word continues the number before it ('twenty-five', 'hundred and five')."""
    prev, units = toks[j - 1].low, _lex()["units"]
    small = units.get(toks[j].low, 99) < 10
    if prev in _HYPHENS:
        return small and _is_tens(toks[j - 2].low)
    if prev == "and" or prev in _lex()["scales"]:
        return True
    return _is_tens(prev) and small


def _vague(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """'several', 'dozens', 'tens of thousands'; 'several hundred' = 3 x 100 (lowest plausible)."""
    scales = _lex()["scales"]
    for words, value in _lex()["vague"]:
        if _match_phrase(toks, i, [words]):
            j = i + len(words)
            if j < len(toks) and toks[j].low in scales and toks[j].low != "dozen" and value < 100:
                return j + 1, value * scales[toks[j].low]
            return j, value
    return None


def _number_at(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """The longest count starting at toks[i]: (end index, value); None above MAX_COUNT."""
    if toks[i].is_digit:
        found = _digits(toks, i)
    else:
        found = max((m for m in (_vague(toks, i), _words(toks, i)) if m), default=None, key=lambda m: m[0])
    return found if found is None or found[1] <= MAX_COUNT else None


# ---------------------------------------------------------------- context filters

def _prev(toks: list[_Tok], i: int, skip_dot: bool = False) -> _Tok | None:
    j = i - 1
    if skip_dot and j >= 0 and toks[j].text == ".":
        j -= 1
    return toks[j] if j >= 0 else None


def _is_year(toks: list[_Tok], i: int, end: int) -> bool:
    """A bare 4-digit 1900-2099 is a year unless a plural noun follows ('2000 troops')."""
    t = toks[i]
    if end != i + 1 or not (len(t.text) == 4 and t.text.isdecimal() and 1900 <= int(t.text) <= 2099):
        return False
    nxt = toks[end] if end < len(toks) else None
    if nxt is None or not nxt.is_word or not nxt.text.islower():
        return True
    lex = _lex()
    plural = nxt.low in lex["plural_nouns"] or (nxt.low.endswith("s") and len(nxt.low) > 3
                                               and nxt.low not in lex["not_plural"])
    return not plural


def _digit_context_ok(toks: list[_Tok], i: int, end: int, qualified: bool) -> bool:
    """Reject digits that are part of a name, time, ordinal, date, percentage or amount."""
    lex = _lex()
    t, prev = toks[i], _prev(toks, i)
    if prev is not None and prev.end == t.start:
        if prev.is_word or prev.text in {":", "#", "/"} or prev.low in lex["currency"]:
            return False
        if prev.text in _HYPHENS and (p2 := _prev(toks, i - 1)) and p2.end == prev.start and not p2.is_digit:
            return False  # F-16, Kh-101
    last = toks[end - 1]
    if end < len(toks):
        nxt = toks[end]
        if nxt.start == last.end and (nxt.is_word or nxt.text in {":", "%"}):
            return False  # 28th, 5km, 10:30, 40%
        if nxt.text in _HYPHENS and end + 1 < len(toks) and toks[end + 1].is_word:
            return False  # 28-point plan
        if _match_phrase(toks, end, lex["not_count_after"]) or _is_ampm(toks, end):
            return False
        if nxt.low in lex["months"] and nxt.text[0].isupper():
            return False  # 19 November
    pw = _prev(toks, i, skip_dot=True)
    if pw is not None and pw.is_word:
        if (pw.low in lex["months"] and pw.text[0].isupper()) or pw.low in lex["label_before"]:
            return False  # November 19, Nov. 19, Article 5
        if pw.low in lex["currency"]:
            return False
    return qualified or not _is_year(toks, i, end)


def _is_ampm(toks: list[_Tok], j: int) -> bool:
    """'a.m.' / 'p.m.' tokenize as a . m ."""
    return (j + 2 < len(toks) and toks[j].low in {"a", "p"} and toks[j + 1].text == "."
            and toks[j + 2].low == "m" and toks[j + 1].start == toks[j].end)


def _is_money(toks: list[_Tok], end: int) -> bool:
    """'five million dollars', 'hundreds of millions of euros' are amounts, not counts."""
    j = end + 1 if end < len(toks) and toks[end].low == "of" else end
    return j < len(toks) and toks[j].low in _lex()["currency_after"]


def _word_context_ok(toks: list[_Tok], i: int, end: int) -> bool:
    """Reject 'no one', 'one another', 'three-day', and number words inside names ('Channel One')."""
    t, prev = toks[i], _prev(toks, i)
    if t.low == "one" and end == i + 1:
        if (prev and prev.low in _ONE_PRONOUN_BEFORE) or (end < len(toks) and toks[end].low == "another"):
            return False
    if end < len(toks) and toks[end].text in _HYPHENS and toks[end].start == toks[end - 1].end:
        return False  # three-day, five-storey
    if (t.text[0].isupper() and prev is not None and not t.nl_before and prev.is_word
            and prev.text[0].isupper()):
        return False  # Channel One, Group of Seven is left alone (lower-case 'of')
    return True


# ---------------------------------------------------------------- public API

def _count_at(toks: list[_Tok], i: int, contextual: bool) -> tuple[int, int, bool] | None:
    """(end index, value, low_bound) for a count with optional qualifier starting at toks[i]."""
    lex = _lex()
    low_q = _match_phrase(toks, i, lex["low_bound"])
    approx_q = 0 if low_q else _match_phrase(toks, i, lex["approximate"])
    j = i + (low_q or approx_q)
    if j >= len(toks):
        return None
    found = _number_at(toks, j)
    if found is None:
        return None
    end, value = found
    if contextual:
        ok = (_digit_context_ok(toks, j, end, qualified=j > i) if toks[j].is_digit
              else _word_context_ok(toks, j, end))
        if not ok or _is_money(toks, end):
            return None
    after = _match_phrase(toks, end, lex["low_bound_after"])
    if after and toks[end].text == "+" and toks[end].start != toks[end - 1].end:
        after = 0  # "12 + 3" is arithmetic, "12+" is a lower bound
    return end + after, value, bool(low_q or after)


def find_counts(text: str) -> list[Count]:
    """Every count in `text`, left to right, non-overlapping, with str offsets."""
    return list(_find_counts(text))


@lru_cache(maxsize=64)
def _find_counts(text: str) -> tuple[Count, ...]:
    """Cached: extraction asks once per trigger, and a clause with many triggers is the same text
    each time (without the cache, a long clause full of triggers cost quadratic time)."""
    toks = _tokenize(text)
    out: list[Count] = []
    i = 0
    while i < len(toks):
        hit = _count_at(toks, i, contextual=True)
        if hit is None:
            i += 1
            continue
        end, value, low = hit
        start, stop = toks[i].start, toks[end - 1].end
        out.append(Count(start, stop, value, low, text[start:stop]))
        i = end
    return tuple(out)


def parse_count(phrase: str) -> int | None:
    """The value of a count phrase the caller isolated ('at least 12', 'dozens', 'a', '2025').

    No context filters apply (the caller decided it is a count), so a year-like figure is read
    as a number; a phrase starting with 'a'/'an' and no number word ('a drone') is 1."""
    toks = _tokenize(phrase.strip())
    if not toks:
        return None
    hit = _count_at(toks, 0, contextual=False)
    if hit is not None:
        end = hit[0]
        glued = end < len(toks) and toks[end].start == toks[end - 1].end
        if glued and (toks[end].is_word or toks[end].text in {"%", ":"}):
            return None  # '28th', '40%', '10:30'
        return hit[1]
    return _lex()["articles"].get(toks[0].low)
