"""The main job: read -> geoparse -> extract -> store, streamed in batches, serial or on Dask.

`ingest_paths` is what `geo ingest` does; `run_job` is what `geo run` (and `geo` with no arguments)
does. Articles stream through in batches of `batch_size`: memory is bounded by the batch, not the
corpus. Each batch is geoparsed article by article, its events extracted with ONE
`extract_articles` call (so a parser runs once over the batch), and stored in ONE transaction
(`Store.put_batch`); between two batches the database file is released, so `geo sql`, `geo map`
or a notebook can read it while a long backfill goes on (a reader opening it during a write waits
for the commit: `GEO_LOCK_WAIT`).

Error policy: a bad record (unreadable file, bad JSON line, bad date ...) or an article that fails
to geoparse, extract or store is reported to `on_problem` as it happens and skipped; every good
record is stored; `IngestReport.failed` counts them. A problem that is not `fatal` (e.g. an
article truncated at a size limit) is a warning and the article is stored. With `strict=True` the
run stops at the first bad record (everything before it is stored) and `StrictStop` is raised.

On Dask (`workers=N` starts a LocalCluster of N one-thread processes; `scheduler="tcp://host:port"`
uses a running cluster), workers geoparse and extract whole batches (each loads the gazetteer once),
and this process, the one writer, stores their results in input order, so the database is identical
to a serial run's.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Union

from geo.errors import GeoError, InputError
from geo.models import Article, Event, Mention
from geo.read import read_paths

DEFAULT_BATCH = 500
WRITER_WAIT = 300.0  # seconds an ingest waits for readers to release the file before a batch
Item = tuple[Article, list[Mention], list[Event]]


@dataclass(frozen=True)
class Problem:
    """One bad record or article: where (``FILE:LINE`` or the article id) and what went wrong."""

    where: str
    message: str
    fatal: bool = True

    def line(self) -> str:
        return f"{'error' if self.fatal else 'warning'}: {self.where}: {self.message}"


Outcome = Union[Item, Problem]


class StrictStop(GeoError):
    """`strict=True` and a record failed: the run stopped there (everything before it is stored)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.line())


