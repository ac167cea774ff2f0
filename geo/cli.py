"""`geo`: a thin command-line shell over the library (geo.pipeline, geo.store, geo.export, geo.render).

Every command parses its options, calls one library function and prints what it returned. Errors
that a user can fix (a missing file, a bad query) are printed as one line, with exit status 2;
`ingest` and `run` report each bad record as one line and go on (see INGEST_HELP).

Every command reads and writes one database: ``--db FILE``, else ``$GEO_DB``, else ``geo.duckdb`` in
the current directory (geo.settings), so the samples that `geo` ingests are what `geo map`,
`geo sql` and `geo export` then find.
"""
from __future__ import annotations

import datetime as dt
import json
import sys
import warnings
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from gazetteer.cli import app as gaz_app  # the `geo gazetteer ...` subcommands live with the gazetteer
from geo.errors import GeoError, InputWarning
from geo.settings import DB_ENV, DEFAULT_DB, default_db

app = typer.Typer(add_completion=False, invoke_without_command=True, no_args_is_help=False,
                  pretty_exceptions_enable=False,
                  help="Offline conflict-event geodatabase: news text to geocoded, typed events.")
app.add_typer(gaz_app, name="gazetteer")

SAMPLE_MAP, SAMPLE_GEOJSON = Path("maps/events.html"), Path("out/events.geojson")

# Options shared by several commands (one definition each, so their names and help agree).
DbOpt = Annotated[Path, typer.Option("--db", envvar=DB_ENV, show_envvar=True,
                                     help=f"DuckDB file (every command uses the same one: {DEFAULT_DB} "
                                          f"in the current directory unless ${DB_ENV} or --db says otherwise).")]
