/* Hostile guest, scenario 9 (PSCI races): vCPU 0 and vCPU 1, on different
 * physical CPUs, call CPU_ON for vCPU 2 at the same moment, 20 rounds.
 * Each round exactly one call may succeed and vCPU 2 must start exactly
 * once.  vCPU 2 stays on until both calls have returned, then turns itself
 * off.  At the end the VM's last vCPU calls CPU_OFF, which ends the VM. */
#include "guest.h"

void guest_main(u64 dtb);

#define ROUNDS 20
#define TIMEOUT_MS 2000

static u8 stack1[4096] __attribute__((aligned(16)));
static u8 stack2[4096] __attribute__((aligned(16)));
static volatile u32 go, release, racer_done, target_runs, racer_at_gate;
static volatile s64 res_a[ROUNDS], res_b[ROUNDS];

/* Spin with a hypercall per turn: a guest that polls while trapping (and
 * QEMU's icount mode schedules CPUs that exit far more evenly than ones
 * that spin without exits, see README). */
static void poll_once(void)
{
	hvc_call(AETHER_HC_VM_INFO, 0, 0, 0);
}

static bool wait_eq(volatile u32 *v, u32 want)
{
	u64 end = read_cntvct() + read_cntfrq() / 1000 * TIMEOUT_MS;

	while (*v != want && read_cntvct() < end)
		poll_once();
	return *v == want;
}

static s64 cpu_on_target(void)
{
	return (s64)hvc_call(PSCI_CPU_ON_64, 2, (u64)(uintptr_t)secondary_start,
			     (u64)(uintptr_t)(stack2 + sizeof(stack2)))
		.a0;
}

static void racer(void)
{
	for (u32 r = 1; r <= ROUNDS; r++) {
		racer_at_gate = r;
		while (go != r)
			poll_once();
		res_b[r - 1] = cpu_on_target();
		racer_done = r;
	}
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

void guest_secondary(u64 stack_top)
{
	if (cpu_id() == 1)
		racer();
	__atomic_add_fetch(&target_runs, 1, __ATOMIC_SEQ_CST);
	while (release != target_runs)
		poll_once();
	hvc_call(PSCI_CPU_OFF, 0, 0, 0);
}

static u32 one_round(u32 r)
{
	u32 wins;

	if (!wait_eq(&racer_at_gate, r))
		return 99;
	go = r; /* both leave the gate together */
	res_a[r - 1] = cpu_on_target();
	if (!wait_eq(&racer_done, r) || !wait_eq(&target_runs, r))
		return 98;
	wins = (res_a[r - 1] == PSCI_RET_SUCCESS) + (res_b[r - 1] == PSCI_RET_SUCCESS);
	release = r;
	for (int i = 0; i < 100000 && hvc_call(PSCI_AFFINITY_INFO_64, 2, 0, 0).a0 != PSCI_AFF_OFF;
	     i++)
		;
	return wins;
}

void guest_main(u64 dtb)
{
	u32 bad = 0, refused_ok = 0;

	CHECK_EQ("start-racer",
		 hvc_call(PSCI_CPU_ON_64, 1, (u64)(uintptr_t)secondary_start,
			  (u64)(uintptr_t)(stack1 + sizeof(stack1)))
			 .a0,
		 0);
	for (u32 r = 1; r <= ROUNDS; r++) {
		u32 wins = one_round(r);
		s64 loser = res_a[r - 1] == PSCI_RET_SUCCESS ? res_b[r - 1] : res_a[r - 1];
		bad += wins != 1;
		refused_ok += loser == PSCI_RET_ALREADY_ON || loser == PSCI_RET_ON_PENDING;
	}
	g_printf("attacker: %u CPU_ON races, target started %u times\n", ROUNDS, target_runs);
	CHECK_EQ("exactly-one-cpu-on-wins-each-round", bad, 0);
	CHECK_EQ("loser-gets-already-on", refused_ok, ROUNDS);
	CHECK_EQ("target-started-once-per-round", target_runs, ROUNDS);
	for (int i = 0; i < 100000 && hvc_call(PSCI_AFFINITY_INFO_64, 1, 0, 0).a0 != PSCI_AFF_OFF;
	     i++)
		;
	CHECK_EQ("racer-off", hvc_call(PSCI_AFFINITY_INFO_64, 1, 0, 0).a0, PSCI_AFF_OFF);
	g_report();
	hvc_call(PSCI_CPU_OFF, 0, 0, 0); /* the last vCPU: ends the VM */
	g_printf("FAIL cpu-off-of-last-vcpu-returned\n");
}
