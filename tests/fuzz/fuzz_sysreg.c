/* libFuzzer harness for trapped MSR/MRS/SYS (vm/exit/sysreg_trap.c) over the fakes
 * in tests/host/fake_el2.c.
 *
 * Input: the feature ID register values, then up to 32 accesses, each a
 * random ISS (and IL bit) from EL1h or EL0 with random general registers.
 * Each access must end one of two ways:
 *   - emulated: PC + 4 (2 with IL clear), PSTATE kept, at most Rt of a read
 *     changed, and an ID register read returns the sanitised value;
 *   - UNDEF: ELR_EL1 = the trapping PC, ESR_EL1 = EC 0 with IL, PC at the
 *     vector for the mode, no general register changed;
 * and writes to the ID registers are always UNDEF.  Emulated state (MDSCR,
 * OS lock), cache maintenance and SGI requests change only for their own
 * registers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_el2.h"
#include "vm/exit/sysreg_trap.h"
#include "vm/exit/trap.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define KEY(op0, op1, crn, crm, op2) \
	(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2))

static struct vm vm;

/* ISS bits from the Arm ARM, independent of sysreg_decode. */
static u32 iss_key(u64 iss)
{
	return KEY((u32)(iss >> 20) & 3, (u32)(iss >> 14) & 7, (u32)(iss >> 10) & 15,
		   (u32)(iss >> 1) & 15, (u32)(iss >> 17) & 7);
}

static bool is_id(u32 key)
{
	return (key >> 6) == (KEY(3, 0, 0, 0, 0) >> 6) && ((key >> 3) & 7) != 0;
}

static bool is_setway(u32 key)
{
	return key == KEY(1, 0, 7, 6, 2) || key == KEY(1, 0, 7, 10, 2) ||
	       key == KEY(1, 0, 7, 14, 2);
}

/* Registers with their own handlers, as op0, op1, CRn, CRm, op2. */
static const u8 named[][5] = {
	{1, 0, 7, 6, 2},   {1, 0, 7, 10, 2},  {1, 0, 7, 14, 2},	 {2, 0, 0, 2, 2},
	{2, 0, 1, 0, 4},   {2, 0, 1, 1, 4},   {2, 0, 7, 14, 6},	 {2, 3, 0, 1, 0},
	{3, 0, 12, 11, 5}, {3, 1, 12, 11, 6}, {3, 2, 12, 11, 7}, {3, 3, 14, 2, 1},
};

/* A random ISS, often steered into the spaces that are emulated. */
static u64 pick_iss(struct input *in)
{
	u64 iss = take(in, 4) & 0x1ffffff;
	u64 steer = take(in, 1);
	const u8 *k = named[(steer >> 2) % ARRAY_SIZE(named)];

	switch (steer & 3) {
	case 2: /* a named register; keep Rt and the direction */
		return (iss & 0x3e1) | ((u64)k[0] << 20) | ((u64)k[4] << 17) | ((u64)k[1] << 14) |
		       ((u64)k[2] << 10) | ((u64)k[3] << 1);
	case 0: /* op0 3, op1 0, CRn 0: the ID space */
		return (iss & ~((3UL << 20) | (7UL << 14) | (15UL << 10))) | (3UL << 20);
	case 1: /* op0 2, op1 0, CRn 0/1/7: debug */
		return (iss & ~((3UL << 20) | (7UL << 14) | (15UL << 10))) | (2UL << 20) |
		       ((u64)((steer >> 2) & 1	 ? 1
			      : (steer >> 3) & 1 ? 7
						 : 0)
			<< 10);
	default: return iss;
	}
}

static void check_undef(const struct cpu_ctx *old)
{
	const struct vcpu *v = &vm.vcpus[0];

	FUZZ_ASSERT(fake_esr_el1_writes == 1);
	FUZZ_ASSERT(fake_esr_el1 == 0x02000000UL);
	FUZZ_ASSERT(fake_elr_el1 == old->pc);
	FUZZ_ASSERT(fake_spsr_el1 == old->pstate);
	FUZZ_ASSERT(v->ctx.pc == FAKE_VBAR + ((old->pstate & 0xf) ? 0x200 : 0x400));
	FUZZ_ASSERT(v->ctx.pstate == 0x3c5);
	FUZZ_ASSERT(memcmp(v->ctx.x, old->x, sizeof(old->x)) == 0);
}

static void check_emulated(const struct cpu_ctx *old, u64 esr)
{
	const struct vcpu *v = &vm.vcpus[0];
	u64 iss = esr & 0x1ffffff;
	u32 rt = (iss >> 5) & 31, key = iss_key(iss);
	bool read = iss & 1;

	FUZZ_ASSERT(fake_esr_el1_writes == 0);
	FUZZ_ASSERT(v->ctx.pc == old->pc + ((esr & (1UL << 25)) ? 4 : 2));
	FUZZ_ASSERT(v->ctx.pstate == old->pstate);
	for (u32 i = 0; i < 31; i++)
		if (i != rt || !read)
			FUZZ_ASSERT(v->ctx.x[i] == old->x[i]);
	if (is_id(key) && rt != 31)
		FUZZ_ASSERT(v->ctx.x[rt] ==
			    sysreg_sanitize_id((key >> 3) & 15, key & 7,
					       fake_id_regs[(key >> 3) & 15][key & 7]));
}

static void one_access(struct input *in)
{
	struct vcpu *v = &vm.vcpus[0];
	u64 iss = pick_iss(in);
	u64 esr = (0x18UL << 26) | (take(in, 1) & 7 ? 1UL << 25 : 0) | iss;
	u32 key = iss_key(iss);
	struct fake_calls calls = fake_calls;
	u64 mdscr = v->dbg.r.mdscr;
	bool os_lock = v->dbg.os_lock;
	struct cpu_ctx old;

	v->ctx.pc = FAKE_PC + (take(in, 1) << 2);
	v->ctx.pstate = take(in, 1) & 1 ? 0x0 : 0x5;
	for (u32 i = 0; i < 31; i++)
		v->ctx.x[i] = take(in, 1) & 1 ? take(in, 8) : 0x1000 + i;
	old = v->ctx;
	fake_esr_el1_writes = 0;
	handle_sysreg(v, esr);
	if (fake_esr_el1_writes)
		check_undef(&old);
	else
		check_emulated(&old, esr);
	if (is_id(key) && !(iss & 1))
		FUZZ_ASSERT(fake_esr_el1_writes == 1);
	/* OSLAR may move the debug state from the (fake) CPU into memory. */
	if (key != KEY(2, 0, 0, 2, 2) && key != KEY(2, 0, 1, 0, 4))
		FUZZ_ASSERT(v->dbg.r.mdscr == mdscr);
	if (key != KEY(2, 0, 1, 0, 4))
		FUZZ_ASSERT(v->dbg.os_lock == os_lock);
	if (!is_setway(key))
		FUZZ_ASSERT(fake_calls.dcache == calls.dcache);
	if (key != KEY(3, 0, 12, 11, 5))
		FUZZ_ASSERT(fake_calls.sgi1r == calls.sgi1r);
	FUZZ_ASSERT(fake_calls.vm_end == calls.vm_end && fake_calls.power_off == calls.power_off);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};

	fake_vm_init(&vm, 1);
	for (u32 crm = 1; crm < 8; crm++)
		for (u32 op2 = 0; op2 < 8; op2++)
			fake_id_regs[crm][op2] = 0x1111111111111111UL * ((crm + op2) & 15) ^
						 take(&in, 1) * 0x0101010101010101UL;
	for (u32 i = 0; i < 32 && in.n; i++)
		one_access(&in);
	return 0;
}
