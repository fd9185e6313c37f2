/* JSON responses and the mapping from management status codes to HTTP. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aetherd.h"

enum MHD_Result aetherd_json_hdr(struct api_req *r, unsigned status, json_t *j, const char *hname,
				 const char *hval)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	struct MHD_Response *resp;
	enum MHD_Result ret;

	json_decref(j);
	if (!s) {
		static char oom[] = "{\"error\":\"out of memory\"}";

		resp = MHD_create_response_from_buffer(strlen(oom), oom, MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_SERVICE_UNAVAILABLE;
	} else {
		resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"aether\"");
	if (hname)
		MHD_add_response_header(resp, hname, hval);
	ret = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	r->responded = 1;
	return ret;
}

enum MHD_Result aetherd_json(struct api_req *r, unsigned status, json_t *j)
{
	return aetherd_json_hdr(r, status, j, NULL, NULL);
}

enum MHD_Result aetherd_error(struct api_req *r, unsigned status, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return aetherd_json(r, status, json_pack("{s:s}", "error", msg));
}

/* 409 for the management VM's refusal too: the operation is not valid for
 * that VM in any state (README: API reference). */
unsigned aetherd_http_status(int rc)
{
	switch (rc) {
	case MGMT_OK: return MHD_HTTP_OK;
	case MGMT_E_INVAL:
	case MGMT_E_DIGEST:
	case MGMT_E_IMAGE: return MHD_HTTP_BAD_REQUEST;
	case MGMT_E_NOVM: return MHD_HTTP_NOT_FOUND;
	case MGMT_E_STATE:
	case MGMT_E_PERM: return MHD_HTTP_CONFLICT;
	case MGMT_E_TOOBIG: return MHD_HTTP_CONTENT_TOO_LARGE;
	case MGMT_E_NOTSUP: return MHD_HTTP_NOT_IMPLEMENTED;
	default: return MHD_HTTP_BAD_GATEWAY; /* the node did not answer sensibly */
	}
}

enum MHD_Result aetherd_mgmt_error(struct api_req *r, int rc)
{
	struct mgmt *m = aetherd_lock();
	char detail[160];

	snprintf(detail, sizeof(detail), "%s", mgmt_last_error(m));
	aetherd_unlock();
	return aetherd_error(r, aetherd_http_status(rc), "%s",
			     detail[0] ? detail : mgmt_strerror(rc));
}

json_t *aetherd_body_object(struct api_req *r)
{
	json_error_t err;
	json_t *j;

	if (!r->body_len) {
		aetherd_error(r, MHD_HTTP_BAD_REQUEST, "a JSON object body is required");
		return NULL;
	}
	j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		aetherd_error(r, MHD_HTTP_BAD_REQUEST, "malformed JSON at line %d column %d: %s",
			      err.line, err.column, err.text);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		aetherd_error(r, MHD_HTTP_BAD_REQUEST, "the body must be a JSON object");
		return NULL;
	}
	return j;
}
