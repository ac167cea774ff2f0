"""Which admin-1 area contains a point, from polygons when the repository ships them.

Admin-1 polygons (Natural Earth) are not shipped yet; until they are, callers fall back to the
admin-1 of the nearest town, which is right away from borders.
"""
from __future__ import annotations


def admin1_containing(lat: float, lon: float) -> str | None:
    """GeoNames admin-1 code (``UA.05``) of the area containing the point, or None if unknown."""
    return None
