"""Sentences and word tokens with character offsets: the spans every later stage points into."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations after which a full stop does not end a sentence.
_ABBREV = {"mr", "mrs", "ms", "dr", "gen", "gov", "sen", "rep", "lt", "col", "capt", "sgt", "st",
           "maj", "adm", "prof", "jr", "sr", "no", "vs", "etc", "inc", "corp", "co", "u.s", "d.c", "u.k",
           "u.n", "e.g", "i.e", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "approx"}
_SENT_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+|$)|\n\s*\n|\n")
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’ʼ][^\W\d_]+)*|\d+(?:[.,]\d+)*")


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    text: str

    @property
    def is_cap(self) -> bool:
        return self.text[:1].isupper()


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; newlines end sentences (headlines, captions, paragraphs)."""
    spans, start = [], 0
    for m in _SENT_END.finditer(text):
        end = m.end()
        if m.group().startswith(".") and "\n" not in m.group():
            word = re.search(r"([\w.]+)\.$", text[start:m.start() + 1])
            if word and word.group(1).lower() in _ABBREV:
                continue
        if text[start:end].strip():
            spans.append(_strip(text, start, end))
        start = end
    if text[start:].strip():
        spans.append(_strip(text, start, len(text)))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def tokens(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Word tokens; a possessive 's is split off ("Ukraine’s" -> "Ukraine", "’s")."""
    out = []
    for m in _TOKEN.finditer(text, start, len(text) if end is None else end):
        s, e, t = m.start(), m.end(), m.group()
        if len(t) > 2 and t[-2] in "'’ʼ" and t[-1] in "sS":
            out.append(Token(s, e - 2, t[:-2]))
            out.append(Token(e - 2, e, t[-2:]))
        else:
            out.append(Token(s, e, t))
    return out
