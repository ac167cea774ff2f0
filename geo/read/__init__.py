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

Errors raise `InputError(path, line, message)` lazily, at the bad record, so the caller has
already stored every article before it. An unparsable date in front matter, JSONL or CSV is an
error; in HTML meta tags it is ignored (scraped pages carry junk), and the next candidate is used.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import email.utils
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from geo.errors import InputError
from geo.models import Article

__all__ = ["read_paths", "read_file", "parse_date", "SUPPORTED_EXTENSIONS"]

SUPPORTED_EXTENSIONS = (".txt", ".md", ".jsonl", ".csv", ".html", ".htm")
FIELDS = ("id", "title", "published", "source", "url", "text")
STDIN = "-"
_STDIN_NAME = "<stdin>"
_TITLE_MAX_CHARS = 200
_TITLE_MAX_WORDS = 30


OnError = Callable[[InputError], None]


def read_paths(paths: Iterable[str], published: dt.date | None = None,
               on_error: OnError | None = None) -> Iterator[Article]:
    """Yield the articles of every path in order: files, folders (recursively) or "-" (stdin).

    Without `on_error` the first bad record or file raises its InputError (after every article
    before it was yielded). With `on_error`, each bad record or file is passed to it and skipped,
    and reading goes on with the next record: a run stores every good record of a mixed batch.
    """
    for raw in paths:
        yield from _guard(_read_path(raw, published, on_error), on_error)


def _read_path(raw: str, published: dt.date | None, on_error: OnError | None) -> Iterator[Article]:
    if raw == STDIN:
        yield from _read_stdin(published, on_error)
        return
    path = Path(raw)
    if path.is_dir():
        for file in _walk(path):
            yield from _guard(read_file(file, published, on_error), on_error)
    elif not path.exists():
        raise InputError(raw, None, "no such file or directory")
    elif path.suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise InputError(raw, None, f"unsupported file type {path.suffix or '(none)'!r}; "
                                    f"expected one of {', '.join(SUPPORTED_EXTENSIONS)}")
    else:
        yield from read_file(path, published, on_error)


def _guard(articles: Iterator[Article], on_error: OnError | None) -> Iterator[Article]:
    """Pass a file-level error (unreadable, undecodable, bad header) to `on_error` and stop that file."""
    try:
        yield from articles
    except InputError as exc:
        if on_error is None:
            raise
        on_error(exc)


def read_file(path: Path, published: dt.date | None = None,
              on_error: OnError | None = None) -> Iterator[Article]:
    """Yield the articles of one file, by its extension (`on_error`: see `read_paths`)."""
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _records_jsonl(_lines(_read_text(path)), str(path), path.stem, published, on_error)
    elif suffix == ".csv":
        yield from _records_csv(path, published, on_error)
    elif suffix in {".html", ".htm"}:
        yield _article_html(path, published)
    else:
        yield _article_text(_normalise(_read_text(path)), str(path), path.stem, published)


def _walk(folder: Path) -> list[Path]:
    """Supported files under `folder`, sorted, skipping hidden entries and README.md."""
    files = []
    for p in folder.rglob("*"):
        rel = p.relative_to(folder).parts
        if any(part.startswith(".") for part in rel) or not p.is_file():
            continue
        if p.suffix.lower() in SUPPORTED_EXTENSIONS and p.name.lower() != "readme.md":
            files.append(p)
    return sorted(files)


# ---------------------------------------------------------------- decoding and dates

def _read_text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), None, f"cannot read file: {exc.strerror or exc}") from exc
    return _decode(data, str(path))


def _decode(data: bytes, where: str, encoding: str = "utf-8-sig") -> str:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise InputError(where, None, f"cannot decode file as {encoding.removesuffix('-sig')}: {exc}") from exc


def _lines(text: str) -> list[str]:
    """Physical lines. Not str.splitlines: JSON strings may hold a raw U+2028 or U+0085."""
    return [line.removesuffix("\r") for line in text.split("\n")]


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_TEXT_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b. %d, %Y",
                      "%Y/%m/%d", "%Y.%m.%d")


