/* libFuzzer harness for the virtual GICv2 (vm/vgic/dist_v2.c over the shared
 * model in vm/vgic/vgic.c) and its list registers (vm/vgic/lr.c, converted
 * with arch/arm64/gic_lr_v2.c as a GICv2 host holds them) on a 3-vCPU VM.
 *
 * Input: up to 96 commands, each an opcode byte and its operands:
 *   - an MMIO access to the distributor through mmio_access_region() by
 *     vCPU 0-2 or a vCPU of another VM: read or write, size 1/2/4/8, offset
 *     random or aimed at a register (SGIR, C/SPENDSGIR, ITARGETSR, banks),
 *     any value;
 *   - vgic_set_level / vgic_inject_edge on INTIDs up to 127;
 *   - a guest entry and exit of vCPU 0-2: vgic_flush_lrs, then each list
 *     register acknowledged, completed, or left as the guest might (in the
 *     GICH_LR layout, with any state and source bits), then vgic_sync_lrs.
 *
 * After every command:
 *   - the lock is free and no kick was made with it held or to a vCPU of
 *     another VM;
 *   - SGIs: pending exactly while a source is recorded, sources and the
 *     active source only vCPUs of the VM, edge-triggered;
 *   - SPIs: ITARGETSR names only existing vCPUs and the route is its lowest
 *     (or nobody when it names none);
 *   - registers of INTIDs from 96 up, and reserved offsets, read 0;
 *   - GICD_CTLR holds only EnableGrp0/1; TYPER, IIDR and PIDR2 keep their
 *     values; priorities have their low 3 bits clear;
 *   - list registers: at most one per interrupt, none for an interrupt not
 *     marked in_lr, each SGI's source a vCPU of the VM;
 *   - the vCPUs past the VM's and the other VM are untouched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/gic_lr.h"
#include "arch/percpu.h"
#include "vm/vgic.h"
#include "vm/vm.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/host/fake_vgic_env.c */
void fake_kick_reset(void);
unsigned fake_kick_locked(void);
unsigned fake_kick_foreign(void);

#define NO_COV __attribute__((no_sanitize("coverage")))
#define NR 3
#define MAX_CMDS 96
#define BASE 0x08000000UL

static u64 lrs[GIC_MAX_LRS];
struct percpu percpu_data[MAX_CPUS];

u64 arch_read_lr(u32 n)
{
	return n < GIC_MAX_LRS ? lrs[n] : 0;
}
void arch_write_lr(u32 n, u64 val)
{
	/* What a GICv2's GICH_LR keeps of it. */
	if (n < GIC_MAX_LRS)
		lrs[n] = gic_lr_from_v2(gic_lr_to_v2(val));
}
void arch_gic_hcr_write(u64 val)
{
}
void gic_deactivate(u32 token)
{
}
struct percpu *this_cpu(void)
{
	return &percpu_data[0];
}

static struct vm vm, other;
static struct vm pristine_other;

static void vm_setup(struct vm *m, u32 nr)
{
	memset(m, 0, sizeof(*m));
	m->nr_vcpus = nr;
	m->vgic.v2 = true;
	for (u32 i = 0; i < MAX_VCPUS_PER_VM; i++) {
		m->vcpus[i].vm = m;
		m->vcpus[i].id = i;
	}
	vgic_init(m);
}

static NO_COV u64 rd(u32 n, u64 off, unsigned size)
{
	struct mmio_region r = {.base = ipa_init(BASE),
				.size = vgic_dist_v2_ops.impl_size,
				.ops = &vgic_dist_v2_ops,
				.dev = &vm};
	struct mmio_access acc = {.ipa = ipa_init(BASE + off), .size = (u8)size};
	u64 v = 0;

	FUZZ_ASSERT(mmio_access_region(&r, &vm.vcpus[n], &acc, &v) == MMIO_DONE);
	return v;
}

static u64 aimed_offset(struct input *in)
{
	static const u64 regs[] = {0x000, 0x004, 0x008, 0x080, 0x100, 0x180, 0x200, 0x280,
				   0x300, 0x380, 0x400, 0x800, 0xc00, 0xf00, 0xf10, 0xf20};
	u64 sel = take(in, 1), r = regs[sel % ARRAY_SIZE(regs)];

	return r + (take(in, 1) & 0x7c) + (sel & 0x80 ? take(in, 1) & 3 : 0);
}

static void cmd_mmio(struct input *in)
{
	u8 op = (u8)take(in, 1);
	unsigned size = 1u << (op & 3);
	u64 off = op & 4 ? aimed_offset(in) : take(in, 2) & 0x1fff;
	u64 val = take(in, 8);
	u32 who = (op >> 4) % 4;
	struct vcpu *v = who < NR ? &vm.vcpus[who] : &other.vcpus[0];
	struct mmio_region r = {.base = ipa_init(BASE),
				.size = vgic_dist_v2_ops.impl_size,
				.ops = &vgic_dist_v2_ops,
				.dev = &vm};
	struct mmio_access acc = {
		.ipa = ipa_init(BASE + off), .size = (u8)size, .write = (op & 8) != 0};

	(void)mmio_access_region(&r, v, &acc, &val);
}

