EL2_SRCS += vm/vgic.c vm/vgic_dist.c vm/vgic_redist.c
