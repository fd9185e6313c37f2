/* Parsing a deploy request's multipart/form-data body (deploy_body.h),
 * shared by the local deploy route and the fabric's remote one. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "deploy_body.h"

static int append(struct deploy_body *d, struct deploy_part *p, const char *data, size_t size,
		  size_t max)
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
	struct deploy_body *d = r->state;
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

int deploy_body_upload(struct api_req *r, const char *data, size_t len)
{
	struct deploy_body *d = r->state;

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

void deploy_body_cleanup(struct api_req *r)
{
	struct deploy_body *d = r->state;

	if (!d)
		return;
	if (d->pp)
		MHD_destroy_post_processor(d->pp);
	free(d->file[0].p);
	free(d->file[1].p);
	free(d);
	r->state = NULL;
}

void deploy_sha256(const struct deploy_part *p, unsigned char md[32], char hex[65])
{
	unsigned int n = 0;

	EVP_Digest(p->p, p->len, md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* The client's sha256, if any: 64 hex digits equal to the kernel's. */
static int check_sha(struct api_req *r, const struct deploy_body *d, const char *hex)
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

struct deploy_body *deploy_body_take(struct api_req *r, unsigned char kmd[32], char khex[65])
{
	struct deploy_body *d = r->state;

	if (r->too_big == 1) { /* -1: the upload hook failed; d->error says why */
		aetherd_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "deploy larger than %zu bytes",
			      r->body_max);
		return NULL;
	}
	if (d && d->error[0]) {
		aetherd_error(r, MHD_HTTP_BAD_REQUEST, "%s", d->error);
		return NULL;
	}
	if (!d || !d->file[0].len) {
		aetherd_error(r, MHD_HTTP_BAD_REQUEST,
			      "multipart/form-data with a non-empty \"kernel\" file is required");
		return NULL;
	}
	deploy_sha256(&d->file[0], kmd, khex);
	return check_sha(r, d, khex) < 0 ? NULL : d;
}
