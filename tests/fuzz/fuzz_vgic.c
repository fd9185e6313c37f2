/* libFuzzer harness for the virtual GICv3 (vm/vgic/vgic.c, vm/vgic/dist.c,
 * vm/vgic/redist.c) on a 3-vCPU VM.
 *
 * Input: a byte choosing a starting state (distributor on, interrupts
 * enabled, routed, edge, held in list registers, pending, prioritised,
 * active: any mix, each built through checked register writes), then up to
 * 64 commands, each an opcode byte and its operands:
 *   - an MMIO access to the distributor or a redistributor frame pair
 *     through mmio_access_region(): read or write, size 1/2/4/8, offset
 *     random or aimed near a register, any value;
 *   - vgic_set_level / vgic_inject_edge (INTIDs up to 127; vCPU 0-2, a vCPU
 *     outside the VM, or NULL);
 *   - vgic_sgi1r_write from vCPU 0-2 or an outsider, with the affinity
 *     fields often cleared so targets exist;
 *   - setting or clearing in_lr on an interrupt, as the list-register code
 *     would;
 *   - an access to a redistributor frame past the last vCPU, directly
 *     through the ops.
 *
 * A reference model written here from IHI 0069H (fields, RAZ/WI rules,
 * access sizes, affinity decoding) runs beside it.  After every command:
 *   - the vGIC model equals the reference, field by field, for the VM's
 *     vCPUs and SPIs; the other vCPUs' state is untouched;
 *   - a read returned what the reference predicts, and changed nothing;
 *   - the MMIO layer result is the one the size and alignment dictate;
 *   - priorities have their low 3 bits clear, only SPIs have an IROUTER,
 *     SGIs are edge and PPIs level, in_lr is whatever the harness set;
 *   - vgic_irq_deliverable and vgic_vcpu_has_pending agree with the
 *     reference for every interrupt and vCPU;
 *   - the kicked vCPUs are exactly those an interrupt started needing a list
 *     register on (deliverable, or active outside an LR) or whose in-LR
 *     interrupt changed, each once, never with the lock held;
 *   - the lock is free. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm/vgic.h"
#include "vm/vm.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/host/fake_vgic_env.c */
void fake_kick_reset(void);
unsigned fake_kick_total(void);
u32 fake_kick_mask(void);
unsigned fake_kick_locked(void);
unsigned fake_kick_foreign(void);

/* The checking code is not what is being explored: no coverage feedback
 * (and no comparison tracing, which would dominate the run time). */
#define NO_COV __attribute__((no_sanitize("coverage")))

#define NR 3
#define FRAME 0x20000UL
#define MAX_CMDS 64
#define IIDR 0xae001000u
#define TYPER 0x01480002u
#define IROUTER_MASK 0xff80ffffffUL

/* ---------------------------------------------------------------- reference */

struct rirq {
	u8 prio;
	bool en, pend, lvl, act, edge, g1, inlr;
	u64 irouter;
};

struct ref {
	u32 ctlr;
	bool sleep[NR];
	struct rirq priv[NR][32];
	struct rirq spi[64];
};

static struct vm vm;
static struct ref ref;
static struct vgic_cpu idle_cpu[MAX_VCPUS_PER_VM]; /* vCPUs 3-7 after init */
static const u8 ids[12] = {0x44, 0, 0, 0, 0xae, 0xb0, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1};

static void ref_init(void)
{
	memset(&ref, 0, sizeof(ref));
	ref.ctlr = 0x50;
	for (u32 n = 0; n < NR; n++) {
		ref.sleep[n] = true;
		for (u32 i = 0; i < 32; i++)
			ref.priv[n][i] = (struct rirq){.edge = i < 16, .g1 = true};
	}
	for (u32 i = 0; i < 64; i++)
		ref.spi[i] = (struct rirq){.g1 = true};
}

