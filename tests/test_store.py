"""The DuckDB store: schema, migration, ingest semantics, merging, spatial SQL, `geo sql`, geo.open."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import duckdb
import pytest

import geo
from gazetteer.place import Place
from geo import store as store_mod
from geo.errors import GeoError
from geo.models import EVENT_FIELDS, Article, Event, Evidence, Mention
from geo.store import (MIGRATIONS, SCHEMA_VERSION, SPATIAL_EXAMPLES, Database, Store, haversine_km,
                       merge_readings, pick_count, run_sql, same_incident)

from factories import DAY, KHARKIV, KHARKIV_OBL, UKRAINE, event_at

REPO_FIXTURES = Path(__file__).resolve().parent / "fixtures"

CHUHUIV = Place("gn:711390", "Chuhuiv", "locality", "UA", "UA.07", 49.83534, 36.68800, 31000, 711390, "PPLA2")
KYIV = Place("gn:703448", "Kyiv", "locality", "UA", "UA.12", 50.45466, 30.5238, 2797553, 703448, "PPLC")
ODESA_OBL = Place("gn:698738", "Odesa Oblast", "admin1", "UA", "UA.17", 46.75, 30.33, 2300000, 698738, "ADM1")


def article(aid: str, text: str, published: dt.date = DAY, source: str | None = None, title: str | None = None) -> Article:
    return Article(id=aid, text=text, title=title or f"title {aid}", published=published,
                   source=source or f"Source {aid}", url=f"https://example.org/{aid}")


def mention(art: Article, place: Place, surface: str | None = None) -> Mention:
    surface = surface or place.name
    start = max(art.text.find(surface), 0)
    return Mention(article=art.id, start=start, end=start + len(surface), surface=surface, place=place, score=0.9)


def event(art: Article, place: Place, type_: str = "strike", date: dt.date = DAY, precision: str | None = None,
          sentence: str | None = None, **kw) -> Event:
    sentence = sentence or art.text
    start = max(art.text.find(sentence), 0)
    defaults = dict(subtype="drone strike" if type_ == "strike" else None, actor="Russia",
                    precision=precision or place.feature)
    return event_at(art, place, type_, date, Evidence(art.id, start, start + len(sentence), sentence),
                    **{**defaults, **kw})


def counts(path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "places", "mentions", "events", "event_sources")}
    finally:
        con.close()


def orphans(path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return sum(con.execute(q).fetchone()[0] for q in (
            "SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM event_sources)",
            "SELECT count(*) FROM event_sources WHERE event_id NOT IN (SELECT event_id FROM events)",
            "SELECT count(*) FROM event_sources WHERE article_id NOT IN (SELECT id FROM articles)",
            "SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)",
        ))
    finally:
        con.close()


A1_TEXT = "Russian drones struck Kharkiv overnight, killing three people, the mayor said."
A2_TEXT = "A Russian drone attack on Kharkiv killed four civilians on Tuesday, officials in Kharkiv Oblast said."


@pytest.fixture
def db(tmp_path):
    return tmp_path / "events.duckdb"


def put_kharkiv_pair(db):
    a1, a2 = article("kyivind-1", A1_TEXT, source="Kyiv Independent"), article("reuters-7", A2_TEXT, source="Reuters")
    e1, e2 = event(a1, KHARKIV, fatalities=3), event(a2, KHARKIV, fatalities=4, injured=12)
    with Store(db) as s:
        s.put(a1, [mention(a1, KHARKIV)], [e1])
        s.put(a2, [mention(a2, KHARKIV), mention(a2, KHARKIV_OBL)], [e2])
    return a1, a2, e1, e2


# --- schema ------------------------------------------------------------------------------------
def test_schema_created_with_version(db):
    with Store(db) as s:
        tables = {r[0] for r in s.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert {"meta", "articles", "places", "mentions", "events", "event_sources"} <= tables
        assert s.schema_version() == SCHEMA_VERSION
        cols = {r[0] for r in s.con.execute("SELECT column_name FROM information_schema.columns "
                                            "WHERE table_name = 'events'").fetchall()}
        assert set(EVENT_FIELDS) <= cols
        acols = {r[0] for r in s.con.execute("SELECT column_name FROM information_schema.columns "
                                             "WHERE table_name = 'articles'").fetchall()}
        assert {"id", "title", "source", "url", "published", "text", "content_hash", "ingested_at"} <= acols


def test_old_version_database_is_migrated(db):
    con = duckdb.connect(str(db))
    for step in MIGRATIONS[0]:
        con.execute(step)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute("INSERT INTO articles (id, title, text, content_hash) VALUES ('old', 't', 'x', 'h')")
    con.close()
    with pytest.raises(GeoError, match="older"):
        Store(db, read_only=True)
    with Store(db) as s:
        assert s.schema_version() == SCHEMA_VERSION == 3
        assert s.con.execute("SELECT id, origin FROM articles").fetchall() == [("old", None)]
        for col in ("updated_at", "geo_precision", "actor2", "inter1", "interaction"):
            assert s.con.execute("SELECT count(*) FROM information_schema.columns WHERE table_name = 'events' "
                                 "AND column_name = ?", [col]).fetchone()[0] == 1
    with Store(db, read_only=True) as s:  # now current
        assert s.schema_version() == SCHEMA_VERSION


def test_missing_db_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.duckdb"
    with pytest.raises(GeoError, match="no such database"):
        Store(missing, read_only=True)
    with pytest.raises(GeoError, match="no such database"):
        run_sql(missing, "SELECT 1")
    with pytest.raises(GeoError):
        geo.open(missing)
    assert not missing.exists()


# --- ingest semantics --------------------------------------------------------------------------
def test_reingest_is_a_noop(db):
    a1 = article("a1", A1_TEXT)
    e1 = event(a1, KHARKIV, fatalities=3)
    with Store(db) as s:
        assert s.article_state(a1) == "new"
        s.put(a1, [mention(a1, KHARKIV)], [e1])
        first = s.events()
        assert s.article_state(article("a1", A1_TEXT)) == "unchanged"
        # Even a forced re-put of the same extraction changes nothing: same ids, no duplicates.
        e1b = event(a1, KHARKIV, fatalities=3)
        s.put(article("a1", A1_TEXT), [mention(a1, KHARKIV)], [e1b])
        assert e1b.event_id == e1.event_id
        again = s.events()
    assert [r["event_id"] for r in again] == [r["event_id"] for r in first]
    assert counts(db) == {"articles": 1, "places": 1, "mentions": 1, "events": 1, "event_sources": 1}
    assert orphans(db) == 0


def test_an_article_id_with_a_nul_or_a_quote_is_stored_and_replaced(db):
    """Key lists reach DuckDB as SQL literals; a NUL ends a literal in DuckDB's parser, so it is written
    as chr(0) (a CSV id column of scraped junk had one and failed the whole batch)."""
    for aid in ("junk\x00id", "it's"):
        a = article(aid, A1_TEXT)
        with Store(db) as s:
            s.put(a, [mention(a, KHARKIV)], [event(a, KHARKIV, fatalities=3)])
            s.put(article(aid, A2_TEXT), [mention(a, KHARKIV)], [event(a, KHARKIV, fatalities=4)])
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert sorted(r[0] for r in con.execute("SELECT id FROM articles").fetchall()) == ["it's", "junk\x00id"]
    finally:
        con.close()
    assert orphans(db) == 0


def test_changed_article_replaces_its_extraction(db):
    a1 = article("a1", A1_TEXT)
    with Store(db) as s:
        e1 = event(a1, KHARKIV, fatalities=3)
        s.put(a1, [mention(a1, KHARKIV)], [e1, event(a1, KYIV, type_="interception", sentence="Russian drones")])
        assert counts_from(s) == {"articles": 1, "mentions": 1, "events": 2, "event_sources": 2}
        edited = article("a1", A1_TEXT + " The toll rose to five; Chuhuiv was also hit.")
        assert s.article_state(edited) == "changed"
        e1b = event(edited, KHARKIV, fatalities=5, sentence=A1_TEXT)
        e_ch = event(edited, CHUHUIV, sentence="Chuhuiv was also hit.")
        s.put(edited, [mention(edited, KHARKIV), mention(edited, CHUHUIV)], [e1b, e_ch])
        assert s.article_state(edited) == "unchanged"
        rows = {r["place"]: r for r in s.events()}
        assert set(rows) == {"Kharkiv", "Chuhuiv"}  # the Kyiv interception is gone
        assert rows["Kharkiv"]["event_id"] == e1.event_id  # same incident keeps its id
        assert rows["Kharkiv"]["fatalities"] == 5
        assert "toll rose" in s.con.execute("SELECT text FROM articles WHERE id = 'a1'").fetchone()[0]
        assert counts_from(s) == {"articles": 1, "mentions": 2, "events": 2, "event_sources": 2}
    assert orphans(db) == 0


def counts_from(s: Store) -> dict[str, int]:
    return {t: s.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "mentions", "events", "event_sources")}


def test_two_articles_one_incident_give_one_event_with_two_sources(db):
    a1, a2, e1, e2 = put_kharkiv_pair(db)
    assert e1.event_id == e2.event_id
    assert re.fullmatch(r"UKR\d{9}", e1.event_id)
    with Store(db, read_only=True) as s:
        (row,) = s.events()
        srcs = s.con.execute("SELECT article_id, evidence, char_start, char_end FROM event_sources "
                             "ORDER BY added_at").fetchall()
    assert row["articles"] == ["kyivind-1", "reuters-7"]
    assert row["sources"] == ["Kyiv Independent", "Reuters"]
    assert row["fatalities"] == 4  # highest figure from a 'reported' source
    assert row["injured"] == 12
    assert row["date"] == "2024-11-19" and row["place"] == "Kharkiv"
    assert row["confidence"] > 0.6  # corroborated
    assert row["admin1_name"] == "Kharkiv Oblast"
    assert [s[0] for s in srcs] == ["kyivind-1", "reuters-7"]
    assert srcs[1][1] == A2_TEXT and (srcs[1][2], srcs[1][3]) == (0, len(A2_TEXT))
    assert {sp["article"] for sp in row["evidence_spans"]} == {"kyivind-1", "reuters-7"}


def test_event_id_is_deterministic_across_databases(tmp_path):
    ids = []
    for name in ("x.duckdb", "y.duckdb"):
        _, _, e1, _ = put_kharkiv_pair(tmp_path / name)
        ids.append(e1.event_id)
    assert ids[0] == ids[1]


def test_changed_source_recomputes_merged_event(db):
    a1, a2, e1, _ = put_kharkiv_pair(db)
    with Store(db) as s:
        # reuters-7 is corrected: it is now about Kyiv; the Kharkiv event keeps kyivind-1 only
        a2b = article("reuters-7", "Drones hit Kyiv on Tuesday.", source="Reuters")
        e_kyiv = event(a2b, KYIV)
        s.put(a2b, [mention(a2b, KYIV)], [e_kyiv])
        rows = {r["place"]: r for r in s.events()}
    assert rows["Kharkiv"]["event_id"] == e1.event_id
    assert rows["Kharkiv"]["articles"] == ["kyivind-1"]
    assert rows["Kharkiv"]["fatalities"] == 3 and rows["Kharkiv"]["injured"] is None
    assert rows["Kyiv"]["articles"] == ["reuters-7"] and rows["Kyiv"]["event_id"] != e1.event_id
    assert orphans(db) == 0


def test_failing_put_rolls_back_that_article_only(db):
    a1, a2, e1, _ = put_kharkiv_pair(db)
    bad = article("bad", "Something happened somewhere.")
    broken = event(bad, KYIV)
    broken.type = None  # violates events.type NOT NULL
    edited_a1 = article("kyivind-1", "An edit that fails.")
    with Store(db) as s:
        with pytest.raises(Exception):
            s.put(bad, [mention(bad, KYIV)], [event(bad, KYIV), broken])
        with pytest.raises(Exception):
            s.put(edited_a1, [], [broken])
        assert s.article_state(bad) == "new"
        assert s.article_state(article("kyivind-1", A1_TEXT)) == "unchanged"
        (row,) = s.events()
        assert row["articles"] == ["kyivind-1", "reuters-7"]
        # the store is still usable after a rollback
        good = article("good", "Drones hit Kyiv.")
        s.put(good, [mention(good, KYIV)], [event(good, KYIV)])
        assert len(s.events()) == 2
    assert orphans(db) == 0


def test_not_the_same_incident(db):
    a = article("a", "text a")
    b = article("b", "text b")
    with Store(db) as s:
        s.put(a, [], [event(a, KHARKIV), event(a, KYIV, type_="clash"),
                      event(a, UKRAINE, type_="outage", precision="country")])
        s.put(b, [], [
            event(b, KHARKIV, type_="clash"),                          # other type
            event(b, KHARKIV, date=DAY + dt.timedelta(days=2)),        # two days later
            event(b, CHUHUIV),                                         # ~37 km away
            event(b, KHARKIV, claim_status="anticipated"),             # not a fact
            event(b, KHARKIV, type_="outage"),                         # locality vs country-level
        ])
        assert len(s.events(None)) == 8


def test_admin_and_country_level_events_merge_by_area(db):
    a, b = article("a", "text a"), article("b", "text b")
    with Store(db) as s:
        s.put(a, [], [event(a, UKRAINE, type_="outage", precision="country", affected=400000),
                      event(a, KHARKIV_OBL, type_="strike", precision="admin1")])
        s.put(b, [], [event(b, UKRAINE, type_="outage", precision="country", date=DAY + dt.timedelta(days=1),
                            affected=500000, claim_status="claimed"),
                      event(b, KHARKIV, type_="strike")])  # a locality in the admin1 area
        rows = s.events()
    assert len(rows) == 2
    by_type = {r["type"]: r for r in rows}
    assert by_type["outage"]["articles"] == ["a", "b"]
    assert by_type["outage"]["affected"] == 400000  # 'reported' figure beats a claim
    assert by_type["outage"]["claim_status"] == "reported"
    assert by_type["strike"]["articles"] == ["a", "b"]
    assert by_type["strike"]["place"] == "Kharkiv" and by_type["strike"]["precision"] == "locality"


def test_merge_rules():
    rep = lambda n: {"fatalities": n, "claim_status": "reported"}  # noqa: E731
    clm = lambda n: {"fatalities": n, "claim_status": "claimed"}  # noqa: E731
    assert pick_count([rep(3), rep(4)], "fatalities") == 4
    assert pick_count([clm(10), rep(4)], "fatalities") == 4
    assert pick_count([clm(10), clm(7)], "fatalities") == 7  # ACLED: the lowest figure
    assert pick_count([{"fatalities": None, "claim_status": "reported"}], "fatalities") is None
    base = dict(type="strike", date=DAY, date_precision="day", place="Kharkiv", place_id="gn:1", country="UA",
                admin1="UA.07", lat=50.0, lon=36.2, precision="locality", confidence=0.5, claim_status="claimed")
    m = merge_readings([dict(base, date_precision="month", date=dt.date(2024, 11, 1)),
                        dict(base, claim_status="reported", actor="Russia", precision="near")])
    assert m["date"] == DAY and m["date_precision"] == "day"
    assert m["claim_status"] == "reported" and m["actor"] == "Russia" and m["precision"] == "locality"
    assert m["confidence"] == 0.75
    near = dict(base, place_id="gn:2", lat=50.02, lon=36.21)
    assert same_incident(base, near) is not None
    assert same_incident(base, dict(near, lat=50.2)) is None  # ~22 km


def test_filters(db):
    a = article("a", "text a")
    with Store(db) as s:
        s.put(a, [], [event(a, KHARKIV), event(a, KYIV, type_="talks", date=DAY + dt.timedelta(days=3)),
                      event(a, CHUHUIV, type_="capture", claim_status="anticipated")])
        from geo.export import EventFilter
        assert {r["place"] for r in s.events(EventFilter())} == {"Kharkiv", "Kyiv"}
        assert len(s.events(EventFilter(facts_only=False))) == 3
        assert [r["place"] for r in s.events(EventFilter(types=["talks"]))] == ["Kyiv"]
        assert [r["place"] for r in s.events(EventFilter(since=DAY + dt.timedelta(days=1)))] == ["Kyiv"]
        assert [r["place"] for r in s.events(EventFilter(until=DAY))] == ["Kharkiv"]
        assert len(s.events(EventFilter(countries=["ua"]))) == 2
        assert s.events(EventFilter(countries=["RU"])) == []
        assert [r["place"] for r in s.events(EventFilter(bbox=(35.0, 49.0, 38.0, 51.0)))] == ["Kharkiv"]


# --- spatial -----------------------------------------------------------------------------------
@pytest.fixture
def spatial_db(db):
    put_kharkiv_pair(db)
    c, k = article("c", "Shelling hit Chuhuiv."), article("k", "A missile hit Kyiv.")
    with Store(db) as s:
        if s.spatial_error:
            pytest.skip(s.spatial_error)
        s.put(c, [mention(c, CHUHUIV)], [event(c, CHUHUIV, subtype="shelling")])
        s.put(k, [mention(k, KYIV)], [event(k, KYIV, subtype="missile strike")])
        ids = {r["place"]: r["event_id"] for r in s.events()}
    return db, ids


def test_spatial_extension_loads_offline(db):
    path = store_mod.spatial_extension_path()
    assert path is not None and path.name == "spatial.duckdb_extension"
    with Store(db) as s:
        assert s.spatial_error is None
        # ST_Distance_Sphere wants (lat, lon): Kharkiv-Kyiv is ~410 km
        d = s.con.execute("SELECT ST_Distance_Sphere(ST_Point(49.98081, 36.25272), ST_Point(50.45466, 30.5238))").fetchone()[0]
        assert abs(d / 1000 - haversine_km(49.98081, 36.25272, 50.45466, 30.5238)) < 3


def test_example_within_50km(spatial_db):
    db, ids = spatial_db
    with geo.open(db) as d:
        rows = d.sql(SPATIAL_EXAMPLES["within_50km"]).fetchall()
    assert [r[0] for r in rows] == [ids["Kharkiv"], ids["Chuhuiv"]]
    assert rows[0][4] < 5 and 25 < rows[1][4] < 40


def test_example_per_admin1(spatial_db):
    db, _ = spatial_db
    with geo.open(db) as d:
        rows = d.sql(SPATIAL_EXAMPLES["per_admin1"]).fetchall()
    assert [(r[1], r[2], r[3]) for r in rows] == [("UA.07", "Kharkiv Oblast", 2), ("UA.12", None, 1)]
    assert rows[0][5].startswith("POINT (36.")  # centroid in (lon lat) order


def test_example_distance_between(spatial_db):
    db, ids = spatial_db
    with geo.open(db) as d:
        rows = d.sql(SPATIAL_EXAMPLES["distance_between"]).fetchall()
    km = {frozenset((a, b)): d for a, b, d in rows}
    assert len(rows) == 3
    expected = haversine_km(KHARKIV.lat, KHARKIV.lon, KYIV.lat, KYIV.lon)
    assert abs(km[frozenset((ids["Kharkiv"], ids["Kyiv"]))] - expected) < 3
    assert 400 < expected < 420


def test_geom_column_in_lon_lat_order(spatial_db):
    db, ids = spatial_db
    out = json.loads(run_sql(db, "SELECT event_id, ST_X(geom) AS x, ST_Y(geom) AS y, geom FROM events_geo "
                                 "ORDER BY event_id", fmt="json"))
    kh = next(r for r in out if r["event_id"] == ids["Kharkiv"])
    assert (round(kh["x"], 3), round(kh["y"], 3)) == (36.253, 49.981)
    assert kh["geom"].startswith("POINT (36.25")


def test_without_spatial_plain_tables_still_work(spatial_db, monkeypatch, tmp_path):
    db, _ = spatial_db
    junk = tmp_path / "spatial.duckdb_extension"
    junk.write_bytes(b"not an extension")
    monkeypatch.setattr(store_mod.spatial, "spatial_extension_path", lambda: junk)
    with Store(db, read_only=True) as s:
        if s.spatial_error is None:
            pytest.skip("spatial is installed in the local DuckDB extension directory")
        assert "duckdb-extension-spatial" in s.spatial_error
        assert len(s.events()) == 3
    assert "3" in run_sql(db, "SELECT count(*) AS n FROM events", fmt="csv")
    with pytest.raises(GeoError, match="duckdb-extension-spatial"):
        run_sql(db, "SELECT ST_AsText(geom) FROM events_geo")


# --- geo sql -----------------------------------------------------------------------------------
def test_run_sql_formats_and_read_only(db):
    a1, a2, e1, _ = put_kharkiv_pair(db)
    q = "SELECT event_id, type, fatalities, articles, date FROM events"
    table = run_sql(db, q)
    assert "event_id" in table and e1.event_id in table and "(1 row)" in table
    rows = list(csv.DictReader(io.StringIO(run_sql(db, q, fmt="csv"))))
    assert rows == [{"event_id": e1.event_id, "type": "strike", "fatalities": "4",
                     "articles": '["kyivind-1", "reuters-7"]', "date": "2024-11-19"}]
    data = json.loads(run_sql(db, q, fmt="json"))
    assert data == [{"event_id": e1.event_id, "type": "strike", "fatalities": 4,
                     "articles": ["kyivind-1", "reuters-7"], "date": "2024-11-19"}]
    with pytest.raises(GeoError, match="read-only"):
        run_sql(db, "DELETE FROM events")
    with pytest.raises(GeoError, match="SQL error"):
        run_sql(db, "SELECT nope FROM events")
    with pytest.raises(GeoError, match="format"):
        run_sql(db, q, fmt="xml")
    run_sql(db, "UPDATE articles SET url = NULL", read_only=False)
    assert json.loads(run_sql(db, "SELECT count(*) AS n FROM articles WHERE url IS NULL", fmt="json")) == [{"n": 2}]


def test_cli_sql(db):
    from typer.testing import CliRunner

    from geo.cli import app

    put_kharkiv_pair(db)
    res = CliRunner().invoke(app, ["sql", "SELECT count(*) AS n FROM events", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output) == [{"n": 1}]


# --- Python API --------------------------------------------------------------------------------
def test_geo_open(spatial_db):
    db, ids = spatial_db
    with geo.open(db) as d:
        gdf = d.events()
        assert gdf.crs.to_epsg() == 4326
        assert len(gdf) == 3 and set(EVENT_FIELDS) <= set(gdf.columns)
        kh = gdf[gdf.event_id == ids["Kharkiv"]].iloc[0]
        assert (round(kh.geometry.x, 3), round(kh.geometry.y, 3)) == (36.253, 49.981)
        assert list(kh.articles) == ["kyivind-1", "reuters-7"]
        assert len(d.events(bbox=(35, 49, 38, 51))) == 2
        assert len(d.events(type="talks")) == 0
        assert len(d.events(since="2024-11-20")) == 0
        rel = d.sql("SELECT type, count(*) AS n FROM events GROUP BY type")
        assert isinstance(rel, duckdb.DuckDBPyRelation)
        assert rel.fetchall() == [("strike", 3)]
        assert d.sql(SPATIAL_EXAMPLES["within_50km"]).df().shape[0] == 2
        with pytest.raises(TypeError):
            d.events(colour="red")


# ---------------------------------------------------------------- batched writes
def _store_ops(path, ops, batch: int) -> dict:
    from merge_corpus import dump

    with Store(path) as s:
        for i in range(0, len(ops), batch):
            s.put_batch(ops[i:i + batch])
    return dump(path)


@pytest.mark.parametrize("batch", [1, 7, 1000])
def test_batched_writes_match_the_article_at_a_time_reference(tmp_path, batch):
    """The generated corpus (cross-article merges, edited and identical re-puts, an article twice in
    one batch) gives, in batches of any size, exactly the rows the article-at-a-time store gave
    before batching (tests/fixtures/merge_reference.json): events, ids, merged fields, sources."""
    from merge_corpus import operations

    reference = json.loads((REPO_FIXTURES / "merge_reference.json").read_text(encoding="utf-8"))
    got = _store_ops(tmp_path / f"b{batch}.duckdb", operations(), batch)
    assert sum(len(r["articles"]) > 1 for r in got["events"]) >= 10  # the corpus really merges
    for table in ("events", "event_sources", "articles", "mentions", "places"):
        assert got[table] == reference[table], table
    assert orphans(tmp_path / f"b{batch}.duckdb") == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_batch_sizes_agree_on_other_corpora(tmp_path, seed):
    from merge_corpus import operations

    one = _store_ops(tmp_path / "one.duckdb", operations(seed, 40), 1)
    assert sum(len(r["articles"]) > 1 for r in one["events"]) >= 3
    for batch in (6, 40):
        assert _store_ops(tmp_path / f"b{batch}.duckdb", operations(seed, 40), batch) == one, batch


def test_event_ids_are_set_on_the_stored_events(db):
    from merge_corpus import operations

    ops = operations(5, 30)
    with Store(db) as s:
        s.put_batch(ops)
        stored = {r[0] for r in s.con.execute("SELECT event_id FROM events").fetchall()}
    last = {a.id: events for a, _, events in ops}  # an article's last version is what is stored
    ids = {e.event_id for events in last.values() for e in events}
    assert None not in ids and ids == stored


def test_failing_batch_rolls_back_whole_batch(db):
    from merge_corpus import operations

    ops = operations(7, 20)
    with Store(db) as s:
        s.put_batch(ops[:10])
        before = s.con.execute("SELECT count(*) FROM events").fetchone()[0]
        bad_art, bad_mentions, bad_events = ops[12]
        broken = event(bad_art, KYIV, fatalities=2**70)  # beyond BIGINT
        with pytest.raises(Exception):
            s.put_batch(ops[10:15] + [(bad_art, bad_mentions, bad_events + [broken])])
        assert s.con.execute("SELECT count(*) FROM events").fetchone()[0] == before
        assert all(e.event_id is None for _, _, evs in ops[10:15] for e in evs)
        s.put_batch(ops[10:])
    assert orphans(db) == 0
