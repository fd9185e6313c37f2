EL2_SRCS += drivers/pl011.c drivers/gicv3.c drivers/machine.c
