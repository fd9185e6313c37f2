# The virtual GICv3: distributor and redistributor models, list registers.
EL2_SRCS += vm/vgic/vgic.c vm/vgic/dist.c vm/vgic/redist.c vm/vgic/lr.c vm/vgic/regs.c vm/vgic/dist_v2.c
# The register models run only on the general path (mmio_ops.general_only:
# the list registers are synced and the vGIC lock taken first), so they are
# built for size; the list registers and the interrupt logic stay -O2.
EL2_COLD += vm/vgic/dist.c vm/vgic/redist.c vm/vgic/regs.c vm/vgic/dist_v2.c
