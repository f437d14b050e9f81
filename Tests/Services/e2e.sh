#!/usr/bin/env bash
# The web application in a real browser: a ledger of the three sample months with a town and a
# bureau account, `landwatch serve` on a free loopback port, headless Chromium driven by Selenium
# (Tests/EndToEnd/web_e2e.py). `--screenshots DIR` saves the overview, list and entry pages.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${LANDWATCH_BIN:-.build/debug/landwatch}
venv=.build/e2e-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import selenium" 2>/dev/null || "$venv/bin/pip" install -q selenium
dir=$(mktemp -d /tmp/landwatch-e2e.XXXXXX)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
ledger="$dir/ledger.gpkg"
for month in 08 09 10; do
  "$bin" ledger ingest --ledger "$ledger" --zones Data/daxing_towns.gpkg "Data/bare_land_2026$month.shp" --date "2026-$month-25" \
    --class-field lx --actor e2e 2>/dev/null
done
echo "xhm-password" | "$bin" users add xhm --role town --zone 西红门镇 --zones Data/daxing_towns.gpkg --ledger "$ledger"
echo "bureau-password" | "$bin" users add bureau --role admin --ledger "$ledger"
"$bin" serve --ledger "$ledger" --zones Data/daxing_towns.gpkg --port 0 2>"$dir/serve.log" &
server=$!
for _ in $(seq 1 100); do grep -q "serving" "$dir/serve.log" && break; sleep 0.1; done
base=$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/serve.log" | head -1)
[ -n "$base" ] || { cat "$dir/serve.log" >&2; exit 1; }
shots=()
[ "${1:-}" = "--screenshots" ] && shots=(--screenshots "$2")
"$venv/bin/python" Tests/EndToEnd/web_e2e.py --base "$base" --landwatch "$bin" --ledger "$ledger" "${shots[@]}"
