"""Exports: every format loads back with the same events; GeoJSON is RFC 7946; filters work."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import duckdb
import geopandas as gpd
import jsonschema
import pytest

from gazetteer.place import Place
from geo.errors import GeoError
from geo.export import ACLED_COLUMNS, EventFilter, events_geojson, export_events
from geo.models import EVENT_FIELDS, Article, Event, Evidence, Mention
from geo.store import Store

from factories import DAY, KHARKIV, KHARKIV_OBL, UKRAINE, event_at

POKROVSK = Place("gn:708755", "Pokrovsk", "locality", "UA", "UA.05", 48.28198, 37.18207, 60000, 708755, "PPLA2")
ISTANBUL = Place("gn:745044", "Istanbul", "locality", "TR", "TR.34", 41.01384, 28.94966, 14804116, 745044, "PPLA")
TAMBOV_OBL = Place("gn:484638", "Tambov Oblast", "admin1", "RU", "RU.72", 52.75, 41.75, 1000000, 484638, "ADM1")

# A compact JSON schema for the parts of RFC 7946 these exports use.
POSITION = {"type": "array", "minItems": 2, "maxItems": 3, "items": {"type": "number"}}
RFC7946_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "bbox": {"type": "array", "minItems": 4, "items": {"type": "number"}},
        "features": {"type": "array", "items": {
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"const": "Feature"},
                "id": {"type": ["string", "number"]},
                "properties": {"type": ["object", "null"]},
                "geometry": {"oneOf": [
                    {"type": "null"},
                    {"type": "object", "required": ["type", "coordinates"],
                     "properties": {"type": {"const": "Point"}, "coordinates": POSITION}},
                ]},
            },
        }},
    },
    "not": {"anyOf": [{"required": ["crs"]}]},  # RFC 7946 removed "crs"
}


def art(aid: str, text: str, source: str) -> Article:
    return Article(id=aid, text=text, title=aid, published=DAY, source=source)


def ev(a: Article, place: Place, type_: str = "strike", date: dt.date = DAY, **kw) -> Event:
    return event_at(a, place, type_, date, Evidence(a.id, 0, len(a.text), a.text), **kw)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "events.duckdb"
    a1 = art("kyivind-1", "Russian drones struck Kharkiv overnight, killing three.", "Kyiv Independent")
    a2 = art("reuters-7", "A drone attack on Kharkiv killed four, officials in Kharkiv Oblast said.", "Reuters")
    a3 = art("ap-3", "Russia claims to have captured Pokrovsk. Talks are planned in Istanbul next week. "
                     "A fire broke out at an oil depot in the Tambov region. Power was cut for 400,000.", "AP")
    with Store(path) as s:
        s.put(a1, [Mention(a1.id, 22, 29, "Kharkiv", KHARKIV)],
              [ev(a1, KHARKIV, subtype="drone strike", weapon="drones", actor="Russia", fatalities=3)])
        s.put(a2, [Mention(a2.id, 20, 27, "Kharkiv", KHARKIV), Mention(a2.id, 51, 65, "Kharkiv Oblast", KHARKIV_OBL)],
              [ev(a2, KHARKIV, subtype="drone strike", actor="Russia", fatalities=4, injured=12)])
        s.put(a3, [], [
            ev(a3, POKROVSK, "capture", date=DAY - dt.timedelta(days=1), actor="Russia", claim_status="claimed",
               claimed_by="Russian Ministry of Defence"),
            ev(a3, ISTANBUL, "talks", date=DAY + dt.timedelta(days=7), claim_status="anticipated"),
            ev(a3, TAMBOV_OBL, "strike", actor="Ukraine", target="oil depot"),
            ev(a3, UKRAINE, "outage", precision="country", affected=400000),
        ])
    return path


FACT_PLACES = {"Kharkiv", "Pokrovsk", "Tambov Oblast", "Ukraine"}


def stored(db, flt=None):
    with Store(db, read_only=True) as s:
        return {r["event_id"]: r for r in s.events(flt or EventFilter())}


def test_geojson_is_rfc7946_and_lon_lat(db, tmp_path):
    out = export_events(db, "geojson", tmp_path / "events.geojson", EventFilter())
    fc = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(fc, RFC7946_SCHEMA)
    assert {f["properties"]["place"] for f in fc["features"]} == FACT_PLACES
    for f in fc["features"]:
        lon, lat = f["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        p = f["properties"]
        assert (lon, lat) == (p["lon"], p["lat"])
        assert set(EVENT_FIELDS) <= set(p)
        assert isinstance(p["articles"], list) and p["articles"]
        assert f["id"] == p["event_id"]
    kh = next(f for f in fc["features"] if f["properties"]["place"] == "Kharkiv")
    assert kh["geometry"]["coordinates"] == [36.25272, 49.98081]  # [lon, lat], not [lat, lon]
    assert kh["properties"]["articles"] == ["kyivind-1", "reuters-7"]
    assert kh["properties"]["fatalities"] == 4


def test_geojson_loads_in_geopandas_with_the_same_events(db, tmp_path):
    path = export_events(db, "geojson", tmp_path / "events.geojson", EventFilter())
    gdf = gpd.read_file(path)
    want = stored(db)
    assert set(gdf["event_id"]) == set(want)
    assert gdf.crs.to_epsg() == 4326
    for _, row in gdf.iterrows():
        w = want[row["event_id"]]
        assert (row.geometry.x, row.geometry.y) == pytest.approx((w["lon"], w["lat"]))
        assert row["type"] == w["type"]


def test_geojson_function_and_stdout(db, capsys):
    fc = events_geojson(db, EventFilter(types=["strike"]))
    assert {f["properties"]["place"] for f in fc["features"]} == {"Kharkiv", "Tambov Oblast"}
    text = export_events(db, "geojson", None, EventFilter(facts_only=False))
    printed = capsys.readouterr().out
    assert printed == text
    assert len(json.loads(printed)["features"]) == 5


def test_geoparquet_loads_in_geopandas_and_duckdb(db, tmp_path):
    path = export_events(db, "geoparquet", tmp_path / "events.parquet", EventFilter())
    want = stored(db)
    gdf = gpd.read_parquet(path)
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf["event_id"]) == set(want)
    assert set(EVENT_FIELDS) <= set(gdf.columns)
    for _, row in gdf.iterrows():
        w = want[row["event_id"]]
        assert (row.geometry.x, row.geometry.y) == pytest.approx((w["lon"], w["lat"]))
        assert list(row["articles"]) == w["articles"]
        assert str(row["date"])[:10] == w["date"]
    con = duckdb.connect()
    try:
        ids = {r[0] for r in con.execute(f"SELECT event_id FROM read_parquet('{path}')").fetchall()}
        assert ids == set(want)
        from geo.store import load_spatial

        if load_spatial(con) is None:
            rows = con.execute(f"SELECT event_id, ST_X(geometry), ST_Y(geometry) FROM read_parquet('{path}')").fetchall()
            for eid, x, y in rows:
                assert (x, y) == pytest.approx((want[eid]["lon"], want[eid]["lat"]))
    finally:
        con.close()


def test_acled_csv_reads_with_acled_column_names(db, tmp_path):
    path = export_events(db, "acled", tmp_path / "events.csv", EventFilter())
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    required = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                "country", "admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
                "fatalities"]
    assert set(required) <= set(rows[0]) and set(ACLED_COLUMNS) <= set(rows[0])
    want = stored(db)
    assert {r["event_id_cnty"] for r in rows} == set(want)
    by_loc = {r["location"]: r for r in rows}
    kh = by_loc["Kharkiv"]
    assert kh["event_id_cnty"].startswith("UKR")
    assert kh["event_date"] == "2024-11-19" and kh["time_precision"] == "1"
    assert kh["event_type"] == "Explosions/Remote violence" and kh["sub_event_type"] == "Air/drone strike"
    assert kh["country"] == "Ukraine" and kh["admin1"] == "Kharkiv Oblast"
    assert (float(kh["latitude"]), float(kh["longitude"])) == (49.98081, 36.25272)
    assert kh["geo_precision"] == "1" and kh["source"] == "Kyiv Independent; Reuters"
    assert int(kh["fatalities"]) == 4 and "drones struck Kharkiv" in kh["notes"]
    assert by_loc["Tambov Oblast"]["event_id_cnty"].startswith("RUS")
    assert by_loc["Tambov Oblast"]["geo_precision"] == "3"
    assert by_loc["Pokrovsk"]["event_type"] == "Battles"
    for r in rows:  # ACLED users' scripts cast these
        int(r["fatalities"]), int(r["time_precision"]), int(r["geo_precision"])
        assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180


def test_plain_csv(db, capsys):
    text = export_events(db, "csv", None, EventFilter())
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert text
    assert list(rows[0]) == list(EVENT_FIELDS)
    assert {r["event_id"] for r in rows} == set(stored(db))
    assert next(r for r in rows if r["place"] == "Kharkiv")["articles"] == "kyivind-1;reuters-7"


def test_filters(db):
    def places(**kw):
        return {f["properties"]["place"] for f in events_geojson(db, EventFilter(**kw))["features"]}

    assert places() == FACT_PLACES
    assert places(facts_only=False) == FACT_PLACES | {"Istanbul"}
    assert places(types=["capture", "outage"]) == {"Pokrovsk", "Ukraine"}
    assert places(since=DAY) == {"Kharkiv", "Tambov Oblast", "Ukraine"}
    assert places(until=DAY - dt.timedelta(days=1)) == {"Pokrovsk"}
    assert places(countries=["RU"]) == {"Tambov Oblast"}
    assert places(bbox=(35.0, 47.0, 39.0, 51.0)) == {"Kharkiv", "Pokrovsk"}
    assert places(bbox=(35.0, 47.0, 39.0, 51.0), types=["capture"], countries=["UA"]) == {"Pokrovsk"}


def test_errors(db, tmp_path):
    with pytest.raises(GeoError, match="format"):
        export_events(db, "kml", None, EventFilter())
    with pytest.raises(GeoError, match="-o"):
        export_events(db, "geoparquet", None, EventFilter())
    with pytest.raises(GeoError, match="no such database"):
        export_events(tmp_path / "missing.duckdb", "geojson", tmp_path / "x.geojson", EventFilter())


def test_cli_export(db, tmp_path):
    from typer.testing import CliRunner

    from geo.cli import app

    out = tmp_path / "acled.csv"
    res = CliRunner().invoke(app, ["export", "--format", "acled", "--db", str(db), "-o", str(out),
                                   "--type", "strike", "--country", "UA"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["location"] for r in rows] == ["Kharkiv"]
    res = CliRunner().invoke(app, ["export", "--db", str(db), "--bbox", "35,47,39,51"])
    assert res.exit_code == 0, res.output
    assert {f["properties"]["place"] for f in json.loads(res.output)["features"]} == {"Kharkiv", "Pokrovsk"}
