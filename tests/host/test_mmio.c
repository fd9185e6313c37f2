/* Emulated MMIO: syndrome decoding (vm/mmio.c), the region table, the
 * width/alignment/range checks, load results, and a whole Stage-2 data abort
 * through trap_dispatch into the vPL011.  ESR/HPFAR layouts are written with
 * literal bit positions from the Arm ARM (D19.2.49 ISS for data aborts,
 * HPFAR_EL2.FIPA), not with the header's macros. */
#include "check.h"
#include "fake_el2.h"
#include "vm/exit/trap.h"

#define ESR_DABT_LOW (0x24UL << 26)
#define L_ESR_IL (1UL << 25)
#define ISV (1UL << 24)
#define SSE (1UL << 21)
#define SF (1UL << 15)
#define FNV (1UL << 10)
#define S1PTW (1UL << 7)
#define WNR (1UL << 6)
#define M_EL1H 0x5 /* SPSR.M: EL1 with SP_EL1 */
#define M_EL0T 0x0

static struct vm vm;

static u64 dabt_iss(unsigned sas, unsigned srt, bool wnr, bool sse, bool sf)
{
	return ISV | ((u64)sas << 22) | (sse ? SSE : 0) | ((u64)srt << 16) | (sf ? SF : 0) |
	       (wnr ? WNR : 0);
}

static u64 hpfar_of(u64 ipa)
{
	return (ipa >> 12) << 4;
}

/* ------------------------------------------------------------ decode */

static void test_decode_rejects(void)
{
	struct mmio_access acc = {0};
	u64 good = ESR_DABT_LOW | L_ESR_IL | dabt_iss(2, 1, false, false, false);

	CHECK(mmio_decode(good, 0, 0, &acc));
	CHECK(!mmio_decode(good & ~ISV, 0, 0, &acc));
	CHECK(!mmio_decode(good | FNV, 0, 0, &acc));
	CHECK(!mmio_decode(good | S1PTW, 0, 0, &acc));
	CHECK(!mmio_decode(good | FNV | S1PTW, 0, 0, &acc));
	/* Bits outside ISS (EC, IL, ISS2) do not make a syndrome valid. */
	CHECK(!mmio_decode((good & ~ISV) | (1UL << 32) | L_ESR_IL, 0, 0, &acc));
}

static void test_decode_fields(void)
{
	for (unsigned sas = 0; sas < 4; sas++) {
		for (unsigned srt = 0; srt < 32; srt++) {
			for (unsigned f = 0; f < 8; f++) {
				bool wnr = f & 1, sse = f & 2, sf = f & 4;
				struct mmio_access acc = {0};
				/* AR, EA, CM and FSC bits set: ignored. */
				u64 esr = ESR_DABT_LOW | L_ESR_IL |
					  dabt_iss(sas, srt, wnr, sse, sf) | (1UL << 14) |
					  (1UL << 9) | (1UL << 8) | 0x3f;

				CHECK(mmio_decode(esr, 0, 0, &acc));
				CHECK_EQ(acc.size, 1u << sas);
				CHECK_EQ(acc.reg, srt);
				CHECK_EQ(acc.write, wnr);
				CHECK_EQ(acc.sign_extend, sse);
				CHECK_EQ(acc.reg64, sf);
			}
		}
	}
}

static void test_decode_ipa(void)
{
	struct mmio_access acc = {0};
	u64 esr = ESR_DABT_LOW | dabt_iss(0, 0, false, false, false);

	/* FIPA (HPFAR bits 43:4) is IPA[51:12]; the page offset is FAR[11:0]. */
	CHECK(mmio_decode(esr, 0xffff000000000abcUL, 0x123456780UL, &acc));
	CHECK_EQ(ipa_addr(acc.ipa), 0x12345678abcUL);
	/* Bits of HPFAR outside FIPA and of FAR above 11 are dropped. */
	CHECK(mmio_decode(esr, 0xfffffffffffff001UL, 0xfffff0000000000fUL, &acc));
	CHECK_EQ(ipa_addr(acc.ipa), 0x001UL);
	CHECK(mmio_decode(esr, 0xfff, 0xffffffffff0UL, &acc));
	CHECK_EQ(ipa_addr(acc.ipa), 0xfffffffffffffUL); /* 52 bits */
	CHECK(mmio_decode(esr, 0x18, hpfar_of(0x09000000), &acc));
	CHECK_EQ(ipa_addr(acc.ipa), 0x09000018UL);
}

