/* libFuzzer harness for the management request decoder (vm/mgmt/req.c).
 *
 * Input: one byte of VM count, a struct mgmt_req (48 bytes, little-endian
 * as the window holds it), then the payload.  Like EL2, the harness copies
 * the header first, lets mgmt_decode() say how many payload bytes to take,
 * and copies exactly that many into a buffer of that size (ASan flags any
 * read past it).  Invariants on acceptance:
 *   - the op is known, the VM exists when the op names one, and is 0 else;
 *   - the payload fits the window, and fits EL2's small buffer unless it
 *     goes to a slot;
 *   - arguments the op does not use are zero;
 *   - deploy bootargs are NUL-terminated and printable.
 * A refusal always names its reason, and decoding never reads the payload. */
#include <stdlib.h>
#include <string.h>

#include "vm/mgmt_req.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_accepted(const struct mgmt_call *c, u32 nr_vms)
{
	FUZZ_ASSERT(c->op > 0 && c->op < MGMT_OP_MAX);
	FUZZ_ASSERT(c->needs_vm ? c->vm < nr_vms : c->vm == 0);
	FUZZ_ASSERT(c->data_len <= MGMT_DATA_MAX);
	FUZZ_ASSERT(c->data_to_slot || c->data_len <= MGMT_SMALL_DATA_MAX);
	FUZZ_ASSERT(c->data_to_slot == (c->op == MGMT_OP_DEPLOY_DATA));
	if (c->op != MGMT_OP_CONSOLE_READ && c->op != MGMT_OP_DEPLOY_BEGIN &&
	    c->op != MGMT_OP_DEPLOY_DATA)
		FUZZ_ASSERT(!c->arg[0] && !c->arg[1]);
	FUZZ_ASSERT(!c->arg[2] && !c->arg[3]);
	if (c->op == MGMT_OP_CONSOLE_READ)
		FUZZ_ASSERT(c->arg[1] >= 1 && c->arg[1] <= MGMT_DATA_MAX);
	if (c->op == MGMT_OP_DEPLOY_DATA)
		FUZZ_ASSERT(c->arg[0] <= 1 && c->arg[1] + c->data_len >= c->arg[1]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct mgmt_req req;
	struct mgmt_call c;
	const char *err = NULL;
	u32 nr_vms = (u32)take(&in, 1) % 17;

	req.op = (u32)take(&in, 4);
	req.seq = (u32)take(&in, 4);
	req.vm = (u32)take(&in, 4);
	req.data_len = (u32)take(&in, 4);
	for (int i = 0; i < 4; i++)
		req.arg[i] = take(&in, 8);
	if (mgmt_decode(&req, nr_vms, &c, &err) != MGMT_OK) {
		FUZZ_ASSERT(err && *err);
		return 0;
	}
	FUZZ_ASSERT(c.seq == req.seq);
	check_accepted(&c, nr_vms);
	if (c.data_to_slot)
		return 0;
	/* The payload copy: data_len bytes, zero-filled past the input. */
	u8 *payload = malloc(c.data_len ? c.data_len : 1);
	for (u32 i = 0; i < c.data_len; i++)
		payload[i] = (u8)take(&in, 1);
	err = NULL;
	if (mgmt_check_payload(&c, payload, &err) != MGMT_OK) {
		FUZZ_ASSERT(err && *err);
	} else if (c.op == MGMT_OP_DEPLOY_BEGIN && c.data_len) {
		FUZZ_ASSERT(payload[c.data_len - 1] == 0);
		FUZZ_ASSERT(strlen((const char *)payload) == c.data_len - 1);
	}
	free(payload);
	return 0;
}
