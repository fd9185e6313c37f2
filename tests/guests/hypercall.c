/* The SMCCC/PSCI hypercall ABI, over HVC and over (trapped) SMC. */
#include "guest.h"

void guest_main(u64 dtb);

/* Sets x1..x30 to PAT(n), makes the call (x0 = fid) with the conduit given
 * by insn, and stores x0..x30 as they came back into out[0..30].  The
 * short path restores only some registers itself: every one must come
 * back as the guest left it unless it carries a result. */
#define PAT(n) (0xa5a5000000000000UL | ((u64)(n) << 32) | (0x5a00u + (n)))
void regs_probe_hvc(u64 fid, u64 *out);
void regs_probe_smc(u64 fid, u64 *out);
#define PROBE(name, insn)                                                                          \
	__asm__(".pushsection .text\n"                                                             \
		".globl " #name "\n" #name ":\n"                                                   \
		"	stp	x29, x30, [sp, #-96]!\n"                                                     \
		"	stp	x19, x20, [sp, #16]\n"                                                       \
		"	stp	x21, x22, [sp, #32]\n"                                                       \
		"	stp	x23, x24, [sp, #48]\n"                                                       \
		"	stp	x25, x26, [sp, #64]\n"                                                       \
		"	stp	x27, x28, [sp, #80]\n"                                                       \
		"	str	x1, [sp, #-16]!\n"                                                           \
		"	.irp "                                                                           \
		"n,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29," \
		"30\n"                                                                             \
		"	movz	x\\n, #(0x5a00 + \\n)\n"                                                    \
		"	movk	x\\n, #\\n, lsl #32\n"                                                      \
		"	movk	x\\n, #0xa5a5, lsl #48\n"                                                   \
		"	.endr\n"                                                                         \
		"	" insn "\n"                                                                \
		"	stp	x0, x1, [sp, #-16]!\n"                                                       \
		"	ldr	x0, [sp, #16]\n"                                                             \
		"	.irp "                                                                           \
		"n,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29\n"  \
		"	str	x\\n, [x0, #(\\n * 8)]\n"                                                    \
		"	.endr\n"                                                                         \
		"	str	x30, [x0, #240]\n"                                                           \
		"	ldp	x2, x3, [sp], #32\n"                                                         \
		"	stp	x2, x3, [x0]\n"                                                              \
		"	ldp	x19, x20, [sp, #16]\n"                                                       \
		"	ldp	x21, x22, [sp, #32]\n"                                                       \
		"	ldp	x23, x24, [sp, #48]\n"                                                       \
		"	ldp	x25, x26, [sp, #64]\n"                                                       \
		"	ldp	x27, x28, [sp, #80]\n"                                                       \
		"	ldp	x29, x30, [sp], #96\n"                                                       \
		"	ret\n"                                                                           \
		".popsection\n")
PROBE(regs_probe_hvc, "hvc #0");
PROBE(regs_probe_smc, "smc #0");

/* out[0..nres-1] must be want[], every other register its pattern. */
static void check_regs(const char *tag, void (*probe)(u64, u64 *), u64 fid, const u64 *want,
		       unsigned nres)
{
	u64 out[31];
	unsigned bad = 31;

	probe(fid, out);
	for (unsigned i = 30; i < 31; i--)
		if (out[i] != (i < nres ? want[i] : PAT(i)))
			bad = i;
	g_check(tag, bad == 31, "x%u = 0x%lx", bad, bad < 31 ? (unsigned long)out[bad] : 0UL);
}

static void check_preserved(const char *conduit, void (*probe)(u64, u64 *))
{
	char name[64];
	/* SMC32 echo: the low halves of x1..x4, whatever the high halves held. */
	const u64 echo32[4] = {(u32)PAT(1), (u32)PAT(2), (u32)PAT(3), (u32)PAT(4)};
	const u64 echo64[4] = {PAT(1), PAT(2), PAT(3), PAT(4)};
	const u64 version[1] = {0x10001}, unknown[1] = {(u64)-1};

#define PNAME(s) (snprintf(name, sizeof(name), "%s-regs-%s", conduit, s), name)
	check_regs(PNAME("smccc-version"), probe, SMCCC_VERSION, version, 1);
	check_regs(PNAME("smccc-version-x0-upper-garbage"), probe,
		   0xfeedface00000000UL | SMCCC_VERSION, version, 1);
	check_regs(PNAME("echo32-truncated"), probe, AETHER_HC_ECHO32, echo32, 4);
	check_regs(PNAME("echo64"), probe, AETHER_HC_ECHO, echo64, 4);
	/* VM_INFO exists as SMC64 only: its SMC32 form is unknown. */
	check_regs(PNAME("vm-info-as-smc32-unknown"), probe, AETHER_HC_VM_INFO & ~(1u << 30),
		   unknown, 1);
	check_regs(PNAME("psci-version"), probe, PSCI_VERSION, version, 1);
	check_regs(PNAME("unknown-fid"), probe, 0xC600000F, unknown, 1);
	check_regs(PNAME("reserved-bits-set"), probe, SMCCC_VERSION | 0x10000, unknown, 1);
}

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
	check_preserved("hvc", regs_probe_hvc);
	check_preserved("smc", regs_probe_smc);

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
