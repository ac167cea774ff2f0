"""The main job: read -> geoparse -> extract -> store, then render and export.

`ingest_paths` is what `geo ingest` does; `run_job` is what `geo` with no arguments does.
Each article is stored in its own transaction, so an error in one input line leaves everything
stored before it intact.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from geo.extraction import extract_article
from geo.geoparser import geoparse_article
from geo.read import read_paths
from geo.store import Store


@dataclass
class IngestReport:
    """What one ingest did, article by article."""

    db: Path
    new: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    mentions: int = 0
    events: int = 0

    def render(self) -> str:
        return (f"{self.db}: {len(self.new)} new, {len(self.updated)} updated, "
                f"{len(self.unchanged)} unchanged articles; {self.mentions} place mentions, "
                f"{self.events} events extracted")


def samples_dir() -> Path:
    """The embedded sample corpus (data/samples, installed as the geo_data package)."""
    return Path(str(resources.files("geo_data") / "samples"))


def ingest_paths(paths: list[str], db: Path, published: dt.date | None = None) -> IngestReport:
    """Ingest files/folders/stdin into `db`; articles whose content is unchanged are skipped."""
    report = IngestReport(db=Path(db))
    with Store(db) as store:
        for article in read_paths(paths, published=published):
            state = store.article_state(article)
            if state == "unchanged":
                report.unchanged.append(article.id)
                continue
            mentions = geoparse_article(article)
            events = extract_article(article, mentions)
            store.put(article, mentions, events)
            (report.new if state == "new" else report.updated).append(article.id)
            report.mentions += len(mentions)
            report.events += len(events)
    return report


@dataclass
class JobSummary:
    report: IngestReport
    map_path: Path
    geojson_path: Path
    stored_events: int

    def render(self) -> str:
        return "\n".join([
            self.report.render(),
            f"events in database: {self.stored_events}",
            f"database: {self.report.db}",
            f"map:      {self.map_path}",
            f"geojson:  {self.geojson_path}",
        ])


def run_job(paths: list[str] | None, db: Path, map_path: Path, geojson_path: Path,
            published: dt.date | None = None) -> JobSummary:
    """Ingest (default: the embedded samples), then write the HTML map and the GeoJSON."""
    from geo.export import EventFilter, export_events
    from geo.maps import render_db_map

    Path(db).parent.mkdir(parents=True, exist_ok=True)
    report = ingest_paths(paths or [str(samples_dir())], db=db, published=published)
    geojson_path.parent.mkdir(parents=True, exist_ok=True)
    export_events(db, "geojson", geojson_path, EventFilter())
    render_db_map(db, map_path)
    with Store(db, read_only=True) as store:
        stored = len(store.events())
    return JobSummary(report=report, map_path=map_path, geojson_path=geojson_path, stored_events=stored)
