/* Management request decoder: one rule per op, checked before anything acts. */
#include "vm/mgmt_req.h"

#define A0 BIT(0)
#define A1 BIT(1)

struct op_rule {
	bool needs_vm;
	u8 args;      /* arg[i] used when bit i is set; unused ones must be 0 */
	u32 data_min; /* payload bytes allowed */
	u32 data_max;
};

static const struct op_rule rules[MGMT_OP_MAX] = {
	[MGMT_OP_NODE_INFO] = {false, 0, 0, 0},
	[MGMT_OP_VM_LIST] = {false, 0, 0, 0},
	[MGMT_OP_VM_INFO] = {true, 0, 0, 0},
	[MGMT_OP_VM_STATS] = {true, 0, 0, 0},
	[MGMT_OP_CONSOLE_READ] = {true, A0 | A1, 0, 0},
	[MGMT_OP_CONSOLE_WRITE] = {true, 0, 1, MGMT_SMALL_DATA_MAX},
	[MGMT_OP_VM_START] = {true, 0, 0, 0},
	[MGMT_OP_VM_STOP] = {true, 0, 0, 0},
	[MGMT_OP_VM_KILL] = {true, 0, 0, 0},
	[MGMT_OP_VM_RESTART] = {true, 0, 0, 0},
	[MGMT_OP_DEPLOY_BEGIN] = {true, A0 | A1, 0, MGMT_BOOTARGS_MAX},
	[MGMT_OP_DEPLOY_DATA] = {true, A0 | A1, 1, MGMT_DATA_MAX},
	[MGMT_OP_DEPLOY_COMMIT] = {true, 0, 32, 64},
};

/* The op-specific argument checks beyond "unused is zero". */
static int check_args(const struct mgmt_call *c, const char **err)
{
	switch (c->op) {
	case MGMT_OP_CONSOLE_READ:
		if (c->arg[1] == 0 || c->arg[1] > MGMT_DATA_MAX) {
			*err = "console read: max bytes must be 1..window data size";
			return MGMT_E_INVAL;
		}
		return MGMT_OK;
	case MGMT_OP_DEPLOY_BEGIN:
		if (c->arg[0] == 0) {
			*err = "deploy: the kernel is empty";
			return MGMT_E_INVAL;
		}
		return MGMT_OK;
	case MGMT_OP_DEPLOY_DATA:
		if (c->arg[0] > 1) {
			*err = "deploy data: part must be 0 (kernel) or 1 (initrd)";
			return MGMT_E_INVAL;
		}
		if (c->arg[1] + c->data_len < c->arg[1]) {
			*err = "deploy data: offset wraps";
			return MGMT_E_INVAL;
		}
		return MGMT_OK;
	case MGMT_OP_DEPLOY_COMMIT:
		if (c->data_len != 32 && c->data_len != 64) {
			*err = "deploy commit: data is one or two SHA-256 digests";
			return MGMT_E_INVAL;
		}
		return MGMT_OK;
	default: return MGMT_OK;
	}
}

int mgmt_decode(const struct mgmt_req *req, u32 nr_vms, struct mgmt_call *c, const char **err)
{
	const struct op_rule *r;

	*c = (struct mgmt_call){
		.op = req->op, .seq = req->seq, .vm = req->vm, .data_len = req->data_len};
	for (unsigned i = 0; i < 4; i++)
		c->arg[i] = req->arg[i];
	if (req->op == 0 || req->op >= MGMT_OP_MAX) {
		*err = "unknown operation";
		return MGMT_E_NOTSUP;
	}
	r = &rules[req->op];
	for (unsigned i = 0; i < 4; i++)
		if (!(r->args & BIT(i)) && req->arg[i]) {
			*err = "unused argument is not zero";
			return MGMT_E_INVAL;
		}
	if (req->data_len < r->data_min || req->data_len > r->data_max) {
		*err = req->data_len > r->data_max ? "payload too long for this operation"
						   : "payload missing";
		return req->data_len > MGMT_DATA_MAX ? MGMT_E_TOOBIG : MGMT_E_INVAL;
	}
	if (r->needs_vm ? req->vm >= nr_vms : req->vm != 0) {
		*err = r->needs_vm ? "no such VM" : "vm must be 0 for a node operation";
		return r->needs_vm ? MGMT_E_NOVM : MGMT_E_INVAL;
	}
	c->needs_vm = r->needs_vm;
	c->data_to_slot = req->op == MGMT_OP_DEPLOY_DATA;
	return check_args(c, err);
}

/* Bootargs: NUL-terminated within the payload (or no payload at all), and
 * printable, since they end up in the guest's device tree. */
static int check_bootargs(const u8 *s, u32 len, const char **err)
{
	if (len == 0)
		return MGMT_OK;
	if (s[len - 1] != 0) {
		*err = "deploy: bootargs are not NUL-terminated";
		return MGMT_E_INVAL;
	}
	for (u32 i = 0; i + 1 < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e) {
			*err = s[i] ? "deploy: bootargs hold a non-printable byte"
				    : "deploy: bootargs hold a NUL before their end";
			return MGMT_E_INVAL;
		}
	return MGMT_OK;
}

int mgmt_check_payload(const struct mgmt_call *c, const u8 *data, const char **err)
{
	if (c->op == MGMT_OP_DEPLOY_BEGIN)
		return check_bootargs(data, c->data_len, err);
	return MGMT_OK;
}
