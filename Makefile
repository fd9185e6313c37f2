# Aether EdgeCloud: the one Makefile.  Each directory lists its sources in an
# objs*.mk fragment; this file owns the flags, the rules and the user targets.
#
#   make run [CONFIG=name | KERNEL=img [INITRD=f] [BOOTARGS=".."] [MEM=MiB] [SMP=n]]
#            [CPU=model] [BOARD=zcu102] [QEMU_EXTRA=".."]
#   make test | make bench | make fuzz | make debug | make clean

CROSS ?= aarch64-linux-gnu-
CC_EL2 := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
HOSTCC ?= clang
BUILD ?= build
CPU ?= cortex-a57
QEMU_EXTRA ?=
PYTHON ?= python3
# `make run` and `make debug` with no description boot the central node
# (configs/central.cfg: management VM and dashboard, a Debian guest, a
# heartbeat, an empty slot); CONFIG=default is the one-guest setup.
# BOARD=zcu102: the board's QEMU model with its own DTB (tools/qemu.py
# BOARDS, tools/boards/objs.mk), booting configs/<board>.cfg by default.
BOARD ?=
ifneq ($(BOARD),)
CONFIG ?= $(BOARD)
endif
ifneq ($(filter run debug,$(MAKECMDGOALS)),)
CONFIG ?= central
endif
CONFIG ?= default

V ?= 0
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-8s %s\n' $(1) $(2);
endif

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:
.SECONDEXPANSION:

EL2_SRCS :=
EL2_COLD :=
EL2_ASMS :=
HOST_TESTS :=
FUZZERS :=
GUESTS :=
TEST_DEPS :=
include $(sort $(wildcard boot/objs*.mk arch/arm64/objs*.mk mm/objs*.mk vm/objs*.mk vm/*/objs*.mk \
	drivers/objs*.mk lib/objs*.mk tools/objs*.mk tools/*/objs*.mk tests/*/objs*.mk mgmt/objs.mk))

# ------------------------------------------------------------ guest to boot
# KERNEL=... makes a one-VM description on the fly; otherwise CONFIG names a
# file in configs/ or tests/configs/.
ifeq ($(GUEST),linux)
CONFIG := linux
endif
# The values reach tools/cmdline_cfg.py through files written by $(file), never
# through a shell, so spaces, quotes, '=' and '#' survive; $(value) keeps '$'.
# BOOTARGS given on the command line is used verbatim, even when empty.
ifneq ($(KERNEL),)
CONFIG := cmdline
CONFIG_FILE := $(BUILD)/cmdline.cfg
MEM ?= 256
SMP ?= 1
QEMU_MEM ?= $(shell expr $(MEM) + 192 2>/dev/null)
CMDLINE_VALS := $(BUILD)/cmdline-vals
$(shell mkdir -p $(CMDLINE_VALS))
$(file >$(CMDLINE_VALS)/KERNEL,$(value KERNEL))
$(file >$(CMDLINE_VALS)/INITRD,$(value INITRD))
$(file >$(CMDLINE_VALS)/BOOTARGS,$(value BOOTARGS))
$(file >$(CMDLINE_VALS)/BOOTARGS_SET,$(if $(filter undefined,$(origin BOOTARGS)),0,1))
$(file >$(CMDLINE_VALS)/MEM,$(value MEM))
$(file >$(CMDLINE_VALS)/SMP,$(value SMP))
else
CONFIG_FILE := $(firstword $(wildcard configs/$(CONFIG).cfg tests/configs/$(CONFIG).cfg) \
	configs/$(CONFIG).cfg)
endif
IMG := $(BUILD)/img/$(CONFIG)

# ------------------------------------------------------------ EL2 image
# -mgeneral-regs-only: EL2 never touches FP/SIMD, so a trap needs no FP save.
# -mstrict-align: early code runs with the MMU off, where unaligned access
# faults.  -fno-delete-null-pointer-checks: RAM may start at PA 0 (ZynqMP),
# so a pointer to address 0 is memory, not "no object".  No sanitizers or
# profiling in EL2.
# Deferred (=): the cross compiler may only exist once install-deps has run,
# which happens after this file is read on a new machine.
CROSS_INC = $(shell $(CC_EL2) -print-file-name=include)
EL2_CFLAGS = -std=gnu11 $(EL2_OPT) -g -ffreestanding -fno-builtin -nostdinc \
	-isystem $(CROSS_INC) \
	-mgeneral-regs-only -mstrict-align -mno-outline-atomics -fno-common \
	-fno-delete-null-pointer-checks -fno-stack-protector -fno-omit-frame-pointer -fpie -fvisibility=hidden \
	-ffunction-sections -fdata-sections $(EL2_LTO) \
	-Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wno-unused-parameter -Iinclude -I$(BUILD)/include -MMD -MP
# LTO: calls between files inline and dead code goes (about 5 KiB of .text);
# every function keeps the -O2 or -Os its file was compiled with.  Fat
# objects: tools/check_layers.py reads each object's symbols with nm.
EL2_LTO := -flto=auto -ffat-lto-objects -fno-section-anchors
EL2_LDFLAGS := $(EL2_LTO) -falign-functions=4 -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,norelro \
	-Wl,--gc-sections -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	-Wl,--no-warn-rwx-segments

# Code that runs once per boot or per VM start (EL2_COLD in the objs*.mk
# fragments) is built for size; everything a trap or interrupt runs, -O2,
# with functions packed at 4 bytes: the padding -O2 puts between them (to
# 16) is about 600 bytes of .text that nothing executes.
EL2_OPT := -O2 -falign-functions=4
$(patsubst %.c,$(BUILD)/el2/%.o,$(EL2_COLD)): EL2_OPT := -Os
EL2_OBJS := $(patsubst %.c,$(BUILD)/el2/%.o,$(EL2_SRCS)) \
	$(patsubst %.S,$(BUILD)/el2/%.o,$(EL2_ASMS))

all: $(BUILD)/aether.elf $(BUILD)/aether.bin

$(BUILD)/include/asm-offsets.h: arch/arm64/asm-offsets.c include/arch/percpu.h include/arch/vcpu_ctx.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)
	$(Q)$(CC_EL2) $(filter-out -MMD -MP,$(EL2_CFLAGS)) -S -o $@.s $<
	$(Q)( echo '/* Generated from arch/arm64/asm-offsets.c; do not edit. */'; \
	  echo '#ifndef AETHER_ASM_OFFSETS_H'; echo '#define AETHER_ASM_OFFSETS_H'; \
	  sed -n 's/.*@@ASMOFF \([A-Z0-9_]*\) #\{0,1\}\([0-9-]*\).*/#define \1 \2/p' $@.s; \
	  echo '#endif' ) > $@
	@rm -f $@.s

$(BUILD)/el2/%.o: %.c $(BUILD)/include/asm-offsets.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,CC,$<)
	$(Q)$(CC_EL2) $(EL2_CFLAGS) -c -o $@ $<

