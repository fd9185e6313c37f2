/* Host stand-ins for everything the guest-facing VM code (the exit layer in
 * vm/exit/, vm/mmio.c, vm/vdev.c, vm/guest_mem.c, vm/dev/uart.c,
 * vm/dev/vpl011.c, arch/arm64/inject.c, lib/ratelimit.c) calls outside
 * itself: system registers, the physical console and its line prefixes,
 * log_printf, vCPU/VM state changes, Stage-2 mapping and the arch hooks.
 * Fakes record; none re-implements EL2 code (the line discipline is reduced
 * to its prefixing, since its real state is global).  Every
 * fake records what it was asked so tests can check both effects and the
 * absence of effects. */
#ifndef AETHER_FAKE_EL2_H
#define AETHER_FAKE_EL2_H

#include "arch/sysreg.h"
#include "vm/dev/uart.h"
#include "vm/guest_mem.h"
#include "vm/vm.h"

/* fake_<reg> backs read_<reg>()/write_<reg>(); fake_<reg>_writes counts
 * write_<reg>() calls. */
#define FAKE_SYSREG_EXTERN(r) \
	extern u64 fake_##r;  \
	extern unsigned fake_##r##_writes;
AETHER_SYSREGS(FAKE_SYSREG_EXTERN)
#ifdef AETHER_SYSREGS_ENC
#define FAKE_SYSREG_ENC_EXTERN(r, enc) FAKE_SYSREG_EXTERN(r)
AETHER_SYSREGS_ENC(FAKE_SYSREG_ENC_EXTERN)
#undef FAKE_SYSREG_ENC_EXTERN
#endif
#undef FAKE_SYSREG_EXTERN

/* Guest RAM of the fake VM: FAKE_RAM_SIZE bytes at IPA FAKE_RAM_IPA. */
#define FAKE_RAM_IPA 0x40000000UL
#define FAKE_RAM_SIZE (64 * SZ_1K)
#define FAKE_UART_IPA 0x09000000UL
#define FAKE_VBAR 0x40008000UL /* the fake guest's VBAR_EL1 */
#define FAKE_PC 0x40001000UL   /* where the fake vCPU 0 "trapped" */
#define FAKE_VM_ID 3
#define FAKE_VM_NAME "testvm"
extern u8 fake_ram[FAKE_RAM_SIZE];

struct fake_calls {
	unsigned vm_end, vm_reset, power_on, power_off, wait, dcache, kick;
	bool off_is_last; /* what vcpu_power_off() answers */
	struct vm *end_vm, *reset_vm;
	enum vm_end_reason end_reason;
	struct vcpu *on_vcpu, *off_vcpu, *wait_vcpu;
	u64 on_entry, on_ctx;
	void *dcache_va;
	u64 dcache_size;
	unsigned s2_map; /* s2_map(): the last call's arguments */
	u64 s2_ipa, s2_pa, s2_size;
	u32 s2_attrs;
	unsigned set_level, rx_irq_on; /* vgic_set_level(), uart_console_set_rx_irq(true) */
	unsigned rx_irq_off;	       /* uart_console_set_rx_irq(false) */
	bool rx_irq;		       /* the last of those: input on */
	u32 level_intid;
	bool level;
	unsigned sgi1r; /* vgic_sgi1r_write() */
	struct vcpu *sgi1r_vcpu;
	u64 sgi1r_val;
};
extern struct fake_calls fake_calls;
/* Bytes console_getc hands out (then -1), and a hook run by every
 * uart_console_set_rx_irq after it is recorded; both cleared by
 * fake_el2_reset. */
extern const char *fake_console_input;
extern void (*fake_rx_irq_hook)(bool on);

/* Last line given to log_printf (vm_log), and how many there were. */
#define FAKE_LOG_MAX 512
extern char fake_log[FAKE_LOG_MAX];
extern unsigned fake_log_count;

/* Everything sent to console_putc/console_write, NUL-terminated; bytes past
 * the buffer are counted in fake_console_total but not kept.  VM output
 * (console_vm_putc) gets the "[name] " line prefix as lib/log.c gives it. */
#define FAKE_CONSOLE_MAX 16384
extern char fake_console[FAKE_CONSOLE_MAX];
extern size_t fake_console_len, fake_console_total;

/* pmu_el2_instructions() returns fake_pmu_insns. */
extern u64 fake_pmu_insns;

/* arch_read_id_reg(crm, op2) returns fake_id_regs[crm][op2]. */
extern u64 fake_id_regs[16][8];

/* Clears every fake: registers, calls, log, console, ID registers, RAM. */
void fake_el2_reset(void);
void fake_console_clear(void);
/* A running VM named FAKE_VM_NAME with nr_vcpus vCPUs (vCPU 0 runnable at
 * FAKE_PC in EL1h, the rest off), RAM over fake_ram and a vPL011 at
 * FAKE_UART_IPA.  Also resets the fakes and sets VBAR_EL1 to FAKE_VBAR. */
void fake_vm_init(struct vm *vm, u32 nr_vcpus);
/* a and b hold the same bytes, spinlocks aside (on the host a lock only
 * counts its acquisitions, which is not a change of state). */
bool fake_vm_equal(const struct vm *a, const struct vm *b);

#endif
