"""Where an event happened: its sites, one per place (ACLED codes one event per place and day).

From the roles of the sentence's places (geo.events.roles):
1. the clause's own sites, minus the areas that only contain another site ("Ternivka in the
   Dnipropetrovsk region" -> Ternivka); a list ("hit A, B and C") gives one site each;
   talks and protests take a venue only from a locative ("met in X"), the first one;
   a capture takes a town, never a whole country;
2. a place the gazetteer lacks, named in a settlement frame ("the village of X", "X village"): kept by
   name in `location`, located at a point "N km DIRECTION of Y" if the text gives one (precision near),
   else at the smallest unit the article names around it (the area in its phrase, or the
   paragraph's or article's area; ACLED geo_precision 2 or 3), never at a namesake far away;
3. "N km DIRECTION of X" with no other site: a point moved from X, precision near; with another site
   it is only a reference ("in the Tambov region, 120 miles south of Moscow" -> Tambov region);
4. a frame locative of the governing clause ("In X, two died when a drone hit a house");
then, for a clause with no place of its own (`fallback`): a word pointing back ("the city", "the
region", "there", "the capital"); the previous located event of a kindred type in the paragraph;
the paragraph's opening "In X,"; the headline's one town; and last the country: the target's, the
defender's for interceptions, the opponent's of the acting side, or the article's.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from gazetteer import Gazetteer
from gazetteer.core import km
from gazetteer.place import Place
from geo.events.document import Document
from geo.events.lexicon import cues
from geo.events.nlp import Parsed
from geo.events.roles import Role, _contains
from geo.events.triggers import Trigger
from geo.models import GEO_PRECISION, Mention

SPECIFICITY = {"locality": 6, "landmark": 6, "admin2": 4, "water": 3, "admin1": 3, "region": 2,
               "country": 1, "continent": 0}
PRECISION = {"locality": "locality", "landmark": "locality", "admin2": "admin2", "admin1": "admin1",
             "region": "admin1", "country": "country", "continent": "country", "water": "water"}
MAX_OFFSET_KM = 150.0
MAX_SITES = 8
_OFFSET = re.compile(
    r"(?P<n>\d+(?:[.,]\d+)?|a few|several|some|a couple of|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"fifteen|twenty|thirty|forty|fifty)\s*(?:-\s*)?(?P<unit>km|kilomet(?:er|re)s?|nautical miles?|nm|miles?|mi)\b\s*"
    r"(?:\([^)]{0,20}\)\s*)?(?:to the\s+)?(?P<dir>(?:north|south)(?:-?(?:east|west))?|east|west)(?:ern)?\s+"
    r"(?:of|from)\s+(?:the\s+)?(?:(?:[A-Z][a-z]+\s+)?(?:city|town|village|settlement|port|capital)\s+of\s+)?$", re.I)
_UNKNOWN_FRAME = re.compile(
    r"\b(?:the\s+)?(?P<kind>village|town|settlement|hamlet|city|township|locality|community|district|"
    r"neighbourhood|neighborhood)s?\s+of\s+(?P<name>(?:[A-Z][\w'’-]+)(?:[\s-](?:[A-Z][\w'’-]+|al|el|de)){0,3})")
_UNKNOWN_AFTER = re.compile(
    r"\b(?P<name>[A-Z][\w'’-]+(?:[\s-][A-Z][\w'’-]+){0,2})\s+(?P<kind>village|settlement|hamlet|township|commune)\b")
_UNKNOWN_APPOSITIVE = re.compile(
    r"\b(?P<name>[A-Z][\w'’-]+(?:[\s-][A-Z][\w'’-]+){0,2}),\s+an?\s+(?:\w+\s+){0,2}?"
    r"(?P<kind>village|town|community|settlement|hamlet|locality|district|neighbourhood|neighborhood)\b")
_UNKNOWN_IN = re.compile(  # "in Qqivka in the Donetsk region": a name placed inside a known place
    r"\b(?:in|at|near|outside)\s+(?P<name>[A-Z][\w'’-]+(?:[\s-][A-Z][\w'’-]+){0,2})(?P<kind>)\s*,?\s+"
    r"(?:in|of|near|outside|close to|(?:on|in) the (?:outskirts|edge) of)\s+(?:the\s+)?"
    r"(?:(?:northern|southern|eastern|western|central|north|south|east|west)\w*\s+)?(?=[A-Z])")
_DEMONYM_BEFORE = re.compile(r"\b(?P<dem>[A-Z][a-z]+)\s+(?:\w+\s+)?(?:village|town|city|settlement|community)s?\s+of\s+$")
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a few": 3,
          "several": 5, "some": 5, "a couple of": 2}
_BEARING = {"north": 0, "northeast": 45, "east": 90, "southeast": 135, "south": 180, "southwest": 225,
            "west": 270, "northwest": 315}


@dataclass(slots=True)
class Site:
    place: Place
    precision: str
    location: str
    geo_precision: int
    lat: float | None = None
    lon: float | None = None
    how: str = "clause"   # clause, unknown, offset, frame, anaphor, previous, paragraph, headline, country
    consumed: tuple[int, ...] = ()  # starts of the mentions that only describe where an unknown place is

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat if self.lat is not None else self.place.lat,
                self.lon if self.lon is not None else self.place.lon)


def site_of(m: Mention, near: bool = False, how: str = "clause", regional: bool = False) -> Site:
    place = _namesake_area(m) if regional else None
    if place is not None:  # "the eastern parts of Idlib": the governorate the city gives its name to
        return Site(place, "admin1", m.surface, 3, how=how)
    prec = "near" if near and m.place.feature in ("locality", "landmark") else PRECISION.get(m.place.feature, "locality")
    return Site(m.place, prec, m.surface, GEO_PRECISION.get(prec, 3), how=how)


def _namesake_area(m: Mention) -> Place | None:
    from gazetteer import fold

    p = m.place
    if p.feature != "locality" or not p.admin1:
        return None
    area = Gazetteer.default().admin1_place(p.admin1)
    if area is None:
        return None
    return area if fold(area.name)[:4] == fold(m.surface)[:4] else None


def place_site(place: Place, how: str, location: str | None = None, near: bool = False) -> Site:
    prec = "near" if near and place.feature in ("locality", "landmark") else PRECISION.get(place.feature, "locality")
    return Site(place, prec, location or place.name, GEO_PRECISION.get(prec, 3), how=how)


# ---------------------------------------------------------------- the clause's own sites
def choose(doc: Document, p: Parsed, trig: Trigger, roles: list[Role], unknown: list[Site]) -> list[Site]:
    """The sites the trigger's clause names (steps 1-4 of the module docstring), or []."""
    text = doc.text
    if trig.type != "talks":
        route = _route(doc, p, roles)
        if route is not None and unknown:  # "X, a community on the A-B road": X, at the road
            return [replace(u, place=route.place, precision="near", geo_precision=2, lat=route.point[0],
                            lon=route.point[1]) for u in unknown[:1]]
        if route is not None:
            return [route]
    direct = [_city_of_district(doc, r) for r in roles if r.role == "site" and _allowed(trig, r)]
    direct = _drop_containers(_inside_frame(doc, p, _extend_lists(doc.text, direct, roles)))
    if any(r.mention.place.feature == "locality" for r in direct):  # "villages along the river, including X":
        direct = [r for r in direct if not (r.mention.place.feature == "water" and r.prep == "along")]  # X
    if any(not r.owner for r in direct):  # "an attack on a US base in Iraq": Iraq, not the base's owner
        direct = [r for r in direct if not r.owner]
    if trig.type == "capture" and any(not r.near and not r.list_of for r in direct):  # "took X near Y":
        direct = [r for r in direct if not (r.near and r.prep == "near" and not r.list_of  # Y says where X is,
                                            and not _unnamed_places_near(text, r.mention))]  # unless "and villages near Y"
    if trig.type == "talks":
        direct = direct[:1]
    sites = [_far_namesake(doc, r, roles) or site_of(r.mention, r.near, regional=r.regional)
             for r in direct][:MAX_SITES]
    if unknown and trig.type != "talks":
        consumed = {c for u in unknown for c in u.consumed}
        kept = [(r, s) for r, s in zip(direct, sites) if r.mention.start not in consumed]
        sites = [s for _, s in kept if not any(_contains_place(s.place, u.place) for u in unknown)]
        known_ids = {s.place.id for s in sites}
        sites += [u for u in unknown if u.place.id not in known_ids or u.lat is not None]
    if not sites or all(s.place.feature in ("country", "admin1", "admin2") for s in sites):
        # "20 km south of X in Y": the point from X, inside the areas the clause names
        # a speaker's or an outside place too, where a distance reads before it: "15 km (9 miles) north
        # of X, the ministry said", which the parser makes the speaker
        offsets = [r for r in roles if r.role in ("distance", "speaker", "outside") and trig.type not in ("talks", "protest")
                   and all(_contains_place(s.place, r.mention.place) for s in sites)]
        for r in offsets:
            moved = offset_site(text, r.mention)
            before = text[max(0, r.mention.start - 40):r.mention.start]
            if moved is None and r.role == "distance" and _BARE_DIRECTION.search(before) \
                    and not _ANY_DISTANCE.search(before):
                moved = site_of(r.mention, near=True)  # "north of X", no distance given: near X
            if moved is not None:
                sites = [moved]
                break
    if trig.type == "strike":  # "launched a barrage of rockets towards X (in northern Y)": X was the target
        aimed = _drop_containers([r for r in roles if r.role == "destination" and _allowed(trig, r)])
        elsewhere = any(r.role in ("other", "frame") and r.mention.place is not None and r.mention.place.feature in (
            "locality", "landmark") for r in roles)  # "fired towards X; they hit Y": where it hit
        if aimed and not elsewhere and all(any(_contains_place(s.place, r.mention.place) for r in aimed) for s in sites):
            sites = [site_of(r.mention, r.near, regional=r.regional) for r in aimed][:MAX_SITES]
    if not sites:
        frames = _drop_containers([r for r in roles if r.role == "frame" and _allowed(trig, r)])
        sites = [site_of(r.mention, r.near, how="frame", regional=r.regional) for r in frames][
            :1 if trig.type == "talks" else MAX_SITES]
    return sites


