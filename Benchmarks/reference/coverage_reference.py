#!/usr/bin/env python3
"""Independent reference for LandWatch per-town bare-land coverage.

Computed with geopandas/shapely/pyproj only (no LandWatch code).
Usage:  python3 coverage_reference.py   (writes coverage_reference.json next to this file)
"""
import json
import os
import sys

import geopandas as gpd
import pandas as pd
import pyproj
import shapely
from shapely.geometry import MultiPolygon, Polygon, Point

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "Data"))
ZONES = os.path.join(DATA, "daxing_towns.gpkg")
PATCHES = os.path.join(DATA, "bare_land_202610.shp")
POINTS = os.path.join(DATA, "enterprises.csv")
OUT = os.path.join(HERE, "coverage_reference.json")

GEOD = pyproj.Geod(a=6378137.0, rf=298.257222101)  # CGCS2000 / GRS80
MU = 10000.0 / 15.0


# ---------------------------------------------------------------- helpers
def polygonal(g):
    """Polygonal part of g as Polygon/MultiPolygon (or empty MultiPolygon)."""
    if g is None or g.is_empty:
        return MultiPolygon()
    t = g.geom_type
    if t in ("Polygon", "MultiPolygon"):
        return g
    if t == "GeometryCollection":
        parts = [p for p in g.geoms if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
        if not parts:
            return MultiPolygon()
        u = shapely.union_all(parts)
        if u.geom_type == "Polygon":
            u = MultiPolygon([u])
        return u
    return MultiPolygon()


def ring_area(ring):
    lon, lat = ring.xy
    a, _ = GEOD.polygon_area_perimeter(lon, lat)
    return abs(a)


def geod_area(g):
    """abs(exterior) - sum(abs(interiors)) per polygon, summed."""
    if g is None or g.is_empty:
        return 0.0
    if g.geom_type == "Polygon":
        polys = [g]
    elif g.geom_type == "MultiPolygon":
        polys = list(g.geoms)
    else:
        polys = list(polygonal(g).geoms) if not polygonal(g).is_empty else []
        polys = [q for p in polys for q in (p.geoms if p.geom_type == "MultiPolygon" else [p])]
    total = 0.0
    for p in polys:
        if p.is_empty:
            continue
        total += ring_area(p.exterior) - sum(ring_area(r) for r in p.interiors)
    return total


def repair(geoms):
    """make_valid + polygonal part; returns (list of geometry-or-None, repaired, dropped)."""
    out, repaired, dropped = [], 0, 0
    for g in geoms:
        if g is None or g.is_empty:
            out.append(None)
            dropped += 1
            continue
        if not g.is_valid:
            repaired += 1
            g = shapely.make_valid(g)
        g = polygonal(g)
        if g.is_empty or geod_area(g) == 0.0:
            out.append(None)
            dropped += 1
        else:
            out.append(g)
    return out, repaired, dropped


def row(zone, zone_area, count, touching, area, cls=None):
    r = {"zone": zone}
    if cls is not None:
        r["class"] = cls
    r.update({
        "zone_area_m2": zone_area,
        "count": count,
        "touching": touching,
        "area_m2": area,
        "area_mu": area / MU,
        "area_ha": area / 10000.0,
        "coverage_pct": 100.0 * area / zone_area if zone_area else None,
    })
    return r


def coverage(zone_names, zone_geoms, patch_geoms, patch_classes=None):
    """Core computation shared with coverage_cases.py.

    zone_geoms / patch_geoms: shapely geometries in lon/lat (EPSG:4490), patches already repaired
    (None entries = dropped, ignored).
    Returns dict with zones, by_class (if classes given), outside, and per-patch assignment.
    """
    nz = len(zone_geoms)
    zone_areas = [geod_area(z) for z in zone_geoms]
    for z in zone_geoms:
        shapely.prepare(z)
    # pieces[z] = list of (patch index, piece geometry, piece area)
    pieces = [[] for _ in range(nz)]
    touching = [set() for _ in range(nz)]
    assigned = []  # zone index or None per patch (None for dropped as well)
    for i, g in enumerate(patch_geoms):
        if g is None:
            assigned.append(None)
            continue
        best, best_a = None, 0.0
        for zi, z in enumerate(zone_geoms):
            if not z.intersects(g):
                continue
            touching[zi].add(i)
            piece = polygonal(shapely.intersection(g, z))
            a = geod_area(piece)
            if a > 0.0:
                pieces[zi].append((i, piece, a))
                if a > best_a:  # strict: ties keep the earlier zone
                    best, best_a = zi, a
        assigned.append(best)

    def summarise(select):
        rows = []
        for zi in range(nz):
            ps = [p for (i, p, a) in pieces[zi] if select(i)]
            area = geod_area(polygonal(shapely.union_all(ps))) if ps else 0.0
            cnt = sum(1 for i, a in enumerate(assigned) if a == zi and select(i))
            tch = sum(1 for i in touching[zi] if select(i))
            rows.append((zone_names[zi], zone_areas[zi], cnt, tch, area))
        outside = sum(1 for i, g in enumerate(patch_geoms) if g is not None and assigned[i] is None and select(i))
        return rows, outside

    rows, outside = summarise(lambda i: True)
    res = {"zones": [row(*r) for r in rows], "outside": {"count": outside}, "assigned": assigned}
    if patch_classes is not None:
        classes = sorted({c for c, g in zip(patch_classes, patch_geoms) if g is not None},
                         key=lambda c: (c is None, str(c)))
        by_class, out_cls = [], {}
        for c in classes:
            crow, cout = summarise(lambda i, c=c: patch_classes[i] == c)
            for (zn, za, cnt, tch, area) in crow:
                by_class.append(row(zn, za, cnt, tch, area, cls=c))
            out_cls[c] = cout
        res["by_class"] = by_class
        res["outside_by_class"] = out_cls
    return res


def versions():
    return {
        "python": sys.version.split()[0],
        "geopandas": gpd.__version__,
        "shapely": shapely.__version__,
        "GEOS": shapely.geos_version_string,
        "pyproj": pyproj.__version__,
        "PROJ": pyproj.proj_version_str,
        "pandas": pd.__version__,
    }


# ---------------------------------------------------------------- main
def main():
    zones = gpd.read_file(ZONES, layer="towns")
    assert zones.crs.to_epsg() == 4527, zones.crs
    # The towns' edges are straight in EPSG:4527: segmentized there (50 m: under 0.05 mm off the
    # straight edge once in lon/lat) before reprojecting, so that they keep their course.
    zones = zones.set_geometry(zones.geometry.segmentize(50))
    zones4490 = zones.to_crs(4490)
    names = list(zones["name"])
    zgeoms = list(zones4490.geometry)

    patches = gpd.read_file(PATCHES)  # pyogrio honours the .cpg (CP936)
    assert patches.crs.to_epsg() == 4490, patches.crs
    features = len(patches)
    pgeoms, repaired, dropped = repair(list(patches.geometry))
    classes = list(patches["lx"])

    res = coverage(names, zgeoms, pgeoms, classes)

    # points: WGS84 lon/lat, zones reprojected to EPSG:4326, first covering zone wins
    pts = pd.read_csv(POINTS, encoding="utf-8")
    zones4326 = list(zones.to_crs(4326).geometry)
    for z in zones4326:
        shapely.prepare(z)
    pcount = [0] * len(names)
    pout = 0
    for lon, lat in zip(pts["经度"], pts["纬度"]):
        pt = Point(float(lon), float(lat))
        for zi, z in enumerate(zones4326):
            if z.covers(pt):
                pcount[zi] += 1
                break
        else:
            pout += 1

    out = {
        "zones": res["zones"],
        "by_class": res["by_class"],
        "outside": res["outside"],
        "outside_by_class": res["outside_by_class"],
        "repaired": repaired,
        "dropped": dropped,
        "features": features,
        "points": [{"zone": n, "count": c} for n, c in zip(names, pcount)],
        "points_outside": pout,
        "points_total": len(pts),
        "total_area_m2": sum(r["area_m2"] for r in res["zones"]),
        "versions": versions(),
        "notes": "analysis CRS EPSG:4490; geodesic areas on a=6378137, rf=298.257222101; "
                 "area_m2 = area of union of pieces per zone; count by largest piece, ties to earlier zone.",
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)

    # summary
    print(f"features={features} repaired={repaired} dropped={dropped} outside={res['outside']['count']}")
    print(f"{'zone':<8} {'count':>5} {'touch':>5} {'area_m2':>16} {'zone_area_m2':>18} {'pct':>8} {'pts':>4}")
    for r, pc in zip(res["zones"], pcount):
        print(f"{r['zone']:<8} {r['count']:>5} {r['touching']:>5} {r['area_m2']:>16.3f} "
              f"{r['zone_area_m2']:>18.3f} {r['coverage_pct']:>8.4f} {pc:>4}")
    print(f"total area_m2={out['total_area_m2']:.3f}  count sum={sum(r['count'] for r in res['zones'])}"
          f"  points in zones={sum(pcount)} outside={pout}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
