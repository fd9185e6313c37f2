#!/usr/bin/env bash
# mgmt/sysroot.sh OUTDIR
#
# Debian bookworm's arm64 libraries for the control plane, for
# cross-compiling aetherd (and the fabric's programs) and for the
# management VM's initramfs:
#   OUTDIR/root      the packages unpacked (dpkg-deb -x): a --sysroot
#   OUTDIR/debs      the .debs
#   OUTDIR/PACKAGES  package=version of each
# A private apt state (tools/debian-apt.sh, shared with tools/linux/fetch.sh):
# the host's dpkg architectures and apt state are not touched.  The package
# set is the list below plus every library package it depends on,
# recursively (apt-cache depends);
# mgmt/mkinitrd.sh later checks the ELF DT_NEEDED closure against it.
# Nothing is done when OUTDIR/PACKAGES exists; rm -rf OUTDIR to refresh.
set -euo pipefail

die() { echo "sysroot.sh: error: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: $0 OUTDIR"
mkdir -p "$1"
out=$(cd "$1" && pwd)
[ -s "$out/PACKAGES" ] && [ -d "$out/root/usr/include" ] && exit 0

want=(libc6 libc6-dev libgcc-s1
      libmicrohttpd12 libmicrohttpd-dev libjansson4 libjansson-dev libssl3 libssl-dev
      libgnutls30 libmosquitto1 libmosquitto-dev mosquitto mosquitto-clients)

. "$(dirname "$0")/../tools/debian-apt.sh"
debian_apt_init "$out/apt" sysroot.sh
mkdir -p "$out/debs"
log=$apt_log

debian_apt_update

# Library packages only: the daemons need shared objects, not the
# maintainer scripts' tools (adduser, debconf, perl, ...).
deps=$(apt-cache "${aptopts[@]}" depends --recurse --no-recommends --no-suggests \
	--no-conflicts --no-breaks --no-replaces --no-enhances "${want[@]}" 2>>"$log" |
	sed -n 's/^\([a-z0-9][a-z0-9.+-]*\)$/\1/p' | sort -u) ||
	die "apt-cache depends failed (log: $log)"
pkgs=$(printf '%s\n' "${want[@]}" $(printf '%s\n' $deps | grep -E '^lib|^linux-libc-dev$|^gcc-12-base$') | sort -u)

echo "sysroot.sh: downloading $(echo $pkgs | wc -w) packages" >&2
rm -f "$out/debs/"*.deb
( cd "$out/debs" && apt-get "${aptopts[@]}" -q download $pkgs ) >>"$log" 2>&1 || {
	grep '^[EW]: ' "$log" >&2 || tail -n 20 "$log" >&2
	die "apt-get download failed (log: $log)"
}

rm -rf "$out/root"
mkdir -p "$out/root"
: > "$out/PACKAGES.tmp"
for d in "$out/debs/"*.deb; do
	dpkg-deb -x "$d" "$out/root" || die "cannot unpack $d"
	echo "$(dpkg-deb -f "$d" Package)=$(dpkg-deb -f "$d" Version)" >> "$out/PACKAGES.tmp"
done
# bookworm's libc6 is not usr-merged: make /lib and /usr/lib agree for the
# linker scripts that name /lib/... and /usr/lib/... paths.
mv "$out/PACKAGES.tmp" "$out/PACKAGES"
echo "sysroot.sh: $(wc -l < "$out/PACKAGES") packages in $out/root" >&2
