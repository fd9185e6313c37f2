/* SMCCC hypercalls (vm/exit/hypercall.c) and PSCI (vm/exit/psci.c): decoding of the
 * argument registers, the dispatch table, every call's validation and
 * effect, and the promise that a rejected or unknown call changes nothing.
 * Function IDs and return codes are the literal values of SMCCC (DEN 0028)
 * and PSCI (DEN 0022), not the header's names, where the value is the point. */
#include "check.h"
#include "fake_el2.h"
#include "aether_abi.h"
#include "vm/exit/hypercall.h"

#define NOT_SUPPORTED ((u64)-1)
#define INVALID_PARAMETERS ((u64)-2)
#define ALREADY_ON ((u64)-4)
#define INVALID_ADDRESS ((u64)-9)
#define ENTRY (FAKE_RAM_IPA + 0x800)

static struct vm vm;

/* Every function ID the table answers. */
static const u32 table_fids[] = {
	0x80000000, 0x80000001, 0x84000000, 0x84000001, 0x84000002, 0x84000003,
	0x84000004, 0x84000006, 0x84000008, 0x84000009, 0x8400000a, 0x8600ff01,
	0x8600ff03, 0x86000004, 0xc4000001, 0xc4000003, 0xc4000004, 0xc6000001,
	0xc6000002, 0xc6000003, 0xc6000004, 0xc6000005, 0xc6000006,
};

static bool in_table(u32 fid)
{
	for (u32 i = 0; i < ARRAY_SIZE(table_fids); i++)
		if (table_fids[i] == fid)
			return true;
	return false;
}

static struct hcall_ret call_on(u32 vcpu, u64 x0, u64 x1, u64 x2, u64 x3)
{
	u64 x[8] = {x0, x1, x2, x3, 0x4444, 0x5555, 0x6666, 0x7777};
	struct hcall_args a;
	struct hcall_ret r;

	memset(&r, 0xa5, sizeof(r));
	hcall_decode(x, &a);
	hcall_dispatch(&vm.vcpus[vcpu], &a, &r);
	return r;
}

static u64 call(u64 x0, u64 x1, u64 x2, u64 x3)
{
	struct hcall_ret r = call_on(0, x0, x1, x2, x3);

	CHECK_EQ(r.nr_ret, 1);
	return (u64)r.r[0];
}

static void setup(u32 nr_vcpus)
{
	fake_vm_init(&vm, nr_vcpus);
}

/* ------------------------------------------------------------ decode, table */

static void test_decode(void)
{
	u64 x[8] = {0xdeadbeef84000003UL};
	struct hcall_args a;

	for (int i = 1; i < 8; i++)
		x[i] = 0xffffffff00000010UL + (u64)i;
	hcall_decode(x, &a);
	CHECK_EQ(a.fid, 0x84000003); /* W0 only */
	CHECK(!a.smc64);
	for (int i = 0; i < 7; i++)
		CHECK_EQ(hcall_arg(&a, (unsigned)i),
			 0x11 + (u64)i); /* SMC32: upper halves dropped */
	x[0] = 0x12345678c4000003UL;
	hcall_decode(x, &a);
	CHECK_EQ(a.fid, 0xc4000003);
	CHECK(a.smc64);
	for (int i = 0; i < 7; i++)
		CHECK_EQ(hcall_arg(&a, (unsigned)i), 0xffffffff00000011UL + (u64)i);
	/* Bit 30 alone decides; bit 31 (fast call) does not. */
	x[0] = 0x40000000;
	hcall_decode(x, &a);
	CHECK(a.smc64);
	x[0] = 0xbfffffffUL | (1UL << 62);
	hcall_decode(x, &a);
	CHECK(!a.smc64);
	CHECK_EQ(hcall_arg(&a, 6), 0x17);
}

static void test_table_ok(void)
{
	CHECK(hcall_table_ok());
}

/* Upper halves of X0 never change which call runs. */
static void test_w0_only_through_dispatch(void)
{
	setup(1);
	CHECK_EQ(call(0xffffffff84000000UL, 0, 0, 0), 0x10001);
	CHECK_EQ(call(0x0000000184000000UL, 0, 0, 0), 0x10001);
	CHECK_EQ(call(0x8400000000000000UL, 0, 0, 0), NOT_SUPPORTED); /* W0 = 0 */
}

/* ------------------------------------------------------------ unknown IDs */

