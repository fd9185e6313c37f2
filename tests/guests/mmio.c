/* Emulated MMIO through Stage-2 data aborts: the virtual PL011. */
#include "guest.h"

void guest_main(u64 dtb);

#define U(off) (UART_BASE + (off))

static u64 exc_before;

static bool aborted_since(void)
{
	bool hit = g_last_exc.count != exc_before;
	exc_before = g_last_exc.count;
	return hit;
}

/* The exit short path saves x0-x19 and x30 only, so it refuses an access
 * whose Rt is x20-x29 and the general path does it: each register class
 * must load and store the right value, and no other register may change.
 * Loads of PeriphID0 (0x11) into x19, x25 and x30; IMSC written from x22
 * and read back through x5; CellID1 (0xf0) sign-extended into x21. */
static void check_regs_through_mmio(void)
{
	u64 r19, r25, r30, r5, r21, r20, r26;

	__asm__ volatile("mov	x20, #0x2020\n"
			 "mov	x26, #0x2626\n"
			 "mov	x22, #0x41\n"
			 "ldr	w19, [%[id]]\n"
			 "ldr	w25, [%[id]]\n"
			 "mov	x24, x30\n"
			 "ldr	w30, [%[id]]\n"
			 "mov	%[r30], x30\n"
			 "mov	x30, x24\n"
			 "str	w22, [%[imsc]]\n"
			 "ldr	w5, [%[imsc]]\n"
			 "ldrsb	x21, [%[cid1]]\n"
			 "mov	%[r20], x20\n"
			 "mov	%[r26], x26\n"
			 "mov	%[r19], x19\n"
			 "mov	%[r25], x25\n"
			 "mov	%[r5], x5\n"
			 "mov	%[r21], x21\n"
			 : [r19] "=r"(r19), [r25] "=r"(r25), [r30] "=&r"(r30), [r5] "=r"(r5),
			   [r21] "=r"(r21), [r20] "=r"(r20), [r26] "=r"(r26)
			 : [id] "r"(U(0xfe0)), [imsc] "r"(U(0x38)), [cid1] "r"(U(0xff4))
			 : "x5", "x19", "x20", "x21", "x22", "x24", "x25", "x26", "cc", "memory");
	CHECK_EQ("mmio-rt-x19", r19, 0x11);
	CHECK_EQ("mmio-rt-x25", r25, 0x11);
	CHECK_EQ("mmio-rt-x30", r30, 0x11);
	CHECK_EQ("mmio-store-from-x22", r5, 0x41);
	CHECK_EQ("mmio-ldrsb-x21", r21, 0xfffffffffffffff0UL);
	CHECK_EQ("mmio-x20-kept", r20, 0x2020);
	CHECK_EQ("mmio-x26-kept", r26, 0x2626);
	mmio_write32(U(0x38), 0);
}

/* The short path tries the region its last access hit first: accesses
 * alternating between the vPL011 and the vGIC distributor (and one to an
 * unmapped address in between) must each reach the right device every
 * time.  GICD_TYPER is constant, and no UART register reads like it. */
static void check_region_alternation(void)
{
	u32 typer = mmio_read32(GICD_BASE + 0x4);
	bool ok = typer != 0 && typer != 0x11;

	for (int i = 0; i < 16 && ok; i++) {
		ok = mmio_read32(U(0xfe0)) == 0x11 && mmio_read32(GICD_BASE + 0x4) == typer &&
		     (mmio_read32(U(0x18)) & 0x90) == 0x90;
		if (i == 8) {
			(void)mmio_read32(U(0x1000)); /* nothing mapped: aborts */
			ok = ok && aborted_since();
		}
	}
	g_check("mmio-region-alternation", ok, "typer 0x%x", typer);
}

/* The short path's own register handling: a store of WZR writes 0, a
 * narrow store writes only its bytes of a wider register (IMSC keeps 11
 * bits, so a byte store of 0x441 must leave 0x41), and a load into WZR
 * (the general path's) reads the device and changes no register. */