def parse_date(value: Any) -> dt.date | None:
    """A date from an ISO date/datetime, RFC 2822 or 'day month year' string; None if not one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    s = value.strip()
    iso = re.match(r"(\d{4})-(\d\d)-(\d\d)(?:$|[T ]\d)", s)
    if iso:  # the date as written, whatever the time zone
        try:
            return dt.date(*map(int, iso.groups()))
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(s).date()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return None


def _strict_date(value: Any, where: str, line: int | None) -> dt.date | None:
    """parse_date, but a present and unparsable value is an InputError."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise InputError(where, line, f"bad published date {value!r}")
    return parsed


# ---------------------------------------------------------------- plain text and Markdown

def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split a leading `---` block of `key: value` lines from the body; no block -> ({}, text)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    meta: dict[str, str] = {}
    for n, line in enumerate(lines[1:], start=2):
        if line.strip() in {"---", "..."}:
            return meta, "\n".join(lines[n:])
        key, sep, value = line.partition(":")
        if sep and key.strip():
            meta[key.strip().lower()] = value.strip().strip("\"'")
            meta[f"__line_{key.strip().lower()}"] = str(n)  # for error messages
    return {}, text  # no closing line: not front matter (a Markdown rule, say)


def _looks_like_title(line: str) -> bool:
    s = line.strip()
    return (0 < len(s) <= _TITLE_MAX_CHARS and len(s.split()) <= _TITLE_MAX_WORDS
            and not s.endswith((".", ",", ";", ":")))


def _detect_title(text: str) -> str | None:
    for line in text.split("\n"):
        if line.strip():
            title = line.strip().lstrip("#").strip()
            return title if _looks_like_title(title) else None
    return None


def _article_text(text: str, where: str, stem: str, published: dt.date | None) -> Article:
    meta, body = _front_matter(text)
    if not body.strip():
        raise InputError(where, None, "no text")
    date_line = int(meta.get("__line_published") or meta.get("__line_date") or 0) or None
    date = _strict_date(meta.get("published") or meta.get("date"), where, date_line)
    return Article(
        id=meta.get("id") or stem, text=body, title=meta.get("title") or _detect_title(body),
        published=date or published, source=meta.get("source") or None,
        url=meta.get("url") or None, origin=where)


# ---------------------------------------------------------------- JSONL and CSV

def _article_record(rec: dict[str, Any], where: str, line: int, stem: str,
                    published: dt.date | None) -> Article:
    """An Article from a JSONL/CSV record; `where:line` names it in errors and in `origin`."""
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(where, line, "record has no text")
    rid = rec.get("id")
    rid = str(rid).strip() if rid not in (None, "") else f"{stem}-{line}"

    def opt(key: str) -> str | None:
        value = rec.get(key)
        return (str(value).strip() or None) if value is not None else None

    return Article(id=rid, text=text, title=opt("title"),
                   published=_strict_date(rec.get("published"), where, line) or published,
                   source=opt("source"), url=opt("url"), origin=f"{where}:{line}")


def _records_jsonl(lines: list[str], where: str, stem: str, published: dt.date | None,
                   on_error: OnError | None = None) -> Iterator[Article]:
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield _jsonl_record(line, where, n, stem, published)
        except InputError as exc:
            if on_error is None:
                raise
            on_error(exc)


def _jsonl_record(line: str, where: str, n: int, stem: str, published: dt.date | None) -> Article:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, n, f"invalid JSON: {exc.msg} (column {exc.colno})") from exc
    if not isinstance(rec, dict):
        raise InputError(where, n, f"expected a JSON object, got {type(rec).__name__}")
    return _article_record(rec, where, n, stem, published)


def _records_csv(path: Path, published: dt.date | None, on_error: OnError | None = None) -> Iterator[Article]:
    where = str(path)
    text = _read_text(path)
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))  # whole articles in one cell
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(where, None, "empty CSV file: a header row is required") from None
    except csv.Error as exc:
        raise InputError(where, 1, f"bad CSV: {exc}") from exc
    names = [h.strip().lower() for h in header]
    if "text" not in names:
        raise InputError(where, 1, f"CSV header has no 'text' column (found: {', '.join(names)})")
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputError(where, line, f"bad CSV: {exc}") from exc
        if any(cell.strip() for cell in row):
            try:
                if len(row) > len(names):
                    raise InputError(where, line, f"{len(row)} fields, header has {len(names)}")
                yield _article_record(dict(zip(names, row)), where, line, path.stem, published)
            except InputError as exc:
                if on_error is None:
                    raise
                on_error(exc)
        line = reader.line_num + 1


# ---------------------------------------------------------------- HTML

