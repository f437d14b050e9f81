#!/usr/bin/env bash
# Lays out an installed LandWatch under ROOT (a package's staging folder, or / for make install):
#   PREFIX/bin/landwatch, man pages, bash and zsh completions, the sample config and data in
#   PREFIX/share/landwatch, the systemd unit for `landwatch serve` (not enabled) and its settings
#   in SYSCONFDIR/landwatch/serve.env (kept when present: it is the bureau's).
# Usage: stage.sh BINARY ROOT PREFIX SYSCONFDIR UNITDIR
set -euo pipefail
binary=$1 root=$2 prefix=$3 sysconfdir=$4 unitdir=$5
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
share="$root$prefix/share"

# Stripped: the symbol tables are half the size and nothing at run time reads them.
install -D -s -m 755 "$binary" "$root$prefix/bin/landwatch"

# Man pages, one per command (landwatch-coverage(1) …), generated from the commands' help.
man=$(mktemp -d)
trap 'rm -rf "$man"' EXIT
"$repo/.build/static/release/generate-manual" "$binary" --multi-page --date "$(git -C "$repo" log -1 --format=%cs 2>/dev/null || date +%F)" \
    --authors "LandWatch" -o "$man" >/dev/null
install -d "$share/man/man1"
# The generator names them landwatch.ledger.ingest.1; man finds them as landwatch-ledger-ingest.
for page in "$man"/*.1; do
    name=$(basename "$page" .1)
    name=${name//./-}
    sed -e '/^\.Dt /s/\([A-Z]\)\.\([A-Z]\)/\1-\2/g' "$page" | gzip -9n > "$share/man/man1/$name.1.gz"
done

# Shell completions, as swift-argument-parser writes them.
install -d "$share/bash-completion/completions" "$share/zsh/vendor-completions"
"$binary" --generate-completion-script bash > "$share/bash-completion/completions/landwatch"
"$binary" --generate-completion-script zsh > "$share/zsh/vendor-completions/_landwatch"

# The sample district and its config: `landwatch run PREFIX/share/landwatch/Samples/daxing.yml
# --out ~/bulletin --ledger ~/ledger.gpkg`.
install -d "$share/landwatch/Samples" "$share/landwatch/Data"
install -m 644 "$repo/Samples/daxing.yml" "$repo/Samples/land_classes_202610.csv" "$share/landwatch/Samples/"
install -m 644 "$repo"/Data/* "$share/landwatch/Data/"

# The web application as a service, disabled until the bureau enables it.
substitute() { sed -e "s|@BINDIR@|$prefix/bin|g" -e "s|@SYSCONFDIR@|$sysconfdir|g" -e "s|@DATADIR@|$prefix/share|g" "$1"; }
install -d "$root$unitdir" "$root$sysconfdir/landwatch"
substitute "$here/landwatch.service.in" > "$root$unitdir/landwatch.service"
chmod 644 "$root$unitdir/landwatch.service"
if [ ! -e "$root$sysconfdir/landwatch/serve.env" ]; then
    substitute "$here/serve.env.in" > "$root$sysconfdir/landwatch/serve.env"
    chmod 644 "$root$sysconfdir/landwatch/serve.env"
fi