static struct vm snap_vm;
static struct fake_calls snap_calls;

static void snapshot(void)
{
	memcpy(&snap_vm, &vm, sizeof(vm));
	memcpy(&snap_calls, &fake_calls, sizeof(fake_calls));
}

static bool unchanged(void)
{
	return fake_vm_equal(&vm, &snap_vm) &&
	       memcmp(&fake_calls, &snap_calls, sizeof(fake_calls)) == 0 &&
	       fake_console_total == 0 && fake_log_count == 0;
}

/* Arguments that would have an effect if any handler ran: CPU_ON of vCPU 1
 * at a RAM address, CONSOLE_WRITE of 5 bytes of RAM, ... */
static bool unknown_ok(u64 x0)
{
	struct hcall_ret r = call_on(0, x0, 1, ENTRY, 0);

	if (r.nr_ret != 1 || r.r[0] != -1) {
		fprintf(stderr, "  fid 0x%llx: r0 %lld nr_ret %u\n", (unsigned long long)x0,
			(long long)r.r[0], r.nr_ret);
		return false;
	}
	return true;
}

/* Every owner (bits 29:24), both conventions, fast and yielding calls,
 * every function number: only the table's IDs answer. */
static void test_unknown_ids_change_nothing(void)
{
	unsigned bad = 0, tried = 0;

	setup(2);
	memcpy(fake_ram + 0x800, "hello", 5);
	snapshot();
	for (u64 top = 0; top < 4; top++) {
		for (u64 owner = 0; owner < 64; owner++) {
			for (u64 fn = 0; fn < 0x10000; fn++) {
				u32 fid = (u32)(top << 30 | owner << 24 | fn);

				if (in_table(fid))
					continue;
				tried++;
				bad += !unknown_ok(fid | 0xabcd000000000000UL);
				if (bad > 10)
					goto out;
			}
		}
	}
out:
	/* Reserved bits 23:16 set on a known ID make it unknown. */
	for (u32 i = 0; i < ARRAY_SIZE(table_fids); i++)
		for (u32 b = 16; b < 24; b++)
			bad += !unknown_ok(table_fids[i] | (1U << b));
	bad += !unknown_ok(SMCCC_ARCH_WORKAROUND_1);
	CHECK_EQ(bad, 0);
	CHECK_EQ(tried, 4 * 64 * 0x10000 - ARRAY_SIZE(table_fids));
	CHECK(unchanged());
}

/* ------------------------------------------------------------ every entry */

static void test_arch_calls(void)
{
	setup(1);
	CHECK_EQ(call(0x80000000, 0, 0, 0), 0x10001); /* SMCCC 1.1 */
	CHECK_EQ(call(0x80000001, 0x84000000, 0, 0), 0);
	CHECK_EQ(call(0x80000001, 0xffffffff84000000UL, 0, 0), 0); /* SMC32 argument */
	CHECK_EQ(call(0x80000001, 0xc6000004, 0, 0), 0);
	CHECK_EQ(call(0x80000001, 0x80000001, 0, 0), 0);
	CHECK_EQ(call(0x80000001, 0x80000000, 0, 0), NOT_SUPPORTED);
	CHECK_EQ(call(0x80000001, 0x80008000, 0, 0), NOT_SUPPORTED); /* WORKAROUND_1 */
	CHECK_EQ(call(0x80000001, 0x84000005, 0, 0), NOT_SUPPORTED);
	/* The binary search finds every entry of the table. */
	for (u32 i = 1; i < ARRAY_SIZE(table_fids); i++)
		CHECK_EQ(call(0x80000001, table_fids[i], 0, 0), 0);
}

