/* Operations on one VM: its console, and start, stop, kill, restart. */
#include "vm/dev/uart.h"
#include "vm/mgmt.h"
#include "vm/lifecycle.h"
#include "vm/vm.h"

u64 mgmt_console_bytes(const struct vm *vm)
{
	const struct vpl011 *u = vm_uart(vm);

	return u && u->hist ? con_hist_head(u->hist) : 0;
}

/* arg[0] = offset, arg[1] = max bytes -> ret[0] first offset returned,
 * ret[1] next offset, ret[2] bytes written so far; the bytes. */
int mgmt_console_read(struct mgmt_ctx *op)
{
	const struct vpl011 *u = vm_uart(op->vm);
	u64 first, n;

	if (!u || !u->hist)
		return mgmt_refuse(op, MGMT_E_NOTSUP, "VM has no console");
	n = con_hist_read(u->hist, op->c->arg[0], (char *)op->out, op->c->arg[1], &first);
	op->resp->ret[0] = first;
	op->resp->ret[1] = first + n;
	op->resp->ret[2] = con_hist_head(u->hist);
	op->resp->data_len = (u32)n;
	return MGMT_OK;
}

int mgmt_console_write(struct mgmt_ctx *op)
{
	struct vpl011 *u = vm_uart(op->vm);

	if (!u || !u->inq)
		return mgmt_refuse(op, MGMT_E_NOTSUP, "VM has no console");
	if (op->vm->state != VM_RUNNING)
		return mgmt_refuse(op, MGMT_E_STATE, "VM is not running");
	op->resp->ret[0] = vpl011_input(u, op->data, op->c->data_len);
	return MGMT_OK;
}

static int start(struct mgmt_ctx *op, bool as_restart)
{
	struct vm *vm = op->vm;

	if (vm->cfg->slot && !mgmt_slot_loaded(vm))
		return mgmt_refuse(op, MGMT_E_STATE, "slot has nothing deployed");
	if (vm->state == VM_RUNNING || vm->state == VM_RESETTING)
		return mgmt_refuse(op, MGMT_E_STATE, "VM is already running");
	if (vm_start(vm, as_restart))
		return mgmt_refuse(op, MGMT_E_STATE, "VM is not stopped");
	vm_log(op->self, "mgmt: %s vm %s", as_restart ? "restart" : "start", vm->cfg->name);
	return MGMT_OK;
}

/* Stop is what PSCI SYSTEM_OFF does; kill ends it the same way but is not
 * the guest's choice; neither triggers on_exit = restart. */
static int end(struct mgmt_ctx *op, enum vm_end_reason why)
{
	if (op->vm->state != VM_RUNNING)
		return mgmt_refuse(op, MGMT_E_STATE, "VM is not running");
	vm_log(op->self, "mgmt: %s vm %s", why == VM_END_KILLED ? "kill" : "stop",
	       op->vm->cfg->name);
	vm_end(op->vm, why);
	return MGMT_OK;
}

int mgmt_vm_action(struct mgmt_ctx *op)
{
	u32 kind = op->c->op;

	if (op->vm == op->self && kind != MGMT_OP_VM_START)
		return mgmt_refuse(op, MGMT_E_PERM, "the management VM cannot end itself");
	switch (kind) {
	case MGMT_OP_VM_START: return start(op, false);
	case MGMT_OP_VM_STOP: return end(op, VM_END_POWEROFF);
	case MGMT_OP_VM_KILL: return end(op, VM_END_KILLED);
	default:
		if (op->vm->state != VM_RUNNING)
			return start(op, true);
		vm_log(op->self, "mgmt: restart vm %s", op->vm->cfg->name);
		vm_reset(op->vm);
		return MGMT_OK;
	}
}
