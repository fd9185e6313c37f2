/* The body of a deploy request, local (POST /api/v1/vms/{name}/deploy) or
 * remote (POST /api/v1/nodes/{node}/vms/{vm}/deploy): multipart/form-data
 * with a `kernel` file, an optional `initrd` file, `bootargs` and `sha256`
 * (hex, of the kernel).  libmicrohttpd's post processor parses it; the
 * parts are held in memory up to the route's body limit. */
#ifndef AETHERD_DEPLOY_BODY_H
#define AETHERD_DEPLOY_BODY_H

#include "aetherd.h"

struct deploy_part {
	unsigned char *p;
	size_t len, cap;
};

struct deploy_body {
	struct MHD_PostProcessor *pp;
	struct deploy_part file[2]; /* kernel, initrd */
	char bootargs[MGMT_BOOTARGS_MAX];
	size_t bootargs_len;
	char sha[65];
	size_t sha_len;
	size_t total;
	char error[128];
};

/* The route's upload and cleanup hooks: r->state is the deploy_body. */
int deploy_body_upload(struct api_req *r, const char *data, size_t len);
void deploy_body_cleanup(struct api_req *r);

/* After the upload: the body, or NULL with the 4xx already answered
 * (too large, malformed, no kernel, a sha256 that is not 64 hex digits or
 * differs from the kernel's).  khex gets the kernel's digest. */
struct deploy_body *deploy_body_take(struct api_req *r, unsigned char kmd[32], char khex[65]);

/* SHA-256 of a part as bytes and as lower-case hex. */
void deploy_sha256(const struct deploy_part *p, unsigned char md[32], char hex[65]);

#endif
