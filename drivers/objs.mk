EL2_SRCS += drivers/fdt.c
HOST_CORE_SRCS += drivers/fdt.c
EL2_SRCS += drivers/print.c drivers/log.c drivers/pl011.c drivers/gicv3.c
