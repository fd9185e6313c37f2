/* VM lifecycle: creation (memory, Stage-2, devices), loading, ending and
 * restarting.  Guest memory is zeroed before every (re)start so nothing of a
 * previous run, or of anyone else, is visible to it. */
#include "vm/vm.h"
#include "arch/mm.h"
#include "lib.h"
#include "mm/page_alloc.h"
#include "platform.h"
#include "platform_info.h"
#include "vm/loader.h"
#include "vm/sysreg_trap.h"
#include "vm/vcpu_ops.h"
#include "fdt.h"
#include "percpu.h"
#include "drivers/gicv3.h"
#include "vm/sched.h"
#include "arch/sysreg.h"

struct vm vms[MAX_VMS];
u32 nr_vms;
struct s2_cfg s2_config;

const char *vm_end_reason_str(enum vm_end_reason why)
{
	switch (why) {
	case VM_END_POWEROFF: return "powered off";
	case VM_END_RESET: return "reset";
	case VM_END_FAULT: return "terminated (fault)";
	case VM_END_ALL_CPUS_OFF: return "all vCPUs off";
	default: return "running";
	}
}

bool vm_ipa_is_ram(const struct vm *vm, ipaddr_t ipa, u64 len)
{
	u64 off = ipa_addr(ipa) - ipa_addr(vm->ram_ipa);

	return ipa_addr(ipa) >= ipa_addr(vm->ram_ipa) && off <= vm->ram_size &&
	       len <= vm->ram_size - off;
}

static void *guest_ptr(const struct vm *vm, ipaddr_t ipa)
{
	return pa_to_ptr(pa_add(vm->ram_pa, ipa_addr(ipa) - ipa_addr(vm->ram_ipa)));
}

bool vm_read_guest(const struct vm *vm, ipaddr_t ipa, void *dst, u64 len)
{
	if (!vm_ipa_is_ram(vm, ipa, len))
		return false;
	/* The guest may run with caches off: drop any stale line first. */
	arch_dcache_clean_inval(guest_ptr(vm, ipa), len);
	memcpy(dst, guest_ptr(vm, ipa), len);
	return true;
}

bool vm_write_guest(const struct vm *vm, ipaddr_t ipa, const void *src, u64 len)
{
	if (!vm_ipa_is_ram(vm, ipa, len))
		return false;
	memcpy(guest_ptr(vm, ipa), src, len);
	arch_dcache_clean_inval(guest_ptr(vm, ipa), len);
	return true;
}

static int vm_map_memory(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;
	int ret;

	ret = page_alloc_contig(c->mem_size / PAGE_SIZE, SZ_2M, &vm->ram_pa);
	if (ret)
		return ret;
	vm->ram_size = c->mem_size;
	vm->ram_ipa = c->layout == VM_LAYOUT_IDENTITY ? ipa_init(pa_addr(vm->ram_pa))
						       : ipa_init(c->ram_ipa);
	ret = s2_map(&vm->s2, vm->ram_ipa, vm->ram_pa, vm->ram_size, S2_R | S2_W | S2_X);
	for (u32 i = 0; !ret && i < c->nr_devices; i++)
		ret = s2_map(&vm->s2, ipa_init(c->devices[i].base), pa_init(c->devices[i].base),
			     c->devices[i].size, S2_R | S2_W | S2_DEVICE);
	return ret;
}

/* Physical SPIs given to VMs by their descriptions (checked unique at build
 * time). */
static struct vm *spi_owner[1020];

struct vm *vm_spi_owner(u32 intid)
{
	return intid >= 32 && intid < ARRAY_SIZE(spi_owner) ? spi_owner[intid] : NULL;
}

/* A passthrough interrupt is routed to the CPU of the VM's vCPU 0 and
 * forwarded with the HW bit: the guest's EOI deactivates it. */
static void vm_claim_spis(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;

	for (u32 d = 0; d < c->nr_devices; d++)
		for (u32 i = 0; i < c->devices[d].nr_irqs; i++) {
			u32 intid = c->devices[d].irqs[i];
			if (intid < 32 || intid >= ARRAY_SIZE(spi_owner) || intid >= VGIC_NR_IRQS)
				continue;
			spi_owner[intid] = vm;
			gic_enable_spi(intid, percpu_data[vm->vcpus[0].pcpu].mpidr);
		}
}

static void vm_map_spis(struct vm *vm)
{
	for (u32 intid = 32; intid < VGIC_NR_IRQS; intid++)
		if (spi_owner[intid] == vm)
			vgic_map_hw(&vm->vcpus[0], intid, intid);
}

