"""The article as the extractor sees it: sentences, paragraphs, headline and dateline, and its places.

Events are told sentence by sentence, but where they happened is often said elsewhere: in the
headline ("Russian missile hits Dnipro"), in the dateline ("KYIV, Ukraine (AP) —"), in the sentence
or paragraph before ("In Kharkiv, ... The strike damaged a school"), or by a word that points back
("the city", "the region", "there"). `Document` holds what those fallbacks need:
- line kinds: 'headline' (the first line without final punctuation), 'caption' (a later line without
  final punctuation: a photo caption ending in its date, a short subheading) or 'body';
- the dateline (a capitalised place and a dash opening the body: where the reporter is, never by
  itself where an event happened, but it names the article's area);
- the article's main places: literal mentions weighed by where they occur (headline counts double)
  and their containment chain (town -> admin-1 area -> country), used to pick the container of an
  unknown village and the country of an event with no place of its own.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field

from gazetteer.place import Place
from geo.dates import find_date_expressions
from geo.geoparser import title_case
from geo.models import Mention
from geo.text import sentences

_THIS_CITY = re.compile(r"\bthis\s+(?:[A-Z]?[\w-]+\s+){0,3}?(?:city|town|capital|port|village|border town|"
                        r"state capital|provincial capital|regional capital)\b")
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?P<place>[A-Z][A-Z'’.\-]+(?:[ \t]+[A-Z][A-Z'’.\-]+){0,3})"
    r"(?:,[ \t]*[A-Z][\w.'’\- ]{1,30})?(?:[ \t]*\([^)\n]{1,40}\))?[ \t]*(?:[—–]|--?|:|$)")
_DISTANCE_BEFORE = re.compile(r"(?:\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|\b(?:km|kilomet(?:er|re)s?|"
                              r"miles?)\s+(?:from|of|outside))\s+(?:the\s+)?$", re.I)
_CROSS_LINK = re.compile(r"(?i)^(?:also read|read more|read also|related|see also|more on this|watch|listen|recommended)\b\s*[:|>-]")
# A photo credit marks a caption whatever its punctuation ("... in the Sumy region. Photograph: A. Name/Agency").
_CREDIT = re.compile(r"(?:\b(?:Photograph|Photo|PHOTO|Picture|Image|Credit)s?\s*:\s*[A-Z][^.]{0,80}$|"
                     r"\((?:AP|AFP|Reuters|EPA) Photo\b|\b(?:Getty Images|via Getty|AFP via Getty Images)\)?\.?$)")
_CLOCK_END = re.compile(r"\b\d{1,2}(?::\d\d)?\s*[ap]\.m\.$", re.I)


@dataclass(slots=True)
class Sentence:
    index: int
    start: int
    end: int
    kind: str          # headline, caption, body
    paragraph: int


@dataclass
class Document:
    text: str
    article_id: str
    published: dt.date | None
    mentions: list[Mention]
    sentences: list[Sentence] = field(default_factory=list)
    dateline: tuple[int, int] | None = None   # span of the dateline's place word(s)
    dateline_end: int = 0                     # where the whole dateline ("ADEN, Dec 3 (Reuters) -") ends
    area_weight: Counter = field(default_factory=Counter)     # admin1 code -> weight
    country_weight: Counter = field(default_factory=Counter)  # ISO code -> weight
    conflict: bool = False   # the article is about armed conflict: force is in play in every sentence
    protest: bool = False    # the article is about protests: "rallies were also held in X" needs no more
    deal: bool = False       # the article tells of a swap or truce: "a third hostage was later freed"

    @classmethod
    def build(cls, text: str, mentions: list[Mention], published: dt.date | None, article_id: str) -> "Document":
        mentions = sorted((m for m in mentions if m.use != "demonym"), key=lambda m: m.start)
        doc = cls(text, article_id, published, mentions)
        doc.sentences = _sentences(text)
        doc.dateline, doc.dateline_end = _dateline(text, doc.sentences)
        deictic = doc._deictic_datelines()  # "this Sinaloa state capital": the state only describes the city
        doc.mentions = sorted([m for m in doc.mentions if not any(d.start <= m.start < d.end for d in deictic)]
                              + deictic, key=lambda m: m.start)
        doc._weigh_places()
        doc.conflict = _register(text, "armed")
        doc.protest = _register(text, "protest_words")
        doc.deal = _register(text, "deal", 1)
        return doc

    # ------------------------------------------------------------ mentions
    def _deictic_datelines(self) -> list[Mention]:
        """"KHARKIV, Ukraine (AP) - ... east of this northeastern city": wire style names the
        dateline's city again as "this city", "this northern port"; each such phrase is a mention of it."""
        if self.dateline is None:
            return []
        place = next((m.place for m in self.mentions if self.in_dateline(m) and m.place is not None
                      and m.place.feature == "locality"), None)
        if place is None:
            return []
        return [Mention(article=self.article_id, start=m.start(), end=m.end(), surface=m.group(), place=place,
                        use="literal", score=0.0) for m in _THIS_CITY.finditer(self.text, self.dateline_end)]

    def literal(self, m: Mention) -> bool:
        return m.place is not None and m.use == "literal" and not self.in_dateline(m)

    def in_dateline(self, m: Mention) -> bool:
        return self.dateline is not None and self.dateline[0] <= m.start < self.dateline[1]

    def mentions_in(self, start: int, end: int) -> list[Mention]:
        # mentions are sorted by start: bisect, not a scan of all of them per call (issue 16: that
        # made an article's extraction quadratic in its length)
        starts = self._starts("mentions")
        return [m for m in self.mentions[bisect_left(starts, start):bisect_right(starts, end)] if m.end <= end]

    def sentence_of(self, char: int) -> Sentence | None:
        k = bisect_right(self._starts("sentences"), char) - 1  # sentences are in order and disjoint
        if k >= 0 and self.sentences[k].start <= char < self.sentences[k].end:
            return self.sentences[k]
        return None

    def _starts(self, name: str) -> list[int]:
        """Start offsets of `self.<name>` (sorted by start), cached while that list is the same."""
        items = getattr(self, name)
        cache = self.__dict__.setdefault("_start_cache", {})
        hit = cache.get(name)
        if hit is None or hit[0] is not items or hit[1] != len(items):
            hit = cache[name] = (items, len(items), [x.start for x in items])
        return hit[2]
        return None

    def _weigh_places(self) -> None:
        for m in self.mentions:
            if not self.literal(m):
                continue
            s = self.sentence_of(m.start)
            w = 2 if s is not None and s.kind == "headline" else 1
            p = m.place
            if p.country:
                self.country_weight[p.country] += w
            if p.admin1 and p.feature in ("locality", "landmark", "admin2", "admin1"):
                self.area_weight[p.admin1] += w

    # ------------------------------------------------------------ the article's places
    def main_country(self) -> str | None:
        """The country most of the article's literal places lie in (None when none is named)."""
        if not self.country_weight:
            return None
        return self.country_weight.most_common(1)[0][0]

    def headline_places(self) -> list[Mention]:
        return [m for m in self.mentions if self.literal(m) and (s := self.sentence_of(m.start)) is not None
                and s.kind == "headline"]

    def last_place_before(self, char: int, features: tuple[str, ...], paragraph: int | None = None) -> Mention | None:
        """The latest literal mention of one of `features` before `char` (in that paragraph, if given)."""
        best = None
        for m in self.mentions:
            if m.start >= char:
                break
            if not self.literal(m) or m.place.feature not in features or _DISTANCE_BEFORE.search(
                    self.text, max(0, m.start - 40), m.start):
                continue  # "40 km north of X" only measures from X: no antecedent of "the town"
            if paragraph is not None:
                s = self.sentence_of(m.start)
                if s is None or s.paragraph != paragraph:
                    continue
            best = m
        return best

    def container_for(self, char: int) -> Place | None:
        """For a place the gazetteer lacks: the smallest unit around it that the article names — the
        latest admin-2/admin-1 area named before it in its paragraph, else the article's main admin-1
        area (when one dominates), else None."""
        return self.paragraph_area(char) or self.article_area()

    def paragraph_area(self, char: int) -> Place | None:
        """The latest admin-2/admin-1 area named before `char` in its paragraph."""
        s = self.sentence_of(char)
        m = self.last_place_before(char, ("admin2", "admin1"), s.paragraph if s else None)
        return m.place if m is not None else None

    def article_area(self) -> Place | None:
        """The article's main admin-1 area as the text names it, when one dominates."""
        area = self.main_area()
        if area is not None:
            for m in self.mentions:
                if self.literal(m) and m.place.feature == "admin1" and m.place.admin1 == area:
                    return m.place
        return None

    def main_area(self) -> str | None:
        """The admin-1 code that holds most of the article's places, if it holds at least half."""
        if not self.area_weight:
            return None
        code, n = self.area_weight.most_common(1)[0]
        return code if n * 2 >= sum(self.area_weight.values()) else None


