/* aether-dbgtest: the debug architecture through Linux's ptrace (issue 13).
 *
 * Three runs, each on a fresh child that stops itself (PTRACE_TRACEME,
 * SIGSTOP) and pins itself to the last online CPU while the parent stays on
 * CPU 0, so the debug state follows a task onto another vCPU:
 *   step:  PTRACE_SINGLESTEP from the stop until the child reaches
 *          dbg_step_end, counting the steps inside dbg_step_seq (1 + 2 * 5
 *          instructions: a mov and a five-iteration sub/cbnz loop);
 *   break: a hardware breakpoint on dbg_target through PTRACE_SETREGSET
 *          NT_ARM_HW_BREAK; the child calls it BP_CALLS times;
 *   watch: a store watchpoint on dbg_word through NT_ARM_HW_WATCH; the child
 *          loads it WP_LOADS times (not counted) and stores it WP_STORES times.
 * After each breakpoint or watchpoint stop the parent does what a debugger
 * does: removes the point, steps over the instruction, puts it back.
 * Prints "aether-dbgtest: steps=N breakpoint-hits=N watchpoint-hits=N OK"
 * (or FAIL) and exits 0 only if all three counts are right. */
#include "nolibc.h"

typedef unsigned int u32;

#define SYS_sched_setaffinity 122
#define SYS_kill 129
#define SYS_getpid 172
#define SYS_clone 220
#define SYS_wait4 260
#define SYS_ptrace 117
#define SIGCHLD 17
#define SIGSTOP 19
#define SIGTRAP 5

#define PTRACE_TRACEME 0
#define PTRACE_CONT 7
#define PTRACE_KILL 8
#define PTRACE_SINGLESTEP 9
#define PTRACE_GETREGSET 0x4204
#define PTRACE_SETREGSET 0x4205
#define NT_PRSTATUS 1
#define NT_ARM_HW_BREAK 0x402
#define NT_ARM_HW_WATCH 0x403

/* arch/arm64 hw_breakpoint control word: len (BAS) [12:5], type [4:3]
 * (0 execute, 1 load, 2 store), privilege [2:1] (2 = EL0), enabled [0]. */
#define CTRL_EXEC_EL0 ((0xfU << 5) | (0U << 3) | (2U << 1) | 1U)
#define CTRL_STORE8_EL0 ((0xffU << 5) | (2U << 3) | (2U << 1) | 1U)

#define STEPS 11
#define BP_CALLS 5
#define WP_LOADS 2
#define WP_STORES 3
#define MAX_STOPS 100000

struct iovec {
	void *base;
	u64 len;
};

struct hwdebug {
	u32 dbg_info, pad;
	struct {
		u64 addr;
		u32 ctrl, pad;
	} regs[16];
};

struct pt_regs {
	u64 x[31], sp, pc, pstate;
};

void dbg_target(void);
extern char dbg_step_seq[], dbg_step_end[];
volatile u64 dbg_word;

__asm__(".text\n"
	".globl dbg_target\n"
	"dbg_target: nop\n"
	"	ret\n"
	".globl dbg_step_seq\n"
	"dbg_step_seq: mov x0, #5\n"
	"1:	sub x0, x0, #1\n"
	"	cbnz x0, 1b\n"
	".globl dbg_step_end\n"
	"dbg_step_end: ret\n");