static void test_vendor_calls(void)
{
	struct hcall_ret r;

	setup(3);
	r = call_on(2, 0x8600ff01, 0, 0, 0);
	CHECK_EQ(r.nr_ret, 4);
	CHECK_EQ(r.r[0], 0x61657468);
	CHECK_EQ(r.r[1], 0x65722d65);
	CHECK_EQ(r.r[2], 0x64676563);
	CHECK_EQ(r.r[3], 0x6c6f7564);
	r = call_on(0, 0x8600ff03, 0, 0, 0);
	CHECK_EQ(r.nr_ret, 2);
	CHECK_EQ(r.r[0], 1);
	CHECK_EQ(r.r[1], 0);
	r = call_on(2, 0xc6000001, 0, 0, 0);
	CHECK_EQ(r.nr_ret, 4);
	CHECK_EQ(r.r[0], 0);
	CHECK_EQ(r.r[1], FAKE_VM_ID);
	CHECK_EQ(r.r[2], 2);
	CHECK_EQ(r.r[3], 3);
	r = call_on(0, 0xc6000004, 0x8000000000000001UL, ~0UL, 3);
	CHECK_EQ(r.nr_ret, 4);
	CHECK_EQ(r.r[0], 0x8000000000000001UL);
	CHECK_EQ(r.r[1], ~0UL);
	CHECK_EQ(r.r[2], 3);
	CHECK_EQ(r.r[3], 0x4444); /* x4 */
	vm.restarts = 7;
	CHECK_EQ(call(0xc6000005, 0, 0, 0), 7);
	fake_pmu_insns = 123456789;
	CHECK_EQ(call(0xc6000006, 0, 0, 0), 123456789); /* EL2 instructions */
}

static void test_exit_count(void)
{
	setup(1);
	for (u32 k = 0; k < EXIT_KINDS; k++)
		vm.vcpus[0].exits[k] = 100 + k;
	for (u32 k = 0; k < EXIT_KINDS; k++)
		CHECK_EQ(call(0xc6000003, k, 0, 0), 100 + k);
	CHECK_EQ(call(0xc6000003, EXIT_KINDS, 0, 0), INVALID_PARAMETERS);
	CHECK_EQ(call(0xc6000003, 1UL << 32, 0, 0), INVALID_PARAMETERS); /* SMC64 */
	CHECK_EQ(call(0xc6000003, ~0UL, 0, 0), INVALID_PARAMETERS);
}

/* ------------------------------------------------------------ console */

static void test_console_write(void)
{
	setup(1);
	memcpy(fake_ram + 0x100, "hello\nworld", 11);
	CHECK_EQ(call(0xc6000002, FAKE_RAM_IPA + 0x100, 11, 0), 11);
	CHECK_EQ(fake_console_len, 29);
	CHECK(strcmp(fake_console, "[testvm] hello\n[testvm] world") == 0);
	char hist[16];
	u64 first, base = con_hist_head(vm_uart(&vm)->hist) - 11;
	CHECK_EQ(con_hist_read(vm_uart(&vm)->hist, base, hist, 16, &first), 11);
	CHECK(memcmp(hist, "hello\nworld", 11) == 0);
	fake_console_clear();
	CHECK_EQ(call(0xc6000002, FAKE_RAM_IPA + 0x100, 0, 0), 0);
	CHECK_EQ(fake_console_total, 0);
	/* 256 bytes, the last bytes of RAM: allowed. */
	memset(fake_ram + FAKE_RAM_SIZE - 256, 'x', 256);
	CHECK_EQ(call(0xc6000002, FAKE_RAM_IPA + FAKE_RAM_SIZE - 256, 256, 0), 256);
	CHECK_EQ(fake_console_total, 256);
}

static void check_console_refused(u64 ipa, u64 len)
{
	setup(1);
	snapshot();
	CHECK_EQ(call(0xc6000002, ipa, len, 0), INVALID_PARAMETERS);
	CHECK(unchanged());
}

static void test_console_write_refused(void)
{
	check_console_refused(FAKE_RAM_IPA, 257);
	check_console_refused(FAKE_RAM_IPA, ~0UL);
	check_console_refused(FAKE_RAM_IPA + (1UL << 32), 4); /* SMC64: full x1 */
	check_console_refused(FAKE_RAM_IPA - 1, 2);
	check_console_refused(FAKE_RAM_IPA + FAKE_RAM_SIZE - 4, 5);
	check_console_refused(FAKE_RAM_IPA + FAKE_RAM_SIZE, 1);
	check_console_refused(0, 16);
	check_console_refused(~0UL, 2);
}

/* ------------------------------------------------------------ PSCI */

