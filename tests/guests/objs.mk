# Each name is tests/guests/<name>.c, built as raw .bin, .elf and Image .img.
GUESTS += hello hypercall mmio abort wfi poweroff vgic share restart probe echo passthrough heartbeat tfast
