# The fabric (issue 12) for the host: the worker agent against the simulated node, the
# central library, its command-line front end, and the fleet simulation.
# (The agent's aarch64 build for the management VM: mgmt/agent/objs*.mk.)

FAB_HOST_CC ?= cc
FAB_HOST_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wno-unused-parameter \
	-Wno-missing-field-initializers -D_GNU_SOURCE -pthread \
	-Iinclude -Imgmt/lib -Imgmt/fabric -Imgmt/agent
FAB_HOST_LIBS := -lmosquitto -ljansson -lcrypto -lpthread

# The management client library with both transports (the simulated node
# on the host, /dev/mem in a management VM).
FAB_MGMT_SRCS := $(wildcard mgmt/lib/*.c mgmt/sim/*.c)
FAB_PROTO_SRCS := mgmt/fabric/fabric_proto.c
FAB_AGENT_SRCS := mgmt/agent/agent_core.c mgmt/agent/agent_cmd.c mgmt/agent/agent_journal.c \
	mgmt/agent/agent_report.c mgmt/agent/agent_deploy.c
FAB_CENTRAL_SRCS := mgmt/fabric/fabric_core.c mgmt/fabric/fabric_nodes.c \
	mgmt/fabric/fabric_cmd.c mgmt/fabric/fabric_api.c mgmt/fabric/fabric_images.c
FAB_HDRS := $(wildcard mgmt/fabric/*.h mgmt/agent/*.h mgmt/lib/*.h mgmt/sim/*.h) \
	include/aether_mgmt_abi.h
FAB_DIR := $(BUILD)/fabric

$(FAB_DIR)/aether-agent: mgmt/agent/agent_main.c $(FAB_AGENT_SRCS) $(FAB_PROTO_SRCS) \
		$(FAB_MGMT_SRCS) $(FAB_HDRS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(FAB_HOST_CC) $(FAB_HOST_CFLAGS) -Imgmt/sim -o $@ $(filter %.c,$^) $(FAB_HOST_LIBS)

$(FAB_DIR)/fabric-central: tests/fabric/central_main.c $(FAB_CENTRAL_SRCS) $(FAB_PROTO_SRCS) \
		$(FAB_HDRS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(FAB_HOST_CC) $(FAB_HOST_CFLAGS) -o $@ $(filter %.c,$^) $(FAB_HOST_LIBS) -lmicrohttpd

$(FAB_DIR)/fleet: tests/fabric/fleet.c $(FAB_AGENT_SRCS) $(FAB_PROTO_SRCS) $(FAB_MGMT_SRCS) \
		$(FAB_HDRS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(FAB_HOST_CC) $(FAB_HOST_CFLAGS) -Imgmt/sim -o $@ $(filter %.c,$^) $(FAB_HOST_LIBS)

fabric-host: $(FAB_DIR)/aether-agent $(FAB_DIR)/fabric-central $(FAB_DIR)/fleet
TEST_DEPS += fabric-host

N ?= 1000
fleet: $(BUILD)/.deps fabric-host
	$(PYTHON) tests/fabric/fleet.py --build $(BUILD) --n $(N)

.PHONY: fabric-host fleet

# The fabric inside aetherd (the central node's API): its routes and the
# central library.  mgmt/objs.mk sets AETHERD_CFLAGS/LIBS after including
# this file, hence target-specific appends.
FAB_AETHERD_SRCS := mgmt/fabric/fabric_routes.c mgmt/fabric/fabric_conf.c $(FAB_CENTRAL_SRCS) \
	$(FAB_PROTO_SRCS)
AETHERD_SRCS += $(FAB_AETHERD_SRCS)
AETHERD_HDRS += $(wildcard mgmt/fabric/*.h)
$(MGMT_DIR)/host/aetherd $(MGMT_DIR)/arm64/aetherd: AETHERD_CFLAGS += -Imgmt/fabric
$(MGMT_DIR)/host/aetherd $(MGMT_DIR)/arm64/aetherd: AETHERD_LIBS += -lmosquitto

# The agent for the management VM: cross-compiled against Debian's arm64
# libraries (mgmt/sysroot.sh), installed into the sysroot so that
# mgmt/mkinitrd.sh copies it and its DT_NEEDED closure, with Debian's
# mosquitto broker (for a central node), into the initramfs.
$(MGMT_DIR)/arm64/aether-agent: mgmt/agent/agent_main.c $(FAB_AGENT_SRCS) $(FAB_PROTO_SRCS) \
		$(FAB_MGMT_SRCS) $(FAB_HDRS) $(MGMT_DIR)/sysroot/PACKAGES
	@mkdir -p $(dir $@)
	$(call say,CROSSCC,$@)
	$(Q)$(CROSS)gcc --sysroot=$(MGMT_DIR)/sysroot/root $(FAB_HOST_CFLAGS) -Imgmt/sim -o $@ \
		$(filter %.c,$^) $(FAB_HOST_LIBS)
$(MGMT_DIR)/sysroot/root/usr/sbin/aether-agent: $(MGMT_DIR)/arm64/aether-agent
	$(Q)install -D -m 0755 $< $@
MGMT_EXTRA_BINS += /usr/sbin/aether-agent /usr/sbin/mosquitto /usr/bin/mosquitto_sub
MGMT_EXTRA_DEPS += $(MGMT_DIR)/sysroot/root/usr/sbin/aether-agent
fabric-arm64: $(MGMT_DIR)/arm64/aether-agent $(MGMT_DIR)/arm64/aetherd
.PHONY: fabric-arm64

# make cluster [WORKERS=n]: the central node and n workers, each a QEMU
# instance running the hypervisor (mgmt/fabric/cluster.py).
WORKERS ?= 2
cluster: $(BUILD)/.deps
	$(Q)$(MAKE) --no-print-directory all guests linux mgmt-vm $(VMCONFIG)
	$(PYTHON) mgmt/fabric/cluster.py --build $(BUILD) --workers $(WORKERS)
.PHONY: cluster
