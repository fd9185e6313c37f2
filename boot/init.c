/* The boot flow in C: from a running C environment to the first guest.
 * Each stage prints one line, so a boot log shows how far it got. */
#include "arch/debug.h"
#include "arch/el2_mmu.h"
#include "arch/entry.h"
#include "arch/firmware.h"
#include "arch/regs.h"
#include "arch/sysreg.h"
#include "arch/vtcr.h"
#include "arch/pmu.h"
#include "drivers/gic.h"
#include "drivers/uart.h"
#include "lib.h"
#include "lib/log.h"
#include "mm/page_alloc.h"
#include "arch/percpu.h"
#include "boot/boot.h"
#include "platform.h"
#include "platform_info.h"
#include "vm/exit/hypercall.h"
#include "vm/sched.h"
#include "vm/exit/trap.h"
#include "vm/dev/console.h"
#include "vm/dev/devices.h"
#include "vm/irq.h"
#include "vm/load.h"
#include "vm/vm.h"
#include "vm/vgic.h"

#define DTB_MAX_SIZE (8 * SZ_1M)

extern char _head[], _etext[], _erodata[], _end[]; /* linker.ld */

void aether_main(u64 dtb_pa, u64 secondary_pa);

static void __attribute__((noreturn)) fatal(const char *what)
{
	LOG("FATAL: %s; stopping", what);
	fw_system_off();
}

/* The DTB was refused: the message goes to the console when the DTB named
 * a UART we drive, and otherwise stays in the early buffer: nothing is
 * written to a UART address the DTB did not give. */
static void __attribute__((noreturn)) early_fatal(u64 dtb_pa, const char *why)
{
	char buf[320];
	int n = snprintf(buf, sizeof(buf), "aether: FATAL: DTB at 0x%lx rejected: %s\n",
			 (unsigned long)dtb_pa, why);
	console_write(buf, (size_t)MIN(n, (int)sizeof(buf) - 1));
	fw_system_off();
}

static void setup_el2_map(void)
{
	u64 img = (u64)(uintptr_t)_head, etext = (u64)(uintptr_t)_etext;
	u64 erodata = (u64)(uintptr_t)_erodata, end = (u64)(uintptr_t)_end;
	int ret = 0;

	for (u32 i = 0; i < plat.nr_ram && !ret; i++) {
		u64 b = pa_addr(plat.ram[i].base), e = b + plat.ram[i].size;
		if (img >= b && img < e) { /* RAM around the image stays RW-XN */
			ret = el2_map(pa_init(b), img - b, EL2_MAP_DATA);
			ret = ret ?: el2_map(pa_init(end), e - end, EL2_MAP_DATA);
		} else {
			ret = el2_map(pa_init(b), e - b, EL2_MAP_DATA);
		}
	}
	ret = ret ?: el2_map(pa_init(img), etext - img, EL2_MAP_TEXT);
	ret = ret ?: el2_map(pa_init(etext), erodata - etext, EL2_MAP_RODATA);
	ret = ret ?: el2_map(pa_init(erodata), end - erodata, EL2_MAP_DATA);
	ret = ret
		      ?: el2_map(pa_init(ALIGN_DOWN(pa_addr(plat.uart), PAGE_SIZE)),
				 ALIGN_UP(plat.uart_size + (pa_addr(plat.uart) & (PAGE_SIZE - 1)),
					  PAGE_SIZE),
				 EL2_MAP_DEVICE);
	ret = ret ?: el2_map(plat.gicd, MAX(plat.gicd_size, SZ_64K), EL2_MAP_DEVICE);
	if (plat.gic_version == 2) {
		ret = ret ?: el2_map(plat.gicc, plat.gicc_size, EL2_MAP_DEVICE);
		ret = ret ?: el2_map(plat.gich, plat.gich_size, EL2_MAP_DEVICE);
	} else {
		ret = ret ?: el2_map(plat.gicr, plat.gicr_size, EL2_MAP_DEVICE);
	}
	if (ret)
		fatal("cannot build the EL2 stage-1 map");
	el2_mmu_enable();
}

static bool overlaps(u64 b1, u64 s1, u64 b2, u64 s2)
{
	return b1 < b2 + s2 && b2 < b1 + s1;
}