static void test_psci_version_features(void)
{
	static const u32 implemented[] = {
		0x84000000, 0x84000001, 0xc4000001, 0x84000002, 0x84000003, 0xc4000003,
		0x84000004, 0xc4000004, 0x84000006, 0x84000008, 0x84000009, 0x8400000a,
	};
	static const u32 missing[] = {
		0x84000005, 0xc4000005, 0x84000007, 0xc4000007, 0x8400000b, 0x8400000c,
		0xc400000c, 0x8400000d, 0x8400000e, 0xc400000e, 0x84000010, 0x84000012,
		0xc4000012, 0x84000013, 0x84000014, 0xc4000000, 0xc4000002, 0xc4000008,
		0x8600ff01, 0xc6000004, 0x80000001, 0x80008000, 0x00000000, 0xffffffff,
	};

	setup(1);
	CHECK_EQ(call(0x84000000, 0, 0, 0), 0x10001); /* PSCI 1.1 */
	for (u32 i = 0; i < ARRAY_SIZE(implemented); i++) {
		CHECK_EQ(call(0x8400000a, implemented[i], 0, 0), 0);
		CHECK(psci_implements(implemented[i]));
	}
	for (u32 i = 0; i < ARRAY_SIZE(missing); i++)
		CHECK_EQ(call(0x8400000a, missing[i], 0, 0), NOT_SUPPORTED);
	/* SMCCC_VERSION may be asked about through PSCI_FEATURES (DEN 0022
	 * 5.1.15); Linux does so before it trusts SMCCC 1.1. */
	CHECK_EQ(call(0x8400000a, 0x80000000, 0, 0), 0);
	CHECK_EQ(call(0x84000006, 0, 0, 0), 2); /* MIGRATE_INFO_TYPE: no TOS */
	CHECK_EQ(fake_calls.power_on + fake_calls.power_off + fake_calls.vm_end, 0);
}

static void check_cpu_on_refused(u64 fid, u64 mpidr, u64 entry, u64 want)
{
	setup(4);
	snapshot();
	CHECK_EQ(call(fid, mpidr, entry, 0x1234), want);
	CHECK(unchanged());
}

static void test_cpu_on_bad_mpidr(void)
{
	static const u64 bad[] = {
		4,
		5,
		0xff,
		0x100,
		0x101,
		0x10000,
		0x10001,
		0x80000001UL,
		0x01000001UL,
		1UL << 32 | 1,
		1UL << 40 | 1,
		~0UL,
	};

	for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
		check_cpu_on_refused(0xc4000003, bad[i], ENTRY, INVALID_PARAMETERS);
		/* The parameters are checked before the address. */
		check_cpu_on_refused(0xc4000003, bad[i], 2, INVALID_PARAMETERS);
	}
	check_cpu_on_refused(0x84000003, 4, ENTRY, INVALID_PARAMETERS);
	check_cpu_on_refused(0x84000003, 0x100, ENTRY, INVALID_PARAMETERS);
}

static void test_cpu_on_bad_entry(void)
{
	static const u64 bad[] = {
		FAKE_RAM_IPA - 4,
		FAKE_RAM_IPA + 2,
		FAKE_RAM_IPA + 1,
		FAKE_RAM_IPA + FAKE_RAM_SIZE,
		FAKE_RAM_IPA + FAKE_RAM_SIZE - 2,
		0,
		~0UL - 3,
		FAKE_RAM_IPA + (1UL << 32),
	};

	for (u32 i = 0; i < ARRAY_SIZE(bad); i++)
		check_cpu_on_refused(0xc4000003, 1, bad[i], INVALID_ADDRESS);
}

static void test_cpu_on(void)
{
	setup(4);
	CHECK_EQ(call(0xc4000003, 3, FAKE_RAM_IPA + FAKE_RAM_SIZE - 4, 0xdeadbeefcafef00dUL), 0);
	CHECK_EQ(fake_calls.power_on, 1);
	CHECK(fake_calls.on_vcpu == &vm.vcpus[3]);
	CHECK_EQ(fake_calls.on_entry, FAKE_RAM_IPA + FAKE_RAM_SIZE - 4);
	CHECK_EQ(fake_calls.on_ctx, 0xdeadbeefcafef00dUL);
	snapshot();
	CHECK_EQ(call(0xc4000003, 3, ENTRY, 0), ALREADY_ON);
	CHECK_EQ(call(0xc4000003, 0, ENTRY, 0), ALREADY_ON); /* the caller */
	CHECK(unchanged());
	/* SMC32: the upper halves of target, entry and context are ignored. */
	CHECK_EQ(call(0x84000003, 0xffffffff00000001UL, 0xabcd000000000000UL | ENTRY,
		      0x1111111122222222UL),
		 0);
	CHECK_EQ(fake_calls.power_on, 2);
	CHECK(fake_calls.on_vcpu == &vm.vcpus[1]);
	CHECK_EQ(fake_calls.on_entry, ENTRY);
	CHECK_EQ(fake_calls.on_ctx, 0x22222222);
	CHECK_EQ(vm.vcpus[2].state, VCPU_OFF);
}

