/* Host fakes for the guest-facing VM code; see fake_el2.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch/idregs.h"
#include "fake_el2.h"
#include "arch/pmu.h"
#include "arch/regs.h"
#include "lib/log.h"
#include "arch/idregs.h"
#include "vm/dev/uart.h"
#include "drivers/gic.h"
#include "vm/exit/sysreg_trap.h"
#include "vm/lifecycle.h"
#include "vm/sched.h"
#include "vm/vcpu_ops.h"
#include "vm/vgic.h"

#define FAKE_SYSREG_DEF(r)           \
	u64 fake_##r;                \
	unsigned fake_##r##_writes;  \
	u64 read_##r(void)           \
	{                            \
		return fake_##r;     \
	}                            \
	void write_##r(u64 v)        \
	{                            \
		fake_##r = v;        \
		fake_##r##_writes++; \
	}
AETHER_SYSREGS(FAKE_SYSREG_DEF)
#ifdef AETHER_SYSREGS_ENC
#define FAKE_SYSREG_ENC_DEF(r, enc) FAKE_SYSREG_DEF(r)
AETHER_SYSREGS_ENC(FAKE_SYSREG_ENC_DEF)
#endif

#define FAKE_SYSREG_CLEAR(r) \
	fake_##r = 0;        \
	fake_##r##_writes = 0;
#define FAKE_SYSREG_ENC_CLEAR(r, enc) FAKE_SYSREG_CLEAR(r)

u8 fake_ram[FAKE_RAM_SIZE];
struct fake_calls fake_calls;
char fake_log[FAKE_LOG_MAX];
bool gic_v2; /* the host's GIC, as drivers/gic.c has it */
unsigned fake_log_count;
char fake_console[FAKE_CONSOLE_MAX];
size_t fake_console_len, fake_console_total;
u64 fake_id_regs[16][8];
u64 fake_pmu_insns;
static const struct console_line *fake_line_owner; /* console_vm_putc's state */
static bool fake_at_line_start = true;

static const struct vm_config fake_cfg = {
	.name = FAKE_VM_NAME,
	.mem_size = FAKE_RAM_SIZE,
	.ram_ipa = FAKE_RAM_IPA,
	.nr_vcpus = 1,
};

void fake_console_clear(void)
{
	memset(fake_console, 0, sizeof(fake_console));
	fake_console_len = 0;
	fake_console_total = 0;
}

void fake_el2_reset(void)
{
	AETHER_SYSREGS(FAKE_SYSREG_CLEAR)
#ifdef AETHER_SYSREGS_ENC
	AETHER_SYSREGS_ENC(FAKE_SYSREG_ENC_CLEAR)
#endif
	fake_cntfrq_el0 = 1000000; /* 1 MHz: a rate-limit window is 1e6 ticks */
	memset(&fake_calls, 0, sizeof(fake_calls));
	memset(fake_log, 0, sizeof(fake_log));
	fake_log_count = 0;
	fake_console_clear();
	fake_line_owner = NULL;
	fake_at_line_start = true;
	fake_console_input = NULL;
	fake_rx_irq_hook = NULL;
	memset(fake_id_regs, 0, sizeof(fake_id_regs));
	fake_pmu_insns = 0;
	memset(fake_ram, 0, sizeof(fake_ram));
}

void fake_vm_init(struct vm *vm, u32 nr_vcpus)
{
	fake_el2_reset();
	fake_vbar_el1 = FAKE_VBAR;
	memset(vm, 0, sizeof(*vm));
	vm->id = FAKE_VM_ID;
	vm->cfg = &fake_cfg;
	vm->state = VM_RUNNING;
	vm->ram_ipa = ipa_init(FAKE_RAM_IPA);
	vm->ram_pa = ptr_to_pa(fake_ram);
	vm->ram_size = FAKE_RAM_SIZE;
	vm->nr_vcpus = nr_vcpus;
	for (u32 i = 0; i < nr_vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		vm->vcpus[i].ctx.pstate = PSR_MODE_EL1H;
	}
	vm->vcpus[0].state = VCPU_RUNNABLE;
	vm->vcpus[0].ctx.pc = FAKE_PC;
	vm_dev_attach_one(vm, &uart_dev);
}