/* cpu < 0: no vCPU (or one outside the VM). */
NO_COV static struct rirq *ref_irq(struct ref *r, int cpu, u32 intid)
{
	if (intid < 32)
		return cpu >= 0 && cpu < NR ? &r->priv[cpu][intid] : NULL;
	return intid < 96 ? &r->spi[intid - 32] : NULL;
}

NO_COV static int ref_target(const struct ref *r, int cpu, u32 intid)
{
	u64 ir;

	if (intid < 32)
		return cpu;
	ir = r->spi[intid - 32].irouter;
	if (ir & (1UL << 31))
		return 0;
	if (ir & 0xffffff00UL & ~(1UL << 31))
		return -1;
	if (ir >> 32)
		return -1;
	return (ir & 0xff) < NR ? (int)(ir & 0xff) : -1;
}

NO_COV static bool ref_pstate(const struct rirq *q)
{
	return q->pend || (!q->edge && q->lvl);
}

NO_COV static bool ref_deliverable(u32 ctlr, const struct rirq *q)
{
	return (ctlr & 2) && q->g1 && q->en && ref_pstate(q) && !q->inlr;
}

NO_COV static bool ref_needs_lr(u32 ctlr, const struct rirq *q)
{
	return ref_deliverable(ctlr, q) || (q->act && !q->inlr);
}

NO_COV static bool rirq_same(const struct rirq *a, const struct rirq *b)
{
	return a->prio == b->prio && a->en == b->en && a->pend == b->pend && a->lvl == b->lvl &&
	       a->act == b->act && a->edge == b->edge && a->g1 == b->g1 && a->inlr == b->inlr &&
	       a->irouter == b->irouter;
}

static bool bank_bit(const struct rirq *q, u32 bank)
{
	switch (bank) {
	case 0x80: return q->g1;
	case 0x100:
	case 0x180: return q->en;
	case 0x200:
	case 0x280: return ref_pstate(q);
	case 0x300:
	case 0x380: return q->act;
	}
	return false;
}

static void bank_apply(struct rirq *q, u32 bank, bool b)
{
	if (bank == 0x80)
		q->g1 = b;
	if (!b)
		return;
	switch (bank) {
	case 0x100: q->en = true; break;
	case 0x180: q->en = false; break;
	case 0x200: q->pend = true; break;
	case 0x280: q->pend = false; break;
	case 0x300: q->act = true; break;
	case 0x380: q->act = false; break;
	}
}

static u64 ref_dist_read(u64 off, unsigned size)
{
	u64 v = 0;

	if (off >= 0x6000 && off < 0x7fe0) {
		u32 n = (u32)((off - 0x6000) / 8);

		if ((size != 4 && size != 8) || n < 32 || n >= 96)
			return 0;
		v = ref.spi[n - 32].irouter;
		return size == 8 ? v : (off & 4) ? v >> 32 : v & 0xffffffff;
	}
	if (off >= 0x400 && off < 0x800) {
		if (size != 1 && size != 4)
			return 0;
		for (u32 i = 0; i < size; i++) {
			u32 intid = (u32)(off - 0x400) + i;

			if (intid >= 32 && intid < 96)
				v |= (u64)ref.spi[intid - 32].prio << (8 * i);
		}
		return v;
	}
	if (size != 4)
		return 0;
	if (off == 0)
		return ref.ctlr;
	if (off == 4)
		return TYPER;
	if (off == 8)
		return IIDR;
	if (off >= 0x80 && off < 0x400) {
		u32 first = (u32)(off & 0x7f) / 4 * 32;

		for (u32 i = 0; i < 32; i++)
			if (first + i >= 32 && first + i < 96 &&
			    bank_bit(&ref.spi[first + i - 32], (u32)off & ~0x7fu))
				v |= 1UL << i;
		return v;
	}
	if (off >= 0xc00 && off < 0xd00) {
		u32 first = (u32)(off - 0xc00) * 4;

		for (u32 i = 0; i < 16; i++)
			if (first + i >= 32 && first + i < 96 && ref.spi[first + i - 32].edge)
				v |= 2UL << (2 * i);
		return v;
	}
	if (off >= 0xffd0)
		return ids[(off - 0xffd0) / 4];
	return 0;
}

