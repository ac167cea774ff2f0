"""Counts in news text: "at least 12", "nearly 9,600", "12 000", "1.2 million", "dozens", "a score of".

Event extraction needs quantities (drones launched, people killed, homes without power), and news
states them in words as often as in digits. `find_counts` finds every count with its character
span; `parse_count` reads one phrase the caller already isolated.

How: every count phrase of the lexicon (qualifiers, vague quantities, number words, digits with
their thousands separators and scale words, ranges) is compiled ONCE into a single regular
expression (`_grammar`), so a text is scanned by one pattern, not phrase by phrase at every token.
Each candidate the pattern finds is then valued and checked against its context (a few characters
either side), which is where years, times and money are told apart from counts.

Policy, following ACLED's coding practice:
- vague quantities take the lowest plausible figure: "several" and "a few" = 3, "a couple" = 2,
  "dozens" = 12, "a score of" / "scores of" = 20, "hundreds" = 100, "thousands" = 1,000, "tens of
  thousands" = 10,000 (all in data/lexicons/numbers.json, so the policy is data, not code);
- "at least 12", "more than 40", "12 or more" use the stated figure and set `low_bound`;
  "nearly 9,600", "about 50", "up to 40" use the stated figure and set `approximate`;
- a range keeps its LOW end as `value` and its high end in `high` ("10-15", "10 to 15", "two or
  three", "between 10 and 15"), as ACLED records the lowest reported figure; "from 10 to 15" is a
  change, not a range (two counts);
- thousands separators: "12,000", "12 000" (also no-break and thin spaces) and "12.000" are 12,000;
  a decimal needs a scale word ("1.5 million", also "1,5 million"): "4.5" alone is a measurement.
  "3, 4" is a list (two counts).

Not counts (skipped by `find_counts`): years ("in 2025", "2022-2023"), ordinals ("28th Brigade"),
compound adjectives ("28-point plan", "three-day"), weapon and model names ("F-16", "S-300"), times
("10:30", "7 a.m.", "0600 GMT"), percentages, money ("$5 billion", "millions of dollars"), days of
the month ("November 19"), labels ("Article 5") and number words inside names ("Channel One").
Bare "a"/"an" is not a count in running text (every "a drone" would be one); `parse_count("a")`
still returns 1.

Bounds (issue 16): a figure above `MAX_COUNT` (ten billion, more than the world's population) or
with more than `_MAX_DIGITS` digits cannot be a count of people, weapons or homes and is rejected
here, at the parse boundary ("1e999", "10^30", "99999999999999999999" give no count), so no
overflow or INT64 error can happen downstream.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["Count", "MAX_COUNT", "find_counts", "parse_count"]

MAX_COUNT = 10_000_000_000
_MAX_DIGITS = 13

_HYPHENS = "-–‑—"
_GAP = "[ \u00a0\u202f\u2009]"  # the spaces that separate thousands: plain, no-break, narrow no-break, thin
_ONE_PRONOUN_BEFORE = frozenset({"no", "any", "every", "each", "the", "this", "that", "which"})


@dataclass(frozen=True, slots=True)
class Count:
    """A count found in text. `start`/`end` are str offsets (end exclusive) and include any
    qualifier ("at least", "between"); `raw` is text[start:end]; `value` is the figure kept (the low
    end of a range); `low_bound` means the true figure may be higher ("at least", "more than", "or
    more"); `approximate` that it is vague or rounded ("about", "dozens", a range); `high` is the
    upper end of a stated range, else None."""

    start: int
    end: int
    value: int
    low_bound: bool
    raw: str
    approximate: bool = False
    high: int | None = None

    @property
    def low(self) -> int:
        """The lower end (the value kept): ACLED records the lowest reported figure."""
        return self.value


# ---------------------------------------------------------------- the one compiled grammar

def _alt(phrases: Any) -> str:
    """A regex alternation of lower-case phrases (words joined by any whitespace), factored as a
    character trie so a position that starts no phrase fails on its first character; at every
    branch the longer continuation is tried first, so the longest phrase wins."""
    trie: dict[str, Any] = {}
    for p in set(phrases):
        node = trie
        for ch in " ".join(p.split()):
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict[str, Any]) -> str:
        branches = [(r"\s+" if ch == " " else re.escape(ch)) + walk(sub) for ch, sub in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(trie)


@lru_cache(maxsize=1)
def _grammar() -> dict[str, Any]:
    """The word lists of data/lexicons/numbers.json and the one pattern compiled from them."""
    raw = json.loads((resources.files("geo_data") / "lexicons" / "numbers.json").read_text(encoding="utf-8"))
    units: dict[str, int] = raw["units"]
    ones = _alt(w for w, v in units.items() if 1 <= v <= 9)
    teens = _alt(w for w, v in units.items() if 10 <= v <= 19)
    tens = _alt(w for w, v in units.items() if v >= 20)
    big = "thousand|million|billion"
    num99 = rf"(?:(?:{tens})(?:\s*[-‑]\s*|\s+)(?:{ones})\b|(?:{tens})\b|(?:{teens})\b|(?:{ones})\b|zero\b)"
    group = rf"(?:(?:{num99}\s+|an?\s+)hundred\b(?:\s+(?:and\s+)?{num99})?|{num99})"
    words = rf"(?:{group}|an?(?=\s+(?:{big})\b))(?:\s+(?:{big}|dozen)\b(?:\s+(?:and\s+)?{group})?)*"
    digits = (rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?"                   # 12,000  1,250,000
              rf"|\d{{1,3}}(?:{_GAP}\d{{3}})+(?!\d)"                     # 12 000
              rf"|\d{{1,3}}(?:\.\d{{3}})+(?!\s+(?:hundred|{big})\b)"      # 12.000
              rf"|\d+[.,]\d+(?=\s+(?:{big})\b)"                          # 1.5 million, 1,5 million
              rf"|\d+)(?!\d|[.,]\d)")
    scale = rf"(?:\s+(?:hundred|{big})\b)*"
    small_vague = _alt(k for k, v in raw["vague"].items() if v < 100)
    big_vague = _alt(k for k, v in raw["vague"].items() if v >= 100)
    number = (rf"(?:(?:{small_vague})\b(?:\s+(?:hundred|{big})\b)?|(?:{big_vague})\b"
              rf"|{digits}{scale}|{words})")
    pattern = (rf"(?<!\w)(?<!\d[.,])"
               rf"(?:(?P<lowq>{_alt(raw['low_bound'])})\s+|(?P<apq>{_alt(raw['approximate'])})\s+)?"
               rf"(?:(?P<btw>between)\s+)?"
               rf"(?P<n1>{number})"
               rf"(?:(?P<sep>\s*[{_HYPHENS}]\s*|\s+(?:to|or|and)\s+)(?P<n2>{number}))?"
               rf"(?P<after>\s+or\s+more\b|\s+plus\b|\+)?")
    lex = {k: frozenset(raw[k]) for k in ("label_before", "currency_before", "currency_after",
                                          "not_plural_noun", "plural_nouns", "months")}
    return {
        "rx": re.compile(pattern, re.I),
        "digits_rx": re.compile(rf"({digits})((?:\s+(?:hundred|{big})\b)*)", re.I),
        "after_rx": re.compile(r"\s+or\s+more\b|\s+plus\b|\+", re.I),
        "not_after_rx": re.compile(rf"\s*(?:{_alt(raw['not_count_after'])})(?!\w)", re.I),
        "money_after_rx": re.compile(rf"\s+(?:of\s+)?(?:{_alt(raw['currency_after'])})\b", re.I),
        "units": units, "scales": raw["scales"], "articles": raw["articles"],
        "vague": {" ".join(k.split()): v for k, v in raw["vague"].items()}, **lex,
    }


# ---------------------------------------------------------------- values

def _digits_value(raw: str) -> int | None:
    """'12,000' '12 000' '12.000' '1.5 million' '400 thousand' -> int; None for a bare decimal."""
    g = _grammar()
    m = g["digits_rx"].fullmatch(raw)
    if m is None:
        return None
    num, scales = m.group(1), m.group(2).lower().split()
    if sum(c.isdigit() for c in num) > _MAX_DIGITS:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", num):
        number = Decimal(num.replace(",", ""))
    elif re.fullmatch(rf"\d{{1,3}}(?:{_GAP}\d{{3}})+", num):
        number = Decimal(re.sub(_GAP, "", num))
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num) and not scales:
        number = Decimal(num.replace(".", ""))
    else:
        number = Decimal(num.replace(",", "."))
    for s in scales:
        number *= g["scales"][s]
        if number > MAX_COUNT:
            return None
    if number != number.to_integral_value():
        return None  # a decimal without a scale word is a measurement, not a count
    return int(number)


def _words_value(raw: str) -> int | None:
    """'twenty-five', 'one hundred and fifty', 'two thousand', 'a hundred', 'two dozen'."""
    g = _grammar()
    units, scales = g["units"], g["scales"]
    total = current = 0
    for i, w in enumerate(re.findall(r"[a-z]+", raw.lower())):
        if w in units:
            current += units[w]
        elif w in ("a", "an") and i == 0:
            current = 1
        elif w == "hundred" or w == "dozen":
            current = max(current, 1) * scales[w]
        elif w in scales:
            total, current = total + max(current, 1) * scales[w], 0
        elif w != "and":
            return None
        if total + current > MAX_COUNT:
            return None
    return total + current


def _value(raw: str) -> tuple[int, bool] | None:
    """(value, vague) of one number phrase the grammar matched, None if it is not a count."""
    if raw[0].isdigit():
        v = _digits_value(raw)
        return (v, False) if v is not None else None
    g = _grammar()
    norm = " ".join(raw.lower().split())
    for phrase, v in g["vague"].items():
        if norm == phrase:
            return (v, True) if v <= MAX_COUNT else None
        if norm.startswith(phrase + " ") and norm[len(phrase) + 1:] in g["scales"]:
            total = v * g["scales"][norm[len(phrase) + 1:]]
            return (total, True) if total <= MAX_COUNT else None
    v = _words_value(raw)
    return (v, False) if v is not None else None


# ---------------------------------------------------------------- context

def _prev_token(text: str, i: int) -> tuple[str, str]:
    """The token right before text[i] (a word, or one punctuation mark) and the gap after it."""
    m = re.search(r"(\w+|[^\w\s])(\s*)$", text[max(0, i - 40):i])
    return (m.group(1), m.group(2)) if m else ("", "")


def _prev_word(text: str, i: int) -> str:
    """The word before text[i], skipping one abbreviation dot ('Nov. 19')."""
    m = re.search(r"(\w+)\.?\s+$", text[max(0, i - 40):i])
    return m.group(1) if m else ""


def _next_word(text: str, j: int) -> str:
    m = re.match(r"\s+(\w+)", text[j:j + 40])
    return m.group(1) if m else ""


def _is_month(word: str) -> bool:
    return bool(word) and word[0].isupper() and word.lower() in _grammar()["months"]


def _is_year(text: str, n1: str, end: int) -> bool:
    """A bare 4-digit 1900-2099 is a year unless a plural noun follows ('2000 troops')."""
    if not (len(n1) == 4 and n1.isdigit() and 1900 <= int(n1) <= 2099):
        return False
    nxt = _next_word(text, end)
    if not nxt or not nxt.islower() or not nxt.isalpha() or end < len(text) and not text[end].isspace():
        return True
    g = _grammar()
    plural = nxt in g["plural_nouns"] or (nxt.endswith("s") and len(nxt) > 3 and nxt not in g["not_plural_noun"])
    return not plural


def _digits_ok(text: str, s: int, e: int, value: int, n1: str, qualified: bool) -> bool:
    """Reject digits that are part of a name, time, ordinal, date, percentage or amount."""
    g = _grammar()
    if s > 0:
        c = text[s - 1]
        if c.isalpha() or c in ":#/^" + _HYPHENS or c.lower() in g["currency_before"] or c in "$€£¥₴₽₹":
            return False  # F16, #5, 1/2, 10^30, F-16, $5
    if e < len(text):
        d = text[e]
        if d.isalpha() or d in ":%^°":
            return False  # 28th, 5km, 1e999, 10:30, 40%
        if d in _HYPHENS and e + 1 < len(text) and text[e + 1].isalnum():
            return False  # 28-point plan, 12-year-old, 2024-05-12
    if g["not_after_rx"].match(text, e):
        return False  # 40 percent, 7 a.m., 0600 GMT
    if value <= 31 and (_is_month(_next_word(text, e)) or _is_month(_prev_word(text, s))):
        return False  # 19 November, November 19, Nov. 19
    pw = _prev_word(text, s).lower()
    if pw in g["label_before"] or pw in g["currency_before"]:
        return False  # Article 5, USD 5
    return qualified or not _is_year(text, n1, e)


def _words_ok(text: str, s: int, e: int, n1: str) -> bool:
    """Reject 'no one', 'one another', 'three-day', and number words inside names ('Channel One')."""
    prev, gap = _prev_token(text, s)
    if n1.lower() == "one":
        if prev.lower() in _ONE_PRONOUN_BEFORE or _next_word(text, e).lower() == "another":
            return False
    if e + 1 < len(text) and text[e] in _HYPHENS and text[e + 1].isalpha():
        return False  # three-day, five-storey
    if n1[0].isupper() and prev[:1].isupper() and prev.isalpha() and "\n" not in gap:
        return False  # Channel One (Group of Seven is left alone: lower-case 'of')
    return True


# ---------------------------------------------------------------- public API

def _judge(text: str, m: re.Match[str], contextual: bool) -> tuple[int, int, int, bool, bool, int | None] | None:
    """(start, end, value, low_bound, approximate, high) for one match of the grammar, or None."""
    n1 = m["n1"]
    first = _value(n1)
    if first is None:
        return None
    value, vague = first
    start, end, high = m.start(), m.end("n1"), None
    after = m["after"]
    if m["n2"]:
        second = _value(m["n2"])
        sep = m["sep"].strip().lower()
        kinds_agree = n1[0].isdigit() == m["n2"][0].isdigit()
        hyphen_ok = sep not in _HYPHENS or (n1[0].isdigit() and kinds_agree) if sep else True
        years = all(len(x) == 4 and x.isdigit() and 1900 <= int(x) <= 2099 for x in (n1, m["n2"]))
        if years and not m["btw"]:
            return None  # 2022-2023: a span of years
        if (second is not None and second[0] > value and kinds_agree and hyphen_ok
                and (sep != "and" or m["btw"]) and not (sep == "to" and _prev_word(text, m.start()).lower() == "from")):
            high, end = second[0], m.end("n2")
        else:
            after = (am.group() if (am := _grammar()["after_rx"].match(text, end)) else None)
    if high is None and m["btw"]:
        start = m.start("lowq") if m["lowq"] else m.start("apq") if m["apq"] else m.start("n1")
    if contextual:
        s = m.start("n1")
        qualified = bool(m["lowq"] or m["apq"] or m["btw"])
        ok = (_digits_ok(text, s, end, value, n1, qualified) if n1[0].isdigit()
              else _words_ok(text, s, end, n1))
        if not ok or _grammar()["money_after_rx"].match(text, end):
            return None
    if after and after == "+" and end > 0 and text[end - 1].isspace():
        after = None
    low = bool(m["lowq"]) or bool(after)
    stop = end + (len(after) if after else 0)
    return start, stop, value, low, bool(m["apq"]) or vague or high is not None, high


def find_counts(text: str) -> list[Count]:
    """Every count in `text`, left to right, non-overlapping, with str offsets."""
    rx = _grammar()["rx"]
    out: list[Count] = []
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        hit = _judge(text, m, contextual=True)
        if hit is None:
            pos = m.end("n1")  # what follows the first number ("two and three") may still count
            continue
        start, stop, value, low, approx, high = hit
        out.append(Count(start, stop, value, low, text[start:stop], approx, high))
        pos = stop
    return out


def parse_count(phrase: str) -> int | None:
    """The value of a count phrase the caller isolated ('at least 12', 'dozens', 'a', '2025').

    No context filters apply (the caller decided it is a count), so a year-like figure is read
    as a number; a phrase starting with 'a'/'an' and no number word ('a drone') is 1."""
    s = phrase.strip()
    if not s:
        return None
    m = _grammar()["rx"].match(s)
    hit = _judge(s, m, contextual=False) if m else None
    if hit is not None:
        stop = hit[1]
        if stop < len(s) and (s[stop].isalpha() or s[stop] in "%:^"):
            return None  # '28th', '40%', '10:30'
        return hit[2]
    word = re.match(r"[^\W\d_]+", s)
    return _grammar()["articles"].get(word.group().lower()) if word else None
