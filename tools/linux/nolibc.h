/* The few pieces a static AArch64 Linux program needs without libc: an
 * entry point that calls cmain() and exits with its result, raw system
 * calls, decimal output and the virtual counter.  Shared by the initramfs
 * tools (cntvct.c, marker.c) and the benchmark workload (bench/workload.c). */
#ifndef AETHER_NOLIBC_H
#define AETHER_NOLIBC_H

typedef unsigned long u64;

#define SYS_ioctl 29
#define SYS_mkdirat 34
#define SYS_mount 40
#define SYS_openat 56
#define SYS_close 57
#define SYS_write 64
#define SYS_exit 93
#define SYS_nanosleep 101
#define SYS_reboot 142
#define SYS_getppid 173

#define AT_FDCWD (-100)
#define O_WRONLY 01
#define O_RDWR 02
#define O_NOCTTY 0400
#define TCSBRK 0x5409

#define LINUX_REBOOT_MAGIC1 0xfee1deadUL
#define LINUX_REBOOT_MAGIC2 672274793UL
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedcUL

int cmain(void);

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

static inline long sys5(long nr, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}

static inline u64 cntvct(void)
{
	u64 v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

/* Appends the decimal digits of v at p; returns the new end. */
static inline char *put_dec(char *p, u64 v)
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

static inline char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

#endif
