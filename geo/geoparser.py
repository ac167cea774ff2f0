"""Geoparsing: find place names in text (recognition) and pick the place each one means (resolution).

Recognition looks up runs of capitalised words (and "<name> region"-style phrases) in the
gazetteer's name index, then drops what is not a place: people (titles, given names, "X said", and
a surname once seen stays a person), everyday words GeoNames also holds ("Union", "March"), and lone
given names or alternate-spelling-only words unless the text places them ("in Greer"). Places
inside organisation names ("Kyiv Post") are kept with use "embedded", demonyms ("Ukrainian") with
use "demonym", and AP state abbreviations ("Ky.") as their states.

Resolution scores each candidate place with a logistic model over `FEATURES` (population, feature
kind, how the name matched, the document's countries and admin areas, explicit containers "X in Y"
/ "X, Y" / "Y's X", distance to the document's anchor places, aliases the text defines), whose
weights live in data/models/resolver.json and are fitted by tools/train_resolver.py. One surface
keeps one meaning throughout a document unless a mention has its own container.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import mul

from gazetteer import Gazetteer, fold
from gazetteer.normalize import skeleton
from gazetteer.core import km
from gazetteer.place import Place
from geo.models import Article, Mention
from geo.text import Token, tokens

# Resolution features, in the order of the weight vector in data/models/resolver.json (fitted by
# tools/train_resolver.py; see README "Resolution model").
FEATURES = (
    "bias", "log_pop", "is_country", "is_admin1", "is_admin2", "is_water", "is_region", "is_landmark",
    "is_continent", "capital", "name_alias", "name_alternate", "name_generated", "top_population",
    "doc_country", "doc_country_share", "doc_admin1", "doc_admin1_share", "container", "container_miss",
    "contains_child", "proximity", "log_distance", "shared_alias", "namesake_area", "demonym_country",
)
MAX_SPAN_TOKENS = 6
_NAME_ABBREVIATIONS = {"St", "Ste", "Mt", "Ft", "Pt"}  # "St. Louis", "Sault Ste. Marie", "Ft. Worth"
_CONNECTORS = {"of", "de", "del", "la", "le", "al", "el", "an", "am", "upon", "on", "sur", "the", "da",
               "di", "du", "des", "do", "dos", "ul", "ar", "as", "ash", "ad", "az", "bin", "ibn", "and"}


@lru_cache(maxsize=1)
def lexicon() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("geo_data").joinpath("lexicons", "geoparse.json").read_text("utf-8"))
    return {k: v if isinstance(v, dict) else frozenset(v) for k, v in raw.items() if not k.startswith("_")}


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Lower-case English dictionary words (a capitalised one is usually not a place)."""
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"], lower=False, alpha=True) if w.islower())


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """The lower-case names that gender-guesser's case-insensitive Detector knows (get_gender(w) !=
    "unknown" exactly when w.lower() is one of them), read from its data file the way the Detector
    reads it but without building its per-country tables: ~10x faster at start-up."""
    import os.path

    import gender_guesser.detector as gd

    names: set[str] = set()
    with open(os.path.join(os.path.dirname(gd.__file__), "data/nam_dict.txt"), encoding="utf-8") as f:
        for line in f.read().splitlines():  # the line breaks of codecs' readline, which the Detector uses
            line = line.strip()
            if line[0] not in "#=":
                name = line.split(None, 2)[1].lower()
                if "+" in name:
                    names.update(name.replace("+", r) for r in ("", " ", "-"))
                else:
                    names.add(name)
    return frozenset(names)


@lru_cache(maxsize=1 << 14)
def is_first_name(word: str) -> bool:
    """A given name in gender-guesser's multilingual list; short function words ("In", "As", "The")
    that the list also holds are not taken for names."""
    if not word[:1].isupper() or (len(word) <= 3 and word.lower() in common_words()) or word.lower() in _FUNCTION_WORDS \
            or word in demonym_table():  # "Georgian", "Jordanian" are in the name list too
        return False
    return word.lower() in _first_names()


_FUNCTION_WORDS = frozenset("the this that these those there their then than when where while after before "
                            "since until during with from into onto over under about above below between "
                            "among against without within".split())


@dataclass
class Candidate:
    """A recognised span and the places it may mean."""

    start: int
    end: int
    surface: str
    rows: list[tuple[int, int]]          # (gazetteer row, name kind)
    common: bool = False                 # a single common English word
    locative: bool = False               # preceded by "in", "near", ...
    inside_name: bool = False            # part of a longer capitalised name that is not a place
    container: int | None = None         # index of the candidate that contains it
    demonym: bool = False                # "Ukrainian", "Texans": names the people, points at the place
    name_like: bool = False              # a lone given name or alternate-spelling-only word
    embedded: bool = False               # inside an organisation's name: "Kyiv Post", "Bank of England"
    strict_locative: bool = False        # right after "in", "at", "near"...
    scores: dict[int, float] = field(default_factory=dict)
    best: int | None = None


