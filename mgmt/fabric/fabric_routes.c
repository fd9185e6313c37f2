/* The fabric's routes in aetherd (the central node's API):
 *
 *   GET  /api/v1/nodes                          every provisioned worker
 *   GET  /api/v1/nodes/{node}                   one worker
 *   GET  /api/v1/nodes/{node}/vms               its VMs (last status/telemetry)
 *   POST /api/v1/nodes/{node}/vms/{vm}/start|stop|kill|restart   -> 202
 *   POST /api/v1/nodes/{node}/vms/{vm}/deploy   multipart/form-data as the
 *        local deploy (kernel, initrd, bootargs, sha256)          -> 202
 *   POST /api/v1/nodes/{node}/list              fresh VM list and stats -> 202
 *   GET  /api/v1/commands/{id}                  a command's outcome
 *   GET  /api/v1/fabric/events                  rejections and expiries
 *
 * A 202 answers {"id","node","vm","op","url":"/api/v1/commands/<id>"}; an
 * optional JSON body {"ttl": seconds} sets the command's lifetime.
 * aetherd authenticates every request before these run.  The fabric starts
 * when aetherd starts, if the environment names its configuration:
 * AETHERD_FABRIC=/etc/aether/fabric.conf (mgmt/fabric/fabric_conf.c);
 * without it these routes answer 503. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aetherd.h"
#include "fabric.h"
#include "fabric_conf.h"

static struct fabric *fab;

static void __attribute__((constructor)) fabric_boot(void)
{
	const char *conf = getenv("AETHERD_FABRIC");
	struct fabric_cfg cfg;
	char err[256];

	if (!conf || !*conf)
		return;
	if (!fabric_conf_load(conf, &cfg, err, sizeof(err)) ||
	    !(fab = fabric_start(&cfg, err, sizeof(err))))
		fprintf(stderr, "aetherd: fabric not started: %s\n", err);
	else
		fprintf(stderr, "aetherd: fabric: broker %s:%d, image server port %d\n", cfg.host,
			cfg.port, fabric_image_port(fab));
}

static enum MHD_Result no_fabric(struct api_req *r)
{
	return aetherd_error(r, MHD_HTTP_SERVICE_UNAVAILABLE,
			     "this node runs no fabric (start aetherd with AETHERD_FABRIC set)");
}

static enum MHD_Result get_nodes(struct api_req *r)
{
	return fab ? aetherd_json(r, MHD_HTTP_OK, fabric_nodes_json(fab)) : no_fabric(r);
}

static enum MHD_Result get_node(struct api_req *r)
{
	json_t *n = fab ? fabric_node_json(fab, aetherd_param(r, 0)) : NULL;

	if (!fab)
		return no_fabric(r);
	return n ? aetherd_json(r, MHD_HTTP_OK, n)
		 : aetherd_error(r, MHD_HTTP_NOT_FOUND, "no node '%s'", aetherd_param(r, 0));
}

static enum MHD_Result get_node_vms(struct api_req *r)
{
	json_t *n = fab ? fabric_node_json(fab, aetherd_param(r, 0)) : NULL;
	json_t *vms;

	if (!fab)
		return no_fabric(r);
	if (!n)
		return aetherd_error(r, MHD_HTTP_NOT_FOUND, "no node '%s'", aetherd_param(r, 0));
	vms = json_incref(json_object_get(n, "vms"));
	json_decref(n);
	return aetherd_json(r, MHD_HTTP_OK, vms);
}

static enum MHD_Result accepted(struct api_req *r, int rc, const char *id, const char *op,
				const char *vm, const char *err)
{
	char url[80];

	if (rc != 202)
		return aetherd_error(r, (unsigned)rc, "%s", err);
	snprintf(url, sizeof(url), "/api/v1/commands/%s", id);
	return aetherd_json(r, MHD_HTTP_ACCEPTED,
			    json_pack("{s:s, s:s, s:s, s:s?, s:s}", "id", id, "node",
				      aetherd_param(r, 0), "op", op, "vm", vm, "url", url));
}

/* Optional body {"ttl": n}: 0 when absent; -1 (answered) when malformed. */
static int body_ttl(struct api_req *r)
{
	json_t *j, *t;
	int ttl = 0;

	if (!r->body_len)
		return 0;
	j = aetherd_body_object(r);
	if (!j)
		return -1;
	t = json_object_get(j, "ttl");
	if (t && (!json_is_integer(t) || json_integer_value(t) < 1 ||
		  json_integer_value(t) > FAB_TTL_MAX)) {
		json_decref(j);
		aetherd_error(r, MHD_HTTP_BAD_REQUEST, "ttl must be 1..%d seconds", FAB_TTL_MAX);
		return -1;
	}
	ttl = t ? (int)json_integer_value(t) : 0;
	json_decref(j);
	return ttl;
}

static enum MHD_Result command(struct api_req *r, const char *op)
{
	char id[FAB_CMDID_MAX] = "", err[256] = "";
	const char *vm = r->nparams > 1 ? aetherd_param(r, 1) : NULL;
	int ttl, rc;

	if (!fab)
		return no_fabric(r);
	ttl = body_ttl(r);
	if (ttl < 0)
		return MHD_YES;
	rc = fabric_command(fab, aetherd_param(r, 0), op, vm, NULL, ttl, id, err, sizeof(err));
	return accepted(r, rc, id, op, vm, err);
}

static enum MHD_Result do_start(struct api_req *r)
{
	return command(r, "start");
}
static enum MHD_Result do_stop(struct api_req *r)
{
	return command(r, "stop");
}
static enum MHD_Result do_kill(struct api_req *r)
{
	return command(r, "kill");
}
static enum MHD_Result do_restart(struct api_req *r)
{
	return command(r, "restart");
}
static enum MHD_Result do_list(struct api_req *r)
{
	return command(r, "list");
}

