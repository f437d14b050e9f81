#!/usr/bin/env bash
# The PostGIS peer for `make bench`: what a GIS database administrator writes.
#   postgis.sh load CONNINFO TABLE FILE   loads a layer with ogr2ogr into EPSG:4527 (metres),
#                                         repairs invalid polygons (ST_MakeValid, polygons kept),
#                                         indexes it, vacuums it and checkpoints (so that no
#                                         autovacuum, and no write of the loaded pages, runs
#                                         during the runs measured next): the load, timed apart
#   postgis.sh query CONNINFO SQLFILE     runs a query, its rows to standard output
#   postgis.sh settle CONNINFO            vacuums and checkpoints the whole database, after the
#                                         ledger and the web application wrote millions of rows
#                                         to it, for the same reason
set -euo pipefail
action=${1:?load|query}
conninfo=${2:?CONNINFO}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
# GEOS notices (every self-intersection found by ST_IsValid) stay out of the output.
export PGOPTIONS="-c client_min_messages=warning"
# The password travels in the environment, never on a command line.
export PGPASSWORD=$(sed -n 's/.*password=\([^ ]*\).*/\1/p' <<<"$conninfo")
psql() { "$bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 "$(sed 's/ *password=[^ ]*//' <<<"$conninfo")" "$@"; }
case "$action" in
load)
  table=${3:?TABLE} file=${4:?FILE}
  ogr2ogr -f PostgreSQL "PG:$conninfo" "$file" -nln "$table" -overwrite -t_srs EPSG:4527 \
    -nlt PROMOTE_TO_MULTI -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=NONE -lco LAUNDER=NO
  psql -c "UPDATE \"$table\" SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3)) WHERE NOT ST_IsValid(geom)" \
       -c "CREATE INDEX ON \"$table\" USING gist (geom)" -c "VACUUM ANALYZE \"$table\"" -c "CHECKPOINT"
  ;;
query)
  psql -f "${3:?SQLFILE}"
  ;;
settle)
  psql -c "VACUUM ANALYZE" -c "CHECKPOINT"
  ;;
*) echo "usage: postgis.sh load|query|settle CONNINFO ..." >&2; exit 2 ;;
esac
