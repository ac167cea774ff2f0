"""`geo`: a thin command-line shell over the library (geo.pipeline, geo.store, geo.export, geo.maps).

Every command parses its options, calls one library function and prints what it returned. Errors
that a user can fix (a missing file, a bad query) are printed as one line, with exit status 2;
`ingest` and `run` report each bad record as one line and go on (see INGEST_HELP).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from geo.errors import GeoError

app = typer.Typer(add_completion=False, invoke_without_command=True, no_args_is_help=False,
                  pretty_exceptions_enable=False,
                  help="Offline conflict-event geodatabase: news text to geocoded, typed events.")
gaz_app = typer.Typer(add_completion=False, help="Build, inspect and query the offline gazetteer.")
app.add_typer(gaz_app, name="gazetteer")

DEFAULT_DB = Path("geo.duckdb")
SAMPLE_DB, SAMPLE_MAP, SAMPLE_GEOJSON = Path("out/samples.duckdb"), Path("maps/events.html"), Path("out/events.geojson")


def _date(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise typer.BadParameter(f"not an ISO date (YYYY-MM-DD): {value!r}") from e


@app.callback()
def _default(ctx: typer.Context) -> None:
    """With no command, run the main job on the embedded sample corpus."""
    if ctx.invoked_subcommand is None:
        run(paths=[], db=SAMPLE_DB, map_out=SAMPLE_MAP, geojson_out=SAMPLE_GEOJSON, published=None,
            batch_size=500, strict=False, quiet=False, workers=0, scheduler=None)


INGEST_HELP = """
Bad input does not stop the run: each bad record (a file that cannot be read, a JSON line that does
not parse, a bad date ...) or article that cannot be processed is printed as it happens as one line
`error: FILE:LINE: message` on stderr and skipped; every good record is stored. A `warning: ...`
line (for example an article truncated at the size limit) means the article was stored anyway.
--strict stops at the first bad record instead (the records before it are stored).

Exit status: 0 when every record was stored (or was unchanged); otherwise the number of records
that failed, at most 100; 101 when the run could not start or go on (for example the database
cannot be opened). Usage errors exit 2 with a usage message.

