HOST_TESTS += stage2 page_alloc vtcr
test_stage2_SRCS = tests/host/test_stage2.c $(HOST_S2_SRCS)
test_page_alloc_SRCS := tests/host/test_page_alloc.c mm/page_alloc.c tests/host/fake_arch.c
test_vtcr_SRCS := tests/host/test_vtcr.c arch/arm64/vtcr.c