_LAST_WORDS = re.compile(r"([a-z][a-z-]*)\s+([a-z]+(?:\s+to|\s+of)?)\s+(?:the\s+)?$")


def _unnamed_places_near(text: str, m: Mention) -> bool:
    """"took X and villages near Y": the near-phrase hangs on a common place noun ("villages",
    "positions", "areas"), not on X, so Y locates places taken as well, not where X lies."""
    last = _LAST_WORDS.search(text, max(0, m.start - 60), m.start)
    if last is None or last.group(2) not in cues()["near_preps"]:
        return False
    c = cues()
    return last.group(1) in c["area_nouns"] or last.group(1) in c["held_nouns"]


# Between two items of a list: a locative tail of the first ("X in the east of the city, Y"), the
# conjunction, and a descriptor of the next with up to three modifiers ("the strategically important towns of Y").
_COORDINATION = re.compile(r"^(?:\s+(?:in|on|near|at|outside)\s+(?:the\s+)?(?-i:[a-z][a-z\s-]{0,40}?))?"
                           r"(?:\s*,[\s,]*(?:(?:and|or|as well as|along with|plus|and also|and the)\s+)?|"  # a comma, or
                           r"\s+(?:and|or|as well as|along with|plus|and also|and the)\s+)(?:the\s+)?"  # a conjunction
                           r"(?:(?:(?!(?:near|outside|off|from|by|at|in|on)\b)[a-z][\w-]*\s+){0,3}?"  # not "near the town of"
                           r"(?:towns?|cit(?:y|ies)|villages?|settlements?|ports?|regions?|"
                           r"districts?|areas?)\s+of\s+)?$", re.I)
