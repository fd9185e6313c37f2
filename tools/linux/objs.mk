# Debian bookworm's arm64 kernel and a busybox initramfs as a guest
# (tools/linux/README.md).  Included by the top-level Makefile.
LINUX_DIR := $(BUILD)/linux
LINUX_FILES := $(LINUX_DIR)/Image $(LINUX_DIR)/initrd.gz
LINUX_TOOLS := $(LINUX_DIR)/tools/aether-cntvct $(LINUX_DIR)/tools/aether-marker \
	$(LINUX_DIR)/tools/aether-dbgtest
# Static AArch64 Linux programs without libc (own _start, raw syscalls).
LINUX_TOOL_CFLAGS := -O2 -static -nostdlib -ffreestanding -fno-pie -no-pie -Itools/linux \
	-Wl,--build-id=none -fno-stack-protector -fno-asynchronous-unwind-tables \
	-Wall -Wextra -Werror

# Downloaded once into a private apt state under $(LINUX_DIR)/apt; nothing
# but a missing output makes this run again (rm -rf $(LINUX_DIR) to refresh).
$(LINUX_DIR)/Image $(LINUX_DIR)/busybox &: | $(BUILD)/.deps
	$(call say,FETCH,$(LINUX_DIR))
	$(Q)tools/linux/fetch.sh $(LINUX_DIR)

$(LINUX_DIR)/tools/aether-%: tools/linux/%.c tools/linux/nolibc.h tools/linux/objs.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,LINUXCC,$@)
	$(Q)$(CC_EL2) $(LINUX_TOOL_CFLAGS) -o $@ $<

$(LINUX_DIR)/initrd.gz: tools/linux/mkinitrd.sh tools/linux/init tools/linux/workload $(LINUX_TOOLS) $(LINUX_DIR)/busybox
	$(call say,INITRD,$@)
	$(Q)tools/linux/mkinitrd.sh $(LINUX_DIR)

# Every VM description naming build/linux/ files (configs/linux.cfg,
# tests/configs/b-linux.cfg, ...) needs them before tools/vmconfig reads it.
LINUX_CONFIGS := $(shell grep -l 'build/linux/' $(wildcard configs/*.cfg tests/configs/*.cfg) /dev/null)
$(foreach c,$(LINUX_CONFIGS),$(BUILD)/img/$(basename $(notdir $(c)))/vms.c): $(LINUX_FILES)

linux: $(LINUX_FILES)

# Boots the files on plain QEMU (no hypervisor) and checks the guest side.
linux-check: linux
	$(PYTHON) tests/linux/native_check.py --dir $(LINUX_DIR)

.PHONY: linux linux-check
