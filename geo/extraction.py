"""The event extractor's public entry points (kept at this path for the pipeline and older code);
the stages live in the package geo.events."""
from geo.events import extract, extract_article, extract_articles, extract_many, extract_text

__all__ = ["extract", "extract_article", "extract_articles", "extract_many", "extract_text"]
