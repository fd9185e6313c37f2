/* aether-marker: prints "AETHER-MARKER cntvct=<CNTVCT_EL0>" in decimal and
 * powers the machine off with reboot(LINUX_REBOOT_CMD_POWER_OFF).
 *
 * The userspace marker for boot-time benchmarks: it works as init= (pid 1,
 * nothing mounted).  If it has no usable stdout (the kernel found no
 * /dev/console in the initramfs) it mounts devtmpfs on /dev and opens
 * /dev/console itself.  If there is no console device at all (a board DTB
 * whose UART driver cannot probe, e.g. the ZCU102 model without its clock
 * firmware, where only the earlycon prints) the line goes to the kernel
 * log through /dev/kmsg at KERN_CRIT, which "quiet" still lets through to
 * the boot console.  Before powering off it waits for the console to
 * drain (TCSBRK with arg 1, i.e. tcdrain) so the line is not lost in the
 * UART driver's buffer.  A static AArch64 program without libc; build:
 *   aarch64-linux-gnu-gcc -O2 -static -nostdlib -ffreestanding -fno-pie \
 *       -no-pie -Wl,--build-id=none -o aether-marker marker.c */
#include "nolibc.h"

int cmain(void)
{
	u64 cnt;
	char kbuf[64] = "<2>", *buf = kbuf + 3, *p = buf; /* "<2>": KERN_CRIT for /dev/kmsg */
	long fd = 1, r;

	/* First thing: the counter value is what the benchmark reads. */
	cnt = cntvct();
	p = put_str(p, "AETHER-MARKER cntvct=");
	p = put_dec(p, cnt);
	*p++ = '\n';

	r = sys5(SYS_write, fd, (long)buf, p - buf, 0, 0);
	if (r < 0) {
		/* No console on fd 1: make one (errors ignored: /dev may
		 * already exist or already be devtmpfs). */
		sys5(SYS_mkdirat, AT_FDCWD, (long)"/dev", 0755, 0, 0);
		sys5(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
		fd = sys5(SYS_openat, AT_FDCWD, (long)"/dev/console", O_RDWR | O_NOCTTY, 0, 0);
		if (fd >= 0) {
			sys5(SYS_write, fd, (long)buf, p - buf, 0, 0);
		} else {
			long kfd = sys5(SYS_openat, AT_FDCWD, (long)"/dev/kmsg", O_WRONLY, 0, 0);
			if (kfd >= 0)
				sys5(SYS_write, kfd, (long)kbuf, p - kbuf, 0, 0);
		}
	}
	if (fd >= 0)
		sys5(SYS_ioctl, fd, TCSBRK, 1, 0, 0); /* tcdrain */

	sys5(SYS_reboot, (long)LINUX_REBOOT_MAGIC1, (long)LINUX_REBOOT_MAGIC2,
	     (long)LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
	/* Only reached if reboot failed (e.g. not root). */
	{
		static const char msg[] = "aether-marker: reboot(POWER_OFF) failed\n";
		sys5(SYS_write, fd >= 0 ? fd : 2, (long)msg, sizeof(msg) - 1, 0, 0);
	}
	return 1;
}
