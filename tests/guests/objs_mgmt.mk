# The management device end to end (tests/configs/t-mgmt.cfg): the
# management guest carries the cmdline guest to deploy, and its SHA-256 as
# computed by coreutils (not by the hypervisor's own code).
GUESTS += mgmt_e2e
# The image is padded with zeros to 200030 bytes (as a raw binary it still
# runs), so a deploy also moves one chunk of most of the window.
$(BUILD)/guests/mgmt_e2e_deploy.bin: $(BUILD)/guests/cmdline.bin
	$(Q)cp $< $@ && truncate -s 200030 $@
$(BUILD)/guests/mgmt_e2e.sha256: $(BUILD)/guests/mgmt_e2e_deploy.bin
	$(Q)sha256sum $< | sed 's/ .*//; s/../0x&, /g' > $@
$(BUILD)/guests/mgmt_e2e.elf: $(BUILD)/guests/mgmt_e2e_deploy.bin $(BUILD)/guests/mgmt_e2e.sha256 \
	include/aether_mgmt_abi.h
$(BUILD)/guests/mgmt_e2e.elf: GUEST_CFLAGS += -DDEPLOY_BIN='"$(BUILD)/guests/mgmt_e2e_deploy.bin"' \
	-DDEPLOY_SHA256="$$(cat $(BUILD)/guests/mgmt_e2e.sha256)"
