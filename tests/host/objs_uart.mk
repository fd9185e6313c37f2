# The console UART drivers over register models (tests/host/test_uart.c).
HOST_TESTS += uart
test_uart_SRCS := tests/host/test_uart.c drivers/uart/ns16550.c drivers/uart/cdns.c \
	drivers/uart/pl011.c drivers/uart/compat.c drivers/uart/console.c
