#!/usr/bin/env bash
# mgmt/mkinitrd.sh OUT.gz SYSROOT KERNEL_DEB BUSYBOX AETHERD WEBDIR TOKENFILE [EXTRA_BIN...]
#
# The management VM's initramfs (cpio -H newc, gzip): busybox, the
# virtio-mmio and virtio-net modules from the same kernel package as the
# Image (kernel/drivers/{virtio,net}, net/core/failover), aetherd, every
# shared object it (and each EXTRA_BIN, a path inside SYSROOT such as
# /usr/sbin/mosquitto) needs by DT_NEEDED, resolved recursively in SYSROOT,
# the arm64 dynamic loader, the dashboard and the API token.
set -euo pipefail

die() { echo "mkinitrd.sh: error: $*" >&2; exit 1; }
[ $# -ge 7 ] || die "usage: $0 OUT.gz SYSROOT KERNEL_DEB BUSYBOX AETHERD WEBDIR TOKENFILE [EXTRA_BIN...]"
out=$1 sysroot=$2 kdeb=$3 busybox=$4 aetherd=$5 web=$6 token=$7
shift 7
here=$(cd "$(dirname "$0")" && pwd)
readelf=${READELF:-aarch64-linux-gnu-readelf}
for f in "$kdeb" "$busybox" "$aetherd" "$web/index.html" "$token"; do
	[ -s "$f" ] || die "missing input $f"
done

root=$(mktemp -d "${out%.gz}.root.XXXXXX")
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc/aether,proc,sys,dev,tmp,run,root} \
	"$root"/lib/modules "$root"/lib/aarch64-linux-gnu "$root"/usr/share/aether
chmod 1777 "$root/tmp"
install -m 0755 "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 0755 "$here/vm/init" "$root/init"
install -m 0755 "$here/vm/udhcpc.script" "$root/etc/udhcpc.script"
install -m 0755 "$aetherd" "$root/usr/sbin/aetherd"
install -m 0600 "$token" "$root/etc/aether/token"
cp -r "$web" "$root/usr/share/aether/web"

# The four modules, flat under /lib/modules (the init insmods them by name).
kx=$(mktemp -d)
dpkg-deb --fsys-tarfile "$kdeb" | tar -x -C "$kx" --wildcards \
	'./lib/modules/*/kernel/drivers/virtio/virtio_mmio.ko' \
	'./lib/modules/*/kernel/drivers/net/virtio_net.ko' \
	'./lib/modules/*/kernel/drivers/net/net_failover.ko' \
	'./lib/modules/*/kernel/net/core/failover.ko' || die "modules missing from $kdeb"
find "$kx" -name '*.ko' -exec install -m 0644 {} "$root/lib/modules/" \;
rm -rf "$kx"
[ "$(ls "$root/lib/modules" | wc -l)" -eq 4 ] || die "expected 4 modules, got $(ls "$root/lib/modules")"

# Shared objects by DT_NEEDED, breadth first, each copied once (the real
# file under its soname).
find_lib() {
	for d in lib/aarch64-linux-gnu usr/lib/aarch64-linux-gnu lib usr/lib; do
		[ -e "$sysroot/$d/$1" ] && { echo "$sysroot/$d/$1"; return 0; }
	done
	return 1
}
queue=("$aetherd")
for b in "$@"; do
	[ -s "$sysroot/$b" ] || die "extra binary $b not in $sysroot"
	install -D -m 0755 "$sysroot/$b" "$root/$b"
	queue+=("$sysroot/$b")
done
while [ ${#queue[@]} -gt 0 ]; do
	f=${queue[0]}
	queue=("${queue[@]:1}")
	for lib in $("$readelf" -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[ -e "$root/lib/aarch64-linux-gnu/$lib" ] && continue
		src=$(find_lib "$lib") || die "$(basename "$f") needs $lib, which is not in $sysroot (add its package to mgmt/sysroot.sh)"
		install -m 0755 "$(readlink -f "$src")" "$root/lib/aarch64-linux-gnu/$lib"
		queue+=("$root/lib/aarch64-linux-gnu/$lib")
	done
done
interp=$("$readelf" -l "$aetherd" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
[ "$interp" = /lib/ld-linux-aarch64.so.1 ] || die "unexpected interpreter $interp"
install -m 0755 "$(readlink -f "$sysroot/lib/ld-linux-aarch64.so.1")" "$root/lib/ld-linux-aarch64.so.1"

( cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible ) | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
echo "mkinitrd.sh: $out: $(du -k "$out" | cut -f1) KiB, $(ls "$root/lib/aarch64-linux-gnu" | wc -l) libraries" >&2