def geoparse(text: str, article_id: str = "-", gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every place mention in `text`, resolved, in text order (unresolvable spans are dropped)."""
    gaz = gazetteer or Gazetteer.default()
    cands = recognise(text, gaz)
    _resolve(cands, gaz)
    out = []
    for c in cands:
        if c.best is None:
            continue
        place = gaz.place(c.best)
        if not _plausible(text, c, place):
            continue
        use = "demonym" if c.demonym else "embedded" if c.embedded else _use(text, c, place)
        out.append(Mention(article=article_id, start=c.start, end=c.end, surface=c.surface, place=place,
                           use=use, score=c.scores[c.best]))
    return out


def recognise(text: str, gaz: Gazetteer) -> list[Candidate]:
    """The toponym spans of `text` with their candidate places, containers linked, not yet resolved."""
    toks = tokens(text)
    caps = [_capitalised(t) for t in toks]  # read by the place runs and the person finder alike
    persons = _person_tokens(text, toks, gaz, caps)
    cands = _recognise(text, toks, persons, gaz, caps)
    cands += _abbreviated_areas(text, cands, gaz)
    cands = _adjectives_are_demonyms(text, cands)
    cands = sorted(cands + _demonyms(text, toks, cands, persons, gaz), key=lambda c: c.start)
    _link_containers(text, cands, gaz)
    for c in cands:
        c.rows = _respellings_as_own_names(c.surface, c.rows, gaz)
    return _drop_name_like(cands)


def _respellings_as_own_names(surface: str, rows, gaz: Gazetteer):
    """An alternate name that only respells the place's own name ("Zaporizhzhia" for Zaporizhzhya,
    "Sloviansk" for Slov'yans'k) is as good as the name itself: news transliterates freely."""
    key = skeleton(surface)
    return [(r, 0 if kind == 2 and skeleton(gaz.name[r]) == key else kind) for r, kind in rows]


def _drop_name_like(cands: list[Candidate]) -> list[Candidate]:
    """Drop lone name-like words ("Kristina", "Hamas") unless the document uses the same word as a
    place somewhere: right after "in"/"at"/"near", or with a container ("Greer, S.C.")."""
    placed = {fold(c.surface) for c in cands if c.name_like and (c.strict_locative or c.container is not None)}
    keep = [c for c in cands if not c.name_like or fold(c.surface) in placed]
    if len(keep) == len(cands):
        return cands
    index = {id(c): n for n, c in enumerate(keep)}
    for c in keep:  # container links are list indices: renumber them
        if c.container is not None:
            box = cands[c.container]
            c.container = index.get(id(box))
    return keep


def geoparse_article(article: Article) -> list[Mention]:
    return geoparse(article.text, article_id=article.id)


# ---------------------------------------------------------------- recognition
def _runs(text: str, toks: list[Token], caps: list[bool]) -> list[list[int]]:
    """Maximal runs of capitalised tokens on one line, joined by spaces, hyphens or connectors
    (`caps[i]`: token i is `_capitalised`)."""
    runs: list[list[int]] = []
    cur: list[int] = []
    for i, t in enumerate(toks):
        if not cur and not caps[i]:
            continue  # neither in a run nor starting one
        gap = text[toks[i - 1].end:t.start] if i else ""
        joined = bool(cur) and (gap in (" ", "-", "\u2010", "\u2011", "")
                                or gap == ". " and toks[i - 1].text in _NAME_ABBREVIATIONS)
        if caps[i] and (joined or not cur):
            cur.append(i)
        elif cur and t.text.lower() in _CONNECTORS and gap in (" ", "-") and i + 1 < len(toks) \
                and caps[i + 1] and text[t.end:toks[i + 1].start] in (" ", "-"):
            cur.append(i)
        else:
            if cur:
                runs.append(cur)
            cur = [i] if caps[i] else []
    if cur:
        runs.append(cur)
    return runs


def _capitalised(t: Token) -> bool:
    return t.text[:1].isupper() and t.text not in ("'s", "’s")


# "the town of X", "the village of X", "20 km south of X": the text places X as firmly as "in X" does
_SETTLEMENT_WORDS = frozenset({"city", "town", "village", "settlement", "hamlet", "township", "port", "capital",
                               "district", "region", "province", "oblast", "governorate",
                               # "25 km north of X", "the outskirts of X": as firm as "the town of X"
                               "north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                               "outskirts", "vicinity", "environs"})
_OF = re.compile(r"\s+of\s+", re.I)


@lru_cache(maxsize=2)
def _framed_starts(text: str) -> frozenset[int]:
    """Offsets right after a "the town of " frame: one scan of the text for " of " (a scan for the
    frame words themselves tries each word at every position), then a look at the word before it."""
    out = set()
    for m in _OF.finditer(text):
        k = s = m.start()
        while k > 0 and text[k - 1].isalpha():
            k -= 1
        if text[k:s].lower() in _SETTLEMENT_WORDS and not (k and (text[k - 1].isalnum() or text[k - 1] == "_")):
            out.add(m.end())
    return frozenset(out)


def _recognise(text: str, toks: list[Token], persons: set[int], gaz: Gazetteer, caps: list[bool]) -> list[Candidate]:
    lex = lexicon()
    found: list[Candidate] = []
    titles = _title_case_lines(text) if "\n" in text or len(text) < 300 else []
    for run in _runs(text, toks, caps):
        named = _name_positions(toks, run, lex)
        i = 0
        while i < len(run):
            hit = _longest_match(text, toks, run, i, gaz)
            if hit is None:
                i += 1
                continue
            j, end, rows = hit  # tokens run[i..j] (plus maybe a suffix word ending at `end`)
            span_toks = [toks[k] for k in run[i:j + 1]]
            start = span_toks[0].start
            surface = text[start:end]
            if _keep(text, toks, run[i], run[j], surface, rows, persons, gaz, lex):
                prev = _prev_word(text, start)
                embedded = _org_after(text, toks, run[j], lex) or _org_before_of(text, start, lex) \
                    or _OPERATION_BEFORE.search(text, max(0, start - 12), start) is not None
                title = any(a <= start < b for a, b in titles)
                found.append(Candidate(start, end, surface, rows, common=_is_common(surface, title), embedded=embedded,
                                       locative=prev in lex["locative_before"],
                                       inside_name=_inside_name(named, i, j),
                                       name_like=i == j and _name_like(surface, rows, gaz),
                                       strict_locative=prev in lex["strict_locative_before"]
                                       or start in _framed_starts(text)))
            i = j + 1
    _plural_admin_lists(text, found, gaz)
    return found + _framed_respellings(text, toks, found, persons, gaz)


_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?"
_PLURAL_ADMIN = re.compile(rf"(?:{_NAME}(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*))+{_NAME}\s+"
                           r"(?P<kind>regions|oblasts|provinces|states|governorates|krais|prefectures)\b")
_PLURAL_ADMIN_WORD = re.compile(r"\s(?:regions|oblasts|provinces|states|governorates|krais|prefectures)\b")


def _plural_admin_lists(text: str, found: list[Candidate], gaz: Gazetteer) -> None:
    """"the Kyiv, Poltava and Kirovohrad regions": the plural suffix makes every name of the list its
    region, not the city (each candidate's rows become those of "<name> region" where there are any)."""
    if not _PLURAL_ADMIN_WORD.search(text):
        return  # the list pattern is costly to scan; its last word is rare
    for m in _PLURAL_ADMIN.finditer(text):
        kind = m["kind"][:-1]
        for c in found:
            if m.start() <= c.start and c.end <= m.start("kind"):
                own = {gaz.admin1[r] for r, _ in c.rows}  # the region named after one of the name's towns
                rows = [r for r in gaz.candidates(f"{c.surface} {kind}") if gaz.feature[r[0]] in ("admin1", "admin2")
                        and gaz.admin1[r[0]] in own]
                if rows:
                    c.rows = rows


def _sure_countries(found: list[Candidate], gaz: Gazetteer) -> set[str]:
    """Countries of the names that can lie in one country only (a country's own name, an unambiguous town)."""
    out = set()
    for c in found:
        ccs = {gaz.country[r] for r, _ in c.rows}
        if len(ccs) == 1:
            out |= ccs - {None, ""}
    return out


def _framed_respellings(text: str, toks: list[Token], found: list[Candidate], persons: set[int],
                        gaz: Gazetteer) -> list[Candidate]:
    """"the town of Myrnograd": a name the text places in a settlement frame, spelt another way than the
    gazetteer's (Myrnohrad), is found by its transliteration skeleton."""
    taken = [(c.start, c.end) for c in found]
    starts = {c.start: c for c in found}
    here = _sure_countries(found, gaz)
    out = []
    for k, t in enumerate(toks):
        if not t.is_cap or k in persons:
            continue
        container = None
        if t.start not in _framed_starts(text):
            container = _container_after(text, toks, k, starts, gaz)
            if container is None:
                continue  # a frame first (both are rare): the scan of what is taken costs O(names)
        if any(a <= t.start < b for a, b in taken):
            continue
        for n in (2, 1):  # "the city of Al Fasher": two words before one
            if k + n > len(toks) or not all(toks[j].is_cap or toks[j].text[:2] in ("d'", "d’") for j in range(k, k + n)) \
                    or any(text[toks[j - 1].end:toks[j].start] not in (" ", "-") for j in range(k + 1, k + n)):
                continue  # "Al Fasher", "Saut-d'Eau": two words joined by a space or a hyphen
            surface = text[t.start:toks[k + n - 1].end]
            if fold(surface) in lexicon()["never_places"] or (container is not None and not _PLAIN_NAME.fullmatch(surface)):
                continue
            rows = [r for r in gaz.skeleton_candidates(surface) if gaz.feature[r[0]] in ("locality", "admin2", "admin1")]
            if container is not None:  # "X, southern Lebanon": only a spelling of a place in Lebanon
                rows = [r for r in rows if gaz.country[r[0]] == container]
            if not rows and n == 2:  # a two-word name spelt another way ("Al Fasher"): the gazetteer's variants
                rows = [(row, 2) for row in (gaz.row_of(pl.id) for pl in gaz.lookup(surface, limit=3))
                        if row is not None and gaz.feature[row] in ("locality", "admin2", "admin1")]
            if not rows and n == 1 and container is None and here and not _is_common(surface):
                # "the outskirts of Kyaukphyu" (Kyaukpyu): a close spelling, in a country the text is surely about
                rows = [(row, 2) for cc in sorted(here) for row in (gaz.row_of(pl.id) for pl in gaz.lookup(
                        surface, country=cc, feature="locality", limit=2)) if row is not None and gaz.country[row] == cc]
            if rows:
                out.append(Candidate(t.start, toks[k + n - 1].end, surface, rows, strict_locative=True, locative=True))
                taken.append((t.start, toks[k + n - 1].end))
                break
    return out


# a compass part of a country or region: "southern", "north-eastern", "central"
DIRECTION_ADJ = r"(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
# "X, southern Lebanon", "X, in northern Israel": a name placed by its container right after it
_CONTAINER_AFTER = re.compile(rf",\s+(?:in\s+)?(?:the\s+)?(?:{DIRECTION_ADJ}\s+)?", re.I)


_PLAIN_NAME = re.compile(r"[^\W\d_][\w'’-]*(?: [^\W\d_][\w'’-]*)?")


def _container_after(text: str, toks: list[Token], k: int, starts: dict[int, "Candidate"],
                     gaz: Gazetteer) -> str | None:
    """The country code of the country or province named right after the one- or two-word name at
    toks[k] ("Sidon, southern Lebanon"), or None."""
    for n in (1, 2):
        if k + n > len(toks):
            break
        end = toks[k + n - 1].end
        m = _CONTAINER_AFTER.match(text, end)
        if m and m.end() in starts:
            rows = starts[m.end()].rows
            country = [gaz.country[r] for r, _ in rows if gaz.feature[r] == "country"]
            areas = {gaz.country[r] for r, _ in rows if gaz.feature[r] == "admin1"}
            if country or len(areas) == 1:
                return country[0] if country else next(iter(areas))
    return None


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> re.Pattern[str]:
    keys = sorted(lexicon()["abbreviated_areas"], key=len, reverse=True)
    assert all("A" <= k[0] <= "Z" for k in keys), "the scan below skips all but capitals"
    return re.compile(r"(?<![\w.])(?=[A-Z])(%s)(?=[\s,;:)\]\"”—-]|$)" % "|".join(re.escape(k) for k in keys))


def _abbreviated_areas(text: str, found: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """AP-style state and province abbreviations ("Lexington, Ky.", "Columbia, S.C."). A one-word
    abbreviation ("Ky.", "Miss.") counts only after a comma, where a place's container stands; a
    dotted initialism ("N.Y.", "W.Va.") counts anywhere."""
    codes = lexicon()["abbreviated_areas"]
    taken = [(c.start, c.end) for c in found]
    out = []
    for m in _abbreviation_pattern().finditer(text):
        surface = m.group(1)
        if surface.count(".") < 2 and not re.search(r",\s*$", text[max(0, m.start() - 3):m.start()]):
            continue
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        rows = _code_rows(codes[surface], gaz)
        if rows:
            out.append(Candidate(m.start(), m.end(), surface, rows))
    return out


@lru_cache(maxsize=1)
def demonym_table() -> dict[str, tuple[str, ...]]:
    """Demonym -> the codes it can point at (data/lexicons/demonyms.tsv): "Georgian" -> (GE, US.GA)."""
    out: dict[str, tuple[str, ...]] = {}
    text = resources.files("geo_data").joinpath("lexicons", "demonyms.tsv").read_text("utf-8")
    for line in text.splitlines():
        if line and not line.startswith("#") and not line.startswith("demonym\t"):
            dem, code = line.split("\t")[:2]
            out[dem] = out.get(dem, ()) + (code,)
    return out


def _demonyms(text: str, toks: list[Token], found: list[Candidate], persons: set[int],
              gaz: Gazetteer) -> list[Candidate]:
    """Demonyms and adjectives of place ("Ukrainian", "Sri Lankan", "Texans"): toponym benchmarks
    annotate them, and they tell which country a story is about. They never locate events."""
    table = demonym_table()
    firsts = _demonym_first_words()
    taken = [(c.start, c.end) for c in found]
    out = []
    k = 0
    while k < len(toks):
        if toks[k].text not in firsts:
            k += 1
            continue
        for n in (3, 2, 1):
            if k + n > len(toks) or any(j in persons for j in range(k, k + n)):
                continue
            start, end = toks[k].start, toks[k + n - 1].end
            surface = text[start:end]
            codes = table.get(surface)
            if codes and not any(s < end and start < e for s, e in taken):
                rows = [r for code in codes for r in _code_rows(code, gaz)]
                if rows:
                    out.append(Candidate(start, end, surface, rows, demonym=True))
                    k += n - 1
                    break
        k += 1
    return out


def _adjectives_are_demonyms(text: str, cands: list[Candidate]) -> list[Candidate]:
    """A demonym that is also a place name, used as an adjective ("the Somali town of X", "Somali
    forces"), names the people: the place reading (Ethiopia's Somali Region) gives way, unless the text
    places it ("in Somali")."""
    table = demonym_table()
    out = []
    for c in cands:
        after = text[c.end:c.end + 30]
        if c.surface in table and re.match(r" +(?:[a-z][\w-]*)", after) and not c.strict_locative:
            continue
        out.append(c)
    return out


@lru_cache(maxsize=1)
def _demonym_first_words() -> frozenset[str]:
    return frozenset(d.split(" ")[0] for d in demonym_table())


def _code_rows(code: str, gaz: Gazetteer) -> list[tuple[int, int]]:
    """Gazetteer rows for a country code (UA), an admin-1 code (US.TX) or a place id (gn:703883)."""
    cache = gaz.__dict__.setdefault("_geoparser_code_rows", {})
    if code not in cache:
        cache[code] = _find_code_rows(code, gaz)
    return cache[code]


def _find_code_rows(code: str, gaz: Gazetteer) -> list[tuple[int, int]]:
    place = gaz.get(code) if ":" in code else gaz.admin1_place(code) if "." in code else gaz.country_place(code)
    if place is None:
        return []
    return [(r, 1) for r, _ in gaz.candidates(place.name) if gaz.place(r).id == place.id][:1]


def _name_positions(toks: list[Token], run: list[int], lex) -> list[int]:
    """Positions in `run` of the words that make a longer name: not articles, connectors or date
    words ("the Kremlin on Tuesday"). Computed once per run, so a run of thousands of capitalised
    words costs linear time."""
    return [n for n, k in enumerate(run)
            if toks[k].text.lower() not in _CONNECTORS and fold(toks[k].text) not in lex["never_places"]]


def _inside_name(named: list[int], i: int, j: int) -> bool:
    """True when the span run[i..j] is part of a longer capitalised name ("European Union"): a
    name word of its run (`_name_positions`) lies outside the span."""
    return bool(named) and (named[0] < i or named[-1] > j)


def _longest_match(text: str, toks: list[Token], run: list[int], i: int, gaz: Gazetteer):
    """The longest gazetteer name starting at run[i], trying "<name> region"-style suffixes first."""
    suffixes = lexicon()["admin_suffixes"]
    for j in range(min(len(run), i + MAX_SPAN_TOKENS) - 1, i - 1, -1):
        if toks[run[j]].text.lower() in _CONNECTORS:
            continue
        start, end = toks[run[i]].start, toks[run[j]].end
        nxt = run[j] + 1
        site = _facility(text, toks, start, nxt, gaz)
        if site is not None:
            return j, site[0], site[1]
        if nxt < len(toks) and toks[nxt].text.lower() in suffixes and text[end:toks[nxt].start] == " ":
            rows = gaz.candidates(text[start:toks[nxt].end])
            if rows:
                return j, toks[nxt].end, rows
        rows = gaz.candidates(text[start:end])
        if rows:
            framed = (text.endswith(" of ", 0, start) or text.endswith(" of the ", 0, start)) \
                and _ADMIN_FRAME.search(text, max(0, start - 40), start)
            if framed and framed.group(1).lower() in _ADMIN1_WORDS and not _NAMED_BEFORE.search(
                    text, max(0, framed.start() - 30), framed.start()):  # "the region of Mykolaiv": the oblast
                rows = gaz.candidates(f"{text[start:end]} {framed.group(1).lower()}") or rows
            return j, end, rows
    return None


# "... region of <name>", "the province of <name>": the name is the admin area's, not its capital's.
_ADMIN_FRAME = re.compile(r"\b(\w+) of (?:the )?$")
_OPERATION_BEFORE = re.compile(r"\bOp(?:eration|ération|eración)s?\s+$")  # "Operation Niya": a military operation's name
_NAMED_BEFORE = re.compile(r"[A-Z][\w'’-]*\s+$")  # "the Tillaberi region of Niger": a named region of a country
# not "district" or "county": "the Korabelnyi district of Kherson" is a part of the city
_ADMIN1_WORDS = frozenset({"region", "province", "oblast", "governorate", "state", "krai", "prefecture", "department"})


@lru_cache(maxsize=4)
def _first_words(phrases: frozenset[str]) -> frozenset[str]:
    return frozenset(p.split(" ")[0] for p in phrases)


def _facility(text: str, toks: list[Token], start: int, nxt: int, gaz: Gazetteer):
    """(end, rows) of "<name> air base"-style site names the gazetteer holds as landmarks, else None."""
    words = lexicon()["facility_suffixes"]
    if nxt >= len(toks) or toks[nxt].text not in _first_words(words):
        return None
    for n in (3, 2, 1):
        if nxt + n > len(toks) or not all(toks[k].text.islower() for k in range(nxt, nxt + n)):
            continue
        phrase = " ".join(toks[k].text for k in range(nxt, nxt + n))
        if phrase not in words:
            continue
        rows = [r for r in gaz.candidates(text[start:toks[nxt + n - 1].end]) if gaz.feature[r[0]] == "landmark"]
        if rows:
            return toks[nxt + n - 1].end, rows
    return None


def _keep(text: str, toks: list[Token], first: int, last: int, surface: str, rows, persons: set[int],
          gaz: Gazetteer, lex) -> bool:
    """False for spans that are people, organisations, titles, or short codes that only look like names."""
    key = fold(surface)
    if key in lex["never_places"] or any(k in persons for k in range(first, last + 1)):
        return False
    if _CONTRACTION.search(surface) or key in lex["direction_words"]:
        return False  # "We're", "I've"; a bare "South" is a direction, not the province named South
    if first == last and _weak_match(surface, rows):
        return False
    if surface.isupper() and len(surface.replace(".", "")) <= 5 and not any(
            kind == 1 or gaz.name[r].isupper() for r, kind in rows):
        return False  # "CPC", "NATO": acronyms count only when curated (US, UK, UAE, DRC)
    return True


_CONTRACTION = re.compile(r"['’](?:ve|re|ll|d|m)$|n['’]t$", re.I)


def _weak_match(surface: str, rows) -> bool:
    """A short or everyday word ("No", "We", "Act") that names a place only through one of GeoNames'
    alternate spellings, never as a place's own name or a curated alias: noise, not a toponym."""
    if any(kind <= 1 for _row, kind in rows) or surface.isupper():
        return False
    return len(surface) <= 3 or _is_common(surface)


def _name_like(word: str, rows, gaz: Gazetteer) -> bool:
    """A lone word that is more likely a person or an organisation than a place: a given name
    ("Kristina", "Robert") that names no major place, or a word that names only towns, and those
    only through GeoNames' alternate names that are not mere respellings of its own ("Hamas" for
    Hamm, but not "Sloviansk" for Slov'yans'k). "in"/"near" before it override."""
    if is_first_name(word) and not _is_major_place(word, gaz):
        return True
    if any(kind < 2 or gaz.feature[r] != "locality" for r, kind in rows):
        return False
    key = skeleton(word)  # "Sloviansk" for Slov'yans'k is a spelling of the town's own name
    return not any(skeleton(gaz.name[r]) == key for r, _k in rows)


def _org_after(text: str, toks: list[Token], last: int, lex) -> bool:
    """"Kyiv Post", "US Army", "Caspian Pipeline Consortium": a place name heading an organisation."""
    nxt = last + 1
    if nxt >= len(toks) or not toks[nxt].is_cap or text[toks[last].end:toks[nxt].start] != " ":
        return False
    two = f"{toks[nxt].text} {toks[nxt + 1].text}".lower() if nxt + 1 < len(toks) else ""
    return toks[nxt].text.lower() in lex["org_words_after"] or two in lex["org_words_after"]


def _org_before_of(text: str, start: int, lex) -> bool:
    """"Armed Forces of Ukraine", "Bank of England": capitalised organisation words before "of"."""
    m = re.search(r"((?:[A-Z][\w'’-]*\s+){1,3})of\s+(?:the\s+)?$", text[max(0, start - 60):start])
    return bool(m) and fold(m.group(1)) in {fold(w) for w in lex["org_words_before_of"]} \
        and text[start - len(m.group(0)) - 1:start - len(m.group(0))] != "."


def _is_common(surface: str, title_case: bool = False) -> bool:
    """A single common English word; in a Title Case line, where every word has a capital, also its
    plural or third-person form ("Airport Falls to Rebels")."""
    if " " in surface:
        return False
    low = surface.lower()
    words = common_words()
    if low in words or (low.endswith("re") and low[:-2] + "er" in words):  # British spellings: "Centre"
        return True
    return title_case and len(low) > 4 and low.endswith("s") and not low.endswith("ss") and low[:-1] in words


_LINE = re.compile(r"[^\n]+")


def title_case(line: str) -> bool:
    """A headline-style line: five words or more, four in five of them capitalised."""
    words = re.findall(r"[^\W\d_][\w’'-]*", line)
    return len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _LINE.finditer(text) if title_case(m.group())]


# "in the " before a name, read backwards from the name (an end-anchored search tries every start)
_PREV_WORD_REVERSED = re.compile(r"(?:\s+eht)?[\s,]+([A-Za-z]+)")


def _prev_word(text: str, start: int) -> str:
    m = _PREV_WORD_REVERSED.match(text[max(0, start - 30):start][::-1])
    return m.group(1)[::-1].lower() if m else ""


def _plausible(text: str, c: Candidate, place: Place) -> bool:
    """A capitalised common word ("Union", "March", "But") is a place only when it names something big
    enough to be meant, or stands where places stand ("in Nice"); never inside a longer proper name
    that is not a place ("European Union", "Security Council")."""
    if not c.common:
        return True
    kind = min(k for r, k in c.rows if r == c.best)
    if kind >= 2:
        return False  # "We" read as Hue through one of its alternate spellings
    if c.inside_name and place.feature in ("admin1", "region"):
        return False  # "the Maritime Trade Operations centre", "Central Command": a name, not Togo's region
    big = place.feature in ("country", "continent", "admin1", "water", "region") and kind <= 1
    if big:
        return True
    if c.inside_name or _sentence_start(text, c.start):
        return False
    return place.population >= 100_000 or (c.strict_locative and place.population >= 1_000)


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start].rstrip(" \"“‘'(")
    return not before or before[-1] in ".!?:\n"


