"""Record fields checked where they enter: dates, types, lone surrogates and size limits.

Everything an `Article` carries passes `finish` on its way out of the reader, so later stages
(geoparse, extract, store) never see a value they cannot handle: no lone surrogate (DuckDB and
UTF-8 cannot encode one), no published date near the ends of the calendar (date arithmetic would
overflow), no text beyond the limits of `geo.limits.Limits`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import math
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from geo.errors import InputError, InputWarning
from geo.limits import EARLIEST_DATE, LATEST_DATE, Limits
from geo.models import Article

Warn = Callable[[InputWarning], None]

_TEXT_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b. %d, %Y",
                      "%Y/%m/%d", "%Y.%m.%d")
_ISO = re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:$|[T ]\d)")
_SURROGATES = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)")
_SHOWN = 60  # characters of a bad value quoted in a message


def parse_date(value: Any) -> dt.date | None:
    """A date from an ISO date/datetime, RFC 2822 or 'day month year' string; None if not one.

    The date part as written is kept (no time-zone shift). Any year Python can hold is returned;
    `in_range` says whether it is a plausible news date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return None
    s = value.strip()
    iso = _ISO.match(s)
    if iso:  # the date as written, whatever the time zone
        try:
            return dt.date(*map(int, iso.groups()))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def in_range(date: dt.date) -> bool:
    return EARLIEST_DATE <= date <= LATEST_DATE


def show(value: Any) -> str:
    """A bad value for a message: its repr, cut to a few dozen characters."""
    text = repr(value) if isinstance(value, (str, int, float, bool)) or value is None else f"<{json_type(value)}>"
    return text if len(text) <= _SHOWN else f"{text[:_SHOWN]}…({len(text):,} characters)"


def json_type(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number" if isinstance(value, (int, float)) else type(value).__name__)


def published_date(value: Any, where: str, line: int | None, warn: Warn) -> dt.date | None:
    """The published date of a record: None when absent; an InputError when present and not a
    date; a warning and None when it is a date outside EARLIEST_DATE..LATEST_DATE (placeholders
    such as 0001-01-01 or 9999-12-31; the record is stored without it)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise InputError(where, line, f"bad published date {show(value)}")
    if not in_range(parsed):
        warn(InputWarning(where, line, f"published date {parsed.isoformat()} is outside "
                                       f"{EARLIEST_DATE}..{LATEST_DATE}; ignored"))
        return None
    return parsed


def text_field(rec: dict[str, Any], key: str, where: str, line: int) -> str | None:
    """An optional string field (title, source, url, id): strings and finite numbers are taken
    (numbers as written), null and "" are absent; objects, arrays and booleans are errors."""
    value = rec.get(key)
    if value is None or isinstance(value, str):
        return (value.strip() or None) if value is not None else None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    raise InputError(where, line, f"field {key!r} must be a string, got {json_type(value)} {show(value)}"
                     if isinstance(value, float) else f"field {key!r} must be a string, got {json_type(value)}")


# ---------------------------------------------------------------- the article's way out

def finish(article: Article, where: str, line: int | None, limits: Limits, warn: Warn) -> Article:
    """The article as it is yielded: lone surrogates replaced, fields and text within `limits`.

    An id over `limits.id_chars` is an InputError (an id must stay exact); everything else is
    changed to fit and reported through `warn` (an `InputWarning`; the article is still stored).
    """
    changes: dict[str, str] = {}
    replaced = []
    for f in ("id", "title", "source", "url", "text", "origin"):
        value = getattr(article, f)
        if value and _SURROGATES.search(value):
            changes[f] = _SURROGATES.sub("\ufffd", value)
            replaced.append(f)
    if replaced:
        warn(InputWarning(where, line, f"lone surrogate code point(s) replaced with U+FFFD in {', '.join(replaced)}"))
    rid = changes.get("id", article.id)
    if len(rid) > limits.id_chars:
        raise InputError(where, line, f"id is {len(rid):,} characters long; the limit is {limits.id_chars:,} "
                                      f"({limits.env_name('id_chars')})")
    for f in ("title", "source", "url"):
        value = changes.get(f, getattr(article, f))
        if value and len(value) > limits.field_chars:
            changes[f] = value[:limits.field_chars].rstrip() + "…"
            warn(InputWarning(where, line, f"{f} cut from {len(value):,} to {limits.field_chars:,} characters "
                                           f"({limits.env_name('field_chars')})"))
    text = changes.get("text", article.text)
    fitted = fit_text(text, limits, lambda message: warn(InputWarning(where, line, message)))
    if fitted is not text:
        changes["text"] = fitted
    return dataclasses.replace(article, **changes) if changes else article


def fit_text(text: str, limits: Limits, note: Callable[[str], None]) -> str:
    """`text` within the word-length, word-count and character limits (see `Limits`), the same
    object when nothing had to change; each change is described through `note`."""
    rx = _long_run(limits.word_chars)
    runs = [m.end() - m.start() for m in rx.finditer(text)]
    if runs:
        text = rx.sub(lambda m: m.group()[:limits.word_chars] + "…", text)
        note(f"{len(runs):,} run(s) of non-space characters longer than {limits.word_chars:,} "
             f"(the longest {max(runs):,}) cut to {limits.word_chars:,} ({limits.env_name('word_chars')})")
    if len(text) > limits.article_words:  # fewer characters than the limit cannot hold more words
        start = _nth_word_start(text, limits.article_words)
        if start is not None:
            cut, kind = boundary(text, start)
            text = text[:cut]
            note(f"text has more than {limits.article_words:,} words; cut at a {kind} after "
                 f"{len(text):,} characters ({limits.env_name('article_words')})")
    if len(text) > limits.article_chars:
        total = len(text)
        cut, kind = boundary(text, limits.article_chars)
        text = text[:cut]
        note(f"text cut at a {kind} to {len(text):,} of {total:,} characters "
             f"({limits.env_name('article_chars')}={limits.article_chars:,})")
    return text


@lru_cache(maxsize=8)
def _long_run(limit: int) -> re.Pattern[str]:
    # anchored at a run's start: a run just under the limit is scanned once, not once per character
    return re.compile(r"(?<!\S)\S{%d,}" % (limit + 1))


def _nth_word_start(text: str, n: int) -> int | None:
    """Offset where word number n + 1 starts (the first word beyond a limit of n), else None."""
    for i, m in enumerate(_WORD.finditer(text)):
        if i == n:
            return m.start()
    return None


def boundary(text: str, limit: int) -> tuple[int, str]:
    """(offset, kind) where to cut `text` to at most `limit` characters: the last paragraph
    break, else the last sentence end, else the last space, within the second half of the
    allowance; else exactly at `limit`."""
    window = text[:limit]
    floor = limit // 2
    k = window.rfind("\n\n")
    if k >= floor:
        return k, "paragraph break"
    last = None
    for last in _SENTENCE_END.finditer(window, floor):
        pass
    if last is not None:
        return last.end(), "sentence end"
    k = max(window.rfind(" "), window.rfind("\n"))
    return (k, "space") if k >= floor else (limit, "character limit")
