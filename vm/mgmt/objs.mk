# The management interface in EL2: the device on the socket (vm/dev/mgmt.c),
# its request decoder and operations (vm/mgmt/), and the console buffers it
# reads (vm/con_buf.c, fed by every VM's UART).
EL2_SRCS += vm/dev/mgmt.c vm/mgmt/req.c vm/mgmt/ops_info.c vm/mgmt/ops_vm.c \
	vm/mgmt/deploy.c vm/mgmt/sha256.c vm/con_buf.c
# Built for size: it counts in the EL2 code budget, and none of it is on a
# guest's hot path (one trap per request).
$(BUILD)/el2/vm/dev/mgmt.o $(addprefix $(BUILD)/el2/vm/mgmt/,req.o ops_info.o ops_vm.o deploy.o \
	sha256.o): EL2_CFLAGS += -Os
