# The virtual GICv3: distributor and redistributor models, list registers.
EL2_SRCS += vm/vgic/vgic.c vm/vgic/dist.c vm/vgic/redist.c vm/vgic/lr.c vm/vgic/regs.c vm/vgic/dist_v2.c
