# Code shared with the test guests (fdt, print) and the log; depends on
# nothing above drivers/.
EL2_SRCS += lib/fdt.c lib/print.c lib/log.c lib/ratelimit.c
EL2_COLD += lib/fdt.c