_POINT_FEATURES = frozenset({"locality", "landmark"})
_ASIDE = re.compile(r"\s*[—–]\s*[^—–]{1,120}?\s*[—–]\s*|\s*\([^)]{1,120}\)\s*|,\s*(?:which|where|who)\b[^,]{1,100},")


def _extend_lists(text: str, direct: list[Role], roles: list[Role]) -> list[Role]:
    """"took X—formerly Y—as well as Z": a place coordinated with a site in the text is a site too, even
    where the parse hung it elsewhere (asides in dashes or brackets are skipped)."""
    out = list(direct)
    chosen = {id(r.mention) for r in out}
    ordered = sorted(roles, key=lambda r: r.mention.start)
    for r in list(out):
        last = r.mention
        for o in ordered:
            if o.mention.start <= last.end or id(o.mention) in chosen:
                continue
            aside = _ASIDE.match(text, last.end)
            if aside and o.mention.start < aside.end():
                continue  # inside "—referred to by Russia as Y—"
            if o.mention.place is None or (o.mention.place.feature != last.place.feature and not {
                    o.mention.place.feature, last.place.feature} <= _POINT_FEATURES):
                break  # "the airport and the towns of X and Y": points, one list
            gap = _ASIDE.sub(" ", text[last.end:o.mention.start])
            if not _COORDINATION.match(gap):
                break
            out.append(Role(o.mention, "site", near=r.near, prep=r.prep, list_of=r.mention))
            chosen.add(id(o.mention))
            last = o.mention
    return out


_DISTRICT = r"(?:district|neighbou?rhood|quarter|microdistrict|suburb|area)"
_OF_CITY = re.compile(r"\s+of\s+(?:the\s+)?(?:city\s+of\s+)?", re.I)
_DISTRICT_OF = re.compile(rf"\s+{_DISTRICT}{_OF_CITY.pattern}", re.I)
_DISTRICT_WORD_END = re.compile(rf"\s{_DISTRICT}$", re.I)  # "X district", when the geoparser took it as one name


FAR_KM = 200.0
SMALL = 30_000


def _far_namesake(doc: Document, r: Role, roles: list[Role]) -> Site | None:
    """A small town resolved far from everything else the article names (more than FAR_KM from its other
    towns and outside their areas) is a namesake the gazetteer had instead of the village meant: keep
    its name and place it in the area the sentence or the article gives (never hundreds of km away)."""
    p = r.mention.place
    if p.feature != "locality" or (p.population or 0) >= SMALL:
        return None
    if any(o.mention.place is not None and o.mention.place.feature == "country" and o.mention.place.country == p.country
           for o in roles):
        return None  # "the ports of X and Y in western Yemen": the text puts it in its own country
    near_ms = [m for m in doc.mentions if doc.literal(m) and m.place.id != p.id and not doc.in_dateline(m)
               and m.place.feature in ("locality", "landmark", "admin2", "admin1")]
    others = [m.place for m in near_ms]
    here = doc.sentence_of(r.mention.start)
    if len(others) < 2 or any(m.place.admin1 and m.place.admin1 == p.admin1 and _same_paragraph(doc, here, m)
                              for m in near_ms):
        return None  # its own region named beside it: it is the namesake meant
    towns = [m for m in near_ms if m.place.feature in ("locality", "landmark")]
    local = [m for m in towns if _same_paragraph(doc, here, m)] or [
        m for m in towns if _previous_paragraph(doc, here, m)] or towns  # the paragraph's front first
    if any(_close(m.place, p, FAR_KM) for m in local):
        return None
    area = next((o.mention.place for o in roles if o.role in ("container", "site") and o.mention.place is not None
                 and o.mention.place.feature in ("admin1", "admin2") and o.mention.place.country == p.country), None)
    # the area its paragraph names, else the one of the towns just before it, else the article's
    area = area or doc.paragraph_area(r.mention.start) or _common_area(local) or doc.article_area()
    if area is None and any(o.feature == "admin1" and o.country == p.country for o in others):
        area = Gazetteer.default().country_place(p.country)  # the story's regions, none of them its own
    if area is None:
        return None
    return Site(area, PRECISION.get(area.feature, "admin1"), r.mention.surface, 3, how="unknown")


def _common_area(towns: list[Mention]) -> Place | None:
    """The one admin-1 area that all these towns lie in, or None."""
    areas = {m.place.admin1 for m in towns}
    if len(areas) != 1 or None in areas:
        return None
    return Gazetteer.default().admin1_place(next(iter(areas)))


def _same_paragraph(doc: Document, here, m: Mention) -> bool:
    there = doc.sentence_of(m.start)
    return here is None or there is None or there.paragraph == here.paragraph or there.kind == "headline"


