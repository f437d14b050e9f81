"""The GeoPandas idiom a GIS analyst would write for `landwatch overlap`:
read, to_crs to a metric CRS, sjoin dwithin, then per joined pair the intersection area and distance.
Usage: overlap_geopandas.py PLOTS PARCELS DISTANCE_M OUT.csv
"""
import sys
import time

import geopandas as gpd
import shapely

t0 = time.perf_counter()
plots_path, parcels_path, dist = sys.argv[1], sys.argv[2], float(sys.argv[3])
plots = gpd.read_file(plots_path).to_crs(4527)
parcels = gpd.read_file(parcels_path).to_crs(4527)
# Deliveries hold invalid polygons: without this the intersection raises a TopologyException.
plots["geometry"] = plots.geometry.make_valid()
parcels["geometry"] = parcels.geometry.make_valid()
pairs = gpd.sjoin(plots, parcels, predicate="dwithin", distance=dist)
a = plots.geometry.loc[pairs.index].values
b = parcels.geometry.loc[pairs["index_right"]].values
pairs["overlap_m2"] = shapely.area(shapely.intersection(a, b))
pairs["distance_m"] = shapely.distance(a, b)
pairs.drop(columns="geometry").to_csv(sys.argv[4], index=False)
print(f"{len(pairs)} pairs in {time.perf_counter() - t0:.2f} s", file=sys.stderr)
