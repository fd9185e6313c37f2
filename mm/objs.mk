EL2_SRCS += mm/page_alloc.c mm/pool.c mm/stage2.c
# stage2.c: tables are built and changed at VM start, stop and deploy only.
EL2_COLD += mm/page_alloc.c mm/pool.c mm/stage2.c
