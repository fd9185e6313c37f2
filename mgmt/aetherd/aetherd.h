/* aetherd: the control plane's HTTP API daemon (see mgmt/README.md).
 *
 * One libmicrohttpd daemon with an internal event loop (epoll where the
 * platform has it) serves the API and the dashboard; a ticker thread polls
 * the node (states, consoles, statistics) and publishes server-sent events.
 * Both reach the node through one struct mgmt, behind aetherd_lock().
 *
 * Extending the API (the fabric's /api/v1/nodes... and /api/v1/commands/...
 * routes): in a file of your own, declare a table of struct aetherd_route
 * and register it with AETHERD_ROUTES(table); add the file to AETHERD_SRCS
 * in your own objs*.mk (mgmt/<dir>/objs*.mk is included by mgmt/objs.mk).
 * The router authenticates every /api/ request before any route runs, gives
 * {name}-style path parameters already validated (aetherd_param), buffers
 * JSON bodies up to route->body_max and answers 404/405/413 itself.  Push
 * events to the dashboard with aetherd_event_publish(). */
#ifndef AETHERD_H
#define AETHERD_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <microhttpd.h>

#include "mgmt_client.h"

#define AETHERD_MAX_PARAMS 4
#define AETHERD_JSON_BODY_MAX (64 * 1024)
#define AETHERD_MAX_VMS 64

struct aetherd_route;

/* One API request, from its first byte to its response. */
struct api_req {
	struct MHD_Connection *conn;
	const char *method;
	const struct aetherd_route *route;
	char params[AETHERD_MAX_PARAMS][64];
	int nparams;
	char *body; /* buffered body (NUL-terminated), routes without ->upload */
	size_t body_len;
	size_t body_max;
	int too_big; /* the body passed body_max: answer 413 */
	void *state; /* the route's own upload state */
	int responded;
};

typedef enum MHD_Result (*aetherd_handler)(struct api_req *r);

struct aetherd_route {
	const char *method;	/* "GET", "POST", ... */
	const char *pattern;	/* "/api/v1/vms/{name}/stats": {x} is one path segment */
	aetherd_handler handle; /* runs once the whole body is in */
	/* Optional streaming body: each chunk as it arrives; return -1 to fail
	 * the request (the route sets r->too_big or keeps its own error). */
	int (*upload)(struct api_req *r, const char *data, size_t len);
	void (*cleanup)(struct api_req *r); /* frees r->state */
	size_t body_max;		    /* 0: AETHERD_JSON_BODY_MAX */
};

void aetherd_routes_add(const struct aetherd_route *routes, size_t n);
#define AETHERD_ROUTES(table)                                                \
	static void __attribute__((constructor)) table##_register(void)      \
	{                                                                    \
		aetherd_routes_add(table, sizeof(table) / sizeof(table[0])); \
	}

/* Router (router.c) */
const struct aetherd_route *aetherd_route_match(const char *method, const char *url,
						struct api_req *r, char *allow, size_t allowlen,
						int *path_known);
const char *aetherd_param(const struct api_req *r, int i);

/* Responses (respond.c); each takes ownership of j. */
enum MHD_Result aetherd_json(struct api_req *r, unsigned status, json_t *j);
enum MHD_Result aetherd_json_hdr(struct api_req *r, unsigned status, json_t *j, const char *hname,
				 const char *hval);
enum MHD_Result aetherd_error(struct api_req *r, unsigned status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failed management call: status mapped from MGMT_E_*, detail from the node. */
enum MHD_Result aetherd_mgmt_error(struct api_req *r, int rc);
unsigned aetherd_http_status(int mgmt_rc);
/* Parses the buffered body as a JSON object, or answers 400 and returns NULL. */
json_t *aetherd_body_object(struct api_req *r);

/* The node (main.c) */
struct mgmt *aetherd_lock(void);
void aetherd_unlock(void);
size_t aetherd_max_deploy(void);
/* Looks a VM up by name (under the lock): id, or MGMT_E_NOVM. */
int aetherd_find_vm(struct mgmt *m, const char *name, struct mgmt_vm_info *out);

/* JSON views of the ABI structs (json_view.c) */
const char *aetherd_state_name(uint32_t state);
json_t *aetherd_vm_json(const struct mgmt_vm_info *v, int full);
json_t *aetherd_stats_json(const struct mgmt_vm_info *v, const struct mgmt_vm_stats *s);
json_t *aetherd_node_json(const struct mgmt_node_info *n);
/* Console bytes as a JSON string: invalid UTF-8 becomes U+FFFD; an
 * incomplete sequence at the end is left out (*used tells how many bytes
 * the string covers). */
json_t *aetherd_console_string(const unsigned char *p, size_t len, size_t *used);
extern const char *const aetherd_exit_kinds[MGMT_EXIT_KINDS];

/* Events (events.c) */
enum MHD_Result aetherd_events_open(struct api_req *r);
void aetherd_event_publish(const char *type, json_t *data); /* takes data */
int aetherd_ticker_start(void);
void aetherd_ticker_stop(void);
json_t *aetherd_history_json(void);

/* Static files of the dashboard (static.c) */
int aetherd_static_load(const char *dir);
enum MHD_Result aetherd_static_serve(struct MHD_Connection *c, const char *method, const char *url);

/* The access handler (http.c) */
enum MHD_Result aetherd_on_request(void *cls, struct MHD_Connection *c, const char *url,
				   const char *method, const char *version, const char *upload,
				   size_t *upload_size, void **con_cls);
void aetherd_on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			  enum MHD_RequestTerminationCode toe);

/* Authentication (auth.c) */
int aetherd_auth_init(const char *token);
int aetherd_auth_ok(struct MHD_Connection *c);

#endif
