/* Hostile guest, scenario 9: HVC and SMC over every function-ID owner
 * (0-63), fast and yielding, SMC32 and SMC64, functions 0-63, 0xff00-0xff0f
 * and 0xffff, with garbage in the upper half of x0 and in x1-x17; unknown
 * IDs must return NOT_SUPPORTED (-1) and leave x1-x17 as they were.  Then
 * the known calls with bad arguments: CONSOLE_WRITE outside RAM, wrapping
 * and too long, EXIT_COUNT out of range, PSCI CPU_ON to bad MPIDRs and to
 * entry points outside RAM, AFFINITY_INFO at levels not described. */
#include "atk_lib.c"

void guest_main(u64 dtb);

static const u32 known[] = {0x80000000,
			    0x80000001,
			    PSCI_VERSION,
			    PSCI_CPU_SUSPEND_32,
			    PSCI_CPU_OFF,
			    PSCI_CPU_ON_32,
			    PSCI_AFFINITY_INFO_32,
			    PSCI_MIGRATE_INFO_TYPE,
			    PSCI_SYSTEM_OFF,
			    PSCI_SYSTEM_RESET,
			    PSCI_FEATURES,
			    AETHER_HC_CALL_UID,
			    AETHER_HC_REVISION,
			    PSCI_CPU_SUSPEND_64,
			    PSCI_CPU_ON_64,
			    PSCI_AFFINITY_INFO_64,
			    AETHER_HC_VM_INFO,
			    AETHER_HC_CONSOLE_WRITE,
			    AETHER_HC_EXIT_COUNT,
			    AETHER_HC_ECHO,
			    AETHER_HC_ECHO32,
			    AETHER_HC_RESTARTS,
			    AETHER_HC_EL2_INSNS};

static bool is_known(u32 fid)
{
	for (unsigned i = 0; i < ARRAY_SIZE(known); i++)
		if (known[i] == fid)
			return true;
	return false;
}