# ---------------------------------------------------------------- people
def _person_tokens(text: str, toks: list[Token], gaz: Gazetteer, caps: list[bool]) -> set[int]:
    """Indices of tokens that are part of a person's name, with one-sense-per-document for surnames.

    A run of capitalised words is cut at words that never belong to a personal name ("County",
    "Police", "Street"), so "Laurel County Sheriff John Root" yields the person "John Root" and leaves
    "Laurel County" a place. A first name that is also a place ("Alexandria", "Georgia") makes a person
    only with a surname after it."""
    lex = lexicon()
    person: set[int] = set()
    names: set[str] = set()
    for whole_run in _name_runs(text, toks, caps):
        for run in _name_segments(whole_run, toks, lex):
            _person_in_segment(text, toks, run, gaz, lex, person, names)
    said = _said_positions(text)  # most words stand next to no reporting verb: skip them cheaply
    for k, t in enumerate(toks):
        if t.text in names or ((t.end in said or t.start in said) and t.text[:1].isupper()
                               and _said_next_to(text, t) and not _is_major_place(t.text, gaz)
                               and _prev_word(text, t.start) not in _GROUP_OF):  # "residents of X said"
            person.add(k)
    for m in _NICKNAME.finditer(text):  # 'Ismael "El Mayo" Zambada': a nickname inside a person's name
        person.update(k for k, t in enumerate(toks) if m.start() <= t.start < m.end())
    for m in _BYLINE.finditer(text):  # "Jane Doe | 26.08.2025": a byline names its author
        person.update(k for k, t in enumerate(toks) if m.start("who") <= t.start < m.end("who"))
    return person