CONFLICT_WORDS = 3


def _register(text: str, name: str, least: int = CONFLICT_WORDS) -> bool:
    """At least CONFLICT_WORDS distinct words of a cue list in the article: a war report (troops, drones,
    shelling...), where "a civilian was killed in the strikes" needs no weapon in its own sentence, or a
    protest report, where "rallies were also held in X" needs no protesters in its own."""
    from geo.events.lexicon import cues

    cue = cues()["contexts"][name]
    words = set(re.findall(r"[a-z][a-z-]+", text.lower()))
    return len(words & cue) >= least


def _sentences(text: str) -> list[Sentence]:
    spans = _join_times(text, sentences(text))
    kinds = _line_kinds(text, spans)
    out, par = [], 0
    for k, (a, b) in enumerate(spans):
        if k and "\n" in text[spans[k - 1][1]:a]:
            par += 1
        out.append(Sentence(k, a, b, kinds[k], par))
    return out


def _join_times(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """"shortly after 9 a.m. on Tuesday, killing four": a clock time does not end the sentence."""
    out: list[tuple[int, int]] = []
    for s in spans:
        if out and _CLOCK_END.search(text[out[-1][0]:out[-1][1]]) and "\n" not in text[out[-1][1]:s[0]] \
                and text[s[0]:s[0] + 1].islower():
            out[-1] = (out[-1][0], s[1])
        else:
            out.append(s)
    return out


def _line_kinds(text: str, spans: list[tuple[int, int]]) -> list[str]:
    out = []
    first = len(text) - len(text.lstrip())  # text[:a] is blank exactly when a <= first
    a, b, prev, kind = 0, -2, 0, "body"
    for s0, s1 in spans:  # in text order: each line is looked at once (linear in the text, issue 16)
        nl = text.rfind("\n", prev, s0)
        prev = s0
        if nl >= 0 and nl + 1 != a:
            a, b = nl + 1, -2  # a new line
        if b == -2 or 0 <= b < s1:
            b = text.find("\n", s1)
            line = text[a:len(text) if b < 0 else b].strip()
            if _CROSS_LINK.match(line) or _CREDIT.search(line):
                kind = "caption"  # "ALSO READ: ...": another story's headline; a photo with its credit
            elif not line or re.search(r"[.!?…:;\"”’')\]]$", line):
                kind = "body"
            elif a <= first or title_case(line):
                kind = "headline"  # the first line, or a second headline in Title Case further down
            elif len(line.split()) <= 8 or _ends_with_date(line):
                kind = "caption"
            else:
                kind = "body"
        out.append(kind)
    return out


def _ends_with_date(line: str) -> bool:
    exprs = find_date_expressions(line)
    return bool(exprs) and len(line) - exprs[-1][1] <= 2


def _dateline(text: str, sents: list[Sentence]) -> tuple[tuple[int, int] | None, int]:
    """"KYIV, Ukraine (AP) —", "MOSCOW (Reuters) -", or a line that is only a capitalised city, within
    the first few body lines: (the span of its place, the end of the whole dateline), or (None, 0)."""
    for s in sents[:6]:
        if s.kind == "headline":
            continue
        for m in _DATELINE.finditer(text, s.start, s.end):  # at any line start ("By: REUTERS\nMOGADISHU –")
            line_start = m.start("place") == s.start or text[m.start() - 1] == "\n"
            if line_start and len(m.group("place")) >= 3 and m.group("place").upper() == m.group("place") \
                    and not m.group("place").startswith("BY"):
                return (m.start("place"), m.end("place")), m.end()
    return None, 0