/* The compiler zeroes the structures below with memset: there is no libc. */
void *memset(void *d, int c, unsigned long n);
void *memset(void *d, int c, unsigned long n)
{
	volatile unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

static long ptrace(long req, long pid, long addr, void *data)
{
	return sys5(SYS_ptrace, req, pid, addr, (long)data, 0);
}

static void pin(u32 cpu)
{
	u64 mask = 1UL << cpu;

	sys5(SYS_sched_setaffinity, 0, sizeof(mask), (long)&mask, 0, 0);
}

static int ncpus(void)
{
	u64 mask = 0;
	int n = 0;

	/* sched_getaffinity (123): the CPUs this task may use */
	sys5(123, 0, sizeof(mask), (long)&mask, 0, 0);
	for (; mask; mask &= mask - 1)
		n++;
	return n;
}

static void child(int mode, int cpus)
{
	pin((u32)(cpus - 1));
	ptrace(PTRACE_TRACEME, 0, 0, 0);
	sys5(SYS_kill, sys5(SYS_getpid, 0, 0, 0, 0, 0), SIGSTOP, 0, 0, 0);
	if (mode == 0)
		((void (*)(void))dbg_step_seq)();
	for (int i = 0; mode == 1 && i < BP_CALLS; i++)
		dbg_target();
	for (int i = 0; mode == 2 && i < WP_LOADS; i++)
		(void)dbg_word;
	for (int i = 0; mode == 2 && i < WP_STORES; i++)
		dbg_word = (u64)i;
	sys5(SYS_exit, 0, 0, 0, 0, 0);
}

/* Waits for the child; returns the stop signal, 0 when it exited cleanly,
 * -1 on anything else. */
static int wait_stop(long pid)
{
	int status = 0;

	if (sys5(SYS_wait4, pid, (long)&status, 0, 0, 0) != pid)
		return -1;
	if ((status & 0xff) == 0x7f)
		return (status >> 8) & 0xff;
	return (status & 0x7f) == 0 && ((status >> 8) & 0xff) == 0 ? 0 : -1;
}

static u64 child_pc(long pid)
{
	struct pt_regs r = {0};
	struct iovec iov = {&r, sizeof(r)};

	return ptrace(PTRACE_GETREGSET, pid, NT_PRSTATUS, &iov) == 0 ? r.pc : 0;
}

static long set_point(long pid, int type, u64 addr, u32 ctrl)
{
	struct hwdebug h = {0};
	struct iovec iov = {&h, 8 + 16};

	h.regs[0].addr = addr;
	h.regs[0].ctrl = ctrl;
	return ptrace(PTRACE_SETREGSET, pid, type, &iov);
}

static long spawn(int mode, int cpus)
{
	long pid = sys5(SYS_clone, SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		child(mode, cpus);
	if (pid < 0 || wait_stop(pid) != SIGSTOP)
		return -1;
	return pid;
}

static int count_steps(int cpus)
{
	long pid = spawn(0, cpus);
	int steps = 0;

	if (pid < 0)
		return -1;
	for (int i = 0; i < MAX_STOPS; i++) {
		u64 pc = child_pc(pid);
		if (pc == (u64)dbg_step_end)
			break;
		if (pc >= (u64)dbg_step_seq && pc < (u64)dbg_step_end)
			steps++;
		if (ptrace(PTRACE_SINGLESTEP, pid, 0, 0) || wait_stop(pid) != SIGTRAP)
			return -1;
	}
	ptrace(PTRACE_CONT, pid, 0, 0);
	return wait_stop(pid) == 0 ? steps : -1;
}

/* Continues the child to its end, counting stops at the hardware point. */
static int count_hits(int mode, int cpus, int type, u64 addr, u32 ctrl)
{
	long pid = spawn(mode, cpus);
	int hits = 0, sig;

	if (pid < 0 || set_point(pid, type, addr, ctrl))
		return -1;
	for (int i = 0; i < MAX_STOPS; i++) {
		if (ptrace(PTRACE_CONT, pid, 0, 0))
			return -1;
		sig = wait_stop(pid);
		if (sig == 0)
			return hits;
		if (sig != SIGTRAP)
			break;
		hits++;
		/* Step over it with the point removed, as a debugger does. */
		if (set_point(pid, type, addr, 0) || ptrace(PTRACE_SINGLESTEP, pid, 0, 0) ||
		    wait_stop(pid) != SIGTRAP || set_point(pid, type, addr, ctrl))
			break;
	}
	ptrace(PTRACE_KILL, pid, 0, 0);
	return -1;
}

int cmain(void)
{
	char buf[128], *p = buf;
	int cpus = ncpus();

	pin(0);
	int steps = count_steps(cpus);
	int bp = count_hits(1, cpus, NT_ARM_HW_BREAK, (u64)dbg_target, CTRL_EXEC_EL0);
	int wp = count_hits(2, cpus, NT_ARM_HW_WATCH, (u64)&dbg_word, CTRL_STORE8_EL0);
	int ok = steps == STEPS && bp == BP_CALLS && wp == WP_STORES;

	p = put_str(p, "aether-dbgtest: steps=");
	p = steps < 0 ? put_str(p, "error") : put_dec(p, (u64)steps);
	p = put_str(p, " breakpoint-hits=");
	p = bp < 0 ? put_str(p, "error") : put_dec(p, (u64)bp);
	p = put_str(p, " watchpoint-hits=");
	p = wp < 0 ? put_str(p, "error") : put_dec(p, (u64)wp);
	p = put_str(p, " cpus=");
	p = put_dec(p, (u64)cpus);
	p = put_str(p, ok ? " OK\n" : " FAIL\n");
	sys5(SYS_write, 1, (long)buf, p - buf, 0, 0);
	return ok ? 0 : 1;
}
