#!/usr/bin/env bash
# `make serve`: the web application on the demo ledger (out/ledger.gpkg, made by `make demo`)
# with one demo account of each kind, on http://127.0.0.1:8080 (PORT=… to change).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${LANDWATCH_BIN:-.build/release/landwatch}
ledger=${LEDGER:-out/ledger.gpkg}
[ -f "$ledger" ] || "$bin" run Samples/daxing.yml
existing=$("$bin" users list --ledger "$ledger" --format csv)
accounts=("bureau admin" "xhm town 西红门镇" "yh town 瀛海镇" "planner planning" "reader viewer")
echo "demo accounts (name / password / role):"
for a in "${accounts[@]}"; do
  set -- $a
  if ! grep -q "^$1," <<<"$existing"; then
    echo "$1-demo-pass" | "$bin" users add "$1" --role "$2" ${3:+--zone "$3" --zones Data/daxing_towns.gpkg} --ledger "$ledger" 2>/dev/null
  fi
  echo "  $1 / $1-demo-pass / $2${3:+ ($3)}"
done
exec "$bin" serve --ledger "$ledger" --zones Data/daxing_towns.gpkg --port "${PORT:-8080}"
