"""geo.evaluate / `geo eval`: matching rules, figures and causes on the team's own invented events."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

from geo.errors import GeoError
from geo.evaluate import load_gold, render, score

KHARKIV = {"lat": 49.98, "lon": 36.25, "geonameid": 706483, "country": "UA", "precision": "locality"}
IZIUM = {"lat": 49.21, "lon": 37.28, "geonameid": 707292, "country": "UA", "precision": "locality"}
UKRAINE = {"lat": 49.0, "lon": 32.0, "geonameid": 690791, "country": "UA", "precision": "country"}


def pred(type_: str, article: str, where: dict, date: str | None, claim: str = "reported", **kw) -> dict:
    return {"type": type_, "articles": [article], "date": date, "claim_status": claim, "place": "p", **where, **kw}


def gold(type_: str, article: str, where: dict, date: str | None, required: bool = True, **kw) -> dict:
    g = {"type": type_, "article": article, "required": required, **where, **kw}
    if date is not None:
        g["date"] = date
    return g


def test_recall_precision_and_attributes():
    preds = [pred("strike", "a", KHARKIV, "2024-11-18", actor="Russian forces", fatalities=3, injured=5),
             pred("protest", "b", IZIUM, "2024-11-17", quantity=300),
             pred("clash", "b", IZIUM, "2024-11-17")]                      # matches nothing: false
    golds = [gold("strike", "a", KHARKIV, "2024-11-19", actor="Russia", fatalities=3, injured=6, claim="reported"),
             gold("protest", "b", IZIUM, "2024-11-17", quantity=300)]
    rep = score(preds, golds).to_dict()
    assert rep["events"] == {"required": 2, "found": 2, "recall": 1.0, "predicted_factual": 3, "optional_hits": 0,
                             "false": 1, "precision": 0.667, "negative_hits": 0}
    a = rep["attributes"]
    assert a["actor"]["accuracy"] == 1.0           # "Russia" is in "Russian forces"
    assert (a["fatalities"]["correct"], a["injured"]["correct"]) == (1, 0)
    assert a["date"] == {"total": 2, "correct": 1, "accuracy": 0.5}  # the strike: within tolerance, not the day
    assert a["quantity"]["accuracy"] == 1.0 and a["missing"]["accuracy"] is None
    assert rep["types"]["clash"] == {"predicted": 1, "precision": 0.0}
    assert rep["types"]["strike"]["recall"] == 1.0 and rep["false_by_cause"]["unmatched"] == 1


def test_every_cause_of_a_miss():
    preds = [pred("strike", "a", KHARKIV, "2024-11-18"),
             pred("talks", "c", KHARKIV, "2024-11-18", claim="anticipated"),
             pred("clash", "d", KHARKIV, "2024-11-01")]
    golds = [gold("strike", "a", KHARKIV, "2024-11-18"),                  # found
             gold("strike", "a", KHARKIV, "2024-11-18"),                  # the same prediction twice: merged
             gold("strike", "a", IZIUM, "2024-11-18"),                    # wrong_place
             gold("strike", "a", KHARKIV, "2024-11-10"),                  # wrong_date
             gold("strike", "a", IZIUM, "2024-11-01"),                    # wrong_place_and_date
             gold("capture", "a", KHARKIV, "2024-11-18"),                 # no_event_of_type
             gold("talks", "c", KHARKIV, "2024-11-18"),                   # not_a_fact (only anticipated)
             gold("clash", "e", KHARKIV, "2024-11-01")]                   # another article's event does not count
    rep = score(preds, golds).to_dict()
    assert rep["events"]["found"] == 1
    assert rep["misses_by_cause"] == {"no_event_of_type": 2, "not_a_fact": 1, "wrong_place": 1, "wrong_date": 1,
                                      "wrong_place_and_date": 1, "merged": 1}
    assert len(rep["misses"]) == 7 and all(m["cause"] for m in rep["misses"])


def test_optional_negative_and_duplicate_predictions():
    preds = [pred("strike", "a", KHARKIV, "2024-11-18"),
             pred("strike", "a", KHARKIV, "2024-11-18"),                  # second reading of one incident
             pred("outage", "a", UKRAINE, "2024-11-18"),                  # matches an optional line only
             pred("capture", "b", IZIUM, "2024-11-18", claim="claimed"),  # what must not be reported as fact
             pred("capture", "b", IZIUM, "2024-11-18", claim="anticipated")]  # not a fact: not counted at all
    golds = [gold("strike", "a", KHARKIV, "2024-11-18"),
             gold("outage", "a", {"country": "UA", "precision": "country"}, None, required=False),
             gold("capture", "b", IZIUM, None, required=False, negative=True)]
    rep = score(preds, golds).to_dict()
    assert rep["events"] == {"required": 1, "found": 1, "recall": 1.0, "predicted_factual": 4, "optional_hits": 1,
                             "false": 2, "precision": 0.333, "negative_hits": 1}
    assert rep["false_by_cause"] == {"duplicate": 1, "negative": 1, "unmatched": 0}


def test_place_rules():
    g_country = gold("strike", "a", {"country": "RU", "precision": "country", "geonameid": 2017370}, "2024-11-18")
    in_russia_town = pred("strike", "a", {"lat": 51.7, "lon": 36.2, "country": "RU", "precision": "locality"}, "2024-11-18")
    russia = pred("strike", "a", {"country": "RU", "precision": "country", "lat": 60.0, "lon": 100.0}, "2024-11-18")
    assert score([in_russia_town], [g_country]).found == 0  # a town the text did not give
    assert score([russia], [g_country]).found == 1
    region = pred("strike", "a", {"lat": 51.7, "lon": 36.2, "country": "RU", "precision": "admin1"}, "2024-11-18")
    assert score([region], [g_country]).found == 1  # an area of that country, not a town
    near = pred("strike", "a", {"lat": 50.1, "lon": 36.3, "country": "UA"}, "2024-11-18")  # ~14 km from the gold point
    assert score([near], [gold("strike", "a", KHARKIV, "2024-11-18")]).found == 1
    assert score([near], [gold("strike", "a", KHARKIV, "2024-11-18", tolerance_km=5)]).found == 0
    same_id_far = pred("strike", "a", {"geonameid": 706483, "lat": 0.0, "lon": 0.0}, "2024-11-18")
    assert score([same_id_far], [gold("strike", "a", KHARKIV, "2024-11-18")]).found == 1
    by_name_only = gold("strike", "a", {"place": "Kharkiv", "country": "UA"}, "2024-11-18")
    assert score([pred("strike", "a", KHARKIV, "2024-11-18")], [by_name_only]).found == 0  # cannot be checked


def test_date_rules():
    g = gold("strike", "a", KHARKIV, "2024-11-18")
    assert score([pred("strike", "a", KHARKIV, "2024-11-19")], [g]).found == 1      # default tolerance: 1 day
    assert score([pred("strike", "a", KHARKIV, "2024-11-20")], [g]).found == 0
    assert score([pred("strike", "a", KHARKIV, "2024-11-19")], [{**g, "date_tolerance_days": 0}]).found == 0
    assert score([pred("strike", "a", KHARKIV, None)], [g]).found == 0               # undated prediction
    negative_undated = gold("talks", "a", KHARKIV, None, required=False, negative=True)
    assert score([pred("talks", "a", KHARKIV, "2024-11-25")], [negative_undated]).negative_hits == 1


def test_wrong_attributes_of_matched_events_are_listed():
    g = gold("strike", "a", KHARKIV, "2024-11-18", fatalities=3, injured=12, claim="claimed")
    rep = score([pred("strike", "a", KHARKIV, "2024-11-18", fatalities=3, injured=10)], [g])
    assert [(a["attribute"], a["predicted"], a["gold"]) for a in rep.attribute_errors] == [
        ("injured", 10, 12), ("claim", "reported", "claimed")]
    assert "injured 10, gold 12" in render(rep, verbose=True)


def test_any_type_negative_line():
    g = {"article": "a", "type": "*", "required": False, "negative": True}
    rep = score([pred("strike", "a", KHARKIV, "2024-11-18"), pred("clash", "b", IZIUM, "2024-11-18")], [g])
    assert [f["cause"] for f in rep.false_events] == ["negative", "unmatched"] and rep.negative_hits == 1


def test_gold_file_errors(tmp_path):
    with pytest.raises(GeoError, match="events.jsonl"):
        load_gold(tmp_path)
    (tmp_path / "events.jsonl").write_text('{"article": "a", "type": "strike"}\n\n{"article": "a", "type": "storm"}\n')
    with pytest.raises(GeoError, match=r"events.jsonl:3: .*'type'"):
        load_gold(tmp_path)
    (tmp_path / "events.jsonl").write_text('{"article": "a", "type": "strike"}\n{not json\n')
    with pytest.raises(GeoError, match=r"events.jsonl:2: not JSON"):
        load_gold(tmp_path)


CORPUS = [
    {"id": "t-1", "title": "Drones hit Kharkiv", "published": "2024-11-19", "source": "Test Wire",
     "text": "Russian drones struck Kharkiv on Monday, killing three people and injuring 12, the regional governor said."},
    {"id": "t-2", "title": "Rally in Lviv", "published": "2024-11-19", "source": "Test Wire",
     "text": "About 2,000 people rallied in Lviv on Sunday to demand news of missing soldiers."},
    {"id": "t-3", "title": "Talks planned", "published": "2024-11-19", "source": "Test Wire",
     "text": "Negotiators will meet in Istanbul next week, Turkish officials said."},
]
GOLD = [
    {"article": "t-1", "type": "strike", "required": True, "date": "2024-11-18", "place": "Kharkiv", "geonameid": 706483,
     "lat": 49.98, "lon": 36.25, "country": "UA", "precision": "locality", "actor": "Russia", "fatalities": 3,
     "injured": 12, "claim": "reported"},
    {"article": "t-1", "type": "clash", "required": True, "date": "2024-11-18", "place": "Kharkiv", "lat": 49.98,
     "lon": 36.25, "country": "UA", "precision": "locality"},
    {"article": "t-2", "type": "protest", "required": True, "date": "2024-11-17", "place": "Lviv", "lat": 49.84,
     "lon": 24.03, "country": "UA", "precision": "locality", "quantity": 2000},
    {"article": "t-2", "type": "protest", "required": True, "date": "2024-11-17", "place": "Kyiv", "lat": 50.45,
     "lon": 30.52, "country": "UA", "precision": "locality"},
    {"article": "t-3", "type": "talks", "required": False, "negative": True, "place": "Istanbul", "lat": 41.01,
     "lon": 28.95, "country": "TR", "precision": "locality", "why": "planned, not held"},
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    d = tmp_path_factory.mktemp("tiny")
    (d / "corpus.jsonl").write_text("".join(json.dumps(a) + "\n" for a in CORPUS), encoding="utf-8")
    (d / "gold").mkdir()
    (d / "gold" / "events.jsonl").write_text("".join(json.dumps(g) + "\n" for g in GOLD), encoding="utf-8")
    return d


def geo_eval(*args) -> str:
    """`geo eval ARGS` in this process (the language models stay loaded between tests)."""
    from typer.testing import CliRunner

    from geo.cli import app

    res = CliRunner().invoke(app, ["eval", *map(str, args)])
    assert res.exit_code == 0, res.output
    return res.stdout


def test_geo_eval_on_a_tiny_corpus(tiny):
    rep = json.loads(geo_eval("--corpus", tiny / "corpus.jsonl", "--gold", tiny / "gold", "--json"))
    assert rep["events"] == {"required": 4, "found": 2, "recall": 0.5, "predicted_factual": 2, "optional_hits": 0,
                             "false": 0, "precision": 1.0, "negative_hits": 0}  # the planned talks are no fact
    assert rep["misses_by_cause"]["no_event_of_type"] == 1 and rep["misses_by_cause"]["wrong_place"] == 1
    assert {m["place"] for m in rep["misses"]} == {"Kharkiv", "Kyiv"}
    attrs = {k: (v["correct"], v["total"]) for k, v in rep["attributes"].items()}
    assert attrs["fatalities"] == attrs["injured"] == attrs["actor"] == attrs["claim"] == (1, 1)
    assert attrs["date"] == (2, 2) and attrs["quantity"][1] == 1
    assert rep["types"]["protest"]["recall"] == 0.5 and rep["types"]["strike"]["precision"] == 1.0


def test_geo_eval_text_report_lists_misses_with_v(tiny, run_geo):
    db = tiny / "kept.duckdb"
    out = geo_eval("--corpus", tiny / "corpus.jsonl", "--gold", tiny / "gold", "-v", "--db", db)
    assert "recall 0.500 (2/4 required found)" in out and "precision 1.000" in out
    assert "[wrong_place] t-2 protest @ Kyiv 2024-11-17" in out and "[no_event_of_type] t-1 clash" in out
    assert "false events:\n  none" in out and db.is_file()  # --db keeps the database
    bad = run_geo("eval", "--corpus", tiny / "missing.jsonl", "--gold", tiny / "gold", cwd=tiny)
    assert bad.returncode == 2 and "missing.jsonl" in bad.stderr and "Traceback" not in bad.stderr


def test_render_without_verbose_has_no_lists():
    text = render(score([pred("strike", "a", KHARKIV, "2024-11-18")], [gold("strike", "a", KHARKIV, "2024-11-18")]))
    assert "recall 1.000" in text and "misses:" not in text


def test_same_recall_and_precision_as_the_shared_scorer_on_the_seeds(shared_dir, tmp_path):
    script, seeds = shared_dir / "eval" / "score", shared_dir / "corpus" / "seeds.jsonl"
    if not script.is_file() or not seeds.is_file():
        pytest.skip("the shared scorer or the seed articles are absent")
    env = dict(os.environ, GEO_CMD=f"{shlex.quote(sys.executable)} -m geo")
    proc = subprocess.run([str(script), "--json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    theirs = json.loads([ln for ln in proc.stdout.splitlines() if ln.startswith("{")][-1])
    ours = json.loads(geo_eval("--corpus", seeds, "--gold", shared_dir / "eval" / "seeds", "--json"))["events"]
    assert (ours["recall"], ours["precision"]) == (theirs["events.recall"], theirs["events.precision"])
    assert (ours["found"], ours["false"]) == (theirs["events.found"], theirs["events.false"])
