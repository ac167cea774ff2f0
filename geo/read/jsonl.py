"""JSONL: one JSON object a line, streamed line by line with a bound on each line's length and
each record's nesting, so no line costs more than its size and none can exhaust the stack."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from geo.errors import InputError
from geo.models import Article
from geo.read.fields import json_type
from geo.read.formats import Context, record_article
from geo.read.sources import lines

# A JSON string, possessive so that a long one is matched without backtracking state.
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")


def too_deep(text: str, depth: int) -> bool:
    """Whether the JSON in `text` nests objects/arrays deeper than `depth` (brackets inside
    strings do not count). Linear, and cheap for ordinary records (few brackets at all)."""
    if text.count("[") + text.count("{") <= depth:
        return False
    level = 0
    for ch in _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)):
        if ch in "[{":
            level += 1
            if level > depth:
                return True
        else:
            level -= 1
    return False


def load_record(line: str, where: str, n: int, depth: int) -> dict[str, Any]:
    """The JSON object of one line, or an InputError saying why it is not one."""
    if too_deep(line, depth):
        raise InputError(where, n, f"JSON nested deeper than {depth} levels (GEO_LIMIT_JSON_DEPTH)")
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(where, n, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    except ValueError as exc:  # an integer of more than sys.get_int_max_str_digits() digits
        raise InputError(where, n, f"invalid JSON: {str(exc).split(';')[0]}") from None
    except RecursionError:
        raise InputError(where, n, "JSON nested too deeply for the decoder") from None
    if not isinstance(rec, dict):
        raise InputError(where, n, f"expected a JSON object, got {json_type(rec)}")
    return rec


def records_jsonl(stream: BinaryIO, where: str, stem: str, ctx: Context, first: bytes = b"") -> Iterator[Article]:
    """The articles of a JSONL stream; each bad line is reported (`ctx.report`) and skipped.
    Blank lines are skipped; a record without id gets "<stem>-<line>"."""
    limits = ctx.limits
    for n, raw, size in lines(stream, limits.record_bytes, first):
        try:
            if raw is None:
                raise InputError(where, n, f"line is {size:,} bytes; the limit for one record is "
                                           f"{limits.record_bytes:,} ({limits.env_name('record_bytes')}): skipped")
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(where, n, f"cannot decode line as utf-8 (byte {exc.start:,}: {exc.reason})") from None
            if not line.strip():
                continue
            yield record_article(load_record(line, where, n, limits.json_depth), where, n, stem, ctx)
        except InputError as exc:
            ctx.report(exc)

