/* What the hypervisor learned from the DTB it was booted with. */
#ifndef AETHER_PLATFORM_INFO_H
#define AETHER_PLATFORM_INFO_H

#include "arch/percpu.h"
#include "types.h"

#define MAX_RAM_REGIONS 8
#define MAX_RESERVED 16

struct mem_range {
	paddr_t base;
	u64 size;
};

struct platform_info {
	struct mem_range ram[MAX_RAM_REGIONS];
	u32 nr_ram;
	struct mem_range reserved[MAX_RESERVED]; /* /memreserve/ and reserved-memory */
	u32 nr_reserved;
	u64 cpu_mpidr[MAX_CPUS];
	u32 nr_cpus;
	paddr_t uart; /* the console (boot/platform_console.c) */
	u64 uart_size;
	u32 uart_intid;
	const char *uart_driver; /* "pl011", "16550", "cadence" */
	char uart_path[64];	 /* its DTB node, for the boot log */
	/* Interrupt controller (boot/platform_gic.c): gic_version 3 with a
	 * distributor and redistributors, or 2 with the distributor, the CPU
	 * interface and the virtualization frames (GICH, GICV). */
	u32 gic_version;
	paddr_t gicd;
	u64 gicd_size;
	paddr_t gicr;
	u64 gicr_size;
	paddr_t gicc, gich, gicv;
	u64 gicc_size, gich_size, gicv_size;
	u32 gic_maint_intid; /* virtual interface maintenance interrupt */
	u32 timer_hyp_intid;
	u32 timer_virt_intid;
	bool psci; /* /psci with the SMC conduit: secondaries can be started */
	paddr_t dtb;
	u64 dtb_size;
};

/* Defined in drivers/machine.c, filled by boot/platform.c. */
extern struct platform_info plat;

#endif
