/* Hostile guest, scenario 10: a VM without `management = yes` goes after
 * the management interface.  Its device tree must not describe it; every
 * load and store in the doorbell page and in each page of the shared
 * window (as Device and as Normal memory) must come back as an abort; a
 * well-formed VM_STOP request aimed at the victim, written where the window
 * would be and rung on the doorbell, must change nothing (the victim, which
 * is the management VM here, keeps beating); and the hypervisor's
 * vendor-specific hypercall range beyond the known calls answers
 * NOT_SUPPORTED, so there is no management call to find either. */
#include "atk_lib.c"
#include "aether_mgmt_abi.h"

void guest_main(u64 dtb);

static u64 before;
static u32 contained, escaped;

static void expect_abort(u64 va)
{
	u64 ec = atk_ec();
	bool ok = atk_exc_since(&before) && ec == 0x25 && (g_last_exc.esr & 0x3f) == 0x10;

	contained += ok;
	if (!ok && escaped++ < 8)
		g_printf("attacker: access at VA 0x%lx not refused (esr 0x%lx)\n",
			 (unsigned long)va, (unsigned long)g_last_exc.esr);
}

static void probe(u64 va, u64 val)
{
	(void)*(volatile u32 *)va;
	expect_abort(va);
	*(volatile u32 *)va = (u32)val;
	expect_abort(va);
}

/* The blob's strings and structure hold no trace of the device. */
static bool dt_mentions(u64 dtb, const char *needle)
{
	const u8 *p = (const u8 *)dtb;
	u32 size = (u32)p[4] << 24 | (u32)p[5] << 16 | (u32)p[6] << 8 | p[7];
	u32 n = (u32)strlen(needle);

	for (u32 i = 0; size >= n && i <= size - n; i++)
		if (memcmp(p + i, needle, n) == 0)
			return true;
	return false;
}

/* A valid VM_STOP of VM 0 written where the window is, then the doorbell. */
static void ring_stop_request(u64 window, u64 doorbell)
{
	volatile u32 *w = (volatile u32 *)window;

	w[0] = MGMT_OP_VM_STOP;
	expect_abort(window);
	w[1] = 1;
	expect_abort(window + 4);
	*(volatile u32 *)(doorbell + MGMT_REG_DOORBELL) = 1;
	expect_abort(doorbell + MGMT_REG_DOORBELL);
	(void)*(volatile u32 *)(doorbell + MGMT_REG_MAGIC);
	expect_abort(doorbell + MGMT_REG_MAGIC);
}

static void sweep_vendor_calls(void)
{
	u32 wrong = 0, calls = 0;
	static const u32 known[] = {
		AETHER_HC_CALL_UID,	 AETHER_HC_REVISION,   AETHER_HC_VM_INFO,
		AETHER_HC_CONSOLE_WRITE, AETHER_HC_EXIT_COUNT, AETHER_HC_ECHO,
		AETHER_HC_ECHO32,	 AETHER_HC_RESTARTS,   AETHER_HC_EL2_INSNS};

	for (u32 c64 = 0; c64 < 2; c64++)
		for (u32 f = 0; f < 0x400; f++) {
			u32 fid = 0x86000000u | c64 << 30 | f;
			bool skip = false;
			for (unsigned i = 0; i < ARRAY_SIZE(known); i++)
				skip = skip || known[i] == fid;
			if (skip)
				continue;
			calls += 2;
			wrong += hvc_call(fid, MGMT_OP_VM_STOP, 0, 0).a0 != ~0UL;
			wrong += smc_call(fid, MGMT_OP_VM_LIST, 0, 0).a0 != ~0UL;
		}
	g_printf("attacker: %u vendor hypercalls, %u answered\n", calls, wrong);
	CHECK_EQ("vendor-calls-not-supported", wrong, 0);
}

void guest_main(u64 dtb)
{
	g_check("no-mgmt-node-in-dt",
		!dt_mentions(dtb, "aether-mgmt") && !dt_mentions(dtb, MGMT_DT_COMPATIBLE), "found");
	atk_mmu_on();
	before = g_last_exc.count;
	g_resume_mode = RESUME_SKIP;
	/* First, while the log budget is untouched: the request and doorbell
	 * through the Device map, then through the Normal alias. */
	ring_stop_request(MGMT_WINDOW_IPA, MGMT_DOORBELL_IPA);
	ring_stop_request(ATK_NORMAL_ALIAS + MGMT_WINDOW_IPA, ATK_NORMAL_ALIAS + MGMT_DOORBELL_IPA);
	for (u64 off = 0; off < MGMT_DOORBELL_SIZE; off += 4)
		probe(MGMT_DOORBELL_IPA + off, off);
	for (u64 off = 0; off < MGMT_WINDOW_SIZE; off += PAGE_SIZE) {
		probe(MGMT_WINDOW_IPA + off, 0x5a5a5a5a);
		probe(ATK_NORMAL_ALIAS + MGMT_WINDOW_IPA + off + PAGE_SIZE - 8, 0);
	}
	g_printf("attacker: %u management probes contained, %u not\n", contained, escaped);
	CHECK_EQ("mgmt-probes-all-aborted", escaped, 0);
	sweep_vendor_calls();
	/* Still here, and so is the victim: nothing was stopped. */
	CHECK_EQ("alive-after-probes", hvc_call(AETHER_HC_ECHO, 1, 2, 3).a2, 3);
}
