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

mgmt-host: $(MGMT_DIR)/host/aetherd
mgmt-web: $(MGMT_DIR)/web/index.html
mgmt-test: mgmt-host
	$(PYTHON) tests/run.py --build $(BUILD) --only '^mgmt/'

# `make test` builds these too.
TEST_DEPS += mgmt-host mgmt-web
.PHONY: mgmt-host mgmt-web mgmt-test
