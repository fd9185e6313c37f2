/* POST /api/v1/vms/{name}/deploy: multipart/form-data with a `kernel`
 * file, optional `initrd` file, `bootargs` and `sha256` (hex, of the
 * kernel).  The parts are parsed by libmicrohttpd's post processor and
 * held in memory up to the deploy limit; the digest, when given, is checked
 * before the node is touched, and the node checks it again on the bytes it
 * copied. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "aetherd.h"

struct part {
	unsigned char *p;
	size_t len, cap;
};

struct deploy {
	struct MHD_PostProcessor *pp;
	struct part file[2]; /* kernel, initrd */
	char bootargs[MGMT_BOOTARGS_MAX];
	size_t bootargs_len;
	char sha[65];
	size_t sha_len;
	size_t total;
	char error[128];
};

static int append(struct deploy *d, struct part *p, const char *data, size_t size, size_t max)
{
	if (d->total + size > max)
		return -1;
	if (p->len + size > p->cap) {
		size_t cap = p->cap ? p->cap : 65536;
		unsigned char *n;

		while (cap < p->len + size)
			cap *= 2;
		n = realloc(p->p, cap);
		if (!n)
			return -1;
		p->p = n;
		p->cap = cap;
	}
	memcpy(p->p + p->len, data, size);
	p->len += size;
	d->total += size;
	return 0;
}

static int field(char *dst, size_t *len, size_t cap, const char *data, size_t size)
{
	if (*len + size >= cap)
		return -1;
	memcpy(dst + *len, data, size);
	*len += size;
	dst[*len] = 0;
	return 0;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *type, const char *enc,
			       const char *data, uint64_t off, size_t size)
{
	struct api_req *r = cls;
	struct deploy *d = r->state;
	int is_kernel = !strcmp(key, "kernel");

	if (is_kernel || !strcmp(key, "initrd")) {
		if (append(d, &d->file[is_kernel ? 0 : 1], data, size, r->body_max) < 0) {
			r->too_big = 1;
			return MHD_NO;
		}
	} else if (!strcmp(key, "bootargs")) {
		if (field(d->bootargs, &d->bootargs_len, sizeof(d->bootargs), data, size) < 0) {
			snprintf(d->error, sizeof(d->error), "bootargs longer than %d bytes",
				 MGMT_BOOTARGS_MAX - 1);
			return MHD_NO;
		}
	} else if (!strcmp(key, "sha256")) {
		if (field(d->sha, &d->sha_len, sizeof(d->sha), data, size) < 0) {
			snprintf(d->error, sizeof(d->error), "sha256 must be 64 hex digits");
			return MHD_NO;
		}
	}
	return MHD_YES; /* other fields are ignored */
}

static int deploy_upload(struct api_req *r, const char *data, size_t len)
{
	struct deploy *d = r->state;

	if (!d) {
		d = r->state = calloc(1, sizeof(*d));
		if (!d)
			return -1;
		d->pp = MHD_create_post_processor(r->conn, 65536, on_part, r);
		if (!d->pp)
			snprintf(d->error, sizeof(d->error),
				 "the body must be multipart/form-data");
	}
	if (!d->pp || d->error[0] || r->too_big)
		return -1;
	if (MHD_post_process(d->pp, data, len) != MHD_YES) {
		if (!d->error[0] && !r->too_big)
			snprintf(d->error, sizeof(d->error), "malformed multipart/form-data body");
		return -1;
	}
	return 0;
}

static void deploy_cleanup(struct api_req *r)
{
	struct deploy *d = r->state;

	if (!d)
		return;
	if (d->pp)
		MHD_destroy_post_processor(d->pp);
	free(d->file[0].p);
	free(d->file[1].p);
	free(d);
	r->state = NULL;
}

static void sha256(const struct part *p, unsigned char md[32], char hex[65])
{
	unsigned int n = 0;

	EVP_Digest(p->p, p->len, md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* The client's sha256, if any: 64 hex digits equal to the kernel's. */
static int check_sha(struct api_req *r, struct deploy *d, const char *hex)
{
	char want[65];

	if (!d->sha_len)
		return 0;
	if (d->sha_len != 64) {
		aetherd_error(r, MHD_HTTP_BAD_REQUEST, "sha256 must be 64 hex digits");
		return -1;
	}
	for (int i = 0; i < 64; i++) {
		if (!isxdigit((unsigned char)d->sha[i])) {
			aetherd_error(r, MHD_HTTP_BAD_REQUEST, "sha256 must be 64 hex digits");
			return -1;
		}
		want[i] = (char)tolower((unsigned char)d->sha[i]);
	}
	want[64] = 0;
	if (strcmp(want, hex)) {
		aetherd_error(r, MHD_HTTP_BAD_REQUEST, "sha256 mismatch: the kernel sent has %s",
			      hex);
		return -1;
	}
	return 0;
}

static enum MHD_Result deploy_handle(struct api_req *r)
{
	struct deploy *d = r->state;
	unsigned char kmd[32], imd[32];
	char khex[65], ihex[65];
	struct mgmt_vm_info v;
	struct mgmt *m;
	int rc;

	if (r->too_big == 1)
		return aetherd_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "deploy larger than %zu bytes",
				     r->body_max);
	if (d && d->error[0])
		return aetherd_error(r, MHD_HTTP_BAD_REQUEST, "%s", d->error);
	if (!d || !d->file[0].len)
		return aetherd_error(
			r, MHD_HTTP_BAD_REQUEST,
			"multipart/form-data with a non-empty \"kernel\" file is required");
	sha256(&d->file[0], kmd, khex);
	if (check_sha(r, d, khex) < 0)
		return MHD_YES;
	if (d->file[1].len)
		sha256(&d->file[1], imd, ihex);
	m = aetherd_lock();
	rc = aetherd_find_vm(m, aetherd_param(r, 0), &v);
	if (rc >= 0)
		rc = mgmt_deploy(m, v.id, d->file[0].p, d->file[0].len, d->file[1].p,
				 d->file[1].len, d->bootargs, kmd, d->file[1].len ? imd : NULL);
	if (rc >= 0)
		rc = mgmt_vm_info(m, v.id, &v);
	aetherd_unlock();
	if (rc < 0)
		return aetherd_mgmt_error(r, rc);
	json_t *j = aetherd_vm_json(&v, 1);

	json_object_set_new(j, "kernel_sha256", json_string(khex));
	return aetherd_json(r, MHD_HTTP_OK, j);
}

/* body_max 0: the daemon's deploy limit (--max-deploy-mib). */
static const struct aetherd_route deploy_routes[] = {
	{"POST", "/api/v1/vms/{name}/deploy", deploy_handle, deploy_upload, deploy_cleanup, 0},
};
AETHERD_ROUTES(deploy_routes)
