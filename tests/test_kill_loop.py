"""Crash safety: `geo ingest` SIGKILLed at random moments leaves a database that opens, with no
orphans and no duplicates, each stored article complete; a re-run then ends with exactly the
rows of an uninterrupted run (same event ids and fields).

Small enough for CI: a generated corpus of 80 short articles, three kills, each at a random
moment after the run starts writing.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from geo.store import Store

from conftest import REPO, geo_env

PLACES = ["Kharkiv", "Odesa", "Sumy", "Dnipro", "Kherson", "Zaporizhzhia", "Mykolaiv", "Poltava", "Belgorod"]
SENTENCES = [
    "Russian drones struck {p} on {d}, killing {n} people, the regional governor said.",
    "Air defence units shot down {n} drones over the {p} region overnight.",
    "A missile hit an energy facility in {p}, leaving {n} homes without power.",
    "Shelling damaged a school and {n} houses in {p} on {d}.",
    "Hundreds of people rallied in {p} on {d} to demand the release of prisoners.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday"]
KILLS = 3
ARTICLES = 80


def corpus(path: Path, n: int = ARTICLES) -> Path:
    rnd = random.Random(16)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            text = " ".join(rnd.choice(SENTENCES).format(p=rnd.choice(PLACES), d=rnd.choice(DAYS),
                                                        n=rnd.randint(2, 60)) for _ in range(rnd.randint(2, 4)))
            rec = {"id": f"k{i:03d}", "published": f"2025-11-{rnd.randint(10, 28)}", "title": f"Report {i}",
                   "text": text}
            f.write(json.dumps(rec) + "\n")
    return path


def ingest(db: Path, src: Path) -> subprocess.Popen:
    """`geo ingest` in small batches: many commits, so a kill can land between or inside them."""
    return subprocess.Popen([sys.executable, "-m", "geo", "ingest", str(src), "--db", str(db), "--batch-size", "4",
                             "-q"], cwd=REPO, env=geo_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def rows(db: Path) -> dict[str, list[tuple]]:
    """Every table's rows, without the wall-clock columns, sorted."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table, order in [("articles", "id"), ("mentions", "article_id, char_start"), ("places", "id"),
                             ("events", "event_id"), ("event_sources", "event_id, article_id, char_start")]:
            cols = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()
                    if r[0] not in ("ingested_at", "created_at", "updated_at", "added_at")]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}").fetchall()
        return out
    finally:
        con.close()


def check_consistent(db: Path, reference: dict[str, list[tuple]]) -> int:
    """The checks a crashed database must pass; returns how many articles it holds."""
    with Store(db) as store:  # opens (replaying the WAL) as the next run would
        q = lambda sql: store.con.execute(sql).fetchone()[0]  # noqa: E731
        assert q("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)") == 0
        assert q("SELECT count(*) FROM event_sources WHERE article_id NOT IN (SELECT id FROM articles)") == 0
        assert q("SELECT count(*) FROM event_sources WHERE event_id NOT IN (SELECT event_id FROM events)") == 0
        assert q("SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM event_sources)") == 0
        assert q("SELECT count(*) - count(DISTINCT (event_id, article_id, char_start)) FROM event_sources") == 0
        assert q("SELECT count(*) - count(DISTINCT (article_id, char_start, char_end)) FROM mentions") == 0
        assert q("SELECT count(*) FROM mentions WHERE place_id NOT IN (SELECT id FROM places)") == 0
        stored = [r[0] for r in store.con.execute("SELECT id FROM articles ORDER BY id").fetchall()]
    con = duckdb.connect(str(db), read_only=True)  # reopened after the replay was checkpointed
    try:
        for article in stored:  # an index lookup finds what a scan finds
            for table in ("mentions", "event_sources"):
                by_index = con.execute(f"SELECT count(*) FROM {table} WHERE article_id = ?", [article]).fetchone()[0]
                by_scan = con.execute(f"SELECT count(*) FROM {table} WHERE article_id || '' = ?",
                                      [article]).fetchone()[0]
                assert by_index == by_scan, (table, article, by_index, by_scan)
    finally:
        con.close()
    got, want = rows(db), reference
    for table in ("articles", "mentions", "event_sources"):  # each stored article is there whole
        col = 0 if table != "event_sources" else 1  # event_sources rows: (event_id, article_id, ...)
        have = sorted(r[1:] if table == "event_sources" else r for r in got[table] if r[col] in stored)
        expected = sorted(r[1:] if table == "event_sources" else r for r in want[table] if r[col] in stored)
        assert have == expected, table  # an article's own readings do not depend on the others
    return len(stored)


def wait_for_writes(proc: subprocess.Popen, db: Path) -> float:
    """Wait until the run writes (its WAL appears) or ends; returns the moment (monotonic)."""
    wal = Path(f"{db}.wal")
    while not wal.exists() and proc.poll() is None:
        time.sleep(0.01)
    return time.monotonic()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_at_random_moments_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    src = corpus(tmp_path / "corpus.jsonl")
    ref_db = tmp_path / "reference.duckdb"
    ref = ingest(ref_db, src)
    writing = wait_for_writes(ref, ref_db)
    assert ref.wait(timeout=600) == 0, ref.stderr.read().decode()
    window = time.monotonic() - writing  # from the first write to the end: where kills land
    reference = rows(ref_db)
    assert len(reference["articles"]) == ARTICLES and reference["events"]

    db = tmp_path / "killed.duckdb"
    rnd = random.Random(os.getpid())
    seen = []
    for _ in range(KILLS):
        proc = ingest(db, src)
        wait_for_writes(proc, db)
        time.sleep(rnd.uniform(0.05, 0.7) * window)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if db.exists():
            seen.append(check_consistent(db, reference))
    final = ingest(db, src)
    assert final.wait(timeout=600) == 0, final.stderr.read().decode()
    check_consistent(db, reference)
    assert rows(db) == reference, f"articles stored after each kill: {seen}"
