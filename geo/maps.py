"""Compatibility shim: the HTML map moved to `geo.render.maps` (and its data to `geo.render.mapdata`).

Kept so that `from geo.maps import render_map, render_db_map` goes on working; new code should import
from geo.render.
"""
from __future__ import annotations

from geo.render.mapdata import TYPE_COLORS, build_payload
from geo.render.maps import (AREA_CLASS, CLUSTER_CLASS, EVENT_CLASS, build_map, map_from_db, render_db_map,
                             render_map)

__all__ = ["TYPE_COLORS", "EVENT_CLASS", "AREA_CLASS", "CLUSTER_CLASS", "build_map", "build_payload",
           "map_from_db", "render_db_map", "render_map"]
