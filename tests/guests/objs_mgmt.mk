# The management device end to end (tests/configs/t-mgmt.cfg): the
# management guest carries the cmdline guest to deploy, and its SHA-256 as
# computed by coreutils (not by the hypervisor's own code).
GUESTS += mgmt_e2e
$(BUILD)/guests/mgmt_e2e.sha256: $(BUILD)/guests/cmdline.bin
	$(Q)sha256sum $< | sed 's/ .*//; s/../0x&, /g' > $@
$(BUILD)/guests/mgmt_e2e.elf: $(BUILD)/guests/cmdline.bin $(BUILD)/guests/mgmt_e2e.sha256 \
	include/aether_mgmt_abi.h
$(BUILD)/guests/mgmt_e2e.elf: GUEST_CFLAGS += -DDEPLOY_BIN='"$(BUILD)/guests/cmdline.bin"' \
	-DDEPLOY_SHA256="$$(cat $(BUILD)/guests/mgmt_e2e.sha256)"
