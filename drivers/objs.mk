EL2_SRCS += drivers/uart/console.c drivers/uart/compat.c drivers/uart/pl011.c \
	drivers/uart/ns16550.c drivers/uart/cdns.c drivers/gic.c drivers/gicv3.c drivers/gicv2.c \
	drivers/machine.c
# The console: its cost is the UART, not the code (as lib/log.c).
EL2_COLD += drivers/uart/console.c drivers/uart/compat.c drivers/uart/pl011.c \
	drivers/uart/ns16550.c drivers/uart/cdns.c