/* ------------------------------------------------------------ registry */

struct dev_log {
	unsigned reads, writes;
	u64 off, val;
	unsigned size;
};

static u64 dev_read(void *dev, struct vcpu *v, u64 off, unsigned size)
{
	struct dev_log *d = dev;

	d->reads++;
	d->off = off;
	d->size = size;
	return 0x1122334455667788UL;
}

static void dev_write(void *dev, struct vcpu *v, u64 off, unsigned size, u64 val)
{
	struct dev_log *d = dev;

	d->writes++;
	d->off = off;
	d->size = size;
	d->val = val;
}

static const struct mmio_ops w32_ops = {
	.read = dev_read,
	.write = dev_write,
	.widths = MMIO_W32,
	.impl_size = 0x100,
};
static const struct mmio_ops all_ops = {
	.read = dev_read,
	.write = dev_write,
	.widths = MMIO_W8 | MMIO_W16 | MMIO_W32 | MMIO_W64,
	.impl_size = 0x1000,
};

static int reg(struct mmio_region *t, u32 *n, u64 base, u64 size)
{
	return mmio_register(t, n, ipa_init(base), size, &all_ops, NULL);
}

static void test_register_refusals(void)
{
	struct mmio_region t[VM_MAX_MMIO_REGIONS + 1], saved[VM_MAX_MMIO_REGIONS + 1];
	u32 n = 0;

	memset(t, 0xa5, sizeof(t));
	CHECK_EQ(reg(t, &n, 0x10000, 0x1000), 0);
	CHECK_EQ(n, 1);
	CHECK_EQ(ipa_addr(t[0].base), 0x10000);
	CHECK_EQ(t[0].size, 0x1000);
	CHECK(t[0].ops == &all_ops);
	memcpy(saved, t, sizeof(t));
	CHECK_EQ(reg(t, &n, 0x20000, 0), -E_INVAL);		      /* empty */
	CHECK_EQ(reg(t, &n, 0xfffffffffffff000UL, 0x2000), -E_INVAL); /* wraps */
	CHECK_EQ(reg(t, &n, 0xfffffffffffff000UL, 0x1000), -E_INVAL); /* ends at 2^64 */
	CHECK_EQ(reg(t, &n, 0x10000, 0x1000), -E_EXIST);	      /* same */
	CHECK_EQ(reg(t, &n, 0x0f000, 0x1001), -E_EXIST);	      /* last byte on first */
	CHECK_EQ(reg(t, &n, 0x10fff, 0x10), -E_EXIST);		      /* first byte on last */
	CHECK_EQ(reg(t, &n, 0x10800, 0x10), -E_EXIST);		      /* inside */
	CHECK_EQ(reg(t, &n, 0x00000, 0x100000), -E_EXIST);	      /* around */
	CHECK_EQ(n, 1);
	CHECK(memcmp(t, saved, sizeof(t)) == 0);
	/* Touching on either side is fine. */
	CHECK_EQ(reg(t, &n, 0x0f000, 0x1000), 0);
	CHECK_EQ(reg(t, &n, 0x11000, 0x1000), 0);
	for (u64 i = 3; i < VM_MAX_MMIO_REGIONS; i++)
		CHECK_EQ(reg(t, &n, i << 20, 0x1000), 0);
	CHECK_EQ(n, VM_MAX_MMIO_REGIONS);
	memcpy(saved, t, sizeof(t));
	CHECK_EQ(reg(t, &n, 0x7000000, 0x1000), -E_INVAL); /* table full */
	CHECK_EQ(n, VM_MAX_MMIO_REGIONS);
	CHECK(memcmp(t, saved, sizeof(t)) == 0); /* slot past the end untouched */
}

