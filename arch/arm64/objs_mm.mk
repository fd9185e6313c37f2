EL2_SRCS += arch/arm64/mm.c arch/arm64/vtcr.c
