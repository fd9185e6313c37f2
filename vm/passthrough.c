/* Physical interrupts passed through to the VM that owns their device:
 * claimed at creation, mapped into the vGIC on every start, released when
 * the VM ends. */
#include "vm/passthrough.h"
#include "arch/percpu.h"
#include "drivers/gic.h"
#include "vm/vgic.h"
#include "vm/vm.h"

/* Physical SPIs given to VMs by their descriptions (checked unique at build
 * time). */
static struct vm *spi_owner[1020];

struct vm *vm_spi_owner(u32 intid)
{
	return intid >= 32 && intid < ARRAY_SIZE(spi_owner) ? spi_owner[intid] : NULL;
}

/* A passthrough interrupt is routed to the CPU of the VM's vCPU 0 and
 * forwarded with the HW bit: the guest's EOI deactivates it. */
void vm_claim_spis(struct vm *vm)
{
	const struct vm_config *c = vm->cfg;

	for (u32 d = 0; d < c->nr_devices; d++)
		for (u32 i = 0; i < c->devices[d].nr_irqs; i++) {
			u32 intid = c->devices[d].irqs[i];
			if (intid < 32 || intid >= ARRAY_SIZE(spi_owner) || intid >= VGIC_NR_IRQS)
				continue;
			spi_owner[intid] = vm;
			gic_enable_spi(intid, percpu_data[vm->vcpus[0].pcpu].mpidr);
		}
}

void vm_map_spis(struct vm *vm)
{
	for (u32 intid = 32; intid < VGIC_NR_IRQS; intid++)
		if (spi_owner[intid] == vm)
			vgic_map_hw(&vm->vcpus[0], intid, intid);
}

/* An ending VM may have left a forwarded interrupt active: release it. */
void vm_release_spis(struct vm *vm)
{
	for (u32 intid = 32; intid < VGIC_NR_IRQS; intid++)
		if (spi_owner[intid] == vm)
			gic_deactivate(intid);
}
