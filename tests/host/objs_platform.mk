# The platform probe over DTBs compiled from tests/host/dtb/*.dts and
# Debian's ZCU102 DTB (tools/boards/objs.mk).  lib/print.c's snprintf is
# renamed, as in test_print, so it does not clash with libc's.
HOST_TESTS += platform
HOST_DTBS := $(patsubst tests/host/dtb/%.dts,$(BUILD)/host/dtb/%.dtb,$(wildcard tests/host/dtb/*.dts))
test_platform_SRCS := tests/host/test_platform.c boot/platform.c boot/platform_console.c boot/platform_dt.c \
	lib/fdt.c lib/print.c drivers/uart/compat.c drivers/uart/pl011.c drivers/uart/ns16550.c \
	drivers/uart/cdns.c
test_platform_CFLAGS = -Dvsnprintf=aether_vsnprintf -Dsnprintf=aether_snprintf \
	-DHOST_DTB_DIR='"$(abspath $(BUILD))/host/dtb"' -DZCU102_DTB='"$(abspath $(ZCU102_DTB))"'
$(BUILD)/host/test_platform: $(HOST_DTBS) $(ZCU102_DTB)
$(BUILD)/host/dtb/%.dtb: tests/host/dtb/%.dts | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,DTC,$@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<
