# Code shared with the test guests (fdt, print) and the log; depends on
# nothing above drivers/.
EL2_SRCS += lib/fdt.c lib/print.c lib/log.c lib/ratelimit.c
# print.c and log.c: log lines and guest console bytes, whose cost is the
# trap and the UART, not the formatting.
EL2_COLD += lib/fdt.c lib/print.c lib/log.c
