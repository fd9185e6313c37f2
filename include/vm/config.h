/* A VM as described in a node configuration (a configs/ file).
 *
 * tools/vmconfig compiles a description into build/img/<config>/vms.c, which
 * defines vm_configs[] and nr_vm_configs; the images, initrds and device
 * trees it names are linked into the hypervisor image read-only.  EL2 never
 * parses the text format: everything here was checked at build time. */
#ifndef AETHER_VM_CONFIG_H
#define AETHER_VM_CONFIG_H

#include "types.h"

#define VM_NAME_MAX 32
#define VM_MAX_DEVICES 8
#define VM_MAX_IRQS_PER_DEVICE 4

enum vm_layout {
	VM_LAYOUT_VIRT = 0,	/* RAM at the QEMU virt base, IPA != PA */
	VM_LAYOUT_IDENTITY = 1, /* IPA == PA, for VMs given DMA-capable devices */
};

enum vm_on_exit {
	VM_ON_EXIT_OFF = 0,
	VM_ON_EXIT_RESTART = 1,
};

struct vm_device_config {
	u64 base; /* physical MMIO base, mapped at the same IPA */
	u64 size;
	u32 nr_irqs;
	u32 irqs[VM_MAX_IRQS_PER_DEVICE]; /* GIC INTIDs (SPIs) */
};

struct vm_blob {
	const u8 *data;
	u64 size;
};

struct vm_config {
	const char *name;
	u64 mem_size; /* bytes, multiple of 2 MiB */
	u64 ram_ipa;  /* guest RAM base IPA for VM_LAYOUT_VIRT */
	u32 nr_vcpus;
	u64 cpu_mask;	 /* physical CPUs the vCPUs may run on, bit n = CPU n */
	u32 vcpu_cpu[8]; /* pinning: physical CPU of each vCPU */
	enum vm_layout layout;
	enum vm_on_exit on_exit;
	bool management;
	bool slot;	       /* deploy slot: image {NULL, 0} until a deploy */
	struct vm_blob image;  /* kernel: arm64 Image, ELF64 or raw binary */
	struct vm_blob initrd; /* size 0 when absent */
	struct vm_blob dtb;    /* compiled guest device tree */
	u32 nr_devices;
	struct vm_device_config devices[VM_MAX_DEVICES];
};

/* node { platform = ... }: the machine the guests' device trees were built
 * for, and so the GIC the host must have (EL2 refuses any other at boot):
 * gic_version 3 gives every guest a vGICv3, 2 a vGICv2. */
struct node_platform {
	const char *name; /* "virt", "virt-gicv2", "zcu102" */
	u32 gic_version;
	/* node { boot_ram_zero = yes }: RAM nothing wrote before the
	 * hypervisor (QEMU -kernel), so a VM's first start skips zeroing the
	 * pages never handed out since boot (mm/page_alloc.c). */
	bool boot_ram_zero;
};

extern const struct node_platform node_platform;
extern const struct vm_config vm_configs[];
extern const u32 nr_vm_configs;

#endif
