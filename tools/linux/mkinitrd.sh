#!/usr/bin/env bash
# tools/linux/mkinitrd.sh OUTDIR
#
# Builds OUTDIR/initrd.gz (cpio -H newc, gzip) for the Linux guest from
#   OUTDIR/busybox                     (tools/linux/fetch.sh)
#   OUTDIR/tools/aether-cntvct, aether-marker, aether-dbgtest (tools/linux/objs.mk)
#   tools/linux/init                   (becomes /init)
# plus /etc/inittab and /etc/shrc written here.  The archive is reproducible:
# fixed mtimes, owner root, sorted names.  /dev/console is created with
# mknod when run as root (without it, /init still works: it mounts
# devtmpfs; aether-marker as init= mounts devtmpfs itself).
set -euo pipefail

die() { echo "mkinitrd.sh: error: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 OUTDIR"
out=$1
here=$(cd "$(dirname "$0")" && pwd)
command -v cpio >/dev/null || die "cpio not found (apt-get install cpio)"
for f in "$out/busybox" "$out/tools/aether-cntvct" "$out/tools/aether-marker" "$out/tools/aether-dbgtest" "$here/init"; do
	[ -s "$f" ] || die "missing input $f"
done

root=$out/initramfs
rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,mnt,run}
chmod 1777 "$root/tmp"

install -m 0755 "$out/busybox" "$root/bin/busybox"
install -m 0755 "$here/init" "$root/init"
install -m 0755 "$here/workload" "$root/bin/aether-workload"
install -m 0755 "$out/tools/aether-cntvct" "$root/bin/aether-cntvct"
install -m 0755 "$out/tools/aether-marker" "$root/bin/aether-marker"
install -m 0755 "$out/tools/aether-dbgtest" "$root/bin/aether-dbgtest"

# The applets /init and the tests use, linked at build time; /init adds the
# rest at boot with `busybox --install -s`.
for a in sh ash cat echo printf test '[' true false sleep nproc dmesg grep sed awk \
	mount umount mkdir rm cp mv ln ls ps kill cttyhack setsid stty tty uname \
	date env sync head tail wc dd od hexdump mknod chmod free uptime \
	ifconfig ip route udhcpc ping wget nc httpd insmod modprobe lsmod rmmod devmem; do
	ln -s busybox "$root/bin/$a"
done
for a in init poweroff reboot halt; do
	ln -s ../bin/busybox "$root/sbin/$a"
done

cat > "$root/etc/inittab" <<'TAB'
# busybox init, started by /init.  One shell on the console with a
# controlling tty (setsid: a new session, as TIOCSCTTY needs a session
# leader; cttyhack opens the real console device, e.g. /dev/ttyAMA0, as
# /dev/console can never be a controlling tty); the machine powers off
# when it exits.  `reboot`/`poweroff` (without -f) signal init, which ends
# everything and then reboots or powers off.
::once:/bin/sh -c '/bin/setsid /bin/cttyhack /bin/sh; exec /sbin/poweroff -f'
::ctrlaltdel:/sbin/reboot -f
TAB

cat > "$root/etc/shrc" <<'RC'
# Read by interactive shells ($ENV, exported by /init).
PS1='\w # '
# Nothing here needs an orderly shutdown: go down at once instead of
# letting busybox init spend two seconds killing processes.
poweroff() { /bin/busybox poweroff -f "$@"; }
reboot() { /bin/busybox reboot -f "$@"; }
RC

echo root:x:0:0:root:/root:/bin/sh > "$root/etc/passwd"
echo root:x:0: > "$root/etc/group"

if [ "$(id -u)" -eq 0 ]; then
	mknod -m 0600 "$root/dev/console" c 5 1
	mknod -m 0666 "$root/dev/null" c 1 3
else
	echo "mkinitrd.sh: not root: no /dev/console in the archive (devtmpfs covers it)" >&2
fi

find "$root" -exec touch -h -d @0 {} +
( cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible ) | gzip -9 -n > "$out/initrd.gz.tmp"
mv -f "$out/initrd.gz.tmp" "$out/initrd.gz"
