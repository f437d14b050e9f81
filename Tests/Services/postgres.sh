#!/usr/bin/env bash
# A throwaway PostgreSQL/PostGIS cluster for LandWatch's tests and benchmarks.
#   postgres.sh start DIR   initdb in DIR, start on a free loopback port, print the
#                           connection string (also written to DIR/conninfo)
#   postgres.sh restart DIR stop it and start it again on the same port (fast shutdown)
#   postgres.sh stop DIR    stop it and remove DIR
# Runs the server as the `postgres` system user when started as root (PostgreSQL refuses
# root). The superuser `landwatch` logs in with password `lw-test-secret` over TCP (scram-sha-256);
# a read-only role `reader` (password `reader`) is made for the permission tests.
set -euo pipefail
action=${1:?start|restart|stop}
dir=${2:?DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "postgres.sh: PostgreSQL server binaries not found (apt-get install postgresql-15 postgresql-15-postgis-3)" >&2; exit 1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  pwfile=$(mktemp); echo lw-test-secret > "$pwfile"; chmod 644 "$pwfile"
  as_owner "$bin/initdb" -D "$dir/data" -U landwatch --pwfile="$pwfile" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  rm -f "$pwfile"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200 -c shared_buffers=256MB" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  export PGPASSWORD=lw-test-secret
  psql="$bin/psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p $port -U landwatch"
  $psql -d postgres -c "CREATE DATABASE landwatch_test" \
    -c "CREATE ROLE reader LOGIN PASSWORD 'reader'" -c "CREATE DATABASE landwatch_nopostgis"
  $psql -d landwatch_test -c "CREATE EXTENSION postgis"
  echo "host=127.0.0.1 port=$port dbname=landwatch_test user=landwatch password=lw-test-secret" | tee "$dir/conninfo"
  ;;
restart)
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -m fast restart >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  ;;
stop)
  if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*) echo "usage: postgres.sh start|restart|stop DIR" >&2; exit 2 ;;
esac