bool fake_vm_equal(const struct vm *a, const struct vm *b)
{
	static struct vm tmp;

	memcpy(&tmp, a, sizeof(tmp));
	tmp.lock = b->lock;
	if (vm_uart(&tmp) && vm_uart(b))
		vm_uart(&tmp)->lock = vm_uart(b)->lock;
	tmp.vgic.lock = b->vgic.lock;
	return memcmp(&tmp, b, sizeof(tmp)) == 0;
}

/* ------------------------------------------------------------ console, log */

void console_putc(char c)
{
	if (fake_console_len + 1 < FAKE_CONSOLE_MAX)
		fake_console[fake_console_len++] = c;
	fake_console_total++;
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(s[i]);
}

/* lib/log.c's line discipline, without its holding back of lines: a
 * VM's line starts with "[name] ", another writer's unfinished line is ended
 * first. */
void console_line_init(struct console_line *cl, const char *name)
{
	cl->name = name;
	cl->n = 0;
}

void console_vm_putc(struct console_line *cl, char c)
{
	if (!fake_at_line_start && fake_line_owner != cl) {
		console_putc('\n');
		fake_at_line_start = true;
	}
	fake_line_owner = cl;
	if (fake_at_line_start) {
		console_putc('[');
		console_write(cl->name, strlen(cl->name));
		console_write("] ", 2);
	}
	console_putc(c);
	fake_at_line_start = c == '\n';
}

const char *fake_console_input;
void (*fake_rx_irq_hook)(bool on);

int console_getc(void)
{
	if (!fake_console_input || !*fake_console_input)
		return -1;
	return (u8)*fake_console_input++;
}

void log_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fake_log, sizeof(fake_log), fmt, ap);
	va_end(ap);
	fake_log_count++;
}

/* ------------------------------------------------------------ VM, vCPU */

void vm_end(struct vm *vm, enum vm_end_reason why)
{
	fake_calls.vm_end++;
	fake_calls.end_vm = vm;
	fake_calls.end_reason = why;
	vm->state = VM_ENDED;
	vm->end_reason = why;
}

void vm_reset(struct vm *vm)
{
	fake_calls.vm_reset++;
	fake_calls.reset_vm = vm;
}

void vcpu_power_on(struct vcpu *v, u64 entry, u64 context_id)
{
	fake_calls.power_on++;
	fake_calls.on_vcpu = v;
	fake_calls.on_entry = entry;
	fake_calls.on_ctx = context_id;
	v->state = VCPU_RUNNABLE;
}

bool vcpu_power_off(struct vcpu *v)
{
	fake_calls.power_off++;
	fake_calls.off_vcpu = v;
	v->state = VCPU_OFF;
	return fake_calls.off_is_last;
}

void vcpu_kick(struct vcpu *v)
{
	fake_calls.kick++;
}

void vcpu_wait(struct vcpu *v)
{
	fake_calls.wait++;
	fake_calls.wait_vcpu = v;
}

/* ------------------------------------------------------------ arch hooks */

u64 arch_read_id_reg(u32 crm, u32 op2)
{
	return fake_id_regs[crm & 0xf][op2 & 7];
}

u64 pmu_el2_instructions(void)
{
	return fake_pmu_insns;
}

void arch_dcache_clean_inval(void *va, u64 size)
{
	fake_calls.dcache++;
	fake_calls.dcache_va = va;
	fake_calls.dcache_size = size;
}

/* ------------------------------------------------------------ mm */

int s2_map(struct s2_pgtable *pt, ipaddr_t ipa, paddr_t pa, u64 size, u32 attrs)
{
	fake_calls.s2_map++;
	fake_calls.s2_ipa = ipa_addr(ipa);
	fake_calls.s2_pa = pa_addr(pa);
	fake_calls.s2_size = size;
	fake_calls.s2_attrs = attrs;
	return 0;
}

/* ------------------------------------------------------------ vGIC */

void vgic_set_level(struct vm *vm, struct vcpu *v, u32 intid, bool level)
{
	fake_calls.set_level++;
	fake_calls.level_intid = intid;
	fake_calls.level = level;
}

void vgic_sgi1r_write(struct vcpu *v, u64 val)
{
	fake_calls.sgi1r++;
	fake_calls.sgi1r_vcpu = v;
	fake_calls.sgi1r_val = val;
}

/* ------------------------------------------------------------ drivers */

void uart_console_set_rx_irq(bool on)
{
	if (on)
		fake_calls.rx_irq_on++;
	else
		fake_calls.rx_irq_off++;
	fake_calls.rx_irq = on;
	if (fake_rx_irq_hook)
		fake_rx_irq_hook(on);
}
