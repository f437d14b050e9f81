#!/usr/bin/env bash
# `make bench`: LandWatch against GDAL alone and the peers a GIS person would use instead (the
# GeoPandas idiom, PostGIS SQL, QGIS's Overlap analysis), on large sample sets generated on
# demand. Prints a table of times and one of ratios, and writes both to bench-out/bench.md.
# Never part of the tests. GeoPandas runs from .build/bench-venv and QGIS from Debian's
# python3-qgis, both installed by `make bench-deps`; a peer that is missing is left out.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/landwatch}
OUT=bench-out
mkdir -p "$OUT"
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench needs /usr/bin/time (apt-get install time)"; exit 1; }
PY=.build/bench-venv/bin/python
[ -x "$PY" ] || PY=python3

# Large sets, made once and kept in bench-out/.
[ -f "$OUT/s100k/bare_land_202610.shp" ] || "$BIN" sample-data --out "$OUT/s100k" --patches 100000 --months 1
[ -f "$OUT/s1m/bare_land_202610.shp" ] || "$BIN" sample-data --out "$OUT/s1m" --patches 1000000 --towns 330 --months 1
# 100,000 patches thrown together, each point covered 3.6 times on average (merged months,
# stacked buffers): the union per town is the whole cost.
[ -f "$OUT/d35/bare_land_202610.shp" ] || "$BIN" sample-data --out "$OUT/d35" --patches 100000 --months 1 --overlap-depth 3.5 \
  --parcels 10 --plots 1 --readings 10
# 5,000 plots × 200,000 parcels, in one district (dense: a million pairs within 500 m) and over
# 330 towns' worth of land (sparse); parcels as GeoPackage, which both tools read fast.
for o in "overlap22 --towns 22" "overlap330 --towns 330"; do
  set -- $o
  [ -f "$OUT/$1/sensitive_landuse.gpkg" ] || {
    "$BIN" sample-data --out "$OUT/$1" --plots 5000 --parcels 200000 --patches 10 --readings 10 --months 1 "$2" "$3"
    ogr2ogr -f GPKG "$OUT/$1/sensitive_landuse.gpkg" "$OUT/$1/sensitive_landuse.geojson"
  }
done

gcc -O2 -o "$OUT/gdal_read" Benchmarks/gdal_read.c $(pkg-config --cflags --libs gdal)
PANDAS=no QGIS=no
"$PY" -c "import geopandas, shapely, pyogrio" 2>/dev/null && PANDAS=yes
/usr/bin/python3 -c "import qgis.core" 2>/dev/null && QGIS=yes

# A throwaway PostgreSQL/PostGIS server of its own (as the tests start) for the PostGIS peer and
# the ledger on PostGIS.
PGDIR=$(mktemp -d /tmp/landwatch-bench-pg.XXXXXX)
trap 'bash Tests/Services/postgres.sh stop "$PGDIR"' EXIT
PGC=$(bash Tests/Services/postgres.sh start "$PGDIR")

