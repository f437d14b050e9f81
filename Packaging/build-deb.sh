#!/usr/bin/env bash
# Builds landwatch_VERSION_amd64.deb from a release binary with the Swift standard library linked
# in (no toolchain needed where it is installed). Depends on Debian's runtime libraries, as
# dpkg-shlibdeps finds them in the binary, and on libjs-leaflet for the web application's maps.
# Usage: build-deb.sh BINARY OUTDIR
set -euo pipefail
binary=$1 out=$2
here=$(cd "$(dirname "$0")" && pwd)
version=$("$binary" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/landwatch_${version}_$arch"
bash "$here/stage.sh" "$binary" "$root" /usr /etc /lib/systemd/system

# The libraries the binary links, as Debian packages (dpkg-shlibdeps reads a debian/control).
mkdir -p "$stage/src/debian"
printf 'Source: landwatch\n\nPackage: landwatch\nArchitecture: any\n' > "$stage/src/debian/control"
shlibs=$(cd "$stage/src" && dpkg-shlibdeps -O -e "$root/usr/bin/landwatch" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')

install -d "$root/DEBIAN"
install -m 755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
echo /etc/landwatch/serve.env > "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: landwatch
Version: $version
Architecture: $arch
Maintainer: LandWatch <landwatch@localhost>
Installed-Size: $size
Depends: $shlibs, libjs-leaflet, adduser
Section: science
Priority: optional
Description: land and air supervision for a district's environment and planning bureaus
 Bare-land coverage per town and the 挂销账 ledger (GeoPackage or PostgreSQL/PostGIS), contaminated
 plots against sensitive land, VOCs survey hotspots, town air-quality ranking, the monthly
 bulletin, and the ledger on the web for the bureau, the towns and the planning bureau.
CONTROL
mkdir -p "$out"
dpkg-deb --build --root-owner-group "$root" "$out/landwatch_${version}_$arch.deb" >/dev/null
echo "$out/landwatch_${version}_$arch.deb"