static void ref_dist_write(u64 off, unsigned size, u64 val)
{
	if (off >= 0x6000 && off < 0x7fe0) {
		u32 n = (u32)((off - 0x6000) / 8);
		u64 *ir;

		if ((size != 4 && size != 8) || n < 32 || n >= 96)
			return;
		ir = &ref.spi[n - 32].irouter;
		if (size == 4)
			val = (off & 4) ? (*ir & 0xffffffff) | (val << 32)
					: (*ir & ~0xffffffffUL) | val;
		*ir = val & IROUTER_MASK;
		return;
	}
	if (off >= 0x400 && off < 0x800) {
		if (size != 1 && size != 4)
			return;
		for (u32 i = 0; i < size; i++) {
			u32 intid = (u32)(off - 0x400) + i;

			if (intid >= 32 && intid < 96)
				ref.spi[intid - 32].prio = (val >> (8 * i)) & 0xf8;
		}
		return;
	}
	if (size != 4)
		return;
	if (off == 0)
		ref.ctlr = 0x50 | (val & 2);
	if (off >= 0x80 && off < 0x400) {
		u32 first = (u32)(off & 0x7f) / 4 * 32;

		for (u32 i = 0; i < 32; i++)
			if (first + i >= 32 && first + i < 96)
				bank_apply(&ref.spi[first + i - 32], (u32)off & ~0x7fu,
					   (val >> i) & 1);
	}
	if (off >= 0xc00 && off < 0xd00) {
		u32 first = (u32)(off - 0xc00) * 4;

		for (u32 i = 0; i < 16; i++)
			if (first + i >= 32 && first + i < 96)
				ref.spi[first + i - 32].edge = (val >> (2 * i + 1)) & 1;
	}
}

static u64 ref_typer(u32 n)
{
	return ((u64)n << 32) | ((u64)n << 8) | (n == NR - 1 ? 0x10 : 0);
}

static u64 ref_redist_read(u64 off, unsigned size)
{
	u32 n = (u32)(off / FRAME);
	u64 v = 0;

	off %= FRAME;
	if (n >= NR)
		return 0;
	if (off < 0x10000) {
		if (off == 8 && size == 8)
			return ref_typer(n);
		if (size != 4)
			return 0;
		if (off == 4)
			return IIDR;
		if (off == 8)
			return ref_typer(n) & 0xffffffff;
		if (off == 0xc)
			return ref_typer(n) >> 32;
		if (off == 0x14)
			return ref.sleep[n] ? 6 : 0;
		if (off >= 0xffd0)
			return ids[(off - 0xffd0) / 4];
		return 0;
	}
	off -= 0x10000;
	if (off >= 0x400 && off < 0x420 && (size == 1 || size == 4)) {
		for (u32 i = 0; i < size; i++)
			v |= (u64)ref.priv[n][off - 0x400 + i].prio << (8 * i);
		return v;
	}
	if (size != 4)
		return 0;
	if (off >= 0x80 && off < 0x400 && !(off & 0x7f)) {
		for (u32 i = 0; i < 32; i++)
			if (bank_bit(&ref.priv[n][i], (u32)off))
				v |= 1UL << i;
		return v;
	}
	if (off == 0xc00)
		return 0xaaaaaaaa;
	return 0; /* ICFGR1 too: PPIs level */
}

static void ref_redist_write(u64 off, unsigned size, u64 val)
{
	u32 n = (u32)(off / FRAME);

	off %= FRAME;
	if (n >= NR)
		return;
	if (off == 0x14 && size == 4)
		ref.sleep[n] = (val & 2) != 0;
	if (off < 0x10000)
		return;
	off -= 0x10000;
	if (off >= 0x400 && off < 0x420 && (size == 1 || size == 4)) {
		for (u32 i = 0; i < size; i++)
			ref.priv[n][off - 0x400 + i].prio = (val >> (8 * i)) & 0xf8;
		return;
	}
	if (size == 4 && off >= 0x80 && off < 0x400 && !(off & 0x7f))
		for (u32 i = 0; i < 32; i++)
			bank_apply(&ref.priv[n][i], (u32)off, (val >> i) & 1);
}

