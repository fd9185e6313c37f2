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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aetherd.h"
#include "deploy_body.h"
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
static enum MHD_Result fabric_deploy_handle(struct api_req *r);

static const struct aetherd_route fabric_routes[] = {
	{"GET", "/api/v1/nodes", get_nodes},
	{"GET", "/api/v1/nodes/{node}", get_node},
	{"GET", "/api/v1/nodes/{node}/vms", get_node_vms},
	{"POST", "/api/v1/nodes/{node}/list", do_list},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/start", do_start},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/stop", do_stop},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/kill", do_kill},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/restart", do_restart},
	{"POST", "/api/v1/nodes/{node}/vms/{vm}/deploy", fabric_deploy_handle, deploy_body_upload,
	 deploy_body_cleanup, 96u << 20},
	{"GET", "/api/v1/commands/{id}", get_command},
	{"GET", "/api/v1/fabric/events", get_events},
};
AETHERD_ROUTES(fabric_routes)

static enum MHD_Result fabric_deploy_handle(struct api_req *r)
{
	char id[FAB_CMDID_MAX] = "", err[256] = "", khex[65];
	unsigned char kmd[32];
	struct deploy_body *d;
	int rc;

	if (!fab)
		return no_fabric(r);
	d = deploy_body_take(r, kmd, khex);
	if (!d)
		return MHD_YES;
	rc = fabric_deploy(fab, aetherd_param(r, 0), aetherd_param(r, 1), d->file[0].p,
			   d->file[0].len, d->file[1].p, d->file[1].len, d->bootargs, id, err,
			   sizeof(err));
	return accepted(r, rc, id, "deploy", aetherd_param(r, 1), err);
}
