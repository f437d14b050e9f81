#!/usr/bin/env python3
"""Independent reference for LandWatch plot x sensitive-parcel overlap / proximity.

Computed with geopandas/shapely/pyproj only (no LandWatch code).
Usage:  python3 overlap_reference.py   (writes overlap_reference.json next to this file)

Semantics
  pairs      (plot, parcel) with sjoin(predicate="dwithin", distance=500) in EPSG:4527
  overlap_m2 geodesic area (CGCS2000 ellipsoid, |exterior| - sum|holes| per polygon) of the
             polygonal part of plot ∩ parcel, both reprojected to EPSG:4490 with to_crs
  distance_m 0 if the geometries intersect (EPSG:4527), else shapely nearest_points in
             EPSG:4527, both points reprojected to 4490, geodesic Geod.inv distance
  zone       town holding the largest geodesic area of the plot (plot ∩ town in 4490)
"""
import json
import os
import sys

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pyproj
import shapely
from shapely.geometry import MultiPolygon
from shapely.ops import nearest_points

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "Data"))
PLOTS = os.path.join(DATA, "contaminated_plots.gpkg")
PARCELS = os.path.join(DATA, "sensitive_landuse.geojson")
ZONES = os.path.join(DATA, "daxing_towns.gpkg")
OUT = os.path.join(HERE, "overlap_reference.json")

DIST = 500.0
RINGS = (100, 300, 500)
BORDER_TOL = DIST * 0.001  # 0.1 % of 500 m = 0.5 m

GEOD = pyproj.Geod(a=6378137.0, rf=298.257222101)  # CGCS2000 / GRS80
TO_4490 = pyproj.Transformer.from_crs(4527, 4490, always_xy=True)


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
        return MultiPolygon([u]) if u.geom_type == "Polygon" else u
    return MultiPolygon()


def ring_area(ring):
    lon, lat = ring.xy
    a, _ = GEOD.polygon_area_perimeter(lon, lat)
    return abs(a)


def geod_area(g):
    """Sum over polygons of |exterior| - sum(|holes|), geodesic, m²."""
    g = polygonal(g)
    if g.is_empty:
        return 0.0
    polys = [g] if g.geom_type == "Polygon" else list(g.geoms)
    return float(sum(ring_area(p.exterior) - sum(ring_area(r) for r in p.interiors)
                     for p in polys if not p.is_empty))


def geod_distance_4527(p1, p2):
    """Geodesic distance (m) between two EPSG:4527 points after reprojection to 4490."""
    lon1, lat1 = TO_4490.transform(p1.x, p1.y)
    lon2, lat2 = TO_4490.transform(p2.x, p2.y)
    _, _, d = GEOD.inv(lon1, lat1, lon2, lat2)
    return float(d)


def versions():
    return {
        "python": sys.version.split()[0],
        "geopandas": gpd.__version__,
        "shapely": shapely.__version__,
        "GEOS": shapely.geos_version_string,
        "pyproj": pyproj.__version__,
        "PROJ": pyproj.proj_version_str,
        "pyogrio": pyogrio.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
    }