/* ---------------------------------------------------------------- checks */

NO_COV static struct vcpu *cpu_ptr(int cpu)
{
	if (cpu < 0)
		return NULL;
	return &vm.vcpus[cpu]; /* 3..7 exist in the array, not in the VM */
}

NO_COV static void check_irq(const struct virq *q, const struct rirq *r, u32 intid)
{
	FUZZ_ASSERT(q->priority == r->prio);
	FUZZ_ASSERT((q->priority & 7) == 0);
	FUZZ_ASSERT(q->enabled == r->en);
	FUZZ_ASSERT(q->pending == r->pend);
	FUZZ_ASSERT(q->level == r->lvl);
	FUZZ_ASSERT(q->active == r->act);
	FUZZ_ASSERT(q->edge == r->edge);
	FUZZ_ASSERT(q->group1 == r->g1);
	FUZZ_ASSERT(q->in_lr == r->inlr);
	FUZZ_ASSERT(q->irouter == r->irouter);
	FUZZ_ASSERT(!q->hw && q->hw_intid == 0);
	if (intid < 32)
		FUZZ_ASSERT(q->irouter == 0 && q->edge == (intid < 16));
	else
		FUZZ_ASSERT((q->irouter & ~IROUTER_MASK) == 0);
}

NO_COV static void check_model(void)
{
	bool pend[NR] = {false};

	FUZZ_ASSERT(vm.vgic.lock.next == vm.vgic.lock.owner);
	FUZZ_ASSERT(vm.vgic.ctlr == ref.ctlr);
	for (u32 n = 0; n < NR; n++) {
		const struct vgic_cpu *c = &vm.vcpus[n].vgic;

		FUZZ_ASSERT(c->sleeping == ref.sleep[n]);
		FUZZ_ASSERT(c->gicr_ctlr == 0 && c->lr_used == 0 && !c->dirty);
		for (u32 i = 0; i < 32; i++)
			check_irq(&c->priv[i], &ref.priv[n][i], i);
	}
	for (u32 i = 0; i < 64; i++)
		check_irq(&vm.vgic.spi[i], &ref.spi[i], 32 + i);
	for (u32 n = NR; n < MAX_VCPUS_PER_VM; n++)
		FUZZ_ASSERT(!memcmp(&vm.vcpus[n].vgic, &idle_cpu[n], sizeof(idle_cpu[n])));
	/* The exported predicates agree with the reference. */
	for (u32 n = 0; n < NR + 1; n++) {
		int cpu = n < NR ? (int)n : -1; /* n == NR: the SPIs */

		for (u32 i = (cpu < 0 ? 32 : 0); i < (cpu < 0 ? 96 : 32); i++) {
			const struct rirq *r = ref_irq(&ref, cpu, i);
			struct vcpu *v = cpu < 0 ? &vm.vcpus[i % NR] : &vm.vcpus[cpu];
			struct virq *q = vgic_get_irq(&vm, v, i);
			int t = ref_target(&ref, cpu, i);

			FUZZ_ASSERT(vgic_irq_deliverable(&vm, q) == ref_deliverable(ref.ctlr, r));
			FUZZ_ASSERT(vgic_target(&vm, v, i) == cpu_ptr(t));
			if (t >= 0 && (ref.ctlr & 2) && r->g1 && r->en && ref_pstate(r))
				pend[t] = true;
		}
	}
	for (u32 n = 0; n < NR; n++)
		FUZZ_ASSERT(vgic_vcpu_has_pending(&vm.vcpus[n]) == pend[n]);
	FUZZ_ASSERT(vm.vgic.lock.next == vm.vgic.lock.owner);
}

