"""geo.read at its boundary: hostile records, limits, and paths that are not plain files.

Every problem is one InputError naming the file (and line for JSONL/CSV); a warning (`fatal` is
False) means the article is still yielded, changed to fit.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import socket
import tempfile
import threading
from pathlib import Path

import pytest

from geo.errors import GeoError, InputError, InputWarning
from geo.limits import Limits
from geo.models import Article
from geo.read import read_paths
from geo.read.html import _defuse
from geo.read.jsonl import too_deep

PUB = dt.date(2025, 12, 3)
GOOD = {"id": "good", "text": "Shelling hit a market in Kharkiv on Monday."}


def collect(*paths: str | Path, limits: Limits | None = None, published: dt.date | None = None
            ) -> tuple[list[Article], list[InputError]]:
    problems: list[InputError] = []
    articles = list(read_paths([str(p) for p in paths], published=published, on_error=problems.append,
                               limits=limits))
    return articles, problems


def jsonl(path: Path, *lines: object) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


def one_problem(problems: list[InputError], fatal: bool) -> InputError:
    assert len(problems) == 1, [str(p) for p in problems]
    [p] = problems
    assert p.fatal is fatal and "\n" not in str(p)
    return p


# ---------------------------------------------------------------- records

@pytest.mark.parametrize("line,message", [
    ('{"id": "deep", "text": "x", "meta": ' + "[" * 5000 + "]" * 5000 + "}", "nested deeper than 64"),
    ('{"id": ' + "1" * 5000 + ', "text": "x"}', "invalid JSON"),
    ('{"id": 1e999, "text": "x"}', "field 'id' must be a string"),
    ('{"id": true, "text": "x"}', "field 'id' must be a string, got boolean"),
    ('{"id": "t", "title": {"a": 1}, "text": "x"}', "field 'title' must be a string, got object"),
    ('{"id": "t", "source": [1], "text": "x"}', "field 'source' must be a string, got array"),
    ('{"id": "t", "text": ["a"]}', "field 'text' is array"),
    ('{"id": "t", "text": "x", "published": {"y": 2025}}', "bad published date <object>"),
    ('{"id": "' + "i" * 600 + '", "text": "x"}', "id is 600 characters long"),
    ("[" * 100 + "]" * 100, "nested deeper"),
])
def test_bad_jsonl_record_is_one_line_and_the_next_record_is_read(tmp_path: Path, line: str, message: str) -> None:
    path = jsonl(tmp_path / "f.jsonl", line, GOOD)
    articles, problems = collect(path)
    assert [a.id for a in articles] == ["good"]
    p = one_problem(problems, fatal=True)
    assert message in p.message and (p.path, p.line) == (str(path), 1)


def test_numbers_are_taken_as_written_for_string_fields(tmp_path: Path) -> None:
    [a], problems = collect(jsonl(tmp_path / "n.jsonl", {"id": 42, "title": 2025, "source": 1.5, "text": "x"}))
    assert (a.id, a.title, a.source) == ("42", "2025", "1.5") and not problems


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    assert not too_deep(json.dumps({"text": "[" * 500 + "{" * 500}), 64)
    assert too_deep(json.dumps({"a": [[[[1]]]]}), 4) and not too_deep(json.dumps({"a": [[[1]]]}), 4)
    assert not too_deep(r'{"t": "a \" [[[[[[ \\", "u": [1]}', 2)


def test_lone_surrogates_are_replaced_with_a_warning(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "s.jsonl", r'{"id": "s\ud800", "title": "T\udfff", "text": "Drones hit Odesa \ud83d."}')
    [a], problems = collect(path)
    assert (a.id, a.title, a.text) == ("s\ufffd", "T\ufffd", "Drones hit Odesa \ufffd.")
    p = one_problem(problems, fatal=False)
    assert isinstance(p, InputWarning) and "id, title, text" in p.message and p.line == 1
    a.text.encode("utf-8")  # storable


def test_a_valid_surrogate_pair_is_kept(tmp_path: Path) -> None:
    [a], problems = collect(jsonl(tmp_path / "e.jsonl", r'{"id": "e", "text": "Flag \ud83c\uddfa\ud83c\udde6."}'))
    assert a.text == "Flag \U0001F1FA\U0001F1E6." and not problems


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "9999-12-31", "Fri, 31 Dec 9999 23:00:00 -0500",
                                   "31 December 1500"])
def test_published_date_out_of_range_is_dropped_with_a_warning(tmp_path: Path, value: str) -> None:
    path = jsonl(tmp_path / "d.jsonl", {"id": "d", "published": value, "text": "Strikes hit Sumy yesterday."})
    [a], problems = collect(path, published=PUB)
    assert a.published == PUB  # the run's default, as for an article without a date
    assert "is outside 1800-01-01..2199-12-31" in one_problem(problems, fatal=False).message


@pytest.mark.parametrize("name,content", [
    ("f.md", "---\npublished: 9999-12-31\n---\nStrikes hit Sumy.\n"),
    ("c.csv", "id,published,text\nc,0001-01-01,Strikes hit Sumy.\n"),
])
def test_out_of_range_dates_in_front_matter_and_csv(tmp_path: Path, name: str, content: str) -> None:
    (tmp_path / name).write_text(content)
    [a], problems = collect(tmp_path / name)
    assert a.published is None and one_problem(problems, fatal=False).line == 2


def test_out_of_range_html_date_is_skipped_for_the_next_candidate(tmp_path: Path) -> None:
    page = ('<meta name="date" content="9999-12-31"><time datetime="2025-11-20">x</time>'
            "<p>Strikes hit Sumy.</p>")
    (tmp_path / "p.html").write_text(page)
    [a], problems = collect(tmp_path / "p.html")
    assert a.published == dt.date(2025, 11, 20) and not problems


def test_published_argument_out_of_range_is_refused() -> None:
    with pytest.raises(GeoError, match="outside"):
        list(read_paths([], published=dt.date(9999, 12, 31)))


def test_jsonl_undecodable_line_is_one_record(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_bytes(b'{"id": "x", "text": "caf\xe9"}\n' + json.dumps(GOOD).encode() + b"\n")
    articles, problems = collect(path)
    assert [a.id for a in articles] == ["good"]
    assert "cannot decode line as utf-8" in one_problem(problems, fatal=True).message


# ---------------------------------------------------------------- limits

LONG = "\n\n".join(" ".join(f"Sentence {p}.{s} tells of shelling near Kupiansk." for s in range(8))
                   for p in range(40))


def test_text_over_the_character_limit_is_cut_at_a_paragraph_break(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text(LONG)
    [a], problems = collect(tmp_path / "long.txt", limits=Limits(article_chars=5000))
    assert len(a.text) <= 5000 and LONG.startswith(a.text) and LONG[len(a.text):].startswith("\n\n")
    p = one_problem(problems, fatal=False)
    assert "paragraph break" in p.message and f"of {len(LONG):,} characters" in p.message
    assert "GEO_LIMIT_ARTICLE_CHARS" in p.message


def test_without_paragraphs_the_cut_is_at_a_sentence_end(tmp_path: Path) -> None:
    text = LONG.replace("\n\n", " ")
    path = jsonl(tmp_path / "s.jsonl", {"id": "s", "text": text})
    [a], problems = collect(path, limits=Limits(article_chars=3000))
    assert a.text.endswith("Kupiansk.") and text.startswith(a.text) and len(a.text) <= 3000
    assert "sentence end" in one_problem(problems, fatal=False).message


def test_word_limit(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "w.jsonl", {"id": "w", "text": LONG})
    [a], problems = collect(path, limits=Limits(article_words=100))
    assert len(a.text.split()) <= 100 and LONG.startswith(a.text)
    assert "more than 100 words" in one_problem(problems, fatal=False).message


def test_a_huge_run_without_spaces_is_cut(tmp_path: Path) -> None:
    text = "Drones hit Odesa. " + "9" * 1_000_000 + " people fled. Data: " + "x" * 1001
    [a], problems = collect(jsonl(tmp_path / "r.jsonl", {"id": "r", "text": text}))
    assert a.text == "Drones hit Odesa. " + "9" * 1000 + "… people fled. Data: " + "x" * 1000 + "…"
    assert "2 run(s)" in one_problem(problems, fatal=False).message


def test_long_title_is_cut(tmp_path: Path) -> None:
    [a], problems = collect(jsonl(tmp_path / "t.jsonl", {"id": "t", "title": "T" * 5000, "text": "x"}))
    assert len(a.title) == 2001 and "title cut" in one_problem(problems, fatal=False).message


def test_over_long_jsonl_line_is_skipped_without_reading_it_whole(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "big.jsonl", {"id": "big", "text": "w " * 6000}, GOOD)
    articles, problems = collect(path, limits=Limits(record_bytes=10_000))
    assert [a.id for a in articles] == ["good"]
    p = one_problem(problems, fatal=True)
    assert p.line == 1 and "the limit for one record is 10,000" in p.message


def test_over_large_text_file_is_refused_at_once(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 5000)
    (tmp_path / "ok.txt").write_text("Small.\n")
    articles, problems = collect(tmp_path, limits=Limits(file_bytes=10_000))
    assert [a.id for a in articles] == ["ok"]
    assert "file is 25,000 bytes" in one_problem(problems, fatal=True).message


def test_csv_field_over_the_record_limit_ends_the_file(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text('id,text\na,"fine"\nb,"' + "x" * 20_000 + '"\n')
    articles, problems = collect(tmp_path / "c.csv", limits=Limits(record_bytes=10_000))
    assert [a.id for a in articles] == ["a"]
    assert "longer than 10,000 characters" in one_problem(problems, fatal=True).message


def test_limits_from_env() -> None:
    limits = Limits.from_env({"GEO_LIMIT_ARTICLE_CHARS": "2_000_000", "GEO_LIMIT_JSON_DEPTH": " 8 "})
    assert (limits.article_chars, limits.json_depth, limits.word_chars) == (2_000_000, 8, Limits().word_chars)
    for bad in ("0", "-1", "many"):
        with pytest.raises(GeoError, match="GEO_LIMIT_WORD_CHARS"):
            Limits.from_env({"GEO_LIMIT_WORD_CHARS": bad})


def test_html_tail_of_unclosed_tags_is_escaped() -> None:
    assert _defuse("<p>a</p>" + "</" * 3) == "<p>a</p>" + "&lt;/" * 3
    assert _defuse("<p>a</p>") == "<p>a</p>" and _defuse("a < b") == "a &lt; b"


def test_html_page_ending_in_unclosed_tags_keeps_its_text(tmp_path: Path) -> None:
    (tmp_path / "t.html").write_text("<p>Strikes hit Sumy.</p>" + "</ " * 20_000)
    [a], problems = collect(tmp_path / "t.html")
    assert a.text.startswith("Strikes hit Sumy.\n</ </ ") and not problems


def test_deep_json_ld_is_skipped(tmp_path: Path) -> None:
    page = ('<script type="application/ld+json">' + "[" * 10_000 + "]" * 10_000 + "</script>"
            '<script type="application/ld+json">{"datePublished": "2025-11-21"}</script><p>Words.</p>')
    (tmp_path / "ld.html").write_text(page)
    [a], problems = collect(tmp_path / "ld.html")
    assert a.published == dt.date(2025, 11, 21) and not problems


# ---------------------------------------------------------------- paths

def test_a_path_too_long_is_one_line(tmp_path: Path) -> None:
    long = str(tmp_path / ("x" * 5000 + ".txt"))
    (tmp_path / "ok.txt").write_text("Fine.\n")
    articles, problems = collect(long, tmp_path / "ok.txt")
    assert [a.id for a in articles] == ["ok"]
    p = one_problem(problems, fatal=True)
    assert p.path == long and "limit is 4,096" in p.message and len(str(p)) < 300


def test_a_file_name_too_long_for_the_os(tmp_path: Path) -> None:
    name = str(tmp_path / ("y" * 300 + ".txt"))  # under the path limit, over NAME_MAX
    _, problems = collect(name)
    assert "file name too long" in one_problem(problems, fatal=True).message


def read_in_thread(paths: list[str], timeout: float = 20) -> tuple[list[Article], list[InputError]]:
    """read_paths in a thread: a reader that blocks (a FIFO with no writer) fails the test, not CI."""
    out: dict[str, object] = {}

    def run() -> None:
        out["result"] = collect(*paths)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), f"reading {paths} blocked"
    return out["result"]  # type: ignore[return-value]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_is_refused_at_once_given_or_in_a_folder(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "ok.txt").write_text("Fine.\n")
    articles, problems = read_in_thread([str(tmp_path / "pipe.txt"), str(tmp_path)])
    assert [a.id for a in articles] == ["ok"]
    assert [Path(p.path).name for p in problems] == ["pipe.txt", "pipe.jsonl", "pipe.txt"]
    assert all("FIFO (named pipe), not a regular file: refused" in p.message and p.fatal for p in problems)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    _, problems = read_in_thread(["/dev/zero", str(link)])
    assert [p.message.split(",")[0] for p in problems] == ["a character device"] * 2


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no unix sockets")
def test_a_socket_is_refused() -> None:
    with tempfile.TemporaryDirectory() as d:  # a short path: socket paths are limited to ~100 bytes
        path = os.path.join(d, "s.txt")
        with socket.socket(socket.AF_UNIX) as s:
            s.bind(path)
            _, problems = read_in_thread([path, d])
    assert len(problems) == 2 and all(p.message.startswith("a socket, not a regular file") for p in problems)


def test_broken_symlinks_given_and_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing-target.txt")
    (tmp_path / "gone-other").symlink_to(tmp_path / "nowhere")  # unsupported name: skipped silently
    (tmp_path / "ok.txt").write_text("Fine.\n")
    articles, problems = collect(tmp_path / "gone.txt", tmp_path)
    assert [a.id for a in articles] == ["ok"]
    assert [("broken symbolic link" in p.message, Path(p.path).name) for p in problems] == [
        (True, "gone.txt"), (True, "gone.txt")]


def test_a_symlink_loop_is_followed_once(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("Fine.\n")
    (root / "sub" / "back").symlink_to(root)             # a loop to an ancestor
    (root / "again").symlink_to(root / "sub")            # a second way to the same folder
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "b.txt").write_text("Also fine.\n")
    (root / "linked").symlink_to(tmp_path / "other")     # a link to a folder outside: followed
    articles, problems = collect(root)
    assert sorted(a.id for a in articles) == ["a", "b"]
    assert problems and all(not p.fatal and "already read" in p.message for p in problems)


def test_a_self_link_loop_given_directly(tmp_path: Path) -> None:
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    _, problems = collect(tmp_path / "loop.txt")
    assert "symbolic link loop" in one_problem(problems, fatal=True).message


def test_an_unreadable_file_and_folder() -> None:
    """As root (who reads mode-000 files), the read runs with the effective uid of 'nobody'."""
    base = Path(tempfile.mkdtemp(prefix="geo-perm-"))  # in /tmp: pytest's own tmp folder is private
    base.chmod(0o755)
    (base / "secret.txt").write_text("Hidden.\n")
    (base / "secret.txt").chmod(0o000)
    (base / "locked").mkdir()
    (base / "locked" / "x.txt").write_text("Hidden too.\n")
    (base / "locked").chmod(0o000)
    (base / "ok.txt").write_text("Fine.\n")
    (base / "ok.txt").chmod(0o644)
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    try:
        if as_root:
            os.seteuid(65534)
        articles, problems = collect(base)
    finally:
        if as_root:
            os.seteuid(0)
        (base / "locked").chmod(0o700)
        shutil.rmtree(base)
    assert [a.id for a in articles] == ["ok"]
    assert sorted(map(str, problems)) == [f"{base / 'locked'}: cannot read folder: permission denied",
                                          f"{base / 'secret.txt'}: cannot read file: permission denied"]


# ---------------------------------------------------------------- errors

def test_input_errors_are_one_line_picklable_and_abbreviate_long_paths() -> None:
    e = InputWarning("p" * 5000, 7, "text cut\nat a limit")
    assert e.fatal is False and InputError("f", 1, "x").fatal is True
    assert str(e).endswith(":7: text cut at a limit") and len(str(e)) < 200 and e.path == "p" * 5000
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is InputWarning and (back.path, back.line, back.message) == (e.path, 7, e.message)


def test_without_on_error_a_warning_goes_to_python_warnings(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "s.jsonl", r'{"id": "s", "text": "x\ud800"}')
    with pytest.warns(InputWarning, match="lone surrogate"):
        [a] = list(read_paths([str(path)]))
    assert a.text == "x\ufffd"


def test_cli_prints_an_input_warning_as_one_line(tmp_path: Path, run_geo) -> None:
    path = jsonl(tmp_path / "s.jsonl", r'{"id": "s", "text": "Drones hit Kharkiv \ud800 on Monday."}')
    out = run_geo("ingest", path, "--db", tmp_path / "s.duckdb", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert f"warning: {path}:1: lone surrogate code point(s) replaced with U+FFFD in text" in out.stderr.splitlines()
    assert "Traceback" not in out.stderr and "InputWarning" not in out.stderr
