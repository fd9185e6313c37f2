EL2_SRCS += mm/page_alloc.c mm/pool.c mm/stage2.c
EL2_COLD += mm/page_alloc.c mm/pool.c