/* Kicks the reference predicts for a step from before to ref. */
NO_COV static u32 expected_kicks(const struct ref *before)
{
	u32 mask = 0;

	for (u32 n = 0; n < NR + 1; n++) {
		for (u32 i = (n < NR ? 0 : 32); i < (n < NR ? 32 : 96); i++) {
			int cpu = n < NR ? (int)n : -1;
			const struct rirq *a = ref_irq((struct ref *)before, cpu, i);
			const struct rirq *b = ref_irq(&ref, cpu, i);
			int ta = ref_target(before, cpu, i), tb = ref_target(&ref, cpu, i);

			if (ref_needs_lr(ref.ctlr, b) &&
			    (!ref_needs_lr(before->ctlr, a) || ta != tb) && tb >= 0)
				mask |= 1u << tb;
			if (a->inlr && (!rirq_same(a, b) || before->ctlr != ref.ctlr) && ta >= 0)
				mask |= 1u << ta;
		}
	}
	return mask;
}

NO_COV static void check_kicks(const struct ref *before)
{
	u32 want = expected_kicks(before);

	FUZZ_ASSERT(fake_kick_locked() == 0);
	FUZZ_ASSERT(fake_kick_foreign() == 0);
	FUZZ_ASSERT(fake_kick_mask() == want);
	FUZZ_ASSERT(fake_kick_total() == (unsigned)__builtin_popcount(want));
}

/* ---------------------------------------------------------------- commands */

static const u32 dist_aims[] = {
	0x0,	0x4,	0x8,	0xc,	0x10,	0x40,	0x80,	0x100,	0x180,	0x200,
	0x280,	0x300,	0x380,	0x400,	0x41c,	0x420,	0x45c,	0x460,	0x800,	0xc00,
	0xc08,	0xc14,	0xc18,	0xd00,	0xe00,	0xf00,	0xf10,	0x6000, 0x60f8, 0x6100,
	0x6108, 0x6150, 0x62f8, 0x6300, 0x7fd8, 0xffd0, 0xffe8, 0xfff8,
};
static const u32 redist_aims[] = {
	0x0,	 0x4,	  0x8,	   0xc,	    0x10,    0x14,    0x70,    0x78,	0xc0,
	0xffd0,	 0xffe8,  0x10000, 0x10080, 0x10100, 0x10180, 0x10200, 0x10280, 0x10300,
	0x10380, 0x10400, 0x1041c, 0x10420, 0x10c00, 0x10c04, 0x10d00, 0x10e00, 0x1ffe8,
};

static void cmd_mmio(struct input *in)
{
	u32 sel = (u32)take(in, 1);
	bool redist = sel & 1, write = sel & 2, aimed = sel & 0x10;
	unsigned size = 1u << ((sel >> 2) & 3);
	const struct mmio_ops *ops = redist ? &vgic_redist_ops : &vgic_dist_ops;
	u64 span = redist ? NR * FRAME : 0x10000;
	u64 off, val, got;
	struct mmio_region r = {.base = ipa_init(0x08000000), .size = span, .ops = ops, .dev = &vm};
	struct mmio_access acc = {.size = (u8)size, .write = write};
	enum mmio_result res, want;
	static struct vm before_vm;

	if (aimed && redist)
		off = redist_aims[take(in, 1) % ARRAY_SIZE(redist_aims)] +
		      (take(in, 1) % NR) * FRAME;
	else if (aimed)
		off = dist_aims[take(in, 1) % ARRAY_SIZE(dist_aims)];
	else
		off = take(in, 3);
	off = (off + (aimed ? take(in, 1) % 16 : 0)) % span;
	val = take(in, 8);
	acc.ipa = ipa_init(0x08000000 + off);
	want = size == 2 ? MMIO_BAD_WIDTH : off % size ? MMIO_MISALIGNED : MMIO_DONE;
	if (!write)
		memcpy(&before_vm, &vm, sizeof(vm));
	got = val;
	res = mmio_access_region(&r, &vm.vcpus[sel % NR], &acc, &got);
	FUZZ_ASSERT(res == want);
	if (res != MMIO_DONE)
		return;
	if (size < 8)
		val &= (1UL << (8 * size)) - 1;
	if (write) {
		if (redist)
			ref_redist_write(off, size, val);
		else
			ref_dist_write(off, size, val);
		return;
	}
	FUZZ_ASSERT(got == (redist ? ref_redist_read(off, size) : ref_dist_read(off, size)));
	FUZZ_ASSERT(size == 8 || got >> (8 * size) == 0);
	before_vm.vgic.lock = vm.vgic.lock;
	FUZZ_ASSERT(!memcmp(&before_vm, &vm, sizeof(vm))); /* reads change nothing */
}

