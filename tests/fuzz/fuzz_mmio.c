/* libFuzzer harness for Stage-2 data aborts: vm/mmio.c, vm/exit/trap_dabt.c and
 * the vPL011 behind them, over the fakes in tests/host/fake_el2.c.
 *
 * Input: a region table (the VM's vPL011 plus up to 7 regions of a recording
 * device with random bases, sizes, widths and implemented sizes, each
 * registration checked against a model of the overlap rules), then up to 32
 * accesses: a random ISS, and an IPA either random or aimed at a region edge.
 * Every access goes through trap_dispatch and must end exactly one way:
 *   - emulated: PC + 4 (2 with IL clear), only Rt of a load changed, the
 *     device saw the stored bytes and nothing else, the load result is the
 *     device value narrowed and extended as the syndrome says;
 *   - refused: an external abort at the guest's vector, no register changed;
 * and which one is decided here independently from the syndrome and table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_el2.h"
#include "vm/exit/trap.h"
#include "fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The recording device: reads return a value made from the offset. */
struct rec_dev {
	unsigned reads, writes;
	u64 off, val;
	unsigned size;
};

static struct vm vm;
static bool uart_line; /* the vPL011 interrupt level as last reported */

static void uart_irq(void *ctx, bool level)
{
	FUZZ_ASSERT(ctx == vm_uart(&vm));
	FUZZ_ASSERT(level != uart_line); /* only changes are reported */
	uart_line = level;
}
static struct rec_dev devs[VM_MAX_MMIO_REGIONS];
static struct mmio_ops dev_ops[VM_MAX_MMIO_REGIONS];

static u64 dev_value(u64 off)
{
	return 0x0102030405060708UL * (off + 1) ^ 0x8080808080808080UL;
}

static u64 rec_read(void *dev, struct vcpu *v, u64 off, unsigned size)
{
	struct rec_dev *d = dev;

	d->reads++;
	d->off = off;
	d->size = size;
	return dev_value(off);
}

static void rec_write(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct rec_dev *d = dev;

	d->writes++;
	d->off = off;
	d->size = size;
	d->val = val;
}

static bool overlaps_any(u64 base, u64 size)
{
	for (u32 i = 0; i < vm.nr_mmio; i++) {
		u64 b = ipa_addr(vm.mmio[i].base), e = b + vm.mmio[i].size;

		if (base < e && b < base + size)
			return true;
	}
	return false;
}

static void add_region(struct input *in, u32 k)
{
	u64 base = take(in, 1) & 1 ? take(in, 8) : FAKE_UART_IPA + (take(in, 2) << 8);
	u64 size = take(in, 3);
	u32 before = vm.nr_mmio;
	bool want;
	int ret;

	dev_ops[k] = (struct mmio_ops){rec_read, rec_write, (u8)(take(in, 1) & 0xf), take(in, 3)};
	want = before < VM_MAX_MMIO_REGIONS && size && base + size > base &&
	       !overlaps_any(base, size);
	ret = mmio_register(vm.mmio, &vm.nr_mmio, ipa_init(base), size, &dev_ops[k], &devs[k]);
	FUZZ_ASSERT((ret == 0) == want);
	FUZZ_ASSERT(vm.nr_mmio == before + (want ? 1 : 0));
}

static const struct mmio_region *model_find(u64 ipa)
{
	for (u32 i = 0; i < vm.nr_mmio; i++)
		if (ipa >= ipa_addr(vm.mmio[i].base) &&
		    ipa <= ipa_addr(vm.mmio[i].base) + (vm.mmio[i].size - 1))
			return &vm.mmio[i];
	return NULL;
}

/* An IPA near an edge of a registered region, or anywhere. */
static u64 pick_ipa(struct input *in)
{
	u32 sel = (u32)take(in, 1);
	const struct mmio_region *r = &vm.mmio[(sel >> 2) % vm.nr_mmio];
	s64 delta = (s64)(int16_t)take(in, 2);

	switch (sel & 3) {
	case 0: return take(in, 7);
	case 1: return ipa_addr(r->base) + (u64)delta;
	case 2: return ipa_addr(r->base) + r->size + (u64)delta;
	default: return ipa_addr(r->base) + ((u64)delta & 0xfff);
	}
}

struct expect {
	bool emulate;
	struct mmio_access acc;
	const struct mmio_region *r;
	u64 off;
};

static struct expect predict(u64 esr, u64 ipa)
{
	struct expect e = {0};
	u64 iss = esr & 0x1ffffff;
	unsigned size = 1u << ((iss >> 22) & 3);

	e.r = model_find(ipa);
	if (!e.r || !(iss & (1UL << 24)) || (iss & ((1UL << 10) | (1UL << 7))))
		return e;
	e.off = ipa - ipa_addr(e.r->base);
	e.emulate = (e.r->ops->widths & size) && e.off % size == 0;
	e.acc = (struct mmio_access){ipa_init(ipa),
				     (u8)size,
				     (u8)((iss >> 16) & 31),
				     (iss & (1UL << 6)) != 0,
				     (iss & (1UL << 21)) != 0,
				     (iss & (1UL << 15)) != 0};
	return e;
}

static void check_decode(u64 esr, u64 far, u64 hpfar, u64 ipa)
{
	struct mmio_access acc;

	if (!mmio_decode(esr, far, hpfar, &acc))
		return;
	FUZZ_ASSERT(acc.size == 1 || acc.size == 2 || acc.size == 4 || acc.size == 8);
	FUZZ_ASSERT(acc.reg <= 31);
	FUZZ_ASSERT(ipa_addr(acc.ipa) == ipa);
}