_GROUP_OF = frozenset({"of", "in", "from", "at"})  # "residents of X said": X is where they are, no person
_NICKNAME = re.compile(r"\b[A-Z][\w'’-]+\s+[\"“][A-Z][^\"”\n]{0,28}[\"”]\s+[A-Z][\w'’-]+")
_BYLINE = re.compile(r"(?m)^[ \t]*(?:By:?[ \t]+)?(?P<who>[A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){1,3})[ \t]*\|")


def _name_segments(run: list[int], toks: list[Token], lex) -> list[list[int]]:
    """Split a capitalised run at titles and words that are never part of a personal name; each
    segment keeps the title in front of it (so "Sheriff John Root" stays titled)."""
    segs, cur = [], []
    for k in run:
        word = toks[k].text.lower()
        if word in lex["not_name_parts"] or word in lex["org_words_after"]:
            if cur:
                segs.append(cur)
            cur = []
        elif word in lex["person_titles"] or word.split("-")[0] in lex["person_titles"]:
            if cur and not all(toks[j].text.lower() in lex["person_titles"] for j in cur):
                segs.append(cur)
                cur = []
            cur.append(k)
        else:
            cur.append(k)
    if cur:
        segs.append(cur)
    return segs


def _person_in_segment(text: str, toks: list[Token], seg: list[int], gaz: Gazetteer, lex,
                       person: set[int], names: set[str]) -> None:
    run = _drop_leading_titles(seg, toks, lex)
    if not run:
        return
    words = [toks[k].text for k in run]
    whole = text[toks[run[0]].start:toks[run[-1]].end]
    titled = len(run) < len(seg) or _title_before(text, toks[run[0]].start, lex)
    if len(run) >= 2 and _is_place_name(whole, gaz) and not titled:
        return
    first = next((p for p, w in enumerate(words[:-1]) if is_first_name(w)), None)
    if first is not None:
        run, words = run[first:], words[first:]
    if not ((len(run) >= 2 and first is not None) or titled):
        return
    person.update(run)
    for p, w in enumerate(words):
        # the surname carries over to later bare mentions ("George" after "Randy George"); a first name
        # that is also a place ("Alexandria Smith") or a major place word does not
        if (p == 0 and len(words) >= 2 and _is_place_name(w, gaz)) or (len(run) == 1 and _is_major_place(w, gaz)):
            continue
        names.add(w)


