# Virtual devices, attached per VM from its description (include/vm/vdev.h).
EL2_SRCS += vm/dev/console.c vm/dev/devices.c vm/dev/uart.c vm/dev/vpl011.c
EL2_COLD += vm/dev/devices.c vm/dev/uart.c
# Console input and output multiplexing: per character typed or line
# printed, never on an exit the benchmarks or a guest tick take.
EL2_COLD += vm/dev/console.c
