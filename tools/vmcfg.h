/* Parser and validator for node VM descriptions (configs/NAME.cfg).
 *
 * The parser is pure so that a fuzzer can drive it: it reads only the buffer
 * it is handed and learns about image files only through the caller's
 * file_size callback.  tools/vmconfig.c does the real I/O and turns the
 * filled-in struct vmcfg into sources for the EL2 image.
 *
 * This header is host-only and deliberately does not include the EL2
 * headers: the limits below mirror include/vm/config.h, and the generated
 * vms.c is compiled against the real struct, so a mismatch fails the build.
 * The management ABI (plain <stdint.h> C) is included: the management
 * device's placement and the deploy limits come from there, not copies. */
#ifndef AETHER_TOOLS_VMCFG_H
#define AETHER_TOOLS_VMCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aether_mgmt_abi.h"

#define VMCFG_MAX_VMS 16
#define VMCFG_MAX_VCPUS 8      /* vcpu_cpu[8] in struct vm_config */
#define VMCFG_MAX_DEVICES 8    /* VM_MAX_DEVICES */
#define VMCFG_MAX_IRQS 4       /* VM_MAX_IRQS_PER_DEVICE */
#define VMCFG_NAME_MAX 32      /* VM_NAME_MAX, including the NUL */
#define VMCFG_PATH_MAX 256     /* including the NUL */
#define VMCFG_BOOTARGS_MAX 512 /* characters, excluding the NUL */
/* A slot's bootargs property is patched at deploy, in place, so the build
 * pads it to MGMT_BOOTARGS_MAX bytes: its default must leave room for the NUL. */
#define VMCFG_SLOT_BOOTARGS_MAX (MGMT_BOOTARGS_MAX - 1)
#define VMCFG_ERR_MAX 512
#define VMCFG_MAX_NODE_CPUS 64 /* cpu_mask is a u64 */

#define VMCFG_RAM_IPA 0x40000000ULL	 /* QEMU virt RAM base */
#define VMCFG_HYP_RESERVED (64ULL << 20) /* node RAM the hypervisor keeps */
#define VMCFG_MEM_ALIGN (2ULL << 20)	 /* stage-2 block size */
#define VMCFG_MEM_LIMIT (1ULL << 40)	 /* per VM; keeps sums far from overflow */
#define VMCFG_PA_LIMIT (1ULL << 48)	 /* devices must be addressable */
#define VMCFG_PAGE_SIZE 0x1000ULL
#define VMCFG_VIRTIO_SIZE 0x200ULL /* one virtio-mmio transport */

#define VMCFG_UART_INTID 33 /* SPI 1: the hypervisor's own console */
#define VMCFG_SPI_MIN 32
#define VMCFG_SPI_MAX 1019

#define VMCFG_DEFAULT_BOOTARGS "console=ttyAMA0"

enum vmcfg_layout {
	VMCFG_LAYOUT_VIRT = 0,
	VMCFG_LAYOUT_IDENTITY = 1,
};

/* node { platform = ... }: the machine the image is built for, which fixes
 * the host interrupt controller and so the virtual one every guest gets. */
enum vmcfg_platform {
	VMCFG_PLATFORM_VIRT = 0,       /* QEMU virt, GICv3: guests get a vGICv3 */
	VMCFG_PLATFORM_VIRT_GICV2 = 1, /* QEMU virt,gic-version=2: a vGICv2 */
	VMCFG_PLATFORM_ZCU102 = 2,     /* Xilinx ZCU102 (GIC-400): a vGICv2 */
};

enum vmcfg_on_exit {
	VMCFG_ON_EXIT_OFF = 0,
	VMCFG_ON_EXIT_RESTART = 1,
};

/* Keys of a vm block; index into vmcfg_vm.key_line. */
enum vmcfg_key {
	VMCFG_KEY_IMAGE,
	VMCFG_KEY_MEMORY,
	VMCFG_KEY_VCPUS,
	VMCFG_KEY_CPUS,
	VMCFG_KEY_LAYOUT,
	VMCFG_KEY_INITRD,
	VMCFG_KEY_BOOTARGS,
	VMCFG_KEY_ON_EXIT,
	VMCFG_KEY_MANAGEMENT,
	VMCFG_KEY_SLOT,
	VMCFG_KEY_DEVICE,
	VMCFG_NR_KEYS,
};

struct vmcfg_blob {
	char path[VMCFG_PATH_MAX]; /* "" when absent (initrd only) */
	uint64_t size;		   /* bytes, from the file_size callback */
};

struct vmcfg_device {
	uint64_t base;
	uint64_t size;
	uint64_t virtio_base; /* virtio = ...: the transport's address; 0 otherwise */
	uint32_t nr_irqs;
	uint32_t irqs[VMCFG_MAX_IRQS];
	int line;
};

struct vmcfg_vm {
	char name[VMCFG_NAME_MAX];
	int line;		     /* of the 'vm' header */
	int key_line[VMCFG_NR_KEYS]; /* 0 = key not given */
	struct vmcfg_blob image;     /* path "" for a slot */
	struct vmcfg_blob initrd;
	uint64_t mem_size;
	uint32_t nr_vcpus;
	uint32_t nr_cpus; /* entries given in 'cpus' */
	uint32_t cpus[VMCFG_MAX_VCPUS];
	uint32_t vcpu_cpu[VMCFG_MAX_VCPUS]; /* resolved pinning */
	uint64_t cpu_mask;
	enum vmcfg_layout layout;
	enum vmcfg_on_exit on_exit;
	bool management;
	bool slot; /* deploy slot: no image at boot */
	char bootargs[VMCFG_BOOTARGS_MAX + 1];
	uint32_t nr_devices;
	struct vmcfg_device devices[VMCFG_MAX_DEVICES];
};

struct vmcfg {
	uint32_t node_cpus; /* default 1 */
	uint64_t node_mem;  /* 0: not given, total VM memory unchecked */
	int node_line;	    /* 0: no node block */
	int node_cpus_line;
	int node_mem_line;
	enum vmcfg_platform platform; /* default virt */
	int node_platform_line;
	bool boot_ram_zero; /* RAM reads as zero at boot (QEMU direct boot) */
	int node_boot_ram_zero_line;
	uint32_t nr_vms;
	struct vmcfg_vm vms[VMCFG_MAX_VMS];
	char err[VMCFG_ERR_MAX];
};

/* Reports whether path names an existing file: returns 0 and sets *size, or
 * nonzero when it does not exist or cannot be read. */
typedef int (*vmcfg_file_size_fn)(void *ctx, const char *path, uint64_t *size);

/* Parses and validates len bytes of buf (need not be NUL-terminated); file
 * names the source in messages.  Returns NULL on success, else cfg->err,
 * which reads "file:line: vm 'name': problem". */
const char *vmcfg_parse(struct vmcfg *cfg, const char *file, const char *buf, size_t len,
			vmcfg_file_size_fn file_size, void *ctx);

/* "virt", "virt-gicv2", "zcu102", and the GIC version each has (3 or 2). */
const char *vmcfg_platform_name(enum vmcfg_platform p);
unsigned int vmcfg_platform_gic(enum vmcfg_platform p);

/* Formats a byte count the way the config spells it ("16M", "1G", "4097"). */
void vmcfg_fmt_size(char *out, size_t n, uint64_t bytes);

#endif