ROWS=()
declare -A SECS
# run NAME CMD...: wall seconds, peak memory, CPU share of the fastest run (warm cache). Every
# case, LandWatch's and the peers' alike, runs at least twice and until its runs add up to 10 s,
# at most five times: a short run, more easily disturbed by whatever else the machine does for a
# moment, gets more tries, as hyperfine gives it.
run() {
  local name=$1; shift
  local secs=999999 kb cpu s k c total=0 runs=0
  while [ $runs -lt 2 ] || { [ $runs -lt 5 ] && awk "BEGIN { exit !($total < 10) }"; }; do
    "$TIME" -f "%e %M %P" -o "$OUT/time.txt" "$@" > /dev/null 2> "$OUT/stderr.txt" || { cat "$OUT/stderr.txt"; exit 1; }
    read -r s k c < "$OUT/time.txt"
    if awk "BEGIN { exit !($s < $secs) }"; then secs=$s kb=$k cpu=$c; fi
    total=$(awk "BEGIN { print $total + $s }") runs=$((runs + 1))
  done
  ROWS+=("| $name | $secs | $((kb / 1024)) | $cpu |")
  SECS[$name]=$secs
  echo "$name: ${secs} s, $((kb / 1024)) MB, CPU $cpu" >&2
}
RATIOS=()
# ratio LANDWATCH_ROW PEER_ROW: how many times faster LandWatch was, when the peer ran.
ratio() {
  [ -n "${SECS[$2]:-}" ] || return 0
  RATIOS+=("| $1 | $2 | $(awk "BEGIN { printf \"%.1f×\", ${SECS[$2]} / ${SECS[$1]} }") |")
}
# qgis SET LANDWATCH_ROW INPUT OVERLAY OUT: QGIS's Overlap analysis (when installed) and its ratio.
qgis() {
  [ "$QGIS" = yes ] || return 0
  run "$1: QGIS (fix geometries, overlap analysis)" /usr/bin/python3 Benchmarks/peers/overlaps_qgis.py "$3" "$4" "$5"
  ratio "$2" "$1: QGIS (fix geometries, overlap analysis)"
}
# postgis SET LANDWATCH_ROW WHAT SQL TABLE FILE TABLE FILE: two layers loaded (timed apart), the
# query and its ratio. Run last in each case: its server's background work stays out of the rest.
postgis() {
  local set=$1 lw=$2 what=$3 sql=$4
  run "$set: PostGIS load, apart (ogr2ogr, ST_MakeValid, index)" bash -c \
    "bash Benchmarks/peers/postgis.sh load '$PGC' '$5' '$6' && bash Benchmarks/peers/postgis.sh load '$PGC' '$7' '$8'"
  run "$set: PostGIS ($what)" bash Benchmarks/peers/postgis.sh query "$PGC" "$sql"
  ratio "$lw" "$set: PostGIS ($what)"
}

for set in s100k d35 s1m; do
  dir=$OUT/$set
  lw="$set: landwatch coverage"
  run "$set: GDAL reads every feature (C)" "$OUT/gdal_read" "$dir/bare_land_202610.shp"
  run "$lw" "$BIN" coverage "$dir/bare_land_202610.shp" --zones "$dir/daxing_towns.gpkg" --format json -o "$OUT/coverage_$set.json"
  [ "$set" = s1m ] && continue
  if [ "$PANDAS" = yes ]; then
    run "$set: GeoPandas (to_crs, make_valid, overlay, dissolve, area)" "$PY" Benchmarks/peers/coverage_geopandas.py "$dir/bare_land_202610.shp" "$dir/daxing_towns.gpkg" name
    ratio "$lw" "$set: GeoPandas (to_crs, make_valid, overlay, dissolve, area)"
  fi
  qgis "$set" "$lw" "$dir/daxing_towns.gpkg" "$dir/bare_land_202610.shp" "$OUT/coverage_${set}_qgis.csv"
  postgis "$set" "$lw" "ST_Intersection, ST_Union, geography area" Benchmarks/peers/coverage_postgis.sql \
    patches "$dir/bare_land_202610.shp" towns "$dir/daxing_towns.gpkg"
done
# The ledger: 100k detections against a ledger of 100k entries, then a year of monthly batches
# (the three sample months again, --force, dated through the year) and the report over it.
[ -f "$OUT/ledger100k/bare_land_202610.shp" ] || "$BIN" sample-data --out "$OUT/ledger100k" --patches 100000 --parcels 10 --plots 1 --readings 10
L=$OUT/ledger100k.gpkg
rm -f "$L"
ingest=("$BIN" ledger ingest --ledger "$L" --zones "$OUT/ledger100k/daxing_towns.gpkg" --class-field lx --force)
ingest() { "${ingest[@]}" "$OUT/ledger100k/bare_land_2026$1.shp" --date "$2"; }
ingest 08 2026-01-25 2>/dev/null
run "ledger: ingest 100k detections into a ledger of 100k entries" "${ingest[@]}" "$OUT/ledger100k/bare_land_202609.shp" --date 2026-02-25
# run() ran it two or more times: the ledger now holds several February batches, harmless for what follows.
m=3
for month in 10 08 09 10 08 09 10 08 09 10; do ingest "$month" "2026-$(printf %02d $m)-25" 2>/dev/null; m=$((m + 1)); done
run "ledger: report over a year of monthly batches" "$BIN" ledger report --ledger "$L" --from 2026-01-01 --to 2026-12-31 -o "$OUT/ledger_report.csv"
TOWN=$(ogrinfo -q -sql "SELECT name FROM towns LIMIT 1" "$OUT/ledger100k/daxing_towns.gpkg" | sed -n 's/.*name (String) = //p')
run "ledger: status --zone for one town" "$BIN" ledger status --ledger "$L" --as-of 2026-12-31 --zone "$TOWN" -o "$OUT/ledger_status.csv"

# The same on PostGIS, the same commands.
PGL="PG:$PGC schema=bench"
ingest=("$BIN" ledger ingest --ledger "$PGL" --zones "$OUT/ledger100k/daxing_towns.gpkg" --class-field lx --force)
ingest 08 2026-01-25 2>/dev/null
run "ledger on PostGIS: ingest 100k detections into a ledger of 100k entries" "${ingest[@]}" "$OUT/ledger100k/bare_land_202609.shp" --date 2026-02-25
m=3
for month in 10 08 09 10 08 09 10 08 09 10; do ingest "$month" "2026-$(printf %02d $m)-25" 2>/dev/null; m=$((m + 1)); done
run "ledger on PostGIS: report over a year of monthly batches" "$BIN" ledger report --ledger "$PGL" --from 2026-01-01 --to 2026-12-31 -o "$OUT/ledger_report_pg.csv"
cmp "$OUT/ledger_report.csv" "$OUT/ledger_report_pg.csv" || { echo "the two backends' reports differ" >&2; exit 1; }
run "ledger on PostGIS: status --zone for one town" "$BIN" ledger status --ledger "$PGL" --as-of 2026-12-31 --zone "$TOWN" -o "$OUT/ledger_status_pg.csv"
cmp "$OUT/ledger_status.csv" "$OUT/ledger_status_pg.csv" || { echo "the two backends' status lists differ" >&2; exit 1; }
bash Benchmarks/peers/postgis.sh settle "$PGC"

# The web application under load: the three sample months (the demo ledger) on a GeoPackage and
# copied into PostGIS; 50 clients for 60 s each (Benchmarks/web_load.sh checks the ledger after).
W=$OUT/web.gpkg
rm -f "$W"
for month in 08 09 10; do
  "$BIN" ledger ingest --ledger "$W" --zones Data/daxing_towns.gpkg "Data/bare_land_2026$month.shp" --date "2026-$month-25" --class-field lx 2>/dev/null
done
WPG="PG:$PGC schema=web"
"$BIN" ledger copy "$W" "$WPG" 2>/dev/null
WEB_ROWS=("$(bash Benchmarks/web_load.sh "$BIN" "$W" "GeoPackage (the demo ledger)")")
WEB_ROWS+=("$(bash Benchmarks/web_load.sh "$BIN" "$WPG" "PostGIS (the same, copied)")")
bash Benchmarks/peers/postgis.sh settle "$PGC"

# Hotspots: a million readings (GCJ-02 CSV) at 500 m cells.
[ -f "$OUT/readings1m/vocs_survey_202610_gcj02.csv" ] || "$BIN" sample-data --out "$OUT/readings1m" --readings 1000000 --patches 10 --parcels 10 --plots 1 --months 1
run "hotspots: 1M readings, 500 m cells" "$BIN" hotspots "$OUT/readings1m/vocs_survey_202610_gcj02.csv@GCJ-02" --value tvoc -o "$OUT/hotspots_1m.json"

for set in overlap22 overlap330; do
  dir=$OUT/$set
  lw="$set: landwatch overlap --within 500"
  run "$lw" "$BIN" overlap "$dir/contaminated_plots.gpkg" --sensitive "$dir/sensitive_landuse.gpkg" --within 500 -o "$OUT/$set.csv"
  if [ "$PANDAS" = yes ]; then
    run "$set: GeoPandas (to_crs, make_valid, sjoin dwithin, intersection, area, distance)" "$PY" Benchmarks/peers/overlap_geopandas.py "$dir/contaminated_plots.gpkg" "$dir/sensitive_landuse.gpkg" 500 "$OUT/${set}_peer.csv"
    ratio "$lw" "$set: GeoPandas (to_crs, make_valid, sjoin dwithin, intersection, area, distance)"
  fi
  # One row per plot: its overlap with sensitive land, as QGIS's Overlap analysis gives it.
  summary="$set: landwatch overlap --summary"
  run "$summary" "$BIN" overlap "$dir/contaminated_plots.gpkg" --sensitive "$dir/sensitive_landuse.gpkg" --summary -o "$OUT/${set}_summary.csv"
  qgis "$set" "$summary" "$dir/contaminated_plots.gpkg" "$dir/sensitive_landuse.gpkg" "$OUT/${set}_qgis.csv"
  postgis "$set" "$lw" "ST_DWithin, ST_Intersection, ST_Area, ST_Distance" Benchmarks/peers/overlap_postgis.sql \
    plots "$dir/contaminated_plots.gpkg" parcels "$dir/sensitive_landuse.gpkg"
done
[ "$PANDAS" = yes ] || echo "GeoPandas not installed: make bench-deps to run it side by side" >&2
[ "$QGIS" = yes ] || echo "QGIS not installed: make bench-deps to run it side by side" >&2

{
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $("$BIN" --version)"
  echo
  echo "| case | wall (s) | peak memory (MB) | CPU |"
  echo "| --- | ---: | ---: | ---: |"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "| LandWatch | peer | LandWatch faster by |"
  echo "| --- | --- | ---: |"
  printf '%s\n' "${RATIOS[@]}"
  echo
  echo "| landwatch serve on | clients | seconds | requests/s | read p50 (ms) | read p90 | read p99 | action p50 | action p99 | actions | errors | ledger checked |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
  printf '%s\n' "${WEB_ROWS[@]}"
} | tee "$OUT/bench.md"
