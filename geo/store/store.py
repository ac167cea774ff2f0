"""`Store`: one DuckDB connection to a geo database — schema check, batched ingest with the
cross-article merge, article deletion and the flat events read.

Ingest semantics (`Store.put_batch`; `Store.put` is a batch of one): a batch of articles is stored in
ONE transaction, with exactly the result of storing them one at a time in order: re-putting an
article replaces its mentions and its event sources; events left with no source are deleted; an
event is merged with an existing event of another article when it is the same incident
(`same_incident`). Event ids are ACLED-like (``UKR123456789``: ISO3 + 9 digits of a hash of type,
date, place, first article and evidence offset), so re-ingesting the same article yields the same
id, and a merged event keeps the id it was first given.

Locks: DuckDB lets one process write or several read a file. Opening waits up to `wait` seconds
(default ``$GEO_LOCK_WAIT``, else 10 s) for another process to release it, so a reader started
during a long ingest gets in between two of its batches (the ingest releases the file while it
parses the next batch); after that a one-line GeoError names the holder.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Sequence

import duckdb

from geo.errors import GeoError
from geo.models import EVENT_FIELDS, Article, Event, Mention
from geo.store.ids import as_date, content_hash, make_event_id
from geo.store.merge import MERGE_DAYS, MERGE_KM, BatchMerge
from geo.store.schema import GEO_VIEWS, READING, SCHEMA_VERSION, migrate
from geo.store.spatial import load_spatial
from geo.store.writes import Writer, sql_list

if TYPE_CHECKING:  # pragma: no cover
    from geo.filters import EventFilter

Item = tuple[Article, list[Mention], list[Event]]
_UNSET: Any = object()
_PLACE_FEATURES = ("country", "admin1", "admin2", "water", "region", "landmark")


def lock_wait() -> float:
    """Seconds to wait for a database that another process holds: $GEO_LOCK_WAIT, else 10."""
    try:
        return max(0.0, float(os.environ.get("GEO_LOCK_WAIT", "10")))
    except ValueError:
        return 10.0


def connect(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retrying while another process holds the file's lock (up to `wait` s)."""
    deadline = time.monotonic() + wait
    pause = 0.02
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config={"autoinstall_known_extensions": False})
        except duckdb.Error as e:
            msg = str(e).splitlines()[0]
            if "lock" in msg.lower() and time.monotonic() < deadline:
                time.sleep(pause)
                pause = min(pause * 2, 0.25)
                continue
            if "lock" in msg.lower():
                holder = msg.split("Conflicting lock is held in", 1)[-1].strip() if "Conflicting" in msg else msg
                raise GeoError(f"{path}: the database is in use by another process ({holder}); waited "
                               f"{wait:g} s (set GEO_LOCK_WAIT to wait longer)") from e
            raise GeoError(f"{path}: cannot open the database: {msg}") from e


