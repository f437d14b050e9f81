#!/usr/bin/env python3
"""Independent raster zonal reference numbers for LandWatch (not LandWatch code).

Raster  : Data/bare_class_202610.tif (Byte, EPSG:4490, north-up, nodata 0, classes 1..4)
Zones   : Data/daxing_towns.gpkg layer "towns" (EPSG:4527) -> to_crs(4490)
Classes : pixels whose value is 1 or 3 ("covered")

Per zone:
  count        = sum of exactextract coverage fractions (planar, in degrees) of covered pixels
  touching     = number of covered pixels with fraction > 0
  area_m2      = sum(fraction * geodesic area of the pixel's 4-corner polygon)
  zone_area_m2 = geodesic area of the zone (per polygon |exterior| - sum |holes|)
  centre_rule_area_m2 = sum of pixel areas of covered pixels whose centre is inside the zone
Ellipsoid: CGCS2000, a=6378137, rf=298.257222101 (pyproj.Geod).

Notes: exactextract skips nodata cells (value 0) in values/coverage/cell_id unless
default_value is given; the raster is nodata outside the union of the towns (clipped by
pixel centre), so slivers of outer-boundary pixels are lost (see checks.nodata_*).
exactextract coverage fractions are float32 (~3e-8 vs shapely float64 fractions).

Cross-checks (printed, stored under "checks"): the exactextract fractions are recomputed
with shapely (pixel box ∩ zone area / pixel box area) and exactextract's own spherical
`coverage(coverage_weight=area_spherical_m2)` sum is reported for comparison.

Requires: pip install exactextract rasterio
Run: cd Benchmarks/reference && python3 raster_reference.py  -> raster_reference.json
"""
import json
import os
import sys

import numpy as np
import geopandas as gpd
import pyproj
import shapely
import rasterio
import exactextract
from exactextract import exact_extract
from exactextract.raster import NumPyRasterSource, RasterioRasterSource

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
RASTER = os.path.join(ROOT, "Data", "bare_class_202610.tif")
ZONES = os.path.join(ROOT, "Data", "daxing_towns.gpkg")
VALUES = [1, 3]
GEOD = pyproj.Geod(a=6378137.0, rf=298.257222101)


def ring_area(coords):
    c = np.asarray(coords)
    a, _ = GEOD.polygon_area_perimeter(c[:, 0], c[:, 1])
    return abs(a)


def geodesic_area(geom):
    total = 0.0
    for p in shapely.get_parts(geom):
        if p.geom_type != "Polygon" or p.is_empty:
            continue
        total += ring_area(p.exterior.coords) - sum(ring_area(r.coords) for r in p.interiors)
    return total


def row_areas(y0, dy, dx, nrows, x0=0.0):
    """Geodesic area of one pixel in each row (same for every column of a row)."""
    out = np.empty(nrows)
    for r in range(nrows):
        top = y0 + r * dy
        bot = top + dy
        lons = [x0, x0 + dx, x0 + dx, x0]
        lats = [bot, bot, top, top]
        out[r] = abs(GEOD.polygon_area_perimeter(lons, lats)[0])
    return out


def per_pixel(rsrc, zones_gdf, ncols):
    """exactextract per-pixel (cell_id, value, coverage fraction) for each feature."""
    df = exact_extract(rsrc, zones_gdf, ["cell_id", "values", "coverage",
                                         "center_x", "center_y"], output="pandas")
    return df


def zone_stats(df_row, y0, dy, ncols, areas, zone_geom, transform_x0, dx):
    cid = np.asarray(df_row["cell_id"], dtype=np.int64)
    val = np.asarray(df_row["values"])
    frac = np.asarray(df_row["coverage"], dtype=float)
    cx = np.asarray(df_row["center_x"], dtype=float)
    cy = np.asarray(df_row["center_y"], dtype=float)
    rows = cid // ncols
    cols = cid % ncols
    # consistency of cell_id with centre coordinates
    assert np.allclose(cx, transform_x0 + (cols + 0.5) * dx, atol=1e-9)
    assert np.allclose(cy, y0 + (rows + 0.5) * dy, atol=1e-9)
    sel = np.isin(val, VALUES) & (frac > 0)
    f = frac[sel]
    a = areas[rows[sel]]
    res = {
        "count": float(f.sum()),
        "touching": int(sel.sum()),
        "area_m2": float((f * a).sum()),
    }
    return res, rows[sel], cols[sel], f