static void test_affinity_info(void)
{
	setup(2);
	CHECK_EQ(call(0xc4000004, 0, 0, 0), 0); /* ON */
	CHECK_EQ(call(0xc4000004, 1, 0, 0), 1); /* OFF */
	CHECK_EQ(call(0x84000004, 0xffffffff00000000UL, 0, 0), 0);
	CHECK_EQ(call(0xc4000004, 0, 1, 0), INVALID_PARAMETERS);
	CHECK_EQ(call(0xc4000004, 0, 3, 0), INVALID_PARAMETERS);
	CHECK_EQ(call(0x84000004, 0, 0x100000000UL, 0), 0); /* SMC32: level 0 */
	CHECK_EQ(call(0xc4000004, 0, 0x100000000UL, 0), INVALID_PARAMETERS);
	CHECK_EQ(call(0xc4000004, 2, 0, 0), INVALID_PARAMETERS);
	CHECK_EQ(call(0xc4000004, 0x100, 0, 0), INVALID_PARAMETERS);
	CHECK_EQ(call(0xc4000004, 1UL << 32, 0, 0), INVALID_PARAMETERS);
	CHECK_EQ(call(0xc4000003, 1, ENTRY, 0), 0);
	CHECK_EQ(call(0xc4000004, 1, 0, 0), 0);
	vm.vcpus[1].state = VCPU_STOPPED;
	CHECK_EQ(call(0xc4000004, 1, 0, 0), 1);
}

static void test_power_calls(void)
{
	setup(2);
	CHECK_EQ(call(0x84000008, 0, 0, 0), 0); /* SYSTEM_OFF */
	CHECK_EQ(fake_calls.vm_end, 1);
	CHECK(fake_calls.end_vm == &vm);
	CHECK_EQ(fake_calls.end_reason, VM_END_POWEROFF);
	CHECK_EQ(fake_calls.vm_reset, 0);
	setup(2);
	CHECK_EQ(call(0x84000009, 0, 0, 0), 0); /* SYSTEM_RESET */
	CHECK_EQ(fake_calls.vm_reset, 1);
	CHECK(fake_calls.reset_vm == &vm);
	CHECK_EQ(fake_calls.vm_end, 0);
	setup(2);
	vm.vcpus[1].state = VCPU_RUNNABLE;
	call_on(1, 0x84000002, 0, 0, 0); /* CPU_OFF */
	CHECK_EQ(fake_calls.power_off, 1);
	CHECK(fake_calls.off_vcpu == &vm.vcpus[1]);
	CHECK_EQ(fake_calls.vm_end + fake_calls.vm_reset + fake_calls.power_on, 0);
	/* CPU_OFF of the last vCPU on ends the VM. */
	setup(2);
	fake_calls.off_is_last = true;
	call(0x84000002, 0, 0, 0);
	CHECK_EQ(fake_calls.power_off, 1);
	CHECK_EQ(fake_calls.vm_end, 1);
	CHECK(fake_calls.end_vm == &vm);
	CHECK_EQ(fake_calls.end_reason, VM_END_ALL_CPUS_OFF);
	setup(2);
	CHECK_EQ(call(0x84000001, 0, 0, 0), 0); /* CPU_SUSPEND */
	CHECK_EQ(call(0xc4000001, 0, 0, 0), 0);
	CHECK_EQ(fake_calls.wait, 2);
	CHECK(fake_calls.wait_vcpu == &vm.vcpus[0]);
	CHECK_EQ(fake_calls.power_off + fake_calls.vm_end, 0);
}

/* psci_call itself refuses IDs it does not own. */
static void test_psci_call_unknown(void)
{
	u64 x[8] = {0};
	struct hcall_args a = {.fid = 0x84000005, .x = x};

	setup(1);
	snapshot();
	CHECK_EQ(psci_call(&vm.vcpus[0], &a), -1);
	a.fid = 0xc6000002;
	CHECK_EQ(psci_call(&vm.vcpus[0], &a), -1);
	CHECK(unchanged());
}

/* ------------------------------------------------------------ short path */

