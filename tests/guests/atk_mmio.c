/* Hostile guest, scenario 3: MMIO that the hypervisor cannot or must not
 * emulate - no valid syndrome (load/store pair, pre/post-index writeback,
 * SIMD, DC ZVA), wrong width, misaligned - against the virtual PL011
 * (0x0900_0000), GIC distributor (0x0800_0000) and redistributor
 * (0x080a_0000).  Device-mapped misaligned accesses fault at Stage-1 in the
 * guest itself; through a Normal-memory alias of the same IPAs
 * (atk_lib.c) they reach the hypervisor, which refuses them.  Every access
 * must come back as one data abort, and the devices must work afterwards. */
#include "atk_lib.c"

void guest_main(u64 dtb);

static u64 before;

static void expect_abort(const char *what, u64 addr)
{
	char name[72];

	snprintf(name, sizeof(name), "%s-0x%lx", what, (unsigned long)addr);
	g_check(name, atk_exc_since(&before) && atk_ec() == 0x25, "esr 0x%lx far 0x%lx",
		(unsigned long)g_last_exc.esr, (unsigned long)g_last_exc.far);
}

static void no_syndrome(u64 a)
{
	u64 x = 0, y = 0, p;

	__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(x), "=r"(y) : "r"(a) : "memory");
	expect_abort("ldp-w", a);
	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(x), "=r"(y) : "r"(a) : "memory");
	expect_abort("ldp-x", a);
	__asm__ volatile("stp %w0, %w0, [%1]" : : "r"(0UL), "r"(a) : "memory");
	expect_abort("stp-w", a);
	p = a;
	__asm__ volatile("ldr %w0, [%1], #4" : "=r"(x), "+r"(p) : : "memory");
	expect_abort("ldr-post-index", a);
	g_check("post-index-base-unchanged", p == a, "base 0x%lx", (unsigned long)p);
	p = a - 4;
	__asm__ volatile("ldr %w0, [%1, #4]!" : "=r"(x), "+r"(p) : : "memory");
	expect_abort("ldr-pre-index", a);
	p = a;
	__asm__ volatile("str %w0, [%1], #-4" : "+r"(x), "+r"(p) : : "memory");
	expect_abort("str-post-index", a);
	__asm__ volatile("ld1 {v0.4s}, [%0]" : : "r"(a) : "v0", "memory");
	expect_abort("simd-ld1", a);
	__asm__ volatile("movi v0.16b, #0; str q0, [%0]" : : "r"(a) : "v0", "memory");
	expect_abort("simd-str-q", a);
	__asm__ volatile("ldr s0, [%0]" : : "r"(a) : "v0", "memory");
	expect_abort("fp-ldr-s", a);
	(void)y;
}

void guest_main(u64 dtb)
{
	static const u64 devs[] = {UART_BASE + 0x38, GICD_BASE + 0x400,
				   GICR_BASE + 0x10000 + 0x400};
	u64 v = 0;

	atk_mmu_on();
	gic_init_dist();
	gic_init_cpu(0);
	before = g_last_exc.count;
	/* One of each kind first, so the hypervisor's log names them all. */
	v = mmio_read64(UART_BASE + 0x38);
	expect_abort("uart-64bit", UART_BASE + 0x38);
	v = mmio_read32(ATK_NORMAL_ALIAS + UART_BASE + 0x3a);
	expect_abort("uart-misaligned-normal", UART_BASE + 0x3a);
	v = mmio_read32(ATK_NORMAL_ALIAS + GICD_BASE + 0x402);
	expect_abort("gicd-misaligned32-normal", GICD_BASE + 0x402);
	v = mmio_read16(GICD_BASE + 0x400);
	expect_abort("gicd-16bit", GICD_BASE + 0x400);
	no_syndrome(UART_BASE + 0x38);

	for (unsigned i = 0; i < ARRAY_SIZE(devs); i++) {
		u64 a = devs[i];
		no_syndrome(a);
		/* The same through the Normal alias (reaches EL2 as-is). */
		no_syndrome(ATK_NORMAL_ALIAS + a);
		__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(a + 2) : "memory");
		expect_abort("misaligned-device", a + 2);
		__asm__ volatile("ldr %w0, [%1]"
				 : "=r"(v)
				 : "r"(ATK_NORMAL_ALIAS + a + 2)
				 : "memory");
		expect_abort("misaligned-normal", a + 2);
		__asm__ volatile("str %w0, [%1]"
				 :
				 : "r"(0UL), "r"(ATK_NORMAL_ALIAS + a + 1)
				 : "memory");
		expect_abort("misaligned-store-normal", a + 1);
		__asm__ volatile("ldr %0, [%1]"
				 : "=r"(v)
				 : "r"(ATK_NORMAL_ALIAS + a + 4)
				 : "memory");
		expect_abort("misaligned64-normal", a + 4);
		if (a != UART_BASE + 0x38) { /* the PL011 takes 16-bit accesses */
			__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(a) : "memory");
			expect_abort("16bit", a);
		}
		__asm__ volatile("dc zva, %0"
				 :
				 : "r"(ATK_NORMAL_ALIAS + (a & ~0xfffUL))
				 : "memory");
		expect_abort("dc-zva", a & ~0xfffUL);
	}
	/* 64-bit to the PL011, 16-bit to the GIC frames, across the end of a
	 * device's window (misaligned 8 bytes at its last word). */
	__asm__ volatile("str %0, [%1]" : : "r"(~0UL), "r"(UART_BASE) : "memory");
	expect_abort("uart-64bit-store-dr", UART_BASE);
	__asm__ volatile("ldr %0, [%1]"
			 : "=r"(v)
			 : "r"(ATK_NORMAL_ALIAS + GICD_BASE + 0xfffc)
			 : "memory");
	expect_abort("gicd-straddles-end", GICD_BASE + 0xfffc);
	__asm__ volatile("ldr %0, [%1]"
			 : "=r"(v)
			 : "r"(ATK_NORMAL_ALIAS + UART_BASE + 0xffc)
			 : "memory");
	expect_abort("uart-straddles-end", UART_BASE + 0xffc);

	/* The devices still answer, and nothing above changed their state. */
	CHECK_EQ("uart-id-after", mmio_read32(UART_BASE + 0xfe0), 0x11);
	CHECK_EQ("uart-imsc-untouched", mmio_read32(UART_BASE + 0x38), 0);
	CHECK_EQ("gicd-ctlr-after", mmio_read32(GICD_BASE) & 0x12, 0x12);
	CHECK_EQ("gicd-ipriority-untouched", mmio_read32(GICD_BASE + 0x400), 0);
	CHECK_EQ("gicr-ipriority-untouched", mmio_read32(GICR_BASE + 0x10000 + 0x400), 0);
	g_printf("attacker: %lu MMIO attacks contained\n", (unsigned long)g_last_exc.count);
}