$(BUILD)/el2/%.o: %.S $(BUILD)/include/asm-offsets.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,AS,$<)
	$(Q)$(CC_EL2) $(EL2_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

$(BUILD)/linker.lds: linker.ld include/platform.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(Q)$(CC_EL2) -E -P -x c -Iinclude -o $@ $<

-include $(EL2_OBJS:.o=.d)

# ------------------------------------------------------------ VM descriptions
VMCONFIG := $(BUILD)/tools/vmconfig
$(VMCONFIG): $(VMCONFIG_SRCS) $(wildcard tools/*.h) include/vm/config.h vm/loader_plan.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)cc -std=gnu11 -O2 -g -Wall -Wextra -Werror -Iinclude -Itools -o $@ $(VMCONFIG_SRCS)

$(BUILD)/cmdline.cfg: FORCE
	$(Q)$(PYTHON) tools/cmdline_cfg.py --vals $(CMDLINE_VALS) --out $@

# The description may name guests built here: build them first.
$(IMG)/vms.c: $(CONFIG_FILE) $(VMCONFIG) $$(GUEST_BINS) $(if $(filter linux,$(CONFIG)),$$(LINUX_FILES))
	$(call say,VMCONFIG,$(CONFIG_FILE))
	$(Q)$(VMCONFIG) $(CONFIG_FILE) $(IMG)
-include $(IMG)/vms.d

$(IMG)/vms_c.o: $(IMG)/vms.c
	$(call say,CC,$<)
	$(Q)$(CC_EL2) $(EL2_CFLAGS) -c -o $@ $<
$(IMG)/vms_S.o: $(IMG)/vms.c
	$(Q)$(CC_EL2) $(EL2_CFLAGS) -c -o $@ $(IMG)/vms.S

$(IMG)/aether.elf: $(EL2_OBJS) $(IMG)/vms_c.o $(IMG)/vms_S.o $(BUILD)/linker.lds
	$(call say,LD,$@)
	$(Q)$(CC_EL2) $(EL2_LDFLAGS) -Wl,-T,$(BUILD)/linker.lds -o $@ $(EL2_OBJS) \
		$(IMG)/vms_c.o $(IMG)/vms_S.o -lgcc
	$(Q)$(PYTHON) tools/check_image.py $@

$(IMG)/aether.bin: $(IMG)/aether.elf tools/check_image.py
	$(call say,OBJCOPY,$@)
	$(Q)$(OBJCOPY) -O binary $< $@
	$(Q)$(PYTHON) tools/check_image.py $< $@

# build/aether.{elf,bin} are always the configuration built last (copied
# whenever they differ, not by timestamp: an older image of the selected
# configuration must still replace a newer one of another).  make run and
# make debug boot $(IMG) itself.
$(BUILD)/aether.elf: $(IMG)/aether.elf FORCE
	$(Q)cmp -s $< $@ || cp $< $@
$(BUILD)/aether.bin: $(IMG)/aether.bin FORCE
	$(Q)cmp -s $< $@ || cp $< $@

image: $(IMG)/aether.bin

# ------------------------------------------------------------ test guests
GUEST_CFLAGS = -std=gnu11 -O2 -g -ffreestanding -fno-builtin -nostdlib -nostdinc \
	-isystem $(CROSS_INC) -mgeneral-regs-only \
	-mstrict-align -mno-outline-atomics -fno-pie -fno-stack-protector \
	-Wall -Wextra -Werror -Wno-unused-parameter -Iinclude -Itests/guests/lib
GUEST_LIB := tests/guests/lib/crt0.S tests/guests/lib/glib.c lib/print.c lib/fdt.c \
	arch/arm64/string.c
GUEST_BINS := $(foreach g,$(GUESTS),$(BUILD)/guests/$(g).bin $(BUILD)/guests/$(g).elf \
	$(BUILD)/guests/$(g).img)
$(BUILD)/guests/%.elf: tests/guests/%.c $(GUEST_LIB) tests/guests/lib/guest.ld \
		$(wildcard tests/guests/lib/*.h) include/aether_abi.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,GUEST,$@)
	$(Q)$(CC_EL2) $(GUEST_CFLAGS) -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-T,tests/guests/lib/guest.ld \
		-o $@ $(GUEST_LIB) $<
$(BUILD)/guests/%.bin: $(BUILD)/guests/%.elf
	$(Q)$(OBJCOPY) -O binary $< $@
# The same guest as an arm64 Linux Image: a 64-byte header in front.
$(BUILD)/guests/%.img: $(BUILD)/guests/%.bin tools/mkimage.py
	$(Q)$(PYTHON) tools/mkimage.py $< $@
guests: $(GUEST_BINS)

# ------------------------------------------------------------ host tests
# The arch-neutral core, compiled for the host under ASan and UBSan.
HOST_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Wno-unused-parameter \
	-Iinclude -Itests/host -Itools -DAETHER_HOST
$(BUILD)/host/test_%: $$(test_$$*_SRCS) $(wildcard include/*.h include/*/*.h include/*/*/*.h tests/host/*.h) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(HOSTCC) $(HOST_CFLAGS) $(test_$*_CFLAGS) -o $@ $(test_$*_SRCS)
host-tests: $(addprefix $(BUILD)/host/test_,$(HOST_TESTS))

# ------------------------------------------------------------ fuzzing
FUZZ_CFLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
	-Iinclude -Itests/host -Itools -DAETHER_HOST
$(BUILD)/fuzz/fuzz_%: $$(fuzz_$$*_SRCS) $(wildcard include/*.h include/*/*.h include/*/*/*.h tests/fuzz/*.h) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$@)
	$(Q)$(HOSTCC) $(FUZZ_CFLAGS) -o $@ $(fuzz_$*_SRCS)
fuzzers: $(addprefix $(BUILD)/fuzz/fuzz_,$(FUZZERS))
fuzz: fuzzers
	$(PYTHON) tests/fuzz/run_fuzz.py --build $(BUILD) --runs $${FUZZ_RUNS:-200000} $(FUZZERS)

# ------------------------------------------------------------ user targets
# Installs what a fresh Debian machine lacks (once per build directory).
$(BUILD)/.deps: tools/install-deps.sh
	@bash tools/install-deps.sh
	@mkdir -p $(BUILD) && touch $@
deps: $(BUILD)/.deps

test: $(BUILD)/.deps
	$(Q)$(MAKE) --no-print-directory all host-tests fuzzers guests $(VMCONFIG) linux $(TEST_DEPS)
	$(PYTHON) tests/run.py --build $(BUILD)

# QEMU's CPUs and memory: SMP/QEMU_MEM if given, else the description's
# node block (tools/run.py reads it).
RUN_ARGS = --image $(IMG)/aether.bin --config $(CONFIG_FILE) --cpu $(CPU) \
	$(if $(SMP),--smp $(SMP)) $(if $(QEMU_MEM),--mem $(QEMU_MEM)) \
	$(if $(BOARD),--board $(BOARD) --build $(BUILD))
# Through the environment, not the command line: the shell never re-splits it.
export QEMU_EXTRA
run: $(BUILD)/.deps
	$(Q)$(MAKE) --no-print-directory all $(if $(BOARD),boards) CONFIG=$(CONFIG)
	$(PYTHON) tools/run.py $(RUN_ARGS)

debug: $(BUILD)/.deps
	$(Q)$(MAKE) --no-print-directory all $(if $(BOARD),boards) CONFIG=$(CONFIG)
	$(PYTHON) tools/run.py $(RUN_ARGS) --debug --elf $(IMG)/aether.elf

bench: $(BUILD)/.deps
	$(MAKE) all guests mgmt-host mgmt-web mgmt-vm fabric-host
	$(PYTHON) bench/run.py --build $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

FORCE:
.PHONY: all deps test run debug bench format clean host-tests fuzzers fuzz guests image FORCE