/* An ending VM may have left a forwarded interrupt active: release it. */
static void vm_release_spis(struct vm *vm)
{
	for (u32 intid = 32; intid < VGIC_NR_IRQS; intid++)
		if (spi_owner[intid] == vm)
			gic_deactivate(intid);
}

int vm_create(struct vm *vm, u32 id, const struct vm_config *cfg)
{
	int ret;

	memset(vm, 0, sizeof(*vm));
	vm->id = id;
	vm->cfg = cfg;
	vm->vmid = (u16)(id + 1); /* VMID 0 is never given to a guest */
	vm->nr_vcpus = cfg->nr_vcpus;
	ret = pt_pool_init(&vm->pt_pool, VM_PT_POOL_PAGES);
	if (ret)
		return ret;
	ret = s2_init(&vm->s2, &s2_config, vm->vmid, &vm->pt_pool);
	if (!ret)
		ret = vm_map_memory(vm);
	if (ret)
		return ret;
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		vm->vcpus[i].pcpu = cfg->vcpu_cpu[i];
		vm->vcpus[i].state = VCPU_OFF;
	}
	ret = mmio_register(vm->mmio, &vm->nr_mmio, ipa_init(GUEST_GICD_BASE),
				   VGIC_DIST_SIZE, &vgic_dist_ops, vm);
	ret = ret ?: mmio_register(vm->mmio, &vm->nr_mmio, ipa_init(GUEST_GICR_BASE),
				   vm->nr_vcpus * VGIC_REDIST_STRIDE, &vgic_redist_ops, vm);
	if (!ret)
		vm_claim_spis(vm);
	return ret;
}

static void write_be64(u8 *p, u64 v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (u8)v;
}

/* Fills in the values only known at run time, in place: the properties were
 * emitted with the right sizes by the build. */
static void patch_dtb(struct vm *vm, const struct load_plan *p)
{
	u8 *blob = guest_ptr(vm, ipa_init(p->dtb_ipa));
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
}

static void copy_segments(struct vm *vm, const struct load_plan *p)
{
	const struct vm_config *c = vm->cfg;

	for (u32 i = 0; i < p->nr_segments; i++)
		memcpy(guest_ptr(vm, ipa_init(p->seg[i].ipa)), c->image.data + p->seg[i].file_off,
		       p->seg[i].file_size);
	memcpy(guest_ptr(vm, ipa_init(p->dtb_ipa)), c->dtb.data, c->dtb.size);
	if (p->initrd_size)
		memcpy(guest_ptr(vm, ipa_init(p->initrd_ipa)), c->initrd.data, c->initrd.size);
}

int vm_load(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;
	struct load_plan plan;
	const char *err;

	if (loader_plan(c->image.data, c->image.size, c->initrd.size, c->dtb.size,
			ipa_addr(vm->ram_ipa), vm->ram_size, &plan, &err)) {
		LOG("vm %s: cannot load its image: %s", c->name, err);
		return -E_INVAL;
	}
	memset(pa_to_ptr(vm->ram_pa), 0, vm->ram_size);
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
		vm->vcpus[i].vtimer = (struct vtimer){ .voff = voff };
		vm->vcpus[i].vtimer_pending = false;
		vm->vcpus[i].initial_sp = plan.initial_sp;
	}
	vcpu_power_on(&vm->vcpus[0], plan.entry, plan.dtb_ipa);
	vm->state = VM_RUNNING;
	vm->end_reason = VM_END_NONE;
	vm->started_at = read_cntpct_el0();
	LOG("vm %s: loaded %s (%lu bytes) at IPA 0x%lx, entry 0x%lx, DTB 0x%lx, SP_EL1 0x%lx",
	    c->name, image_kind_name(plan.kind), (unsigned long)c->image.size,
	    (unsigned long)plan.seg[0].ipa, (unsigned long)plan.entry,
	    (unsigned long)plan.dtb_ipa, (unsigned long)plan.initial_sp);
	return 0;
}

/* Kicks every vCPU of the VM and waits until none is loaded on another
 * CPU, so memory can be rewritten under nobody's feet.  Bounded: a CPU
 * that never answers is reported rather than waited on forever. */
static void vm_quiesce(struct vm *vm)
{
	u32 me = this_cpu()->cpu_id;

	for (u32 i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].pcpu != me)
			vcpu_kick(&vm->vcpus[i]);
	for (u32 i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		u64 spins = 0;
		while (v->pcpu != me && __atomic_load_n(&v->on_cpu, __ATOMIC_ACQUIRE)) {
			if (++spins == 100000000) {
				LOG("vm %s: vCPU %u did not stop on CPU %u", vm->cfg->name, i, v->pcpu);
				break;
			}
		}
	}
}

