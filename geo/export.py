"""Exports of stored events (kept importable; the code is in geo/render/export.py and geo/render/acled.py)."""
from __future__ import annotations

from geo.filters import EventFilter
from geo.render.acled import ACLED_COLUMNS, ACLED_EXTRA, acled_row, code_event
from geo.render.export import (FORMATS, acled_records, events_acled_csv, events_csv, events_geodataframe,
                               events_geojson, export_events)

__all__ = ["ACLED_COLUMNS", "ACLED_EXTRA", "FORMATS", "EventFilter", "acled_records", "acled_row", "code_event",
           "events_acled_csv", "events_csv", "events_geodataframe", "events_geojson", "export_events"]
