"""geo.read: every input format, folder walking, stdin, dates, and lazy errors."""
from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import pytest

from geo.errors import InputError
from geo.models import Article
from geo.read import parse_date, read_paths

PUB = dt.date(2025, 12, 3)


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def read(*paths: Path | str, published: dt.date | None = None) -> list[Article]:
    return list(read_paths([str(p) for p in paths], published=published))


# ---------------------------------------------------------------- plain text and Markdown

def test_txt_title_id_and_text_keeps_title(tmp_path: Path) -> None:
    body = "Drone strike hits grain silo near Izmail\nA drone hit a silo on Monday. Nobody was hurt.\n"
    [a] = read(write(tmp_path / "silo-report.txt", body))
    assert a.id == "silo-report"
    assert a.title == "Drone strike hits grain silo near Izmail"
    assert a.text == body  # the title line is part of the text, offsets index this string
    assert a.text.index("Izmail") < a.text.index("A drone")
    assert a.published is None and a.origin == str(tmp_path / "silo-report.txt")


def test_txt_first_line_sentence_is_not_a_title(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "a.txt", "A drone hit a silo on Monday.\nMore text.\n"))
    assert a.title is None


def test_txt_long_first_line_is_not_a_title(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "a.txt", ("word " * 60).strip() + "\nsecond\n"))
    assert a.title is None


def test_txt_title_after_blank_lines(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "a.txt", "\n\n  Blackout in Odesa region  \nText follows.\n"))
    assert a.title == "Blackout in Odesa region"


def test_txt_published_argument_fills_missing_date(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "a.txt", "Headline\nBody.\n"), published=PUB)
    assert a.published == PUB


def test_front_matter(tmp_path: Path) -> None:
    content = ("---\npublished: 2025-11-20T08:30:00Z\nsource: Example Wire\n"
               "url: https://example.org/a\ntitle: \"Given title\"\nid: custom-id\nauthor: ignored\n---\n"
               "Shown headline\nA ferry was damaged.\n")
    [a] = read(write(tmp_path / "file.md", content), published=PUB)
    assert (a.id, a.title, a.published) == ("custom-id", "Given title", dt.date(2025, 11, 20))
    assert (a.source, a.url) == ("Example Wire", "https://example.org/a")
    assert a.text == "Shown headline\nA ferry was damaged.\n"  # text after the front matter


def test_front_matter_date_key_and_detected_title(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "n.md", "---\ndate: 20 November 2025\n---\n# Ferry damaged\nText.\n"))
    assert a.published == dt.date(2025, 11, 20)
    assert a.title == "Ferry damaged" and a.text.startswith("# Ferry damaged")


def test_front_matter_bad_date_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.md", "---\ntitle: x\npublished: someday\n---\nText.\n")
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.line == 3 and "someday" in str(err.value) and str(path) in str(err.value)


def test_unclosed_front_matter_is_text(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "r.md", "---\nNot front matter: really\n"))
    assert a.text.startswith("---")


def test_crlf_is_normalised(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "w.txt", "Title here\r\nLine one.\r\nLine two.\r\n"))
    assert a.text == "Title here\nLine one.\nLine two.\n"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "b.txt", "\ufeffTitle\nKyiv text.\n".encode()))
    assert a.text == "Title\nKyiv text.\n" and a.title == "Title"


def test_empty_text_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no text"):
        read(write(tmp_path / "empty.txt", "  \n"))


def test_undecodable_file_is_named(tmp_path: Path) -> None:
    path = write(tmp_path / "latin.txt", "Caf\xe9 bombed".encode("latin-1"))
    with pytest.raises(InputError) as err:
        read(path)
    assert err.value.path == str(path) and "decode" in err.value.message


# ---------------------------------------------------------------- JSONL

def jsonl(*records: dict | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records)


def test_jsonl_records(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", jsonl(
        {"id": "r1", "title": "T1", "published": "2025-11-20", "source": "S", "url": "u",
         "text": "First text.", "file": "x.txt", "extra": 1},
        {"text": "Second text, no id."},
        "",
        {"id": 7, "published": "Thu, 20 Nov 2025 08:30:00 +0000", "text": "Third."}))
    a, b, c = read(path, published=PUB)
    assert (a.id, a.title, a.published, a.source, a.url, a.text) == (
        "r1", "T1", dt.date(2025, 11, 20), "S", "u", "First text.")
    assert a.origin == f"{path}:1"
    assert (b.id, b.published, b.title) == ("feed-2", PUB, None)
    assert (c.id, c.published, c.origin) == ("7", dt.date(2025, 11, 20), f"{path}:4")