TypeOpt = Annotated[Optional[list[str]], typer.Option("--type", help="Only these event types (repeatable).")]
SinceOpt = Annotated[Optional[str], typer.Option("--since", help="Events on or after this date (YYYY-MM-DD).")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", help="Events on or before this date (YYYY-MM-DD).")]
CountryOpt = Annotated[Optional[list[str]], typer.Option("--country", help="Only these ISO 3166-1 alpha-2 countries (repeatable).")]
BboxOpt = Annotated[Optional[str], typer.Option("--bbox", help="min_lon,min_lat,max_lon,max_lat")]
ClaimOpt = Annotated[Optional[list[str]], typer.Option(
    "--claim", help="Only these claim statuses: reported, claimed, disputed (repeatable).")]
TitleOpt = Annotated[Optional[str], typer.Option(
    "--title", help="Only events reported by an article whose title contains this text (case-insensitive).")]
HeadingOpt = Annotated[str, typer.Option("--heading", help="Title shown on the map or plot.")]


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
        run(paths=[], db=default_db(), map_out=SAMPLE_MAP, geojson_out=SAMPLE_GEOJSON, published=None,
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
    db: DbOpt = DEFAULT_DB,
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
    db: DbOpt = DEFAULT_DB,
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

    def problem(e) -> None:  # a warning (the article is still read) is printed; an error stops here
        if e.fatal:
            raise e
        typer.echo(f"warning: {e}", err=True)

    features = []
    for article in read_paths(paths, published=_date(published), on_error=problem):
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
    db: DbOpt = DEFAULT_DB,
    out: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file (default: stdout for text formats)."),
    type_: TypeOpt = None, since: SinceOpt = None, until: UntilOpt = None, country: CountryOpt = None,
    bbox: BboxOpt = None,
    claim: Optional[list[str]] = typer.Option(
        None, "--claim", help="Only these claim statuses (repeatable): reported, claimed, disputed, anticipated, "
                              "cancelled. Default: the facts (reported, claimed, disputed)."),
    all_claims: bool = typer.Option(False, "--all-claims", help="Every claim status (also anticipated and cancelled)."),
    title: TitleOpt = None,
    acled_extra: bool = typer.Option(False, "--acled-extra", help="ACLED format: append this project's fields "
                                                                  "after ACLED's 31 columns."),
    inter_labels: bool = typer.Option(False, "--inter-labels", help="ACLED format: inter1/inter2/interaction as "
                                                                    "ACLED's text labels instead of numeric codes."),
) -> None:
    """Export stored events."""
    from geo.render.export import export_events

    flt = event_filter(type_, since, until, country, bbox, claim, all_claims, title)
    written = export_events(db, fmt, out, flt, extra=acled_extra, inter_labels=inter_labels)
    if out is not None:
        typer.echo(f"wrote {written}", err=True)


def event_filter(types: Optional[list[str]] = None, since: Optional[str] = None, until: Optional[str] = None,
                 countries: Optional[list[str]] = None, bbox: Optional[str] = None,
                 claims: Optional[list[str]] = None, all_claims: bool = False, title: Optional[str] = None):
    """The EventFilter of the filter options that `export`, `map` and `plot` share."""
    from geo.filters import EventFilter

    return EventFilter(types=types or None, since=_date(since), until=_date(until), countries=countries or None,
                       bbox=_bbox(bbox), facts_only=not all_claims, claims=claims or None, title=title)


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


@app.command("eval")
def eval_(
    corpus: Path = typer.Option(..., help="Articles to ingest (a .jsonl/.csv file or a folder, as for ingest)."),
    gold: Path = typer.Option(..., help="Folder with the gold events.jsonl (the ../shared/eval format)."),
    db: Optional[Path] = typer.Option(None, help="Keep the DuckDB file here (default: a temporary one)."),
    published: Optional[str] = typer.Option(None, help="Date for articles that carry none."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="List every miss and false event."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as one JSON object."),
) -> None:
    """Score extraction on a corpus with gold events: recall, precision, attributes, misses by cause."""
    from geo.evaluate import evaluate, render

    report = evaluate(corpus, gold, db=db, published=_date(published))
    if as_json:
        typer.echo(json.dumps(report.to_dict(), ensure_ascii=False, default=str))
    else:
        typer.echo(render(report, verbose=verbose), nl=False)


def _event_filter(type_: Optional[list[str]], since: Optional[str], until: Optional[str],
                  country: Optional[list[str]], bbox: Optional[str], claim: Optional[list[str]],
                  title: Optional[str]):
    """The EventFilter of `map` and `plot`: only facts can be drawn, so --claim takes reported,
    claimed or disputed; unknown types or claims are refused by name."""
    from geo.models import EVENT_TYPES, FACTUAL_CLAIMS

    for values, known, opt in ((type_, EVENT_TYPES, "--type"), (claim, sorted(FACTUAL_CLAIMS), "--claim")):
        bad = [v for v in values or [] if v not in known]
        if bad:
            raise typer.BadParameter(f"unknown value(s) {', '.join(map(repr, bad))}: use {', '.join(known)}",
                                     param_hint=opt)
    return event_filter(type_, since, until, country, bbox, claim, title=title)


@app.command("map")
def map_(
    db: DbOpt = DEFAULT_DB,
    out: Path = typer.Option(SAMPLE_MAP, "-o", "--output", help="HTML file to write."),
    type_: TypeOpt = None, since: SinceOpt = None, until: UntilOpt = None, country: CountryOpt = None,
    bbox: BboxOpt = None, claim: ClaimOpt = None, title: TitleOpt = None,
    heading: HeadingOpt = "Conflict events",
) -> None:
    """Write one self-contained HTML map of the stored events (works with no network): time slider and
    timeline, clusters, areas for admin-1/country-level events, popups with sources, a side list."""
    from geo.render.maps import map_from_db, save

    fmap = map_from_db(db, _event_filter(type_, since, until, country, bbox, claim, title), title=heading)
    typer.echo(f"wrote {save(fmap, out)}: {fmap.geo_payload.describe()}")


@app.command()
def plot(
    db: DbOpt = DEFAULT_DB,
    out: Path = typer.Option(Path("maps/events.png"), "-o", "--output",
                             help="Static map to write (.png or .svg)."),
    timeline: Optional[Path] = typer.Option(None, "--timeline",
                                            help="Chart of events over time to write (default: next to the map, "
                                                 "named *-timeline)."),
    type_: TypeOpt = None, since: SinceOpt = None, until: UntilOpt = None, country: CountryOpt = None,
    bbox: BboxOpt = None, claim: ClaimOpt = None, title: TitleOpt = None,
    heading: HeadingOpt = "Conflict events",
    dpi: int = typer.Option(150, help="Resolution of PNG files."),
) -> None:
    """Write pictures for reports: a static map (country and admin-1 outlines, no tiles) and a chart
    of events over time by type, as PNG or SVG."""
    from geo.render.plot import plot_db

    flt = _event_filter(type_, since, until, country, bbox, claim, title)
    for path in plot_db(db, out, timeline, flt, title=heading, dpi=dpi):
        typer.echo(f"wrote {path}")


@app.command()
def sql(
    query: str = typer.Argument(..., help="A SQL statement."),
    db: DbOpt = DEFAULT_DB,
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    write: bool = typer.Option(False, "--write", help="Open the database read-write, with all of DuckDB's powers "
                                                     "(files, extensions, settings)."),
) -> None:
    """Run SQL against the database. Without --write it runs in a sandbox: it reads the database and
    nothing else (no files, no extensions, no settings; see README "SQL sandbox")."""
    from geo.store import run_sql

    typer.echo(run_sql(db, query, fmt=fmt, read_only=not write), nl=False)


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    """An input warning (geo.errors.InputWarning) is one line, `warning: FILE:LINE: ...`."""
    if issubclass(category, InputWarning):
        typer.echo(f"warning: {message}", err=True)
    else:
        _python_showwarning(message, category, filename, lineno, file, line)


_python_showwarning = warnings.showwarning


def main() -> None:
    """Console entry point: user errors become one clear line and exit status 2."""
    warnings.showwarning = _show_warning
    try:
        app()
    except GeoError as e:
        typer.echo(f"error: {e}", err=True)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
