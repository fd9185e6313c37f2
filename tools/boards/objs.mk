# Board device trees, taken unchanged from Debian's arm64 kernel package
# (the same .deb as the Linux guest, tools/linux/objs.mk).
BOARD_DIR := $(BUILD)/boards
ZCU102_DTB := $(BOARD_DIR)/zynqmp-zcu102-rev1.0.dtb

$(ZCU102_DTB): $(BUILD)/linux/Image tools/boards/extract-dtb.sh
	$(call say,DTB,$@)
	$(Q)tools/boards/extract-dtb.sh $(BUILD)/linux/apt/debs xilinx/zynqmp-zcu102-rev1.0.dtb $@

boards: $(ZCU102_DTB)
TEST_DEPS += boards
.PHONY: boards
