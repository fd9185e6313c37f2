# The platform probe over DTBs compiled from tests/host/dtb/*.dts and
# Debian's ZCU102 DTB (tools/boards/objs.mk).  lib/print.c's snprintf is
# renamed, as in test_print, so it does not clash with libc's.
HOST_TESTS += platform
HOST_DTBS := $(patsubst tests/host/dtb/%.dts,$(BUILD)/host/dtb/%.dtb,$(wildcard tests/host/dtb/*.dts))
test_platform_SRCS := tests/host/test_platform.c boot/platform.c boot/platform_console.c boot/platform_dt.c \
	boot/platform_gic.c \
	lib/fdt.c lib/print.c drivers/uart/compat.c drivers/uart/pl011.c drivers/uart/ns16550.c \
	drivers/uart/cdns.c
test_platform_CFLAGS = -Dvsnprintf=aether_vsnprintf -Dsnprintf=aether_snprintf \
	-DHOST_DTB_DIR='"$(abspath $(BUILD))/host/dtb"' -DZCU102_DTB='"$(abspath $(ZCU102_DTB))"'
$(BUILD)/host/test_platform: $(HOST_DTBS) $(ZCU102_DTB)
$(BUILD)/host/dtb/%.dtb: tests/host/dtb/%.dts | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,DTC,$@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

HOST_TESTS += platform_gic
# The interrupt-controller probe (boot/platform_gic.c) over the small device
# trees in tests/host/data/gic/, compiled to a header at build time.
GIC_DTS := $(wildcard tests/host/data/gic/*.dts)
test_platform_gic_SRCS := tests/host/test_platform_gic.c boot/platform_gic.c boot/platform_dt.c lib/fdt.c
test_platform_gic_CFLAGS := -I$(BUILD)/host
$(BUILD)/host/gic_dtbs.h: $(GIC_DTS) tests/host/data/gic/mkheader.py
	@mkdir -p $(dir $@)
	$(PYTHON) tests/host/data/gic/mkheader.py $@ $(GIC_DTS)
$(BUILD)/host/test_platform_gic: $(BUILD)/host/gic_dtbs.h

HOST_TESTS += gic_lr_v2
test_gic_lr_v2_SRCS := tests/host/test_gic_lr_v2.c arch/arm64/gic_lr_v2.c
