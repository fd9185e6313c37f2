# The control plane (mgmt/README.md): aetherd, its client library, the
# simulated node, the dashboard and the management VM's initramfs.
# Included by the top-level Makefile.  Other parts of mgmt/ (the fabric)
# add sources with `AETHERD_SRCS += ...` in mgmt/<dir>/objs*.mk.
MGMT_DIR := $(BUILD)/mgmt
AETHERD_SRCS := $(wildcard mgmt/aetherd/*.c mgmt/lib/*.c mgmt/sim/*.c)
AETHERD_HDRS = $(wildcard mgmt/aetherd/*.h mgmt/lib/*.h mgmt/sim/*.h) include/aether_mgmt_abi.h
-include $(sort $(wildcard mgmt/*/objs*.mk))

AETHERD_CFLAGS := -std=gnu11 -O2 -g -pthread -D_FORTIFY_SOURCE=2 -fstack-protector-strong \
	-Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Iinclude -Imgmt/lib -Imgmt/sim -Imgmt/aetherd
AETHERD_LIBS := -lmicrohttpd -ljansson -lcrypto -pthread

# Host build against Debian's amd64 -dev packages (tests with the sim node).
$(MGMT_DIR)/host/aetherd: $$(AETHERD_SRCS) $$(AETHERD_HDRS) mgmt/objs.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)cc $(AETHERD_CFLAGS) -o $@ $(AETHERD_SRCS) $(AETHERD_LIBS)

# The same under ASan and UBSan: the API tests run against this one, so a
# request that corrupts memory fails the test instead of passing quietly.
# (The fabric's routes link libmosquitto: mgmt/fabric/objs.mk adds it to
# the other two aetherd targets.)
$(MGMT_DIR)/host/aetherd-asan: AETHERD_LIBS += $(if $(FAB_AETHERD_SRCS),-lmosquitto)
$(MGMT_DIR)/host/aetherd-asan: $$(AETHERD_SRCS) $$(AETHERD_HDRS) mgmt/objs.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(HOSTCC) $(filter-out -D_FORTIFY_SOURCE=2 -O2,$(AETHERD_CFLAGS)) -O1 \
		-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
		-o $@ $(AETHERD_SRCS) $(AETHERD_LIBS)

