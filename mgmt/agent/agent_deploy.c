/* The deploy command (agent lock held).
 *
 * args: {"kernel":{"url":"http://...","sha256":hex,"size":n},
 *        "initrd":{...} (optional), "bootargs":"..."}
 * Each part is fetched over HTTP from the central node with the
 * configured fetcher (busybox or GNU wget: "-q -O file url", run without a
 * shell, killed after 120 s), bounded in size and time, and its SHA-256 checked here
 * before anything reaches the management interface, which checks it again
 * in EL2. */
#include "agent_int.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define IMAGE_MAX (64u << 20)
#define FETCH_TIMEOUT_MS 120000

struct part {
	uint8_t *data;
	size_t len;
	uint8_t sha[32];
};

static int url_ok(const char *url)
{
	if (!url || strncmp(url, "http://", 7) != 0 || strlen(url) > 512)
		return 0;
	for (const char *p = url; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '\\' || *p == 0x7f)
			return 0;
	return 1;
}

/* Runs the fetcher; 0 on success. */
static int fetch(struct agent *a, const char *url, const char *file)
{
	const char *cmd = a->cfg.fetch_cmd ? a->cfg.fetch_cmd : "wget";
	int64_t deadline = fab_mono_ms() + FETCH_TIMEOUT_MS;
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* No -T: Debian's busybox 1.35 wget crashes with it (seen here,
		 * arm64); the deadline below bounds the fetch instead. */
		execlp(cmd, cmd, "-q", "-O", file, url, (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (fab_mono_ms() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return -1;
		}
		usleep(20000);
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int read_file(const char *file, struct part *p, size_t want, char *detail, size_t dlen)
{
	struct stat st;
	FILE *f = fopen(file, "rb");
	int ok;

	if (!f || fstat(fileno(f), &st) != 0 || st.st_size <= 0 || st.st_size > IMAGE_MAX ||
	    (want && (size_t)st.st_size != want)) {
		snprintf(detail, dlen, "image missing, empty, too big or of the wrong size");
		if (f)
			fclose(f);
		return MGMT_E_TOOBIG;
	}
	p->len = (size_t)st.st_size;
	p->data = malloc(p->len);
	ok = p->data && fread(p->data, 1, p->len, f) == p->len;
	fclose(f);
	if (!ok) {
		snprintf(detail, dlen, "cannot read the downloaded image");
		return MGMT_E_INVAL;
	}
	return MGMT_OK;
}

/* Fetches one part and checks its digest. */
static int get_part(struct agent *a, json_t *spec, const char *what, struct part *p, char *detail,
		    size_t dlen)
{
	const char *url = NULL, *sha = NULL;
	json_int_t size = 0;
	uint8_t got[32];
	char file[600];
	int rc;

	if (json_unpack(spec, "{s:s, s:s, s?I}", "url", &url, "sha256", &sha, "size", &size) ||
	    !url_ok(url) || !fab_unhex(sha, p->sha, 32) || size < 0 || size > IMAGE_MAX) {
		snprintf(detail, dlen, "%s: needs an http:// url and a sha256", what);
		return MGMT_E_INVAL;
	}
	snprintf(file, sizeof(file), "%s/agent-%s-%s.img", a->cfg.tmp_dir ? a->cfg.tmp_dir : "/tmp",
		 a->node, what);
	unlink(file);
	if (fetch(a, url, file) != 0) {
		unlink(file);
		snprintf(detail, dlen, "%s: download failed", what);
		return MGMT_E_INVAL;
	}
	rc = read_file(file, p, (size_t)size, detail, dlen);
	unlink(file);
	if (rc != MGMT_OK)
		return rc;
	fab_sha256(p->data, p->len, got);
	if (memcmp(got, p->sha, 32) != 0) {
		snprintf(detail, dlen, "%s: SHA-256 mismatch, refused before deploy", what);
		return MGMT_E_DIGEST;
	}
	return MGMT_OK;
}

int agent_deploy(struct agent *a, uint32_t vm, json_t *args, char *detail, size_t dlen)
{
	struct part k = {0}, i = {0};
	json_t *kspec = args ? json_object_get(args, "kernel") : NULL;
	json_t *ispec = args ? json_object_get(args, "initrd") : NULL;
	json_t *ba = args ? json_object_get(args, "bootargs") : NULL;
	const char *bootargs = json_is_string(ba) ? json_string_value(ba) : "";
	int rc;

	if (!kspec || strlen(bootargs) >= MGMT_BOOTARGS_MAX) {
		snprintf(detail, dlen, "deploy needs a kernel (and bootargs under %d bytes)",
			 MGMT_BOOTARGS_MAX);
		return MGMT_E_INVAL;
	}
	rc = get_part(a, kspec, "kernel", &k, detail, dlen);
	if (rc == MGMT_OK && ispec && !json_is_null(ispec))
		rc = get_part(a, ispec, "initrd", &i, detail, dlen);
	if (rc == MGMT_OK) {
		rc = mgmt_deploy(a->cfg.mgmt, vm, k.data, k.len, i.data, i.len, bootargs, k.sha,
				 i.data ? i.sha : NULL);
		if (rc != MGMT_OK)
			snprintf(detail, dlen, "%s", mgmt_last_error(a->cfg.mgmt));
	}
	free(k.data);
	free(i.data);
	return rc;
}
