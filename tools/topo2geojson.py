#!/usr/bin/env python3
"""Convert a world-atlas TopoJSON file to a small GeoJSON FeatureCollection.

Used once to make data/boundaries/countries-110m.geojson from the npm package world-atlas@2
(countries-110m.json, Natural Earth 1:110m, public domain):

    npm pack world-atlas@2 && tar xzf world-atlas-2.*.tgz
    python tools/topo2geojson.py package/countries-110m.json data/boundaries/countries-110m.geojson

Python only (no node/topojson-client needed; shapely, a project dependency, for the antimeridian cut)
so the step can be redone anywhere. Coordinates are rounded to `--digits` decimals (2 = ~1 km, well
below 1:110m detail) and consecutive duplicate points dropped, which keeps the file small enough to
inline in an offline HTML map.

world-atlas is made for spherical (d3-geo) rendering: a few rings (Russia's Chukotka, Fiji) jump from
+180 to -180 and back, which a flat Leaflet map draws as bands across the whole world. Such polygons
are unwrapped to continuous longitudes and cut at +-180 into planar pieces (`split_antimeridian`).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat for every arc: quantized topologies store deltas (RFC-less TopoJSON spec)."""
    tf = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        if tf:
            (sx, sy), (tx, ty) = tf["scale"], tf["translate"]
            x = y = 0
            pts = []
            for dx, dy in arc:
                x, y = x + dx, y + dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [tuple(p[:2]) for p in arc]
        arcs.append(pts)
    return arcs


def ring(indexes: list[int], arcs: list, digits: int) -> list[list[float]]:
    """Stitch arcs into one closed ring; ~i means arc i reversed; shared end points are not repeated."""
    out: list[list[float]] = []
    for i in indexes:
        pts = arcs[i] if i >= 0 else arcs[~i][::-1]
        for k, (x, y) in enumerate(pts):
            if out and k == 0:
                continue
            p = [round(x, digits), round(y, digits)]
            if not out or out[-1] != p:
                out.append(p)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def unwrap(r: list[list[float]], ref: float) -> list[list[float]] | None:
    """The ring with continuous longitudes near `ref`; None if it winds round a pole (Antarctica),
    where the +-180 jump is the ring closing along the map's edge and must stay as it is."""
    off = 360.0 * round((ref - r[0][0]) / 360.0)
    out = [[r[0][0] + off, r[0][1]]]
    for (x0, _), (x1, y1) in zip(r, r[1:]):
        off += -360.0 if x1 - x0 > 180 else 360.0 if x1 - x0 < -180 else 0.0
        out.append([x1 + off, y1])
    return out if abs(out[-1][0] - out[0][0]) < 1e-9 else None


def split_antimeridian(rings: list, digits: int) -> list[list]:
    """Planar polygons (lists of rings) for one polygon that may cross +-180 (see module doc)."""
    crosses = any(abs(b[0] - a[0]) > 180 for r in rings for a, b in zip(r, r[1:]))
    shell = unwrap(rings[0], rings[0][0][0]) if crosses else None
    if shell is None:
        return [rings]
    from shapely.affinity import translate
    from shapely.geometry import Polygon, box, mapping

    holes = [h for h in (unwrap(h, shell[0][0]) for h in rings[1:]) if h]
    poly = Polygon(shell, holes).buffer(0)
    out = []
    for shift in (-360.0, 0.0, 360.0):
        piece = translate(poly, xoff=shift).intersection(box(-180, -90, 180, 90))
        parts = getattr(piece, "geoms", [piece])
        out += [mapping(p)["coordinates"] for p in parts if p.geom_type == "Polygon" and not p.is_empty]
    return [[[[round(x, digits), round(y, digits)] for x, y in r] for r in p] for p in out]


def geometry(g: dict, arcs: list, digits: int) -> dict | None:
    """GeoJSON geometry of one TopoJSON polygon or multipolygon (rings of < 4 points dropped)."""
    def polys(arc_rings: list) -> list:
        rings = [r for r in (ring(x, arcs, digits) for x in arc_rings) if len(r) >= 4]
        return split_antimeridian(rings, digits) if rings else []

    parts = [p for x in ([g["arcs"]] if g["type"] == "Polygon" else g["arcs"]) for p in polys(x)]
    if g["type"] not in ("Polygon", "MultiPolygon") or not parts:
        return None
    if len(parts) == 1:
        return {"type": "Polygon", "coordinates": parts[0]}
    return {"type": "MultiPolygon", "coordinates": parts}


def convert(topo: dict, obj: str, digits: int) -> dict:
    """FeatureCollection of one named object, keeping only `name` and the ISO numeric `id`."""
    arcs = decode_arcs(topo)
    feats = []
    for g in topo["objects"][obj]["geometries"]:
        geom = geometry(g, arcs, digits)
        if geom:
            props = {"name": (g.get("properties") or {}).get("name"), "iso_n3": g.get("id")}
            feats.append({"type": "Feature", "properties": props, "geometry": geom})
    return {"type": "FeatureCollection", "features": feats}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("dst", type=Path)
    ap.add_argument("--object", default="countries")
    ap.add_argument("--digits", type=int, default=2)
    a = ap.parse_args()
    fc = convert(json.loads(a.src.read_text()), a.object, a.digits)
    a.dst.parent.mkdir(parents=True, exist_ok=True)
    a.dst.write_text(json.dumps(fc, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(fc['features'])} features -> {a.dst} ({a.dst.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
