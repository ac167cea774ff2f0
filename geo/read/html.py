"""HTML pages: visible text, title, publication date, source and canonical URL.

Only html.parser (no network, no browser). Script, style, nav, header, footer, aside and similar
are dropped; block elements become line breaks. The title comes from og:title, else <title>;
the published date from meta tags, JSON-LD `datePublished`, then the first <time datetime> (a
junk or out-of-range date there is skipped: scraped pages carry junk); source from og:site_name;
url from the canonical link or og:url.

html.parser rescans from each '<' that has no closing '>' after it, which is quadratic on a page
that ends in thousands of them ("</</</..."): `_defuse` escapes every '<' after the last '>'
first, which changes no tag and keeps parsing linear.
"""
from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

from geo.errors import InputError
from geo.limits import Limits
from geo.models import Article
from geo.read.fields import in_range, parse_date
from geo.read.jsonl import too_deep
from geo.read.sources import decode, read_bytes


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


def _ld_dates(chunks: list[str], depth: int) -> Iterator[str]:
    """datePublished values anywhere in the page's JSON-LD blocks (a block nested deeper than
    `depth`, or not JSON, is skipped)."""
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
        if too_deep(chunk, depth):
            continue
        try:
            node = json.loads(chunk)
        except (ValueError, RecursionError):
            continue
        yield from walk(node)


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


def _defuse(html: str) -> str:
    """Escape every '<' after the page's last '>' (see the module docstring)."""
    k = html.rfind(">")
    tail = html[k + 1:]
    return html[:k + 1] + tail.replace("<", "&lt;") if "<" in tail else html


def article_html(path: str, stem: str, published: dt.date | None, limits: Limits) -> Article:
    """One article from an HTML file (see the module docstring)."""
    data = read_bytes(path, limits)
    parser = _PageParser()
    parser.feed(_defuse(decode(data, path, _html_charset(data))))
    parser.close()
    text = parser.text()
    if not text.strip():
        raise InputError(path, None, "no visible text")
    meta = parser.meta
    candidates = [meta[k] for k in _DATE_META if k in meta] + list(_ld_dates(parser.ld_json, limits.json_depth)) \
        + parser.times
    date = next((d for d in map(parse_date, candidates) if d and in_range(d)), None)
    title = meta.get("og:title") or " ".join("".join(parser.title_parts).split()) or None
    return Article(id=stem, text=text, title=title, published=date or published,
                   source=meta.get("og:site_name") or None,
                   url=parser.canonical or meta.get("og:url") or None, origin=path)