def _previous_paragraph(doc: Document, here, m: Mention) -> bool:
    """`m` is in the paragraph just before (a one-sentence paragraph continues the one before it)."""
    there = doc.sentence_of(m.start)
    return here is not None and there is not None and there.paragraph == here.paragraph - 1 and m.start < here.start


def _city_of_district(doc: Document, r: Role) -> Role:
    """"the Dniprovskyi district of Kherson": a district named for a city is in that city (a namesake
    elsewhere is not meant)."""
    m = _DISTRICT_OF.match(doc.text, r.mention.end)
    if not m and _DISTRICT_WORD_END.search(r.mention.surface):
        m = _OF_CITY.match(doc.text, r.mention.end)
    if not m:
        return r  # "the X district of Kherson" (the geoparser may have taken "X district" as one name)
    city = next((x for x in doc.mentions if x.start == m.end() and x.place is not None
                 and x.place.feature == "locality"), None)
    return Role(city, "site", prep=r.prep, modifier=r.modifier) if city is not None else r


def _inside_frame(doc: Document, p: Parsed, direct: list[Role]) -> list[Role]:
    """"In X, a strike on a house in the Y neighbourhood": with a town opening the sentence, another site
    must lie in it or near it (the geoparser's Y may be a namesake abroad)."""
    head = re.match(r"\s*(?:In|At|Near|Outside)\s+(?:the\s+)?", doc.text[p.start:p.end])
    if not head:
        return direct
    frame = next((r for r in direct if r.mention.start == p.start + head.end()), None)
    if frame is None or frame.mention.place.feature not in ("locality", "landmark", "admin2", "admin1"):
        return direct
    return [r for r in direct if r is frame or _contains_place(frame.mention.place, r.mention.place)
            or _close(frame.mention.place, r.mention.place, 60.0)]


def _close(a: Place, b: Place, km_: float) -> bool:
    from gazetteer.core import km

    return None not in (a.lat, a.lon, b.lat, b.lon) and km(a.lat, a.lon, b.lat, b.lon) <= km_


def _allowed(trig: Trigger, r: Role) -> bool:
    m = r.mention
    if m.place is None:
        return False
    if trig.type == "capture" and m.place.feature in ("country", "continent"):
        return False
    if trig.type in ("talks", "protest") and r.prep not in cues()["locative_preps"] and r.prep != "near" \
            and not (r.modifier and m.place.feature in ("locality", "landmark")) \
            and not (trig.type == "protest" and r.prep == "of"):  # "took to the streets of X"
        return False
    return True


def _drop_containers(roles: list[Role]) -> list[Role]:
    """Keep the most specific places: an area that holds another candidate is only its container."""
    out = []
    for r in roles:
        if any(o is not r and _contains(r.mention, o.mention) and _holds(r.mention.place, o.mention.place)
               for o in roles):
            continue
        if any(o.mention.place.id == r.mention.place.id for o in out):
            continue
        out.append(r)
    return out


_ROUTE_NOUNS = r"(?:road|highway|motorway|route|axis|corridor|expressway|freeway|railway|rail line|supply line)s?"
_BETWEEN = re.compile(rf"\b(?:{_ROUTE_NOUNS}|travell?ing|driving|moving|heading|journeying|running)\s+(?:\w+\s+)?"
                      r"(?:between|from)\s+(?:the\s+(?:towns?|cities|villages)\s+of\s+)?$", re.I)
_END_JOIN = re.compile(r"\s*(?:and|to)\s+(?:the\s+)?", re.I)
_HYPHEN_JOIN = re.compile(r"\s*[-–—]\s*")
_ROUTE_AFTER = re.compile(rf"\s*{_ROUTE_NOUNS}\b", re.I)
_OTHER_END = re.compile(r"(?:the\s+(?:towns?|cities|villages)\s+of\s+)?(?P<name>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)")
_NEAR_AFTER = re.compile(r"\s+(?:near|outside|close to|not far from)\s+(?:the\s+)?(?:(?:town|city|village)\s+of\s+)?",
                         re.I)
MAX_ROUTE_KM = 250.0  # farther apart, the midpoint is no useful place


def _route(doc: Document, p: Parsed, roles: list[Role]) -> Site | None:
    """"a convoy travelling between X and Y", "on the X-Y road": the place is the road between the two
    towns, near the midpoint (ACLED geo_precision 2), unless the clause says where on it ("on the
    X-Y highway near Z": near Z). A name the gazetteer lacks at one end leaves the other, near."""
    text = doc.text
    ments = [m for m in doc.mentions_in(p.start, p.end) if m.place is not None and m.place.feature == "locality"]
    for m in ments:
        after_between = _BETWEEN.search(text, max(p.start, m.start - 60), m.start)
        join = _END_JOIN.match(text, m.end) if after_between else _HYPHEN_JOIN.match(text, m.end)
        if join is None:
            continue
        other = _OTHER_END.match(text, join.end())
        noun = _ROUTE_AFTER.match(text, other.end()) if other is not None else None
        if other is None or (after_between is None and noun is None):
            continue
        near = _NEAR_AFTER.match(text, noun.end() if noun else other.end())
        spot = next((o for o in ments if near and o.start == near.end()), None)
        if spot is not None:  # "on the X-Y highway near Z": near Z
            return Site(spot.place, "near", spot.surface, 2, how="clause")
        end = next((o for o in ments if o.start == other.start("name")), None)
        label = f"{m.surface}–{other['name']} road"
        if end is None:
            return Site(m.place, "near", label, 2, how="clause")
        if km(m.place.lat, m.place.lon, end.place.lat, end.place.lon) > MAX_ROUTE_KM:
            return None  # a long highway: no one point says where on it
        lat, lon = (m.place.lat + end.place.lat) / 2, (m.place.lon + end.place.lon) / 2
        return Site(m.place, "near", label, 2, lat, lon, how="clause")
    return None