def _drop_leading_titles(run: list[int], toks: list[Token], lex) -> list[int]:
    """"President Volodymyr Zelenskyy" -> "Volodymyr Zelenskyy": titles head a name, they are not part of it."""
    k = 0
    while k < len(run) and (toks[run[k]].text.lower() in lex["person_titles"]
                            or toks[run[k]].text.lower().split("-")[0] in lex["person_titles"]):
        k += 1
    return run[k:]


def _name_runs(text: str, toks: list[Token], caps: list[bool]) -> list[list[int]]:
    """Runs of capitalised words joined by single spaces or hyphens (no connectors)."""
    runs, cur = [], []
    for k, (t, cap) in enumerate(zip(toks, caps)):
        name = cap and not t.text.isupper()
        if name and (not cur or text[toks[cur[-1]].end:t.start] in (" ", "-")):
            cur.append(k)
        else:
            if cur:
                runs.append(cur)
            cur = [k] if name else []
    if cur:
        runs.append(cur)
    return runs


_SAID_AFTER = re.compile(r"\s+(said|says|told|added|wrote|explained)\b")
_SAID_BEFORE = re.compile(r"\bsaid\s+$")
_SAID_WORD = re.compile(r"\b(?:said|says|told|added|wrote|explained)\b")


# The same two patterns read backwards from the name: an end-anchored search tries every start in
# the window, a match on the reversed window only the one (a tenth of the geoparser's time).
_WORD_BEFORE_REVERSED = re.compile(r"\s+\.?([\w-]*[A-Za-z])")
_TWO_WORDS_BEFORE_REVERSED = re.compile(r"\s+\.?([\w-]*[A-Za-z]\s+[\w-]*[A-Za-z])")


