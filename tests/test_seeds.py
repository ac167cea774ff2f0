"""The team's scorer on the seed articles (../shared/eval/score), held to issue 2's thresholds.
Skipped where ../shared is absent."""
from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys

import pytest

THRESHOLDS = {
    "events.recall": 0.5,
    "events.precision": 0.6,
    "places.recall": 0.8,
    "places.precision": 0.8,
    "places.resolution_accuracy": 0.85,
}


@pytest.fixture(scope="module")
def seed_scores(shared_dir, tmp_path_factory) -> dict:
    script = shared_dir / "eval" / "score"
    if not script.is_file():
        pytest.skip(f"{script} is absent")
    geo_cmd = f"{shlex.quote(sys.executable)} -m geo"
    proc = subprocess.run([str(script), "--json"], cwd=tmp_path_factory.mktemp("seeds"),
                          env=dict(os.environ, GEO_CMD=geo_cmd), capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    last = [line for line in proc.stdout.splitlines() if line.strip().startswith("{")]
    assert last, proc.stdout
    scores = json.loads(last[-1])
    print("\nseed scores:", json.dumps(scores, indent=1))
    return scores


def test_scorer_ran_without_errors(seed_scores):
    assert "events.error" not in seed_scores and "places.error" not in seed_scores, seed_scores


@pytest.mark.parametrize("figure, minimum", sorted(THRESHOLDS.items()))
def test_seed_figure_meets_threshold(seed_scores, figure, minimum):
    value = seed_scores.get(figure)
    assert value is not None, f"{figure} missing from {seed_scores}"
    assert value >= minimum, f"{figure} = {value} < {minimum}"
