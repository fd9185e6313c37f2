#!/usr/bin/env bash
# mgmt/sysroot.sh OUTDIR
#
# Debian bookworm's arm64 libraries for the control plane, for
# cross-compiling aetherd (and the fabric's programs) and for the
# management VM's initramfs:
#   OUTDIR/root      the packages unpacked (dpkg-deb -x): a --sysroot
#   OUTDIR/debs      the .debs
#   OUTDIR/PACKAGES  package=version of each
# Same private apt state approach as tools/linux/fetch.sh (its own sources,
# lists and cache, APT::Architecture=arm64): the host's dpkg architectures
# and apt state are not touched.  The package set is the list below plus
# every library package it depends on, recursively (apt-cache depends);
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

mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
secmirror=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
suite=${DEBIAN_SUITE:-bookworm}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || die "$keyring missing (apt-get install debian-archive-keyring)"

st=$out/apt
mkdir -p "$st/lists/partial" "$st/cache/archives/partial" "$st/sources.list.d" "$out/debs"
cat > "$st/sources.list" <<SRC
deb [arch=arm64 signed-by=$keyring] $mirror $suite main
deb [arch=arm64 signed-by=$keyring] $mirror $suite-updates main
deb [arch=arm64 signed-by=$keyring] $secmirror $suite-security main
SRC
cat > "$st/apt.conf" <<CONF
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Post-Invoke;
#clear DPkg::Post-Invoke;
CONF
aptopts=(-c "$st/apt.conf"
	-o APT::Architecture=arm64 -o APT::Architectures=arm64
	-o Dir::State::Lists="$st/lists" -o Dir::Cache="$st/cache"
	-o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache=""
	-o Dir::Etc::SourceList="$st/sources.list"
	-o Dir::Etc::SourceParts="$st/sources.list.d"
	-o Acquire::Languages=none)
[ "$(id -u)" -eq 0 ] && aptopts+=(-o APT::Sandbox::User=root)
log=$st/log

echo "sysroot.sh: updating private apt lists in $st (arm64, $suite)" >&2
apt-get "${aptopts[@]}" -q update >"$log" 2>&1 || {
	grep '^[EW]: ' "$log" >&2 || tail -n 20 "$log" >&2
	die "apt-get update failed for the private arm64 state (log: $log)"
}

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
