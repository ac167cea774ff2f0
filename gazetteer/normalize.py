"""Name keys: how a written name becomes a lookup key.

Two keys are used. `fold` is exact-but-forgiving: case, diacritics, apostrophes and dashes do not
matter ("Kup'yans'k" == "Kupyansk", "Elysée" == "Elysee"). `skeleton` also forgives the spelling
variants that transliterations of Ukrainian and Russian alternate between (ya/ia, iy/yi/i, kh/h,
doubled letters), so "Kupiansk", "Kupyansk" and "Kupjansk" meet; it is only a fallback, ranked below
a folded match.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'\u2019\u2018\u02bc\u02b9\u0060\u00b4\u2032\u02bb\""
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_TRANS = str.maketrans({**{c: "" for c in _APOSTROPHES}, **{c: " " for c in _DASHES},
                        ".": "", ",": " ", "(": " ", ")": " ", "ı": "i", "ł": "l", "ø": "o",
                        "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th"})
_SPACES = re.compile(r"\s+")

# Ordered rewrites applied to a folded key to get its transliteration skeleton.
_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "sc"), ("kh", "h"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("ts", "c"), ("tz", "c"),
    ("yy", "i"), ("iy", "i"), ("yi", "i"), ("ij", "i"), ("ji", "i"), ("y", "i"), ("j", "i"),
    ("w", "v"), ("ph", "f"), ("ie", "e"), ("ye", "e"), ("ia", "a"), ("iu", "u"), ("io", "o"),
)
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=1 << 16)
def fold(name: str) -> str:
    """Lower-case, strip diacritics, drop apostrophes and full stops, turn dashes into spaces."""
    if name.isascii():  # the common case: no decomposition needed, same result
        s = name.lower().translate(_TRANS)
    else:
        s = unicodedata.normalize("NFKD", name.casefold())
        s = "".join(c for c in s if not unicodedata.combining(c)).translate(_TRANS)
    return _SPACES.sub(" ", s).strip()


@lru_cache(maxsize=1 << 16)
def skeleton(name: str) -> str:
    """A coarser key that merges common transliteration variants (fallback matching only)."""
    s = fold(name).replace(" ", "")
    for a, b in _SKELETON_RULES:
        s = s.replace(a, b)
    return _DOUBLES.sub(r"\1", s)


def is_latin(name: str) -> bool:
    """True when every letter is Latin script (GeoNames alternate names come in every script)."""
    for c in name:
        if c.isalpha():
            o = ord(c)
            if not (o < 0x250 or 0x1E00 <= o <= 0x1EFF):
                return False
    return any(c.isalpha() for c in name)
