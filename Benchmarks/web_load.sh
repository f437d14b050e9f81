#!/usr/bin/env bash
# The web application under load: `landwatch serve` on LEDGER (the three sample months, copied
# in by the caller), 50 clients for 60 s on loopback (Benchmarks/web_load.py), then the ledger is
# checked: `ledger check` passes and every action answered 200 is one event, no more, no less.
#   web_load.sh BIN LEDGER LABEL [CLIENTS] [SECONDS]    prints one Markdown row
set -euo pipefail
bin=$1 ledger=$2 label=$3 clients=${4:-50} seconds=${5:-60}
dir=$(mktemp -d /tmp/landwatch-load.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
echo "bureau-bench-pass" | "$bin" users add bureau --role admin --ledger "$ledger" 2>/dev/null || true
"$bin" ledger status --ledger "$ledger" --state open --format json -o "$dir/open.json"
python3 -c "import json,sys; rows=json.load(open(sys.argv[1])); json.dump([r['id'] for r in rows], open(sys.argv[2],'w')); json.dump(sorted({r['zone'] for r in rows if r['zone']}), open(sys.argv[3],'w'))" \
  "$dir/open.json" "$dir/entries.json" "$dir/zones.json"
"$bin" serve --ledger "$ledger" --zones Data/daxing_towns.gpkg --port 0 ${CONNECTIONS:+--connections $CONNECTIONS} 2>"$dir/serve.log" &
server=$!
for _ in $(seq 1 100); do grep -q "serving" "$dir/serve.log" && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/serve.log" | head -1)
python3 Benchmarks/web_load.py "$base" "$dir/entries.json" "$dir/zones.json" "$clients" "$seconds" > "$dir/result.json"
kill "$server"; wait "$server" 2>/dev/null || true; server=""
"$bin" ledger check --ledger "$ledger" >/dev/null
# The bench's events, counted in the ledger itself: one per answered action, no more, no less.
count="SELECT event || ' ' || COUNT(*) FROM events WHERE actor = 'bureau' AND note LIKE 'bench %' GROUP BY event ORDER BY event"
case "$ledger" in
  PG:*) conninfo=${ledger#PG:}; schema=${conninfo##*schema=}; conninfo=${conninfo% schema=*}
        psql=$(ls /usr/lib/postgresql/*/bin/psql | sort -V | tail -1)
        "$psql" -X -q -t -A "$conninfo options=-csearch_path=$schema" -c "$count" > "$dir/counts.txt" ;;
  *)    python3 -c "import sqlite3,sys; [print(r[0]) for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2])]" "$ledger" "$count" > "$dir/counts.txt" ;;
esac
python3 - "$dir/result.json" "$dir/counts.txt" "$label" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
counts = dict(line.split() for line in open(sys.argv[2]) if line.strip())
stored = (int(counts.get("closed", 0)), int(counts.get("reopened", 0)))
ok = stored == (r["closed"], r["reopened"]) and not r["errors"]
print(f"| {sys.argv[3]} | {r['clients']} | {r['seconds']} | {r['requests_per_second']} | {r['read_ms_p50']} | {r['read_ms_p90']} | {r['read_ms_p99']} "
      f"| {r['action_ms_p50']} | {r['action_ms_p99']} | {r['actions']} | {sum(r['errors'].values())} | {'yes' if ok else 'NO'} |")
if not ok:
    print(f"web load on {sys.argv[3]}: answered {r['closed']} closed / {r['reopened']} reopened, the ledger holds {stored}; errors {r['errors']}",
          file=sys.stderr)
    sys.exit(1)
PY
