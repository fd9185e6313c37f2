/* Loading a VM's image, initrd and device tree into its zeroed RAM and
 * arming its first vCPU; run for every start and restart. */
#include "vm/load.h"
#include "arch/idregs.h"
#include "arch/mm.h"
#include "arch/sysreg.h"
#include "lib.h"
#include "lib/fdt.h"
#include "platform.h"
#include "platform_info.h"
#include "vm/guest_mem.h"
#include "vm/loader.h"
#include "vm/passthrough.h"
#include "vm/vcpu_ops.h"
#include "vm/vdev.h"
#include "vm/vgic.h"
#include "vm/vm.h"

static void write_be64(u8 *p, u64 v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (u8)v;
}

/* Fills in the values only known at run time, in place: the properties were
 * emitted with the right sizes by the build. */
static void patch_dtb(struct vm *vm, const struct load_plan *p)
{
	u8 *blob = vm_guest_ptr(vm, ipa_init(p->dtb_ipa));
	struct fdt f;
	u32 len;
	u8 *prop;
	int node;

	if (fdt_open(&f, blob, GUEST_DTB_MAX))
		return;
	node = fdt_path_offset(&f, "/memory");
	prop = (u8 *)fdt_getprop(&f, node, "reg", &len);
	if (node >= 0 && prop && len == 16) {
		write_be64(prop, ipa_addr(vm->ram_ipa));
		write_be64(prop + 8, vm->ram_size);
	}
	node = fdt_path_offset(&f, "/chosen");
	prop = (u8 *)fdt_getprop(&f, node, "linux,initrd-start", &len);
	if (node >= 0 && prop && len == 8)
		write_be64(prop, p->initrd_ipa);
	prop = (u8 *)fdt_getprop(&f, node, "linux,initrd-end", &len);
	if (node >= 0 && prop && len == 8)
		write_be64(prop, p->initrd_ipa + p->initrd_size);
	/* A deployed image's bootargs, into the padded property (NUL-filled). */
	prop = (u8 *)fdt_getprop(&f, node, "bootargs", &len);
	if (node >= 0 && prop && vm->bootargs && strnlen(vm->bootargs, len) < len) {
		memset(prop, 0, len);
		memcpy(prop, vm->bootargs, strlen(vm->bootargs));
	}
}

static void copy_segments(struct vm *vm, const struct load_plan *p)
{
	const struct vm_config *c = vm->cfg;

	for (u32 i = 0; i < p->nr_segments; i++)
		memcpy(vm_guest_ptr(vm, ipa_init(p->seg[i].ipa)),
		       vm->image.data + p->seg[i].file_off, p->seg[i].file_size);
	memcpy(vm_guest_ptr(vm, ipa_init(p->dtb_ipa)), c->dtb.data, c->dtb.size);
	if (p->initrd_size)
		memcpy(vm_guest_ptr(vm, ipa_init(p->initrd_ipa)), vm->initrd.data, vm->initrd.size);
}

int vm_load(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;
	struct load_plan plan;
	const char *err;

	if (loader_plan(vm->image.data, vm->image.size, vm->initrd.size, c->dtb.size,
			ipa_addr(vm->ram_ipa), vm->ram_size, &plan, &err)) {
		LOG("vm %s: cannot load its image: %s", c->name, err);
		return -E_INVAL;
	}
	/* Every (re)start scrubs what the previous run left; only the first
	 * load after the allocation finds the RAM zero already. */
	if (!vm->ram_zeroed)
		arch_zero(pa_to_ptr(vm->ram_pa), vm->ram_size);
	vm->ram_zeroed = false;
	copy_segments(vm, &plan);
	patch_dtb(vm, &plan);
	/* The guest starts with its MMU and caches off: what we wrote through
	 * the cache must reach memory before it looks. */
	arch_dcache_clean_inval(pa_to_ptr(vm->ram_pa), vm->ram_size);
	vm->dtb_ipa = ipa_init(plan.dtb_ipa);
	vm_devs_reset(vm);
	u64 voff = read_cntpct_el0(); /* guest virtual time starts near 0 */

	vgic_init(vm);
	for (u32 i = 0; i < vm->nr_vcpus; i++)
		vgic_map_hw(&vm->vcpus[i], INTID_VIRT_TIMER, plat.timer_virt_intid);
	vm_map_spis(vm);

	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].state = VCPU_OFF;
		vm->vcpus[i].vtimer = (struct vtimer){.voff = voff};
		vm->vcpus[i].vtimer_pending = false;
		vm->vcpus[i].initial_sp = plan.initial_sp;
	}
	vcpu_power_on(&vm->vcpus[0], plan.entry, plan.dtb_ipa);
	vm->state = VM_RUNNING;
	vm->end_reason = VM_END_NONE;
	vm->started_at = read_cntpct_el0();
	LOG("vm %s: loaded %s (%lu bytes) at IPA 0x%lx, entry 0x%lx, DTB 0x%lx, SP_EL1 0x%lx",
	    c->name, image_kind_name(plan.kind), (unsigned long)vm->image.size,
	    (unsigned long)plan.seg[0].ipa, (unsigned long)plan.entry, (unsigned long)plan.dtb_ipa,
	    (unsigned long)plan.initial_sp);
	return 0;
}