def _title_before(text: str, start: int, lex) -> bool:
    """A person's title ends right before `start` ("Gen. ", "Prime Minister ")."""
    back = text[max(0, start - 40):start][::-1]
    m = _WORD_BEFORE_REVERSED.match(back)
    if not m:
        return False
    if m.group(1)[::-1].lower() in lex["person_titles"]:
        return True
    two = _TWO_WORDS_BEFORE_REVERSED.match(back)
    return bool(two) and two.group(1)[::-1].lower() in lex["person_titles"]


def _said_positions(text: str) -> set[int]:
    """Offsets where a token could stand right before or after a reporting verb: where the spaces
    before each "said" start and where the spaces after it end. `_said_next_to` checks the token."""
    out = set()
    for m in _SAID_WORD.finditer(text):
        i = m.start()
        while i > 0 and text[i - 1].isspace():
            i -= 1
        out.add(i)
        if m.group() == "said":
            j = m.end()
            while j < len(text) and text[j].isspace():
                j += 1
            out.add(j)
    return out


def _said_next_to(text: str, t: Token) -> bool:
    after = text[t.end:t.end + 12]
    before = text[max(0, t.start - 6):t.start]
    return bool(_SAID_AFTER.match(after)) or bool(_SAID_BEFORE.search(before))


def _is_place_name(name: str, gaz: Gazetteer) -> bool:
    return bool(gaz.candidates(name))


def _is_major_place(name: str, gaz: Gazetteer) -> bool:
    """A country, a populated first-level area, continent, sea, or a town of 100,000+ people."""
    for row, _kind in gaz.candidates(name):
        feature = gaz.feature[row]
        if feature in ("country", "continent", "water", "region", "landmark") or gaz.pop[row] >= 100_000 \
                or (feature == "admin1" and gaz.pop[row] >= 10_000):
            return True
    return False


# ---------------------------------------------------------------- containers
_CONTAINER_GAP = re.compile(
    r"^(?:\s*,\s*|\s+(?:in|of|near|outside)\s+(?:the\s+)?(?:(?:%s)\s+)?)$")


def _link_containers(text: str, cands: list[Candidate], gaz: Gazetteer) -> None:
    """Mark "X in Y", "X, Y" and "Y's X" so that Y narrows X's resolution."""
    dirs = "|".join(re.escape(w) for w in sorted(lexicon()["direction_words"], key=len, reverse=True))
    gap_re = re.compile(_CONTAINER_GAP.pattern % dirs)
    for i in range(len(cands) - 1):
        a, b = cands[i], cands[i + 1]
        gap = text[a.end:b.start]
        if gap_re.match(gap) and _can_contain(b, gaz):
            a.container = i + 1
        elif re.fullmatch(r"['’]s\s+(?:(?:%s)\s+)?" % dirs, gap) and _can_contain(a, gaz):
            b.container = i


def _can_contain(c: Candidate, gaz: Gazetteer) -> bool:
    return any(gaz.feature[r] in ("country", "admin1", "admin2", "region", "continent") for r, _ in c.rows)


