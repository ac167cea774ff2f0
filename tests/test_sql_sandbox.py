"""`geo sql` without --write is a sandbox: it reads the database and nothing else.

Each probe below reaches outside the database (reads or writes a file, reads the environment,
loads code, unlocks the configuration, makes objects); each must be refused with one line, and
nothing may appear on disk. Ordinary queries, spatial SQL on events_geo and the README's SQL
examples must still work, and --write keeps its powers.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

from geo.errors import GeoError
from geo.extraction import extract_article
from geo.geoparser import geoparse_article
from geo.read import read_paths
from geo.sql_sandbox import SandboxError, lock_down
from geo.store import SPATIAL_EXAMPLES, Store, format_rows, run_sql, spatial_extension_path
from geo.store.queries import _query

REPO = Path(__file__).resolve().parents[1]
MARK = "tOp-SeCrEt-4711"  # the content of the files outside: it must never show up in an answer


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, gaz) -> Path:
    """A real database of the embedded samples (read -> geoparse -> extract -> store)."""
    path = tmp_path_factory.mktemp("sandbox") / "events.duckdb"
    with Store(path) as store:
        for article in read_paths([str(REPO / "data" / "samples")]):
            mentions = geoparse_article(article)
            store.put(article, mentions, extract_article(article, mentions))
    return path


@pytest.fixture(scope="module")
def ro(db: Path):
    """One read-only store for many queries, through the same hook as `run_sql` (`_query` with
    read_only=True), so the spatial extension is loaded once rather than once a query."""
    with Store(db, read_only=True) as store:
        yield lambda query, fmt="json": format_rows(*_query(store, query, True), fmt)


@pytest.fixture()
def db_copy(db: Path, tmp_path: Path) -> Path:
    """A copy to open read-write (the module's read-only connection holds the original)."""
    return Path(shutil.copy(db, tmp_path / "copy.duckdb"))


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A folder outside the database with a readable file, a CSV and a GeoJSON in it."""
    (tmp_path / "secret.txt").write_text(f"{MARK}\n")
    (tmp_path / "secret.csv").write_text(f"a,b\n1,{MARK}\n")
    (tmp_path / "secret.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"x": "' + MARK + '"}, '
        '"geometry": {"type": "Point", "coordinates": [1, 2]}}]}')
    return tmp_path


def probes(d: Path) -> list[str]:
    ext = spatial_extension_path() or Path("/nonexistent/spatial.duckdb_extension")
    return [
        # reading files and the environment
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_csv_auto('/proc/self/environ')",
        "SELECT * FROM read_text('/proc/self/environ')",
        f"SELECT content FROM read_text('{d}/secret.txt')",
        "SELECT * FROM read_text('/etc/shadow')",
        f"SELECT * FROM read_blob('{d}/secret.txt')",
        f"SELECT * FROM read_json('{d}/secret.geojson')",
        f"SELECT * FROM read_ndjson_objects('{d}/secret.txt')",
        f"SELECT * FROM read_parquet('{d}/x.parquet')",
        f"SELECT * FROM parquet_scan('{d}/x.parquet')",
        f"SELECT * FROM parquet_metadata('{d}/x.parquet')",
        "SELECT * FROM glob('/root/**')",
        f"SELECT * FROM glob('{d}/*')",
        "SELECT * FROM sniff_csv('/etc/passwd')",
        f"SELECT * FROM '{d}/secret.csv'",
        f"SELECT e.event_id FROM events e JOIN '{d}/secret.csv' s ON true",
        f"SELECT * FROM ST_Read('{d}/secret.geojson')",
        f"SELECT * FROM ST_Read_Meta('{d}/secret.geojson')",
        f"SELECT * FROM query('SELECT * FROM read_text(''{d}/secret.txt'')')",
        f"DESCRIBE SELECT * FROM read_csv('{d}/secret.csv')",
        # writing files
        f"COPY (SELECT * FROM events) TO '{d}/out.csv'",
        f"COPY (SELECT 1 AS x) TO '{d}/out.parquet' (FORMAT parquet)",
        f"COPY events FROM '{d}/secret.csv'",
        f"EXPORT DATABASE '{d}/export'",
        f"IMPORT DATABASE '{d}'",
        f"SELECT 1; COPY (SELECT 1) TO '{d}/second.csv'",
        f"EXPLAIN ANALYZE COPY (SELECT 1) TO '{d}/explained.csv'",
        # code
        f"LOAD '{ext}'",
        f"LOAD '{d}/evil.duckdb_extension'",
        "INSTALL spatial",
        "FORCE INSTALL httpfs",
        # configuration
        "SET lock_configuration = false",
        "RESET lock_configuration",
        "SET enable_external_access = true",
        f"PRAGMA profile_output = '{d}/profile.txt'",
        "PRAGMA enable_profiling",
        f"SET temp_directory = '{d}/spill'",
        "PRAGMA threads = 1",
        "SET VARIABLE x = 1",
        # objects and other databases
        "CREATE TEMP TABLE t AS SELECT * FROM events",
        "CREATE TEMP VIEW v AS SELECT 1",
        "CREATE MACRO m(a) AS a + 1",
        "CREATE SECRET s (TYPE s3, KEY_ID 'k', SECRET 'v')",
        "ATTACH ':memory:' AS m",
        f"ATTACH '{d}/other.duckdb' AS o",
        "PREPARE p AS SELECT 1",
        "INSERT INTO meta VALUES ('x', 'y')",
        "DELETE FROM events",
        "DROP TABLE events",
        "UPDATE events SET type = 'other'",
        "BEGIN TRANSACTION",
    ]


def test_every_probe_is_refused_in_one_line_and_nothing_is_written(db: Path, ro, outside: Path) -> None:
    before = sorted(p.name for p in outside.iterdir())
    db_bytes = db.read_bytes()
    accepted = []
    for query in probes(outside):
        try:
            ro(query)
        except GeoError as e:
            assert "\n" not in str(e) and len(str(e)) < 300, (query, str(e))
            assert MARK not in str(e), (query, str(e))  # no content leaks through an error
        else:
            accepted.append(query)
    assert accepted == []
    assert sorted(p.name for p in outside.iterdir()) == before  # no file, folder or spill appeared
    assert db.read_bytes() == db_bytes


@pytest.mark.parametrize("query,reason", [
    ("COPY (SELECT 1) TO '/tmp/x.csv'", "COPY reads or writes files"),
    ("SELECT * FROM read_csv('/etc/passwd')", "read_csv() reads files"),
    ("select * from Read_Text ('/etc/passwd')", "Read_Text() reads files"),
    ("SELECT * FROM glob('/root/**')", "glob() reads files"),
    ("SELECT * FROM query('SELECT 1')", "query() runs SQL given as a string"),
    ("SELECT * FROM '/etc/passwd'", "FROM '/etc/passwd' reads a file"),
    ("SET lock_configuration = false", "SET, RESET, USE and setting PRAGMAs"),
    ("PRAGMA profile_output = '/tmp/p'", "SET, RESET, USE and setting PRAGMAs"),
    ("EXPORT DATABASE '/tmp/d'", "EXPORT DATABASE writes files"),
    ("LOAD '/tmp/x.duckdb_extension'", "LOAD and INSTALL load extension code"),
    ("CREATE TEMP TABLE t AS SELECT 1", "CREATE makes objects"),
    ("ATTACH ':memory:' AS m", "ATTACH opens another database"),
])
def test_a_refusal_says_why(ro, query: str, reason: str) -> None:
    with pytest.raises(SandboxError) as err:
        ro(query)
    assert str(err.value).startswith("refused in read-only mode: ") and reason in str(err.value)
    assert str(err.value).endswith("(use --write for a query that needs it)")


def test_duckdb_settings_refuse_even_without_the_statement_check(outside: Path) -> None:
    """The real barrier: a locked connection refuses what the check would have caught first."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False})
    lock_down(con)
    lock_down(con)  # idempotent
    for query in [f"SELECT * FROM read_text('{outside}/secret.txt')", f"SELECT * FROM '{outside}/secret.csv'",
                  f"COPY (SELECT 1) TO '{outside}/x.csv'", f"EXPORT DATABASE '{outside}/e'",
                  f"LOAD '{outside}/evil.duckdb_extension'", "SET lock_configuration = false",
                  "SET enable_external_access = true", f"ATTACH '{outside}/o.duckdb'",
                  f"PRAGMA profile_output = '{outside}/p.txt'", f"SELECT * FROM glob('{outside}/*')"]:
        with pytest.raises(duckdb.Error):
            con.execute(query).fetchall()
    assert sorted(p.name for p in outside.iterdir()) == ["secret.csv", "secret.geojson", "secret.txt"]


@pytest.mark.skipif(spatial_extension_path() is None, reason="no offline spatial extension")
def test_st_read_reads_a_file_with_write_so_refusing_it_matters(db_copy: Path, outside: Path) -> None:
    out = run_sql(db_copy, f"SELECT x FROM ST_Read('{outside}/secret.geojson')", fmt="csv", read_only=False)
    assert out == f"x\n{MARK}\n"


READ_ONLY_QUERIES = [
    "SELECT count(*) AS n FROM events",
    "SELECT type, count(*) FROM events GROUP BY ALL ORDER BY 1",
    "FROM events SELECT event_id LIMIT 1",
    "WITH t AS (SELECT type FROM events) SELECT count(DISTINCT type) FROM t",
    "DESCRIBE events",
    "SHOW TABLES",
    "SUMMARIZE SELECT fatalities FROM events",
    "PRAGMA table_info('events')",
    "CALL pragma_table_info('events')",
    "SELECT * FROM duckdb_settings() WHERE name = 'lock_configuration'",
    "PIVOT (SELECT type, fatalities FROM events) ON type USING count(*)",
    "EXPLAIN SELECT * FROM events",
    "SELECT 'read_csv(''/etc/passwd'')' AS not_a_call, 1 AS query",  # names inside literals are text
    "SELECT evidence FROM events WHERE evidence ILIKE '%glob(%'",
    "SELECT ST_AsText(ST_Point(36.2304, 49.9935)) AS p",
    "SELECT count(*) FROM events_geo WHERE geom IS NOT NULL",
    "SELECT 1; SELECT 2",
]


@pytest.mark.parametrize("query", READ_ONLY_QUERIES)
def test_queries_that_only_read_still_work(ro, query: str) -> None:
    assert ro(query).startswith("[")


def test_run_sql_reads_in_the_sandbox(db: Path, db_copy: Path) -> None:
    assert run_sql(db, "SELECT current_setting('enable_external_access') AS x, "
                       "current_setting('lock_configuration') AS y", fmt="csv") == "x,y\nFalse,True\n"
    assert run_sql(db_copy, "SELECT current_setting('lock_configuration') AS y", fmt="csv",
                   read_only=False) == "y\nFalse\n"


def test_spatial_examples_run_in_the_sandbox(ro) -> None:
    for name, query in SPATIAL_EXAMPLES.items():
        assert ro(query).startswith("["), name
    rows = ro("SELECT count(*) AS n FROM events_geo WHERE geom IS NOT NULL", fmt="csv")
    assert int(rows.splitlines()[1]) > 0


def test_the_readme_sql_examples_run_in_the_sandbox(ro) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sql\n(.*?)```", readme, re.S)
    statements = [s.strip() for b in blocks for s in re.sub(r"--[^\n]*", "", b).split(";") if s.strip()]
    assert len(statements) >= 3
    for query in statements:
        assert ro(query).startswith("["), query


def test_write_keeps_its_powers(db_copy: Path, tmp_path: Path) -> None:
    copy = db_copy
    target = tmp_path / "events.csv"
    run_sql(copy, f"COPY (SELECT event_id FROM events) TO '{target}'", read_only=False)
    assert target.read_text().startswith("event_id\n")
    run_sql(copy, "CREATE TABLE notes AS SELECT 1 AS x", read_only=False)
    assert run_sql(copy, "SELECT x FROM notes", fmt="csv") == "x\n1\n"


def test_cli_refusal_is_one_line_with_exit_status_2(db: Path, tmp_path: Path, run_geo) -> None:
    target = tmp_path / "x.csv"
    out = run_geo("sql", "--db", db, f"COPY (SELECT 1) TO '{target}'", cwd=tmp_path)
    assert out.returncode == 2 and not target.exists()
    assert out.stderr.startswith("error: refused in read-only mode: COPY reads or writes files (use --write")
    assert len(out.stderr.strip().splitlines()) == 1
