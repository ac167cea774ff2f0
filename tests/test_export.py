"""Exports: every format loads back with the same events; GeoJSON is RFC 7946; filters work."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import duckdb
import geopandas as gpd
import jsonschema
import pandas as pd
import pytest

import geo
from gazetteer.place import Place
from geo.errors import GeoError
from geo.export import ACLED_COLUMNS, EventFilter, events_geojson, export_events
from geo.models import EVENT_FIELDS, Article, Event, Evidence, Mention
from geo.render.acled import code_event, interaction_code, source_scale
from geo.store import Store, load_spatial

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


# ACLED's public codebook, "ACLED Data Columns at a Glance" (acleddata.com/knowledge-base/codebook), in order.
CODEBOOK_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
    "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
# The codebook's taxonomy: sub-event type -> (event type, disorder type).
CODEBOOK_SUB_EVENTS = {
    **dict.fromkeys(["Government regains territory", "Non-state actor overtakes territory", "Armed clash"],
                    ("Battles", "Political violence")),
    "Excessive force against protesters": ("Protests", "Political violence; Demonstrations"),
    "Protest with intervention": ("Protests", "Demonstrations"), "Peaceful protest": ("Protests", "Demonstrations"),
    "Violent demonstration": ("Riots", "Demonstrations"), "Mob violence": ("Riots", "Political violence"),
    **dict.fromkeys(["Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
                     "Remote explosive/landmine/IED", "Grenade"], ("Explosions/Remote violence", "Political violence")),
    **dict.fromkeys(["Sexual violence", "Attack", "Abduction/forced disappearance"],
                    ("Violence against civilians", "Political violence")),
    **dict.fromkeys(["Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                     "Headquarters or base established", "Looting/property destruction",
                     "Non-violent transfer of territory", "Other"], ("Strategic developments", "Strategic developments")),
}
ACLED_REGIONS = {"Western Africa", "Middle Africa", "Eastern Africa", "Southern Africa", "Northern Africa",
                 "South Asia", "Southeast Asia", "Middle East", "Europe", "Caucasus and Central Asia",
                 "Central America", "South America", "Caribbean", "East Asia", "North America", "Oceania",
                 "Antarctica"}
SOURCE_SCALES = {"Local partner", "Subnational", "National", "Regional", "International", "New media", "Other"}


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
    assert set(required) <= set(rows[0]) and list(rows[0]) == CODEBOOK_COLUMNS == list(ACLED_COLUMNS)
    want = stored(db)
    assert {r["event_id_cnty"] for r in rows} == set(want)
    by_loc = {r["location"]: r for r in rows}
    kh = by_loc["Kharkiv"]
    assert kh["event_id_cnty"].startswith("UKR")
    assert kh["event_date"] == "2024-11-19" and kh["time_precision"] == "1"
    assert kh["event_type"] == "Explosions/Remote violence" and kh["sub_event_type"] == "Air/drone strike"
    assert kh["country"] == "Ukraine" and kh["admin1"] == "Kharkiv Oblast"
    assert (kh["latitude"], kh["longitude"]) == ("49.9808", "36.2527")  # ACLED: four decimals
    assert kh["geo_precision"] == "1" and kh["source"] == "Kyiv Independent; Reuters"
    assert int(kh["fatalities"]) == 4 and "drones struck Kharkiv" in kh["notes"]
    assert by_loc["Tambov Oblast"]["event_id_cnty"].startswith("RUS")
    assert by_loc["Tambov Oblast"]["geo_precision"] == "3"
    assert by_loc["Pokrovsk"]["event_type"] == "Battles"
    assert by_loc["Pokrovsk"]["sub_event_type"] == "Non-state actor overtakes territory"  # Russia is not UA's state
    assert by_loc["Ukraine"]["event_type"] == "Strategic developments"  # the outage: no attack named
    assert kh["source_scale"] == "National-International" and kh["region"] == "Europe" and kh["iso"] == "804"
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


# ---------------------------------------------------------------- ACLED: domains of every column

def check_acled_domains(df: pd.DataFrame) -> None:
    """Every column of an ACLED CSV read by pandas holds values of ACLED's codebook domain."""
    assert list(df.columns) == CODEBOOK_COLUMNS
    assert len(df) and df["event_id_cnty"].is_unique
    blank = lambda v: v is None or (isinstance(v, float) and v != v) or v == ""  # noqa: E731
    for _, r in df.iterrows():
        assert re.fullmatch(r"[A-Z]{3}\d+(-\d+)?", r["event_id_cnty"]), r["event_id_cnty"]
        date = dt.date.fromisoformat(r["event_date"])  # ACLED: year-month-day
        assert r["year"] == date.year and r["time_precision"] in (1, 2, 3)
        assert (r["event_type"], r["disorder_type"]) == CODEBOOK_SUB_EVENTS[r["sub_event_type"]]
        inter1, inter2, interaction = (None if blank(r[k]) else int(r[k]) for k in ("inter1", "inter2", "interaction"))
        assert inter1 is None or 1 <= inter1 <= 8
        assert inter2 is None or 0 <= inter2 <= 8
        if inter1 is not None and inter2 is not None:
            assert interaction == interaction_code(inter1, inter2)
        assert interaction is None or (interaction // 10 in range(1, 9) and interaction % 10 in range(0, 9)
                                       and (interaction % 10 == 0 or interaction // 10 <= interaction % 10))
        assert blank(r["actor1"]) or isinstance(r["actor1"], str)
        assert blank(r["civilian_targeting"]) or r["civilian_targeting"] == "Civilians targeted"
        assert blank(r["iso"]) or 0 <= int(r["iso"]) <= 999
        assert blank(r["iso"]) == blank(r["region"]) == blank(r["country"])
        assert blank(r["region"]) or r["region"] in ACLED_REGIONS
        for k in ("admin1", "admin2", "admin3"):
            assert blank(r[k]) or not re.fullmatch(r"[A-Z]{2}\.[\w.]+", r[k]), f"{k} is a code: {r[k]}"
        assert not blank(r["location"])
        assert -90 <= r["latitude"] <= 90 and -180 <= r["longitude"] <= 180
        assert round(r["latitude"], 4) == r["latitude"] and round(r["longitude"], 4) == r["longitude"]
        assert r["geo_precision"] in (1, 2, 3)
        assert not blank(r["source"])
        assert blank(r["source_scale"]) or set(r["source_scale"].split("-")) <= SOURCE_SCALES
        assert isinstance(r["notes"], str) and "\n" not in r["notes"]
        assert int(r["fatalities"]) >= 0
        assert blank(r["tags"]) or all(t.strip() for t in r["tags"].split(";"))
        assert int(r["timestamp"]) > 1_000_000_000


def test_acled_csv_fields_are_in_the_codebooks_domains(db, tmp_path):
    path = export_events(db, "acled", tmp_path / "acled.csv", EventFilter())
    check_acled_domains(pd.read_csv(path))


@pytest.fixture(scope="module")
def samples_db(tmp_path_factory):
    """The embedded sample corpus ingested once, the way `geo` does."""
    from geo.pipeline import ingest_paths, samples_dir

    db = tmp_path_factory.mktemp("samples") / "samples.duckdb"
    ingest_paths([str(samples_dir())], db=db)
    return db


def test_acled_export_of_the_samples_opens_in_pandas_with_acleds_columns(samples_db, tmp_path, run_geo):
    out = tmp_path / "acled.csv"
    res = run_geo("export", "--format", "acled", "--db", samples_db, "-o", out, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    df = pd.read_csv(out)
    check_acled_domains(df)
    assert df["event_type"].notna().all() and (df["event_type"] != "").all()
    assert df["sub_event_type"].notna().all()
    assert {"Explosions/Remote violence", "Battles", "Strategic developments", "Protests"} <= set(df["event_type"])
    ukraine = df[df["country"] == "Ukraine"]
    assert ukraine["admin1"].notna().sum() > len(ukraine) / 2 and (ukraine["region"] == "Europe").all()


# ---------------------------------------------------------------- ACLED: coding of each event type

def row(type_: str, **kw) -> dict:
    return {"type": type_, "country": "UA", **kw}


@pytest.mark.parametrize("event, expected", [
    (row("strike", subtype="drone strike"), ("Explosions/Remote violence", "Air/drone strike")),
    (row("strike", weapon="glide bombs"), ("Explosions/Remote violence", "Air/drone strike")),
    (row("strike", weapon="Iskander missile"), ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    (row("strike", weapon="artillery"), ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    (row("strike", weapon="sea drones"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    (row("strike", weapon="roadside bomb"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    (row("strike", subtype="suicide bombing"), ("Explosions/Remote violence", "Suicide bomb")),
    (row("strike", weapon="chlorine"), ("Explosions/Remote violence", "Chemical weapon")),
    (row("strike", weapon="grenade"), ("Explosions/Remote violence", "Grenade")),
    (row("strike", evidence="A helicopter gunship fired on the village."), ("Explosions/Remote violence", "Air/drone strike")),
    (row("strike"), ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    (row("capture", actor="Russia"), ("Battles", "Non-state actor overtakes territory")),
    (row("capture", actor="Ukraine"), ("Battles", "Government regains territory")),
    (row("capture", actor="Ukrainian forces"), ("Battles", "Government regains territory")),
    (row("capture", actor="Sudanese Armed Forces", country="SD"), ("Battles", "Government regains territory")),
    (row("capture", actor="Rapid Support Forces", country="SD"), ("Battles", "Non-state actor overtakes territory")),
    (row("capture", actor="M23", country="CD", evidence="The rebels entered the town without a fight."),
     ("Strategic developments", "Non-violent transfer of territory")),
    (row("clash"), ("Battles", "Armed clash")),
    (row("interception", weapon="drones"), ("Strategic developments", "Disrupted weapons use")),
    (row("talks"), ("Strategic developments", "Agreement")),
    (row("exchange", acled_sub_event_type="Other"), ("Strategic developments", "Agreement")),
    (row("protest"), ("Protests", "Peaceful protest")),
    (row("protest", evidence="Police used tear gas to disperse the crowd."), ("Protests", "Protest with intervention")),
    (row("protest", fatalities=2), ("Protests", "Excessive force against protesters")),
    (row("protest", evidence="Rioters torched cars and hurled stones."), ("Riots", "Violent demonstration")),
    (row("outage", evidence="Power was cut after a storm."), ("Strategic developments", "Other")),
    (row("outage", actor="Russia", weapon="drones"), ("Explosions/Remote violence", "Air/drone strike")),
    (row("outage", evidence="A missile strike left the city without power."),
     ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    (row("outage", evidence="Saboteurs blew up a pylon, cutting power."), ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    (row("outage", actor="Russia"), ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    (row("other"), ("Strategic developments", "Other")),
    (row("other", acled_event_type="Strategic developments", acled_sub_event_type="Arrests"),
     ("Strategic developments", "Arrests")),
    (row("other", acled_event_type="Battles", acled_sub_event_type="Not an ACLED type"), ("Strategic developments", "Other")),
])
def test_every_event_type_gets_an_acled_event_and_sub_event_type(event, expected):
    event_type, sub, disorder = code_event(event)
    assert (event_type, sub) == expected
    assert CODEBOOK_SUB_EVENTS[sub] == (event_type, disorder)


def test_interaction_codes():
    assert interaction_code(1, 7) == 17 and interaction_code(7, 1) == 17  # lower first, order of actors irrelevant
    assert interaction_code(2, 0) == 20 and interaction_code(6, None) == 60  # a sole actor
    assert interaction_code(8, 8) == 88 and interaction_code(None, None) is None


def test_source_scale_depends_on_where_the_source_reports_from():
    assert source_scale(["Kyiv Independent"], "UA") == "National"
    assert source_scale(["Kyiv Independent", "Reuters"], "UA") == "National-International"
    assert source_scale(["TASS"], "UA") == "Regional"          # Russia and Ukraine: both ACLED's Europe
    assert source_scale(["TASS"], "SD") == "International"
    assert source_scale(["an unknown blog"], "UA") == ""


@pytest.fixture
def acled_db(tmp_path, gaz):
    """Events of several kinds at real gazetteer places, with ACLED actor fields where a report gives them."""
    place = lambda name, cc: next(p for p in gaz.lookup(name) if p.country == cc)  # noqa: E731
    lviv, kherson, goma, mandalay = place("Lviv", "UA"), place("Kherson", "UA"), place("Goma", "CD"), place("Mandalay", "MM")
    kherson_obl = gaz.admin1_place(kherson.admin1)
    path = tmp_path / "acled.duckdb"
    a = art("wire-1", "Invented report for the ACLED tests.", "Reuters")
    b = Article(id="local-2", text="Another invented report.", title="Protest and strikes in three countries",
                published=DAY, source="Kyiv Independent")
    events = [
        ev(a, kherson, "strike", weapon="drones", actor="Russia", actor2="Civilians (Ukraine)", inter1=8, inter2=7,
           fatalities=2),
        ev(a, kherson_obl, "outage", precision="admin1", actor="Russia", weapon="drones", affected=30000),
        ev(a, goma, "clash", actor="M23", actor2="Military Forces of Democratic Republic of Congo", inter1=2, inter2=1),
        ev(b, lviv, "protest", fatalities=1),
        ev(b, mandalay, "strike", subtype="air strike", actor="Myanmar military", inter1=1, civilian_targeting=True),
        ev(b, goma, "strike", date=DAY - dt.timedelta(days=3), actor="an unnamed group", actor2="Civilians (DRC)",
           inter2=7),  # actor 1's type unknown: no interaction can be derived
    ]
    mentions = [Mention(a.id, 0, 5, p.name, p) for p in (kherson, goma)] + [Mention(b.id, 0, 4, p.name, p) for p in (lviv, mandalay)]
    with Store(path) as s:
        s.put(a, [m for m in mentions if m.article == a.id], events[:3])
        s.put(b, [m for m in mentions if m.article == b.id], events[3:])
    return path


def acled_frame(db, tmp_path, *flags):
    from typer.testing import CliRunner

    from geo.cli import app

    out = tmp_path / "acled.csv"
    res = CliRunner().invoke(app, ["export", "--format", "acled", "--db", str(db), "-o", str(out), *flags])
    assert res.exit_code == 0, res.output
    return pd.read_csv(out, dtype=str, keep_default_na=False)  # every cell as written, blanks as ""


def test_acled_actors_interaction_and_civilian_targeting(acled_db, tmp_path):
    df = acled_frame(acled_db, tmp_path)
    check_acled_domains(pd.read_csv(tmp_path / "acled.csv"))
    by = {r["location"]: r for _, r in df.iterrows()}
    kh, lviv, mdl = by["Kherson"], by["Lviv"], by["Mandalay"]
    goma, goma_strike = (r for _, r in df[df["location"] == "Goma"].sort_values("event_type").iterrows())
    assert (goma_strike["inter1"], goma_strike["inter2"], goma_strike["interaction"]) == ("", "7", "")
    assert (kh["inter1"], kh["inter2"], kh["interaction"]) == ("8", "7", "78")
    assert kh["actor2"] == "Civilians (Ukraine)" and kh["civilian_targeting"] == "Civilians targeted"
    assert (goma["inter1"], goma["inter2"], goma["interaction"], goma["civilian_targeting"]) == ("2", "1", "12", "")
    assert goma["country"] == "Democratic Republic of Congo" and goma["region"] == "Middle Africa"
    assert (lviv["actor1"], lviv["inter1"], lviv["inter2"], lviv["interaction"]) == ("Protesters (Ukraine)", "6", "0", "60")
    assert lviv["sub_event_type"] == "Excessive force against protesters"
    assert lviv["disorder_type"] == "Political violence; Demonstrations" and lviv["tags"] == "crowd size=no report"
    assert (mdl["inter1"], mdl["inter2"], mdl["interaction"], mdl["civilian_targeting"]) == ("1", "0", "10", "Civilians targeted")
    assert mdl["region"] == "Southeast Asia" and mdl["sub_event_type"] == "Air/drone strike"
    for r in (kh, goma, lviv, mdl):  # names, never GeoNames codes; admin3 left empty as ACLED does where unknown
        assert r["admin1"] and not re.match(r"[A-Z]{2}\.", r["admin1"]) and r["admin3"] == ""
    assert "Kherson" in kh["admin2"] and "Lviv" in lviv["admin2"]
    assert lviv["source_scale"] == "National" and goma["source_scale"] == "International"


def test_an_outage_caused_by_a_recorded_attack_is_one_acled_event(acled_db, tmp_path):
    df = acled_frame(acled_db, tmp_path)
    assert len(df[df["location"] == "Kherson"]) == 1  # the drone strike; the outage it caused is not a second event
    assert (df["location"] != "Khersonska oblast").all() and len(df) == 5
    only_outages = acled_frame(acled_db, tmp_path, "--type", "outage")
    (out,) = only_outages.to_dict("records")  # exported alone, the outage is coded as the attack
    assert (out["event_type"], out["sub_event_type"]) == ("Explosions/Remote violence", "Air/drone strike")
    assert out["geo_precision"] == "3" and out["admin2"] == ""


def test_acled_extra_columns_and_inter_labels_are_opt_in(acled_db, tmp_path):
    plain = acled_frame(acled_db, tmp_path)
    assert list(plain.columns) == CODEBOOK_COLUMNS
    extra = acled_frame(acled_db, tmp_path, "--acled-extra")
    assert list(extra.columns)[:31] == CODEBOOK_COLUMNS
    assert {"type", "claim_status", "injured", "affected", "articles", "admin1_code"} <= set(extra.columns[31:])
    labels = acled_frame(acled_db, tmp_path, "--inter-labels")
    kh = labels[labels["location"] == "Kherson"].iloc[0]
    assert (kh["inter1"], kh["inter2"], kh["interaction"]) == ("External/Other forces", "Civilians",
                                                              "Civilians-External/Other forces")
    lviv = labels[labels["location"] == "Lviv"].iloc[0]
    assert (lviv["inter1"], lviv["inter2"], lviv["interaction"]) == ("Protesters", "", "Protesters only")


# ---------------------------------------------------------------- filters: claim statuses and titles

def test_claim_and_title_filters(db, acled_db):
    def places(path, **kw):
        return {f["properties"]["place"] for f in events_geojson(path, EventFilter(**kw))["features"]}

    assert places(db, claims=["claimed"]) == {"Pokrovsk"}
    assert places(db, claims=["anticipated", "claimed"]) == {"Pokrovsk", "Istanbul"}
    assert places(db, claims=["anticipated"], facts_only=True) == {"Istanbul"}  # claims decide when given
    assert places(acled_db, title="PROTEST and") == {"Lviv", "Mandalay", "Goma"}
    assert places(acled_db, title="no such title") == set()
    assert places(acled_db, title="protest", types=["strike"]) == {"Mandalay", "Goma"}
    with pytest.raises(GeoError, match="claim status"):
        EventFilter(claims=["rumoured"])
    with pytest.raises(GeoError, match="event type"):
        EventFilter(types=["strikes"])


def test_cli_claim_and_title_options(db, acled_db):
    from typer.testing import CliRunner

    from geo.cli import app

    def places(path, *args):
        res = CliRunner().invoke(app, ["export", "--db", str(path), *args])
        assert res.exit_code == 0, res.output
        return {f["properties"]["place"] for f in json.loads(res.output)["features"]}

    assert places(db, "--claim", "claimed", "--claim", "anticipated") == {"Pokrovsk", "Istanbul"}
    assert places(acled_db, "--title", "three countries", "--country", "MM") == {"Mandalay"}
    res = CliRunner().invoke(app, ["export", "--db", str(db), "--claim", "rumoured"])
    assert res.exit_code != 0 and "rumoured" in str(res.exception or res.output)


# ---------------------------------------------------------------- GeoPandas and GeoParquet round trip

def test_events_frame_is_the_geopandas_view_of_the_store(acled_db):
    gdf = geo.events_frame(acled_db)
    assert isinstance(gdf, gpd.GeoDataFrame) and gdf.crs.to_epsg() == 4326
    assert set(gdf["event_id"]) == set(stored(acled_db))
    for _, r in gdf.iterrows():
        assert (r.geometry.x, r.geometry.y) == (r["lon"], r["lat"])
    with geo.open(acled_db) as d:
        pd.testing.assert_frame_equal(d.events(type="strike"), geo.events_frame(acled_db, type="strike"))
    assert set(geo.events_frame(acled_db, title="three countries", country="UA")["place"]) == {"Lviv"}
    assert len(geo.events_frame(acled_db, claims=["anticipated"])) == 0


def test_geoparquet_round_trip_in_geopandas_and_duckdb_spatial(acled_db, tmp_path):
    a = Article(id="nowhere-1", text="A strike somewhere unnamed.", title="t", published=DAY, source="AP")
    with Store(acled_db) as s:  # an event with no coordinates: null geometry in every reader
        s.put(a, [], [Event(type="strike", date=DAY, date_precision="day", evidence=[Evidence(a.id, 0, 5, "A str")],
                            articles=[a.id])])
    from typer.testing import CliRunner

    from geo.cli import app

    path = tmp_path / "events.parquet"
    res = CliRunner().invoke(app, ["export", "--format", "geoparquet", "--db", str(acled_db), "-o", str(path)])
    assert res.exit_code == 0, res.output
    want = geo.events_frame(acled_db)
    back = gpd.read_parquet(path)
    assert back.crs.to_epsg() == 4326 and len(back) == len(want) == 7
    assert list(back["event_id"]) == list(want["event_id"])
    assert [g.wkt if g is not None else None for g in back.geometry] == \
           [g.wkt if g is not None else None for g in want.geometry]
    assert back.geometry.isna().sum() == 1
    assert [str(d) if d is not None else None for d in back["date"]] == [d.strftime("%Y-%m-%d") for d in want["date"]]
    assert [list(x) for x in back["articles"]] == [list(x) for x in want["articles"]]
    con = duckdb.connect()
    try:
        assert load_spatial(con) is None  # duckdb-extension-spatial is a dependency
        rows = con.execute(f"SELECT event_id, ST_AsText(geometry), typeof(date) FROM read_parquet('{path}') "
                           "ORDER BY event_id").fetchall()
    finally:
        con.close()
    by_id = dict(zip(want["event_id"], want.geometry))
    assert {r[0] for r in rows} == set(by_id) and len(rows) == len(by_id)
    for eid, wkt, typ in rows:
        g = by_id[eid]
        assert (wkt is None) == (g is None)
        if g is not None:
            x, y = map(float, re.findall(r"-?\d+(?:\.\d+)?", wkt))
            assert (x, y) == pytest.approx((g.x, g.y), abs=1e-9)
        assert typ == "DATE"


def test_admin_names_are_the_gazetteers_display_names(gaz):
    from geo.render.acled import AdminNames

    names = AdminNames()
    kherson = next(p for p in gaz.lookup("Kherson") if p.country == "UA")
    assert names(kherson.admin1, kherson.admin2) == gaz.admin_names(kherson.admin1, kherson.admin2)
    a1, a2 = names(kherson.admin1, kherson.admin2)
    assert "Kherson" in a1 and "Kherson" in a2 and not a1.startswith("UA.") and not a2.startswith("UA.")
    assert names(None, None, "Stored Oblast") == ("Stored Oblast", "")
    assert names("XX.99", None, "Stored Oblast") == ("Stored Oblast", "")  # unknown to the gazetteer
    assert names("XX.99", "XX.99.1") == ("", "")                          # never the code
