"""Shared fixtures: one gazetteer per session, the repository root, the team's shared folder, and a
helper that runs the CLI in a subprocess the way a user would (`python -m geo ...`)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def gaz():
    """The default gazetteer, loaded once (the first build takes ~30 s and is cached in $GEO_CACHE_DIR)."""
    from gazetteer import Gazetteer

    return Gazetteer.default()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The team's shared folder (../shared next to the repository root), with the seed articles and
    the scorer; tests that need it are skipped where it is absent."""
    d = REPO.parent / "shared"
    if not d.is_dir():
        pytest.skip("../shared is absent: seed-article checks need the team's shared folder")
    return d


def geo_env(**extra: str) -> dict[str, str]:
    """The current environment (so GEO_CACHE_DIR and the virtualenv carry over) plus `extra`, without
    GEO_DB: a test's `geo` commands must never touch the database a developer has configured."""
    env = {k: v for k, v in os.environ.items() if k != "GEO_DB"}
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def run_geo():
    """run_geo(*args, cwd=...) -> CompletedProcess of `python -m geo args...` (text, captured)."""

    def run(*args: str, cwd: Path | str, timeout: float = 300, input: str | None = None):
        return subprocess.run([sys.executable, "-m", "geo", *map(str, args)], cwd=cwd, env=geo_env(),
                              capture_output=True, text=True, timeout=timeout, input=input)

    return run