/* 0-2: a vCPU of the VM; 3: one outside it; 4: NULL. */
static int pick_cpu(struct input *in)
{
	u32 c = (u32)take(in, 1) % 5;

	return c == 4 ? -1 : (int)c;
}

static void cmd_line(struct input *in, bool edge_only)
{
	int cpu = pick_cpu(in);
	u32 intid = (u32)take(in, 1);
	bool level = intid & 0x80;
	struct rirq *r;

	intid &= 0x7f;
	if (take(in, 1) == 0xff)
		intid = (u32)take(in, 4);
	r = ref_irq(&ref, cpu < NR ? cpu : -1, intid);
	if (edge_only) {
		vgic_inject_edge(&vm, cpu_ptr(cpu), intid);
		if (r)
			r->pend = true;
		return;
	}
	vgic_set_level(&vm, cpu_ptr(cpu), intid, level);
	if (r) {
		if (r->edge && level && !r->lvl)
			r->pend = true;
		r->lvl = level;
	}
}

static void ref_sgi1r(int src, u64 val)
{
	u32 intid = (val >> 24) & 0xf, rs = (val >> 44) & 0xf;

	if (src < 0 || src >= NR)
		return;
	if (val & (1UL << 40)) {
		for (int n = 0; n < NR; n++)
			if (n != src)
				ref.priv[n][intid].pend = true;
		return;
	}
	if (((val >> 16) & 0xff) || ((val >> 32) & 0xff) || ((val >> 48) & 0xff))
		return;
	for (u32 b = 0; b < 16; b++)
		if ((val & (1UL << b)) && rs * 16 + b < NR)
			ref.priv[rs * 16 + b][intid].pend = true;
}

static void cmd_sgi1r(struct input *in)
{
	int src = pick_cpu(in);
	u32 sel = (u32)take(in, 1);
	u64 val = take(in, 8);

	if (sel & 1) /* name existing targets */
		val &= ~((0xffUL << 16) | (0xffUL << 32) | (0xffUL << 48));
	if (sel & 2)
		val &= ~(0xfUL << 44);
	if (sel & 4)
		val &= ~(1UL << 40);
	vgic_sgi1r_write(cpu_ptr(src), val);
	ref_sgi1r(src, val);
}

static void cmd_in_lr(struct input *in)
{
	u32 cpu = (u32)take(in, 1) % NR;
	u32 intid = (u32)take(in, 1) % 96;
	struct virq *q = vgic_get_irq(&vm, &vm.vcpus[cpu], intid);
	struct rirq *r = ref_irq(&ref, (int)cpu, intid);

	q->in_lr = !q->in_lr;
	r->inlr = q->in_lr;
}

static void cmd_absent_frame(struct input *in)
{
	u64 off = (NR + take(in, 1) % (MAX_VCPUS_PER_VM - NR)) * FRAME + take(in, 3) % FRAME;
	unsigned size = 1u << (take(in, 1) & 3);
	u64 val = take(in, 8);

	off &= ~(u64)(size - 1);
	FUZZ_ASSERT(vgic_redist_ops.read(&vm, &vm.vcpus[0], off, size) == 0);
	vgic_redist_ops.write(&vm, &vm.vcpus[0], off, size, val);
}

static struct ref before;