Articles stream through in batches (--batch-size): memory stays bounded by the batch, each batch is
stored in one transaction, and the database file is released between batches so `geo sql` and
`geo map` can read it during a long ingest. A progress line (articles/s, places, events) is shown
on a terminal; -q shows only problems.
"""

FATAL_EXIT = 101
BATCH_OPT = typer.Option(500, "--batch-size", min=1,
                         help="Articles per batch: parsed together, stored in one transaction.")
STRICT_OPT = typer.Option(False, "--strict", help="Stop at the first bad record (those before it are stored).")
QUIET_OPT = typer.Option(False, "-q", "--quiet", help="No progress line and no summary; problems are still printed.")
WORKERS_OPT = typer.Option(0, "--workers", min=0, help="Geoparse and extract on a local Dask cluster of N "
                           "worker processes (needs the dask extra: pip install geo-events\\[dask]); 0: in this process.")
SCHEDULER_OPT = typer.Option(None, "--scheduler", metavar="tcp://HOST:PORT",
                             help="Geoparse and extract on a running Dask cluster (see README).")


def _ingest_with_display(quiet: bool, call: Callable[..., Any]) -> tuple[Any, int]:
    """Run `call(on_problem=..., on_progress=...)` under the progress display; returns (result, exit code)."""
    from geo.pipeline import StrictStop
    from geo.progress import IngestDisplay

    with IngestDisplay(quiet=quiet) as display:
        try:
            result = call(on_problem=display.problem, on_progress=display.progress)
        except StrictStop as e:
            return getattr(e, "report", None), 1
        except GeoError as e:
            display.stop()
            typer.echo(f"error: {e}", err=True)
            raise typer.Exit(FATAL_EXIT) from None
    report = getattr(result, "report", result)
    return result, min(report.failed, 100)


@app.command(help="Ingest articles (default: data/samples), then write the map and the GeoJSON.\n" + INGEST_HELP)
def run(
    paths: list[str] = typer.Argument(None, help="Files or folders; default: the embedded samples."),
    db: Path = typer.Option(SAMPLE_DB, help="DuckDB file to write."),
    map_out: Path = typer.Option(SAMPLE_MAP, "--map", help="HTML map to write."),
    geojson_out: Path = typer.Option(SAMPLE_GEOJSON, "--geojson", help="GeoJSON to write."),
    published: Optional[str] = typer.Option(None, help="Date for articles that carry none."),
    batch_size: int = BATCH_OPT,
    strict: bool = STRICT_OPT,
    quiet: bool = QUIET_OPT,
    workers: int = WORKERS_OPT,
    scheduler: Optional[str] = SCHEDULER_OPT,
) -> None:
    from geo.pipeline import run_job

    summary, code = _ingest_with_display(quiet, lambda **cb: run_job(
        paths or None, db=db, map_path=map_out, geojson_path=geojson_out, published=_date(published),
        batch_size=batch_size, strict=strict, workers=workers, scheduler=scheduler, **cb))
    if summary is not None and not quiet:
        typer.echo(summary.render())
    raise typer.Exit(code)


@app.command(help="Read articles, geoparse them, extract events and store everything in DuckDB.\n" + INGEST_HELP)
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders, or - for standard input."),
    db: Path = typer.Option(DEFAULT_DB, help="DuckDB file."),
    published: Optional[str] = typer.Option(None, help="Date for articles that carry none."),
    batch_size: int = BATCH_OPT,
    strict: bool = STRICT_OPT,
    quiet: bool = QUIET_OPT,
    workers: int = WORKERS_OPT,
    scheduler: Optional[str] = SCHEDULER_OPT,
) -> None:
    from geo.pipeline import ingest_paths

    report, code = _ingest_with_display(quiet, lambda **cb: ingest_paths(
        paths, db=db, published=_date(published), batch_size=batch_size, strict=strict, workers=workers,
        scheduler=scheduler, **cb))
    if report is not None and not quiet:
        typer.echo(report.render())
    raise typer.Exit(code)


@app.command()
def geoparse(
    paths: list[str] = typer.Argument(..., help="Files, folders, or - for standard input."),
    fmt: str = typer.Option("jsonl", "--format", help="jsonl (one mention a line) or geojson."),
    published: Optional[str] = typer.Option(None, help="Date for articles that carry none."),
) -> None:
    """Print every resolved place mention as JSON lines (or one GeoJSON FeatureCollection)."""
    from geo.geoparser import geoparse_article
    from geo.read import read_paths

    features = []
    for article in read_paths(paths, published=_date(published)):
        for m in geoparse_article(article):
            if m.place is None:
                continue
            if fmt == "geojson":
                props = m.to_dict()
                features.append({"type": "Feature", "properties": props,
                                 "geometry": {"type": "Point", "coordinates": [props["lon"], props["lat"]]}})
            else:
                sys.stdout.write(json.dumps(m.to_dict(), ensure_ascii=False) + "\n")
    if fmt == "geojson":
        json.dump({"type": "FeatureCollection", "features": features}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")


@app.command()
def export(
    fmt: str = typer.Option("geojson", "--format", help="geojson, geoparquet, acled or csv."),
    db: Path = typer.Option(DEFAULT_DB, help="DuckDB file."),
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file (default: stdout for text formats)."),
    type_: Optional[list[str]] = typer.Option(None, "--type", help="Only these event types (repeatable)."),
    since: Optional[str] = typer.Option(None, help="Events on or after this date."),
    until: Optional[str] = typer.Option(None, help="Events on or before this date."),
    country: Optional[list[str]] = typer.Option(None, help="Only these ISO 3166-1 alpha-2 countries."),
    bbox: Optional[str] = typer.Option(None, help="min_lon,min_lat,max_lon,max_lat"),
    all_claims: bool = typer.Option(False, "--all-claims", help="Also export anticipated and cancelled events."),
) -> None:
    """Export stored events."""
    from geo.export import EventFilter, export_events

    flt = EventFilter(types=type_ or None, since=_date(since), until=_date(until),
                      countries=country or None, bbox=_bbox(bbox), facts_only=not all_claims)
    written = export_events(db, fmt, out, flt)
    if out is not None:
        typer.echo(f"wrote {written}", err=True)


def _bbox(value: Optional[str]) -> Optional[tuple[float, float, float, float]]:
    if not value:
        return None
    try:
        parts = tuple(float(v) for v in value.split(","))
    except ValueError as e:
        raise typer.BadParameter(f"--bbox wants four numbers: {value!r}") from e
    if len(parts) != 4:
        raise typer.BadParameter(f"--bbox wants four numbers: {value!r}")
    return parts  # type: ignore[return-value]


@app.command("map")
def map_(
    db: Path = typer.Option(DEFAULT_DB, help="DuckDB file."),
    out: Path = typer.Option(Path("maps/events.html"), "-o", "--output", help="HTML file to write."),
) -> None:
    """Write one self-contained HTML map of the stored events (works with no network)."""
    from geo.maps import render_db_map

    typer.echo(f"wrote {render_db_map(db, out)}")


@app.command()
def sql(
    query: str = typer.Argument(..., help="A SQL statement."),
    db: Path = typer.Option(DEFAULT_DB, help="DuckDB file."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    write: bool = typer.Option(False, "--write", help="Open the database read-write."),
) -> None:
    """Run SQL against the database (read-only unless --write)."""
    from geo.store import run_sql

    typer.echo(run_sql(db, query, fmt=fmt, read_only=not write), nl=False)


@gaz_app.command("build")
def gazetteer_build(force: bool = typer.Option(True, help="Rebuild even when a cache exists.")) -> None:
    """Build the gazetteer cache from the GeoNames data of installed packages and data/."""
    from gazetteer import build_cache

    path = build_cache(force=force)
    typer.echo(f"gazetteer cache: {path}")


@gaz_app.command("lookup")
def gazetteer_lookup(
    name: str,
    country: Optional[str] = typer.Option(None),
    feature: Optional[str] = typer.Option(None),
    limit: int = typer.Option(5),
) -> None:
    """Print the best-ranked places for a name."""
    from gazetteer import Gazetteer

    for p in Gazetteer.default().lookup(name, country=country, feature=feature)[:limit]:
        typer.echo(json.dumps(p.to_dict(), ensure_ascii=False))


def main() -> None:
    """Console entry point: user errors become one clear line and exit status 2."""
    try:
        app()
    except GeoError as e:
        typer.echo(f"error: {e}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
