EL2_ASMS += boot/head.S
EL2_SRCS += boot/init.c boot/platform.c
