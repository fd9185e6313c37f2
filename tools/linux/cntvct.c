/* aether-cntvct: prints "cntvct=<CNTVCT_EL0> cntfrq=<CNTFRQ_EL0>" in decimal.
 *
 * A static AArch64 Linux program without libc: its own _start, raw svc #0
 * system calls.  Linux sets CNTKCTL_EL1.EL0VCTEN, so EL0 may read the
 * virtual counter and its frequency directly.  Build:
 *   aarch64-linux-gnu-gcc -O2 -static -nostdlib -ffreestanding -fno-pie \
 *       -no-pie -Wl,--build-id=none -o aether-cntvct cntvct.c */
typedef unsigned long u64;

#define SYS_write 64
#define SYS_exit 93

__asm__(".text\n"
	".global _start\n"
	".type _start, %function\n"
	"_start:\n"
	"	mov x29, #0\n"
	"	mov x30, #0\n"
	"	bl cmain\n"
	"	mov x8, #93\n" /* exit(status returned by cmain) */
	"	svc #0\n"
	"	b .\n");

static long sys3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

/* Appends the decimal digits of v at p; returns the new end. */
static char *put_dec(char *p, u64 v)
{
	char tmp[20];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

int cmain(void);
int cmain(void)
{
	u64 cnt, frq;
	char buf[80], *p = buf;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(cnt) : : "memory");
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
	p = put_str(p, "cntvct=");
	p = put_dec(p, cnt);
	p = put_str(p, " cntfrq=");
	p = put_dec(p, frq);
	*p++ = '\n';
	return sys3(SYS_write, 1, (long)buf, p - buf) == p - buf ? 0 : 1;
}