/* The guest's side of the list registers between an entry and an exit. */
static void cmd_run(struct input *in)
{
	u32 n = (u32)(take(in, 1) % NR);
	struct vcpu *v = &vm.vcpus[n];

	v->vgic.dirty = true; /* as vcpu_load and vcpu_kick leave it */
	vgic_flush_lrs(v);
	/* The hardware changes only the State field (IHI 0048B 5.3.11). */
	for (u32 i = 0; i < vgic_nr_lrs; i++) {
		u32 g = gic_lr_to_v2(lrs[i]), state = (g >> 28) & 3;
		switch (take(in, 1) % 4) {
		case 0: break;				      /* untouched */
		case 1: state = state & 1 ? 2 : state; break; /* acknowledged */
		case 2: state &= 1; break;		      /* completed */
		default: state = 0; break;		      /* both */
		}
		g = (g & ~(3u << 28)) | state << 28;
		if (v->vgic.lr_used & BIT(i))
			lrs[i] = gic_lr_from_v2(g);
	}
	vgic_sync_lrs(v);
}

static NO_COV void check_irq(u32 n, u32 intid, const struct virq *q)
{
	u8 mask = (u8)(BIT(NR) - 1);

	FUZZ_ASSERT((q->priority & 7) == 0);
	if (intid < 16) {
		FUZZ_ASSERT(q->edge);
		FUZZ_ASSERT((q->sgi_src & ~mask) == 0);
		FUZZ_ASSERT(q->sgi_act_src < NR);
		FUZZ_ASSERT(q->pending == (q->sgi_src != 0));
	}
	if (intid >= 32) {
		FUZZ_ASSERT((q->targets & ~mask) == 0);
		if (q->targets)
			FUZZ_ASSERT(vgic_target(&vm, NULL, intid) ==
				    &vm.vcpus[__builtin_ctz(q->targets)]);
	}
	(void)n;
}

static NO_COV void check_lrs(void)
{
	for (u32 n = 0; n < NR; n++)
		FUZZ_ASSERT(vm.vcpus[n].vgic.lr_used == 0); /* synced on every exit */
	for (u32 i = 0; i < GIC_MAX_LRS; i++)
		FUZZ_ASSERT(lrs[i] == 0);
}

static NO_COV void check(void)
{
	FUZZ_ASSERT(vm.vgic.lock.next == vm.vgic.lock.owner);
	FUZZ_ASSERT(fake_kick_locked() == 0);
	FUZZ_ASSERT(fake_kick_foreign() == 0);
	FUZZ_ASSERT((vm.vgic.ctlr & ~3u) == 0);
	for (u32 n = 0; n < NR; n++)
		for (u32 i = 0; i < VGIC_NR_PRIVATE; i++)
			check_irq(n, i, &vm.vcpus[n].vgic.priv[i]);
	for (u32 i = 0; i < VGIC_NR_SPIS; i++)
		check_irq(0, 32 + i, &vm.vgic.spi[i]);
	check_lrs();
	FUZZ_ASSERT(rd(0, 0x004, 4) == (2 | (NR - 1) << 5));
	FUZZ_ASSERT(rd(1, 0x008, 4) == 0xae001000u);
	FUZZ_ASSERT(rd(2, 0xfe8, 4) == 0x2b);
	FUZZ_ASSERT(rd(0, 0x10c, 4) == 0 && rd(1, 0x20c, 4) == 0 && rd(2, 0x460, 4) == 0);
	FUZZ_ASSERT(rd(0, 0x860, 4) == 0 && rd(1, 0xc18, 4) == 0 && rd(0, 0xe00, 4) == 0);
	FUZZ_ASSERT(rd(1, 0x800, 4) == 0x02020202);
	FUZZ_ASSERT(memcmp(&other, &pristine_other, sizeof(other)) == 0);
	for (u32 n = NR; n < MAX_VCPUS_PER_VM; n++)
		for (u32 i = 0; i < VGIC_NR_PRIVATE; i++)
			FUZZ_ASSERT(!vm.vcpus[n].vgic.priv[i].pending &&
				    !vm.vcpus[n].vgic.priv[i].enabled);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};

	vm_setup(&vm, NR);
	vm_setup(&other, 1);
	memcpy(&pristine_other, &other, sizeof(other));
	memset(lrs, 0, sizeof(lrs));
	vgic_nr_lrs = 4;
	fake_kick_reset();
	for (int c = 0; c < MAX_CMDS && in.n; c++) {
		u8 op = (u8)take(&in, 1);
		u32 intid = (u32)take(&in, 1) & 0x7f;
		switch (op % 8) {
		case 0:
		case 1:
		case 2:
		case 3: cmd_mmio(&in); break;
		case 4: cmd_run(&in); break;
		/* Devices drive PPIs and SPIs; SGIs come only from SGIR. */
		case 5:
			vgic_set_level(&vm, &vm.vcpus[op / 8 % NR], intid < 16 ? 16 : intid,
				       op & 0x80);
			break;
		case 6:
			vgic_inject_edge(&vm, &vm.vcpus[op / 8 % NR], intid < 16 ? 16 : intid);
			break;
		default: cmd_run(&in); break;
		}
		check();
	}
	return 0;
}
