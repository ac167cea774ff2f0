"""``geo gazetteer ...``: build, look up, import GeoNames extracts, list and remove imports.

A thin shell over the library (gazetteer.cache, gazetteer.imports, Gazetteer); `geo.cli` mounts
it. Errors in user input are one line on standard error and exit status 2.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer(add_completion=False, help="Build, inspect and query the offline gazetteer; import GeoNames extracts.")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@app.command("build")
def build(force: bool = typer.Option(True, help="Rebuild even when a cache exists."),
          quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar and no summary line.")) -> None:
    """Build the gazetteer cache from the GeoNames data of installed packages, data/ and your imports."""
    from gazetteer.cache import build_cache

    path = build_cache(force=force, quiet=quiet)
    typer.echo(f"gazetteer cache: {path}")


@app.command("lookup")
def lookup(
    name: str,
    country: Optional[str] = typer.Option(None, help="ISO country code to keep (UA)."),
    feature: Optional[str] = typer.Option(None, help="Feature kind to keep (admin1, locality, landmark...)."),
    limit: int = typer.Option(5),
) -> None:
    """Print the best-ranked places for a name, one JSON object a line."""
    from gazetteer import Gazetteer

    for p in Gazetteer.default().lookup(name, country=country, feature=feature)[:limit]:
        typer.echo(json.dumps(p.to_dict(), ensure_ascii=False))


@app.command("code")
def code(value: str) -> None:
    """Places with an IATA or ICAO code (KBP, UKBB): codes are never matched as names in text."""
    from gazetteer import Gazetteer

    places = Gazetteer.default().by_code(value)
    if not places:
        _fail(f"no place has the code {value!r}")
    for p in places:
        typer.echo(json.dumps(p.to_dict(), ensure_ascii=False))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A GeoNames extract: UA.zip, UA.txt, cities1000.zip, allCountries.zip..."),
    name: Optional[str] = typer.Option(None, help="The import's name (source tag import:NAME); default the file name."),
    quiet: bool = typer.Option(False, "-q", "--quiet"),
) -> None:
    """Merge a GeoNames extract (populated places down to hamlets, admin areas, sites) into the gazetteer."""
    from gazetteer import imports
    from gazetteer.cache import build_cache
    from gazetteer.core import Gazetteer

    try:
        report = imports.import_file(file, name=name)
    except (ValueError, OSError) as e:
        _fail(str(e))
    for line in report.errors[:20]:
        typer.echo(f"warning: {line} (skipped)", err=True)
    if len(report.errors) > 20:
        typer.echo(f"warning: {len(report.errors) - 20} more bad lines skipped", err=True)
    item = report.item
    path = build_cache(quiet=quiet)
    Gazetteer.reset_default()
    typer.echo(f"imported {item.rows:,} rows from {file} as {item.source}"
               f"{f' ({item.skipped} bad lines skipped)' if item.skipped else ''}; cache: {path}")


@app.command("imports")
def list_imports() -> None:
    """List the GeoNames extracts merged into the gazetteer."""
    from gazetteer import imports

    items = imports.active()
    if not items:
        typer.echo("no imports (geo gazetteer import FILE adds one)")
    for i in items:
        typer.echo(f"{i.name}\t{i.rows:,} rows\t{i.source}\t{i.imported}\t{i.original}")


@app.command("remove")
def remove(name: str, quiet: bool = typer.Option(False, "-q", "--quiet")) -> None:
    """Remove an import; the gazetteer goes back to what it was without it."""
    from gazetteer import imports
    from gazetteer.cache import build_cache

    try:
        item = imports.remove(name)
    except ValueError as e:
        _fail(str(e))
    path = build_cache(quiet=quiet)
    typer.echo(f"removed {item.source} ({item.rows:,} rows); cache: {path}")


if __name__ == "__main__":  # pragma: no cover
    app(sys.argv[1:])
