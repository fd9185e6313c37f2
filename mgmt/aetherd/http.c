/* libmicrohttpd's access handler: authenticate, route, take the body in
 * (bounded), then run the route's handler once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aetherd.h"

/* A body past its limit is read and dropped up to this factor, then the
 * connection is closed: a client cannot keep the daemon reading forever. */
#define DISCARD_FACTOR 4

struct req_state {
	struct api_req r;
	size_t discarded;
};

static int is_api(const char *url)
{
	return !strncmp(url, "/api/", 5) || !strcmp(url, "/api");
}

/* The declared length, when the client sent one, already tells 413. */
static int declared_too_big(struct MHD_Connection *c, size_t max)
{
	const char *cl =
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end = NULL;
	unsigned long long n;

	if (!cl)
		return 0;
	n = strtoull(cl, &end, 10);
	return end != cl && n > max;
}

static enum MHD_Result first_call(struct req_state *s, const char *url, const char *method)
{
	struct api_req *r = &s->r;
	char allow[64];
	int known;

	if (!aetherd_auth_ok(r->conn))
		return aetherd_error(r, MHD_HTTP_UNAUTHORIZED, "missing or wrong bearer token");
	r->route = aetherd_route_match(method, url, r, allow, sizeof(allow), &known);
	if (!r->route && known)
		return aetherd_json_hdr(r, MHD_HTTP_METHOD_NOT_ALLOWED,
					json_pack("{s:s}", "error", "method not allowed"),
					MHD_HTTP_HEADER_ALLOW, allow);
	if (!r->route)
		return aetherd_error(r, MHD_HTTP_NOT_FOUND, "no such resource");
	r->body_max = r->route->body_max ? r->route->body_max
		      : r->route->upload ? aetherd_max_deploy()
					 : AETHERD_JSON_BODY_MAX;
	if (declared_too_big(r->conn, r->body_max))
		return aetherd_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "body larger than %zu bytes",
				     r->body_max);
	return MHD_YES;
}

static enum MHD_Result take_body(struct req_state *s, const char *data, size_t n)
{
	struct api_req *r = &s->r;

	if (r->too_big || r->responded) {
		s->discarded += n;
		return s->discarded > DISCARD_FACTOR * r->body_max + (1 << 20) ? MHD_NO : MHD_YES;
	}
	if (r->route->upload) {
		if (r->route->upload(r, data, n) < 0 && !r->too_big)
			r->too_big = -1; /* the route failed it; its handler answers */
		return MHD_YES;
	}
	if (r->body_len + n > r->body_max) {
		r->too_big = 1;
		free(r->body);
		r->body = NULL;
		r->body_len = 0;
		return MHD_YES;
	}
	char *nb = realloc(r->body, r->body_len + n + 1);

	if (!nb) {
		r->too_big = 1;
		return MHD_YES;
	}
	memcpy(nb + r->body_len, data, n);
	r->body = nb;
	r->body_len += n;
	r->body[r->body_len] = 0;
	return MHD_YES;
}

enum MHD_Result aetherd_on_request(void *cls, struct MHD_Connection *c, const char *url,
				   const char *method, const char *version, const char *upload,
				   size_t *upload_size, void **con_cls)
{
	struct req_state *s = *con_cls;

	if (!s) {
		if (!is_api(url))
			return aetherd_static_serve(c, method, url);
		s = calloc(1, sizeof(*s));
		if (!s)
			return MHD_NO;
		s->r.conn = c;
		s->r.method = method;
		*con_cls = s;
		return first_call(s, url, method);
	}
	if (*upload_size) {
		size_t n = *upload_size;

		*upload_size = 0;
		return take_body(s, upload, n);
	}
	if (s->r.responded)
		return MHD_YES;
	if (s->r.too_big == 1)
		return aetherd_error(&s->r, MHD_HTTP_CONTENT_TOO_LARGE,
				     "body larger than %zu bytes", s->r.body_max);
	return s->r.route->handle(&s->r);
}

void aetherd_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			  enum MHD_RequestTerminationCode toe)
{
	struct req_state *s = *con_cls;

	if (!s)
		return;
	if (s->r.route && s->r.route->cleanup)
		s->r.route->cleanup(&s->r);
	free(s->r.body);
	free(s);
	*con_cls = NULL;
}
