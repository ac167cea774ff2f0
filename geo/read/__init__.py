"""Read articles from files, folders and standard input into `Article` records.

Formats (chosen by extension; a folder is searched recursively, in sorted order, for these only,
skipping hidden files and folders and README.md):
- `.txt` / `.md`: an optional front-matter block at the very top (a `---` line, `key: value` lines
  with keys published/date, source, url, title, id, then a closing `---` line); the first non-empty
  line after it is the title when it looks like one (short, no final period; a Markdown `#` is
  dropped from the title). `text` is the file's text after the front-matter block, INCLUDING the
  title line, with newlines normalised to "\\n": offsets found later index this string, and
  keeping the title means a place named in the headline is found too. id = file name without
  extension (front matter `id:` overrides).
- `.jsonl`: one JSON object a line: id, title, published, source, url, text; other fields (e.g.
  `file`) are ignored. Blank lines are skipped. A record without id gets "<stem>-<line>".
- `.csv`: the same fields, header row required (the csv module, so quoted fields may hold
  newlines); a record without id gets "<stem>-<line>" (line = the record's first physical line).
- `.html` / `.htm`: visible text only (script, style, nav, header, footer, aside and similar are
  dropped; block elements become line breaks) via html.parser; title from og:title, else <title>;
  published from meta tags (article:published_time, og:published_time, datePublished, pubdate,
  date, DC.date ...), JSON-LD `datePublished`, then the first <time datetime>; source from
  og:site_name; url from the canonical link or og:url.
- `-`: standard input: JSONL if its first non-space character is `{`, else one plain-text article
  with id "stdin".

Dates may be ISO dates or datetimes ("2025-11-20T08:30:00Z"), RFC 2822 ("Thu, 20 Nov 2025
08:30:00 +0000") or "20 November 2025"-like; the date part as written is kept (no time-zone
shift). `published` (the argument) fills in articles that carry none.

Problems are `InputError(path, line, message)`s (one line; `line` for JSONL/CSV records),
raised lazily at the bad record, so the caller has already stored every article before it; with
``on_error`` each is passed to it and reading goes on. An unparsable date in front matter, JSONL
or CSV is an error; in HTML meta tags it is ignored (scraped pages carry junk), and the next
candidate is used. A published date outside 1800-01-01..2199-12-31 (placeholders such as
0001-01-01) is dropped with a warning.

Nothing a file holds can hang the reader or end it with a traceback: only regular files are
read (a FIFO, device or socket is refused before it is opened), a folder walk follows each
folder once (no symbolic-link loops), JSONL and CSV are streamed record by record, and every
size is bounded by `geo.limits.Limits` (article characters and words, word length, JSON
nesting, record and file bytes, path length). An article over a limit is cut at a paragraph or
sentence boundary and still stored, with an `InputWarning` (an `InputError` with
``fatal = False``); lone surrogates ("\\ud800" in JSON) are replaced with U+FFFD, with a warning.
"""
from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from geo.errors import GeoError, InputError, InputWarning
from geo.limits import EARLIEST_DATE, LATEST_DATE, Limits
from geo.models import Article
from geo.read.fields import finish, in_range, parse_date
from geo.read.formats import Context, article_text, records_csv
from geo.read.html import article_html
from geo.read.jsonl import records_jsonl
from geo.read.sources import (SUPPORTED_EXTENSIONS, decode, kind, open_regular, read_bytes,
                              supported, walk)

__all__ = ["read_paths", "read_file", "parse_date", "SUPPORTED_EXTENSIONS", "Limits", "InputError",
           "InputWarning"]

STDIN = "-"
_STDIN_NAME = "<stdin>"

OnError = Callable[[InputError], None]


def read_paths(paths: Iterable[str], published: dt.date | None = None,
               on_error: OnError | None = None, limits: Limits | None = None) -> Iterator[Article]:
    """Yield the articles of every path in order: files, folders (recursively) or "-" (stdin).

    Without `on_error` the first bad record or file raises its InputError (after every article
    before it was yielded), and warnings go to Python's `warnings`. With `on_error`, every
    problem is passed to it (``exc.fatal`` tells an error, whose record or file was skipped,
    from a warning, whose article is yielded) and reading goes on with the next record: a run
    stores every good record of a mixed batch. `limits` default to `Limits.from_env()`.
    """
    ctx = _context(published, on_error, limits)
    for raw in paths:
        yield from _guard(_read_path(raw, ctx), ctx)


