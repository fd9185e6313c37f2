/* Deploy into a slot: BEGIN scrubs the slot and reserves the top of its
 * memory as a stash for the raw kernel and initrd; DATA copies chunks, in
 * order, from the window into the stash only, hashing the copy (not the
 * window, which the management VM may rewrite); COMMIT compares the
 * digests, runs the loader's checks on the stashed bytes for the memory
 * below the stash, takes the stash out of the slot's Stage-2 and starts
 * it.  The stash stays: every restart reloads from it, and the guest,
 * told of the memory below it only, can never touch it. */
#include "arch/mm.h"
#include "lib.h"
#include "mm/stage2.h"
#include "vm/loader.h"
#include "vm/lifecycle.h"
#include "vm/mgmt.h"
#include "vm/sha256.h"
#include "arch/idregs.h"
#include "vm/vm.h"

enum { PART_KERNEL, PART_INITRD, PARTS };

struct slot_deploy {
	bool loading; /* between BEGIN and a successful COMMIT */
	bool loaded;  /* an image is stashed and checked */
	u64 size[PARTS], got[PARTS];
	u64 guest_size; /* slot memory below the stash */
	struct sha256 sha[PARTS];
	char bootargs[MGMT_BOOTARGS_MAX];
};

static struct slot_deploy deploys[MAX_VMS];

bool mgmt_slot_loaded(const struct vm *vm)
{
	return deploys[vm->id].loaded;
}

static u8 *part_ptr(const struct vm *vm, const struct slot_deploy *d, u32 part)
{
	u64 off = d->guest_size + (part ? ALIGN_UP(d->size[0], PAGE_SIZE) : 0);

	return (u8 *)pa_to_ptr(pa_add(vm->ram_pa, off));
}

/* A slot that is not running and whose vCPUs are off every CPU. */
static int check_slot(struct mgmt_ctx *op)
{
	const struct vm *vm = op->vm;

	if (!vm->cfg->slot)
		return mgmt_refuse(op, MGMT_E_STATE, "not a deploy slot");
	if ((vm->state != VM_EMPTY && vm->state != VM_ENDED) || !vm_quiet(vm))
		return mgmt_refuse(op, MGMT_E_STATE, "slot is running or still stopping");
	return MGMT_OK;
}

int mgmt_deploy_begin(struct mgmt_ctx *op)
{
	struct vm *vm = op->vm;
	struct slot_deploy *d = &deploys[vm->id];
	u64 mem = vm->cfg->mem_size, k = op->c->arg[0], i = op->c->arg[1], stash;
	int ret = check_slot(op);

	if (ret)
		return ret;
	if (k > mem || i > mem)
		return mgmt_refuse(op, MGMT_E_TOOBIG, "image larger than the slot");
	stash = ALIGN_UP(ALIGN_UP(k, PAGE_SIZE) + ALIGN_UP(i, PAGE_SIZE), SZ_2M);
	if (stash > mem || mem - stash < 2 * SZ_2M)
		return mgmt_refuse(op, MGMT_E_TOOBIG, "slot memory too small for the image twice");
	/* Acting: whatever was deployed is gone. */
	vm->state = VM_EMPTY;
	vm->image = (struct vm_blob){0};
	vm->initrd = (struct vm_blob){0};
	vm->bootargs = NULL;
	arch_zero(pa_to_ptr(vm->ram_pa), mem);
	*d = (struct slot_deploy){.loading = true, .size = {k, i}, .guest_size = mem - stash};
	sha256_init(&d->sha[PART_KERNEL]);
	sha256_init(&d->sha[PART_INITRD]);
	memcpy(d->bootargs, op->data, op->c->data_len);
	op->resp->ret[0] = d->guest_size;
	vm_log(op->self, "mgmt: deploy into %s: kernel %lu, initrd %lu bytes", vm->cfg->name,
	       (unsigned long)k, (unsigned long)i);
	return MGMT_OK;
}

