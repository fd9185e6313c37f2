/* The management interface inside EL2: the device (vm/dev/mgmt.c) decodes
 * a request (vm/mgmt/req.c) and hands it to one operation (vm/mgmt/ops_*.c,
 * vm/mgmt/deploy.c).  An operation validates what depends on the VM's
 * state, then acts; it never reads the shared window (its payload is
 * already a private copy) and writes its result payload to out. */
#ifndef AETHER_VM_MGMT_H
#define AETHER_VM_MGMT_H

#include "vm/mgmt_req.h"

struct vm;

struct mgmt_ctx {
	struct vm *self; /* the management VM */
	struct vm *vm;	 /* the VM the request names, or NULL */
	const struct mgmt_call *c;
	const u8 *data;		/* private copy of the payload */
	const u8 *win_data;	/* DEPLOY_DATA only: the payload in the window */
	u8 *out;		/* result payload, in the window (write only) */
	struct mgmt_resp *resp; /* status, ret[] and data_len are set here */
	const char *err;	/* detail for a refusal */
};

/* Each returns MGMT_OK or an MGMT_E_* code (with op->err set). */
int mgmt_node_info(struct mgmt_ctx *op);
int mgmt_vm_list(struct mgmt_ctx *op);
int mgmt_vm_info(struct mgmt_ctx *op);
int mgmt_vm_stats(struct mgmt_ctx *op);
int mgmt_console_read(struct mgmt_ctx *op);
int mgmt_console_write(struct mgmt_ctx *op);
int mgmt_vm_action(struct mgmt_ctx *op); /* START, STOP, KILL, RESTART */
int mgmt_deploy_begin(struct mgmt_ctx *op);
int mgmt_deploy_data(struct mgmt_ctx *op);
int mgmt_deploy_commit(struct mgmt_ctx *op);
/* The state the interface reports (enum mgmt_vm_state). */
u32 mgmt_vm_state(const struct vm *vm);
/* Bytes the VM ever wrote to its console. */
u64 mgmt_console_bytes(const struct vm *vm);
/* A slot whose deployed image is in place (so it can be started). */
bool mgmt_slot_loaded(const struct vm *vm);

static inline int mgmt_refuse(struct mgmt_ctx *op, int status, const char *why)
{
	op->err = why;
	return status;
}

#endif