def shapely_fracs(geom, rows, cols, x0, y0, dx, dy):
    """Independent planar fraction: area(box ∩ zone) / area(box), in degrees."""
    xmin = x0 + cols * dx
    ymax = y0 + rows * dy
    boxes = shapely.box(xmin, ymax + dy, xmin + dx, ymax)
    shapely.prepare(geom)
    inter = shapely.area(shapely.intersection(boxes, geom))
    return inter / shapely.area(boxes)


def centre_rule(arr, geom, x0, y0, dx, dy, areas):
    r, c = np.nonzero(np.isin(arr, VALUES))
    xs = x0 + (c + 0.5) * dx
    ys = y0 + (r + 0.5) * dy
    inside = shapely.contains_xy(geom, xs, ys)
    return float(areas[r[inside]].sum()), int(inside.sum())


def main():
    # The towns' edges are straight in EPSG:4527: segmentized there (50 m) before reprojecting.
    zones = gpd.read_file(ZONES, layer="towns")
    zones = zones.set_geometry(zones.geometry.segmentize(50)).to_crs(4490)
    with rasterio.open(RASTER) as ds:
        t = ds.transform
        assert t.b == 0 and t.d == 0 and t.e < 0
        x0, dx, y0, dy = t.c, t.a, t.f, t.e
        nrows, ncols = ds.height, ds.width
        arr = ds.read(1)
        nodata = ds.nodata
        areas = row_areas(y0, dy, dx, nrows)

        src = RasterioRasterSource(ds)
        df = per_pixel(src, zones[["name", "geometry"]], ncols)
        # exactextract's own spherical-area weighting, for comparison only
        sph = exact_extract(
            src, zones[["name", "geometry"]],
            ["coverage(coverage_weight=area_spherical_m2)", "values"], output="pandas")
        # nodata cells are silently skipped by values/coverage; default_value=0 exposes them
        nd = exact_extract(src, zones[["name", "geometry"]],
                           ["values(default_value=0)", "coverage(default_value=0)"],
                           output="pandas")

    # same thing through a NumPy raster source (no rasterio I/O path), must match exactly
    npsrc = NumPyRasterSource(arr, xmin=x0, ymin=y0 + nrows * dy, xmax=x0 + ncols * dx,
                              ymax=y0, nodata=int(nodata), srs_wkt=zones.crs.to_wkt())
    df_np = per_pixel(npsrc, zones[["name", "geometry"]], ncols)

    out_zones, checks = [], []
    for i, z in zones.iterrows():
        geom = z.geometry
        res, rows, cols, f = zone_stats(df.iloc[i], y0, dy, ncols, areas, geom, x0, dx)
        res_np, *_ = zone_stats(df_np.iloc[i], y0, dy, ncols, areas, geom, x0, dx)
        sf = shapely_fracs(geom, rows, cols, x0, y0, dx, dy)
        cr_area, cr_n = centre_rule(arr, geom, x0, y0, dx, dy, areas)
        sv = np.asarray(sph.iloc[i]["values"])
        sc = np.asarray(sph.iloc[i]["coverage"], dtype=float)
        sph_area = float(sc[np.isin(sv, VALUES)].sum())
        # pixels (any value, incl. nodata) exactextract reports for this zone
        allv = np.asarray(df.iloc[i]["values"])
        ndv = np.asarray(nd.iloc[i, 0])
        ndc = np.asarray(nd.iloc[i, 1], dtype=float)
        out_zones.append({
            "zone": z["name"],
            "zone_area_m2": geodesic_area(geom),
            "count": res["count"],
            "touching": res["touching"],
            "area_m2": res["area_m2"],
            "centre_rule_area_m2": cr_area,
        })
        checks.append({
            "zone": z["name"],
            "centre_rule_pixels": cr_n,
            "numpy_source_count_diff": res_np["count"] - res["count"],
            "numpy_source_area_diff_m2": res_np["area_m2"] - res["area_m2"],
            "shapely_frac_max_abs_diff": float(np.max(np.abs(sf - f))) if len(f) else 0.0,
            "shapely_area_m2": float((sf * areas[rows]).sum()),
            "exactextract_area_spherical_m2": sph_area,
            "exactextract_nodata_cells_reported": int((allv == nodata).sum()),
            "exactextract_cells_reported": int(len(allv)),
            "nodata_cells_touching_zone": int(((ndv == nodata) & (ndc > 0)).sum()),
            "nodata_coverage_sum": float(ndc[ndv == nodata].sum()),
        })

    # ---- synthetic 10x10 check ----
    sx0, sy0, sd = 116.0, 40.0, 0.01
    sarr = np.ones((10, 10), dtype=np.uint8)
    ssrc = NumPyRasterSource(sarr, xmin=sx0, ymin=sy0 - 10 * sd, xmax=sx0 + 10 * sd, ymax=sy0,
                             nodata=0, srs_wkt=pyproj.CRS.from_epsg(4490).to_wkt())
    sgeom = shapely.from_wkt("POLYGON((116.025 39.9275, 116.065 39.9275, 116.065 39.9675, "
                             "116.025 39.9675, 116.025 39.9275))")
    szones = gpd.GeoDataFrame({"name": ["synthetic"]}, geometry=[sgeom], crs=4490)
    sareas = row_areas(sy0, -sd, sd, 10)
    sdf = per_pixel(ssrc, szones, 10)
    sres, srows, scols, sf_ = zone_stats(sdf.iloc[0], sy0, -sd, 10, sareas, sgeom, sx0, sd)
    scr, scr_n = centre_rule(sarr, sgeom, sx0, sy0, sd, -sd, sareas)
    synthetic = {
        "raster": {"origin": [sx0, sy0], "pixel_size": [sd, -sd], "shape": [10, 10],
                   "value": 1, "crs": "EPSG:4490"},
        "zone_wkt": sgeom.wkt,
        "zone_area_m2": geodesic_area(sgeom),
        "count": sres["count"],
        "touching": sres["touching"],
        "area_m2": sres["area_m2"],
        "centre_rule_area_m2": scr,
        "centre_rule_pixels": scr_n,
        "pixels": [{"row": int(r), "col": int(c), "frac": float(v), "pixel_area_m2": float(sareas[r])}
                   for r, c, v in zip(srows, scols, sf_)],
    }

    versions = {
        "python": sys.version.split()[0],
        "exactextract": getattr(exactextract, "__version__", None) or _dist_version("exactextract"),
        "numpy": np.__version__,
        "pyproj": pyproj.__version__,
        "PROJ": pyproj.proj_version_str,
        "shapely": shapely.__version__,
        "GEOS": shapely.geos_version_string,
        "geopandas": gpd.__version__,
        "rasterio": rasterio.__version__,
        "rasterio_GDAL": rasterio.__gdal_version__,
    }
    result = {"zones": out_zones, "values": VALUES, "versions": versions,
              "synthetic": synthetic, "checks": checks,
              "raster": {"path": "Data/bare_class_202610.tif", "origin": [x0, y0],
                         "pixel_size": [dx, dy], "shape": [nrows, ncols], "nodata": nodata}}
    with open(os.path.join(HERE, "raster_reference.json"), "w", encoding="utf-8") as fh:
        json.dump(result, fh, ensure_ascii=False, indent=1)

    print(f"{'zone':<8} {'count':>12} {'touch':>6} {'area_m2':>16} {'centre_m2':>16} {'zone_m2':>18}")
    for z in out_zones:
        print(f"{z['zone']:<8} {z['count']:12.4f} {z['touching']:6d} {z['area_m2']:16.2f} "
              f"{z['centre_rule_area_m2']:16.2f} {z['zone_area_m2']:18.2f}")
    print("synthetic:", {k: synthetic[k] for k in ("count", "touching", "area_m2",
                                                  "centre_rule_area_m2", "zone_area_m2")})
    print("max shapely frac diff:", max(c["shapely_frac_max_abs_diff"] for c in checks))
    print("max numpy-source count diff:", max(abs(c["numpy_source_count_diff"]) for c in checks))
    print(json.dumps(versions))


def _dist_version(name):
    from importlib.metadata import version
    return version(name)


if __name__ == "__main__":
    main()