# Not "head" or "form": an unclosed one (HTML5 allows omitting </head>; some sites wrap the whole
# page in a <form>) would hide the whole article.
_SKIP_TAGS = frozenset({"script", "style", "nav", "header", "footer", "aside", "noscript",
                        "template", "svg", "iframe", "button", "select"})
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "tr", "table", "section", "article", "blockquote", "pre", "figcaption",
                         "figure", "dd", "dt", "dl", "main", "hr", "td", "th", "title"})
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area",
                        "base", "col", "embed", "param", "track"})
# meta name/property/itemprop values that carry the publication date, best first
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate",
              "publishdate", "publish-date", "publication_date", "dc.date.issued", "dc.date",
              "dcterms.date", "date", "sailthru.date", "parsely-pub-date")


class _PageParser(HTMLParser):
    """Collects visible text blocks, <title>, meta tags, JSON-LD and <time datetime> values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skip = 0
        self.in_title = False
        self.title_parts: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None
        self.times: list[str] = []
        self.ld_json: list[str] = []
        self.in_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content") and key not in self.meta:
                self.meta[key] = a["content"]
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
            self.canonical = self.canonical or a.get("href") or None
        elif tag == "time" and a.get("datetime"):
            self.times.append(a["datetime"])
        if a.get("itemprop", "").lower() == "datepublished" and (a.get("datetime") or a.get("content")):
            self.meta.setdefault("datepublished", a.get("datetime") or a.get("content", ""))
        if tag == "script" and a.get("type", "").lower() == "application/ld+json":
            self.in_ld = True
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag in _SKIP_TAGS and tag not in _VOID_TAGS:
            self.skip += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        if tag == "title":
            self.in_title = False
        if tag == "script":
            self.in_ld = False
        if tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif self.in_ld:
            self.ld_json.append(data)
        elif not self.skip:
            self.current.append(data)

    def _flush(self) -> None:
        block = " ".join("".join(self.current).split())
        if block:
            self.blocks.append(block)
        self.current = []

    def text(self) -> str:
        self._flush()
        return "\n".join(self.blocks)


def _ld_dates(chunks: list[str]) -> Iterator[str]:
    """datePublished values anywhere in the page's JSON-LD blocks."""
    def walk(node: Any) -> Iterator[str]:
        if isinstance(node, dict):
            if isinstance(node.get("datePublished"), str):
                yield node["datePublished"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
    for chunk in chunks:
        try:
            yield from walk(json.loads(chunk))
        except json.JSONDecodeError:
            continue


def _html_charset(data: bytes) -> str:
    """The <meta charset> of the page if Python knows it; UTF-8 (BOM allowed) otherwise."""
    m = re.search(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", data[:4096], re.I)
    if m:
        try:
            name = codecs.lookup(m.group(1).decode("ascii")).name
        except LookupError:
            name = "utf-8"
        if name != "utf-8":
            return name
    return "utf-8-sig"


def _article_html(path: Path, published: dt.date | None) -> Article:
    where = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(where, None, f"cannot read file: {exc.strerror or exc}") from exc
    parser = _PageParser()
    parser.feed(_decode(data, where, _html_charset(data)))
    parser.close()
    text = parser.text()
    if not text.strip():
        raise InputError(where, None, "no visible text")
    meta = parser.meta
    candidates = [meta[k] for k in _DATE_META if k in meta] + list(_ld_dates(parser.ld_json)) + parser.times
    date = next((d for d in map(parse_date, candidates) if d), None)
    title = meta.get("og:title") or " ".join("".join(parser.title_parts).split()) or None
    return Article(id=path.stem, text=text, title=title, published=date or published,
                   source=meta.get("og:site_name") or None,
                   url=parser.canonical or meta.get("og:url") or None, origin=where)


# ---------------------------------------------------------------- standard input

def _read_stdin(published: dt.date | None, on_error: OnError | None = None) -> Iterator[Article]:
    """JSONL if the first non-space character is '{', else one text article with id 'stdin'."""
    buffer = getattr(sys.stdin, "buffer", None)
    text = _decode(buffer.read(), _STDIN_NAME) if buffer is not None else sys.stdin.read()
    if text.lstrip().startswith("{"):
        yield from _records_jsonl(_lines(text), _STDIN_NAME, "stdin", published, on_error)
    else:
        yield _article_text(_normalise(text), _STDIN_NAME, "stdin", published)