/* Adds RAM minus the image, the DTB and reserved ranges to the allocator. */
static void add_free_range(u64 b, u64 e)
{
	u64 img = (u64)(uintptr_t)_head, end = (u64)(uintptr_t)_end;
	u64 dtb = ALIGN_DOWN(pa_addr(plat.dtb), PAGE_SIZE);
	u64 dtb_end = ALIGN_UP(pa_addr(plat.dtb) + plat.dtb_size, PAGE_SIZE);
	struct mem_range holes[MAX_RESERVED + 2];
	u32 n = 0;

	holes[n++] = (struct mem_range){pa_init(img), end - img};
	holes[n++] = (struct mem_range){pa_init(dtb), dtb_end - dtb};
	for (u32 i = 0; i < plat.nr_reserved; i++)
		holes[n++] = plat.reserved[i];
	b = ALIGN_UP(b, PAGE_SIZE);
	e = ALIGN_DOWN(e, PAGE_SIZE);
	for (u32 i = 0; i < n; i++) {
		u64 hb = ALIGN_DOWN(pa_addr(holes[i].base), PAGE_SIZE);
		u64 he = ALIGN_UP(pa_addr(holes[i].base) + holes[i].size, PAGE_SIZE);
		if (b < e && overlaps(b, e - b, hb, he - hb)) {
			if (hb > b)
				add_free_range(b, hb); /* the part below this hole */
			b = MAX(b, he);
		}
	}
	/* QEMU's -kernel writes its boot stub at the start of RAM, below the
	 * image: RAM below the image is never trusted to read as zero. */
	page_alloc_boot_zero(node_platform.boot_ram_zero && b >= end);
	if (b < e)
		page_alloc_add_region(pa_init(b), e - b);
}

static void setup_memory(void)
{
	page_alloc_init();
	if (node_platform.boot_ram_zero)
		LOG("RAM trusted to read as zero at boot (node boot_ram_zero): a VM's first "
		    "start zeroes only pages handed out before (and RAM below the image)");
	for (u32 i = 0; i < plat.nr_ram; i++)
		add_free_range(pa_addr(plat.ram[i].base),
			       pa_addr(plat.ram[i].base) + plat.ram[i].size);
}

static void setup_stage2(void)
{
	u32 parange = read_id_aa64mmfr0_el1() & MMFR0_PARANGE_MASK;

	if (vtcr_compute(parange, 0, &s2_config))
		fatal("cannot derive a Stage-2 configuration from ID_AA64MMFR0_EL1");
	write_vtcr_el2(s2_config.vtcr);
	LOG("[4/6] stage-2: PARange %u -> %u-bit IPA, start level %u, %u root page(s), "
	    "VTCR_EL2=0x%lx",
	    parange, s2_config.ipa_bits, s2_config.start_level, s2_config.root_pages,
	    (unsigned long)s2_config.vtcr);
}

/* This CPU's side of the GIC and the EL2 controls every CPU needs. */
static int setup_cpu(void)
{
	if (gic_init_cpu(read_mpidr_el1()))
		return -E_NOENT;
	gic_enable_ppi(INTID_KICK);
	gic_enable_ppi(plat.gic_maint_intid);
	gic_enable_ppi(plat.timer_virt_intid);
	gic_enable_ppi(plat.timer_hyp_intid);
	/* The IRQ short path writes GICv3 list registers (vm/irq.c). */
	this_cpu()->vtimer_intid = pa_addr(plat.gicr) ? plat.timer_virt_intid : 0;
	/* Debug register accesses trap until a vCPU arms them
	 * (vm/vcpu_debug.c); the PMU's last counter is the hypervisor's
	 * (arch/arm64/pmu.c). */
	write_mdcr_el2(MDCR_TDA | MDCR_TDOSA | MDCR_TDRA | pmu_reserve_el2_counter());
	arch_debug_init_cpu();
	write_vtcr_el2(s2_config.vtcr);
	write_hcr_el2(HCR_RW);
	isb();
	return 0;
}

/* The guests' device trees and vGICs were fixed at build time by the
 * description's platform: a host with the other GIC cannot run them. */
static void check_platform(void)
{
	char msg[200];

	if (node_platform.gic_version == plat.gic_version)
		return;
	snprintf(msg, sizeof(msg),
		 "this image was built for platform %s (GICv%u guests) but the machine has a "
		 "GICv%u at 0x%lx; rebuild with node { platform = %s }",
		 node_platform.name, node_platform.gic_version, plat.gic_version,
		 (unsigned long)pa_addr(plat.gicd),
		 plat.gic_version == 2 ? "virt-gicv2 or zcu102" : "virt");
	fatal(msg);
}