static void test_find_edges(void)
{
	struct mmio_region t[VM_MAX_MMIO_REGIONS];
	u32 n = 0;

	CHECK(mmio_find(t, 0, ipa_init(0)) == NULL);
	CHECK_EQ(reg(t, &n, 0x1000, 0x1000), 0);
	CHECK_EQ(reg(t, &n, 0x2000, 0x3000), 0);
	CHECK_EQ(reg(t, &n, 0xfffffffffff00000UL, 0xff000), 0);
	CHECK(mmio_find(t, n, ipa_init(0xfff)) == NULL);
	CHECK(mmio_find(t, n, ipa_init(0x1000)) == &t[0]);
	CHECK(mmio_find(t, n, ipa_init(0x1fff)) == &t[0]);
	CHECK(mmio_find(t, n, ipa_init(0x2000)) == &t[1]);
	CHECK(mmio_find(t, n, ipa_init(0x4fff)) == &t[1]);
	CHECK(mmio_find(t, n, ipa_init(0x5000)) == NULL);
	CHECK(mmio_find(t, n, ipa_init(0)) == NULL);
	CHECK(mmio_find(t, n, ipa_init(0xfffffffffff00000UL)) == &t[2]);
	CHECK(mmio_find(t, n, ipa_init(0xffffffffffffefffUL)) == &t[2]);
	CHECK(mmio_find(t, n, ipa_init(0xfffffffffffff000UL)) == NULL);
	CHECK(mmio_find(t, n, ipa_init(~0UL)) == NULL);
	CHECK(mmio_find(t, 1, ipa_init(0x2000)) == NULL); /* count honoured */
}

/* ------------------------------------------------------------ access */

static enum mmio_result access(const struct mmio_region *r, u64 off, unsigned size, bool write,
			       u64 *val)
{
	struct mmio_access acc = {.ipa = ipa_add(r->base, off), .size = (u8)size, .write = write};

	return mmio_access_region(r, NULL, &acc, val);
}

static void test_access_order(void)
{
	struct dev_log d = {0};
	struct mmio_region r = {
		.base = ipa_init(0x9000000), .size = 0x1000, .ops = &w32_ops, .dev = &d};
	u64 val = 0x55;

	/* Width first: wrong-width and misaligned is BAD_WIDTH ... */
	CHECK_EQ(access(&r, 1, 8, false, &val), MMIO_BAD_WIDTH);
	CHECK_EQ(access(&r, 2, 1, true, &val), MMIO_BAD_WIDTH);
	CHECK_EQ(access(&r, 0, 2, false, &val), MMIO_BAD_WIDTH);
	/* ... even beyond the implemented registers. */
	CHECK_EQ(access(&r, 0x201, 8, false, &val), MMIO_BAD_WIDTH);
	/* Then alignment, also beyond the implemented registers. */
	CHECK_EQ(access(&r, 2, 4, false, &val), MMIO_MISALIGNED);
	CHECK_EQ(access(&r, 0xfe, 4, true, &val), MMIO_MISALIGNED);
	CHECK_EQ(access(&r, 0x102, 4, false, &val), MMIO_MISALIGNED);
	CHECK_EQ(d.reads + d.writes, 0);
	CHECK_EQ(val, 0x55); /* refused accesses leave the value alone */
	/* Past impl_size: reads as zero, writes ignored, device not called. */
	CHECK_EQ(access(&r, 0x100, 4, false, &val), MMIO_DONE);
	CHECK_EQ(val, 0);
	val = 0x77;
	CHECK_EQ(access(&r, 0x100, 4, true, &val), MMIO_DONE);
	CHECK_EQ(access(&r, 0xffc, 4, true, &val), MMIO_DONE);
	CHECK_EQ(d.reads + d.writes, 0);
	/* The last implemented word reaches the device, at its offset. */
	CHECK_EQ(access(&r, 0xfc, 4, false, &val), MMIO_DONE);
	CHECK_EQ(d.reads, 1);
	CHECK_EQ(d.off, 0xfc);
	CHECK_EQ(d.size, 4);
	CHECK_EQ(val, 0x1122334455667788UL); /* narrowing is mmio_load_result's */
	val = 0xabcd;
	CHECK_EQ(access(&r, 0x0, 4, true, &val), MMIO_DONE);
	CHECK_EQ(d.writes, 1);
	CHECK_EQ(d.off, 0);
	CHECK_EQ(d.val, 0xabcd);
}