# ---------------------------------------------------------------- resolution
@lru_cache(maxsize=1)
def resolver_model() -> dict:
    """The fitted weights (data/models/resolver.json) and the anchor margin they were fitted with."""
    model = json.loads(resources.files("geo_data").joinpath("models", "resolver.json").read_text("utf-8"))
    if tuple(model["features"]) != FEATURES:
        raise ValueError("data/models/resolver.json does not match geo.geoparser.FEATURES; "
                         "re-run tools/train_resolver.py")
    return model


def _resolve(cands: list[Candidate], gaz: Gazetteer, model: dict | None = None,
             trace: list | None = None) -> None:
    """Two passes: priors give anchors (countries, areas, unambiguous places); the fitted model,
    with that context, decides. `trace` (training only) collects (mention index, row, features)."""
    model = model or resolver_model()
    weights, margin = model["weights"], model["anchor_margin"]
    doc = _DocStats.of(cands, gaz)
    for c in cands:
        c.scores = {r: gaz.prior(r, k) for r, k in c.rows}
        c.best = max(c.scores, key=c.scores.get) if c.scores else None
    for step in range(2):
        anchors = _anchors(cands, gaz, margin if step else 2.0)
        for idx, c in enumerate(cands):
            c.scores = {}
            for r, k in c.rows:
                x = features(r, k, idx, c, cands, anchors, doc, gaz)
                c.scores[r] = max(c.scores.get(r, -1e9), sum(map(mul, weights, x)))
                if trace is not None and step == 1:
                    trace.append((idx, r, x))
        _one_sense_per_surface(cands)
    if trace is None:
        _own_names_in_the_documents_countries(cands, gaz)
        _seats_over_their_districts(cands, gaz)


_UNIT_WORDS = re.compile(r"\b(?:district|county|raion|rayon|tehsil|department|prefecture|territory|municipality|"
                         r"province|region|governorate|oblast)s?\b", re.I)


def _seats_over_their_districts(cands: list[Candidate], gaz: Gazetteer) -> None:
    """A bare name that is both a district (admin2) and the town of that name inside it means the town
    ("shelling hit Mardan"): a report names the unit with its word ("Mardan district"). The fitted
    priors favour the district, whose population is the larger."""
    for c in cands:
        if c.best is None or gaz.feature[c.best] != "admin2" or _UNIT_WORDS.search(c.surface):
            continue
        code, name = gaz.admin2[c.best], fold(c.surface)
        seats = [r for r, _ in c.rows if gaz.feature[r] == "locality" and fold(gaz.name[r]) == name
                 and (gaz.admin2[r] == code or km(gaz.lat[r], gaz.lon[r], gaz.lat[c.best], gaz.lon[c.best]) < 30)]
        if seats:
            c.best = max(seats, key=lambda r: gaz.pop[r])


def _own_names_in_the_documents_countries(cands: list[Candidate], gaz: Gazetteer) -> None:
    """A name read through another place's alternate spelling ("Uman" as Oman) gives way to a place of
    that very name in a country the rest of the document is about (Uman, Ukraine, in a list with
    Zhytomyr and Vinnytsia): the fitted priors favour big places; the document knows better."""
    for c in cands:
        if c.best is None or c.demonym:
            continue
        kind = dict(c.rows).get(c.best)
        if kind is None or kind < 2:
            continue
        here = {gaz.country[o.best] for o in cands if o is not c and o.best is not None and not o.demonym
                and o.surface != c.surface}
        if gaz.country[c.best] in here:
            continue
        own = [r for r, k in c.rows if k == 0 and gaz.country[r] in here]
        if own:
            c.best = max(own, key=lambda r: c.scores.get(r, -1e9))


@dataclass
class _DocStats:
    """How many of the document's distinct names could lie in each country / admin-1 area: soft
    evidence that does not depend on resolving anything first."""

    countries: dict[str, int]
    admins: dict[str, int]
    names: int
    children: dict[int, list[Candidate]]   # container index -> the mentions it contains
    top_pop: dict[int, int]                # mention index -> largest population among its candidates
    shared: dict[int, set[int]]            # mention index -> rows a nearby other name can also mean

    @classmethod
    def of(cls, cands: list[Candidate], gaz: Gazetteer) -> "_DocStats":
        countries: dict[str, int] = {}
        admins: dict[str, int] = {}
        seen: set[str] = set()
        for c in cands:
            key = fold(c.surface)
            if key in seen:
                continue
            seen.add(key)
            for cc in {gaz.country[r] for r, _ in c.rows} - {None, ""}:
                countries[cc] = countries.get(cc, 0) + 1
            for a in {gaz.admin1[r] for r, _ in c.rows} - {None, ""}:
                admins[a] = admins.get(a, 0) + 1
        children: dict[int, list[Candidate]] = {}
        for c in cands:
            if c.container is not None:
                children.setdefault(c.container, []).append(c)
        top = {i: max((gaz.pop[r] for r, _ in c.rows), default=0) for i, c in enumerate(cands)}
        shared = {i: _shared_alias_rows(i, c, cands) for i, c in enumerate(cands)}
        return cls(countries, admins, len(seen), children, top, shared)

    def share(self, table: dict[str, int], key: str | None, own: bool) -> float:
        if not key or self.names <= 1:
            return 0.0
        return max(0, table.get(key, 0) - own) / (self.names - 1)


def _anchors(cands: list[Candidate], gaz: Gazetteer, margin: float) -> dict[str, object]:
    countries: dict[str, float] = {}
    admins: set[str] = set()
    points: list[tuple[float, float]] = []
    for c in cands:
        if c.best is None or c.demonym or c.embedded:
            continue
        ranked = sorted(c.scores.values(), reverse=True)
        confident = len(ranked) == 1 or ranked[0] - ranked[1] > margin
        row = c.best
        # "Tbilisi" the city or the area around it: unsure which, sure of the country
        rivals = {gaz.country[r] for r, s in c.scores.items() if s >= ranked[0] - margin}
        if gaz.country[row] and (confident or len(rivals) == 1 or gaz.feature[row] == "country"):
            countries[gaz.country[row]] = countries.get(gaz.country[row], 0) + 1
        if gaz.feature[row] in ("admin1", "admin2") and gaz.admin1[row]:
            admins.add(gaz.admin1[row])
        if confident and gaz.feature[row] in ("locality", "admin1", "admin2", "landmark"):
            points.append((gaz.lat[row], gaz.lon[row]))
    # distinct points only: min distance over a set equals it over the multiset, and a long
    # article naming the same towns again and again keeps the feature cost linear in its length
    return {"countries": countries, "admins": admins, "points": list(dict.fromkeys(points))}