static void step_begin(void)
{
	before = ref;
	fake_kick_reset();
}

static void step_end(void)
{
	check_kicks(&before);
	check_model();
}

/* One checked 32- or 64-bit register write outside the command stream. */
static void preset_write(bool redist, u64 off, unsigned size, u64 val)
{
	const struct mmio_ops *ops = redist ? &vgic_redist_ops : &vgic_dist_ops;
	struct mmio_region r = {.base = ipa_init(0x08000000),
				.size = redist ? NR * FRAME : 0x10000,
				.ops = ops,
				.dev = &vm};
	struct mmio_access acc = {
		.ipa = ipa_init(0x08000000 + off), .size = (u8)size, .write = true};

	step_begin();
	FUZZ_ASSERT(mmio_access_region(&r, &vm.vcpus[0], &acc, &val) == MMIO_DONE);
	if (redist)
		ref_redist_write(off, size, val);
	else
		ref_dist_write(off, size, val);
	check_kicks(&before); /* the model is compared once, after the preset */
}

/* The first input byte picks a starting state richer than reset, built
 * through the same checked writes, so short inputs reach busy states. */
static void preset(u32 flags)
{
	if (flags & 1)
		preset_write(false, 0x0, 4, 2);
	if (flags & 2) {
		preset_write(false, 0x104, 4, ~0u);
		preset_write(false, 0x108, 4, ~0u);
		for (u32 n = 0; n < NR; n++)
			preset_write(true, n * FRAME + 0x10100, 4, ~0u);
	}
	if (flags & 4)
		for (u32 i = 32; i < 96; i++)
			preset_write(false, 0x6000 + 8 * i, 8,
				     (i % 4) | (i % 7 == 0 ? 0x100 : 0) |
					     (i % 11 == 0 ? 1UL << 31 : 0));
	if (flags & 8)
		preset_write(false, 0xc10, 4, 0xaaaaaaaa);
	if (flags & 16) {
		step_begin();
		for (u32 n = 0; n < NR; n++)
			for (u32 i = 0; i < 96; i += 5 + n) {
				vgic_get_irq(&vm, &vm.vcpus[n], i)->in_lr = true;
				ref_irq(&ref, (int)n, i)->inlr = true;
			}
		before = ref;
		check_kicks(&before);
	}
	if (flags & 32) {
		preset_write(false, 0x204, 4, 0x55555555);
		preset_write(false, 0x208, 4, 0x33333333);
		for (u32 n = 0; n < NR; n++)
			preset_write(true, n * FRAME + 0x10200, 4, 0x0f0f0f0fu << n);
	}
	if (flags & 64)
		for (u32 i = 32; i < 96; i += 4)
			preset_write(false, 0x400 + i, 4, 0x10305070u * i);
	if (flags & 128)
		preset_write(false, 0x304, 4, 0x00ff00ff);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};

	memset(&vm, 0, sizeof(vm));
	vm.nr_vcpus = NR;
	for (u32 n = 0; n < MAX_VCPUS_PER_VM; n++) {
		vm.vcpus[n].vm = &vm;
		vm.vcpus[n].id = n;
	}
	vgic_init(&vm);
	for (u32 n = 0; n < MAX_VCPUS_PER_VM; n++)
		idle_cpu[n] = vm.vcpus[n].vgic;
	ref_init();
	check_model();
	preset((u32)take(&in, 1));
	check_model();
	for (u32 i = 0; i < MAX_CMDS && in.n; i++) {
		u32 op = (u32)take(&in, 1) % 8;

		step_begin();
		switch (op) {
		case 0:
		case 1:
		case 2: cmd_mmio(&in); break;
		case 3: cmd_line(&in, false); break;
		case 4: cmd_line(&in, true); break;
		case 5: cmd_sgi1r(&in); break;
		case 6:
			cmd_in_lr(&in);
			before = ref; /* the harness's own change kicks nobody */
			break;
		case 7: cmd_absent_frame(&in); break;
		}
		step_end();
	}
	return 0;
}