/* The device sees only the bytes the guest stored: STRB of a register
 * holding 0x1ff writes 0xff. */
static void test_write_value_narrowed(void)
{
	static const struct {
		unsigned size;
		u64 want;
	} c[] = {
		{1, 0xefUL},
		{2, 0xbeefUL},
		{4, 0xdeadbeefUL},
		{8, 0x0123456fdeadbeefUL},
	};
	struct dev_log d = {0};
	struct mmio_region r = {
		.base = ipa_init(0x9000000), .size = 0x1000, .ops = &all_ops, .dev = &d};

	for (u32 i = 0; i < ARRAY_SIZE(c); i++) {
		u64 val = 0x0123456fdeadbeefUL;

		CHECK_EQ(access(&r, 0x10, c[i].size, true, &val), MMIO_DONE);
		CHECK_EQ(d.val, c[i].want);
		CHECK_EQ(d.size, c[i].size);
	}
}

static void test_load_result(void)
{
	static const struct {
		unsigned size;
		bool sse, sf;
		u64 raw, want;
	} c[] = {
		{1, false, false, 0xfffffff0f0UL, 0xf0UL},
		{1, false, true, 0xfffffff0f0UL, 0xf0UL},
		{1, true, true, 0xf0UL, 0xfffffffffffffff0UL},
		{1, true, false, 0xf0UL, 0xfffffff0UL},
		{1, true, true, 0xff70UL, 0x70UL},
		{2, false, true, 0xabcd8001UL, 0x8001UL},
		{2, true, true, 0x8001UL, 0xffffffffffff8001UL},
		{2, true, false, 0x8001UL, 0xffff8001UL},
		{2, true, true, 0x17fffUL, 0x7fffUL},
		{4, false, true, 0x180000000UL, 0x80000000UL},
		{4, true, true, 0x80000000UL, 0xffffffff80000000UL},
		{4, true, false, 0x80000000UL, 0x80000000UL},
		{4, false, false, 0xdeadbeefcafef00dUL, 0xcafef00dUL},
		{4, true, true, 0x7fffffffUL, 0x7fffffffUL},
		{8, false, true, ~0UL, ~0UL},
		{8, true, true, 0x8000000000000001UL, 0x8000000000000001UL},
	};

	for (u32 i = 0; i < ARRAY_SIZE(c); i++) {
		struct mmio_access acc = {
			.size = (u8)c[i].size, .sign_extend = c[i].sse, .reg64 = c[i].sf};
		u64 got = mmio_load_result(&acc, c[i].raw);

		CHECK_EQ(got, c[i].want);
		if (got != c[i].want)
			fprintf(stderr, "  (case %u)\n", i);
	}
}

/* ------------------------------------------------------------ whole abort */

static struct vcpu *setup_vcpu(void)
{
	struct vcpu *v;

	fake_vm_init(&vm, 1);
	v = &vm.vcpus[0];
	for (int i = 0; i < 31; i++)
		v->ctx.x[i] = 0xdead0000UL + (u64)i;
	return v;
}

/* A data abort at uart+off with the given ISS. */
static void uart_abort(struct vcpu *v, u64 off, u64 iss)
{
	fake_far_el2 = 0xffff800000000000UL | ((FAKE_UART_IPA + off) & 0xfff);
	fake_hpfar_el2 = hpfar_of(FAKE_UART_IPA + off);
	trap_dispatch(v, ESR_DABT_LOW | L_ESR_IL | iss);
}

