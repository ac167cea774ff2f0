"""The whole pipeline through the CLI, in subprocesses as a user runs it: idempotent ingest, GeoJSON
export read back with geopandas, the no-argument main job, a bad input line, and an end-to-end
score of the sample corpus against its gold events."""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path

import duckdb
import pytest

from geo.models import EVENT_FIELDS, EVENT_TYPES, FACTUAL_CLAIMS

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "data" / "samples"
GOLD = REPO / "tests" / "fixtures" / "samples_gold.jsonl"
N_SAMPLES = 18
# DESIGN.md "Fields of an event": every one must be a property of each exported feature.
DESIGN_FIELDS = ("event_id", "type", "subtype", "date", "date_precision", "place", "geonameid", "country",
                 "admin1", "lat", "lon", "precision", "actor", "target", "weapon", "quantity", "fatalities",
                 "injured", "missing", "affected", "claim_status", "claimed_by", "evidence", "articles",
                 "confidence")
REPORT = re.compile(r"(\d+) new, (\d+) updated, (\d+) unchanged")


def counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("articles", "mentions", "events", "event_sources")}
    finally:
        con.close()


@pytest.fixture(scope="module")
def ingested(tmp_path_factory, run_geo) -> dict[str, Path]:
    """data/samples ingested once into a fresh database and exported as GeoJSON."""
    tmp = tmp_path_factory.mktemp("pipeline")
    db, out = tmp / "samples.duckdb", tmp / "events.geojson"
    ing = run_geo("ingest", SAMPLES, "--db", db, cwd=tmp)
    assert ing.returncode == 0, ing.stderr
    exp = run_geo("export", "--format", "geojson", "--db", db, "-o", out, cwd=tmp)
    assert exp.returncode == 0, exp.stderr
    return {"db": db, "geojson": out, "ingest_stdout": ing.stdout}


# ---------------------------------------------------------------- ingest
def test_first_ingest_stores_every_sample(ingested):
    m = REPORT.search(ingested["ingest_stdout"])
    assert m, ingested["ingest_stdout"]
    assert tuple(map(int, m.groups())) == (N_SAMPLES, 0, 0)
    c = counts(ingested["db"])
    assert c["articles"] == N_SAMPLES
    assert c["events"] > N_SAMPLES and c["mentions"] > c["events"]


