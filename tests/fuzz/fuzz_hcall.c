/* libFuzzer harness for SMCCC hypercalls and PSCI (vm/exit/hypercall.c,
 * vm/exit/psci.c) over the fakes in tests/host/fake_el2.c.
 *
 * Input: a VM shape (vCPU count and power states), then up to 32 calls, each
 * x0..x7 (x0 picked from the table's IDs, the same with flipped bits, or
 * anything; arguments from a list of interesting values or anything) from a
 * random calling vCPU.  After each call:
 *   - hcall_decode kept W0 only and narrowed SMC32 arguments;
 *   - an ID outside the table returned NOT_SUPPORTED with one result and left
 *     the VM, the fakes' records and the console exactly as they were;
 *   - a call that returned an error (other than ECHO and ECHO32, whose results are its
 *     arguments) changed nothing either: handlers validate before acting;
 *   - only the PSCI calls that should touch vCPU or VM state did. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aether_abi.h"
#include "fake_el2.h"
#include "vm/exit/hypercall.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const u32 table_fids[] = {
	SMCCC_VERSION,	    SMCCC_ARCH_FEATURES,     PSCI_VERSION,	    PSCI_CPU_SUSPEND_32,
	PSCI_CPU_OFF,	    PSCI_CPU_ON_32,	     PSCI_AFFINITY_INFO_32, PSCI_MIGRATE_INFO_TYPE,
	PSCI_SYSTEM_OFF,    PSCI_SYSTEM_RESET,	     PSCI_FEATURES,	    AETHER_HC_CALL_UID,
	AETHER_HC_REVISION, PSCI_CPU_SUSPEND_64,     PSCI_CPU_ON_64,	    PSCI_AFFINITY_INFO_64,
	AETHER_HC_VM_INFO,  AETHER_HC_CONSOLE_WRITE, AETHER_HC_EXIT_COUNT,  AETHER_HC_ECHO,
	AETHER_HC_RESTARTS, AETHER_HC_EL2_INSNS,     AETHER_HC_ECHO32,
};

static struct vm vm, snap_vm;
static struct fake_calls snap_calls;
static size_t snap_console;

static bool in_table(u32 fid)
{
	for (u32 i = 0; i < ARRAY_SIZE(table_fids); i++)
		if (table_fids[i] == fid)
			return true;
	return false;
}

static u64 pick_fid(struct input *in)
{
	u64 sel = take(in, 1), upper = (sel & 0x80) ? take(in, 4) << 32 : 0;
	u32 fid = table_fids[take(in, 1) % ARRAY_SIZE(table_fids)];

	switch (sel & 3) {
	case 0: return upper | fid;
	case 1: return upper | (fid ^ (1U << (take(in, 1) % 32)));
	case 2: return upper | (fid & 0xff000000) | (u32)take(in, 2);
	default: return take(in, 8);
	}
}

static u64 pick_arg(struct input *in)
{
	u64 sel = take(in, 1);
	u64 small = sel >> 4;

	switch (sel & 7) {
	case 0: return small;				     /* vCPU ids, levels, kinds */
	case 1: return FAKE_RAM_IPA + (take(in, 2) << 2);    /* aligned RAM */
	case 2: return FAKE_RAM_IPA + FAKE_RAM_SIZE - small; /* the end of RAM */
	case 3: return table_fids[small % ARRAY_SIZE(table_fids)];
	case 4: return (take(in, 4) << 32) | small; /* garbage upper half */
	case 5: return AETHER_CONSOLE_WRITE_MAX + small - 8;
	default: return take(in, 8);
	}
}

static void snapshot(void)
{
	memcpy(&snap_vm, &vm, sizeof(vm));
	memcpy(&snap_calls, &fake_calls, sizeof(fake_calls));
	snap_console = fake_console_total;
}

static bool unchanged(void)
{
	return fake_vm_equal(&vm, &snap_vm) &&
	       memcmp(&fake_calls, &snap_calls, sizeof(fake_calls)) == 0 &&
	       fake_console_total == snap_console;
}

