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
}
