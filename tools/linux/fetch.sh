#!/usr/bin/env bash
# tools/linux/fetch.sh OUTDIR
#
# Downloads Debian bookworm's own arm64 kernel and busybox-static and leaves
#   OUTDIR/Image     the uncompressed arm64 Linux Image (boot/vmlinuz-*)
#   OUTDIR/busybox   the static aarch64 busybox binary
#   OUTDIR/VERSION   the package names and versions used
#
# It uses a private apt state under OUTDIR/apt (tools/debian-apt.sh), so the
# host's dpkg architectures and apt lists are left alone: no
# `dpkg --add-architecture`, nothing under /var/lib/apt or /var/cache/apt.
# The .debs are kept in OUTDIR/apt/debs; if all outputs exist the script does nothing.  To pick up
# a newer Debian kernel, delete OUTDIR (or OUTDIR/apt and the outputs).
#
# Environment: see tools/debian-apt.sh (mirror and suite).
set -euo pipefail

die() { echo "fetch.sh: error: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1
mkdir -p "$out"
out=$(cd "$out" && pwd)

if [ -s "$out/Image" ] && [ -s "$out/busybox" ] && [ -s "$out/VERSION" ]; then
	exit 0
fi

. "$(dirname "$0")/../debian-apt.sh"
st=$out/apt
debian_apt_init "$st" fetch.sh
mkdir -p "$st/debs"
log=$apt_log
mirror=$apt_mirror
suite=$apt_suite
have_debs() {
	compgen -G "$st/debs/linux-image-*-arm64_*_arm64.deb" >/dev/null &&
		compgen -G "$st/debs/busybox-static_*_arm64.deb" >/dev/null
}

if ! have_debs; then
	debian_apt_update

	deps=$(apt-cache "${aptopts[@]}" depends linux-image-arm64 2>"$st/err") || {
		cat "$st/err" >&2
		die "linux-image-arm64 (arm64) not found in the private apt lists: did apt-get update reach $mirror? (log: $log)"
	}
	kpkg=$(printf '%s\n' "$deps" | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-arm64\)$/\1/p' | head -n1)
	[ -n "$kpkg" ] || { printf '%s\n' "$deps" >&2; die "cannot resolve the kernel ABI from linux-image-arm64's dependencies"; }
	echo "fetch.sh: downloading $kpkg busybox-static" >&2
	rm -f "$st/debs/"*.deb
	( cd "$st/debs" && apt-get "${aptopts[@]}" -q download "$kpkg" busybox-static ) >>"$log" 2>&1 || {
		grep '^[EW]: ' "$log" >&2 || tail -n 20 "$log" >&2
		die "apt-get download $kpkg busybox-static failed (log: $log)"
	}
	have_debs || die "download finished but the .debs are not in $st/debs"
fi

kdeb=$(ls "$st/debs/"linux-image-*-arm64_*_arm64.deb | head -n1)
bdeb=$(ls "$st/debs/"busybox-static_*_arm64.deb | head -n1)

tmp=$(mktemp -d "$out/.extract.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Only the two files we need: the full kernel tree with modules is large.
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp" --wildcards './boot/vmlinuz-*' ||
	die "cannot extract boot/vmlinuz-* from $kdeb"
dpkg-deb -x "$bdeb" "$tmp/bb" || die "cannot extract $bdeb"

img=$(ls "$tmp"/boot/vmlinuz-* 2>/dev/null | head -n1)
[ -n "$img" ] || die "no boot/vmlinuz-* in $kdeb"
magic=$(dd if="$img" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')
[ "$magic" = "41524d64" ] ||
	die "$(basename "$img") from $kdeb is not an uncompressed arm64 Image (bytes 56..59 are '$magic', want 41524d64 = \"ARM\\x64\"); Debian may have started compressing it"
[ -f "$tmp/bb/bin/busybox" ] || die "no bin/busybox in $bdeb"

kver=$(dpkg-deb -f "$kdeb" Version)
kname=$(dpkg-deb -f "$kdeb" Package)
bver=$(dpkg-deb -f "$bdeb" Version)
{
	echo "kernel_abi=$(basename "$img" | sed 's/^vmlinuz-//')"
	echo "$kname=$kver"
	echo "busybox-static=$bver"
	echo "source=$mirror $suite (+updates, security)"
} > "$tmp/VERSION"

install -m 0644 "$img" "$out/Image.tmp" && mv -f "$out/Image.tmp" "$out/Image"
install -m 0755 "$tmp/bb/bin/busybox" "$out/busybox.tmp" && mv -f "$out/busybox.tmp" "$out/busybox"
mv -f "$tmp/VERSION" "$out/VERSION"
echo "fetch.sh: $(tr '\n' ' ' < "$out/VERSION")" >&2