class Store:
    """One DuckDB connection to a geo database; a context manager.

    ``Store(path)`` creates the file and schema (or migrates an older schema); ``Store(path,
    read_only=True)`` requires an existing, current database and raises GeoError otherwise.
    The spatial extension is loaded on demand (`ensure_spatial`, `spatial_error`); `run_sql` loads
    it when a query needs it.
    """

    def __init__(self, path: Path | str, read_only: bool = False, wait: float | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.is_file():
            raise GeoError(f"{self.path}: no such database file (run `geo ingest ... --db {self.path}` first)")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        crashed = not read_only and Path(f"{self.path}.wal").exists()  # a writer died without closing
        self.con = connect(self.path, read_only, lock_wait() if wait is None else wait)
        try:
            self._prepare()
            if crashed:
                self._rebuild_indexes()
        except BaseException:
            self.con.close()
            raise
        self._writer = Writer(self.con)

    # schema ----------------------------------------------------------------------------------
    def schema_version(self) -> int:
        has_meta = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' "
            "AND table_schema = 'main'").fetchone()[0]
        if not has_meta:
            return 0
        row = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 0

    def _prepare(self) -> None:
        version = self.schema_version()
        if version > SCHEMA_VERSION:
            raise GeoError(f"{self.path}: schema version {version} is newer than this program's "
                           f"({SCHEMA_VERSION}); upgrade geo-events")
        if version < SCHEMA_VERSION:
            if self.read_only:
                what = "not a geo database" if version == 0 else f"schema version {version} is older than {SCHEMA_VERSION}"
                raise GeoError(f"{self.path}: {what}; open it read-write once (for example "
                               f"`geo sql --write --db {self.path} \"SELECT 1\"`) to create/migrate it")
            migrate(self.con, version)
        # The spatial extension (and with it the events_geo / places_geo views) is loaded on first
        # use, not here: loading it takes about 0.3 s, which an ingest does not need.
        self._spatial_error: str | None = _UNSET  # type: ignore[assignment]

    def _rebuild_indexes(self) -> None:
        """Rebuild the secondary indexes from their tables, after a crash.

        DuckDB 1.5.5 can replay a WAL into a corrupt secondary ART index (duckdb#25928): after a
        SIGKILL, ``WHERE article_id = ?`` then missed rows that a scan finds, so a re-run merged
        events wrongly. Found by tests/test_kill_loop.py; costs one pass over the tables, only when
        a WAL was left behind."""
        for name, sql in self.con.execute(
                "SELECT index_name, sql FROM duckdb_indexes() WHERE NOT is_unique AND NOT is_primary "
                "AND schema_name = 'main'").fetchall():
            self.con.execute(f'DROP INDEX "{name}"')
            self.con.execute(sql)
        self.con.execute("CHECKPOINT")

    def _missing_geo_views(self) -> list[str]:
        existing = {r[0] for r in self.con.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        return [sql for sql in GEO_VIEWS if sql.split(" VIEW ")[1].split()[0] not in existing]

    def ensure_spatial(self) -> str | None:
        """Load the spatial extension (once; about 0.3 s, so it is done only when needed) and make
        sure events_geo / places_geo exist (persistent when read-write, else TEMP views).
        Returns None when spatial SQL works, else the message saying what is missing."""
        if self._spatial_error is _UNSET:
            self._spatial_error = load_spatial(self.con)
            if self._spatial_error is None:
                for sql in self._missing_geo_views():
                    self.con.execute(sql.format(temp="TEMP" if self.read_only else ""))
        return self._spatial_error

    @property
    def spatial_error(self) -> str | None:
        """None when the spatial extension is loaded (loading it if needed), else why it cannot be."""
        return self.ensure_spatial()

    @property
    def spatial(self) -> bool:
        return self.spatial_error is None

    # context manager ----------------------------------------------------------------------------
    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        con = getattr(self, "con", None)
        if con is not None:
            con.close()
            self.con = None  # type: ignore[assignment]

    # ingest ---------------------------------------------------------------------------------
    def article_state(self, article: Article) -> Literal["new", "unchanged", "changed"]:
        """'new' (not stored), 'unchanged' (same content hash of title+text+published) or 'changed'."""
        return self.article_states([article])[0]

    def article_states(self, articles: Sequence[Article]) -> list[Literal["new", "unchanged", "changed"]]:
        """`article_state` of each article, in one query."""
        if not articles:
            return []
        stored = dict(self.con.execute("SELECT id, content_hash FROM articles WHERE id IN "
                                       f"(SELECT unnest({sql_list(a.id for a in articles)}))").fetchall())
        return ["new" if a.id not in stored else "unchanged" if stored[a.id] == content_hash(a) else "changed"
                for a in articles]

    def put(self, article: Article, mentions: list[Mention], events: list[Event]) -> None:
        """Store one article with its mentions and events, in ONE transaction (see `put_batch`)."""
        self.put_batch([(article, mentions, events)])

    def put_batch(self, items: Sequence[Item]) -> None:
        """Store articles with their mentions and events in ONE transaction, as if put one by one.

        Each article is upserted; its old mentions and event sources are removed; events left with
        no source are kept only long enough to be reused by a new reading of the same incident (so
        an edited article keeps its event ids), then deleted. Each event is merged into an existing
        event when `same_incident` says so (an event of another article, or an event this article
        reported before), otherwise inserted with `make_event_id`. A merged event keeps its id and
        is recomputed from all its sources by `merge_readings` (counts: highest 'reported' figure,
        else the lowest). `event.event_id` is set on every stored Event. An article may appear
        more than once (the later one replaces the earlier). On error the transaction is rolled
        back and nothing of the batch changes.
        """
        if not items:
            return
        self._write(items, stamps=self._stamps(len(items)))

    def delete_article(self, article_id: str) -> None:
        """Remove an article, its mentions and its event sources (recomputing shared events)."""
        self._write([], stamps=self._stamps(1), remove=article_id)

    def _stamps(self, n: int) -> list[dt.datetime]:
        """One timestamp per article of a batch, increasing, and later than every stored source (the
        merge orders readings by when they were added)."""
        now = dt.datetime.now()
        last = self.con.execute("SELECT max(added_at) FROM event_sources").fetchone()[0]
        if last is not None and last >= now:
            now = last + dt.timedelta(microseconds=1)
        return [now + dt.timedelta(microseconds=i) for i in range(n)]

    def _write(self, items: Sequence[Item], stamps: list[dt.datetime], remove: str | None = None) -> None:
        con, w = self.con, self._writer
        ids = [a.id for a, _, _ in items] + ([remove] if remove else [])
        con.execute("BEGIN TRANSACTION")
        try:
            merge = self._merge_state(items, ids)
            if remove:
                merge.add_article(remove, [], stamps[0])
            for (article, _, events), stamp in zip(items, stamps):
                merge.add_article(article.id, events, stamp)
            last: dict[str, tuple[Item, dt.datetime]] = {a.id: ((a, m, e), s) for (a, m, e), s in zip(items, stamps)}
            w.delete_in("mentions", "article_id", ids)
            w.delete_in("event_sources", "article_id", ids)
            w.delete_in("events", "event_id", merge.rewritten_ids())
            if remove:
                w.delete_in("articles", "id", [remove])
            w.insert("articles", [_article_row(a, s) for (a, _, _), s in last.values()], verb="INSERT OR REPLACE")
            self._put_places(items)
            w.insert("mentions", [_mention_row(a.id, m) for (a, ms, _), _ in last.values() for m in ms])
            w.insert("events", merge.changed_rows())
            w.insert("event_sources", merge.sources_of(ids))
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            for _, _, events in items:
                for event in events:
                    event.event_id = None
            raise

    def _merge_state(self, items: Sequence[Item], ids: list[str]) -> BatchMerge:
        """Load, in four set-based queries, every stored event that a reading of the batch could
        merge with (same type, date within MERGE_DAYS, and the same place, admin1, country or a point
        within MERGE_KM: what `same_incident` can accept) or that the batch's articles already
        source; their sources; and the stored ids a new event id of the batch could collide with."""
        w, con = self._writer, self.con
        readings = [{"type": e.type, "date": as_date(e.date), "place_id": e.place_id, "admin1": e.admin1,
                     "country": e.country.upper() if e.country else None, "lat": e.lat, "lon": e.lon}
                    for _, _, events in items for e in events if as_date(e.date) is not None]
        types = {"type": "VARCHAR", "date": "DATE", "place_id": "VARCHAR", "admin1": "VARCHAR",
                 "country": "VARCHAR", "lat": "DOUBLE", "lon": "DOUBLE"}
        bases = sql_list(make_event_id(e, a.id) for a, _, events in items for e in events)
        with w.scan(readings, types) as batch_readings:
            cands = [r[0] for r in con.execute(f"""
                WITH r AS (SELECT DISTINCT type, CAST(date + CAST(k.range AS INTEGER) AS DATE) AS day,
                                  place_id, admin1, country, lat, lon
                           FROM {batch_readings}, range(-{MERGE_DAYS}, {MERGE_DAYS} + 1) k)
                SELECT DISTINCT e.event_id FROM events e JOIN r ON e.type = r.type AND e.date = r.day
                WHERE e.place_id = r.place_id OR e.admin1 = r.admin1 OR upper(e.country) = r.country
                   OR (e.lat IS NOT NULL AND r.lat IS NOT NULL
                       AND 2 * 6371.0088 * asin(least(1.0, sqrt(
                             pow(sin(radians(r.lat - e.lat) / 2), 2)
                             + cos(radians(e.lat)) * cos(radians(r.lat)) * pow(sin(radians(r.lon - e.lon) / 2), 2))))
                           <= {MERGE_KM} + 0.01)
                UNION
                SELECT event_id FROM event_sources WHERE article_id IN (SELECT unnest({sql_list(ids)}))""").fetchall()]
        taken = {r[0] for r in con.execute(
            f"SELECT event_id FROM events WHERE split_part(event_id, '-', 1) IN (SELECT unnest({bases}))").fetchall()}
        rows: list[dict[str, Any]] = []
        sources: list[dict[str, Any]] = []
        if cands:
            among = f"IN (SELECT unnest({sql_list(cands)}))"
            rows = _dicts(con.execute(f"SELECT * FROM events WHERE event_id {among}"))
            sources = _dicts(con.execute(
                "SELECT event_id, article_id, evidence, char_start, char_end, spans, added_at, "
                f"{', '.join(READING)} FROM event_sources WHERE event_id {among}"))
        return BatchMerge(rows, sources, taken)

    def _put_places(self, items: Sequence[Item]) -> None:
        """The gazetteer rows of the batch's mentions (the last one of each id wins), and a minimal
        row for an event's place that no mention carries (e.g. a country-level event), kept only
        where no row of that id exists: as INSERT OR REPLACE, then INSERT OR IGNORE, in order."""
        full: dict[str, dict[str, Any]] = {}
        minimal: dict[str, dict[str, Any]] = {}
        for _, mentions, events in items:
            mine = {}
            for m in mentions:
                p = m.place
                if p is not None:
                    mine[p.id] = {"id": p.id, "name": p.name, "feature": p.feature, "country": p.country,
                                  "admin1": p.admin1, "admin2": p.admin2, "lat": p.lat, "lon": p.lon,
                                  "population": p.population, "geonameid": p.geonameid, "code": p.code}
            full.update(mine)
            for e in events:
                if e.place_id and e.place_id not in mine and e.place_id not in full:
                    minimal.setdefault(e.place_id, {
                        "id": e.place_id, "name": e.place, "country": e.country, "admin1": e.admin1,
                        "lat": e.lat, "lon": e.lon, "geonameid": e.geonameid,
                        "feature": e.precision if e.precision in _PLACE_FEATURES else "locality"})
        self._writer.insert("places", list(full.values()), verb="INSERT OR REPLACE")
        self._writer.insert("places", [r for k, r in minimal.items() if k not in full], verb="INSERT OR IGNORE")

    # reading ------------------------------------------------------------------------------------
    # reading ------------------------------------------------------------------------------------
    def events(self, flt: EventFilter | None = None) -> list[dict]:
        """Stored events as flat dicts keyed by EVENT_FIELDS, then extra keys.

        `date` is an ISO string, `articles` a list of article ids (in the order they were added),
        `evidence` the evidence texts joined by " … ". Extra keys: `evidence_spans` (list of
        {article, start, end}), `sources` (the articles' publishers, else their ids),
        `admin1_name` (from the stored admin1 place row, else None), `n_sources`.
        """
        from geo.store.queries import filter_sql

        where, params = filter_sql(flt)
        sql = f"""
            SELECT e.*,
                   (SELECT list(s.spans ORDER BY s.added_at, s.article_id, s.char_start)
                      FROM event_sources s WHERE s.event_id = e.event_id) AS _spans,
                   (SELECT list(coalesce(a.source, a.id) ORDER BY s.added_at, s.article_id)
                      FROM event_sources s LEFT JOIN articles a ON a.id = s.article_id
                     WHERE s.event_id = e.event_id) AS _sources,
                   (SELECT any_value(p.name) FROM places p
                     WHERE p.feature = 'admin1' AND p.admin1 = e.admin1) AS _admin1_name
            FROM events e {where}
            ORDER BY e.date NULLS LAST, e.event_id"""
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        out = []
        for row in cur.fetchall():
            r = dict(zip(names, row))
            d = {f: r.get(f) for f in EVENT_FIELDS}
            d["date"] = r["date"].isoformat() if r.get("date") else None
            d["articles"] = list(r.get("articles") or [])
            spans: list[dict] = []
            for s in r.get("_spans") or []:
                spans.extend(json.loads(s) if s else [])
            d["evidence_spans"] = spans
            d["sources"] = list(dict.fromkeys(r.get("_sources") or []))
            d["admin1_name"] = r.get("_admin1_name")
            d["n_sources"] = r.get("n_sources")
            out.append(d)
        return out



def _article_row(a: Article, stamp: dt.datetime) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "source": a.source, "url": a.url, "published": as_date(a.published),
            "text": a.text, "content_hash": content_hash(a), "ingested_at": stamp, "origin": a.origin}


def _mention_row(article_id: str, m: Mention) -> dict[str, Any]:
    return {"article_id": article_id, "char_start": m.start, "char_end": m.end, "surface": m.surface,
            "place_id": m.place.id if m.place else None, "use": m.use, "score": float(m.score or 0.0)}


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]
