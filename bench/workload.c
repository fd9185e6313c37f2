/* aether-bench: the syscall- and timer-heavy workload of `make bench`.
 *
 * Run as rdinit= (pid 1, nothing mounted).  After SETTLE_S seconds of sleep
 * (boot-time kernel threads done), times with CNTVCT_EL0:
 *   - GETPPID_CALLS getppid() system calls (EL0 -> EL1 and back; a
 *     hypervisor is not involved unless something else traps);
 *   - SLEEPS nanosleep() calls of SLEEP_NS each (the kernel programs the
 *     virtual timer, idles in WFI, takes the timer interrupt: each one is a
 *     WFI exit and an interrupt exit under a trap-and-emulate hypervisor);
 * each batch of BATCH calls and each sleep on its own, and prints
 *   AETHER-BENCH getppid=<n> batch=<n> getppid_ticks=<total>
 *       batch_med_ticks=<median batch> batch_min_ticks=<t> sleeps=<n>
 *       sleep_ns=<ns> sleep_ticks=<total> sleep_med_ticks=<t>
 *       sleep_min_ticks=<t> cntfrq=<hz>
 * (medians, because the kernel's own periodic work lands in some batches)
 * and seeded=1 if the fixed CRNG seed was credited (see seed_crng).
 * and powers the machine off.  A static AArch64 program without libc (own
 * _start, raw system calls), built by bench/run.py. */
#include "nolibc.h"

#define RNDADDENTROPY 0x40085203 /* _IOW('R', 3, int[2]) */

#define GETPPID_CALLS 20000
#define SLEEPS 1000
#define SLEEP_NS 100000
#define SETTLE_S 2
#define BATCH 1000

struct timespec {
	long tv_sec, tv_nsec;
};

static u64 lat[SLEEPS];

/* The guest's device tree carries no rng-seed and the CPU has no RNG, so
 * early in boot the kernel's CRNG is not ready and every system call's
 * stack-offset randomisation pays a ChaCha20 block (about 9,000
 * instructions).  Credit a fixed seed, as a distribution's saved random
 * seed would, so the loop measures the system call path. */
static long seed_crng(void)
{
	static struct {
		int entropy_count, buf_size;
		unsigned int buf[16];
	} seed = {512, 64, {0}};
	long fd, r;

	for (int i = 0; i < 16; i++)
		seed.buf[i] = 0x9e3779b9u * (unsigned int)(i + 1);
	sys5(SYS_mkdirat, AT_FDCWD, (long)"/dev", 0755, 0, 0);
	sys5(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
	fd = sys5(SYS_openat, AT_FDCWD, (long)"/dev/urandom", O_RDWR, 0, 0);
	if (fd < 0)
		return fd;
	r = sys5(SYS_ioctl, fd, RNDADDENTROPY, (long)&seed, 0, 0);
	sys5(SYS_close, fd, 0, 0, 0, 0);
	return r;
}

static u64 median(u64 *v, int n)
{
	for (int i = 1; i < n; i++) {
		u64 x = v[i];
		int j = i - 1;

		while (j >= 0 && v[j] > x) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = x;
	}
	return v[n / 2];
}

static char *put_kv(char *p, const char *k, u64 v)
{
	p = put_str(p, k);
	return put_dec(p, v);
}

int cmain(void)
{
	struct timespec ts = {0, SLEEP_NS}, settle = {SETTLE_S, 0};
	u64 t0, t1, t2, frq, batch[GETPPID_CALLS / BATCH];
	char buf[256], *p = buf;
	long fd = 1;
	int i, b;
	long seeded = seed_crng();

	/* Let the kernel's boot-time background work finish first (idle time
	 * costs nothing under icount with sleep=off). */
	sys5(SYS_nanosleep, (long)&settle, 0, 0, 0, 0);
	t0 = cntvct();
	for (b = 0; b < GETPPID_CALLS / BATCH; b++) {
		u64 s = cntvct();

		for (i = 0; i < BATCH; i++)
			sys5(SYS_getppid, 0, 0, 0, 0, 0);
		batch[b] = cntvct() - s;
	}
	t1 = cntvct();
	for (i = 0; i < SLEEPS; i++) {
		u64 s = cntvct();

		sys5(SYS_nanosleep, (long)&ts, 0, 0, 0, 0);
		lat[i] = cntvct() - s;
	}
	t2 = cntvct();
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));

	p = put_kv(p, "AETHER-BENCH getppid=", GETPPID_CALLS);
	p = put_kv(p, " batch=", BATCH);
	p = put_kv(p, " getppid_ticks=", t1 - t0);
	p = put_kv(p, " batch_med_ticks=", median(batch, GETPPID_CALLS / BATCH));
	p = put_kv(p, " batch_min_ticks=", batch[0]);
	p = put_kv(p, " sleeps=", SLEEPS);
	p = put_kv(p, " sleep_ns=", SLEEP_NS);
	p = put_kv(p, " sleep_ticks=", t2 - t1);
	p = put_kv(p, " sleep_med_ticks=", median(lat, SLEEPS));
	p = put_kv(p, " sleep_min_ticks=", lat[0]);
	p = put_kv(p, " cntfrq=", frq);
	p = put_kv(p, " seeded=", seeded == 0);
	*p++ = '\n';

	if (sys5(SYS_write, fd, (long)buf, p - buf, 0, 0) < 0) {
		sys5(SYS_mkdirat, AT_FDCWD, (long)"/dev", 0755, 0, 0);
		sys5(SYS_mount, (long)"devtmpfs", (long)"/dev", (long)"devtmpfs", 0, 0);
		fd = sys5(SYS_openat, AT_FDCWD, (long)"/dev/console", O_RDWR | O_NOCTTY, 0, 0);
		if (fd >= 0)
			sys5(SYS_write, fd, (long)buf, p - buf, 0, 0);
	}
	if (fd >= 0)
		sys5(SYS_ioctl, fd, TCSBRK, 1, 0, 0);
	sys5(SYS_reboot, (long)LINUX_REBOOT_MAGIC1, (long)LINUX_REBOOT_MAGIC2,
	     (long)LINUX_REBOOT_CMD_POWER_OFF, 0, 0);
	return 1;
}