_BARE_DIRECTION = re.compile(r"\b(?:just\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of\s+(?:the\s+)?$",
                             re.I)
_ANY_DISTANCE = re.compile(r"\d|\b(?:km|kilomet\w*|miles?|mi)\b", re.I)  # a distance the parser could not read


def _holds(outer: Place, inner: Place) -> bool:
    """An area can hold the place: a country its towns; a province only towns of that province, where
    the gazetteer knows both ("in Kharkiv and ... the Poltava region": two sites, not one)."""
    if outer.feature in ("admin1", "admin2") and outer.admin1 and inner.admin1:
        return outer.admin1 == inner.admin1
    return True


def _contains_place(outer: Place, inner: Place) -> bool:
    if outer.id == inner.id:
        return True
    if SPECIFICITY.get(outer.feature, 6) >= SPECIFICITY.get(inner.feature, 6):
        return False
    if outer.feature in ("country", "continent"):
        return outer.country == inner.country
    return bool(outer.admin1) and outer.admin1 == inner.admin1


# ---------------------------------------------------------------- offsets and unknown places
def offset_site(text: str, m: Mention) -> Site | None:
    """"24 kilometers east of X": the point that far from X (precision near), if under MAX_OFFSET_KM."""
    if m.place is None:
        return None
    found = _OFFSET.search(text[max(0, m.start - 80):m.start])
    if not found:
        return None
    n = found["n"].lower().replace(",", ".")
    dist = float(n) if n[0].isdigit() else _WORDS.get(n, 5)
    unit = found["unit"].lower()
    km_ = dist * (1.852 if unit.startswith(("nautical", "nm")) else 1.609 if unit.startswith("mi") else 1.0)
    if km_ > MAX_OFFSET_KM:
        return None
    bearing = _BEARING[found["dir"].lower().replace("-", "")]
    lat, lon = _move(m.place.lat, m.place.lon, km_, bearing)
    phrase = f"{found.group().strip()} {m.surface}"
    return Site(m.place, "near", phrase, 2, lat, lon, how="offset")


def _move(lat: float, lon: float, km_: float, bearing: float) -> tuple[float, float]:
    r = 6371.0
    d = km_ / r
    b = math.radians(bearing)
    la1, lo1 = math.radians(lat), math.radians(lon)
    la2 = math.asin(math.sin(la1) * math.cos(d) + math.cos(la1) * math.sin(d) * math.cos(b))
    lo2 = lo1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(la1), math.cos(d) - math.sin(la1) * math.sin(la2))
    return round(math.degrees(la2), 5), round((math.degrees(lo2) + 540) % 360 - 180, 5)


def unknown_places(doc: Document, sent: tuple[int, int], trig: Trigger, p: Parsed | None = None) -> list[Site]:
    """Places the gazetteer lacks, named in a settlement frame in the trigger's clause or as the object of
    a capture ("captured Qqivka"): located at an offset from a named place when the text gives one, else
    at the smallest unit around them."""
    text = doc.text
    a, b = sent
    known = [(m.start, m.end) for m in doc.mentions]
    out = []
    for s, e in _captured_names(p, trig) if p is not None else []:
        name = text[s:e]
        if any(ks < e and s < ke for ks, ke in known) or _not_a_place_word(text, name, s):
            continue
        site = _locate_unknown(doc, name, e, b)
        site = _in_siblings_unit(doc, site, s, trig) if site is not None else None
        if site is not None:
            out.append(site)
    for rx in (_UNKNOWN_FRAME, _UNKNOWN_AFTER, _UNKNOWN_APPOSITIVE, _UNKNOWN_IN):
        for found in rx.finditer(text, a, b):
            s, e = found.start("name"), found.end("name")
            if any(ks < e and s < ke for ks, ke in known) or _is_function_word(found["name"]):
                continue
            if not _near_trigger(trig, s, e) or _not_a_place_word(text, found["name"], s):
                continue
            site = _locate_unknown(doc, found["name"], e, b)
            if rx is _UNKNOWN_IN and (site is None or not site.consumed):
                continue  # "in X in Y" only where Y is a place we know
            if site is not None:
                inside = tuple(m.start for m in doc.mentions if found.start() <= m.start < s or (
                    m.end <= found.start() and re.fullmatch(r"\s*(?:[a-z][\w-]*\s+){0,2}", text[m.end:found.start()])))
                site.consumed = site.consumed + inside  # "the Red Sea port city of X": only describes X
                out.append(site)
    return out


def _in_siblings_unit(doc: Document, site: Site, start: int, trig: Trigger) -> Site:
    """"took the towns of X and Qqivka": places taken or fought over in one list lie along one front, so
    an unknown name coordinated with a known town is placed in that town's district (its province if the
    gazetteer has no district), ACLED geo_precision 3, where otherwise only the country would be known.
    Not for strikes: a list of hit cities ("Kyiv, Lviv and Qqivka") can span a country."""
    if trig.type not in ("capture", "clash") or site.geo_precision != 3 or site.place.feature != "country":
        return site
    sibling = next((m for m in reversed(doc.mentions) if m.end <= start and m.place is not None
                    and m.place.feature == "locality" and m.place.country == site.place.country
                    and _COORDINATION.match(_ASIDE.sub(" ", doc.text[m.end:start]))), None)
    if sibling is None:
        return site
    gaz = Gazetteer.default()
    unit = (gaz.admin2_place(sibling.place.admin2) if sibling.place.admin2 else None) or (
        gaz.admin1_place(sibling.place.admin1) if sibling.place.admin1 else None)
    if unit is None:
        return site
    return replace(site, place=unit, precision=PRECISION.get(unit.feature, "admin1"))


