/* VM lifecycle and statistics of the simulated node.  Statistics grow with
 * elapsed time at per-kind rates (with jitter), only while a VM runs. */
#include <stdlib.h>
#include <string.h>

#include "sim_node.h"

/* Exits per second and vCPU, by kind (hvc smc sysreg mmio abort wfx irq
 * undef other), then interrupts injected per second and vCPU. */
static const double rates[4][MGMT_EXIT_KINDS + 1] = {
	[SIM_MGMT] = {2, 0, 20, 30, 0, 150, 200, 0, 1, 220},
	[SIM_SHELL] = {5, 1, 120, 60, 0, 400, 500, 0, 2, 520},
	[SIM_BEAT] = {0, 0, 5, 20, 0, 100, 100, 0, 0, 100},
	[SIM_SLOT] = {0, 0, 8, 25, 0, 120, 110, 0, 0, 110},
};
static const double util[4] = {0.2, 0.35, 0.05, 0.08};

void sim_vm_boot(struct sim_vm *v, uint64_t now)
{
	v->info.state = MGMT_VM_RUNNING;
	v->info.end_reason = 0;
	v->started_ns = v->last_ns = now;
	v->beats = 0;
	v->line_len = 0;
	sim_console_boot(v);
}

void sim_vm_end(struct sim_vm *v, uint32_t state, uint32_t reason)
{
	v->info.state = state;
	v->info.end_reason = reason;
	v->info.uptime_ns = 0;
	sim_console_printf(v, "\r\n[aether] vm %s: %s\r\n", v->info.name,
			   state == MGMT_VM_CRASHED ? "terminated" : "powered off");
}

static double jitter(void)
{
	return 0.8 + 0.4 * ((double)rand() / RAND_MAX);
}

static void grow(struct sim_vm *v, uint64_t now)
{
	double dt = (double)(now - v->last_ns) / 1e9;
	const double *r = rates[v->kind];
	double n = (double)v->info.nr_vcpus * dt;
	double young = (double)(now - v->started_ns) / 1e9 < 2.0 ? 500 : 2;

	for (int k = 0; k < MGMT_EXIT_KINDS; k++)
		v->acc[k] += r[k] * n * jitter();
	v->acc[MGMT_EXIT_KINDS] += r[MGMT_EXIT_KINDS] * n * jitter();
	v->acc[MGMT_EXIT_KINDS + 1] += young * dt;
	for (int k = 0; k < MGMT_EXIT_KINDS + 2; k++) {
		uint64_t whole = (uint64_t)v->acc[k];
		uint64_t *dst = k < MGMT_EXIT_KINDS    ? &v->st.exits[k]
				: k == MGMT_EXIT_KINDS ? &v->st.irqs_injected
						       : &v->st.stage2_faults;

		*dst += whole;
		v->acc[k] -= (double)whole;
	}
	for (uint32_t c = 0; c < v->info.nr_vcpus; c++)
		v->st.vcpu_run_ns[c] += (uint64_t)((double)(now - v->last_ns) * util[v->kind]);
	v->last_ns = now;
	v->info.uptime_ns = now - v->started_ns;
}

void sim_advance(struct sim_node *n, uint64_t now)
{
	for (unsigned i = 0; i < n->nr; i++) {
		struct sim_vm *v = &n->vm[i];

		if (v->info.state == MGMT_VM_RESTARTING && now >= v->restart_done_ns) {
			v->info.restarts++;
			v->st.restarts = v->info.restarts;
			sim_vm_boot(v, now);
		}
		if (v->info.state != MGMT_VM_RUNNING)
			continue;
		grow(v, now);
		sim_console_tick(v, now);
	}
}
