#!/usr/bin/env bash
# The Debian package on this machine, as a bureau's administrator installs it: apt-get install,
# then LandWatch with no Swift toolchain in reach (PATH and LD_LIBRARY_PATH without it), its man
# pages, the sample run; removal takes its files and leaves ledgers. Also make install into a
# staging folder. Needs root (sudo); run by Tests/Services/run-tests.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
work=$(mktemp -d /tmp/landwatch-deb.XXXXXX)
failures=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; failures=$((failures + 1)); fi; }
# Outside the toolchain's reach: the system's folders only.
bare() { env -i HOME="$work" PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

make -s deb >/dev/null
deb=$(ls .build/deb/landwatch_*_amd64.deb)
built=$(.build/static/release/landwatch --version)
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >/dev/null

check "the installed landwatch is the package's version: $built" '[ "$(bare landwatch --version)" = "$built" ]'
check "ldd lists no Swift library" '! ldd /usr/bin/landwatch | grep -q libswift'
check "coverage of the installed sample" \
    'bare landwatch coverage /usr/share/landwatch/Data/bare_land_202610.shp --zones /usr/share/landwatch/Data/daxing_towns.gpkg --format csv > "$work/coverage.csv" 2>/dev/null && [ "$(grep -c "镇\|街道" "$work/coverage.csv")" -eq 22 ]'
check "the monthly job on the installed sample config" \
    'bare landwatch run /usr/share/landwatch/Samples/daxing.yml --out "$work/bulletin" --ledger "$work/ledger.gpkg" >/dev/null 2>&1 && [ -s "$work/bulletin/bulletin.html" ] && [ -s "$work/bulletin/construction_on_plots.geojson" ]'
check "man landwatch renders" 'bare man -P cat landwatch 2>/dev/null | grep -q "^NAME"'
check "man landwatch-coverage renders" 'bare man -P cat landwatch-coverage 2>/dev/null | grep -q "^NAME" && bare man -P cat landwatch-coverage 2>/dev/null | grep -q "landwatch coverage"'
check "bash and zsh completions" '[ -s /usr/share/bash-completion/completions/landwatch ] && grep -q "_landwatch" /usr/share/zsh/vendor-completions/_landwatch'
check "the service runs as its own user and is not enabled" \
    'getent passwd landwatch >/dev/null && grep -q "^User=landwatch" /lib/systemd/system/landwatch.service && ! ls /etc/systemd/system/*.wants/landwatch.service >/dev/null 2>&1'
check "the service's settings are a conffile, bound to loopback" 'grep -q "^LANDWATCH_BIND=127.0.0.1" /etc/landwatch/serve.env'
check "the service is restarted when it fails" 'grep -q "^Restart=on-failure" /lib/systemd/system/landwatch.service'

# A ledger the service kept, then removal and purge.
$SUDO cp "$work/ledger.gpkg" /var/lib/landwatch/ledger.gpkg
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq landwatch >/dev/null
check "removal takes the binary, man pages, sample data and unit" \
    '[ ! -e /usr/bin/landwatch ] && [ ! -e /usr/share/man/man1/landwatch.1.gz ] && [ ! -e /usr/share/landwatch ] && [ ! -e /lib/systemd/system/landwatch.service ]'
check "removal leaves the ledger" 'cmp -s /var/lib/landwatch/ledger.gpkg "$work/ledger.gpkg"'
$SUDO rm -f /var/lib/landwatch/ledger.gpkg

# make install, staged.
make -s install DESTDIR="$work/root" PREFIX=/usr/local >/dev/null
check "make install lays out the same files under PREFIX" \
    '[ -x "$work/root/usr/local/bin/landwatch" ] && [ -s "$work/root/usr/local/share/man/man1/landwatch-run.1.gz" ] && [ -s "$work/root/usr/local/share/landwatch/Samples/daxing.yml" ] && grep -q "ExecStart=/usr/local/bin/landwatch serve" "$work/root/etc/systemd/system/landwatch.service"'
rm -rf "$work"
[ "$failures" -eq 0 ] && echo "package: all checks passed" || { echo "package: $failures checks failed"; exit 1; }
