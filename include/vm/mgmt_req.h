/* Decoding and validation of management requests (include/aether_mgmt_abi.h).
 *
 * Pure and arch-neutral, so host tests and a libFuzzer harness drive the
 * very code EL2 runs.  The caller has already copied the request header out
 * of the shared window; mgmt_decode() checks everything that does not need
 * the payload, which tells the caller how many payload bytes to copy (never
 * more than the op allows); mgmt_check_payload() then checks the copy.
 * Checks that depend on a VM's state (running, a slot, sizes against its
 * memory) are the operation's. */
#ifndef AETHER_VM_MGMT_REQ_H
#define AETHER_VM_MGMT_REQ_H

#include "aether_mgmt_abi.h"
#include "types.h"

/* Largest payload copied into EL2 for any op but DEPLOY_DATA (whose bytes
 * go straight from the window into the slot's memory). */
#define MGMT_SMALL_DATA_MAX 4096

struct mgmt_call {
	u32 op, seq, vm, data_len;
	u64 arg[4];
	bool needs_vm;
	bool data_to_slot; /* payload goes to the slot, not into EL2 */
};

/* MGMT_OK, or an MGMT_E_* code with *err naming the problem. */
int mgmt_decode(const struct mgmt_req *req, u32 nr_vms, struct mgmt_call *c, const char **err);
/* Checks the copied payload (c->data_len bytes, for ops that keep it). */
int mgmt_check_payload(const struct mgmt_call *c, const u8 *data, const char **err);

#endif