static void test_dabt_read_write(void)
{
	struct vcpu *v = setup_vcpu();
	struct cpu_ctx before;

	uart_abort(v, 0x18, dabt_iss(2, 5, false, false, false)); /* ldr w5, FR */
	CHECK_EQ(v->ctx.x[5], 0x90);				  /* TXFE | RXFE */
	CHECK_EQ(v->ctx.pc, FAKE_PC + 4);
	CHECK_EQ(vm_exits(&vm, EXIT_DABT_MMIO), 1);
	CHECK_EQ(fake_esr_el1_writes, 0);
	v->ctx.x[3] = 0xffffffff12345678UL;
	uart_abort(v, 0x38, dabt_iss(2, 3, true, false, false)); /* str w3, IMSC */
	CHECK_EQ(vm_uart(&vm)->imsc, 0x678);
	CHECK_EQ(v->ctx.pc, FAKE_PC + 8);
	/* strb w4, IBRD with w4 = 0x1ff: the device sees 0xff. */
	v->ctx.x[4] = 0x1ff;
	uart_abort(v, 0x24, dabt_iss(0, 4, true, false, false));
	CHECK_EQ(vm_uart(&vm)->ibrd, 0xff);
	/* ldrsb x7, CellID1 (0xf0) sign-extends into the X register. */
	uart_abort(v, 0xff4, dabt_iss(0, 7, false, true, true));
	CHECK_EQ(v->ctx.x[7], 0xfffffffffffffff0UL);
	/* A load into xzr writes no register (x[31] would be the PC). */
	before = v->ctx;
	uart_abort(v, 0xfe0, dabt_iss(2, 31, false, false, true));
	CHECK_EQ(v->ctx.pc, before.pc + 4);
	CHECK(memcmp(v->ctx.x, before.x, sizeof(before.x)) == 0);
	/* A store of xzr stores 0. */
	vm_uart(&vm)->imsc = 0x7ff;
	uart_abort(v, 0x38, dabt_iss(2, 31, true, false, false));
	CHECK_EQ(vm_uart(&vm)->imsc, 0);
	CHECK_EQ(vm_exits(&vm, EXIT_DABT_MMIO), 6);
	CHECK_EQ(vm_exits(&vm, EXIT_ABORT_INJECTED), 0);
}

/* Each refusal becomes a synchronous external abort at the guest's vector,
 * the instruction not retired and the destination register untouched. */
static void check_refused(struct vcpu *v, u64 iss, u64 off, bool write, const char *why)
{
	v->ctx.pc = FAKE_PC;
	v->ctx.pstate = M_EL1H;
	v->ctx.x[9] = 0x99;
	uart_abort(v, off, iss);
	CHECK_EQ(v->ctx.pc, FAKE_VBAR + 0x200);
	CHECK_EQ(fake_elr_el1, FAKE_PC);
	CHECK_EQ(fake_esr_el1, (0x25UL << 26) | L_ESR_IL | 0x10 | (write ? WNR : 0));
	CHECK_EQ(fake_far_el1, fake_far_el2);
	CHECK_EQ(v->ctx.x[9], 0x99);
	CHECK(strstr(fake_log, why) != NULL);
	if (!strstr(fake_log, why))
		fprintf(stderr, "  log: %s", fake_log);
}

static void test_dabt_refused(void)
{
	struct vcpu *v = setup_vcpu();

	check_refused(v, dabt_iss(3, 9, false, false, true), 0x38, false, "unsupported width");
	check_refused(v, dabt_iss(2, 9, false, false, false), 0x3a, false, "misaligned");
	check_refused(v, dabt_iss(2, 9, false, false, false) & ~ISV, 0x38, false,
		      "without a valid syndrome");
	check_refused(v, dabt_iss(2, 9, true, false, false), 0x1000, true, "no memory or device");
	CHECK_EQ(vm_exits(&vm, EXIT_ABORT_INJECTED), 4);
	CHECK_EQ(vm_exits(&vm, EXIT_DABT_MMIO), 0);
	CHECK_EQ(vm_uart(&vm)->imsc, 0);
	/* From EL0 the abort is "from a lower EL" and goes to VBAR + 0x400. */
	v->ctx.pc = FAKE_PC;
	v->ctx.pstate = M_EL0T;
	uart_abort(v, 0x1000, dabt_iss(2, 9, false, false, false));
	CHECK_EQ(v->ctx.pc, FAKE_VBAR + 0x400);
	CHECK_EQ(fake_esr_el1 >> 26, 0x24);
	CHECK_EQ(fake_spsr_el1, M_EL0T);
}

