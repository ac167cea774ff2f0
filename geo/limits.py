"""Bounds on the work one input can cause, in one place.

Why: a news pipeline is fed scraped pages and third-party dumps. A 20 MB "article", a JSON record
nested 100,000 levels deep, a 1,000,000-character "word" or a FIFO given as a file must cost a
bounded, predictable amount of time and memory, and say so in one line, instead of hanging a
backfill or ending it with a traceback. The reader (`geo.read`) enforces every limit at the
boundary where the input enters; later stages can rely on what it yields.

Each limit can be changed for one run with an environment variable ``GEO_LIMIT_<NAME>`` (for
example ``GEO_LIMIT_ARTICLE_CHARS=2000000``); see `Limits.from_env`. The defaults are generous
for real news (the longest articles of the evaluation corpora are under 10,000 characters, their
longest sentence under 700; 200,000 characters is a 30,000-word report) and keep one article
under about ten seconds on a laptop: geoparsing is linear in the text, extraction close to it
below this size (see benchmarks/bench_limits.py).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass

from geo.errors import GeoError

__all__ = ["Limits", "EARLIEST_DATE", "LATEST_DATE", "ENV_PREFIX"]

# Dates outside this range are no publication or event dates of a news report: a published date
# out of it is a bad record, and event dates resolved against it stay far from the calendar's
# ends (date arithmetic near year 1 or 9999 overflows).
EARLIEST_DATE = dt.date(1800, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
ENV_PREFIX = "GEO_LIMIT_"


@dataclass(frozen=True, slots=True)
class Limits:
    """What one input may hold. Over a limit, the reader truncates (with a warning) or refuses.

    - ``article_chars``: characters of an article's text; longer text is cut at the last
      paragraph break (else sentence end, else space) before the limit, with a warning.
    - ``article_words``: words (runs of non-space) of an article's text; cut the same way.
    - ``word_chars``: one run of non-space characters (a base64 blob, a 1,000,000-digit
      "number"); a longer run is cut to this length and marked with "…", with a warning.
    - ``field_chars``: title, source and url; longer values are cut, with a warning.
    - ``id_chars``: an article id; a longer id is an error (ids must stay exact).
    - ``json_depth``: nesting of a JSON record (objects and arrays); deeper is an error.
    - ``record_bytes``: one JSONL line or one CSV record; a longer one is an error, refused
      without being decoded (the reader skips to the next line).
    - ``file_bytes``: one .txt/.md/.html file (one article); a bigger file is refused at once,
      before it is read. JSONL and CSV files are streamed record by record and have no size limit.
    - ``path_chars``: a path given on the command line or found in a folder.
    """

    article_chars: int = 200_000
    article_words: int = 50_000
    word_chars: int = 1_000
    field_chars: int = 2_000
    id_chars: int = 512
    json_depth: int = 64
    record_bytes: int = 16 * 1024 * 1024
    file_bytes: int = 16 * 1024 * 1024
    path_chars: int = 4_096

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, with each ``GEO_LIMIT_<FIELD>`` variable (a positive integer) applied."""
        env = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for f in dataclasses.fields(cls):
            name = ENV_PREFIX + f.name.upper()
            raw = env.get(name)
            if raw is None or not raw.strip():
                continue
            try:
                value = int(raw.replace("_", "").strip())
            except ValueError:
                value = 0
            if value <= 0:
                raise GeoError(f"{name}={raw!r}: a limit must be a positive integer")
            values[f.name] = value
        return cls(**values)

    def env_name(self, field: str) -> str:
        """The environment variable that changes `field` (named in messages)."""
        return ENV_PREFIX + field.upper()