# ---------------------------------------------------------------- main
def main():
    plots = gpd.read_file(PLOTS, layer="contaminated_plots")[["plot_id", "geometry"]]
    parcels = gpd.read_file(PARCELS)[["parcel_id", "landuse", "geometry"]]
    zones = gpd.read_file(ZONES, layer="towns")[["name", "geometry"]]
    assert plots.crs.to_epsg() == 4527 and zones.crs.to_epsg() == 4527
    assert plots.plot_id.is_unique and parcels.parcel_id.is_unique

    # Plots and towns are drawn in EPSG:4527, their edges straight there: segmentized (50 m:
    # under 0.05 mm off the straight edge once in lon/lat) before reprojecting.
    plots = plots.set_geometry(plots.geometry.segmentize(50))
    zones = zones.set_geometry(zones.geometry.segmentize(50))
    plots_m = plots.to_crs(4527)
    parcels_m = parcels.to_crs(4527)
    plots_g = plots.to_crs(4490)
    parcels_g = parcels.to_crs(4490)
    zones_g = zones.to_crs(4490)
    invalid = {
        "plots_4527": int((~plots_m.is_valid).sum()), "parcels_4527": int((~parcels_m.is_valid).sum()),
        "plots_4490": int((~plots_g.is_valid).sum()), "parcels_4490": int((~parcels_g.is_valid).sum()),
        "zones_4490": int((~zones_g.is_valid).sum()),
    }

    classes = sorted(parcels.landuse.unique())

    # --- zone per plot (largest geodesic area of plot ∩ zone, 4490)
    plot_area = {}
    plot_zone = {}
    for i, row in plots_g.iterrows():
        pid = row.plot_id
        plot_area[pid] = geod_area(row.geometry)
        best, best_a = None, 0.0
        for _, z in zones_g.iterrows():
            if not row.geometry.intersects(z.geometry):
                continue
            a = geod_area(shapely.intersection(row.geometry, z.geometry))
            if a > best_a:  # strict: ties go to the earlier zone in layer order
                best, best_a = z["name"], a
        plot_zone[pid] = best

    # --- candidate pairs
    joined = gpd.sjoin(plots_m, parcels_m, predicate="dwithin", distance=DIST, how="inner")
    cand = sorted({(int(i), int(j)) for i, j in zip(joined.index, joined["index_right"])})

    pairs = []
    max_rel = 0.0
    max_rel_pair = None
    inter_mismatch = []
    for i, j in cand:
        pid = plots.plot_id.iloc[i]
        qid = parcels.parcel_id.iloc[j]
        cls = parcels.landuse.iloc[j]
        gm_a, gm_b = plots_m.geometry.iloc[i], parcels_m.geometry.iloc[j]
        gg_a, gg_b = plots_g.geometry.iloc[i], parcels_g.geometry.iloc[j]

        inter = polygonal(shapely.intersection(gg_a, gg_b))
        overlap = geod_area(inter)
        planar = float(shapely.distance(gm_a, gm_b))
        intersects = bool(gm_a.intersects(gm_b))
        if intersects != bool(gg_a.intersects(gg_b)):
            inter_mismatch.append([pid, qid])
        if intersects:
            dist = 0.0
        else:
            na, nb = nearest_points(gm_a, gm_b)
            dist = geod_distance_4527(na, nb)
            rel = (planar - dist) / dist
            if abs(rel) > abs(max_rel):
                max_rel, max_rel_pair = rel, [pid, qid]
        pairs.append({
            "plot": pid,
            "parcel": qid,
            "class": cls,
            "overlap_m2": overlap,
            "plot_share_pct": 100.0 * overlap / plot_area[pid],
            "distance_m": dist,
            "planar_4527_m": planar,
            "intersects": intersects,
            "zone": plot_zone[pid],
        })
    pairs.sort(key=lambda p: (p["plot"], p["parcel"]))

    # --- sanity: pairs that sjoin (planar <= 500) misses but whose geodesic distance is <= 500
    wide = gpd.sjoin(plots_m, parcels_m, predicate="dwithin", distance=DIST + 5.0, how="inner")
    missed = []
    for i, j in {(int(i), int(j)) for i, j in zip(wide.index, wide["index_right"])} - set(cand):
        na, nb = nearest_points(plots_m.geometry.iloc[i], parcels_m.geometry.iloc[j])
        d = geod_distance_4527(na, nb)
        if d <= DIST:
            missed.append([plots.plot_id.iloc[i], parcels.parcel_id.iloc[j], d])

    # --- summary per plot
    summary = []
    for pid in plots.plot_id:
        mine = [p for p in pairs if p["plot"] == pid]
        within = [p for p in mine if p["distance_m"] <= DIST]
        nearest = min(within, key=lambda p: (p["distance_m"], p["parcel"])) if within else None
        row = {
            "plot": pid,
            "zone": plot_zone[pid],
            "plot_area_m2": plot_area[pid],
            "overlapping": sum(1 for p in mine if p["overlap_m2"] > 0),
            "within": len(within),
            "nearest_class": nearest["class"] if nearest else None,
            "nearest_parcel": nearest["parcel"] if nearest else None,
            "nearest_m": nearest["distance_m"] if nearest else None,
        }
        for c in classes:
            row[f"{c}_overlap_m2"] = float(sum(p["overlap_m2"] for p in mine if p["class"] == c))
            for r in RINGS:
                row[f"{c}_within_{r}m"] = sum(1 for p in mine if p["class"] == c and p["distance_m"] <= r)
        summary.append(row)

    borderline = [
        {k: p[k] for k in ("plot", "parcel", "class", "distance_m", "planar_4527_m")}
        for p in pairs
        if abs(p["distance_m"] - DIST) <= BORDER_TOL or abs(p["planar_4527_m"] - DIST) <= BORDER_TOL
    ]

    n_over = sum(1 for p in pairs if p["overlap_m2"] > 0)
    total_over = float(sum(p["overlap_m2"] for p in pairs))
    out = {
        "inputs": {
            "plots": "Data/contaminated_plots.gpkg (layer contaminated_plots, EPSG:4527)",
            "parcels": "Data/sensitive_landuse.geojson (EPSG:4326)",
            "zones": "Data/daxing_towns.gpkg (layer towns, EPSG:4527, field name)",
        },
        "rules": {
            "candidates": "geopandas sjoin predicate=dwithin distance=500 in EPSG:4527",
            "overlap_m2": "geodesic area (Geod a=6378137 rf=298.257222101; |exterior|-sum|holes|) of polygonal part "
                          "of plot∩parcel computed in EPSG:4490 (to_crs)",
            "plot_share_pct": "100*overlap_m2/geodesic plot area (4490)",
            "distance_m": "0 if intersecting (EPSG:4527), else nearest_points in 4527 -> 4490 -> Geod.inv",
            "planar_4527_m": "shapely distance in EPSG:4527",
            "zone": "town with largest geodesic area of plot∩town (4490), strict >, ties to earlier town; null if none",
            "overlapping": "parcels with overlap_m2 > 0",
            "within": "parcels with distance_m <= 500 (incl. overlapping)",
            "nearest": "min distance_m among pairs, ties by parcel_id",
            "rings": list(RINGS),
            "borderline": "|distance_m-500| <= 0.5 or |planar_4527_m-500| <= 0.5",
        },
        "classes": classes,
        "totals": {
            "pairs": len(pairs),
            "overlapping_pairs": n_over,
            "intersecting_pairs": sum(1 for p in pairs if p["intersects"]),
            "overlap_m2_sum": total_over,
            "plots_with_pairs": len({p["plot"] for p in pairs}),
        },
        "checks": {
            "invalid_geometries": invalid,
            "intersects_4527_vs_4490_mismatch": inter_mismatch,
            "geodesic_le_500_missed_by_planar_sjoin": missed,
            "max_rel_planar_minus_geodesic": max_rel,
            "max_rel_pair": max_rel_pair,
        },
        "pairs": pairs,
        "summary": summary,
        "borderline": borderline,
        "versions": versions(),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)

    print(f"pairs {len(pairs)}, overlapping {n_over}, overlap sum {total_over:.3f} m2, "
          f"borderline {len(borderline)}, max rel (planar-geod)/geod {max_rel:.3e}")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
