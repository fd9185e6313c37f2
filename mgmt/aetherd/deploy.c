/* POST /api/v1/vms/{name}/deploy: the body (deploy_body.h) is parsed and
 * held in memory up to the deploy limit; the digest, when given, is checked
 * before the node is touched, and the node checks it again on the bytes it
 * copied. */
#include "deploy_body.h"

static enum MHD_Result deploy_handle(struct api_req *r)
{
	unsigned char kmd[32], imd[32];
	char khex[65], ihex[65];
	struct mgmt_vm_info v;
	struct mgmt *m;
	int rc;
	struct deploy_body *d = deploy_body_take(r, kmd, khex);

	if (!d)
		return MHD_YES;
	if (d->file[1].len)
		deploy_sha256(&d->file[1], imd, ihex);
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
	{"POST", "/api/v1/vms/{name}/deploy", deploy_handle, deploy_body_upload,
	 deploy_body_cleanup, 0},
};
AETHERD_ROUTES(deploy_routes)
