/* vmconfig: compile a node's VM description into sources for the EL2 image.
 *
 *   tools/vmconfig <config.cfg> <outdir>
 *
 * writes, in outdir (created if needed):
 *   vm-<name>.dts, vm-<name>.dtb  the guest device tree of each VM (via dtc)
 *   vms.S                          .incbin of every image, initrd and dtb
 *   vms.c                          vm_configs[] and nr_vm_configs
 *   vms.d                          make dependencies of vms.c
 *
 * Parsing and every check live in vmcfg_*.c (vmcfg_parse.c has the format);
 * the parts of this tool are listed in vmconfig.h.
 * The whole description is validated before anything is written, and the
 * outputs are written under temporary names and renamed only once all of
 * them (dtc included) succeeded, so a failed run leaves the previous good
 * outputs alone and make never sees half a configuration.
 *
 * Exit status: 0 on success, 1 on any error, 2 on bad usage.  $DTC names
 * the device tree compiler (default "dtc"). */
#define _POSIX_C_SOURCE 200809L

#include "vmconfig.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define CFG_MAX_BYTES (1 << 20) /* a description is a few hundred bytes */

int __attribute__((format(printf, 1, 2))) error(const char *fmt, ...)
{
	va_list ap;

	fputs("vmconfig: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* ------------------------------------------------------------ input */

static int read_file(const char *path, char **bufp, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0;

	if (!f)
		return error("cannot open %s: %s", path, strerror(errno));
	buf = malloc(CFG_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return error("out of memory");
	}
	len = fread(buf, 1, CFG_MAX_BYTES + 1, f);
	if (ferror(f) || len > CFG_MAX_BYTES) {
		fclose(f);
		free(buf);
		return error("cannot read %s: %s", path,
			     len > CFG_MAX_BYTES ? "file too large" : strerror(errno));
	}
	fclose(f);
	*bufp = buf;
	*lenp = len;
	return 0;
}

int stat_size(void *ctx, const char *path, uint64_t *size)
{
	struct stat st;

	(void)ctx;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		return -1;
	*size = (uint64_t)st.st_size;
	return 0;
}

/* Paths land unquoted in vms.d and quoted in vms.S; keep them plain. */
static int check_plain_path(const char *what, const char *path)
{
	const char *c;

	if (!*path)
		return error("empty %s path", what);
	for (c = path; *c; c++) {
		bool alnum = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			     (*c >= '0' && *c <= '9');

		if (alnum || strchr("._/+,@-", *c))
			continue;
		return error("%s path '%s' contains '%c' (use A-Z a-z 0-9 . _ / + , @ -)", what,
			     path, *c);
	}
	if (strlen(path) > OUT_PATH_MAX / 2)
		return error("%s path '%s' is too long", what, path);
	return 0;
}

static int mkdir_p(const char *dir)
{
	char path[OUT_PATH_MAX];
	size_t i, len = strlen(dir);

	if (len >= sizeof(path))
		return error("path too long: %s", dir);
	memcpy(path, dir, len + 1);
	for (i = 1; i <= len; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) && errno != EEXIST)
			return error("cannot create %s: %s", path, strerror(errno));
		path[i] = dir[i];
	}
	return 0;
}

/* ------------------------------------------------------------ outputs */

/* Registers outdir/name; the caller writes to the returned temporary. */
struct output *new_output(struct job *job, const char *name)
{
	struct output *o = &job->out[job->nr_out++];

	snprintf(o->path, sizeof(o->path), "%s/%s", job->outdir, name);
	snprintf(o->tmp, sizeof(o->tmp), "%s/%s.tmp", job->outdir, name);
	return o;
}

static void drop_outputs(struct job *job)
{
	unsigned int i;

	for (i = 0; i < job->nr_out; i++)
		unlink(job->out[i].tmp);
}