# The client and the simulated node at the wire level (mgmt/tests/test_client.c).
MGMT_CLIENT_SRCS = $(wildcard mgmt/lib/*.c mgmt/sim/*.c)
$(MGMT_DIR)/host/test_client: mgmt/tests/test_client.c $$(MGMT_CLIENT_SRCS) $$(AETHERD_HDRS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,HOSTCC,$@)
	$(Q)$(HOSTCC) $(filter-out -D_FORTIFY_SOURCE=2 -O2,$(AETHERD_CFLAGS)) -O1 \
		-fsanitize=address,undefined -fno-sanitize-recover=all -o $@ $< $(MGMT_CLIENT_SRCS) -lcrypto

# The dashboard: npm packages pinned by package-lock.json, bundled by esbuild.
MGMT_WEB_SRCS := $(wildcard mgmt/web/src/*) mgmt/web/index.html mgmt/web/build.mjs
$(MGMT_DIR)/.npm-stamp: mgmt/web/package.json mgmt/web/package-lock.json | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(call say,NPM,mgmt/web/node_modules)
	$(Q)cd mgmt/web && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	$(Q)touch $@
$(MGMT_DIR)/web/index.html: $(MGMT_WEB_SRCS) $(MGMT_DIR)/.npm-stamp
	$(call say,ESBUILD,$(MGMT_DIR)/web)
	$(Q)node mgmt/web/build.mjs $(abspath $(MGMT_DIR)/web)

# Debian's arm64 libraries (mgmt/sysroot.sh) and aetherd cross-compiled
# against them for the management VM.
MGMT_SYSROOT := $(MGMT_DIR)/sysroot
$(MGMT_SYSROOT)/PACKAGES: mgmt/sysroot.sh | $(BUILD)/.deps
	$(call say,FETCH,$(MGMT_SYSROOT))
	$(Q)mgmt/sysroot.sh $(MGMT_SYSROOT)
$(MGMT_DIR)/arm64/aetherd: $$(AETHERD_SRCS) $$(AETHERD_HDRS) mgmt/objs.mk $(MGMT_SYSROOT)/PACKAGES
	@mkdir -p $(dir $@)
	$(call say,CROSSCC,$@)
	$(Q)$(CROSS)gcc --sysroot=$(MGMT_SYSROOT)/root $(AETHERD_CFLAGS) -o $@ $(AETHERD_SRCS) \
		$(AETHERD_LIBS)

# The API token: TOKEN=... on the command line, else generated once.
$(BUILD)/mgmt-token: $(if $(TOKEN),FORCE)
	@mkdir -p $(dir $@)
	$(Q)umask 077; if [ -n '$(TOKEN)' ]; then \
		printf '%s\n' '$(TOKEN)' > $@.tmp; \
		cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; \
	elif [ ! -s $@ ]; then \
		head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=' > $@; \
	fi
	$(Q)[ $$(tr -d '\n' < $@ | wc -c) -ge 16 ] || { echo "TOKEN must be 16 characters or more" >&2; exit 1; }

# The management VM's initramfs.  Other programs for it (the fabric's) are
# named in MGMT_EXTRA_BINS (paths inside the sysroot, e.g. /usr/sbin/mosquitto)
# and MGMT_EXTRA_DEPS.
MGMT_INITRD := $(MGMT_DIR)/initrd.gz
MGMT_EXTRA_BINS ?=
MGMT_EXTRA_DEPS ?=
$(MGMT_INITRD): mgmt/mkinitrd.sh mgmt/vm/init mgmt/vm/udhcpc.script $(MGMT_DIR)/arm64/aetherd \
		$(MGMT_DIR)/web/index.html $(BUILD)/mgmt-token $(BUILD)/linux/Image $(BUILD)/linux/busybox \
		$$(MGMT_EXTRA_DEPS)
	$(call say,INITRD,$@)
	$(Q)mgmt/mkinitrd.sh $@ $(MGMT_SYSROOT)/root $(firstword $(wildcard $(BUILD)/linux/apt/debs/linux-image-*.deb)) \
		$(BUILD)/linux/busybox $(MGMT_DIR)/arm64/aetherd $(MGMT_DIR)/web $(BUILD)/mgmt-token \
		$(MGMT_EXTRA_BINS)

mgmt-vm: $(MGMT_INITRD)
mgmt-host: $(MGMT_DIR)/host/aetherd $(MGMT_DIR)/host/aetherd-asan $(MGMT_DIR)/host/test_client
mgmt-web: $(MGMT_DIR)/web/index.html
# API latency under the load test's load (mgmt/tests/bench_api.py); with
# MGMT_BENCH_CENTRAL=central also against the central node under QEMU.
mgmt-bench: mgmt-host
	$(PYTHON) mgmt/tests/bench_api.py --build $(BUILD) $(if $(MGMT_BENCH_CENTRAL),--central $(MGMT_BENCH_CENTRAL))
mgmt-test: mgmt-host
	$(PYTHON) tests/run.py --build $(BUILD) --only '^mgmt/'

# `make test` builds these too.
TEST_DEPS += mgmt-host mgmt-web mgmt-vm
.PHONY: mgmt-host mgmt-web mgmt-vm mgmt-test mgmt-bench

# Descriptions that boot the management VM need its initramfs first.
MGMT_CONFIGS := $(shell grep -l 'build/mgmt/' $(wildcard configs/*.cfg tests/configs/*.cfg) /dev/null)
$(foreach c,$(MGMT_CONFIGS),$(BUILD)/img/$(basename $(notdir $(c)))/vms.c): $(MGMT_INITRD)