/* One call with x1..x17 = pattern; returns x0 and whether x1..x17 held. */
static u64 raw_call(bool smc, u64 x0_in, u64 pat, bool *kept)
{
	u64 out[18];

	out[0] = x0_in;
	for (int i = 1; i < 18; i++)
		out[i] = pat * (u64)i;
	__asm__ volatile(
		"mov x18, %0\n"
		"ldp x0, x1, [x18, #0]\n ldp x2, x3, [x18, #16]\n ldp x4, x5, [x18, #32]\n"
		"ldp x6, x7, [x18, #48]\n ldp x8, x9, [x18, #64]\n ldp x10, x11, [x18, #80]\n"
		"ldp x12, x13, [x18, #96]\n ldp x14, x15, [x18, #112]\n ldp x16, x17, [x18, #128]\n"
		"cbnz %1, 1f\n hvc #0\n b 2f\n1: smc #0\n2:\n"
		"stp x0, x1, [x18, #0]\n stp x2, x3, [x18, #16]\n stp x4, x5, [x18, #32]\n"
		"stp x6, x7, [x18, #48]\n stp x8, x9, [x18, #64]\n stp x10, x11, [x18, #80]\n"
		"stp x12, x13, [x18, #96]\n stp x14, x15, [x18, #112]\n stp x16, x17, [x18, #128]\n"
		:
		: "r"(out), "r"((u64)smc)
		: "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		  "x13", "x14", "x15", "x16", "x17", "x18", "memory");
	*kept = true;
	for (int i = 1; i < 18; i++)
		*kept = *kept && out[i] == pat * (u64)i;
	return out[0];
}

static void sweep(void)
{
	u32 calls = 0, wrong = 0, clobbered = 0;
	u64 pat = 0x9e3779b97f4a7c15UL;

	for (u32 owner = 0; owner < 64; owner++)
		for (u32 fast = 0; fast < 2; fast++)
			for (u32 c64 = 0; c64 < 2; c64++)
				for (u32 f = 0; f < 64 + 16 + 1; f++) {
					u32 func = f < 64 ? f : f < 80 ? 0xff00 + f - 64 : 0xffff;
					u32 fid = fast << 31 | c64 << 30 | owner << 24 | func;
					if (is_known(fid))
						continue;
					for (int smc = 0; smc < 2; smc++) {
						bool kept;
						u64 garbage =
							(pat ^ ((u64)fid << 7)) & ~0xffffffffUL;
						u64 r = raw_call(smc, garbage | fid, pat + fid,
								 &kept);
						calls++;
						if (r != ~0UL && wrong++ < 8)
							g_printf("fid 0x%x (x0 0x%lx) over %s "
								 "returned 0x%lx\n",
								 fid,
								 (unsigned long)(garbage | fid),
								 smc ? "smc" : "hvc",
								 (unsigned long)r);
						clobbered += !kept;
					}
				}
	g_printf("attacker: %u unknown function IDs called, %u answered other than -1\n", calls,
		 wrong);
	CHECK_EQ("unknown-ids-not-supported", wrong, 0);
	CHECK_EQ("unknown-ids-leave-x1-x17", clobbered, 0);
}

void guest_main(u64 dtb)
{
	const u64 ram = ATK_RAM_BASE, ram_end = ATK_RAM_BASE + (16UL << 20);
	static char msg[] = "attacker: console write ok\n";
	bool kept;
	u64 r;

	sweep();
	/* Known IDs: only W0 counts. */
	r = raw_call(false, 0xffffffff00000000UL | AETHER_HC_VM_INFO, 0, &kept);
	CHECK_EQ("vm-info-with-garbage-upper-x0", r, 0);
	r = raw_call(true, 0x8000000000000000UL | SMCCC_VERSION, 0, &kept);
	CHECK_EQ("smccc-version-over-smc-garbage-upper", r, 0x10001);
	CHECK_EQ("arch-features-workaround-1", hvc_call(0x80000001, 0x80008000, 0, 0).a0, ~0UL);
	CHECK_EQ("psci-features-garbage", hvc_call(PSCI_FEATURES, 0xdeadbeef, 0, 0).a0, ~0UL);
	/* AETHER_CONSOLE_WRITE: only RAM, at most 256 bytes, no wrap-around. */
	CHECK_EQ("console-write-ok",
		 hvc_call(AETHER_HC_CONSOLE_WRITE, (u64)msg, sizeof(msg) - 1, 0).a0,
		 sizeof(msg) - 1);
	CHECK_EQ("console-write-straddles-ram-end",
		 hvc_call(AETHER_HC_CONSOLE_WRITE, ram_end - 10, 20, 0).a0, (u64)-2);
	CHECK_EQ("console-write-below-ram", hvc_call(AETHER_HC_CONSOLE_WRITE, ram - 8, 16, 0).a0,
		 (u64)-2);
	CHECK_EQ("console-write-too-long", hvc_call(AETHER_HC_CONSOLE_WRITE, ram, 257, 0).a0,
		 (u64)-2);
	CHECK_EQ("console-write-huge-len", hvc_call(AETHER_HC_CONSOLE_WRITE, ram, ~0UL, 0).a0,
		 (u64)-2);
	CHECK_EQ("console-write-wraps", hvc_call(AETHER_HC_CONSOLE_WRITE, ~0UL - 100, 200, 0).a0,
		 (u64)-2);
	CHECK_EQ("console-write-uart-ipa", hvc_call(AETHER_HC_CONSOLE_WRITE, UART_BASE, 16, 0).a0,
		 (u64)-2);
	CHECK_EQ("console-write-smc32-id-unknown",
		 hvc_call(AETHER_HC_CONSOLE_WRITE & ~(1u << 30), (u64)msg, 4, 0).a0, ~0UL);
	CHECK_EQ("exit-count-out-of-range", hvc_call(AETHER_HC_EXIT_COUNT, 9, 0, 0).a0, (u64)-2);
	CHECK_EQ("exit-count-huge", hvc_call(AETHER_HC_EXIT_COUNT, ~0UL, 0, 0).a0, (u64)-2);
	/* PSCI CPU_ON: no such vCPU, entry outside RAM or misaligned. */
	static const u64 bad_mpidr[] = {1,	  7,	     0xff,	     0x100,	0x10000,
					0xff00ff, 1UL << 32, 0xff00000000UL, 1UL << 40, ~0UL};
	u32 bad = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(bad_mpidr); i++)
		bad += smc_call(PSCI_CPU_ON_64, bad_mpidr[i], ram, 0).a0 != (u64)-2;
	CHECK_EQ("cpu-on-bad-mpidr", bad, 0);
	static const u64 bad_entry[] = {0,	     4,		ram - 4,   ram + 2,   ram_end,
					ram_end - 2, UART_BASE, GICD_BASE, 1UL << 44, ~3UL};
	bad = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(bad_entry); i++)
		bad += hvc_call(PSCI_CPU_ON_64, 0, bad_entry[i], 0).a0 != (u64)-9;
	CHECK_EQ("cpu-on-entry-outside-ram", bad, 0);
	CHECK_EQ("cpu-on-self-already-on", hvc_call(PSCI_CPU_ON_64, 0, ram, 0).a0, (u64)-4);
	/* SMC32 convention: only the low 32 bits of the MPIDR count. */
	CHECK_EQ("cpu-on-32-truncates-mpidr",
		 hvc_call(PSCI_CPU_ON_32, 0xffffffff00000000UL, ram, 0).a0, (u64)-4);
	CHECK_EQ("affinity-info-level-1", hvc_call(PSCI_AFFINITY_INFO_64, 0, 1, 0).a0, (u64)-2);
	CHECK_EQ("affinity-info-no-such-cpu", hvc_call(PSCI_AFFINITY_INFO_64, 5, 0, 0).a0, (u64)-2);
	CHECK_EQ("affinity-info-self-on", hvc_call(PSCI_AFFINITY_INFO_64, 0, 0, 0).a0, 0);
	CHECK_EQ("hvc-then-still-alive", hvc_call(AETHER_HC_ECHO, 1, 2, 3).a2, 3);
}
