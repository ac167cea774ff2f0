"""Property-based fuzzing of the readers and of the whole pipeline (hypothesis).

Generated and mutated records in every input format (.jsonl, .csv, .txt/.md with front matter,
.html): hostile values (lone surrogates, NUL, 400-digit numbers, 1e999, year 9999, deep JSON,
objects where strings belong, 1,500-character words, unclosed tags) mixed into ordinary news
sentences. Properties:

- the reader never raises with ``on_error`` (and only InputError without it); every problem is one
  line; every article it yields is within the limits and storable;
- read -> geoparse -> extract -> store on a real DuckDB file never raises; every stored event has a
  valid type, a date or null inside the plausible range, coordinates in range and counts that fit;
- every good record of a mixed batch is stored.

CI runs a fixed, derandomized budget; ``GEO_FUZZ_EXAMPLES=5000`` (per property) runs a larger,
random one locally, e.g. ``GEO_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz.py``.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
import warnings
from itertools import count
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geo.errors import InputError, InputWarning
from geo.extraction import extract_article
from geo.geoparser import geoparse_article
from geo.limits import EARLIEST_DATE, LATEST_DATE, Limits
from geo.models import EVENT_TYPES, Article
from geo.numbers import MAX_COUNT
from geo.read import read_paths
from geo.store import Store

BUDGET = int(os.environ.get("GEO_FUZZ_EXAMPLES", "0") or 0)


def fuzz_settings(ci_examples: int):
    """A fixed, derandomized budget in CI; GEO_FUZZ_EXAMPLES examples, random, when set."""
    return settings(max_examples=BUDGET or ci_examples, derandomize=not BUDGET, deadline=None,
                    database=None, suppress_health_check=list(HealthCheck))


# ---------------------------------------------------------------- building blocks (our own text)

PLACES = ["Kharkiv", "Odesa", "Sumy", "Dnipro", "Kherson", "Belgorod", "Lviv", "Zaporizhzhia", "Kyiv",
          "Khan Younis", "Sagaing", "Goma", "Izmail", "Donetsk", "Washington"]
SENTENCES = [
    "Russian drones struck {p} on Monday, killing {n} people.",
    "Air defence shot down {n} drones over the {p} region overnight.",
    "A missile hit an energy facility in {p}, leaving {n} homes without power.",
    "Hundreds of protesters rallied in {p} on Saturday.",
    "Delegations met in {p} for talks on a ceasefire yesterday.",
    "Forces captured the village near {p} last week, officials claimed.",
    "Shelling damaged a school in {p} on 19 November 2025.",
    "The two sides exchanged {n} prisoners in {p}.",
    "Residents of {p} spent the night in shelters.",
]
HOSTILE = [
    "\ud800", "\udfff", "\ud83d", "\x00", "\u2028", "\u0085", "\ufeff", "\r", "\r\n", "\t", "\x1b[31m",
    "9" * 400, "1e999", "1" + "0" * 30 + " million", "9,223,372,036,854,775,808", "99999999999999999999 drones",
    "99999999999 days ago", "5000 years ago", "on 9999-12-31", "on 0001-01-01", "on 31 December 9999",
    "<", "</", "<!--", "&#xd800;", "&#99999999;", "<script>", "]]>", "[[[[", "{{{{", '"', "\\",
    "x" * 1500, "Mr. " * 40, "a." * 200, "---", "published: 9999-12-31", "Kharkiv " * 60,
    "drone strike, " * 30, "\n\n\n", "  ", "…", "ー", "Ꙭ", "🇺🇦",
]
GOOD_DATES = ["2025-11-20", "2025-11-20T08:30:00Z", "Thu, 20 Nov 2025 08:30:00 +0000", "20 November 2025", None]
BAD_DATES = ["someday", "2025-13-01", "99999-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "", "   ",
             "Fri, 31 Dec 9999 23:00:00 -1200", "2025-02-30", "x" * 500]

sentence = st.builds(lambda t, p, n: t.format(p=p, n=n), st.sampled_from(SENTENCES), st.sampled_from(PLACES),
                     st.integers(1, 400))
good_text = st.lists(sentence, min_size=1, max_size=5).map(" ".join)
hostile_text = st.lists(st.one_of(sentence, st.sampled_from(HOSTILE), st.text(max_size=30)),
                        min_size=0, max_size=8).map("".join)
any_text = st.one_of(good_text, hostile_text)
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=10**20, max_value=10**40),
                        st.floats(allow_nan=True, allow_infinity=True), any_text)
json_value = st.recursive(json_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                          max_leaves=6)
hostile_date = st.one_of(st.sampled_from(BAD_DATES + GOOD_DATES), json_value)


@st.composite
def bad_record(draw) -> dict:
    """A record with at least one hostile field (it may still be readable, with a warning)."""
    rec = {k: draw(st.one_of(any_text, json_value)) for k in draw(st.sets(st.sampled_from(
        ["id", "title", "source", "url", "file"]), max_size=5))}
    if draw(st.booleans()):
        rec["published"] = draw(hostile_date)
    rec["text"] = draw(st.one_of(hostile_text, json_value, good_text))
    if isinstance(rec.get("id"), str) and rec["id"].startswith("good-"):
        rec["id"] = "x" + rec["id"]
    return rec


def good_record(n: int, text: str, published: str | None, title: str | None) -> dict:
    rec = {"id": f"good-{n}", "text": text}
    if published is not None:
        rec["published"] = published
    if title is not None:
        rec["title"] = title
    return rec


# ---------------------------------------------------------------- serialisation and mutation

def to_jsonl_line(rec: object, ascii_only: bool) -> str:
    return json.dumps(rec, ensure_ascii=ascii_only, allow_nan=True)


def to_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = ["id", "title", "published", "source", "url", "text"]
    w.writerow(names)
    for r in rows:
        w.writerow(["" if r.get(k) is None else str(r.get(k)) for k in names])
    return buf.getvalue()


def to_md(rec: dict, front: bool) -> str:
    head = ""
    if front:
        head = "---\n" + "".join(f"{k}: {v}\n" for k, v in rec.items() if k != "text" and v is not None) + "---\n"
    return head + str(rec.get("title") or "") + "\n" + str(rec.get("text", "")) + "\n"


def to_html(rec: dict) -> str:
    date = rec.get("published")
    meta = f'<meta name="date" content="{date}">' if date is not None else ""
    body = "".join(f"<p>{p}</p>" for p in str(rec.get("text", "")).split(". "))
    return (f"<html><head><title>{rec.get('title') or ''}</title>{meta}</head>"
            f"<body><nav>Menu</nav><article>{body}</article></body></html>")


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """Byte-level mutations of a serialised file: flips, cuts, insertions, repeats."""
    out = bytearray(data)
    for _ in range(draw(st.integers(0, 4))):
        if not out:
            out.extend(draw(st.binary(max_size=20)))
            continue
        i = draw(st.integers(0, len(out) - 1))
        op = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "truncate"]))
        if op == "flip":
            out[i] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del out[i:i + draw(st.integers(1, 50))]
        elif op == "insert":
            junk = draw(st.one_of(st.binary(max_size=20), st.sampled_from(
                [b"[" * 200, b"{\"a\":" * 100, b"\xed\xa0\x80", b"\xff\xfe", b"\"", b"\n", b"\r", b"<", b"---\n",
                 b"\\ud800", b"1" * 5000])))
            out[i:i] = junk
        elif op == "repeat":
            out[i:i] = out[i:i + 40] * draw(st.integers(1, 30))
        else:
            del out[i:]
    return bytes(out)


SUFFIXES = [".jsonl", ".csv", ".md", ".txt", ".html"]


@st.composite
def hostile_file(draw) -> tuple[str, bytes]:
    """(suffix, bytes) of one file of any format, built from hostile records, maybe mutated."""
    suffix = draw(st.sampled_from(SUFFIXES))
    recs = draw(st.lists(bad_record(), min_size=1, max_size=6))
    if suffix == ".jsonl":
        text = "\n".join(to_jsonl_line(r, draw(st.booleans())) for r in recs) + "\n"
    elif suffix == ".csv":
        text = to_csv(recs)
    elif suffix == ".html":
        text = to_html(recs[0])
    else:
        text = to_md(recs[0], draw(st.booleans()))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = draw(mutated(data))
    return suffix, data


# ---------------------------------------------------------------- checks

LIMITS = Limits()
_SURROGATE = re.compile("[\ud800-\udfff]")


def check_article(a: Article) -> None:
    assert isinstance(a.id, str) and a.id and len(a.id) <= LIMITS.id_chars
    assert isinstance(a.text, str) and a.text.strip() and len(a.text) <= LIMITS.article_chars
    for value in (a.id, a.title, a.source, a.url, a.text, a.origin):
        assert value is None or (isinstance(value, str) and not _SURROGATE.search(value))
    assert a.published is None or EARLIEST_DATE <= a.published <= LATEST_DATE
    a.text.encode("utf-8")


def check_problem(p: InputError) -> None:
    assert isinstance(p, InputError) and "\n" not in str(p) and p.path
    assert p.fatal in (True, False)


def read_all(paths: list[str]) -> tuple[list[Article], list[InputError]]:
    problems: list[InputError] = []
    articles = list(read_paths(paths, on_error=problems.append))
    for a in articles:
        check_article(a)
    for p in problems:
        check_problem(p)
    return articles, problems


def check_events(store: Store) -> int:
    rows = store.con.execute(
        "SELECT type, date, lat, lon, quantity, fatalities, injured, missing, affected, claim_status FROM events"
    ).fetchall()
    for etype, date, lat, lon, *counts, claim in rows:
        assert etype in EVENT_TYPES
        assert date is None or (isinstance(date, dt.date) and EARLIEST_DATE <= date <= LATEST_DATE)
        assert (lat is None) == (lon is None)
        assert lat is None or (-90 <= lat <= 90 and -180 <= lon <= 180)
        assert all(c is None or 0 <= c <= MAX_COUNT for c in counts)
        assert claim in ("reported", "claimed", "disputed", "anticipated", "cancelled")
    return len(rows)


# ---------------------------------------------------------------- properties

_files = count()


@fuzz_settings(ci_examples=200)
@given(st.lists(hostile_file(), min_size=1, max_size=4))
def test_reader_never_raises_and_yields_only_storable_articles(files: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as d:
        paths = []
        for suffix, data in files:
            path = Path(d) / f"f{next(_files)}{suffix}"
            path.write_bytes(data)
            paths.append(str(path))
        read_all(paths + [d])  # each file alone, then the folder
        with warnings.catch_warnings():  # without on_error: InputError, or InputWarning as a warning
            warnings.simplefilter("ignore", InputWarning)
            try:
                list(read_paths(paths))
            except InputError:
                pass


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, gaz):
    with Store(tmp_path_factory.mktemp("fuzz") / "fuzz.duckdb") as s:
        yield s


_batches = count()


@st.composite
def mixed_batch(draw) -> tuple[dict[str, bytes], set[str]]:
    """Files of every format mixing good records (ids good-N) with hostile ones, and the good ids."""
    b = next(_batches)
    files: dict[str, bytes] = {}
    good: set[str] = set()
    n = count()

    def a_good(rid: str | None = None) -> dict:
        rec = good_record(next(n), draw(good_text), draw(st.sampled_from(GOOD_DATES)),
                          draw(st.one_of(st.none(), st.sampled_from(PLACES))))
        rec["id"] = rid or f"good-{b}-{rec['id'][5:]}"
        good.add(rec["id"])
        return rec

    lines = [to_jsonl_line(a_good(), draw(st.booleans())) for _ in range(draw(st.integers(1, 3)))]
    bad_lines = [to_jsonl_line(r, draw(st.booleans())) for r in draw(st.lists(bad_record(), max_size=3))]
    bad_lines += [draw(mutated(b'{"id": "m", "text": "Drones hit Sumy."}')).decode("utf-8", "replace")
                  for _ in range(draw(st.integers(0, 2)))]
    files[f"b{b}.jsonl"] = ("\n".join(draw(st.permutations(lines + bad_lines))) + "\n").encode("utf-8", "surrogatepass")
    rows = [a_good() for _ in range(draw(st.integers(0, 2)))]
    rows += [{"id": f"bad-{b}-{i}", "text": draw(st.sampled_from(["", "  "])), "published": draw(hostile_date)}
             for i in range(draw(st.integers(0, 2)))]
    files[f"b{b}.csv"] = to_csv(draw(st.permutations(rows))).encode("utf-8", "surrogatepass")
    for i in range(draw(st.integers(0, 2))):  # a text file's id is its name
        rec = a_good(f"b{b}-md{i}")
        files[f"{rec['id']}.md"] = to_md({k: v for k, v in rec.items() if k != "id"}, draw(st.booleans())).encode()
    for i in range(draw(st.integers(0, 1))):
        rec = a_good(f"b{b}-page{i}")
        files[f"{rec['id']}.html"] = to_html(rec).encode()
    for i, (suffix, data) in enumerate(draw(st.lists(hostile_file(), max_size=2))):
        files[f"b{b}-hostile{i}{suffix}"] = data
    return files, good


@fuzz_settings(ci_examples=20)
@given(mixed_batch())
def test_pipeline_stores_every_good_record_and_only_valid_events(store: Store, batch) -> None:
    files, good = batch
    with tempfile.TemporaryDirectory() as d:
        for name, data in files.items():
            (Path(d) / name).write_bytes(data)
        articles, problems = read_all([d])
        for article in articles:
            mentions = geoparse_article(article)
            store.put(article, mentions, extract_article(article, mentions))
    stored = {r[0] for r in store.con.execute("SELECT id FROM articles").fetchall()}
    assert good <= stored, (sorted(good - stored), [str(p) for p in problems])
    check_events(store)
    orphans = store.con.execute(
        "SELECT count(*) FROM event_sources s LEFT JOIN events e USING (event_id) WHERE e.event_id IS NULL"
    ).fetchone()[0]
    assert orphans == 0


def test_the_issue_signatures_one_record_each(store: Store, tmp_path: Path) -> None:
    """One record for each traceback signature of issue 16: all stored or refused in one line."""
    s = "Russian drones struck Kharkiv on Monday, killing 3 people."
    lines = [
        {"id": "deep", "text": s, "meta": json.loads("[" * 60 + "]" * 60)},
        {"id": "surrogate\ud800", "title": "t\udfff", "text": s + " \ud800"},
        {"id": "pub9999", "published": "9999-12-31", "text": "Drones struck Kharkiv tomorrow, killing 3."},
        {"id": "pub0001", "published": "0001-01-01", "text": "Drones struck Kharkiv yesterday, killing 3."},
        {"id": "textdate", "published": "2025-01-01", "text": "Drones struck Kharkiv on 9999-12-31, killing 3."},
        {"id": "ago", "published": "2025-01-01", "text": "Drones struck Kharkiv 99999999999 days ago, killing 3."},
        {"id": "years", "published": "2025-01-01", "text": "Drones struck Kharkiv 5000 years ago, killing 3."},
        {"id": "float", "published": "2025-01-01",
         "text": f"Drones struck Kharkiv on Monday, killing {'1' * 400}.5 million people."},
        {"id": "int64", "published": "2025-01-01",
         "text": "Drones struck Kharkiv on Monday, killing 9,223,372,036,854,775,808 people."},
        {"id": "int128", "published": "2025-01-01",
         "text": "Drones struck Kharkiv on Monday, killing 99999999999999999999999 people."},
        {"id": "superscript", "text": s + "¹èE ¹²³⁴ drones"},  # found by this fuzz test: '¹' isdigit()
    ]
    raw = "\n".join(json.dumps(r, ensure_ascii=True) for r in lines)
    raw += '\n{"id": "deeper", "text": "x", "m": ' + "[" * 5000 + "]" * 5000 + "}"
    raw += '\n{"id": ' + "1" * 5000 + ', "text": "x"}\n'
    (tmp_path / "sig.jsonl").write_text(raw)
    articles, problems = read_all([str(tmp_path / "sig.jsonl")])
    for a in articles:
        mentions = geoparse_article(a)
        store.put(a, mentions, extract_article(a, mentions))
    assert [a.id for a in articles] == ["deep", "surrogate\ufffd", "pub9999", "pub0001", "textdate", "ago",
                                        "years", "float", "int64", "int128", "superscript"]
    assert [p.line for p in problems if p.fatal] == [12, 13]
    assert check_events(store) > 0
    counts = store.con.execute("SELECT max(e.fatalities) FROM events e JOIN event_sources s USING (event_id) "
                               "WHERE s.article_id IN ('float', 'int64', 'int128')").fetchone()[0]
    assert counts is None or counts <= MAX_COUNT