static int commit_outputs(struct job *job)
{
	unsigned int i;

	for (i = 0; i < job->nr_out; i++)
		if (rename(job->out[i].tmp, job->out[i].path))
			return error("cannot rename %s: %s", job->out[i].tmp, strerror(errno));
	return 0;
}

int write_output(const struct output *o, emit_fn emit, const struct job *job, const void *arg)
{
	FILE *f = fopen(o->tmp, "w");
	int bad;

	if (!f)
		return error("cannot create %s: %s", o->tmp, strerror(errno));
	emit(f, job, arg);
	bad = ferror(f);
	if (fclose(f) || bad)
		return error("cannot write %s: %s", o->tmp, strerror(errno));
	return 0;
}

/* ------------------------------------------------------------ device trees */

/* Runs dtc without a shell so paths need no quoting. */
static int run_dtc(const char *dts, const char *dtb)
{
	const char *dtc = getenv("DTC");
	int status;
	pid_t pid;

	if (!dtc || !*dtc)
		dtc = "dtc";
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return error("cannot run %s: %s", dtc, strerror(errno));
	if (pid == 0) {
		execlp(dtc, dtc, "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts, (char *)NULL);
		fprintf(stderr, "vmconfig: cannot run %s: %s\n", dtc, strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return error("waiting for %s: %s", dtc, strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return error("%s failed on %s (%s %d)", dtc, dts,
			     WIFEXITED(status) ? "exit status" : "signal",
			     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

static int build_dtb(struct job *job, uint32_t i)
{
	const struct vmcfg_vm *vm = &job->cfg.vms[i];
	struct output *dts, *dtb;
	char name[VMCFG_NAME_MAX + 8];
	uint64_t size;

	snprintf(name, sizeof(name), "vm-%s.dts", vm->name);
	dts = new_output(job, name);
	snprintf(name, sizeof(name), "vm-%s.dtb", vm->name);
	dtb = new_output(job, name);
	if (write_output(dts, emit_dts, job, vm))
		return -1;
	if (run_dtc(dts->tmp, dtb->tmp))
		return error("%s: vm '%s': cannot compile its device tree", job->cfg_path,
			     vm->name);
	if (stat_size(NULL, dtb->tmp, &size) || !size)
		return error("dtc left no %s", dtb->tmp);
	job->dtb_size[i] = size;
	/* A slot's image is checked by EL2 at deploy, by the same loader. */
	return vm->slot ? 0 : check_image(job, vm, size);
}

/* ------------------------------------------------------------ main */

static int generate(struct job *job)
{
	uint32_t i;

	if (mkdir_p(job->outdir))
		return -1;
	for (i = 0; i < job->cfg.nr_vms; i++)
		if (build_dtb(job, i))
			return -1;
	if (write_output(new_output(job, "vms.S"), emit_asm, job, NULL) ||
	    write_output(new_output(job, "vms.c"), emit_c, job, NULL) ||
	    write_output(new_output(job, "vms.d"), emit_dep, job, NULL))
		return -1;
	return commit_outputs(job);
}

static int load(struct job *job)
{
	const char *err;
	char *buf = NULL;
	size_t len = 0;

	if (check_plain_path("config", job->cfg_path) || check_plain_path("output", job->outdir))
		return -1;
	if (read_file(job->cfg_path, &buf, &len))
		return -1;
	err = vmcfg_parse(&job->cfg, job->cfg_path, buf, len, stat_size, NULL);
	free(buf);
	if (err) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct job job;
	size_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <config.cfg> <outdir>\n", argc ? argv[0] : "vmconfig");
		return 2;
	}
	job.cfg_path = argv[1];
	job.outdir = argv[2];
	/* "out/" and "out" must name the same files in vms.S and vms.d */
	n = strlen(argv[2]);
	while (n > 1 && argv[2][n - 1] == '/')
		argv[2][--n] = '\0';
	if (load(&job))
		return 1;
	if (generate(&job)) {
		drop_outputs(&job);
		return 1;
	}
	return 0;
}