_FEATURE_FLAGS = ("country", "admin1", "admin2", "water", "region", "landmark", "continent")


def features(row: int, kind: int, idx: int, c: Candidate, cands: list[Candidate], anchors, doc: _DocStats,
             gaz: Gazetteer) -> list[float]:
    """The resolution features of one candidate place for one mention, in `FEATURES` order."""
    feat, cc, a1 = gaz.feature[row], gaz.country[row], gaz.admin1[row]
    container = container_miss = 0.0
    if c.container is not None and cands[c.container].best is not None:
        box = cands[c.container].best
        if _inside(row, box, gaz):
            container = 1.0
        elif gaz.feature[box] == "country":
            container_miss = 1.0
    proximity = log_distance = 0.0
    if anchors["points"] and feat in ("locality", "admin1", "admin2", "landmark"):
        d = min(km(gaz.lat[row], gaz.lon[row], la, lo) for la, lo in anchors["points"])
        proximity, log_distance = math.exp(-d / 300.0), math.log10(1.0 + d)
    return [
        1.0, math.log10(gaz.pop[row] + 1), *(float(feat == f) for f in _FEATURE_FLAGS),
        float(gaz.code[row] == "PPLC"), float(kind == 1), float(kind == 2), float(kind == 3),
        float(gaz.pop[row] >= doc.top_pop[idx]),
        min(1.0, 0.5 + 0.25 * anchors["countries"][cc]) if cc in anchors["countries"] else 0.0,
        doc.share(doc.countries, cc, True),
        float(a1 in anchors["admins"] and feat != "admin1"),
        doc.share(doc.admins, a1, True),
        container, container_miss, float(_contains_child(row, doc.children.get(idx, ()), gaz)),
        proximity, log_distance, float(row in doc.shared[idx]),
        float(feat == "admin1" and not _has_admin_suffix(c.surface) and _city_namesake(row, c, gaz)),
        float(c.demonym and feat == "country"),
    ]


def _contains_child(row: int, children, gaz: Gazetteer) -> bool:
    """This place could contain a place named right before it as "X, Y" / "X in Y": the container
    of "Savannah, Georgia" is the US state, since one Savannah lies in it."""
    if not children or gaz.feature[row] not in ("country", "admin1", "admin2", "region"):
        return False
    return any(_inside(r, row, gaz) for o in children for r, _ in o.rows)


def _has_admin_suffix(surface: str) -> bool:
    return fold(surface).split(" ")[-1] in lexicon()["admin_suffixes"]


def _city_namesake(row: int, c: Candidate, gaz: Gazetteer) -> bool:
    """A city of 50,000+ answers to the same name by its own name: a bare "Istanbul" or "Washington"
    means the city, not the province or state that shares its name."""
    return any(gaz.feature[r] == "locality" and gaz.pop[r] >= 50_000
               and (kind == 0 or gaz.admin1[r] == gaz.admin1[row]) for r, kind in c.rows)


def _inside(row: int, box: int, gaz: Gazetteer) -> bool:
    f = gaz.feature[box]
    if f == "country":
        return gaz.country[row] == gaz.country[box] and row != box
    if f == "admin1":
        return gaz.admin1[row] == gaz.admin1[box] and row != box
    if f == "admin2":
        return gaz.admin2[row] == gaz.admin2[box] and row != box
    return km(gaz.lat[row], gaz.lon[row], gaz.lat[box], gaz.lon[box]) < 300


def _shared_alias_rows(idx: int, c: Candidate, cands: list[Candidate]) -> set[int]:
    """Rows that another, differently written name within ~200 characters can also mean ("Pokrovsk
    ... its Soviet-era name, Krasnoarmeysk"): the text defines an alias. An unambiguous pair of
    names is no evidence either way."""
    key = fold(c.surface)
    own = {r for r, _ in c.rows}
    shared: set[int] = set()
    for other in cands[max(0, idx - 4):idx + 5]:
        if other is c or abs(other.start - c.start) > 200 or fold(other.surface) == key:
            continue
        if len(other.rows) > 1 or len(c.rows) > 1:
            shared |= own & {r for r, _ in other.rows}
    return shared


def _one_sense_per_surface(cands: list[Candidate]) -> None:
    """All mentions of one surface in a document share the meaning with the highest total score,
    unless a mention has its own explicit container."""
    totals: dict[str, dict[int, float]] = {}
    for c in cands:
        t = totals.setdefault(fold(c.surface), {})
        for r, s in c.scores.items():
            t[r] = t.get(r, 0.0) + s
    for c in cands:
        if not c.scores:
            continue
        if c.container is not None:
            c.best = max(c.scores, key=c.scores.get)
        else:
            t = totals[fold(c.surface)]
            c.best = max(c.scores, key=lambda r: t[r])


# ---------------------------------------------------------------- literal or metonymic
_LOCATIVE_BEFORE_USE = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout"})


def _use(text: str, c: Candidate, place: Place) -> str:
    """"Moscow said", "Kyiv must accept", "the Kremlin", "US-backed": a place standing for its government."""
    lex = lexicon()
    political = place.feature == "country" or place.code == "PPLC" or place.id in lex["metonymic_landmarks"]
    if not political or _prev_word(text, c.start) in _LOCATIVE_BEFORE_USE:
        return "literal"  # "residents in Sanaa said": people there, not the government
    after = text[c.end:c.end + 40]
    m = re.match(r"^(?:['’]s\s+)?([\w-]+(?:\s+[\w-]+)?)", after.strip())
    nxt = after.lstrip()
    if re.match(r"^-\s?(\w+)", after) and re.match(r"^-\s?(\w+)", after).group(1).lower() in lex["metonymic_prefix_words"]:
        return "metonymic"
    if place.id in lex["metonymic_landmarks"]:
        return "metonymic"
    if re.match(r"^['’]s\s", after):
        words = after[3:].split()
        if words and (words[0].lower().strip(",.") in lex["metonymic_nouns_after_possessive"]
                      or " ".join(words[:2]).lower().strip(",.") in lex["metonymic_nouns_after_possessive"]):
            return "metonymic"
        return "literal"
    if m and nxt[:1].isalpha():
        first = nxt.split()[0].lower().strip(",.;:")
        if first in lex["metonymic_verbs"] or first in lex["person_titles"]:
            return "metonymic"
    return "literal"
