/* The virtual GIC: a GICv3 (Arm IHI 0069; emulated distributor and
 * redistributors, vm/vgic/dist.c and redist.c) on a GICv3 host, a GICv2 (Arm
 * IHI 0048B; emulated distributor, vm/vgic/dist_v2.c, and the host's GICV
 * frame as the CPU interface) on a GICv2 host.  One interrupt model serves
 * both (vm/vgic/vgic.c), and interrupts are delivered through the list
 * registers (vm/vgic/lr.c, include/arch/gic_lr.h).
 *
 * One lock per VM (vgic.lock) covers the distributor and every vCPU's private
 * interrupts: guests touch the GIC rarely enough that finer locking would buy
 * nothing but bugs. */
#ifndef AETHER_VM_VGIC_H
#define AETHER_VM_VGIC_H

#include "spinlock.h"
#include "arch/gic_lr.h"
#include "arch/percpu.h"
#include "types.h"
#include "vm/mmio.h"

#define VGIC_NR_PRIVATE 32 /* SGIs 0-15, PPIs 16-31 */
#define VGIC_NR_SPIS 64	   /* SPIs 32-95 */
#define VGIC_NR_IRQS (VGIC_NR_PRIVATE + VGIC_NR_SPIS)
#define VGIC_MAX_LRS 16
#define VGIC_SPURIOUS 1023
#define VGIC_DIST_SIZE 0x10000UL
#define VGIC_REDIST_STRIDE 0x20000UL /* RD_base frame + SGI_base frame */
#define VGIC_V2_DIST_SIZE 0x1000UL   /* GICv2 distributor: one 4 KiB frame */
#define VGIC_V2_CPU_SIZE 0x2000UL    /* GICv2 CPU interface (GICV): GICC_DIR at 0x1000 */

/* State of one virtual interrupt, as the GIC architecture defines it. */
struct virq {
	u8 priority;
	bool enabled;
	bool pending; /* pending latch (edge, or software set via ISPENDR) */
	bool level;   /* line level of a level-sensitive interrupt */
	bool active;
	bool edge; /* ICFGR: 1 = edge-triggered */
	bool group1;
	bool hw;       /* backed by a physical interrupt (deactivated by the guest's EOI) */
	bool in_lr;    /* currently held in a list register of its target vCPU */
	bool lr_latch; /* its pending latch moved into that list register */
	u16 hw_intid;
	u64 irouter; /* SPIs: GICD_IROUTER value (affinity of the target vCPU) */
	/* vGICv2 only.  SGIs: the source vCPUs whose SGI is pending (bit n =
	 * vCPU n; `pending` is set exactly while any is), and the source of
	 * the one active.  SPIs: GICD_ITARGETSR, whose lowest vCPU is written
	 * into irouter, so routing is the same code for both versions. */
	u8 sgi_src;
	u8 sgi_act_src;
	u8 targets;
};

struct vgic_cpu {
	struct virq priv[VGIC_NR_PRIVATE];
	u32 gicr_ctlr;
	bool sleeping; /* GICR_WAKER.ProcessorSleep */
	/* Shadow of the list registers while the vCPU is not running. */
	u64 lr[VGIC_MAX_LRS];
	/* lr_used and dirty as one word, for the virtual timer's short path
	 * (both zero: nothing in the list registers, nothing to rebuild). */
	union {
		u64 lr_busy;
		struct {
			u32 lr_used;  /* bitmap of LRs holding an interrupt */
			bool dirty;   /* model changed since the last flush (set by vcpu_kick) */
			u8 lr_pad[3]; /* never written: zero */
		};
	};
	u64 fast_injected; /* timer interrupts the short path placed (vgic_vtimer_place) */
	/* Private interrupts that may be pending, level-high or active (a
	 * superset, trimmed lazily), so the hot paths visit only those. */
	u32 cand;
	/* Private interrupts linked to a physical one (vgic_map_hw): the
	 * ones a switch-out may have to deactivate. */
	u32 hw_priv;
};

struct vgic_dist {
	spinlock_t lock;
	bool v2; /* a virtual GICv2: set by vm_create, kept across vgic_init */
	u32 ctlr;
	struct virq spi[VGIC_NR_SPIS];
	u64 cand_spi; /* as vgic_cpu.cand, for SPIs (bit n = INTID 32 + n) */
};

struct vm;
struct vcpu;

