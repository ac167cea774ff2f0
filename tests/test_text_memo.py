"""The prefix-tree alternation (geo.text.alternation) and the run-to-run memo (geo.memo)."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from geo.memo import DiskMemo
from geo.text import alternation

WORDS = ["air", "air strike", "airport", "airports", "strike", "strikes", "Struck", "a", "ab", "abc",
         "b", "St. Petersburg", "U.S.", "al-Shabaab", "drone", "drones", "drone strike"]
TEXT = ("An air strike on the airport; air strikes and drone strikes struck St. Petersburg, "
        "the U.S. and al-Shabaab. AIR STRIKE, Struck, abc ab a b airs airports dronestrike")


def _plain(words, flags=0):
    body = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", flags)


@pytest.mark.parametrize("fold,flags", [(False, 0), (True, re.I)])
def test_prefix_tree_matches_what_a_longest_first_alternation_matches(fold, flags):
    tree = re.compile(r"(?<![\w-])(?:" + alternation(WORDS, fold=fold) + r")(?![\w-])", flags)
    expected = [(m.span(), m.group()) for m in _plain(WORDS, flags).finditer(TEXT)]
    assert [(m.span(), m.group()) for m in tree.finditer(TEXT)] == expected
    assert ("air strike" in [g for _, g in expected]) and ("airports" in [g for _, g in expected])


def test_a_shorter_word_is_taken_where_the_longer_one_fails_the_rest_of_the_pattern():
    rx = re.compile("(?:" + alternation(["drone", "drones"]) + r")\b strike")
    assert rx.search("drones strike").group() == "drones strike"
    assert rx.search("drone strike").group() == "drone strike"


def test_an_empty_word_list_matches_nothing():
    assert re.search(alternation([]), "anything at all") is None


def test_disk_memo_keeps_results_between_processes(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    calls = []
    memo = DiskMemo("square", "1")
    assert memo.get(7, lambda: calls.append(7) or 49) == 49
    assert memo.get(7, lambda: calls.append(7) or -1) == 49  # answered from the table
    memo.save()
    assert calls == [7] and (tmp_path / "square-1.pickle").exists()
    again = DiskMemo("square", "1")
    assert again.get(7, lambda: -1) == 49  # read back: not computed
    assert DiskMemo("square", "2").get(7, lambda: -1) == -1  # another version starts empty


def test_disk_memo_survives_a_damaged_file_and_a_read_only_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    (tmp_path / "square-1.pickle").write_bytes(b"not a pickle")
    memo = DiskMemo("square", "1")
    assert memo.get(3, lambda: 9) == 9
    memo.save()
    assert DiskMemo("square", "1").get(3, lambda: -1) == 9  # rewritten whole
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder should be")
    monkeypatch.setenv("GEO_CACHE_DIR", str(blocked))
    memo = DiskMemo("square", "1")
    assert memo.get(4, lambda: 16) == 16
    memo.save()  # cannot write: no error


def test_disk_memo_stops_growing_at_its_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path))
    memo = DiskMemo("capped", "1", limit=2)
    for k in range(5):
        assert memo.get(k, lambda k=k: k * 10) == k * 10
    memo.save()
    import pickle
    assert len(pickle.loads((tmp_path / "capped-1.pickle").read_bytes())) == 2


def test_lexicon_forms_are_written_at_exit_and_read_by_the_next_run(tmp_path):
    code = ("from geo.events.lexicon import forms; import sys; "
            "sys.stdout.write(','.join(sorted(forms('bombard'))))")
    env = {"GEO_CACHE_DIR": str(tmp_path), "PATH": ""}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "bombarded" in first.stdout.split(",")
    assert list(tmp_path.glob("forms-*.pickle"))
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert second.stdout == first.stdout