int mgmt_deploy_data(struct mgmt_ctx *op)
{
	struct slot_deploy *d = &deploys[op->vm->id];
	u32 part = (u32)op->c->arg[0], len = op->c->data_len;
	u64 off = op->c->arg[1];
	int ret = check_slot(op);
	u8 *dst;

	if (ret)
		return ret;
	if (!d->loading)
		return mgmt_refuse(op, MGMT_E_STATE, "no deploy in progress");
	if (off != d->got[part])
		return mgmt_refuse(op, MGMT_E_INVAL, "chunk out of order");
	if (len > d->size[part] - off)
		return mgmt_refuse(op, MGMT_E_TOOBIG, "chunk past the announced size");
	dst = part_ptr(op->vm, d, part) + off;
	arch_dcache_clean_inval((void *)op->win_data, len);
	memcpy(dst, op->win_data, len);
	sha256_update(&d->sha[part], dst, len);
	d->got[part] += len;
	op->resp->ret[0] = d->got[part];
	return MGMT_OK;
}

/* The digests given against those of the copied bytes (state kept, so a
 * refused COMMIT may be retried). */
static int check_digests(struct mgmt_ctx *op, struct slot_deploy *d)
{
	u8 got[SHA256_DIGEST];

	for (u32 p = 0; p < PARTS; p++) {
		struct sha256 s = d->sha[p];
		if (p == PART_INITRD && op->c->data_len == SHA256_DIGEST)
			break; /* the initrd's digest is optional */
		sha256_final(&s, got);
		if (memcmp(got, op->data + p * SHA256_DIGEST, SHA256_DIGEST))
			return mgmt_refuse(op, MGMT_E_DIGEST,
					   p ? "initrd SHA-256 mismatch"
					     : "kernel SHA-256 mismatch");
	}
	return MGMT_OK;
}

/* The guest sees only the memory below the stash. */
static int map_guest_part(struct vm *vm, u64 guest_size)
{
	int ret = s2_unmap(&vm->s2, vm->ram_ipa, vm->cfg->mem_size);

	ret = ret ?: s2_map(&vm->s2, vm->ram_ipa, vm->ram_pa, guest_size, S2_RWX);
	arch_s2_tlbi_vmid(vm->vmid);
	return ret;
}

int mgmt_deploy_commit(struct mgmt_ctx *op)
{
	struct vm *vm = op->vm;
	struct slot_deploy *d = &deploys[vm->id];
	struct load_plan plan;
	const char *why;
	int ret = check_slot(op);

	if (ret)
		return ret;
	if (!d->loading || d->got[0] != d->size[0] || d->got[1] != d->size[1])
		return mgmt_refuse(op, MGMT_E_STATE, "deploy incomplete");
	if (op->c->data_len == 2 * SHA256_DIGEST && !d->size[PART_INITRD])
		return mgmt_refuse(op, MGMT_E_INVAL, "initrd digest without an initrd");
	ret = check_digests(op, d);
	if (ret)
		return ret;
	if (loader_plan(part_ptr(vm, d, 0), d->size[0], d->size[1], vm->cfg->dtb.size,
			ipa_addr(vm->ram_ipa), d->guest_size, &plan, &why))
		return mgmt_refuse(op, MGMT_E_IMAGE, why);
	if (map_guest_part(vm, d->guest_size))
		return mgmt_refuse(op, MGMT_E_TOOBIG, "cannot map the slot's memory");
	vm->image = (struct vm_blob){part_ptr(vm, d, 0), d->size[0]};
	vm->initrd = (struct vm_blob){part_ptr(vm, d, 1), d->size[1]};
	vm->bootargs = d->bootargs[0] ? d->bootargs : NULL;
	vm->ram_size = d->guest_size;
	d->loading = false;
	d->loaded = true;
	vm->state = VM_ENDED;
	vm->end_reason = VM_END_NONE;
	vm_log(op->self, "mgmt: deployed %s into %s; starting it", image_kind_name(plan.kind),
	       vm->cfg->name);
	return vm_start(vm, false) ? mgmt_refuse(op, MGMT_E_STATE, "slot busy") : MGMT_OK;
}
