#!/usr/bin/env python3
"""Independent reference for LandWatch bare land / construction on contaminated and suspected plots.

Computed with geopandas/shapely/pyproj only (no LandWatch code).
Usage:  python3 construction_reference.py   (writes construction_reference.json next to this file)

Semantics (all in EPSG:4490 lon/lat)
  detections  Data/bare_land_2026{08,09,10}.shp (EPSG:4490, CP936), every geometry repaired with
              shapely.make_valid, polygonal part kept, empty ones dropped
  plots       Data/contaminated_plots.gpkg + Data/suspected_plots.gpkg (EPSG:4527), segmentized
              every 50 m in EPSG:4527 (their edges are straight there), then to_crs(4490)
  hits        October detections whose polygonal part of plot ∩ detection has geodesic area > 0
  bare_m2     geodesic area (CGCS2000 ellipsoid, |exterior| - sum|holes| per polygon) of the
              polygonal part of plot ∩ union(hits)
  plot_m2     geodesic plot area (same method); share_pct = 100 * bare_m2 / plot_m2
  patches     distinct hit geometries (identical repaired geometries, e.g. the "...D" duplicates,
              counted once; identity = normalized WKB)
  classes     sorted distinct `lx` of all hits (duplicates included)
  new_patches distinct hit geometries with no August or September detection whose intersection
              (polygonal part) has geodesic area > 0
  Only plots with at least one hit are listed; rows sorted by (layer, plot).
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

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "Data"))
MONTHS = {m: os.path.join(DATA, f"bare_land_{m}.shp") for m in ("202608", "202609", "202610")}
CURRENT = "202610"
PLOT_LAYERS = (
    ("contaminated_plots", os.path.join(DATA, "contaminated_plots.gpkg")),
    ("suspected_plots", os.path.join(DATA, "suspected_plots.gpkg")),
)
OUT = os.path.join(HERE, "construction_reference.json")

GEOD = pyproj.Geod(a=6378137.0, rf=298.257222101)  # CGCS2000 / GRS80


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


def inter_area(a, b):
    """Geodesic area of the polygonal part of a ∩ b."""
    return geod_area(shapely.intersection(a, b))


def load_detections(path):
    """Read a month, make_valid every geometry, keep the polygonal part, drop empties."""
    df = gpd.read_file(path, encoding="cp936")[["tbbh", "lx", "geometry"]]
    assert df.crs.to_epsg() == 4490, path
    invalid = int((~df.geometry.is_valid).sum())
    rows = []
    for tbbh, lx, g in zip(df.tbbh, df.lx, df.geometry):
        raw = g
        g = polygonal(shapely.make_valid(g)) if g is not None else MultiPolygon()
        if g.is_empty:
            continue
        rows.append({"tbbh": tbbh, "lx": lx, "geometry": g, "raw": raw,
                     "key": shapely.to_wkb(shapely.normalize(g), hex=True)})
    return rows, {"read": len(df), "invalid": invalid, "kept": len(rows), "dropped": len(df) - len(rows)}


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
    det, stats = {}, {}
    for m, path in MONTHS.items():
        det[m], stats[m] = load_detections(path)
    octo = det[CURRENT]
    octo_tree = shapely.STRtree([d["geometry"] for d in octo])
    prev = det["202608"] + det["202609"]
    prev_tree = shapely.STRtree([d["geometry"] for d in prev])

    # duplicates: "...D" ids vs identical geometries (normalized WKB and raw equals_exact(0))
    dup_check = []
    for m, rows in det.items():
        by_id = {d["tbbh"]: d for d in rows}
        for d in rows:
            if d["tbbh"].endswith("D"):
                base = by_id.get(d["tbbh"][:-1])
                dup_check.append({
                    "month": m, "tbbh": d["tbbh"],
                    "same_key": base is not None and base["key"] == d["key"],
                    "equals_exact_raw": base is not None and bool(base["raw"].equals_exact(d["raw"], tolerance=0)),
                    "same_lx": base is not None and base["lx"] == d["lx"],
                })

    new_cache = {}

    def is_new(key, g):
        if key not in new_cache:
            new_cache[key] = not any(inter_area(g, prev[j]["geometry"]) > 0
                                     for j in sorted(prev_tree.query(g, predicate="intersects")))
        return new_cache[key]

    rows = []
    plot_counts = {}
    notes = []
    for layer, path in PLOT_LAYERS:
        plots = gpd.read_file(path, layer=layer)[["plot_id", "risk", "geometry"]]
        assert plots.crs.to_epsg() == 4527, path
        assert plots.plot_id.is_unique
        plots = plots.set_geometry(plots.geometry.segmentize(50))
        plots_g = plots.to_crs(4490)
        plot_counts[layer] = len(plots_g)
        n_bad = int((~plots_g.is_valid).sum())
        if n_bad:
            notes.append(f"{layer}: {n_bad} plot(s) invalid after to_crs(4490)")
        for pid, risk, pg in zip(plots_g.plot_id, plots_g.risk, plots_g.geometry):
            touching = sorted(int(j) for j in octo_tree.query(pg, predicate="intersects"))
            hits = [octo[j] for j in touching if inter_area(pg, octo[j]["geometry"]) > 0]
            if len(touching) != len(hits):
                notes.append(f"{layer}/{pid}: {len(touching) - len(hits)} October detection(s) touch "
                             f"with zero-area intersection")
            if not hits:
                continue
            distinct = {}
            for d in hits:
                distinct.setdefault(d["key"], d["geometry"])
            union = shapely.union_all([d["geometry"] for d in hits])
            bare = inter_area(pg, union)
            plot_m2 = geod_area(pg)
            rows.append({
                "layer": layer,
                "plot": pid,
                "risk": risk,
                "bare_m2": round(bare, 2),
                "plot_m2": round(plot_m2, 2),
                "share_pct": round(100.0 * bare / plot_m2, 4),
                "patches": len(distinct),
                "new_patches": sum(1 for k, g in distinct.items() if is_new(k, g)),
                "classes": sorted({d["lx"] for d in hits}),
                "_tbbh": sorted(d["tbbh"] for d in hits),
            })
    rows.sort(key=lambda r: (r["layer"], r["plot"]))

    # diagnostics (stdout only; the JSON holds exactly the rows)
    print("versions", json.dumps(versions()))
    print("detections", json.dumps(stats))
    print("plots", json.dumps(plot_counts), "with hits:", len(rows))
    bad = [d["tbbh"] for d in dup_check if not (d["same_key"] and d["equals_exact_raw"] and d["same_lx"])]
    print(f"'D' duplicates {len(dup_check)} (per month "
          f"{json.dumps({m: sum(1 for d in dup_check if d['month'] == m) for m in MONTHS})}), "
          f"not identical to their base id: {bad}")
    for n in notes:
        print("note", n)
    for r in rows:
        print("hits", r["layer"], r["plot"], " ".join(r["_tbbh"]))
    for r in rows:
        del r["_tbbh"]

    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(rows, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {OUT} ({len(rows)} rows)")


if __name__ == "__main__":
    main()