static void setup_interrupts(void)
{
	check_platform();
	if (gic_init() || setup_cpu())
		fatal(plat.gic_version == 2 ? "GICv2 initialisation failed"
					    : "GICv3 initialisation failed");
	vgic_nr_lrs = gic_nr_lrs();
	if (plat.uart_intid >= 32 && !irq_claim(plat.uart_intid, console_rx_irq)) {
		gic_enable_spi(plat.uart_intid, read_mpidr_el1());
		uart_console_set_rx_irq(true);
	}
}

static volatile bool vms_ready;

/* This CPU's first vCPU, or the end of the run if there is none. */
static void __attribute__((noreturn)) enter_guests(void)
{
	struct vcpu *v = sched_first();

	if (!v)
		el2_no_vm_left();
	guest_resume(v);
}

void secondary_main(u64 cpu);
void secondary_main(u64 cpu)
{
	struct percpu *pc = &percpu_data[cpu];

	write_tpidr_el2((u64)(uintptr_t)pc);
	el2_mmu_enable();
	if (setup_cpu()) {
		LOG("cpu %lu: no %s for MPIDR 0x%lx; staying off", (unsigned long)cpu,
		    plat.gic_version == 2 ? "GICv2 CPU interface number" : "redistributor",
		    (unsigned long)pc->mpidr);
		return;
	}
	__atomic_store_n(&pc->online, true, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&vms_ready, __ATOMIC_ACQUIRE))
		__asm__ volatile("wfe");
	enter_guests();
}

/* Starts the other CPUs through the firmware and waits (bounded) for each
 * to report in. */
static u32 start_secondaries(paddr_t entry)
{
	u32 online = 1, i = 1;

	if (!plat.psci) {
		if (plat.nr_cpus > 1)
			LOG("no /psci with the SMC conduit: the other %u CPU(s) stay off",
			    plat.nr_cpus - 1);
		return online;
	}

	/* Logical CPU 0 is the boot CPU; the others follow in DTB order. */
	for (u32 d = 0; d < plat.nr_cpus && i < MAX_CPUS; d++) {
		if (plat.cpu_mpidr[d] == percpu_data[0].mpidr)
			continue;
		percpu_data[i].cpu_id = i;
		percpu_data[i].mpidr = plat.cpu_mpidr[d];
		s64 r = fw_psci_cpu_on(plat.cpu_mpidr[d], entry, i);
		for (u64 spin = 0;
		     r == 0 && !__atomic_load_n(&percpu_data[i].online, __ATOMIC_ACQUIRE) &&
		     spin < 200000000;
		     spin++)
			;
		if (percpu_data[i].online)
			online++;
		else
			LOG("cpu %u (MPIDR 0x%lx) did not come up (PSCI %ld)", i,
			    (unsigned long)plat.cpu_mpidr[d], (long)r);
		i++;
	}
	return online;
}

/* "0 1": the physical CPU of each vCPU, for the VM's boot line. */
static const char *pinning_str(const struct vm_config *c, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (u32 i = 0; i < c->nr_vcpus && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, i ? " %u" : "%u", c->vcpu_cpu[i]);
	return buf;
}

static u32 create_vms(void)
{
	char pin[32];

	u32 ok = 0;

	for (u32 i = 0; i < nr_vm_configs && i < MAX_VMS; i++) {
		const struct vm_config *c = &vm_configs[i];
		struct vm *vm = &vms[nr_vms++];
		int ret = vm_create(vm, i, c);
		ret = ret ?: vm_devs_attach(vm);
		/* A deploy slot has no image until the management VM deploys one. */
		ret = ret ?: (c->slot ? 0 : vm_load(vm));
		if (ret) {
			LOG("vm %s: not started (error %d)", c->name, ret);
			vm->state = VM_ENDED;
			vm->end_reason = VM_END_FAULT;
			continue;
		}
		LOG("vm %s: VMID %u, %lu MiB RAM at PA 0x%lx -> IPA 0x%lx, %u vCPU(s) on CPU(s) "
		    "%s, Stage-2 tables %u page(s)",
		    c->name, vm->vmid, (unsigned long)(vm->ram_size >> 20),
		    (unsigned long)pa_addr(vm->ram_pa), (unsigned long)ipa_addr(vm->ram_ipa),
		    vm->nr_vcpus, pinning_str(c, pin, sizeof(pin)),
		    VM_PT_POOL_PAGES - pt_pool_free(&vm->pt_pool));
		ok++;
	}
	return ok;
}

static u64 total_ram(void)
{
	u64 t = 0;

	for (u32 i = 0; i < plat.nr_ram; i++)
		t += plat.ram[i].size;
	return t;
}

