/* What the hypervisor learned from the DTB it was booted with. */
#ifndef AETHER_PLATFORM_INFO_H
#define AETHER_PLATFORM_INFO_H

#include "percpu.h"
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
	paddr_t uart;
	u32 uart_intid;
	paddr_t gicd;
	paddr_t gicr;
	u64 gicr_size;
	u32 timer_hyp_intid;
	u32 timer_virt_intid;
	paddr_t dtb;
	u64 dtb_size;
};

extern struct platform_info plat;

/* FNV-1a of the hypervisor's text and read-only data (boot/init.c). */
u64 image_checksum(void);

/* Fills *p from the DTB at dtb; returns 0 or a negative error after
 * writing a message naming the problem into err. */
int platform_probe(const void *dtb, u64 max_size, struct platform_info *p, char *err,
		   size_t errlen);

#endif