def test_jsonl_text_with_line_separator_characters(tmp_path: Path) -> None:
    text = "Kyiv\u2028Odesa\u0085Lviv"
    [a] = read(write(tmp_path / "s.jsonl", jsonl({"id": "x", "text": text})))
    assert a.text == text


def test_jsonl_invalid_line_is_lazy_and_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "f.jsonl", jsonl({"id": "ok1", "text": "a"}, {"id": "ok2", "text": "b"},
                                            '{"id": "broken", "text": '))
    seen = []
    with pytest.raises(InputError) as err:
        for article in read_paths([str(path)]):
            seen.append(article.id)
    assert seen == ["ok1", "ok2"]
    assert err.value.line == 3 and "invalid JSON" in err.value.message
    assert str(err.value).startswith(f"{path}:3:")


@pytest.mark.parametrize("record,message", [
    ({"id": "n"}, "no text"),
    ({"id": "n", "text": "   "}, "no text"),
    ({"id": "n", "text": 5}, "no text"),
    ({"id": "n", "text": "x", "published": "not a date"}, "bad published date"),
    ({"id": "n", "text": "x", "published": "2025-13-01"}, "bad published date"),
    ({"id": "n", "text": "x", "published": 20251120}, "bad published date"),
    ([1, 2], "JSON object"),
])
def test_jsonl_bad_records(tmp_path: Path, record: object, message: str) -> None:
    path = write(tmp_path / "f.jsonl", jsonl({"id": "fine", "text": "ok"}, json.dumps(record)))
    it = read_paths([str(path)])
    assert next(it).id == "fine"
    with pytest.raises(InputError, match=message) as err:
        next(it)
    assert err.value.line == 2


def test_jsonl_null_and_empty_published_use_default(tmp_path: Path) -> None:
    path = write(tmp_path / "f.jsonl", jsonl({"text": "a", "published": None}, {"text": "b", "published": ""}))
    assert [a.published for a in read(path, published=PUB)] == [PUB, PUB]


# ---------------------------------------------------------------- CSV

def test_csv_records_with_quoted_newlines(tmp_path: Path) -> None:
    content = ('id,Title,published,source,url,text,notes\n'
               'c1,First,2025-11-20,Wire,http://x,"Line one.\nLine two, with comma.",n\n'
               ',Second,,,,"Text of two",\n'
               '\n'
               'c3,,20 November 2025,,,Third,\n')
    path = write(tmp_path / "table.csv", content)
    a, b, c = read(path, published=PUB)
    assert (a.id, a.title, a.published, a.source, a.url) == ("c1", "First", dt.date(2025, 11, 20), "Wire", "http://x")
    assert a.text == "Line one.\nLine two, with comma." and a.origin == f"{path}:2"
    assert (b.id, b.published, b.source, b.origin) == ("table-4", PUB, None, f"{path}:4")
    assert (c.id, c.title, c.published, c.origin) == ("c3", None, dt.date(2025, 11, 20), f"{path}:6")


def test_csv_without_text_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no 'text' column") as err:
        read(write(tmp_path / "t.csv", "id,body\n1,hello\n"))
    assert err.value.line == 1


def test_csv_empty_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="header row"):
        read(write(tmp_path / "t.csv", ""))


