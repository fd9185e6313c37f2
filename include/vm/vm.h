#ifndef AETHER_VM_VM_H
#define AETHER_VM_VM_H

#include "mm/pool.h"
#include "mm/stage2.h"
#include "types.h"
#include "vm/config.h"
#include "vm/mmio.h"
#include "vm/vcpu.h"
#include "vm/vdev.h"
#include "lib/log.h"
#include "spinlock.h"
#include "vm/vgic.h"

#define MAX_VMS 16
#define MAX_VCPUS_PER_VM 8
#define VM_PT_POOL_PAGES 64 /* Stage-2 table pages a VM may ever use */

enum vm_state {
	VM_EMPTY = 0,
	VM_RUNNING,
	VM_ENDED,
	VM_RESETTING, /* vCPUs being stopped on every CPU before a restart */
};

/* Why a VM stopped running: printed in the shutdown summary. */
enum vm_end_reason {
	VM_END_NONE = 0,
	VM_END_POWEROFF,     /* PSCI SYSTEM_OFF */
	VM_END_RESET,	     /* PSCI SYSTEM_RESET with on_exit=off */
	VM_END_FAULT,	     /* terminated by the hypervisor */
	VM_END_ALL_CPUS_OFF, /* CPU_OFF of its last vCPU */
	VM_END_KILLED,	     /* hard-terminated through the management interface */
};

struct vm {
	u32 id;
	const struct vm_config *cfg;
	enum vm_state state;
	enum vm_end_reason end_reason;
	u16 vmid;
	struct s2_pgtable s2;
	struct pt_pool pt_pool;
	ipaddr_t ram_ipa;
	paddr_t ram_pa;
	u64 ram_size;
	bool ram_zeroed; /* RAM fresh from page_alloc_contig (zeroed), not yet loaded */
	ipaddr_t dtb_ipa;
	u32 nr_vcpus;
	struct vcpu vcpus[MAX_VCPUS_PER_VM];
	struct mmio_region mmio[VM_MAX_MMIO_REGIONS];
	u32 nr_mmio;
	struct vgic_dist vgic;
	spinlock_t lock; /* vCPU power states and the VM's lifecycle */
	struct ratelimit log_rl;
	u32 restarts;
	u32 quick_restarts; /* consecutive restarts after runs shorter than 1 s */
	u64 started_at;	    /* CNTPCT when this run began */
	u64 restart_at;	    /* RESETTING: CNTPCT at which to start again */
	bool start_fresh;   /* the pending (re)load is a start: not counted as a restart */
	/* What vm_load loads: the description's image, or for a deploy slot
	 * the deployed one (then ram_size is the part the guest sees). */
	struct vm_blob image, initrd;
	const char *bootargs; /* NULL: the device tree's own */
	u64 s2_faults;	      /* Stage-2 aborts but completed MMIO (vcpu exits[]) */
	u64 irqs_injected;    /* virtual interrupts placed in list registers */
	/* Virtual devices attached from the description (include/vm/vdev.h). */
	u32 nr_devs;
	u32 dev_mem_used;
	struct vm_dev_slot devs[VM_MAX_DEVS];
	u8 dev_mem[VM_DEV_MEM] __attribute__((aligned(16)));
};

extern struct vm vms[MAX_VMS];
extern u32 nr_vms;

/* Sets up the VM from its description (memory, Stage-2, vCPUs, vGIC,
 * passthrough); devices are attached and the image loaded afterwards. */
int vm_create(struct vm *vm, u32 id, const struct vm_config *cfg);
const char *vm_end_reason_str(enum vm_end_reason why);

/* Guest-triggered log line: rate-limited per VM and prefixed with its name. */
#define vm_log(vm, fmt, ...)                                                                    \
	do {                                                                                    \
		if (ratelimit_allow(&(vm)->log_rl))                                             \
			log_printf("aether: vm %s: " fmt "\n", (vm)->cfg->name, ##__VA_ARGS__); \
	} while (0)

/* The VM's exits of one kind: the sum of its vCPUs' counts, with the IRQ
 * exits the timer's short path completed (one placement each: its
 * vgic.fast_injected, folded into exits[] when the vGIC is reset). */
static inline u64 vm_exits(const struct vm *vm, enum exit_kind k)
{
	u64 n = 0;

	for (u32 i = 0; i < vm->nr_vcpus; i++)
		n += vm->vcpus[i].exits[k] + (k == EXIT_IRQ ? vm->vcpus[i].vgic.fast_injected : 0);
	return n;
}

#endif