def _captured_names(p: Parsed, trig: Trigger) -> list[tuple[int, int]]:
    """Spans of proper names that are what a capture took: its object ("captured Qqivka Centre") or,
    passive, its subject ("Qqivka was captured")."""
    if not p.parsed or trig.type != "capture" or trig.subtype == "withdrawal":
        return []
    out = []
    for c in _capture_objects(p, trig.anchor):
        t = p.toks[c]
        if t.pos != "PROPN":
            continue
        name = sorted(j for j in p.subtree(c) if j == c or (p.toks[j].pos == "PROPN" and p.toks[j].dep in (
            "compound", "flat") and p.toks[j].head == c))
        if name == list(range(name[0], name[-1] + 1)) and all(p.toks[j].text[:1].isupper() for j in name):
            out.append((p.toks[name[0]].start, p.toks[name[-1]].end))
    return out


_CONTROL = {"control", "possession", "hold", "command"}
_SETTLEMENTS = {"town", "village", "city", "settlement", "hamlet", "locality", "community"}


def _capture_objects(p: Parsed, anchor: int) -> list[int]:
    """Heads of what a capture took: "captured X", "X was captured", "took control of X", "the capture
    of X", and each of a coordination ("seized X and Y")."""
    def of_object(i: int) -> list[int]:
        return [o for c in p.children[i] if p.toks[c].dep == "prep" and p.toks[c].lower == "of"
                for o in p.children[c] if p.toks[o].dep == "pobj"]

    heads = []
    for c in p.children[anchor]:
        dep, lemma = p.toks[c].dep, p.toks[c].lemma
        if dep in ("dobj", "nsubjpass"):
            if lemma in _CONTROL:
                heads.extend(of_object(c) + of_object(anchor))  # "of" may hang on the verb
            else:
                heads.extend(of_object(c) if lemma in _SETTLEMENTS else [c])  # "the towns of X and Y": X, Y
    if p.toks[anchor].pos == "NOUN":
        heads.extend(of_object(anchor))
    out = []
    while heads:  # the head, then its conjuncts ("X, Y and Z"), not names deeper in its phrase
        h = heads.pop(0)
        out.append(h)
        heads.extend(c for c in p.children[h] if p.toks[c].dep == "conj" and p.toks[c].pos == "PROPN")
    return out


def _not_a_place_word(text: str, name: str, start: int) -> bool:
    """Names that are no places: a conflict party, a military unit ("the 6th Division"), a month or
    weekday, a person's title before it."""
    from geo.events.actors import parties

    if parties(name, 0, len(name)) or name.split()[0].lower() in CALENDAR or name.split()[-1].lower() in cues()["unit_nouns"]:
        return True
    return bool(re.search(r"\b(?:President|Minister|General|Gen\.|Mr|Ms|Mrs|Dr|Colonel|Commander|Governor)\.?\s+$",
                          text[max(0, start - 20):start]))


CALENDAR = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _is_function_word(name: str) -> bool:
    first = name.split()[0].lower()
    return first in {"the", "this", "that", "these", "those", "its", "their", "his", "her", "our"}


def _near_trigger(trig: Trigger, s: int, e: int) -> bool:
    """The frame belongs to this trigger's clause: within 120 characters after it or 80 before it."""
    return -80 <= s - trig.end <= 120 or 0 <= trig.start - e <= 80


_DISTANCE_AFTER = re.compile(r"^[\s,(]*(?:(?:located|situated|lying|which\s+is|is)\s+)?(?:about|some|around|roughly|"
                             r"approximately|nearly|just)?\s*[\w.,]+\s*(?:-\s*)?(?:km|kilomet|mile|mi\b)", re.I)


def _road_towns(doc: Document, m: Mention) -> tuple[int, ...]:
    """"along the X-Y road": the other town the road is named after is a reference too."""
    out = []
    for o in doc.mentions:
        if m.end < o.start <= m.end + 2 and re.fullmatch(r"\s*[-–]\s*", doc.text[m.end:o.start]) and \
                re.match(r"\s+(?:road|highway|route|motorway|axis|corridor)\b", doc.text[o.end:o.end + 12], re.I):
            out.append(o.start)
    return tuple(out)


def _near_town(town: Mention, name: str, consumed: tuple[int, ...]) -> Site:
    """The unknown place `name` located near a known town (ACLED geo_precision 2)."""
    site = place_site(town.place, "unknown", location=name, near=True)
    site.geo_precision, site.consumed = 2, consumed
    return site


def _locate_unknown(doc: Document, name: str, end: int, sent_end: int) -> Site | None:
    text = doc.text
    # "X, about 24 km east of Y": a point from Y
    for m in doc.mentions:
        if end < m.start <= end + 90 and m.place is not None and m.start < sent_end and _DISTANCE_AFTER.match(
                text[end:m.start]):
            moved = offset_site(text, m)
            if moved is not None:
                return Site(moved.place, "near", name, 2, moved.lat, moved.lon, how="unknown", consumed=(m.start,))
            if m.place.feature in ("locality", "landmark") and re.search(r"\b(?:from|of)\s+(?:the\s+)?$",
                                                                         text[end:m.start]):
                return _near_town(m, name, (m.start,))  # "X, 40 km from Y": near Y
    site = _named_within(doc, name, end, sent_end)
    if site is not None:
        return site
    for other in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):  # the headline's "X in Y"
        if other.end() != end:
            sent = doc.sentence_of(other.start())
            site = _named_within(doc, name, other.end(), sent.end if sent else other.end())
            if site is not None:
                return replace(site, consumed=())
    area = doc.container_for(end)
    if area is not None:
        return Site(area, PRECISION.get(area.feature, "admin1"), name, 3, how="unknown")
    country = _country_around(doc, name, end)
    if country is not None:
        return Site(country, "country", name, 3, how="unknown")
    return None


