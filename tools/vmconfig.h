/* Shared by the parts of tools/vmconfig (not by the parser, which knows
 * nothing of files):
 *
 *   vmconfig.c        main: reading the description, the output files, dtc
 *   vmconfig_dts.c    the device tree source of each VM
 *   vmconfig_image.c  the loader check of each image, vms.S, vms.c, vms.d */
#ifndef AETHER_TOOLS_VMCONFIG_H
#define AETHER_TOOLS_VMCONFIG_H

#include "vmcfg.h"

#include <stdio.h>

#define OUT_PATH_MAX 4096
/* per VM a dts and a dtb, plus vms.S, vms.c and vms.d */
#define MAX_OUTPUTS (2 * VMCFG_MAX_VMS + 3)

struct output {
	char tmp[OUT_PATH_MAX];
	char path[OUT_PATH_MAX];
};

struct job {
	const char *cfg_path;
	const char *outdir;
	struct vmcfg cfg;
	uint64_t dtb_size[VMCFG_MAX_VMS];
	struct output out[MAX_OUTPUTS];
	unsigned int nr_out;
};

typedef void (*emit_fn)(FILE *f, const struct job *job, const void *arg);

/* vmconfig.c */
int __attribute__((format(printf, 1, 2))) error(const char *fmt, ...);
int stat_size(void *ctx, const char *path, uint64_t *size);
struct output *new_output(struct job *job, const char *name);
int write_output(const struct output *o, emit_fn emit, const struct job *job, const void *arg);

/* vmconfig_dts.c: arg is the struct vmcfg_vm */
void emit_dts(FILE *f, const struct job *job, const void *arg);

/* vmconfig_image.c */
int check_image(const struct job *job, const struct vmcfg_vm *vm, uint64_t dtb_size);
void emit_asm(FILE *f, const struct job *job, const void *arg);
void emit_c(FILE *f, const struct job *job, const void *arg);
void emit_dep(FILE *f, const struct job *job, const void *arg);

#endif