@dataclass
class IngestReport:
    """What one ingest did: counts only, so a run of any size keeps a report of a few bytes."""

    db: Path
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    warnings: int = 0
    mentions: int = 0
    events: int = 0
    seconds: float = 0.0
    processing: int = 0  # geoparsed, not yet stored (progress display)

    @property
    def articles(self) -> int:
        """Articles read and accounted for (stored, unchanged or failed)."""
        return self.new + self.updated + self.unchanged + self.failed

    @property
    def rate(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def render(self) -> str:
        failed = f", {self.failed} failed" if self.failed else ""
        warned = f", {self.warnings} warning{'s' if self.warnings != 1 else ''}" if self.warnings else ""
        return (f"{self.db}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged articles"
                f"{failed}{warned}; {self.mentions} place mentions, {self.events} events extracted "
                f"in {self.seconds:.1f} s ({self.rate:,.0f} articles/s)")


def samples_dir() -> Path:
    """The embedded sample corpus (data/samples, installed as the geo_data package)."""
    return Path(str(resources.files("geo_data") / "samples"))


# --- the stages of one batch (run here or on a Dask worker) -----------------------------------
def _where(article: Article) -> str:
    return article.origin or article.id


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def process_batch(articles: list[Article], tick: Callable[[], None] | None = None) -> list[Outcome]:
    """Geoparse each article and extract the events of the batch in one `extract_articles` call.

    Returns one outcome per article, in order: (article, mentions, events), or a Problem naming the
    article when a stage raised (an extraction failure is isolated by retrying article by article).
    `tick` is called after each article is geoparsed (progress display).
    """
    from geo.extraction import extract_articles
    from geo.geoparser import geoparse_article

    out: list[Outcome | None] = [None] * len(articles)
    parsed: list[tuple[int, Article, list[Mention]]] = []
    for i, a in enumerate(articles):
        try:
            parsed.append((i, a, geoparse_article(a)))
        except Exception as e:  # noqa: BLE001 - one article's failure must not stop the run
            out[i] = Problem(_where(a), f"could not geoparse: {_describe(e)}")
        if tick is not None:
            tick()
    try:
        events = extract_articles([(a, m) for _, a, m in parsed])
    except Exception:  # noqa: BLE001 - find the article that fails, keep the others
        events = []
        for i, a, m in parsed:
            try:
                events.append(extract_articles([(a, m)])[0])
            except Exception as e:  # noqa: BLE001
                events.append(None)
                out[i] = Problem(_where(a), f"could not extract events: {_describe(e)}")
    for (i, a, m), evs in zip(parsed, events):
        if evs is not None:
            out[i] = (a, m, evs)
    return out  # type: ignore[return-value]


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive batches of at most `size` articles; an id already in the batch starts a new one
    (the later record replaces the earlier, so it must be stored after it)."""
    batch: list[Article] = []
    ids: set[str] = set()
    try:
        for a in articles:
            if len(batch) >= size or a.id in ids:
                yield batch
                batch, ids = [], set()
            batch.append(a)
            ids.add(a.id)
    except StrictStop:
        if batch:
            yield batch  # what was read before the bad record is stored
        raise
    if batch:
        yield batch


# --- one ingest ---------------------------------------------------------------------------------
class _Run:
    """State of one ingest: the report, the problem callback and the strict policy."""

    def __init__(self, db: Path, strict: bool, on_problem: Callable[[Problem], None] | None,
                 on_progress: Callable[[IngestReport], None] | None) -> None:
        self.report = IngestReport(db=Path(db))
        self.strict = strict
        self.on_problem = on_problem
        self.on_progress = on_progress
        self.started = time.perf_counter()
        self._last_tick = 0.0

    def problem(self, p: Problem) -> None:
        if p.fatal:
            self.report.failed += 1
        else:
            self.report.warnings += 1
        if self.on_problem is not None:
            self.on_problem(p)
        if p.fatal and self.strict:
            raise StrictStop(p)

    def read_error(self, e: InputError) -> None:
        self.problem(Problem(e.where, e.message, fatal=getattr(e, "fatal", True)))  # where: a long path abbreviated

    def progress(self) -> None:
        self.report.seconds = time.perf_counter() - self.started
        if self.on_progress is not None:
            self.on_progress(self.report)

    def tick(self) -> None:
        """One more article geoparsed (serial engine); the display is refreshed at most 10 times a second."""
        self.report.processing += 1
        now = time.perf_counter()
        if now - self._last_tick >= 0.1:
            self._last_tick = now
            self.progress()

    @contextmanager
    def store(self) -> Iterator[Any]:
        """The database, opened for one step and released after it (readers get in between). A
        reader holding the file makes the ingest wait up to WRITER_WAIT s (or $GEO_LOCK_WAIT if longer)."""
        from geo.store import Store, lock_wait

        with Store(self.report.db, wait=max(lock_wait(), WRITER_WAIT)) as store:
            yield store

    def to_process(self, batch: list[Article]) -> list[Article]:
        """The batch without its articles already stored with the same content (counted unchanged)."""
        with self.store() as store:
            states = store.article_states(batch)
        todo = [a for a, s in zip(batch, states) if s != "unchanged"]
        self.report.unchanged += len(batch) - len(todo)
        return todo

    def write(self, outcomes: list[Outcome]) -> None:
        """Store a processed batch in input order: one transaction, or article by article when
        the batch fails, so only the article that cannot be stored is lost (and reported)."""
        if not outcomes:  # the whole batch was unchanged
            self.progress()
            return
        items: list[Item] = []
        stop: Problem | None = None
        for o in outcomes:
            if isinstance(o, Problem):
                if self.strict:
                    stop = o
                    break
                self.problem(o)
            else:
                items.append(o)
        with self.store() as store:
            states = store.article_states([a for a, _, _ in items])  # an earlier batch may have stored one
            todo = [(it, s) for it, s in zip(items, states) if s != "unchanged"]
            self.report.unchanged += len(items) - len(todo)
            try:
                store.put_batch([it for it, _ in todo])
                stored = todo
            except Exception:  # noqa: BLE001 - isolate the article that cannot be stored
                stored = []
                for it, s in todo:
                    try:
                        store.put(*it)
                        stored.append((it, s))
                    except Exception as e:  # noqa: BLE001
                        self.problem(Problem(_where(it[0]), f"could not store: {_describe(e)}"))
        self.report.processing = 0
        for (_, mentions, events), s in stored:
            if s == "new":
                self.report.new += 1
            else:
                self.report.updated += 1
            self.report.mentions += sum(m.place is not None for m in mentions)
            self.report.events += len(events)
        self.progress()
        if stop is not None:
            self.problem(stop)


def ingest_paths(paths: list[str], db: Path, published: dt.date | None = None, *,
                 batch_size: int = DEFAULT_BATCH, strict: bool = False, workers: int = 0,
                 scheduler: str | None = None, on_problem: Callable[[Problem], None] | None = None,
                 on_progress: Callable[[IngestReport], None] | None = None) -> IngestReport:
    """Ingest files/folders/stdin into `db`, streaming in batches (see the module docstring).

    Articles whose content is unchanged are skipped. Raises StrictStop (strict) after storing
    everything before the first bad record; the report is then on the exception's `report`.
    """
    if batch_size < 1:
        raise GeoError(f"--batch-size must be at least 1 (got {batch_size})")
    run = _Run(Path(db), strict, on_problem, on_progress)
    with run.store():
        pass  # create or migrate the database (and fail early on a lock) before reading anything
    run.progress()
    articles = read_paths(paths, published, on_error=run.read_error)
    batches = map(run.to_process, _batches(articles, batch_size))
    try:
        with _engine(workers, scheduler, tick=run.tick) as process:
            for outcomes in process(batches):
                run.write(outcomes)
    except StrictStop as e:
        run.progress()
        e.report = run.report  # type: ignore[attr-defined]
        raise
    run.progress()
    return run.report


# --- engines: serial or Dask ----------------------------------------------------------------------
Engine = Callable[[Iterator[list[Article]]], Iterator[list[Outcome]]]


def _serial(batches: Iterator[list[Article]], tick: Callable[[], None] | None = None) -> Iterator[list[Outcome]]:
    for todo in batches:
        yield process_batch(todo, tick) if todo else []


@contextmanager
def _engine(workers: int, scheduler: str | None, tick: Callable[[], None] | None = None) -> Iterator[Engine]:
    """The serial engine, or a Dask client (a LocalCluster of `workers` processes, or `scheduler`)."""
    if not workers and not scheduler:
        yield lambda batches: _serial(batches, tick)
        return
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as e:
        raise GeoError("--workers/--scheduler need Dask: pip install 'geo-events[dask]'") from e
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout=10)
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=40)
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        raise GeoError(f"cannot reach the Dask scheduler {scheduler or '(local cluster)'}: {_describe(e)}") from e
    try:
        n = max(1, len(client.scheduler_info().get("workers", {})) or workers or 1)
        yield lambda batches: _on_dask(client, batches, in_flight=2 * n)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _on_dask(client: Any, batches: Iterator[list[Article]], in_flight: int) -> Iterator[list[Outcome]]:
    """Submit batches to the workers, at most `in_flight` at a time (memory stays bounded), and
    yield their outcomes in submission order, so the one writer stores them in input order."""
    pending: deque[Any] = deque()
    try:
        for todo in batches:
            pending.append(client.submit(process_batch, todo, pure=False) if todo else None)
            while len(pending) >= in_flight:
                f = pending.popleft()
                yield f.result() if f is not None else []
    finally:  # also when reading stopped (--strict): what was submitted before is still stored
        while pending:
            f = pending.popleft()
            yield f.result() if f is not None else []


# --- the main job -------------------------------------------------------------------------------
@dataclass
class JobSummary:
    report: IngestReport
    map_path: Path
    geojson_path: Path
    stored_events: int

    def render(self) -> str:
        return "\n".join([
            self.report.render(),
            f"events in database: {self.stored_events}",
            f"database: {self.report.db}",
            f"map:      {self.map_path}",
            f"geojson:  {self.geojson_path}",
        ])


def run_job(paths: list[str] | None, db: Path, map_path: Path, geojson_path: Path,
            published: dt.date | None = None, **ingest: Any) -> JobSummary:
    """Ingest (default: the embedded samples), then write the HTML map and the GeoJSON.

    Keyword arguments go to `ingest_paths` (batch_size, strict, workers, on_problem, ...)."""
    from geo.export import EventFilter, export_events
    from geo.maps import render_db_map
    from geo.store import Store

    Path(db).parent.mkdir(parents=True, exist_ok=True)
    report = ingest_paths(paths or [str(samples_dir())], db=db, published=published, **ingest)
    geojson_path.parent.mkdir(parents=True, exist_ok=True)
    export_events(db, "geojson", geojson_path, EventFilter())
    render_db_map(db, map_path)
    with Store(db, read_only=True) as store:
        stored = store.con.execute("SELECT count(*) FROM events").fetchone()[0]
    return JobSummary(report=report, map_path=map_path, geojson_path=geojson_path, stored_events=stored)