def _named_within(doc: Document, name: str, end: int, sent_end: int) -> Site | None:
    """"X in the Y region", "X, in Y", "X close to Y": the place the text puts the unknown X in or near."""
    text = doc.text
    m_in = re.match(r"^[\s,]*(?:(?:an?\s+(?:\w+\s+){0,2}?)?(?:village|town|community|settlement|hamlet|camp)\s+)?"
                    r"(?:in|of|near|close to|next to|outside|not far from|along|(?:on|in) the (?:outskirts|edge) of|"
                    r"(?:just\s+)?(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of)"
                    r"\s+(?:the\s+)?(?:(?-i:[a-z]+)\s+){0,2}",  # "east of the provincial capital Y"
                    text[end:min(sent_end, end + 90)], re.I)
    if not m_in:
        return None
    for m in doc.mentions:
        if 0 <= m.start - (end + m_in.end()) <= 12 and m.place is not None and m.place.feature in (
                "admin1", "admin2", "region", "locality", "country") and not re.search(
                r"\b(?:border|frontier|boundary)\b", text[end:m.start], re.I):
            m, outer = _possessed(doc, m)
            if m.place.feature == "locality":
                return _near_town(m, name, (m.start,) + outer + _road_towns(doc, m))
            return Site(m.place, PRECISION.get(m.place.feature, "admin1"), name, 2, how="unknown",
                        consumed=(m.start,) + outer + _road_towns(doc, m))
    return None


def _possessed(doc: Document, m: Mention) -> tuple[Mention, tuple[int, ...]]:
    """"in Somalia's Hiiraan region", "in Magway Region's Pauk Township": the place a possessive
    area owns is the smaller one, where the unknown name lies; (that place, starts of the owners)."""
    outer: tuple[int, ...] = ()
    for _ in range(2):
        tail = re.match(r"['’]s\s+", doc.text[m.end:m.end + 4])
        inner = next((o for o in doc.mentions if tail and o.start == m.end + tail.end() and o.place is not None
                      and o.place.feature in ("admin1", "admin2", "region", "locality")), None) if tail else None
        if inner is None:
            break
        outer, m = outer + (m.start,), inner
    return m, outer


def _country_around(doc: Document, name: str, end: int) -> Place | None:
    """The country of a place the article names only by name: the demonym right before its frame
    ("the Somali town of X"), else the article's main country."""
    from geo.geoparser import demonym_table

    start = doc.text.rfind(name, 0, end)
    found = _DEMONYM_BEFORE.search(doc.text, max(0, start - 60), start)
    codes = demonym_table().get(found["dem"], ()) if found else ()
    cc = next((c for c in codes if len(c) == 2), None) or doc.main_country() or _home_of_group(doc, end)
    return Gazetteer.default().country_place(cc) if cc else None


def _home_of_group(doc: Document, at: int) -> str | None:
    """"M23 rebels seized the town of X": with no place of the article to go by, the country an armed
    group named in the sentence fights in (a group of one country only)."""
    from geo.events.actors import parties

    s = doc.sentence_of(at)
    if s is None:
        return None
    homes = {h.actor.country for h in parties(doc.text, s.start, s.end) if h.actor.country
             and h.actor.inter not in (1, 8) and len(h.actor.areas or (h.actor.country,)) == 1}
    return next(iter(homes)) if len(homes) == 1 else None


# ---------------------------------------------------------------- a clause with no place of its own
KIN = {"strike": ("strike", "outage", "other"), "outage": ("strike", "outage"),
       "clash": ("clash", "capture"), "capture": ("capture", "clash"), "other": ("strike", "other"),
       "protest": ("protest",), "talks": ("talks",), "interception": (), "exchange": ()}


