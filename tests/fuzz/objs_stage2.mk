FUZZERS += stage2
fuzz_stage2_SRCS := tests/fuzz/fuzz_stage2.c mm/stage2.c mm/pool.c mm/page_alloc.c tests/host/fake_arch.c