static void check_zero_and_narrow(void)
{
	u64 imsc_after_wzr, imsc_after_strb, x5 = 0x5555, x6 = 0x6666;

	mmio_write32(U(0x38), 0x50);
	__asm__ volatile("str	wzr, [%[imsc]]\n"
			 "ldr	%w[a], [%[imsc]]\n"
			 "mov	x7, #0x441\n"
			 "strb	w7, [%[imsc]]\n"
			 "ldr	%w[b], [%[imsc]]\n"
			 "ldr	wzr, [%[fr]]\n"
			 : [a] "=&r"(imsc_after_wzr), [b] "=&r"(imsc_after_strb), "+r"(x5), "+r"(x6)
			 : [imsc] "r"(U(0x38)), [fr] "r"(U(0x18))
			 : "x7", "memory");
	CHECK_EQ("mmio-str-wzr-writes-zero", imsc_after_wzr, 0);
	CHECK_EQ("mmio-strb-narrows", imsc_after_strb, 0x41);
	g_check("mmio-ldr-wzr-completes", !aborted_since() && x5 == 0x5555 && x6 == 0x6666,
		"x5 0x%lx x6 0x%lx", (unsigned long)x5, (unsigned long)x6);
	mmio_write32(U(0x38), 0);
}

void guest_main(u64 dtb)
{
	static const u8 ids[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};
	u64 v;

	CHECK_EQ("fr-txfe-rxfe", mmio_read32(U(0x18)) & 0x90, 0x90);
	for (int i = 0; i < 8; i++) {
		char name[24];
		snprintf(name, sizeof(name), "id-reg-%d", i);
		CHECK_EQ(name, mmio_read32(U(0xfe0 + 4 * i)), ids[i]);
	}
	mmio_write32(U(0x38), 0x50);
	CHECK_EQ("imsc-readback", mmio_read32(U(0x38)), 0x50);
	mmio_write32(U(0x38), 0xffffffff);
	CHECK_EQ("imsc-masked-to-valid-bits", mmio_read32(U(0x38)), 0x7ff);
	mmio_write32(U(0x38), 0);
	mmio_write32(U(0x18), 0);
	CHECK_EQ("fr-read-only", mmio_read32(U(0x18)) & 0x90, 0x90);
	CHECK_EQ("reserved-offset-raz", mmio_read32(U(0x800)), 0);
	CHECK_EQ("16-bit-access", mmio_read16(U(0xfe0)), 0x11);
	/* Sign-extending byte load of CellID1 (0xf0). */
	__asm__ volatile("ldrsb %0, [%1]" : "=r"(v) : "r"(U(0xff4)) : "memory");
	CHECK_EQ("ldrsb-sign-extends", v, 0xfffffffffffffff0UL);
	__asm__ volatile("ldrsb %w0, [%1]" : "=r"(v) : "r"(U(0xff4)) : "memory");
	CHECK_EQ("ldrsb-w-register", v & 0xffffffff, 0xfffffff0UL);

	exc_before = g_last_exc.count;
	v = mmio_read64(U(0x38)); /* 64-bit: not a PL011 access width */
	g_check("64-bit-width-aborts", aborted_since() && (g_last_exc.esr >> 26) == 0x25,
		"esr 0x%lx", (unsigned long)g_last_exc.esr);
	CHECK_EQ("abort-is-external", g_last_exc.esr & 0x3f, 0x10);
	CHECK_EQ("abort-far", g_last_exc.far, U(0x38));
	/* Misaligned: with the guest's MMU off this is Device memory, so the
	 * CPU faults it at stage 1 before EL2 sees it; either way it aborts. */
	v = mmio_read32(U(0x3a));
	g_check("misaligned-aborts", aborted_since(), "no abort");
	{
		u64 a, b;
		__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(a), "=r"(b) : "r"(U(0x38)) : "memory");
	}
	g_check("ldp-no-syndrome-aborts", aborted_since(), "no abort");
	v = U(0x38);
	__asm__ volatile("ldr wzr, [%0], #4" : "+r"(v) : : "memory");
	g_check("post-index-no-syndrome-aborts", aborted_since(), "no abort");
	CHECK_EQ("uart-still-works", mmio_read32(U(0xfe0)), 0x11);
	check_regs_through_mmio();
	check_region_alternation();
	check_zero_and_narrow();
}
