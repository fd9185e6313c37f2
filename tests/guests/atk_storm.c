/* Hostile guest, scenario 11: a trap storm for 1 s of guest time - tight
 * loops of hypercalls, emulated MMIO reads and writes (UART, GIC) and
 * trapped system register writes (ICC_SGI1R to itself), with its own
 * virtual timer firing every 100 us and SGIs pending all the time.
 * tests/hostile/cases.py compares the victim's heartbeat with the baseline
 * (atk_idle: the same second of busy guest time without exits). */
#include "atk_lib.c"

void guest_main(u64 dtb);

void guest_main(u64 dtb)
{
	u64 t0 = atk_ms(), tick = read_cntfrq() / 1000, hvcs = 0, mmios = 0, sgis = 0;

	gic_init_dist();
	gic_init_cpu(0);
	gic_enable_private(0, 27);
	mmio_write32(GICR_BASE + 0x10000 + 0x100, 0xffff);
	irq_enable();
	while (atk_ms() - t0 < 1000) {
		__asm__ volatile("msr cntv_cval_el0, %0; msr cntv_ctl_el0, %1; isb"
				 :
				 : "r"(read_cntvct() + tick / 10), "r"(1UL));
		for (int i = 0; i < 16; i++) {
			hvc_call(AETHER_HC_ECHO, i, 0, 0);
			smc_call(AETHER_HC_VM_INFO, 0, 0, 0);
			hvcs += 2;
			(void)mmio_read32(UART_BASE + 0x18);
			(void)mmio_read32(GICD_BASE + 0x4);
			mmio_write32(GICD_BASE + 0x400, 0);
			mmios += 3;
			gic_send_sgi(i & 15, 0);
			sgis++;
		}
	}
	irq_disable();
	__asm__ volatile("msr cntv_ctl_el0, xzr");
	u64 irqs = 0;
	for (int i = 0; i < 32; i++)
		irqs += g_irq_count[0][i];
	g_printf("attacker: storm of %lu hypercalls, %lu MMIO exits, %lu SGIs, %lu interrupts "
		 "taken in 1 s\n",
		 (unsigned long)hvcs, (unsigned long)mmios, (unsigned long)sgis,
		 (unsigned long)irqs);
	g_check("storm-ran", hvcs > 1000 && irqs > 100, "hvcs %lu irqs %lu", (unsigned long)hvcs,
		(unsigned long)irqs);
}
