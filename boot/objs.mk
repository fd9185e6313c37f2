EL2_ASMS += boot/head.S
EL2_SRCS += boot/init.c boot/platform.c boot/platform_console.c boot/platform_dt.c boot/platform_gic.c boot/shutdown.c boot/el2_fault.c
EL2_COLD += boot/init.c boot/platform.c boot/platform_console.c boot/platform_dt.c boot/platform_gic.c boot/shutdown.c boot/el2_fault.c
