"""Sentences and word tokens with character offsets: the spans every later stage points into."""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {"mr", "mrs", "ms", "dr", "gen", "gov", "sen", "rep", "lt", "col", "capt", "sgt", "st",
           "maj", "adm", "prof", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "u.s", "d.c", "u.k",
           "u.n", "e.g", "i.e", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "approx"}
_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)|\n\s*\n|\n")
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*|\d+(?:[.,]\d+)*")


def alternation(words: Iterable[str], fold: bool = False) -> str:
    """Regex source matching any of `words`, longest first, written as a prefix tree.

    `re` tries a plain alternation word by word at every position of the text; with thousands of
    words (party names, trigger forms) that dominated the extractor's time. A tree shares each
    prefix, so a position is rejected after a character or two. It matches what a length-sorted
    alternation matches: among the words that fit at a position, the longest one for which the
    rest of the pattern succeeds. `fold`: words are lower-cased (compile the pattern with re.I).
    """
    tree: dict = {}
    for w in words:
        node = tree
        for ch in (w.lower() if fold else w):
            node = node.setdefault(ch, {})
        node[""] = {}
    return _branches(tree) if tree else "(?!)"


def _branches(node: dict) -> str:
    """The regex of a prefix-tree node: its children (longer words) first, then the word ending here."""
    kids = [(ch, child) for ch, child in sorted(node.items()) if ch]
    if not kids:
        return ""
    leaves = [ch for ch, child in kids if list(child) == [""]]
    parts = [re.escape(ch) + _branches(child) for ch, child in kids if list(child) != [""]]
    if len(leaves) == 1:
        parts.append(re.escape(leaves[0]))
    elif leaves:
        parts.append("[" + "".join(re.escape(ch) for ch in leaves) + "]")
    body = parts[0] if len(parts) == 1 and len(kids) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if "" in node else body


class Token(NamedTuple):
    """A word with its offsets (a tuple: the geoparser makes one per word of every article)."""

    start: int
    end: int
    text: str

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


# A run of [\w.] longer than the longest abbreviation is none: the abbreviation check looks back
# this far only, so a "sentence" of thousands of "Mr." is not rescanned from its start each time.
_ABBREV_WINDOW = max(map(len, _ABBREV)) + 2
# The longest sentences of real news run to ~600 characters; a longer "sentence" (a list without
# full stops, scraped junk) is split at spaces, so that the work done per sentence stays bounded.
MAX_SENTENCE_CHARS = 1_000


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; newlines end sentences (headlines, captions, paragraphs).
    A sentence longer than MAX_SENTENCE_CHARS is split at the last space before that length."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group().startswith(".") and "\n" not in m.group():
            word = re.search(r"([\w.]+)\.$", text[max(start, m.start() - _ABBREV_WINDOW):m.start() + 1])
            if word and word.group(1).lower() in _ABBREV:
                continue
        if text[start:end].strip():
            spans.extend(_bounded(text, *_strip(text, start, end)))
        start = end
    if text[start:].strip():
        spans.extend(_bounded(text, *_strip(text, start, len(text))))
    return spans


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        cut = cut if cut > start else start + MAX_SENTENCE_CHARS
        piece = _strip(text, start, cut)
        if piece[1] > piece[0]:
            out.append(piece)
        start = _strip(text, cut, end)[0]
    out.append((start, end))
    return out


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens; a possessive 's is split off ("Ukraine’s" -> "Ukraine", "’s")."""
    out: list[Token] = []
    add, new = out.append, tuple.__new__  # the NamedTuple constructor costs a Python call per word
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        t = m.group()
        if len(t) > 2 and t[-1] in "sS" and t[-2] in "'’ʼ":
            s, e = m.span()
            add(new(Token, (s, e - 2, t[:-2])))
            add(new(Token, (e - 2, e, t[-2:])))
        else:
            add(new(Token, (*m.span(), t)))
    return out
