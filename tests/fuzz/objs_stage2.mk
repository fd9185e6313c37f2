FUZZERS += stage2
fuzz_stage2_SRCS = tests/fuzz/fuzz_stage2.c $(HOST_S2_SRCS)
