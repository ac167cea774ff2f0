"""Render and export: HTML maps, static plots, GeoJSON, GeoParquet and ACLED CSV."""