#define RESTART_QUICK_MS 1000   /* a run shorter than this counts as a crash loop */
#define RESTART_FREE_TRIES 3     /* quick restarts allowed before back-off */
#define RESTART_BACKOFF_MS 10    /* then 10 ms, doubling ... */
#define RESTART_BACKOFF_MAX_MS 5000

static u64 ms_ticks(u64 ms)
{
	return read_cntfrq_el0() / 1000 * ms;
}

/* Back-off so a VM in a crash loop cannot monopolise its CPUs. */
static u64 restart_delay_ms(struct vm *vm)
{
	u64 now = read_cntpct_el0();

	if (now - vm->started_at >= ms_ticks(RESTART_QUICK_MS))
		vm->quick_restarts = 0;
	else
		vm->quick_restarts++;
	if (vm->quick_restarts <= RESTART_FREE_TRIES)
		return 0;
	return MIN((u64)RESTART_BACKOFF_MS << MIN(vm->quick_restarts - RESTART_FREE_TRIES - 1, 20),
		   (u64)RESTART_BACKOFF_MAX_MS);
}

/* Marks the VM to be started again; the CPU of its vCPU 0 does it from its
 * idle loop once every vCPU is off its CPU (vm_run_restarts). */
static void vm_schedule_restart(struct vm *vm, u64 delay_ms)
{
	vm->restart_at = read_cntpct_el0() + ms_ticks(delay_ms);
	LOG("vm %s: restarting (restart %u%s%lu ms back-off)", vm->cfg->name, vm->restarts + 1,
	    delay_ms ? ", crash loop: " : ", ", (unsigned long)delay_ms);
	vcpu_kick(&vm->vcpus[0]);
}

static void vm_restart(struct vm *vm)
{
	vm_quiesce(vm);
	vm->restarts++;
	/* Stage-1 entries of the old run are tagged with this VMID. */
	arch_s2_tlbi_vmid(vm->vmid);
	if (vm_load(vm)) {
		vm->state = VM_ENDED;
		vm->end_reason = VM_END_FAULT;
		return;
	}
	LOG("vm %s: restarted (restart %u); hypervisor free pages %lu", vm->cfg->name, vm->restarts,
	    (unsigned long)page_free_count());
}

void vm_run_restarts(u32 cpu)
{
	for (u32 i = 0; i < nr_vms; i++) {
		struct vm *vm = &vms[i];
		if (vm->state == VM_RESETTING && vm->vcpus[0].pcpu == cpu &&
		    read_cntpct_el0() >= vm->restart_at)
			vm_restart(vm);
	}
}

u64 vm_next_restart(u32 cpu, u64 limit)
{
	for (u32 i = 0; i < nr_vms; i++)
		if (vms[i].state == VM_RESETTING && vms[i].vcpus[0].pcpu == cpu)
			limit = MIN(limit, vms[i].restart_at);
	return limit;
}

/* Stops every vCPU; false if the VM was not running (someone else ended
 * or is restarting it). */
static bool vm_stop_all(struct vm *vm, enum vm_state new_state)
{
	bool was_running;

	spin_lock(&vm->lock);
	was_running = vm->state == VM_RUNNING;
	if (was_running) {
		for (u32 i = 0; i < vm->nr_vcpus; i++)
			vm->vcpus[i].state = VCPU_STOPPED;
		vm->state = new_state;
	}
	spin_unlock(&vm->lock);
	for (u32 i = 0; was_running && i < vm->nr_vcpus; i++)
		vcpu_kick(&vm->vcpus[i]);
	return was_running;
}

/* on_exit = restart applies to crashes (terminated by the hypervisor) and
 * to CPU_OFF of the last vCPU; a guest that asks for SYSTEM_OFF is off. */
void vm_end(struct vm *vm, enum vm_end_reason why)
{
	bool restart = vm->cfg->on_exit == VM_ON_EXIT_RESTART && why != VM_END_POWEROFF;

	if (!vm_stop_all(vm, restart ? VM_RESETTING : VM_ENDED))
		return;
	vm->end_reason = why;
	vm_release_spis(vm);
	LOG("vm %s: %s", vm->cfg->name, vm_end_reason_str(why));
	sched_vm_ended();
	if (restart)
		vm_schedule_restart(vm, restart_delay_ms(vm));
}

void vm_reset(struct vm *vm)
{
	if (!vm_stop_all(vm, VM_RESETTING))
		return;
	LOG("vm %s: reset requested; restarting from its image", vm->cfg->name);
	vm_schedule_restart(vm, 0);
}