/* The short path's one-AND test against the general path's checks: for
 * every offset and width, a pass means mmio_access_region calls the device;
 * with implemented registers a power of two in size the two agree exactly,
 * otherwise the short path only ever declines more (the general path still
 * does those accesses right).  A refused width never passes, not even at
 * offset 0 (the guard bit). */
static void test_fast_mask(void)
{
	static const struct mmio_ops odd_ops = {
		.read = dev_read,
		.write = dev_write,
		.widths = MMIO_W8 | MMIO_W32,
		.impl_size = 0x180,
	};
	const struct mmio_ops *ops[] = {&w32_ops, &all_ops, &odd_ops};
	u32 passes = 0, declined = 0;

	for (u32 k = 0; k < ARRAY_SIZE(ops); k++) {
		struct mmio_region t[1];
		struct dev_log d = {0};
		u32 n = 0;

		CHECK_EQ(mmio_register(t, &n, ipa_init(0x9000000), 0x2000, ops[k], &d), 0);
		for (u64 off = 0; off < 0x2000; off++)
			for (unsigned sas = 0; sas < 4; sas++) {
				u64 val = 0, before = d.reads;
				bool fast = mmio_fast_ok(&t[0], off, sas);
				enum mmio_result res = access(&t[0], off, 1u << sas, false, &val);
				bool called = res == MMIO_DONE && d.reads != before;

				if (fast) {
					CHECK(called);
					passes++;
				} else if (called) {
					CHECK(ops[k] == &odd_ops && off >= 0x100);
					declined++;
				}
			}
		CHECK(!mmio_fast_ok(&t[0], 0, 3) || (ops[k]->widths & MMIO_W64));
	}
	CHECK(!mmio_fast_ok(&(struct mmio_region){.fast_mask = {~0UL, ~0UL, ~0UL, ~0UL}}, 0, 0));
	/* The short path has no range test of its own: a pass must also mean
	 * inside the region, when the region is smaller than the registers
	 * (and for offsets an IPA below the base wraps to). */
	for (u64 rsize = 0x40; rsize <= 0x300; rsize += 0x40) {
		struct mmio_region t[1];
		struct dev_log d = {0};
		u32 n = 0;

		CHECK_EQ(mmio_register(t, &n, ipa_init(0x9000000), rsize, &all_ops, &d), 0);
		for (u64 off = 0; off < 0x1000; off++)
			for (unsigned sas = 0; sas < 4; sas++) {
				CHECK(!mmio_fast_ok(&t[0], off, sas) || off + (1u << sas) <= rsize);
				CHECK(!mmio_fast_ok(&t[0], -off - 1, sas));
			}
	}
	/* A general-path-only device (the vGIC's) never passes. */
	{
		static const struct mmio_ops gen_ops = {.read = dev_read,
							.write = dev_write,
							.widths = MMIO_W8 | MMIO_W32,
							.impl_size = 0x1000,
							.general_only = true};
		struct mmio_region t[1];
		struct dev_log d = {0};
		u32 n = 0;

		CHECK_EQ(mmio_register(t, &n, ipa_init(0x9000000), 0x1000, &gen_ops, &d), 0);
		for (u64 off = 0; off < 0x1000; off += 4)
			CHECK(!mmio_fast_ok(&t[0], off, 2));
		CHECK(mmio_access_region(
			      &t[0], NULL,
			      &(struct mmio_access){.ipa = ipa_init(0x9000004), .size = 4},
			      &(u64){0}) == MMIO_DONE);
	}
	CHECK(passes > 0);
	CHECK(declined > 0); /* the odd-sized device's last 0x80 bytes */
}

int main(void)
{
	RUN_TEST(test_decode_rejects);
	RUN_TEST(test_decode_fields);
	RUN_TEST(test_decode_ipa);
	RUN_TEST(test_register_refusals);
	RUN_TEST(test_find_edges);
	RUN_TEST(test_fast_mask);
	RUN_TEST(test_access_order);
	RUN_TEST(test_write_value_narrowed);
	RUN_TEST(test_load_result);
	RUN_TEST(test_dabt_read_write);
	RUN_TEST(test_dabt_refused);
	return check_done();
}