void vgic_init(struct vm *vm);
/* Notes that intid may have become pending or active (lock held). */
static inline void vgic_mark(struct vgic_dist *d, struct vgic_cpu *c, u32 intid)
{
	if (intid < VGIC_NR_PRIVATE)
		c->cand |= 1u << intid;
	else if (intid < VGIC_NR_IRQS)
		d->cand_spi |= 1UL << (intid - VGIC_NR_PRIVATE);
}
extern const struct mmio_ops vgic_dist_ops;    /* dev = struct vm * */
extern const struct mmio_ops vgic_redist_ops;  /* dev = struct vm *; frame n = vCPU n */
extern const struct mmio_ops vgic_dist_v2_ops; /* dev = struct vm *; a vGICv2 VM's GICD */

/* The virq for intid as seen by vCPU v (private ones are per vCPU); NULL when
 * out of range. Caller holds the VM's vgic lock. */
struct virq *vgic_get_irq(struct vm *vm, struct vcpu *v, u32 intid);
/* The vCPU an interrupt is delivered to: v for private ones, the IROUTER
 * target for SPIs (NULL if it names no vCPU of this VM). */
struct vcpu *vgic_target(struct vm *vm, struct vcpu *v, u32 intid);
/* An interrupt the guest should see as pending (and enabled, group 1, the
 * distributor enabled): the thing that makes a WFI end and an LR fill. */
bool vgic_irq_deliverable(const struct vm *vm, const struct virq *irq);

/* Raises (level=true) or lowers a level-sensitive line, or latches an edge.
 * Kicks the target vCPU's CPU when the interrupt becomes deliverable. */
void vgic_set_level(struct vm *vm, struct vcpu *v, u32 intid, bool level);
void vgic_inject_edge(struct vm *vm, struct vcpu *v, u32 intid);
/* Latches a hardware-backed interrupt (vm/vgic/lr.c): the physical one
 * stays active until the guest deactivates the virtual one. */
void vgic_inject_hw(struct vm *vm, struct vcpu *v, u32 intid);
/* The sampled line of v's hardware-linked private interrupt intid, on v's
 * own CPU (vm/vgic/lr.c): the pending state follows it, and a dropped line
 * releases the physical interrupt EL2 held active. */
void vgic_hw_line(struct vcpu *v, u32 intid, bool level);
/* The virtual timer's short path on v's own CPU, without the vGIC lock
 * (vgic_vtimer_place in vm/vgic_fast.h).  vgic_vtimer_place: its physical PPI fired and
 * nothing else is in flight for v: list register 0 now holds it with the
 * HW bit and this CPU's vtimer_lr says so (the model is not told); false,
 * nothing changed, when the general path must place it.  vgic_vtimer_reclaim:
 * with vtimer_lr set, true once the guest has completed it (list register 0
 * free again, vtimer_lr clear); false while it is still pending or active.
 * Any general path first folds it into the model (vgic_sync_lrs). */
/* Inline: it runs on every exit while the timer sits there.  Invalid
 * (neither pending nor active) means the guest deactivated it, and with
 * HW = 1 the physical PPI with it; a line still high makes that PPI pending
 * again, and it comes back through vgic_vtimer_place, so the line need not
 * be looked at here.  An invalid list register is free as it is. */
static inline bool vgic_vtimer_reclaim(void)
{
	if (arch_read_lr0_v3() & (ICH_LR_PENDING | ICH_LR_ACTIVE))
		return false;
	this_cpu()->vtimer_lr = false;
	return true;
}
/* Marks intid of vCPU v as backed by physical interrupt hw_intid. */
void vgic_map_hw(struct vcpu *v, u32 intid, u32 hw_intid);
/* Drops everything v had in the list registers of this CPU and releases
 * physical interrupts it held active (the vCPU is stopping). */
void vgic_vcpu_stop(struct vcpu *v);
extern u32 vgic_nr_lrs;
/* Guest write of ICC_SGI1R_EL1 (trapped). */
void vgic_sgi1r_write(struct vcpu *v, u64 val);
/* True when v has an interrupt it could take (WFI must not sleep). */
bool vgic_vcpu_has_pending(struct vcpu *v);

/* List-register management around guest entry/exit (vm/vgic/lr.c). */
void vgic_flush_lrs(struct vcpu *v); /* before entering the guest */
void vgic_sync_lrs(struct vcpu *v);  /* after it exits */

#endif