def anaphor_site(doc: Document, sent_index: int, p: Parsed, trig: Trigger,
                 recent: list[tuple[int, Site]] | None = None) -> Site | None:
    """"the city", "the town", "the region", "there", "the capital", "the airbase" in the trigger's clause:
    the place it points back to — the site of a recent event if it was named after any mention of that
    kind (an unknown village counts), else the latest mention of that kind, in the paragraph first."""
    ana = cues()["anaphors"]
    s = doc.sentences[sent_index]
    for t in p.toks:
        word = t.lemma
        if t.lower == "there" and t.pos == "ADV":
            here = [m for m in doc.mentions_in(s.start, t.start) if doc.literal(m) and m.place is not None
                    and m.place.feature not in ("country", "continent")]
            if here:  # "the governor of the X region said drones were shot down there": X's region
                return site_of(here[-1], how="anaphor")
            kind = "any"
        elif word in ana["facility"] and _determined(p, t.i):
            # "the airport": a facility ("X Airbase" read as the town X counts), not a town
            facilities = [(a, x) for a, x in recent or [] if x.place.feature == "landmark" or (
                x.place.feature == "locality" and _names_facility(doc.text[a:a + len(x.location or "") + 12]))]
            site = _recent_of(facilities, ("locality", "landmark"), doc, s.start)
            m = doc.last_place_before(s.start, ("landmark",)) or doc.last_place_before(s.start, ("locality",), s.paragraph)
            if site is not None and (m is None or site[0] >= m.start or _in_previous_sentence(doc, sent_index, site[0])):
                return site[1]  # "X air base, near Y, was hit. The airport ...": the base hit just before
            if m is not None:
                return site_of(m, how="anaphor")
            continue
        elif word in ana["locality"] or word in ana["admin1"] or word in ana["admin2"] or word == "area":
            prev = p.toks[t.i - 1].lower if t.i else ""
            nxt = p.toks[t.i + 1] if t.i + 1 < len(p.toks) else None
            if prev not in ("the", "that", "this", "his", "her", "its", "their") or (nxt is not None and (nxt.lower in ("of", "council", "hall")
                                                                             or nxt.text[:1].isupper()
                                                                             or nxt.lemma in cues()["org_nouns"])):
                continue
            kind = "locality" if word in ana["locality"] else "admin1" if word in ana["admin1"] else \
                "admin2" if word in ana["admin2"] else "any"
            if word == "capital":
                cap = _capital(doc, s.start)
                if cap is not None:
                    return site_of(cap, how="anaphor")
                continue
        else:
            continue
        feats = {"locality": ("locality", "landmark"), "admin1": ("admin1", "region"), "admin2": ("admin2",),
                 "any": ("locality", "landmark")}[kind]
        m = doc.last_place_before(t.start, feats, s.paragraph) or doc.last_place_before(t.start, feats)
        site = _recent_of(recent, feats, doc, s.start)
        if site is not None and (m is None or site[0] >= m.start or m.start in site[1].consumed):
            return site[1]
        if m is None and kind == "any":
            m = doc.last_place_before(t.start, ("admin2", "admin1"), s.paragraph)
        if m is None and kind == "admin1":
            town = doc.last_place_before(t.start, ("locality",))
            area = Gazetteer.default().admin1_place(town.place.admin1) if town and town.place.admin1 else None
            if area is not None:
                return place_site(area, "anaphor")
        if m is not None:
            return site_of(m, how="anaphor")
        heads = [h for h in doc.headline_places() if h.place.feature in feats]
        if heads:
            return site_of(heads[0], how="anaphor")
    return None


def _in_previous_sentence(doc: Document, sent_index: int, char: int) -> bool:
    return sent_index > 0 and doc.sentences[sent_index - 1].start <= char < doc.sentences[sent_index - 1].end


def _determined(p: Parsed, i: int) -> bool:
    prev = p.toks[i - 1].lower if i else ""
    nxt = p.toks[i + 1] if i + 1 < len(p.toks) else None
    return prev in ("the", "that", "this", "its") and not (nxt is not None and (nxt.lower == "of" or nxt.text[:1].isupper()))


def _names_facility(name: str) -> bool:
    """"X Airbase" (the geoparser may have read the town X): the name says it is a facility."""
    words = re.findall(r"[a-z]+", name.lower())
    return any(w in cues()["anaphors"]["facility"] for w in words)


def _recent_of(recent: list[tuple[int, Site]] | None, feats: tuple[str, ...], doc: Document,
               before: int) -> tuple[int, Site] | None:
    """The latest recent event site of one of `feats` (an unknown village stands for a locality)."""
    for start, site in reversed(recent or []):
        if start < before and (site.place.feature in feats or (site.how == "unknown" and "locality" in feats)):
            return start, site
    return None


def _capital(doc: Document, before: int) -> Mention | None:
    for m in reversed([m for m in doc.mentions if m.start < before or doc.in_dateline(m)]):
        if m.place is not None and (m.place.code or "") == "PPLC":
            return m
    return None


def paragraph_frame(doc: Document, sent_index: int) -> Site | None:
    """"In X, ..." opening the paragraph: where its placeless events are."""
    s = doc.sentences[sent_index]
    for k in range(sent_index, -1, -1):
        first = doc.sentences[k]
        if first.paragraph != s.paragraph:
            break
        head = re.match(r"\s*(?:In|At)\s+(?:the\s+)?(?:(?:city|town|village|port|region)\s+of\s+)?",
                        doc.text[first.start:first.end])
        if head:
            m = next((x for x in doc.mentions if x.start == first.start + head.end() and doc.literal(x)), None)
            if m is not None and re.match(r"[^,]{0,40},", doc.text[m.end:first.end]) and \
                    m.place.feature not in ("country", "continent"):
                return site_of(m, how="paragraph")
    return None


def next_sentence_site(doc: Document, sent_index: int, has_trigger) -> Site | None:
    """"... destroyed a school overnight. In Kramatorsk, rescuers searched the rubble": the next
    sentence of the paragraph opens with the place and reports no event of its own."""
    if sent_index + 1 >= len(doc.sentences):
        return None
    nxt = doc.sentences[sent_index + 1]
    if nxt.paragraph > doc.sentences[sent_index].paragraph + 1 or has_trigger(nxt):
        return None
    head = re.match(r"\s*(?:In|At|Near)\s+(?:the\s+)?", doc.text[nxt.start:nxt.end])
    if head:
        m = next((x for x in doc.mentions if x.start == nxt.start + head.end() and doc.literal(x)), None)
        if m is not None and m.place.feature not in ("country", "continent"):
            return site_of(m, how="next")
    return None


def headline_site(doc: Document) -> Site | None:
    """The headline's one town (or area), when it names exactly one."""
    places = {m.place.id: m for m in doc.headline_places() if m.place.feature not in ("country", "continent")}
    if len(places) == 1:
        return site_of(next(iter(places.values())), how="headline")
    return None