/* One call through the general dispatch (the HVC exit counted first, as
 * handle_hvc does) and through hcall_fast from the same state: the short
 * path either declines having changed nothing, or gives exactly the
 * dispatch's results and leaves every other register and the VM as the
 * dispatch left them.  Returns whether the short path took it. */
static bool fast_same(const u64 *x)
{
	struct vcpu *v = &vm.vcpus[1];
	struct hcall_args a;
	struct hcall_ret r;
	struct vm after;
	u64 n;

	memcpy(v->ctx.x, x, sizeof(v->ctx.x));
	snapshot();
	v->exits[EXIT_HVC]++;
	hcall_decode(x, &a);
	hcall_dispatch(v, &a, &r);
	memcpy(&after, &vm, sizeof(vm));
	memcpy(&vm, &snap_vm, sizeof(vm));
	n = hcall_fast(x[0], v);
	if (n == 0) {
		CHECK(fake_vm_equal(&vm, &snap_vm));
		return false;
	}
	CHECK_EQ(n, r.nr_ret);
	for (u32 i = 0; i < 31; i++)
		CHECK_EQ(v->ctx.x[i], i < n ? (u64)r.r[i] : x[i]);
	memcpy(after.vcpus[1].ctx.x, v->ctx.x, sizeof(v->ctx.x));
	CHECK(fake_vm_equal(&vm, &after));
	return true;
}

static void test_fast_matches_dispatch(void)
{
	/* Upper halves full of garbage: SMC32 calls must not see them. */
	static const u64 argsets[][4] = {
		{0, 0, 0, 0},
		{0xdeadbeef84000000UL, 0xffffffff00000001UL, 0x1234567800000002UL, ~0UL},
		{0xc6000004, 3, 0xffffffff00000000UL, 0x8000000000000000UL},
	};
	u64 x[31];
	u32 fast = 0, tried = 0;

	setup(2);
	hcall_fast_build();
	for (u32 i = 0; i < 31; i++)
		x[i] = 0x1000 + i;
	for (u32 i = 0; i < ARRAY_SIZE(table_fids); i++)
		for (u32 j = 0; j < ARRAY_SIZE(argsets); j++)
			for (u64 hi = 0; hi < 2; hi++) {
				u32 fid = table_fids[i];
				bool took;

				x[0] = fid | (hi ? 0xabcd000000000000UL : 0);
				memcpy(&x[1], argsets[j], sizeof(argsets[j]));
				took = fast_same(x);
				fast += took;
				/* The same ID with a reserved bit, as SMC32/64 twin, or as a
				 * yielding call: unknown, never taken. */
				x[0] = fid | 0x10000;
				CHECK(!fast_same(x));
				x[0] = fid & ~(1u << 31);
				CHECK(!fast_same(x));
				tried += 3;
			}
	/* Every ID of every owner with function number 0-15 or a query. */
	for (u64 top = 0; top < 4; top++)
		for (u64 owner = 0; owner < 64; owner++)
			for (u64 fn = 0; fn < 0x10000; fn += (fn == 15 ? 0xff00 - 15 : 1)) {
				x[0] = top << 30 | owner << 24 | fn;
				if (!in_table((u32)x[0]))
					CHECK(!fast_same(x));
			}
	/* The leaf calls (arch 0 and 1, revision, echo32, vendor 1 and 3-6) run
	 * on the short path, 3 argument sets x 2 upper halves each; the UID
	 * shares its slot with SMCCC_VERSION and takes the general path. */
	CHECK_EQ(fast, 9 * 6);
	CHECK(tried > 0);
	CHECK(unchanged());
}

int main(void)
{
	RUN_TEST(test_decode);
	RUN_TEST(test_table_ok);
	RUN_TEST(test_w0_only_through_dispatch);
	RUN_TEST(test_unknown_ids_change_nothing);
	RUN_TEST(test_arch_calls);
	RUN_TEST(test_vendor_calls);
	RUN_TEST(test_exit_count);
	RUN_TEST(test_console_write);
	RUN_TEST(test_console_write_refused);
	RUN_TEST(test_psci_version_features);
	RUN_TEST(test_cpu_on_bad_mpidr);
	RUN_TEST(test_cpu_on_bad_entry);
	RUN_TEST(test_cpu_on);
	RUN_TEST(test_affinity_info);
	RUN_TEST(test_power_calls);
	RUN_TEST(test_psci_call_unknown);
	RUN_TEST(test_fast_matches_dispatch);
	return check_done();
}
