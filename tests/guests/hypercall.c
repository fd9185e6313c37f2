/* The SMCCC/PSCI hypercall ABI, over HVC and over (trapped) SMC. */
#include "guest.h"

void guest_main(u64 dtb);

static const char msg[] = "console-write via hypercall\n";

static void check_conduit(const char *tag, struct smccc_res (*call)(u64, u64, u64, u64))
{
	char name[48];

#define NAME(s) (snprintf(name, sizeof(name), "%s-%s", tag, s), name)
	CHECK_EQ(NAME("smccc-version"), call(SMCCC_VERSION, 0, 0, 0).a0, 0x10001);
	CHECK_EQ(NAME("psci-version"), call(PSCI_VERSION, 0, 0, 0).a0, 0x10001);
	/* Only W0 is the function ID: garbage above it must be ignored. */
	CHECK_EQ(NAME("fid-upper-bits-ignored"),
		 call(0xdeadbeef00000000UL | PSCI_VERSION, 0, 0, 0).a0, 0x10001);
	CHECK_EQ(NAME("unknown-fid"), call(0xC6001234, 1, 2, 3).a0, (u64)-1);
	CHECK_EQ(NAME("unknown-owner"), call(0xB2000000, 0, 0, 0).a0, (u64)-1);
	CHECK_EQ(NAME("features-cpu-on"), call(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0).a0, 0);
	CHECK_EQ(NAME("features-unknown"), call(PSCI_FEATURES, 0x84000055, 0, 0).a0, (u64)-1);
	CHECK_EQ(NAME("arch-features-version"), call(SMCCC_ARCH_FEATURES, PSCI_VERSION, 0, 0).a0,
		 0);
	CHECK_EQ(NAME("arch-features-wa1"),
		 call(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0, 0).a0, (u64)-1);
	CHECK_EQ(NAME("migrate-info-type"), call(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0).a0, 2);
	CHECK_EQ(NAME("affinity-self-on"), call(PSCI_AFFINITY_INFO_64, 0, 0, 0).a0, PSCI_AFF_ON);
	CHECK_EQ(NAME("affinity-bad-level"), call(PSCI_AFFINITY_INFO_64, 0, 1, 0).a0,
		 (u64)PSCI_RET_INVALID_PARAMETERS);
	CHECK_EQ(NAME("affinity-no-such-cpu"), call(PSCI_AFFINITY_INFO_64, 7, 0, 0).a0,
		 (u64)PSCI_RET_INVALID_PARAMETERS);
	CHECK_EQ(NAME("cpu-on-self"), call(PSCI_CPU_ON_64, 0, 0x40000000, 0).a0,
		 (u64)PSCI_RET_ALREADY_ON);
	CHECK_EQ(NAME("cpu-on-bad-mpidr"), call(PSCI_CPU_ON_64, 0x100, 0x40000000, 0).a0,
		 (u64)PSCI_RET_INVALID_PARAMETERS);
	CHECK_EQ(NAME("cpu-on-entry-outside-ram"), call(PSCI_CPU_ON_64, 0, 0x1000, 0).a0,
		 (u64)PSCI_RET_INVALID_ADDRESS);
}

void guest_main(u64 dtb)
{
	struct smccc_res r;

	check_conduit("hvc", hvc_call);
	check_conduit("smc", smc_call);

	r = hvc_call(AETHER_HC_CALL_UID, 0, 0, 0);
	g_check("vendor-uid",
		r.a0 == AETHER_UID_0 && r.a1 == AETHER_UID_1 && r.a2 == AETHER_UID_2 &&
			r.a3 == AETHER_UID_3,
		"uid %lx %lx %lx %lx", (unsigned long)r.a0, (unsigned long)r.a1,
		(unsigned long)r.a2, (unsigned long)r.a3);
	r = hvc_call(AETHER_HC_VM_INFO, 0, 0, 0);
	g_check("vm-info", r.a0 == 0 && r.a2 == 0 && r.a3 == 1, "got %lx %lx %lx",
		(unsigned long)r.a0, (unsigned long)r.a2, (unsigned long)r.a3);
	r = hvc_call(AETHER_HC_ECHO, 0x1111, 0x2222, 0x3333);
	g_check("echo-smc64", r.a0 == 0x1111 && r.a1 == 0x2222 && r.a2 == 0x3333, "got %lx %lx %lx",
		(unsigned long)r.a0, (unsigned long)r.a1, (unsigned long)r.a2);
	/* SMC32 convention: only the low 32 bits of each argument count. */
	r = hvc_call(PSCI_AFFINITY_INFO_32, 0xffffffff00000000UL, 0xabcd00000000UL, 0);
	CHECK_EQ("smc32-args-truncated", r.a0, PSCI_AFF_ON);
	r = hvc_call(AETHER_HC_CONSOLE_WRITE, (u64)(uintptr_t)msg, sizeof(msg) - 1, 0);
	CHECK_EQ("console-write", r.a0, sizeof(msg) - 1);
	r = hvc_call(AETHER_HC_CONSOLE_WRITE, 0x1000, 8, 0);
	CHECK_EQ("console-write-outside-ram", r.a0, (u64)PSCI_RET_INVALID_PARAMETERS);
	r = hvc_call(AETHER_HC_CONSOLE_WRITE, (u64)(uintptr_t)msg, 4096, 0);
	CHECK_EQ("console-write-too-long", r.a0, (u64)PSCI_RET_INVALID_PARAMETERS);
	r = hvc_call(AETHER_HC_CONSOLE_WRITE, 0x40000000UL + (16UL << 20) - 4, 8, 0);
	CHECK_EQ("console-write-straddles-ram-end", r.a0, (u64)PSCI_RET_INVALID_PARAMETERS);
	r = hvc_call(AETHER_HC_EXIT_COUNT, 999, 0, 0);
	CHECK_EQ("exit-count-bad-kind", r.a0, (u64)PSCI_RET_INVALID_PARAMETERS);
	r = hvc_call(AETHER_HC_EXIT_COUNT, 0 /* HVC */, 0, 0);
	g_check("exit-count-hvc", r.a0 >= 20, "only %lu HVC exits counted", (unsigned long)r.a0);
	/* HVC with a non-zero immediate is not an SMCCC call. */
	{
		register u64 x0 __asm__("x0") = PSCI_VERSION;
		__asm__ volatile("hvc #1" : "+r"(x0) : : "x1", "x2", "x3", "memory");
		CHECK_EQ("hvc-imm-nonzero", x0, (u64)-1);
	}
}
