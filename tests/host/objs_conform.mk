# Architecture conformance (issue 13): the EL1 physical timer's register
# semantics and the debug registers' in-memory semantics.
HOST_TESTS += ptimer vdebug
test_ptimer_SRCS := tests/host/test_ptimer.c vm/ptimer.c
test_vdebug_SRCS := tests/host/test_vdebug.c vm/vdebug.c
