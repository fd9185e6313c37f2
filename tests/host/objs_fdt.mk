HOST_TESTS += fdt
test_fdt_SRCS := tests/host/test_fdt.c drivers/fdt.c