static void check_decode(const u64 *x, const struct hcall_args *a)
{
	FUZZ_ASSERT(a->fid == (u32)x[0]);
	FUZZ_ASSERT(a->smc64 == ((x[0] & (1UL << 30)) != 0));
	for (u32 i = 0; i < 7; i++)
		FUZZ_ASSERT(hcall_arg(a, i) == (a->smc64 ? x[i + 1] : (u32)x[i + 1]));
}

/* Which fake records each call may change. */
static void check_effects(u32 fid, const struct hcall_ret *r)
{
	bool psci_state = fid == PSCI_CPU_ON_32 || fid == PSCI_CPU_ON_64 || fid == PSCI_CPU_OFF ||
			  fid == PSCI_CPU_SUSPEND_32 || fid == PSCI_CPU_SUSPEND_64 ||
			  fid == PSCI_SYSTEM_OFF || fid == PSCI_SYSTEM_RESET;

	struct fake_calls now = fake_calls;

	FUZZ_ASSERT(r->nr_ret == 1 || r->nr_ret == 2 || r->nr_ret == 4);
	if (fid == AETHER_HC_CONSOLE_WRITE && now.dcache != snap_calls.dcache) {
		/* Reading the guest's buffer first cleans it from the cache. */
		FUZZ_ASSERT(now.dcache == snap_calls.dcache + 1);
		now.dcache = snap_calls.dcache;
		now.dcache_va = snap_calls.dcache_va;
		now.dcache_size = snap_calls.dcache_size;
	}
	if (!psci_state)
		FUZZ_ASSERT(memcmp(&now, &snap_calls, sizeof(now)) == 0);
	if (fid != AETHER_HC_CONSOLE_WRITE)
		FUZZ_ASSERT(fake_console_total == snap_console);
	if (fake_calls.power_on != snap_calls.power_on) {
		FUZZ_ASSERT(r->r[0] == PSCI_RET_SUCCESS);
		FUZZ_ASSERT(snap_vm.vcpus[fake_calls.on_vcpu - vm.vcpus].state == VCPU_OFF);
		FUZZ_ASSERT(vm_ipa_is_ram(&vm, ipa_init(fake_calls.on_entry), 4));
		FUZZ_ASSERT(IS_ALIGNED(fake_calls.on_entry, 4));
	}
}

static void one_call(struct input *in)
{
	u64 x[8];
	struct hcall_args a;
	struct hcall_ret r;
	struct vcpu *v = &vm.vcpus[take(in, 1) % vm.nr_vcpus];

	x[0] = pick_fid(in);
	for (u32 i = 1; i < 8; i++)
		x[i] = pick_arg(in);
	snapshot();
	hcall_decode(x, &a);
	check_decode(x, &a);
	memset(&r, 0x5a, sizeof(r));
	hcall_dispatch(v, &a, &r);
	if (!in_table(a.fid)) {
		FUZZ_ASSERT(r.nr_ret == 1 && r.r[0] == SMCCC_RET_NOT_SUPPORTED);
		FUZZ_ASSERT(unchanged());
		return;
	}
	check_effects(a.fid, &r);
	if (r.r[0] < 0 && a.fid != AETHER_HC_ECHO && a.fid != AETHER_HC_ECHO32)
		FUZZ_ASSERT(unchanged());
}

static void setup(struct input *in)
{
	u32 states = (u32)take(in, 1);

	fake_vm_init(&vm, 1 + (u32)take(in, 1) % MAX_VCPUS_PER_VM);
	for (u32 i = 1; i < vm.nr_vcpus; i++)
		vm.vcpus[i].state = (states >> i) & 1 ? VCPU_RUNNABLE : VCPU_OFF;
	for (u32 k = 0; k < EXIT_KINDS; k++)
		vm.vcpus[0].exits[k] = take(in, 2);
	vm.restarts = (u32)take(in, 1);
	for (u32 i = 0; i < 64; i++)
		fake_ram[i * 64] = (u8)(i % 3 == 0 ? '\n' : 'a' + i % 26);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};

	setup(&in);
	for (u32 i = 0; i < 32 && in.n; i++)
		one_call(&in);
	return 0;
}
