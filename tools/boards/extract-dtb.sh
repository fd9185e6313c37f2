#!/usr/bin/env bash
# tools/boards/extract-dtb.sh DEBDIR PATH-IN-PACKAGE OUT
#
# Copies one board device tree out of Debian's arm64 kernel package (the
# .deb tools/linux/fetch.sh keeps in DEBDIR), unchanged: the hypervisor is
# booted with the board's own DTB, as U-Boot would hand it over.
#   e.g. DEBDIR=build/linux/apt/debs PATH=xilinx/zynqmp-zcu102-rev1.0.dtb
set -euo pipefail

die() { echo "extract-dtb.sh: error: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: $0 DEBDIR PATH-IN-PACKAGE OUT"
debdir=$1 want=$2 out=$3
kdeb=$(ls "$debdir"/linux-image-*-arm64_*_arm64.deb 2>/dev/null | head -n1) ||
	true
[ -n "$kdeb" ] || die "no linux-image .deb in $debdir (rm -rf $(dirname "$(dirname "$debdir")") and run make linux)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$tmp" --wildcards "./usr/lib/linux-image-*/$want" ||
	die "cannot extract usr/lib/linux-image-*/$want from $kdeb"
dtb=$(ls "$tmp"/usr/lib/linux-image-*/"$want" | head -n1)
[ "$(od -An -tx1 -N4 "$dtb" | tr -d ' \n')" = "d00dfeed" ] || die "$want in $kdeb is not a DTB"
mkdir -p "$(dirname "$out")"
install -m 0644 "$dtb" "$out.tmp" && mv -f "$out.tmp" "$out"