def test_csv_bad_record_is_lazy(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", "id,text,published\nok,fine,\nbad,,\n")
    it = read_paths([str(path)])
    assert next(it).id == "ok"
    with pytest.raises(InputError, match="no text") as err:
        next(it)
    assert err.value.line == 3


def test_csv_bad_date(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="bad published date"):
        read(write(tmp_path / "t.csv", "id,text,published\nx,words,yesterday-ish\n"))


def test_csv_large_cell(tmp_path: Path) -> None:
    big = "word " * 30000  # 150,000 characters: under the article limits
    [a] = read(write(tmp_path / "big.csv", f'id,text\nbig,"{big}"\n'))
    assert len(a.text) == len(big)


# ---------------------------------------------------------------- HTML

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<title>Port struck - Example News</title>
<meta property="og:title" content="Port struck overnight">
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2025-11-20T06:15:00+02:00">
<link rel="canonical" href="https://news.example/port">
<style>p { color: red }</style>
<script>var tracking = "Moscow";</script>
</head>
<body>
<header><a href="/">Home</a> Menu Kherson</header>
<nav><ul><li>World</li><li>Sport</li></ul></nav>
<article>
<h1>Port struck overnight</h1>
<p>Drones hit the port of <b>Izmail</b>   overnight,
officials said.</p>
<p>Two cranes were damaged &amp; a warehouse burned.<br>Repairs began.</p>
<aside>Related: unrelated story</aside>
</article>
<footer>Copyright Example</footer>
</body></html>
"""


def test_html_visible_text_title_date(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "port.html", PAGE))
    assert a.id == "port" and a.title == "Port struck overnight"
    assert a.published == dt.date(2025, 11, 20)
    assert a.source == "Example News" and a.url == "https://news.example/port"
    assert a.text == ("Port struck overnight\nDrones hit the port of Izmail overnight, officials said.\n"
                      "Two cranes were damaged & a warehouse burned.\nRepairs began.")
    for hidden in ("Moscow", "Kherson", "Sport", "Copyright", "Related", "color"):
        assert hidden not in a.text


@pytest.mark.parametrize("head,expected", [
    ('<meta property="og:published_time" content="2025-11-21">', dt.date(2025, 11, 21)),
    ('<meta itemprop="datePublished" content="2025-11-22T10:00:00Z">', dt.date(2025, 11, 22)),
    ('<meta name="pubdate" content="20251123">', None),
    ('<meta name="date" content="Mon, 24 Nov 2025 09:00:00 GMT">', dt.date(2025, 11, 24)),
    ('<meta name="DC.date" content="2025-11-25">', dt.date(2025, 11, 25)),
    ('<script type="application/ld+json">{"@context": "https://schema.org", "@graph": '
     '[{"@type": "NewsArticle", "datePublished": "2025-11-26T08:00:00Z"}]}</script>', dt.date(2025, 11, 26)),
    ('<meta name="date" content="garbage">', None),
])
def test_html_date_sources(tmp_path: Path, head: str, expected: dt.date | None) -> None:
    page = f"<html><head><title>T</title>{head}</head><body><p>Words here.</p></body></html>"
    [a] = read(write(tmp_path / "p.htm", page))
    assert a.published == expected
    assert a.text == "Words here."


def test_html_time_element_and_title_fallback(tmp_path: Path) -> None:
    page = ("<html><head><title>  Grid   failure </title></head><body>"
            "<p>Posted <time datetime=\"2025-11-27T09:00\">Thursday</time></p><div>Lights out.</div></body></html>")
    [a] = read(write(tmp_path / "t.html", page), published=PUB)
    assert a.published == dt.date(2025, 11, 27) and a.title == "Grid failure"
    assert a.text == "Posted Thursday\nLights out."


def test_html_meta_beats_time_and_default(tmp_path: Path) -> None:
    page = ('<html><head><meta name="date" content="2025-11-28"></head><body>'
            '<time datetime="2025-01-01">x</time><p>Body.</p></body></html>')
    [a] = read(write(tmp_path / "m.html", page), published=PUB)
    assert a.published == dt.date(2025, 11, 28)


def test_html_declared_charset(tmp_path: Path) -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><p>Київ</p></body></html>'
    [a] = read(write(tmp_path / "c.html", page.encode("cp1251")))
    assert a.text == "Київ"


def test_html_without_visible_text(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no visible text"):
        read(write(tmp_path / "e.html", "<html><head><title>x</title></head><body><nav>menu</nav></body></html>"))


def test_html_without_closing_head(tmp_path: Path) -> None:
    [a] = read(write(tmp_path / "h.html", "<html><head><title>T</title><body><p>Visible.</p>"))
    assert a.text == "Visible."


# ---------------------------------------------------------------- folders, paths, stdin

def test_folder_recursion_sorted_and_filtered(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    write(root / "b.txt", "B title\nb\n")
    write(root / "a.md", "A title\na\n")
    write(root / "sub" / "c.jsonl", jsonl({"id": "c1", "text": "c"}))
    write(root / "sub" / "d.csv", "id,text\nd1,d\n")
    write(root / "sub" / "e.html", "<p>e</p>")
    write(root / "README.md", "readme\n")
    write(root / ".hidden.txt", "hidden\n")
    write(root / ".git" / "x.txt", "hidden dir\n")
    write(root / "notes.json", "{}")
    write(root / "image.png", b"\x89PNG")
    assert [a.id for a in read(root)] == ["a", "b", "c1", "d1", "e"]


def test_multiple_paths_in_order(tmp_path: Path) -> None:
    one = write(tmp_path / "one.txt", "x\n")
    two = write(tmp_path / "two.txt", "y\n")
    assert [a.id for a in read(two, one)] == ["two", "one"]


def test_missing_path_is_lazy(tmp_path: Path) -> None:
    ok = write(tmp_path / "ok.txt", "x\n")
    it = read_paths([str(ok), str(tmp_path / "missing.txt")])
    assert next(it).id == "ok"
    with pytest.raises(InputError, match="no such file") as err:
        next(it)
    assert err.value.path == str(tmp_path / "missing.txt") and err.value.line is None


def test_unknown_extension_given_explicitly(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unsupported file type '.pdf'"):
        read(write(tmp_path / "x.pdf", "%PDF"))


def test_uppercase_extension(tmp_path: Path) -> None:
    assert [a.id for a in read(write(tmp_path / "LOUD.TXT", "x\n"))] == ["LOUD"]


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: str) -> None:
    fake = io.TextIOWrapper(io.BytesIO(data.encode("utf-8")), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)


def test_stdin_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, "Shelling in Nikopol\nShells hit homes.\n")
    [a] = list(read_paths(["-"], published=PUB))
    assert (a.id, a.title, a.published, a.origin) == ("stdin", "Shelling in Nikopol", PUB, "<stdin>")


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, "  \n" + jsonl({"id": "s1", "text": "a"}, {"text": "b"}))
    arts = list(read_paths(["-"]))
    assert [a.id for a in arts] == ["s1", "stdin-3"]
    assert arts[0].origin == "<stdin>:2"


def test_stdin_jsonl_error_names_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, jsonl({"id": "s1", "text": "a"}) + "{oops\n")
    with pytest.raises(InputError) as err:
        list(read_paths(["-"]))
    assert (err.value.path, err.value.line) == ("<stdin>", 2)


def test_stdin_without_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Plain words only."))
    [a] = list(read_paths(["-"]))
    assert a.text == "Plain words only." and a.title is None


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("value,expected", [
    ("2025-11-20", dt.date(2025, 11, 20)),
    ("2025-11-20T08:30:00Z", dt.date(2025, 11, 20)),
    ("2025-11-20T23:30:00-05:00", dt.date(2025, 11, 20)),
    ("2025-11-20 08:30", dt.date(2025, 11, 20)),
    ("Thu, 20 Nov 2025 08:30:00 +0000", dt.date(2025, 11, 20)),
    ("20 November 2025", dt.date(2025, 11, 20)),
    ("20 Nov 2025", dt.date(2025, 11, 20)),
    ("November 20, 2025", dt.date(2025, 11, 20)),
    ("Nov. 20, 2025", dt.date(2025, 11, 20)),
    ("2025/11/20", dt.date(2025, 11, 20)),
    (dt.date(2025, 11, 20), dt.date(2025, 11, 20)),
    (dt.datetime(2025, 11, 20, 8), dt.date(2025, 11, 20)),
    ("2025-02-30", None), ("tomorrow", None), ("", None), (None, None), (20251120, None),
])
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


def test_input_error_message_format() -> None:
    assert str(InputError("f.jsonl", 4, "invalid JSON")) == "f.jsonl:4: invalid JSON"
    assert str(InputError("f.txt", None, "no text")) == "f.txt: no text"


def test_on_error_skips_bad_records_and_files_and_keeps_reading(tmp_path):
    good = '{"id": "a", "text": "Shelling hit Kharkiv."}'
    (tmp_path / "mixed.jsonl").write_text(f'{good}\n{{not json\n"a string"\n{{"id": "b", "text": "Drones hit Odesa."}}\n')
    (tmp_path / "bad.csv").write_text("id,title\nx,y\n")  # no text column: the whole file is bad
    (tmp_path / "c.txt").write_text("Protest in Lviv\n\nHundreds rallied in Lviv.\n")
    errors = []
    ids = [a.id for a in read_paths([str(tmp_path)], on_error=errors.append)]
    assert ids == ["c", "a", "b"]
    assert [(e.path.endswith(".csv"), e.line) for e in errors] == [(True, 1), (False, 2), (False, 3)]
    with pytest.raises(InputError, match=r"bad\.csv:1"):
        list(read_paths([str(tmp_path)]))