def read_file(path: Path, published: dt.date | None = None, on_error: OnError | None = None,
              limits: Limits | None = None) -> Iterator[Article]:
    """Yield the articles of one file, by its extension (`on_error`, `limits`: see `read_paths`)."""
    ctx = _context(published, on_error, limits)
    yield from _guard(_read_file(str(path), ctx), ctx)


def _context(published: dt.date | None, on_error: OnError | None, limits: Limits | None) -> Context:
    if published is not None and not in_range(published):
        raise GeoError(f"published date {published.isoformat()} is outside {EARLIEST_DATE}..{LATEST_DATE}")

    def report(exc: InputError) -> None:
        if on_error is not None:
            on_error(exc)
        elif exc.fatal:
            raise exc
        else:
            warnings.warn(exc, stacklevel=2)

    return Context(published, limits or Limits.from_env(), report)


def _guard(articles: Iterator[Article], ctx: Context) -> Iterator[Article]:
    """Report a file-level error (unreadable, undecodable, bad header) and stop that file."""
    try:
        yield from articles
    except InputError as exc:
        ctx.report(exc)


def _read_path(raw: str, ctx: Context) -> Iterator[Article]:
    if raw == STDIN:
        yield from _read_stdin(ctx)
        return
    if kind(raw, ctx.limits) == "dir":
        for file in walk(raw, ctx.limits, ctx.report):
            yield from _guard(_read_file(file, ctx), ctx)
    elif not supported(raw):
        suffix = os.path.splitext(raw)[1]
        raise InputError(raw, None, f"unsupported file type {suffix or '(none)'!r}; "
                                    f"expected one of {', '.join(SUPPORTED_EXTENSIONS)}")
    else:
        yield from _read_file(str(Path(raw)), ctx)


def _read_file(where: str, ctx: Context) -> Iterator[Article]:
    stem, suffix = os.path.splitext(os.path.basename(where))
    suffix = suffix.lower()
    if suffix == ".jsonl":
        f, _ = open_regular(where, ctx.limits)
        with f:
            yield from records_jsonl(f, where, stem, ctx)
    elif suffix == ".csv":
        yield from records_csv(where, stem, ctx)
    elif suffix in {".html", ".htm"}:
        yield finish(article_html(where, stem, ctx.published, ctx.limits), where, None, ctx.limits, ctx.report)
    else:
        yield article_text(decode(read_bytes(where, ctx.limits), where), where, stem, ctx)


def _read_stdin(ctx: Context) -> Iterator[Article]:
    """JSONL if the first non-space character is '{', else one text article with id 'stdin'.

    Streamed: JSONL records are yielded as their lines arrive; a text article is bounded by
    `limits.file_bytes` like a file."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text stream (an embedding application, tests)
        buffer = io.BytesIO(sys.stdin.read().encode("utf-8", "surrogatepass"))
    read = getattr(buffer, "read1", buffer.read)
    limit = ctx.limits.file_bytes
    head = b""
    while len(head) <= limit:
        chunk = read(1 << 16)
        head += chunk
        if not chunk or head.strip():
            break
    sniff = head[len(codecs.BOM_UTF8):] if head.startswith(codecs.BOM_UTF8) else head
    if sniff.lstrip().startswith(b"{"):
        yield from records_jsonl(buffer, _STDIN_NAME, "stdin", ctx, first=head)
        return
    data = head + buffer.read(max(0, limit + 1 - len(head)))
    if len(data) > limit:
        raise InputError(_STDIN_NAME, None, f"standard input holds more than {limit:,} bytes of text, the limit for "
                                            f"one article ({ctx.limits.env_name('file_bytes')}): refused")
    yield article_text(decode(data, _STDIN_NAME), _STDIN_NAME, "stdin", ctx)