/* Entered at EL1 or EL3 (boot/head.S): the DTB is read only to find the
 * console, the refusal printed there, and the CPU stopped. */
void not_el2_main(u64 dtb_pa, u64 el);
void not_el2_main(u64 dtb_pa, u64 el)
{
	struct platform_info p;
	struct uart con;
	char err[8];

	platform_probe_console(pa_to_ptr(pa_init(dtb_pa)), DTB_MAX_SIZE, &p, &con, err,
			       sizeof(err));
	if (con.ops) {
		uart_console_start(&con);
		LOG("FATAL: not entered at EL2; refusing to continue. CurrentEL=%lu",
		    (unsigned long)el);
	}
}

/* The interrupt controller for the ready line. */
static const char *gic_desc(char *buf, size_t len)
{
	if (plat.gic_version == 2)
		snprintf(buf, len, "GICv2 dist 0x%lx cpu 0x%lx hyp 0x%lx vcpu 0x%lx",
			 (unsigned long)pa_addr(plat.gicd), (unsigned long)pa_addr(plat.gicc),
			 (unsigned long)pa_addr(plat.gich), (unsigned long)pa_addr(plat.gicv));
	else
		snprintf(buf, len, "GICv3 dist 0x%lx redist 0x%lx",
			 (unsigned long)pa_addr(plat.gicd), (unsigned long)pa_addr(plat.gicr));
	return buf;
}

void aether_main(u64 dtb_pa, u64 secondary_pa)
{
	char err[256], gic[96];
	struct uart con;
	u32 running, cpus;

	percpu_data[0].cpu_id = 0;
	percpu_data[0].mpidr = read_mpidr_el1() & MPIDR_AFF_MASK;
	percpu_data[0].online = true;
	write_tpidr_el2((u64)(uintptr_t)&percpu_data[0]);

	const void *dtb = pa_to_ptr(pa_init(dtb_pa));
	int ret = platform_probe_console(dtb, DTB_MAX_SIZE, &plat, &con, err, sizeof(err));
	if (con.ops)
		uart_console_start(&con);
	if (ret)
		early_fatal(dtb_pa, err);
	LOG("Aether EdgeCloud hypervisor, image at 0x%lx-0x%lx", (unsigned long)(uintptr_t)_head,
	    (unsigned long)(uintptr_t)_end);
	LOG("[1/6] reset: entered at EL2 with MMU and caches off, DAIF masked, DTB at 0x%lx",
	    (unsigned long)dtb_pa);
	LOG("console: %s UART at 0x%lx (%s)", plat.uart_driver, (unsigned long)pa_addr(plat.uart),
	    plat.uart_path);
	if (platform_probe(dtb, DTB_MAX_SIZE, &plat, err, sizeof(err)))
		early_fatal(dtb_pa, err);
	setup_el2_map();
	LOG("[2/6] early init: EL2 stack, CPTR_EL2=0x%lx, CNTHCTL_EL2=0x%lx, BSS cleared, EL2 MMU "
	    "on",
	    (unsigned long)read_cptr_el2(), (unsigned long)read_cnthctl_el2());
	if (!hcall_table_ok() || !sysreg_table_ok())
		fatal("trap tables are not sorted");
	hcall_fast_build();
	LOG("[3/6] vectors: VBAR_EL2=0x%lx (2 KiB aligned), trap tables checked",
	    (unsigned long)read_vbar_el2());
	setup_memory();
	setup_stage2();
	setup_interrupts();
	cpus = start_secondaries(pa_init(secondary_pa));
	running = create_vms();
	LOG("[5/6] ready: RAM %lu MiB in %u range(s), %lu KiB free; %u of %u CPU(s) online; %s "
	    "(%u list registers); UART %s 0x%lx; %u VM(s) configured, %u started",
	    (unsigned long)(total_ram() >> 20), plat.nr_ram,
	    (unsigned long)(page_free_count() * PAGE_SIZE >> 10), cpus, plat.nr_cpus,
	    gic_desc(gic, sizeof(gic)), gic_nr_lrs(), plat.uart_driver,
	    (unsigned long)pa_addr(plat.uart), nr_vm_configs, running);
	LOG("image checksum 0x%016lx (text and read-only data)", (unsigned long)image_checksum());
	LOG("[6/6] launching guests at EL1h (ERET)");
	__atomic_store_n(&vms_ready, true, __ATOMIC_RELEASE);
	__asm__ volatile("dsb ish; sev");
	enter_guests();
}
