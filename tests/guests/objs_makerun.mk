GUESTS += cmdline
