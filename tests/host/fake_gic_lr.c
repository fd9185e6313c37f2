/* See fake_gic_lr.h. */
#include "fake_gic_lr.h"
#include "drivers/gic.h"

u64 fake_lr[GIC_MAX_LRS];
u64 fake_hcr;
u32 fake_deactivated;
struct percpu percpu_data[MAX_CPUS];

u64 arch_read_lr(u32 n)
{
	return fake_lr[n];
}

void arch_write_lr(u32 n, u64 val)
{
	fake_lr[n] = val;
}

void arch_gic_hcr_write(u64 val)
{
	fake_hcr = val;
}

void gic_deactivate(u32 token)
{
	fake_deactivated++;
}

struct percpu *this_cpu(void)
{
	return &percpu_data[0];
}
