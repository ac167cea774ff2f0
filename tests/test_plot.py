"""`geo plot` and geo.render.plot: static PNG/SVG maps and timelines, precision drawn honestly."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.errors import GeoError
from geo.render.plot import plot_db, plot_map, plot_timeline, timeline_path
from geo.render.query import map_events
from map_data import FACTS, make_db


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory.mktemp("plotdb") / "events.duckdb")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_plot_db_writes_a_map_and_a_timeline(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "pics" / "events.png"
    written = plot_db(db, out, dpi=80)
    assert written == [out, tmp_path / "pics" / "events-timeline.png"]
    w, h = _png_size(out)
    assert w == 11 * 80 and 4.5 * 80 <= h <= 11 * 80
    assert _png_size(written[1])[0] == 11 * 80


def test_svg_map_shades_areas_and_draws_points(db: Path, tmp_path: Path) -> None:
    feats, _ = map_events(db)
    fig = plot_map(feats, tmp_path / "m.svg", title="Test map")
    svg = (tmp_path / "m.svg").read_text("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "<pattern" in svg  # hatching: the country- and admin-1-level events are areas
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "strike (4)" in legend and "interception (1)" in legend and "outage (1)" in legend
    assert "known only at admin-1 / country level" in legend and "near a place / in a district" in legend
    notes = fig._supxlabel.get_text()
    assert "1 event with no point or shape not drawn" in notes and "2 planned/cancelled events not drawn" in notes
    # the country-level interception is not a dot at Ukraine's centre (32.0 E, 49.0 N)
    offsets = [tuple(o) for c in fig.axes[0].collections if hasattr(c, "get_offsets") for o in c.get_offsets()]
    assert offsets and all(abs(x - 32.0) > 0.5 or abs(y - 49.0) > 0.5 for x, y in offsets)
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", svg)  # no timestamp: the same data gives the same file


def test_timeline_counts_dated_facts_by_type(db: Path, tmp_path: Path) -> None:
    feats, _ = map_events(db)
    fig = plot_timeline(feats, tmp_path / "t.svg")
    ax = fig.axes[0]
    heights = sum(p.get_height() for p in ax.patches)
    assert heights == FACTS - 1  # every fact but the undated one
    assert ax.get_ylabel() == "events per day"
    assert "1 undated event not shown" in fig._supxlabel.get_text()
    empty = plot_timeline([], tmp_path / "none.png")
    assert "no dated events" in [t.get_text() for t in empty.axes[0].texts]


def test_bad_suffix_and_default_timeline_name(tmp_path: Path) -> None:
    with pytest.raises(GeoError, match=r"\.gif"):
        plot_map([], tmp_path / "m.gif")
    assert timeline_path(Path("maps/x.svg")) == Path("maps/x-timeline.svg")


def test_geo_plot_command(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from geo.cli import app

    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, ["plot", "--db", str(db), "-o", "ua.svg", "--country", "UA", "--type", "strike",
                                   "--dpi", "60"])
    assert res.exit_code == 0, res.output
    assert "wrote ua.svg" in res.output and "wrote ua-timeline.svg" in res.output
    svg = (tmp_path / "ua.svg").read_text("utf-8")
    assert "type: strike; country: UA" in svg and "<text" in svg  # text stays text in the SVG
