/* The simulated node's request decoder: the same checks, in the same order,
 * as the hypervisor's (copy, validate every argument, then act). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sim_node.h"

uint64_t sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int fail(struct mgmt_resp *resp, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(resp->msg, sizeof(resp->msg), fmt, ap);
	va_end(ap);
	resp->status = status;
	return status;
}

static int op_info(struct sim_node *n, const struct mgmt_req *req, struct mgmt_resp *resp,
		   void *out)
{
	switch (req->op) {
	case MGMT_OP_NODE_INFO: {
		struct mgmt_node_info ni = {.abi_version = MGMT_VERSION, .cpus = n->cpus};
		uint64_t used = 0;

		for (unsigned i = 0; i < n->nr; i++)
			used += n->vm[i].info.memory_bytes;
		ni.memory_bytes = n->memory;
		ni.free_bytes = n->memory > used ? n->memory - used : 0;
		ni.uptime_ns = sim_now_ns() - n->boot_ns;
		ni.nr_vms = n->nr;
		snprintf(ni.version, sizeof(ni.version), "aether-sim 0.11");
		snprintf(ni.gic, sizeof(ni.gic), "gicv3");
		memcpy(out, &ni, sizeof(ni));
		resp->data_len = sizeof(ni);
		return MGMT_OK;
	}
	case MGMT_OP_VM_LIST:
		for (unsigned i = 0; i < n->nr; i++)
			memcpy((char *)out + i * sizeof(struct mgmt_vm_info), &n->vm[i].info,
			       sizeof(struct mgmt_vm_info));
		resp->ret[0] = n->nr;
		resp->data_len = n->nr * sizeof(struct mgmt_vm_info);
		return MGMT_OK;
	case MGMT_OP_VM_INFO:
		memcpy(out, &n->vm[req->vm].info, sizeof(struct mgmt_vm_info));
		resp->data_len = sizeof(struct mgmt_vm_info);
		return MGMT_OK;
	default:
		memcpy(out, &n->vm[req->vm].st, sizeof(struct mgmt_vm_stats));
		resp->data_len = sizeof(struct mgmt_vm_stats);
		return MGMT_OK;
	}
}

static int op_console(struct sim_vm *v, const struct mgmt_req *req, const void *in,
		      struct mgmt_resp *resp, void *out)
{
	if (req->op == MGMT_OP_CONSOLE_READ) {
		uint64_t first;

		if (!req->arg[1] || req->arg[1] > MGMT_DATA_MAX || req->data_len)
			return fail(resp, MGMT_E_INVAL, "console read: max %llu",
				    (unsigned long long)req->arg[1]);
		resp->data_len =
			(uint32_t)sim_console_read(v, req->arg[0], out, req->arg[1], &first);
		resp->ret[0] = first;
		resp->ret[1] = first + resp->data_len;
		return MGMT_OK;
	}
	if (v->info.state != MGMT_VM_RUNNING)
		return fail(resp, MGMT_E_STATE, "vm %s is not running", v->info.name);
	if (!req->data_len || req->data_len > SIM_INPUT_MAX)
		return fail(resp, MGMT_E_INVAL, "console write: 1..%d bytes", SIM_INPUT_MAX);
	resp->ret[0] = req->data_len;
	sim_console_input(v, in, resp->ret[0]);
	return MGMT_OK;
}

static int op_action(struct sim_vm *v, uint32_t op, struct mgmt_resp *resp)
{
	uint32_t s = v->info.state;
	int live = s == MGMT_VM_RUNNING || s == MGMT_VM_RESTARTING;

	if (v->kind == SIM_MGMT && op != MGMT_OP_VM_START)
		return fail(resp, MGMT_E_PERM,
			    "the management VM cannot be stopped through the interface");
	if (s == MGMT_VM_EMPTY)
		return fail(resp, MGMT_E_STATE, "slot %s is empty: deploy first", v->info.name);
	if (op == MGMT_OP_VM_START && live)
		return fail(resp, MGMT_E_STATE, "vm %s is already running", v->info.name);
	if ((op == MGMT_OP_VM_STOP || op == MGMT_OP_VM_KILL) && !live)
		return fail(resp, MGMT_E_STATE, "vm %s is not running", v->info.name);
	if (op == MGMT_OP_VM_START) {
		sim_vm_boot(v, sim_now_ns());
	} else if (op == MGMT_OP_VM_RESTART) {
		if (live)
			sim_vm_end(v, MGMT_VM_STOPPED, 0);
		v->info.state = MGMT_VM_RESTARTING;
		v->restart_done_ns = sim_now_ns() + 500000000ull;
	} else {
		sim_vm_end(v, MGMT_VM_STOPPED, op == MGMT_OP_VM_KILL ? 3 : 1);
	}
	return MGMT_OK;
}

void sim_node_call(struct sim_node *n, const struct mgmt_req *req, const void *in,
		   struct mgmt_resp *resp, void *out)
{
	memset(resp, 0, sizeof(*resp));
	resp->seq = req->seq;
	n->calls++;
	sim_advance(n, sim_now_ns());
	if (req->data_len > MGMT_DATA_MAX) {
		fail(resp, MGMT_E_INVAL, "data_len %u", req->data_len);
		return;
	}
	if (req->op == 0 || req->op >= MGMT_OP_MAX) {
		fail(resp, MGMT_E_NOTSUP, "op %u", req->op);
		return;
	}
	if (req->op > MGMT_OP_VM_LIST && req->vm >= n->nr) {
		fail(resp, MGMT_E_NOVM, "vm %u", req->vm);
		return;
	}
	/* The management VM's own doorbell stores are MMIO exits. */
	for (unsigned i = 0; i < n->nr; i++)
		if (n->vm[i].kind == SIM_MGMT)
			n->vm[i].st.exits[3]++;
	if (req->op <= MGMT_OP_VM_STATS)
		op_info(n, req, resp, out);
	else if (req->op <= MGMT_OP_CONSOLE_WRITE)
		op_console(&n->vm[req->vm], req, in, resp, out);
	else if (req->op <= MGMT_OP_VM_RESTART)
		op_action(&n->vm[req->vm], req->op, resp);
	else
		sim_deploy(&n->vm[req->vm], req, in, resp);
}
