/* Read-only operations: node info, VM list, one VM's description, stats. */
#include "aether_abi.h"
#include "arch/sysreg.h"
#include "lib/fdt.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "platform_info.h"
#include "vm/mgmt.h"
#include "vm/vm.h"

/* CNTPCT ticks to ns without overflowing for centuries of uptime. */
static u64 ticks_ns(u64 t)
{
	u64 f = read_cntfrq_el0();

	return f ? t / f * 1000000000ULL + t % f * 1000000000ULL / f : 0;
}

u32 mgmt_vm_state(const struct vm *vm)
{
	switch (vm->state) {
	case VM_RUNNING: return MGMT_VM_RUNNING;
	case VM_RESETTING: return MGMT_VM_RESTARTING;
	case VM_ENDED: return vm->end_reason == VM_END_FAULT ? MGMT_VM_CRASHED : MGMT_VM_STOPPED;
	default: return MGMT_VM_EMPTY;
	}
}

int mgmt_node_info(struct mgmt_ctx *op)
{
	struct mgmt_node_info n = {
		.abi_version = MGMT_VERSION, .cpus = plat.nr_cpus, .nr_vms = nr_vms};

	for (u32 i = 0; i < plat.nr_ram; i++)
		n.memory_bytes += plat.ram[i].size;
	n.free_bytes = page_free_count() * PAGE_SIZE;
	n.uptime_ns = ticks_ns(read_cntpct_el0());
	snprintf(n.version, sizeof(n.version), "aether %u.%u", AETHER_REV_MAJOR, AETHER_REV_MINOR);
	snprintf(n.gic, sizeof(n.gic), plat.gic_version == 2 ? "gicv2" : "gicv3");
	memcpy(op->out, &n, sizeof(n));
	op->resp->data_len = sizeof(n);
	return MGMT_OK;
}

/* The bootargs in a VM's build-time device tree (found once: walking the
 * tree on every VM list would cost more than the rest of the list). */
static const char *dt_bootargs(const struct vm *vm)
{
	static const char *found[MAX_VMS];
	static bool looked[MAX_VMS];
	const struct vm_blob *dtb = &vm->cfg->dtb;
	struct fdt f;
	const char *s;
	u32 len = 0;

	if (looked[vm->id])
		return found[vm->id];
	looked[vm->id] = true;
	if (!dtb->size || fdt_open(&f, dtb->data, dtb->size))
		return NULL;
	s = fdt_getprop(&f, fdt_path_offset(&f, "/chosen"), "bootargs", &len);
	found[vm->id] = s && strnlen(s, len) < len ? s : NULL;
	return found[vm->id];
}

/* The bootargs the VM boots with: a deploy's, else its device tree's. */
static void bootargs_of(const struct vm *vm, char *dst)
{
	const char *s = vm->bootargs ? vm->bootargs : dt_bootargs(vm);

	if (s)
		memcpy(dst, s, strnlen(s, MGMT_BOOTARGS_MAX - 1));
}

static void fill_info(const struct vm *vm, struct mgmt_vm_info *i)
{
	const struct vm_config *c = vm->cfg;

	memset(i, 0, sizeof(*i));
	i->id = vm->id;
	i->state = mgmt_vm_state(vm);
	i->flags = (c->management ? MGMT_VMF_MANAGEMENT : 0) | (c->slot ? MGMT_VMF_SLOT : 0) |
		   (c->layout == VM_LAYOUT_IDENTITY ? MGMT_VMF_IDENTITY : 0) |
		   (c->on_exit == VM_ON_EXIT_RESTART ? MGMT_VMF_RESTART : 0);
	i->nr_vcpus = vm->nr_vcpus;
	snprintf(i->name, sizeof(i->name), "%s", c->name);
	i->memory_bytes = c->mem_size;
	if (vm->state == VM_RUNNING)
		i->uptime_ns = ticks_ns(read_cntpct_el0() - vm->started_at);
	i->restarts = vm->restarts;
	i->end_reason = vm->end_reason;
	for (u32 k = 0; k < vm->nr_vcpus && k < MGMT_MAX_VCPUS; k++)
		i->vcpu_cpu[k] = vm->vcpus[k].pcpu;
	i->ram_ipa = ipa_addr(vm->ram_ipa);
	i->image_bytes = vm->image.size;
	i->initrd_bytes = vm->initrd.size;
	bootargs_of(vm, i->bootargs);
}

int mgmt_vm_list(struct mgmt_ctx *op)
{
	struct mgmt_vm_info info;

	_Static_assert(MAX_VMS * sizeof(info) <= MGMT_DATA_MAX, "the list fits the window");
	for (u32 k = 0; k < nr_vms; k++) {
		fill_info(&vms[k], &info);
		memcpy(op->out + k * sizeof(info), &info, sizeof(info));
	}
	op->resp->ret[0] = nr_vms;
	op->resp->data_len = nr_vms * sizeof(info);
	return MGMT_OK;
}

int mgmt_vm_info(struct mgmt_ctx *op)
{
	struct mgmt_vm_info info;

	fill_info(op->vm, &info);
	memcpy(op->out, &info, sizeof(info));
	op->resp->data_len = sizeof(info);
	return MGMT_OK;
}

int mgmt_vm_stats(struct mgmt_ctx *op)
{
	const struct vm *vm = op->vm;
	struct mgmt_vm_stats s = {.id = vm->id,
				  .nr_vcpus = vm->nr_vcpus,
				  .stage2_faults = vm->s2_faults + vm_exits(vm, EXIT_DABT_MMIO),
				  .irqs_injected = vm->irqs_injected,
				  .restarts = vm->restarts};
	u64 now = read_cntpct_el0();

	_Static_assert(EXIT_KINDS == MGMT_EXIT_KINDS, "exit kinds as the ABI counts them");
	for (u32 k = 0; k < EXIT_KINDS; k++)
		s.exits[k] = vm_exits(vm, k);
	for (u32 k = 0; k < vm->nr_vcpus; k++) /* and the timer's short path */
		s.irqs_injected += vm->vcpus[k].vgic.fast_injected;
	for (u32 k = 0; k < vm->nr_vcpus && k < MGMT_MAX_VCPUS; k++) {
		const struct vcpu *v = &vm->vcpus[k];
		u64 t = v->run_ticks, since = __atomic_load_n(&v->run_since, __ATOMIC_RELAXED);
		/* A vCPU loaded right now has run since it was loaded (its CPU
		 * moves run_since on past idle time, maybe past our now). */
		if (__atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE) && now > since)
			t += now - since;
		s.vcpu_run_ns[k] = ticks_ns(t);
	}
	s.console_bytes = mgmt_console_bytes(vm);
	memcpy(op->out, &s, sizeof(s));
	op->resp->data_len = sizeof(s);
	return MGMT_OK;
}