def test_second_ingest_is_a_no_op(tmp_path, run_geo):
    db = tmp_path / "x.duckdb"
    first = run_geo("ingest", SAMPLES, "--db", db, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = counts(db)
    second = run_geo("ingest", SAMPLES, "--db", db, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    m = REPORT.search(second.stdout)
    assert m, second.stdout
    assert tuple(map(int, m.groups())) == (0, 0, N_SAMPLES), second.stdout
    assert counts(db) == before


# ---------------------------------------------------------------- export
def test_geojson_export_reads_back_with_geopandas(ingested):
    import geopandas as gpd

    gdf = gpd.read_file(ingested["geojson"])
    assert len(gdf) > 0
    missing = [f for f in DESIGN_FIELDS if f not in gdf.columns]
    assert not missing, missing
    assert gdf.crs is None or gdf.crs.to_epsg() == 4326
    assert (gdf.geometry.geom_type == "Point").all()
    assert set(gdf["type"]) <= set(EVENT_TYPES)
    assert set(gdf["claim_status"]) <= FACTUAL_CLAIMS  # the default export holds facts only
    assert gdf["event_id"].is_unique


def test_geojson_features_carry_every_event_field(ingested):
    fc = json.loads(ingested["geojson"].read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and fc["features"]
    sample_ids = {p.stem for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md")} | {
        json.loads(line)["id"] for line in (SAMPLES / "samples.jsonl").read_text().splitlines() if line.strip()}
    assert len(sample_ids) == N_SAMPLES
    for feat in fc["features"]:
        props = feat["properties"]
        assert set(DESIGN_FIELDS) <= set(props), set(DESIGN_FIELDS) - set(props)
        assert set(EVENT_FIELDS) <= set(props)
        lon, lat = feat["geometry"]["coordinates"]
        assert feat["geometry"]["type"] == "Point"
        assert (lon, lat) == (props["lon"], props["lat"])
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert isinstance(props["articles"], list) and set(props["articles"]) <= sample_ids and props["articles"]
        dt.date.fromisoformat(props["date"])
        assert props["precision"] in ("locality", "near", "admin2", "admin1", "country", "water")
        if props["precision"] != "water":  # seas belong to no country
            assert props["country"] and len(props["country"]) == 2 and props["country"].isupper()


# ---------------------------------------------------------------- main job and errors
def test_geo_without_arguments_runs_the_sample_job(tmp_path, run_geo):
    proc = run_geo(cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    outputs = [Path("geo.duckdb"), Path("maps/events.html"), Path("out/events.geojson")]  # the one default database
    for rel in outputs:
        assert (tmp_path / rel).is_file() and (tmp_path / rel).stat().st_size > 0, rel
        assert str(rel) in proc.stdout, proc.stdout
    fc = json.loads((tmp_path / "out/events.geojson").read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and fc["features"]
    assert counts(tmp_path / "geo.duckdb")["articles"] == N_SAMPLES
    assert "<html" in (tmp_path / "maps/events.html").read_text(encoding="utf-8").lower()


def _feed(tmp_path: Path, bad_lines: dict[int, str], n: int = 6) -> Path:
    """feed.jsonl: `n` good one-sentence reports, with the lines of `bad_lines` (1-based) replaced."""
    towns = ["Odesa", "Kherson", "Sumy", "Kharkiv", "Dnipro", "Zaporizhzhia", "Mykolaiv", "Poltava"]
    lines = [json.dumps({"id": f"good-{i}", "published": "2025-12-03",
                         "text": f"Russian drones hit {towns[i % len(towns)]} overnight, injuring {i + 2} people."})
             for i in range(n)]
    for k, text in bad_lines.items():
        lines[k - 1] = text
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stored_ids(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("select id from articles").fetchall()}
    finally:
        con.close()


def test_bad_records_are_reported_one_line_each_and_the_run_goes_on(tmp_path, run_geo):
    _feed(tmp_path, {3: '{"id": "broken", "text": "unterminated', 5: '{"id": "bad-date", "published": "2025-13-45", '
                     '"text": "Drones hit Sumy."}'})
    proc = run_geo("ingest", "feed.jsonl", "--db", "feed.duckdb", "--batch-size", "2", cwd=tmp_path)
    assert proc.returncode == 2, (proc.returncode, proc.stderr)  # two records failed
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 2, proc.stderr
    assert errors[0].startswith("error: feed.jsonl:3: ") and errors[1].startswith("error: feed.jsonl:5: "), errors
    assert "Traceback" not in proc.stderr
    assert stored_ids(tmp_path / "feed.duckdb") == {"good-0", "good-1", "good-3", "good-5"}  # after the bad ones too
    assert "2 failed" in proc.stdout and re.search(r"4 new, 0 updated, 0 unchanged", proc.stdout), proc.stdout


def test_strict_stops_at_the_first_bad_record(tmp_path, run_geo):
    _feed(tmp_path, {4: "{oops"})
    proc = run_geo("ingest", "feed.jsonl", "--db", "feed.duckdb", "--strict", "--batch-size", "2", cwd=tmp_path)
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert proc.stderr.strip().splitlines()[-1].startswith("error: feed.jsonl:4: "), proc.stderr
    assert stored_ids(tmp_path / "feed.duckdb") == {"good-0", "good-1", "good-2"}  # everything before it


def test_exit_status_counts_failures_up_to_100(tmp_path, run_geo):
    (tmp_path / "junk.jsonl").write_text("".join(f"{{not json {i}\n" for i in range(130)), encoding="utf-8")
    proc = run_geo("ingest", "junk.jsonl", "--db", "junk.duckdb", cwd=tmp_path)
    assert proc.returncode == 100, proc.returncode
    assert len([x for x in proc.stderr.splitlines() if x.startswith("error: junk.jsonl:")]) == 130
    assert "130 failed" in proc.stdout


def test_quiet_prints_only_problems(tmp_path, run_geo):
    _feed(tmp_path, {2: "{oops"}, n=3)
    proc = run_geo("ingest", "feed.jsonl", "--db", "feed.duckdb", "-q", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip().splitlines()[0]]
    assert proc.stderr.startswith("error: feed.jsonl:2: ")


def test_database_that_cannot_be_opened_is_one_line_and_exit_101(tmp_path, run_geo):
    (tmp_path / "not.duckdb").write_text("this is not a database\n", encoding="utf-8")
    _feed(tmp_path, {}, n=1)
    proc = run_geo("ingest", "feed.jsonl", "--db", "not.duckdb", cwd=tmp_path)
    assert proc.returncode == 101, (proc.returncode, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("error: "), proc.stderr


def test_batched_and_article_at_a_time_ingest_store_the_same(tmp_path, run_geo):
    """The sample corpus in batches of 1 and of 500."""
    from merge_corpus import dump

    dumps = []
    for batch in ("1", "500"):
        db = tmp_path / f"b{batch}.duckdb"
        proc = run_geo("ingest", SAMPLES, "--db", db, "--batch-size", batch, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert REPORT.search(proc.stdout).groups() == (str(N_SAMPLES), "0", "0"), proc.stdout
        dumps.append(dump(db))
    assert dumps[0] == dumps[1]
    assert dumps[0]["events"]


# ---------------------------------------------------------------- end-to-end score
def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 6371.0 * 2 * math.asin(math.sqrt(min(1.0, a)))


def location_ok(gold: dict, pred: dict) -> bool:
    if pred.get("place") and pred["place"].casefold() in {a.casefold() for a in gold.get("also_accept", [])}:
        return True
    if gold.get("precision") == "country":
        return (pred.get("country") or "").upper() == gold["country"]
    if gold.get("geonameid") and pred.get("geonameid") and int(pred["geonameid"]) == int(gold["geonameid"]):
        return True
    if gold.get("lat") is None or pred.get("lat") is None:
        return False
    return _km(gold["lat"], gold["lon"], pred["lat"], pred["lon"]) <= gold.get("tolerance_km", 25)


def date_ok(gold: dict, pred: dict) -> bool:
    if not gold.get("date"):
        return True
    if not pred.get("date"):
        return False
    days = abs((dt.date.fromisoformat(pred["date"]) - dt.date.fromisoformat(gold["date"])).days)
    return days <= gold.get("date_tolerance_days", 1)


def matches(gold: dict, pred: dict) -> bool:
    return (gold["type"] == pred.get("type") and gold["article"] in pred.get("articles", [])
            and location_ok(gold, pred) and date_ok(gold, pred))


def score(gold: list[dict], preds: list[dict]) -> dict[str, float]:
    """Recall over required gold events; precision over factual predictions, not counting those that
    match an optional gold event (each prediction matches at most one required event)."""
    preds = [p for p in preds if p.get("claim_status") in FACTUAL_CLAIMS]
    required = [g for g in gold if g.get("required") and not g.get("negative")]
    optional = [g for g in gold if not g.get("required") and not g.get("negative")]
    used: set[int] = set()
    misses = []
    for g in required:
        hit = next((i for i, p in enumerate(preds) if i not in used and matches(g, p)), None)
        if hit is None:
            misses.append(f"{g['article']} {g['type']} @ {g.get('place')} {g.get('date')}")
        else:
            used.add(hit)
    neutral = {i for i, p in enumerate(preds) if i not in used and any(matches(g, p) for g in optional)}
    wrong = [p for i, p in enumerate(preds) if i not in used and i not in neutral]
    counted = len(used) + len(wrong)
    return {"recall": len(used) / len(required), "precision": len(used) / counted if counted else 0.0,
            "required": len(required), "found": len(used), "false": len(wrong), "misses": misses,
            "false_hits": [f"{p['articles']} {p['type']} @ {p.get('place')} {p.get('date')}" for p in wrong]}


def test_score_helper_is_not_trivial():
    gold = [{"article": "a", "type": "strike", "required": True, "date": "2025-12-02", "geonameid": 1,
             "lat": 50.0, "lon": 30.0, "country": "UA", "precision": "locality"},
            {"article": "a", "type": "outage", "required": True, "date": "2025-12-02", "geonameid": None,
             "country": "UA", "precision": "country"},
            {"article": "a", "type": "clash", "required": False, "date": "2025-12-02", "geonameid": 9,
             "lat": 48.0, "lon": 37.0, "country": "UA", "precision": "locality"}]
    preds = [
        {"type": "strike", "articles": ["a"], "date": "2025-12-03", "geonameid": 2, "lat": 50.1, "lon": 30.1,
         "country": "UA", "claim_status": "reported", "place": "x"},       # 13 km, a day off: match
        {"type": "outage", "articles": ["a"], "date": "2025-12-05", "geonameid": None, "lat": 49.0, "lon": 32.0,
         "country": "UA", "claim_status": "reported", "place": "UA"},      # three days off: false
        {"type": "clash", "articles": ["a"], "date": "2025-12-02", "geonameid": 9, "lat": 48.0, "lon": 37.0,
         "country": "UA", "claim_status": "claimed", "place": "y"},        # optional: neutral
        {"type": "strike", "articles": ["a"], "date": "2025-12-02", "geonameid": 1, "lat": 50.0, "lon": 30.0,
         "country": "UA", "claim_status": "anticipated", "place": "x"},    # not a fact: ignored
    ]
    s = score(gold, preds)
    assert (s["found"], s["false"], s["recall"], s["precision"]) == (1, 1, 0.5, 0.5)


def test_end_to_end_score_on_samples(ingested):
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    fc = json.loads(ingested["geojson"].read_text(encoding="utf-8"))
    s = score(gold, [f["properties"] for f in fc["features"]])
    print(f"\nsamples: recall {s['recall']:.3f} ({s['found']}/{s['required']}), "
          f"precision {s['precision']:.3f} ({s['false']} false)")
    for line in s["misses"]:
        print("  miss:", line)
    for line in s["false_hits"]:
        print("  false:", line)
    assert s["recall"] >= 0.5, s["misses"]
    assert s["precision"] >= 0.5, s["false_hits"]


# ---------------------------------------------------------------- error policy in the library
def test_a_non_fatal_input_error_is_a_warning_and_not_counted_failed(tmp_path):
    from geo.errors import InputError
    from geo.pipeline import _Run

    seen = []
    run = _Run(tmp_path / "w.duckdb", strict=True, on_problem=seen.append, on_progress=None)
    warning = InputError("big.jsonl", 7, "article truncated at 1,000,000 characters")
    warning.fatal = False
    run.read_error(warning)  # strict does not stop at a warning
    assert (run.report.failed, run.report.warnings) == (0, 1)
    assert seen[0].line() == "warning: big.jsonl:7: article truncated at 1,000,000 characters"


def test_an_article_that_cannot_be_stored_fails_alone(tmp_path):
    from factories import KHARKIV, event_at
    from geo.models import Article, Evidence
    from geo.pipeline import _Run

    def item(i: int, **kw):
        a = Article(id=f"a{i}", text=f"Drones hit Kharkiv {i}.", published=dt.date(2025, 1, 2), origin=f"f.jsonl:{i}")
        return a, [], [event_at(a, KHARKIV, "strike", dt.date(2025, 1, 2), Evidence(a.id, 0, 10, a.text), **kw)]

    seen = []
    run = _Run(tmp_path / "iso.duckdb", strict=False, on_problem=seen.append, on_progress=None)
    run.write([item(1), item(2, fatalities=2**70), item(3)])  # a count beyond BIGINT fails the batch
    assert [p.where for p in seen] == ["f.jsonl:2"] and "could not store" in seen[0].message
    assert (run.report.new, run.report.failed) == (2, 1)
    assert stored_ids(tmp_path / "iso.duckdb") == {"a1", "a3"}


# ---------------------------------------------------------------- readers during a long ingest
def test_readers_get_in_between_the_batches_of_a_long_ingest(tmp_path, run_geo):
    """`geo sql` run while an ingest is going on succeeds (the ingest releases the file between
    batches; a reader that arrives during a write waits for the commit) and sees a partial count."""
    import subprocess
    import sys
    import time

    from conftest import geo_env

    texts = [json.loads(x) for x in (SAMPLES / "samples.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    feed = tmp_path / "long.jsonl"
    with feed.open("w", encoding="utf-8") as f:
        for i in range(150):
            rec = dict(texts[i % len(texts)])
            rec["id"] = f"copy-{i}"
            f.write(json.dumps(rec) + "\n")
    ingest = subprocess.Popen([sys.executable, "-m", "geo", "ingest", str(feed), "--db", "long.duckdb",
                               "--batch-size", "10", "-q"], cwd=tmp_path, env=geo_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    try:
        while ingest.poll() is None and len(seen) < 2:
            if (tmp_path / "long.duckdb").exists():
                proc = run_geo("sql", "SELECT count(*) AS n FROM articles", "--db", "long.duckdb", "--format", "json",
                               cwd=tmp_path)
                assert proc.returncode == 0, proc.stderr
                seen.append(json.loads(proc.stdout)[0]["n"])
            time.sleep(0.5)
        running = ingest.poll() is None
    finally:
        out, err = ingest.communicate(timeout=600)
    assert ingest.returncode == 0, err
    assert seen and running, "the ingest ended before a reader could look"
    assert all(0 <= n < 150 for n in seen) and seen == sorted(seen)


# ---------------------------------------------------------------- Dask
@pytest.fixture(scope="module")
def serial_samples(tmp_path_factory, run_geo) -> dict:
    from merge_corpus import dump

    tmp = tmp_path_factory.mktemp("serial")
    proc = run_geo("ingest", SAMPLES, "--db", tmp / "serial.duckdb", "--batch-size", "5", cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    return dump(tmp / "serial.duckdb")


def test_dask_local_workers_store_exactly_what_a_serial_run_stores(tmp_path, run_geo, serial_samples):
    pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    from merge_corpus import dump

    proc = run_geo("ingest", SAMPLES, "--db", "dask.duckdb", "--workers", "2", "--batch-size", "3", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert REPORT.search(proc.stdout).groups() == (str(N_SAMPLES), "0", "0")
    assert dump(tmp_path / "dask.duckdb") == serial_samples


def test_dask_scheduler_of_a_running_cluster(tmp_path, run_geo, serial_samples):
    """`dask scheduler` and a `dask worker` started as on a real cluster (here on 127.0.0.1)."""
    pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    import socket
    import subprocess
    import sys

    from conftest import geo_env
    from merge_corpus import dump

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    sched = subprocess.Popen(dask + ["--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], env=geo_env(),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                               "--no-dashboard", "--host", "127.0.0.1"], env=geo_env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc = run_geo("ingest", SAMPLES, "--db", "cluster.duckdb", "--scheduler", address, "--batch-size", "4",
                       cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert dump(tmp_path / "cluster.duckdb") == serial_samples
    finally:
        for p in (worker, sched):
            p.terminate()
            p.wait(timeout=30)


def test_unreachable_scheduler_is_one_line(tmp_path, run_geo):
    pytest.importorskip("distributed", reason="the [dask] extra is not installed")
    (tmp_path / "a.txt").write_text("Drones hit Sumy on Monday.\n", encoding="utf-8")
    proc = run_geo("ingest", "a.txt", "--db", "x.duckdb", "--scheduler", "tcp://127.0.0.1:9", cwd=tmp_path, timeout=120)
    assert proc.returncode == 101, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Dask scheduler" in proc.stderr, proc.stderr
