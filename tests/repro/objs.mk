# Reproducers of emulator properties (not of the hypervisor): bare-metal
# images built and run by their own make targets, never by make test.
REPRO_CFLAGS = -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib -nostdinc \
	-isystem $(CROSS_INC) -mgeneral-regs-only -mstrict-align -fno-pie \
	-Wall -Wextra -Werror
$(BUILD)/repro/sgi_wake.elf: tests/repro/sgi_wake_start.S tests/repro/sgi_wake.c \
		tests/repro/sgi_wake.ld | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,REPRO,$@)
	$(Q)$(CC_EL2) $(REPRO_CFLAGS) -static -no-pie -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -Wl,-T,tests/repro/sgi_wake.ld -o $@ $(filter %.S %.c,$^)

# QEMU 7.2 under -icount: an SGI does not wake a CPU idle in WFI while the
# sending CPU keeps running (README, "Under -icount").
repro-icount-wake: $(BUILD)/repro/sgi_wake.elf
	$(PYTHON) tests/repro/run_sgi_wake.py --elf $<
.PHONY: repro-icount-wake