static enum MHD_Result get_command(struct api_req *r)
{
	json_t *c = fab ? fabric_command_json(fab, aetherd_param(r, 0)) : NULL;

	if (!fab)
		return no_fabric(r);
	return c ? aetherd_json(r, MHD_HTTP_OK, c)
		 : aetherd_error(r, MHD_HTTP_NOT_FOUND, "no command '%s'", aetherd_param(r, 0));
}

static enum MHD_Result get_events(struct api_req *r)
{
	return fab ? aetherd_json(r, MHD_HTTP_OK, fabric_events_json(fab)) : no_fabric(r);
}

/* Remote deploy: the local deploy's multipart/form-data body. */
enum MHD_Result fabric_deploy_handle(struct api_req *r);
int fabric_deploy_upload(struct api_req *r, const char *data, size_t len);
void fabric_deploy_cleanup(struct api_req *r);

static const struct aetherd_route fabric_routes[] = {
	{"GET", "/api/v1/nodes", get_nodes},
	{"GET", "/api/v1/nodes/{node}", get_node},
	{"GET", "/api/v1/nodes/{node}/vms", get_node_vms},
	{"POST", "/api/v1/nodes/{node}/list", do_list},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/start", do_start},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/stop", do_stop},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/kill", do_kill},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/restart", do_restart},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/deploy", fabric_deploy_handle, fabric_deploy_upload,
	 fabric_deploy_cleanup, 96u << 20},
	{"GET", "/api/v1/commands/{id}", get_command},
	{"GET", "/api/v1/fabric/events", get_events},
};
AETHERD_ROUTES(fabric_routes)

struct fdeploy {
	struct MHD_PostProcessor *pp;
	unsigned char *file[2];
	size_t len[2], cap[2], total;
	char bootargs[MGMT_BOOTARGS_MAX];
	size_t blen;
	char sha[65];
	size_t slen;
	char error[128];
};

static int grow(struct fdeploy *d, int i, const char *data, size_t size, size_t max)
{
	if (d->total + size > max)
		return -1;
	if (d->len[i] + size > d->cap[i]) {
		size_t cap = d->cap[i] ? d->cap[i] : 65536;
		unsigned char *n;
		while (cap < d->len[i] + size)
			cap *= 2;
		n = realloc(d->file[i], cap);
		if (!n)
			return -1;
		d->file[i] = n;
		d->cap[i] = cap;
	}
	memcpy(d->file[i] + d->len[i], data, size);
	d->len[i] += size;
	d->total += size;
	return 0;
}

static int text(char *dst, size_t *len, size_t cap, const char *data, size_t size)
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
	struct fdeploy *d = r->state;
	int k = !strcmp(key, "kernel");

	if (k || !strcmp(key, "initrd")) {
		if (grow(d, k ? 0 : 1, data, size, r->body_max) < 0) {
			r->too_big = 1;
			return MHD_NO;
		}
	} else if (!strcmp(key, "bootargs") &&
		   text(d->bootargs, &d->blen, sizeof(d->bootargs), data, size) < 0) {
		snprintf(d->error, sizeof(d->error), "bootargs too long");
		return MHD_NO;
	} else if (!strcmp(key, "sha256") &&
		   text(d->sha, &d->slen, sizeof(d->sha), data, size) < 0) {
		snprintf(d->error, sizeof(d->error), "sha256 must be 64 hex digits");
		return MHD_NO;
	}
	return MHD_YES;
}

int fabric_deploy_upload(struct api_req *r, const char *data, size_t len)
{
	struct fdeploy *d = r->state;

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

void fabric_deploy_cleanup(struct api_req *r)
{
	struct fdeploy *d = r->state;

	if (!d)
		return;
	if (d->pp)
		MHD_destroy_post_processor(d->pp);
	free(d->file[0]);
	free(d->file[1]);
	free(d);
	r->state = NULL;
}

/* The client's sha256, when given, must be the kernel's (as locally). */
static int sha_ok(const struct fdeploy *d)
{
	uint8_t md[32];
	char hex[65], want[65];

	if (!d->slen)
		return 1;
	if (d->slen != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		want[i] = (char)tolower((unsigned char)d->sha[i]);
	want[64] = 0;
	fab_sha256(d->file[0], d->len[0], md);
	fab_hex(md, 32, hex);
	return strcmp(hex, want) == 0;
}

enum MHD_Result fabric_deploy_handle(struct api_req *r)
{
	struct fdeploy *d = r->state;
	char id[FAB_CMDID_MAX] = "", err[256] = "";
	int rc;

	if (!fab)
		return no_fabric(r);
	if (r->too_big)
		return aetherd_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "deploy larger than %zu bytes",
				     r->body_max);
	if (d && d->error[0])
		return aetherd_error(r, MHD_HTTP_BAD_REQUEST, "%s", d->error);
	if (!d || !d->len[0])
		return aetherd_error(
			r, MHD_HTTP_BAD_REQUEST,
			"multipart/form-data with a non-empty \"kernel\" file is required");
	if (!sha_ok(d))
		return aetherd_error(r, MHD_HTTP_BAD_REQUEST,
				     "sha256 mismatch with the kernel sent");
	rc = fabric_deploy(fab, aetherd_param(r, 0), aetherd_param(r, 1), d->file[0], d->len[0],
			   d->file[1], d->len[1], d->bootargs, id, err, sizeof(err));
	return accepted(r, rc, id, "deploy", aetherd_param(r, 1), err);
}
