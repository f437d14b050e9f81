#!/usr/bin/env python3
"""Reference values for small named coverage edge cases (EPSG:4490 lon/lat, CGCS2000 ellipsoid).

Uses the same rules/helpers as coverage_reference.py.
Usage:  python3 coverage_cases.py   (writes coverage_cases.json next to this file)
"""
import json
import os

import shapely
from shapely import wkt

from coverage_reference import coverage, geod_area, polygonal, repair, versions

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "coverage_cases.json")

ZONES = [
    ("A", "POLYGON((116.30 39.70, 116.32 39.70, 116.32 39.72, 116.30 39.72, 116.30 39.70))"),
    ("B", "POLYGON((116.32 39.70, 116.34 39.70, 116.34 39.72, 116.32 39.72, 116.32 39.70))"),
]
HOLED = ("POLYGON((116.302 39.712, 116.306 39.712, 116.306 39.716, 116.302 39.716, 116.302 39.712),"
         "(116.303 39.713, 116.304 39.713, 116.304 39.714, 116.303 39.714, 116.303 39.713))")
PATCHES = [
    ("across", "POLYGON((116.315 39.705, 116.325 39.705, 116.325 39.708, 116.315 39.708, 116.315 39.705))"),
    ("holed", HOLED),
    ("multipart", "MULTIPOLYGON(((116.333 39.701, 116.334 39.701, 116.334 39.702, 116.333 39.702, 116.333 39.701)),"
                  "((116.336 39.701, 116.338 39.701, 116.338 39.703, 116.336 39.703, 116.336 39.701)))"),
    ("bowtie", "POLYGON((116.331 39.715, 116.333 39.717, 116.333 39.715, 116.331 39.717, 116.331 39.715))"),
    ("duplicate", HOLED),
    ("outside", "POLYGON((116.40 39.80, 116.401 39.80, 116.401 39.801, 116.40 39.801, 116.40 39.80))"),
]


def main():
    znames = [n for n, _ in ZONES]
    zgeoms = [wkt.loads(w) for _, w in ZONES]
    pnames = [n for n, _ in PATCHES]
    raw = [wkt.loads(w) for _, w in PATCHES]
    pgeoms, repaired, dropped = repair(raw)
    res = coverage(znames, zgeoms, pgeoms)

    patches = []
    for name, g0, g, zi in zip(pnames, raw, pgeoms, res["assigned"]):
        pieces = {}
        for zn, z in zip(znames, zgeoms):
            if z.intersects(g):
                pieces[zn] = geod_area(polygonal(shapely.intersection(g, z)))
        patches.append({
            "patch": name,
            "valid_before": bool(g0.is_valid),
            "geom_type_after": None if g is None else g.geom_type,
            "area_m2": None if g is None else geod_area(g),
            "piece_area_m2": pieces,
            "assigned_zone": None if zi is None else znames[zi],
        })
        # flag floating-point near-ties (strict '>' decides; a tolerant comparison would pick the first zone)
        vals = sorted(pieces.values(), reverse=True)
        if len(vals) > 1 and vals[1] > 0 and vals[0] - vals[1] <= 1e-9 * vals[0]:
            first = next(zn for zn in znames if pieces.get(zn, 0.0) >= vals[0] * (1 - 1e-9))
            patches[-1]["near_tie"] = True
            patches[-1]["assigned_zone_if_tie_tolerant"] = first
    out = {
        "zones": res["zones"],
        "outside": res["outside"],
        "repaired": repaired,
        "dropped": dropped,
        "features": len(raw),
        "patches": patches,
        "versions": versions(),
    }
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)

    for r in res["zones"]:
        print({k: r[k] for k in r})
    print("outside", res["outside"], "repaired", repaired, "dropped", dropped)
    for p in patches:
        print(p["patch"], repr(p["area_m2"]), {k: repr(v) for k, v in p["piece_area_m2"].items()},
              "->", p["assigned_zone"], p["geom_type_after"],
              ("NEAR-TIE (tolerant: %s)" % p["assigned_zone_if_tie_tolerant"]) if p.get("near_tie") else "")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