static void check_emulated(const struct expect *e, const struct cpu_ctx *old, u64 esr,
			   struct rec_dev *d, const struct rec_dev *d_old)
{
	const struct mmio_access *a = &e->acc;
	bool in_impl = e->off + a->size <= e->r->ops->impl_size;
	u64 mask = a->size == 8 ? ~0UL : (1UL << (a->size * 8)) - 1;

	FUZZ_ASSERT(vm.vcpus[0].ctx.pc == old->pc + ((esr & (1UL << 25)) ? 4 : 2));
	FUZZ_ASSERT(fake_esr_el1_writes == 0);
	for (u32 i = 0; i < 31; i++)
		if (i != a->reg || a->write)
			FUZZ_ASSERT(vm.vcpus[0].ctx.x[i] == old->x[i]);
	if (!d)
		return; /* the vPL011: its own tests check values */
	if (a->write) {
		FUZZ_ASSERT(d->writes == d_old->writes + (in_impl ? 1 : 0));
		if (in_impl)
			FUZZ_ASSERT(d->val == ((a->reg == 31 ? 0 : old->x[a->reg]) & mask));
	} else {
		FUZZ_ASSERT(d->reads == d_old->reads + (in_impl ? 1 : 0));
		if (a->reg != 31)
			FUZZ_ASSERT(vm.vcpus[0].ctx.x[a->reg] ==
				    mmio_load_result(a, in_impl ? dev_value(e->off) : 0));
	}
	if (in_impl)
		FUZZ_ASSERT(d->off == e->off && d->size == a->size);
}

static void check_refused(const struct cpu_ctx *old, u64 far)
{
	struct vcpu *v = &vm.vcpus[0];
	u64 vec = (old->pstate & 0xf) == 0 ? 0x400 : 0x200;

	FUZZ_ASSERT(v->ctx.pc == FAKE_VBAR + vec);
	FUZZ_ASSERT(fake_elr_el1 == old->pc);
	FUZZ_ASSERT((fake_esr_el1 >> 26) == (vec == 0x400 ? 0x24 : 0x25));
	FUZZ_ASSERT(fake_far_el1 == far);
	FUZZ_ASSERT(memcmp(v->ctx.x, old->x, sizeof(old->x)) == 0);
}

static struct rec_dev *dev_of(const struct mmio_region *r)
{
	return r && r->ops != &vpl011_ops ? r->dev : NULL;
}

/* Console input between accesses; the receive FIFO and the interrupt line
 * stay consistent. */
static void check_uart(struct input *in)
{
	struct vpl011 *u = vm_uart(&vm);
	u32 pushes = (u32)take(in, 1);

	pushes = pushes & 0x80 ? pushes & 0x3f : 0;
	for (u32 i = 0; i < pushes; i++) {
		u32 before = u->rx_count;

		FUZZ_ASSERT(vpl011_rx_push(u, (u8)i) == (before < VPL011_RX_FIFO));
	}
	FUZZ_ASSERT(u->rx_count <= VPL011_RX_FIFO && u->rx_head < VPL011_RX_FIFO);
	FUZZ_ASSERT(vpl011_rx_space(u) == VPL011_RX_FIFO - u->rx_count);
	FUZZ_ASSERT(uart_line == vpl011_irq_level(u));
	FUZZ_ASSERT(vpl011_irq_level(u) == ((u->ris & u->imsc) != 0));
	FUZZ_ASSERT(!(u->ris & ~0x7ffU) && !(u->imsc & ~0x7ffU));
	FUZZ_ASSERT(u->rx_count || !(u->ris & 0x50)); /* RX, RT: only with data */
}

static void one_access(struct input *in)
{
	struct vcpu *v = &vm.vcpus[0];
	u64 iss = take(in, 4) & 0x1ffffff, ipa = pick_ipa(in);
	u64 esr = (0x24UL << 26) | (take(in, 1) & 1 ? 0 : 1UL << 25) | iss;
	u64 far = (take(in, 2) << 12) | (ipa & 0xfff);
	u64 hpfar = ((ipa >> 12) << 4) & GENMASK(43, 4);
	struct expect e;
	struct cpu_ctx old;
	struct rec_dev d_old = {0};
	struct rec_dev *d;

	ipa = ((hpfar & GENMASK(43, 4)) << 8) | (far & 0xfff); /* what HW reports */
	e = predict(esr, ipa);
	d = dev_of(e.r);
	check_decode(esr, far, hpfar, ipa);
	FUZZ_ASSERT(mmio_find(vm.mmio, vm.nr_mmio, ipa_init(ipa)) == e.r);
	v->ctx.pc = FAKE_PC;
	v->ctx.pstate = take(in, 1) & 1 ? 0x0 : 0x5;
	for (u32 i = 0; i < 31; i++)
		v->ctx.x[i] = dev_value(i + 100) + take(in, 1);
	old = v->ctx;
	if (d)
		d_old = *d;
	fake_esr_el1_writes = 0;
	fake_far_el2 = far;
	fake_hpfar_el2 = hpfar | (take(in, 1) & 0xf); /* RES0 bits: ignored */
	trap_dispatch(v, esr);
	if (e.emulate)
		check_emulated(&e, &old, esr, d, &d_old);
	else
		check_refused(&old, far);
	check_uart(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	u32 nregions = (u32)take(&in, 1) % VM_MAX_MMIO_REGIONS;

	fake_vm_init(&vm, 1);
	vm_uart(&vm)->irq_changed = uart_irq;
	vm_uart(&vm)->irq_ctx = vm_uart(&vm);
	uart_line = false;
	memset(devs, 0, sizeof(devs));
	for (u32 k = 0; k < nregions; k++)
		add_region(&in, k);
	for (u32 i = 0; i < 32 && in.n; i++)
		one_access(&in);
	return 0;
}
