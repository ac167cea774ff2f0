"""Event extraction: typed, dated, located incidents from an article and its place mentions.

Stages, each a module readable alone:
- `document`: sentences, paragraphs, headline, dateline, the article's places;
- `nlp`: lemmas, parts of speech and a dependency parse of the sentences that may hold a trigger;
- `triggers`: trigger words and phrases by lemma (data/lexicons/triggers.json);
- `modality`: fact, plan, cancellation, negation, hypothesis, generic and background readings;
- `roles` and `sites`: where it happened (not who acted or spoke), one event per place;
- `when`, `actors` (the lexicon) and `sides` (actor1/actor2 of an event), `claims`, `counts`: its day,
  its sides, who says so, how many;
- `merge`: one incident, one event, within an article;
- `extractor`: the wiring.
"""
from __future__ import annotations

import datetime as dt

from geo.events.extractor import extract, extract_many
from geo.models import Article, Event, Mention

__all__ = ["extract", "extract_many", "extract_article", "extract_articles", "extract_text"]


def extract_article(article: Article, mentions: list[Mention]) -> list[Event]:
    return extract(article.text, mentions, article.published, article.id)


def extract_articles(batch: list[tuple[Article, list[Mention]]]) -> list[list[Event]]:
    """Events of several articles, one list per article in order: the pipeline's batch entry point
    (the batch's trigger sentences are parsed in one pass)."""
    return extract_many([(a.text, m, a.published, a.id) for a, m in batch])


def extract_text(text: str, published: dt.date | None = None, article_id: str = "-") -> list[Event]:
    """Geoparse `text` and extract its events (the library entry point behind `geo.extract`)."""
    from geo.geoparser import geoparse

    return extract(text, geoparse(text, article_id=article_id), published, article_id)
