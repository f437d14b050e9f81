"""The GeoPandas idiom a GIS analyst would write for `landwatch coverage`:
read, to_crs to a metric CRS, make_valid, overlay with the zones, dissolve per zone, area.
Usage: coverage_geopandas.py PATCHES ZONES ZONE_FIELD
"""
import sys
import time

import geopandas as gpd

t0 = time.perf_counter()
patches_path, zones_path, field = sys.argv[1], sys.argv[2], sys.argv[3]
patches = gpd.read_file(patches_path).to_crs(4527)
zones = gpd.read_file(zones_path).to_crs(4527)[[field, "geometry"]]
patches["geometry"] = patches.geometry.make_valid()
patches = patches[patches.geom_type.isin(["Polygon", "MultiPolygon"])]
pieces = gpd.overlay(patches, zones, how="intersection", keep_geom_type=True)
dissolved = pieces.dissolve(by=field)
area = dissolved.area
print(f"{len(area)} zones, {area.sum():.0f} m2 in {time.perf_counter() - t0:.2f} s", file=sys.stderr)
