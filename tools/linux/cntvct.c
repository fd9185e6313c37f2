/* aether-cntvct: prints "cntvct=<CNTVCT_EL0> cntfrq=<CNTFRQ_EL0>" in decimal.
 *
 * A static AArch64 Linux program without libc: its own _start, raw svc #0
 * system calls.  Linux sets CNTKCTL_EL1.EL0VCTEN, so EL0 may read the
 * virtual counter and its frequency directly.  Build:
 *   aarch64-linux-gnu-gcc -O2 -static -nostdlib -ffreestanding -fno-pie \
 *       -no-pie -Wl,--build-id=none -o aether-cntvct cntvct.c */
#include "nolibc.h"

int cmain(void)
{
	u64 cnt, frq;
	char buf[80], *p = buf;

	cnt = cntvct();
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
	p = put_str(p, "cntvct=");
	p = put_dec(p, cnt);
	p = put_str(p, " cntfrq=");
	p = put_dec(p, frq);
	*p++ = '\n';
	return sys5(SYS_write, 1, (long)buf, p - buf, 0, 0) == p - buf ? 0 : 1;
}
