/* The management device (include/aether_mgmt_abi.h): a doorbell page of
 * emulated registers and a window of real memory, attached only to the VM
 * whose description says `management = yes`.
 *
 * One doorbell store runs one request, synchronously, under the device's
 * lock (the management VM's vCPUs may ring at once).  The window is shared
 * with every vCPU of the management VM, which may rewrite it at any time,
 * so the header and the payload are copied out before anything is decoded,
 * and nothing is read from it afterwards.  The guest maps the window as
 * Device memory (uncached) while EL2 uses the cache: every copy in cleans
 * and invalidates first, every copy out is cleaned to memory. */
#include "vm/dev/mgmt.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "spinlock.h"
#include "vm/config.h"
#include "vm/mgmt.h"
#include "arch/idregs.h"
#include "vm/vm.h"

#define WINDOW_PAGES (MGMT_WINDOW_SIZE / PAGE_SIZE)
#define DOORBELL_REGS 0x18 /* bytes of implemented registers */

struct mgmt_dev {
	spinlock_t lock;
	struct vm *vm;
	paddr_t window;
	int last_status;
};

/* Private copy of a request's payload (only one request runs at a time). */
static u8 payload[MGMT_SMALL_DATA_MAX];

typedef int (*op_fn)(struct mgmt_ctx *op);
static const op_fn ops[MGMT_OP_MAX] = {
	[MGMT_OP_NODE_INFO] = mgmt_node_info,
	[MGMT_OP_VM_LIST] = mgmt_vm_list,
	[MGMT_OP_VM_INFO] = mgmt_vm_info,
	[MGMT_OP_VM_STATS] = mgmt_vm_stats,
	[MGMT_OP_CONSOLE_READ] = mgmt_console_read,
	[MGMT_OP_CONSOLE_WRITE] = mgmt_console_write,
	[MGMT_OP_VM_START] = mgmt_vm_action,
	[MGMT_OP_VM_STOP] = mgmt_vm_action,
	[MGMT_OP_VM_KILL] = mgmt_vm_action,
	[MGMT_OP_VM_RESTART] = mgmt_vm_action,
	[MGMT_OP_DEPLOY_BEGIN] = mgmt_deploy_begin,
	[MGMT_OP_DEPLOY_DATA] = mgmt_deploy_data,
	[MGMT_OP_DEPLOY_COMMIT] = mgmt_deploy_commit,
};

static void copy_in(void *dst, u8 *src, u64 len)
{
	arch_dcache_clean_inval(src, len);
	memcpy(dst, src, len);
}

/* Decode, copy the payload the op allows, run it. */
static int run(struct mgmt_dev *d, struct mgmt_ctx *op, u8 *win, u32 seq)
{
	struct mgmt_req req;
	struct mgmt_call *c = (struct mgmt_call *)op->c;
	int ret;

	copy_in(&req, win + MGMT_REQ_OFF, sizeof(req));
	op->resp->seq = req.seq;
	if (req.seq != seq)
		return mgmt_refuse(op, MGMT_E_INVAL, "request seq differs from the doorbell's");
	ret = mgmt_decode(&req, nr_vms, c, &op->err);
	if (ret)
		return ret;
	op->vm = c->needs_vm ? &vms[c->vm] : NULL;
	if (c->data_to_slot) {
		op->win_data = win + MGMT_DATA_OFF;
	} else if (c->data_len) {
		copy_in(payload, win + MGMT_DATA_OFF, c->data_len);
		ret = mgmt_check_payload(c, payload, &op->err);
		if (ret)
			return ret;
	}
	return ops[c->op](op);
}

static void mgmt_doorbell(struct mgmt_dev *d, u32 seq)
{
	u8 *win = pa_to_ptr(d->window);
	struct mgmt_call call;
	struct mgmt_resp resp = {0};
	struct mgmt_ctx op = {.self = d->vm,
			      .c = &call,
			      .data = payload,
			      .out = win + MGMT_DATA_OFF,
			      .resp = &resp};

	spin_lock(&d->lock);
	resp.status = run(d, &op, win, seq);
	if (resp.status) {
		resp.data_len = 0;
		snprintf(resp.msg, sizeof(resp.msg), "%s", op.err ? op.err : "refused");
		vm_log(d->vm, "mgmt: op %u refused (%d): %s", call.op, resp.status, resp.msg);
	}
	arch_dcache_clean_inval(win + MGMT_DATA_OFF, resp.data_len);
	memcpy(win + MGMT_RESP_OFF, &resp, sizeof(resp));
	arch_dcache_clean_inval(win + MGMT_RESP_OFF, sizeof(resp));
	d->last_status = resp.status;
	spin_unlock(&d->lock);
}

static u64 mgmt_read(void *dev, struct vcpu *v, u64 off, unsigned size)
{
	struct mgmt_dev *d = dev;

	switch (off) {
	case MGMT_REG_MAGIC: return MGMT_MAGIC;
	case MGMT_REG_VERSION: return MGMT_VERSION;
	case MGMT_REG_WINDOW: return MGMT_WINDOW_SIZE;
	case MGMT_REG_STATUS: return (u32)__atomic_load_n(&d->last_status, __ATOMIC_ACQUIRE);
	default: return 0;
	}
}

static void mgmt_write(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val)
{
	if (off == MGMT_REG_DOORBELL)
		mgmt_doorbell(dev, (u32)val);
}

static const struct mmio_ops mgmt_ops = {
	.read = mgmt_read,
	.write = mgmt_write,
	.widths = MMIO_W32,
	.impl_size = DOORBELL_REGS,
};

static int mgmt_attach(struct vm *vm, const struct vm_config *cfg, void *state)
{
	struct mgmt_dev *d = state;
	int ret;

	if (!cfg->management)
		return VM_DEV_ABSENT;
	d->vm = vm;
	ret = page_alloc_contig(WINDOW_PAGES, 0, &d->window);
	ret = ret ?: vm_dev_map_ram(vm, ipa_init(MGMT_WINDOW_IPA), d->window, MGMT_WINDOW_SIZE);
	ret = ret ?: vm_dev_mmio(vm, MGMT_DOORBELL_IPA, MGMT_DOORBELL_SIZE, &mgmt_ops, d);
	if (!ret)
		LOG("vm %s: management device: doorbell at IPA 0x%llx, window at IPA 0x%llx (%llu "
		    "KiB)",
		    cfg->name, MGMT_DOORBELL_IPA, MGMT_WINDOW_IPA, MGMT_WINDOW_SIZE >> 10);
	return ret;
}

const struct vm_dev mgmt_dev = {
	.name = "mgmt",
	.state_size = sizeof(struct mgmt_dev),
	.attach = mgmt_attach,
};
