"""Plain text / Markdown (with front matter) and CSV files, and the record -> Article step that
JSONL and CSV share."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from geo.errors import InputError
from geo.limits import Limits
from geo.models import Article
from geo.read.fields import finish, json_type, published_date, text_field
from geo.read.sources import Report, open_regular

_TITLE_MAX_CHARS = 200
_TITLE_MAX_WORDS = 30


@dataclass(frozen=True, slots=True)
class Context:
    """What every format reader needs. `report` takes each problem: a fatal InputError raises out
    of it when the caller gave no ``on_error``; a warning never stops reading."""

    published: dt.date | None
    limits: Limits
    report: Report


def normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- plain text and Markdown

def _front_matter(text: str) -> tuple[dict[str, tuple[str, int]], str]:
    """Split a leading `---` block of `key: value` lines from the body; no block -> ({}, text).
    Values come with their line number (for error messages)."""
    if not text.startswith("---") or text.split("\n", 1)[0].strip() != "---":
        return {}, text
    meta: dict[str, tuple[str, int]] = {}
    pos, n = text.find("\n") + 1, 1
    while 0 < pos < len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        n += 1
        if line.strip() in {"---", "..."}:
            return meta, "" if end < 0 else text[end + 1:]
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = (value.strip().strip("\"'"), n)
        pos = end + 1 if end >= 0 else len(text)
    return {}, text  # no closing line: not front matter (a Markdown rule, say)


def _looks_like_title(line: str) -> bool:
    s = line.strip()
    return (0 < len(s) <= _TITLE_MAX_CHARS and len(s.split()) <= _TITLE_MAX_WORDS
            and not s.endswith((".", ",", ";", ":")))


def _detect_title(text: str) -> str | None:
    """The first non-empty line when it looks like a headline (a Markdown '#' dropped)."""
    m = re.search(r"\S", text)
    if m is None:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    end = text.find("\n", m.start())
    title = text[start:end if end >= 0 else len(text)].strip().lstrip("#").strip()
    return title if _looks_like_title(title) else None


def article_text(text: str, where: str, stem: str, ctx: Context) -> Article:
    """One article from a .txt/.md file's (or standard input's) text."""
    meta, body = _front_matter(normalise(text))
    if not body.strip():
        raise InputError(where, None, "no text")

    def get(key: str) -> str | None:
        return meta.get(key, ("", 0))[0] or None

    date_key = "published" if get("published") else "date"
    date_value, date_line = meta.get(date_key, ("", 0))
    date = published_date(date_value, where, date_line or None, ctx.report)
    article = Article(id=get("id") or stem, text=body, title=get("title") or _detect_title(body),
                      published=date or ctx.published, source=get("source"), url=get("url"), origin=where)
    return finish(article, where, None, ctx.limits, ctx.report)


# ---------------------------------------------------------------- records (JSONL and CSV)

def record_article(rec: dict[str, Any], where: str, line: int, stem: str, ctx: Context) -> Article:
    """An Article from a JSONL/CSV record; `where:line` names it in errors and in `origin`."""
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        detail = "" if text is None or isinstance(text, str) else f" (field 'text' is {json_type(text)}, not a string)"
        raise InputError(where, line, f"record has no text{detail}")
    rid = text_field(rec, "id", where, line) or f"{stem}-{line}"
    article = Article(id=rid, text=text, title=text_field(rec, "title", where, line),
                      published=published_date(rec.get("published"), where, line, ctx.report) or ctx.published,
                      source=text_field(rec, "source", where, line), url=text_field(rec, "url", where, line),
                      origin=f"{where}:{line}")
    return finish(article, where, line, ctx.limits, ctx.report)


def records_csv(where: str, stem: str, ctx: Context) -> Iterator[Article]:
    """The records of a CSV file (header row required), streamed: a bad record is reported and
    skipped; undecodable bytes or broken quoting end the file (what follows cannot be trusted)."""
    limits = ctx.limits
    f, _ = open_regular(where, limits)
    with f:
        csv.field_size_limit(limits.record_bytes)  # whole articles in one cell, up to the record limit
        reader = csv.reader(io.TextIOWrapper(f, encoding="utf-8-sig", newline=""))
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(where, None, "empty CSV file: a header row is required")
            names = [h.strip().lower() for h in header]
            if "text" not in names:
                raise InputError(where, 1, f"CSV header has no 'text' column (found: {', '.join(names)[:200]})")
            line = reader.line_num + 1
            for row in reader:
                if any(cell.strip() for cell in row):
                    try:
                        if len(row) > len(names):
                            raise InputError(where, line, f"{len(row)} fields, header has {len(names)}")
                        yield record_article(dict(zip(names, row)), where, line, stem, ctx)
                    except InputError as exc:
                        ctx.report(exc)
                line = reader.line_num + 1
        except csv.Error as exc:
            raise InputError(where, line, _csv_message(exc, limits)) from None
        except UnicodeDecodeError as exc:
            raise InputError(where, line, f"cannot decode as utf-8 near this line ({exc.reason}); the rest of the file is skipped") from None


def _csv_message(exc: csv.Error, limits: Limits) -> str:
    if "field larger than field limit" in str(exc):
        return (f"bad CSV: a field is longer than {limits.record_bytes:,} characters "
                f"({limits.env_name('record_bytes')}); the rest of the file is skipped")
    return f"bad CSV: {exc}"
